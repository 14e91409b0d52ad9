"""The port-of-entry status board under /api/v1/border/ports: the current board (each port
west to east with each side's current status, from border.selectors.ports.current_board), one
port, its history, and a side's report. Reports not released to you are absent; a side whose
latest report is not released to you says `withheld`."""

from datetime import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Router, Schema, Status
from ninja.pagination import paginate

from border.models import BorderEvent, PortStatusReport
from border.selectors import ports as selectors
from border.services.ports import MAX_WAIT_MINUTES, report_port_status
from core.api import Pagination, error_responses, marking_args
from core.bounds import REASON
from core.related import shown_id, visible_pks, with_links_released
from core.schemas import MarkingIn, MarkingOut, Moment
from response.models import PortOfEntry

router = Router(tags=["border"])

SideCode = Literal["USA", "MEX"]
StatusCode = Literal[tuple(PortStatusReport.Status.values)]


class PortReportOut(Schema):
    id: int
    port: str = Field(..., description="The port's key")
    side: SideCode = Field(..., description="Whose lanes: USA (US lanes) or MEX (Mexican "
                                            "lanes)")
    status: StatusCode
    status_label: str = Field(..., description="In your language")
    passenger_lanes_open: int | None
    commercial_lanes_open: int | None
    passenger_wait_minutes: int | None
    commercial_wait_minutes: int | None
    reason: str = Field(..., description="In your language (the other when only it is given)")
    reason_en: str
    reason_es: str
    reported_at: datetime
    reported_by: str
    organization: str
    event: int | None = Field(None, description="The border event this closure reported, "
                                                "when you may see it")
    marking: MarkingOut

    @staticmethod
    def resolve_port(obj):
        return obj.port.key

    @staticmethod
    def resolve_status_label(obj):
        return str(obj.get_status_display())

    @staticmethod
    def resolve_reason(obj):
        return obj.reason or ""

    @staticmethod
    def resolve_reported_by(obj):
        return obj.reported_by.get_username()

    @staticmethod
    def resolve_organization(obj):
        return obj.organization.acronym

    @staticmethod
    def resolve_event(obj, context):
        return shown_id(context["request"].user, obj, "event")

    @staticmethod
    def resolve_marking(obj):
        return MarkingOut.of(obj)


class SideOut(Schema):
    side: SideCode
    status: StatusCode | None = Field(None, description="None: no report, or withheld")
    withheld: bool = Field(..., description="The latest report exists but is not released "
                                            "to you")
    report: PortReportOut | None


class OpenEventOut(Schema):
    id: int
    title: str


class PortBoardOut(Schema):
    key: str
    code: str
    name: str = Field(..., description="In your language")
    us_city: str
    mx_city: str
    latitude: float
    longitude: float
    usa: SideOut
    mex: SideOut
    open_events: list[OpenEventOut] = Field(..., description="Open border events its "
                                                              "closures reported")

    @staticmethod
    def of(row):
        port = row.port
        return {"key": port.key, "code": port.code, "name": port.name,
                "us_city": port.us_city, "mx_city": port.mx_city, "latitude": port.latitude,
                "longitude": port.longitude, "usa": row.usa, "mex": row.mex,
                "open_events": [{"id": e.pk, "title": str(e)} for e in row.open_events]}


class PortReportIn(Schema):
    side: SideCode = Field(..., description="Whose lanes; only users of that nation report "
                                            "them")
    status: str = Field(..., max_length=12, examples=["restricted"],
                        description="open, restricted or closed")
    passenger_lanes_open: int | None = Field(None, ge=-1000, le=1000)
    commercial_lanes_open: int | None = Field(None, ge=-1000, le=1000)
    passenger_wait_minutes: int | None = Field(None, ge=-100000, le=100000,
                                               description=f"0–{MAX_WAIT_MINUTES}")
    commercial_wait_minutes: int | None = Field(None, ge=-100000, le=100000,
                                                description=f"0–{MAX_WAIT_MINUTES}")
    reason_en: str = Field("", max_length=REASON, description="Required (in either language) "
                                                              "when restricted or closed")
    reason_es: str = Field("", max_length=REASON)
    reported_at: Moment | None = Field(None, description="By default now")
    marking: MarkingIn | None = Field(None, description="By default released to both nations")


def _board(user, rows):
    # Whether the reader may see each report's event is asked once for the whole board.
    reports = [s.report for row in rows for s in row.sides.values() if s.report]
    events = visible_pks(user, BorderEvent, [r.event_id for r in reports])
    for report in reports:
        report.links_released = report.event_id is None or report.event_id in events
    return [PortBoardOut.of(row) for row in rows]


# A port's key, as response's API takes it (letters, digits and dashes).
PortKey = Path(..., max_length=16, pattern=r"^[A-Za-z0-9-]+$", examples=["2506-C"])


def _port(key):
    return get_object_or_404(PortOfEntry, key=key)


@router.get("/border/ports", response={200: list[PortBoardOut], **error_responses()})
def port_board(request):
    """Every port of entry, west to east, with each side's current status (its latest
    report) as you may see it, and the open border events its closures reported."""
    return _board(request.user, selectors.current_board(request.user))


@router.get("/border/ports/{port_key}",
            response={200: PortBoardOut, **error_responses(404, 422)})
def port_status(request, port_key: str = PortKey):
    """One port's current status on both sides."""
    return _board(request.user, [selectors.port_row(request.user, _port(port_key))])[0]


@router.get("/border/ports/{port_key}/history",
            response={200: list[PortReportOut], **error_responses(404, 422)})
@paginate(Pagination)
def port_history(request, port_key: str = PortKey):
    """The port's reports you may see, both sides, newest first."""
    return with_links_released(request.user,
                               selectors.history_for(request.user, _port(port_key)), "event")


@router.post("/border/ports/{port_key}/reports",
             response={201: PortReportOut, **error_responses(403, 404, 422)})
def report_status(request, payload: PortReportIn, port_key: str = PortKey):
    """Report your side's lanes at the port: only users of that side's nation may (the other
    side's users are refused on `side`). A wait is 0–1,440 minutes; a reason is required when
    restricted or closed; a closure also reports a "port closed or jammed" border event."""
    fields = payload.dict(exclude={"marking", "side"})
    if fields["reported_at"] is None:
        del fields["reported_at"]
    if payload.marking is not None:
        fields.update(marking_args(payload.marking))
    report = report_port_status(request.user, _port(port_key), payload.side, **fields)
    return Status(201, selectors.reports_for(request.user).get(pk=report.pk))
