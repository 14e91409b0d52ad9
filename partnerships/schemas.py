from typing import Literal

from ninja import Field, Schema

from core.schemas import HistoryEntryOut, MarkingIn, MarkingOut

__all__ = ["HistoryEntryOut", "MarkingIn", "PartnershipCreate", "PartnershipOut",
           "PartnershipUpdate"]


class PartnershipOut(Schema):
    id: int
    name_en: str
    name_es: str
    us_state: str
    partner_nation: str
    established: int | None
    combatant_command: str
    status: str
    description_en: str
    description_es: str
    marking: MarkingOut

    @staticmethod
    def resolve_partner_nation(obj):
        return obj.partner_nation.code

    @staticmethod
    def resolve_marking(obj):
        return MarkingOut.of(obj)


class PartnershipUpdate(Schema):
    """Only the fields sent are changed. A field may be left out but not sent as null, except
    the year established."""

    name_en: str = Field(None, min_length=1, max_length=200)
    name_es: str = Field(None, min_length=1, max_length=200)
    us_state: str = Field(None, min_length=2, max_length=2, examples=["CA"])
    partner_nation: str = Field(None, min_length=3, max_length=3, examples=["MEX"])
    established: int | None = Field(None, ge=1990, le=2100)
    combatant_command: str = Field(None, max_length=32)
    status: Literal["active", "suspended", "ended"] = None
    description_en: str = Field(None, max_length=10000)
    description_es: str = Field(None, max_length=10000)


class PartnershipCreate(PartnershipUpdate):
    name_en: str = Field(..., min_length=1, max_length=200)
    name_es: str = Field(..., min_length=1, max_length=200)
    partner_nation: str = Field(..., min_length=3, max_length=3, examples=["MEX"])
    marking: MarkingIn = Field(default_factory=MarkingIn)
