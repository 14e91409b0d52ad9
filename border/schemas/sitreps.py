"""API schemas of joint situation reports."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from border.models import SituationReport
from border.selectors.sitreps import ordered_sections
from core.bounds import LONG_TEXT
from core.schemas import MarkingOut, Moment
from response.schemas.common import attribute

SitrepStateCode = Literal[tuple(SituationReport.State.values)]


class ReportIn(Schema):
    period_start: Moment = Field(..., description="Without an offset: your time zone")
    period_end: Moment = Field(..., description="Without an offset: your time zone; after "
                                                "the start")


class SectionIn(Schema):
    """Only the fields sent change. Submitting needs every one in both languages."""

    situation_en: str = Field(None, max_length=LONG_TEXT)
    situation_es: str = Field(None, max_length=LONG_TEXT)
    actions_en: str = Field(None, max_length=LONG_TEXT)
    actions_es: str = Field(None, max_length=LONG_TEXT)
    resources_en: str = Field(None, max_length=LONG_TEXT)
    resources_es: str = Field(None, max_length=LONG_TEXT)
    needs_en: str = Field(None, max_length=LONG_TEXT)
    needs_es: str = Field(None, max_length=LONG_TEXT)
    next_period_en: str = Field(None, max_length=LONG_TEXT)
    next_period_es: str = Field(None, max_length=LONG_TEXT)


class SectionOut(Schema):
    nation: str = Field(..., description="The nation that writes it (alpha-3 code)")
    situation_en: str
    situation_es: str
    actions_en: str
    actions_es: str
    resources_en: str
    resources_es: str
    needs_en: str
    needs_es: str
    next_period_en: str
    next_period_es: str
    organization: str | None = Field(..., description="Acronym of the writer's organization")
    submitted: bool
    submitted_at: datetime | None
    submitted_by: str | None = Field(..., description="Username")

    resolve_nation = attribute("nation.code")
    resolve_organization = attribute("organization.acronym")
    resolve_submitted_by = attribute("submitted_by.username")


class ReportOut(Schema):
    id: int
    event: int
    number: int = Field(..., description="1, 2, 3… per event")
    period_start: datetime
    period_end: datetime
    state: SitrepStateCode
    state_label: str = Field(..., description="In your language")
    published_at: datetime | None
    sections: list[SectionOut] = Field(..., description="The event's owning nation first")
    marking: MarkingOut

    resolve_event = attribute("event_id")
    resolve_marking = staticmethod(MarkingOut.of)

    @staticmethod
    def resolve_state_label(obj):
        return obj.get_state_display()

    @staticmethod
    def resolve_sections(obj):
        return ordered_sections(obj)
