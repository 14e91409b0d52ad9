"""API schemas of received CAP alerts."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from core.related import shown_id
from core.schemas import MarkingOut
from interop.models import ReceivedAlert

StatusCode = Literal[tuple(ReceivedAlert.Status.values)]
MsgTypeCode = Literal[tuple(ReceivedAlert.MsgType.values)]
VersionCode = Literal[tuple(ReceivedAlert.Version.values)]


class AlertFilter(Schema):
    status: StatusCode | None = None
    msg_type: MsgTypeCode | None = None
    version: VersionCode | None = None
    q: str | None = Field(None, max_length=100,
                          description="Part of a headline, event, sender or identifier")


class AlertOut(Schema):
    id: int
    sender: str
    identifier: str
    sent: datetime
    version: VersionCode
    status: StatusCode
    msg_type: MsgTypeCode
    scope: str
    headline: str = Field(..., description="In your language where the alert has it")
    headline_en: str
    headline_es: str
    event_en: str
    event_es: str
    severity: str
    latitude: float | None = Field(..., description="The first point of the alert's areas")
    longitude: float | None
    signed: bool = Field(..., description="The document carries an XML signature, kept as "
                                          "received")
    incident: int | None = Field(..., description="The mutual-aid incident opened from this "
                                                  "alert, if you may see it")
    marking: MarkingOut
    created_at: datetime

    resolve_marking = staticmethod(MarkingOut.of)

    @staticmethod
    def resolve_incident(obj, context):
        return shown_id(context["request"].user, obj, "incident")


class AlertDetailOut(AlertOut):
    note: str
    references: str
    infos: list[dict] = Field(..., description="Every info block as received, in every "
                                               "language")


class ImportOut(Schema):
    duplicate: bool = Field(..., description="True: your nation already had this alert (same "
                                             "sender, identifier and sent); nothing was added")
    alert: AlertDetailOut


class IncidentOpenedOut(Schema):
    incident: int
