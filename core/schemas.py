from typing import Literal

from ninja import Field, Schema

from core import markings

DisclosureState = Literal["not_reviewed", "in_review", "approved", "denied"]
TLPLevel = Literal["clear", "green", "amber", "amber+strict", "red"]
NationCode = str


class MarkingOut(Schema):
    owner: str = Field(..., description="ISO 3166-1 alpha-3 code of the owning nation",
                       examples=["USA"])
    rel_to: list[str] = Field(..., examples=[["USA", "MEX"]])
    disclosure: DisclosureState
    tlp: TLPLevel | None = None

    @staticmethod
    def of(record):
        return MarkingOut(
            owner=record.owner_nation.code,
            rel_to=sorted(n.code for n in record.rel_to.all()),
            disclosure=record.disclosure,
            tlp=record.tlp or None,
        )


class MarkingIn(Schema):
    rel_to: list[str] = Field(default_factory=list, max_length=20,
                              description="Nations the record may be shown to (the owner is "
                                          "always added)", examples=[["USA", "MEX"]])
    disclosure: DisclosureState = markings.NOT_REVIEWED
    tlp: TLPLevel | None = None


class HistoryEntryOut(Schema):
    timestamp: str
    action: str
    actor: str | None
    request_id: str | None
    changes: dict


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []
