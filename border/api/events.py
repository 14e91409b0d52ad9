"""Border events under /api/v1/border/, and their map layer under /api/v1/map/. Every read goes
through `restrict(user)`; a record not releasable to you answers 404."""

from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.pagination import paginate

from border.models import EXERCISE_BANNER, BorderEventKind
from border.schemas.events import (
    BorderEventTransitionIn,
    EventCreate,
    EventDetailOut,
    EventFilter,
    EventKindOut,
    EventOut,
    EventUpdate,
    TimelineEntryIn,
    TimelineEntryOut,
)
from border.selectors import events as selectors
from border.selectors import notices as notice_selectors
from border.selectors.events import ALL, EXERCISE, REAL
from border.services import events as services
from core.api import Pagination, error_responses, history_out, marking_args
from core.schemas import HistoryEntryOut, MarkingIn, MarkingOut
from core.views import get_one
from response.api.geojson import (
    BOOL,
    INT,
    NUM,
    STR,
    area_geometry,
    feature,
    feature_collection,
    layer_schema,
    position,
)
from response.schemas.incidents import IncidentDetailOut

router = Router(tags=["border"])
map_router = Router(tags=["map"])


def _event(request, event_id, action="view"):
    """The event (real or exercise) if the user may take `action` on it, else 404."""
    return get_one(selectors.events_for(request.user, action, exercise=ALL), event_id)


def _fields(payload):
    return payload.dict(exclude_unset=True, exclude={"marking"})


# ---- Kinds -----------------------------------------------------------------------------------

@router.get("/border/event-kinds", response={200: list[EventKindOut], **error_responses()})
def list_event_kinds(request):
    """The kinds of border event, in their order; an administrator adds to them."""
    return list(selectors.event_kinds())


@router.get("/border/event-kinds/{kind_code}",
            response={200: EventKindOut, **error_responses(404, 422)})
def get_event_kind(request, kind_code: str = Path(..., max_length=32, pattern=r"^[a-z0-9_]+$",
                                                  examples=["port_hazmat"])):
    return get_object_or_404(BorderEventKind, code=kind_code)


# ---- Events ----------------------------------------------------------------------------------

@router.get("/border/events", response={200: list[EventOut], **error_responses(422)})
@paginate(Pagination)
def list_events(request, filters: Query[EventFilter]):
    """Border events you may see, newest first: real events unless `exercise` asks for
    exercises or all; filtered by kind, state, side of the line or text."""
    return selectors.events_for(request.user, **filters.dict())


@router.post("/border/events", response={201: EventDetailOut, **error_responses(403, 422)})
def report_event(request, payload: EventCreate):
    """Report a border event, owned by your nation. The reporting organization (by default
    yours) must be of your nation; a `claimed_side` must be the side the point lies on; the
    side and the distance to the line are derived from the point."""
    event = services.report_event(request.user, **marking_args(payload.marking),
                                  **_fields(payload))
    return Status(201, _event(request, event.pk))


@router.get("/border/events/{event_id}",
            response={200: EventDetailOut, **error_responses(404, 422)})
def get_event(request, event_id: int):
    """The event with its derivation explained in your language (side, distance, sister
    cities affected, nearest ports of entry) and the steps you may take."""
    return _event(request, event_id)


@router.patch("/border/events/{event_id}",
              response={200: EventDetailOut, **error_responses(403, 404, 422)})
def update_event(request, event_id: int, payload: EventUpdate):
    """Change the fields sent; only the reporting nation may."""
    services.update_event(request.user, _event(request, event_id), **_fields(payload))
    return _event(request, event_id)


@router.post("/border/events/{event_id}/transitions/{name}",
             response={200: EventDetailOut, **error_responses(403, 404, 422)})
def transition_event(request, event_id: int, name: str, payload: BorderEventTransitionIn):
    """One step: `confirm` (reported → confirmed), `contain` (reported or confirmed →
    contained) or `close` (the end is now unless given). Only the reporting nation may."""
    services.transition_event(request.user, _event(request, event_id), name,
                              reason=payload.reason)
    return _event(request, event_id)


@router.put("/border/events/{event_id}/marking",
            response={200: MarkingOut, **error_responses(403, 404, 422)})
def set_event_marking(request, event_id: int, payload: MarkingIn):
    """Change who may see the event; its timeline follows."""
    services.change_event_marking(request.user, _event(request, event_id),
                                  **marking_args(payload))
    return MarkingOut.of(_event(request, event_id))


@router.get("/border/events/{event_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def event_history(request, event_id: int):
    return history_out(_event(request, event_id), request.user)


@router.get("/border/events/{event_id}/timeline",
            response={200: list[TimelineEntryOut], **error_responses(404, 422)})
@paginate(Pagination)
def list_timeline(request, event_id: int):
    """The event's timeline, oldest first."""
    return selectors.timeline_for(request.user, _event(request, event_id))


@router.post("/border/events/{event_id}/timeline",
             response={201: TimelineEntryOut, **error_responses(403, 404, 422)})
def add_timeline_entry(request, event_id: int, payload: TimelineEntryIn):
    """Add an observation, action or decision, in English or Spanish, for your organization:
    either nation that may see the event may."""
    entry = services.add_timeline_entry(request.user, _event(request, event_id),
                                        **payload.dict())
    return Status(201, entry)


@router.post("/border/events/{event_id}/incident",
             response={201: IncidentDetailOut, **error_responses(403, 404, 422)})
def open_incident(request, event_id: int):
    """Open the event's mutual-aid incident in one step (same point, perimeter, start and
    marking); refused once opened."""
    incident = services.open_incident(request.user, _event(request, event_id))
    return Status(201, incident)


# ---- Map layer -------------------------------------------------------------------------------

EVENT_PROPERTIES = {
    "id": INT, "feature": {"enum": ["location", "perimeter"]}, "name": STR, "kind": STR,
    "kind_label": STR, "state": STR, "state_label": STR, "severity": STR,
    "severity_label": STR, "side": STR, "border_distance_km": NUM, "exercise": BOOL,
    "banner": STR, "started_at": STR, "url": STR,
    # The counterpart notices' status (border.selectors.notices.notice_status, as the event
    # page has it), over the notices you may see: the worst chain's, and chains per status.
    "notice_status": {"enum": ["overdue", "escalated", "waiting", "acknowledged", "none"]},
    "notice_status_label": STR, "notice_summary": STR,
    "notice_counts": {"type": "object", "properties": {
        s: INT for s in ("overdue", "escalated", "waiting", "acknowledged")}},
}


class EventLayerQuery(Schema):
    exercise: bool = Field(False, description="true: the exercise events instead of the real "
                                              "ones (never both at once)")
    event: int | None = Field(None, ge=1, le=2**63 - 1, description="Only this event")


@map_router.get("/map/border-events", url_name="map_border_events",
                response=error_responses(422),
                openapi_extra=layer_schema(
                    "Border events you may see: a location point each, and the perimeter "
                    "where drawn", ["Point", "Polygon", "MultiPolygon"], EVENT_PROPERTIES))
def border_events_layer(request, query: Query[EventLayerQuery]):
    """Border events releasable to your nation, real ones unless `exercise` (an exercise is
    never drawn among real events): each as a point (`feature: location`) and, where drawn,
    its perimeter (`feature: perimeter`), with its counterpart notices' status over the
    notices you may see. Names in your language."""
    events = selectors.events_for(request.user, exercise=EXERCISE if query.exercise else REAL
                                  ).prefetch_related(None)
    if query.event is not None:
        events = events.filter(pk=query.event)
    events = list(events)
    statuses = notice_selectors.notice_statuses(request.user, [e.pk for e in events])
    features = []
    for event in events:
        status = statuses[event.pk]
        properties = {
            "id": event.pk, "name": event.title, "kind": event.kind.code,
            "kind_label": event.kind.name, "state": event.state,
            "state_label": event.get_state_display(), "severity": event.severity,
            "severity_label": event.get_severity_display(), "side": event.side,
            "border_distance_km": event.border_distance_km, "exercise": event.is_exercise,
            "banner": str(EXERCISE_BANNER) if event.is_exercise else "",
            "started_at": event.started_at.isoformat(), "url": event.get_absolute_url(),
            "notice_status": status.status, "notice_status_label": status.label,
            "notice_summary": status.summary, "notice_counts": status.counts,
        }
        perimeter = area_geometry(event.perimeter)
        if perimeter:
            features.append(feature(perimeter, {**properties, "feature": "perimeter"},
                                    f"border-event-{event.pk}-perimeter"))
        features.append(feature({"type": "Point",
                                 "coordinates": position(event.longitude, event.latitude)},
                                {**properties, "feature": "location"},
                                f"border-event-{event.pk}"))
    return feature_collection(features)
