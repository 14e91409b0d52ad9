from datetime import date, datetime, timedelta
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from core import markings
from core.validators import in_year_range

DisclosureState = Literal["not_reviewed", "in_review", "approved", "denied"]
TLPLevel = Literal["clear", "green", "amber", "amber+strict", "red"]
NationCode = str

# The world's UTC offsets run from -12:00 to +14:00; ISO 8601 allows ±23:59, which PostgreSQL
# cannot store, so a moment given with an offset outside the real ones is refused as input.
EARLIEST_OFFSET, LATEST_OFFSET = timedelta(hours=-12), timedelta(hours=14)


def _real_offset(value):
    offset = value.utcoffset()
    if offset is not None and not EARLIEST_OFFSET <= offset <= LATEST_OFFSET:
        raise PydanticCustomError("utc_offset", "UTC offset out of range")
    return value


def _year_in_range(value):
    if not in_year_range(value):
        raise PydanticCustomError("year_range", "Year out of range")
    return value


# Dates and moments of input take the same years as the web forms (core.validators).
Moment = Annotated[datetime, AfterValidator(_year_in_range), AfterValidator(_real_offset)]
Day = Annotated[date, AfterValidator(_year_in_range)]


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


class TransitionOptionOut(Schema):
    """A step of a record's lifecycle as the API offers it to you now (core.lifecycle's
    TransitionOption): every domain's transitions read the same."""

    name: str = Field(..., description="The step, as its transition endpoint takes it")
    label: str = Field(..., description="In your language")
    allowed: bool
    refusal: str = Field(..., description="Why a guard refuses it now; empty when allowed")
    needs_reason: bool = Field(..., description="A reason must be given with it")


class HistoryChangeOut(Schema):
    field: str = Field(..., examples=["incident"])
    label: str = Field(..., description="The field's name in the reader's language",
                       examples=["Incidente"])
    before: str = Field(..., description="The value before, as the reader reads it (a related "
                        "record they may not see reads \"a record not released to you\")")
    after: str


class HistoryEntryOut(Schema):
    timestamp: str
    action: str = Field(..., examples=["create", "update", "delete"])
    action_label: str = Field(..., description="The action in the reader's language")
    actor: str | None
    request_id: str | None
    changes: dict = Field(..., description="Field → [before, after] as stored; a related "
                          "record's id only when the reader may see it, else null")
    changes_display: list[HistoryChangeOut]


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem] = []
