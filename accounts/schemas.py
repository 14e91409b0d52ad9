from datetime import datetime

from ninja import Field, Schema
from pydantic import StrictBool


class NationOut(Schema):
    code: str
    name_en: str
    name_es: str


class OrganizationOut(Schema):
    id: int
    acronym: str
    name_en: str
    name_es: str
    kind: str
    nation: str

    @staticmethod
    def resolve_nation(obj):
        return obj.nation.code


class MeOut(Schema):
    username: str
    full_name: str
    organization: str | None
    nation: str | None
    roles: list[str]
    time_zone: str


class TokenOut(Schema):
    id: int
    name: str
    hint: str
    write: bool
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreate(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    write: StrictBool = False
    days: int = Field(90, ge=1, le=366)


class TokenCreated(TokenOut):
    key: str = Field(..., description="Shown once; store it now.")
