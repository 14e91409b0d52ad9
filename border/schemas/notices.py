"""API schemas of the counterpart notices."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from border import protocol
from border.models import Channel, Notice
from core.schemas import MarkingOut
from response.schemas.common import attribute

NoticeStateCode = Literal[tuple(Notice.State.values)]
ChannelCode = Literal[tuple(Channel.values)]


class NoticeFilter(Schema):
    event: int | None = Field(None, ge=1, le=2**62, description="The border event's id")
    organization: str | None = Field(None, max_length=32, examples=["PC-BC"],
                                     description="Acronym of the organization notified")
    state: NoticeStateCode | None = None
    waiting: bool | None = Field(None, description="true: not yet acknowledged; false: "
                                                   "acknowledged")
    mine: bool = Field(False, description="Only the notices sent to your organization")


class NoticeOut(Schema):
    id: int
    event: int
    is_exercise: bool = Field(..., description="A notice of an exercise event: its texts say "
                                               "EXERCISE EXERCISE EXERCISE")
    organization: str = Field(..., description="Acronym of the organization notified")
    channel: ChannelCode = Field(..., description="How the duty contact is also reached")
    chain: str
    level: int = Field(..., description="1: the first duty contact; higher: escalations")
    national: bool = Field(..., description="The national channel")
    duty_role: str = Field(..., description="In your language")
    escalated_from: int | None
    state: NoticeStateCode
    sent_at: datetime
    due_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None = Field(..., description="Username")
    escalated_at: datetime | None
    minutes_to_acknowledge: float | None = Field(
        ..., description="From sent to acknowledged, in minutes")
    late: bool = Field(..., description="Acknowledged after the deadline, or escalated or "
                                        "unanswered")
    marking: MarkingOut

    resolve_event = attribute("event_id")
    resolve_is_exercise = attribute("event.is_exercise")
    resolve_organization = attribute("organization.acronym")
    resolve_duty_role = attribute("duty_role")
    resolve_escalated_from = attribute("escalated_from_id")
    resolve_acknowledged_by = attribute("acknowledged_by.username")
    resolve_marking = staticmethod(MarkingOut.of)

    @staticmethod
    def resolve_minutes_to_acknowledge(obj):
        return protocol.minutes_between(obj.sent_at, obj.acknowledged_at)
