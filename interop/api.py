"""CAP under /api/v1/: received alerts (import takes the raw document as the request body),
each incident's CAP 1.2 alert and the Atom feed of the incidents' alerts. Every read goes
through `restrict(user)`; a record not releasable to you answers 404."""

from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from core.api import Pagination, error_responses, history_out, marking_args
from core.schemas import HistoryEntryOut, MarkingIn, MarkingOut
from core.views import get_one
from interop import outgoing, selectors, services
from interop.messages import media_type_refused
from interop.schemas import AlertDetailOut, AlertFilter, AlertOut, ImportOut, IncidentOpenedOut
from response.api.geojson import BOOL, INT, STR, feature, feature_collection, layer_schema

router = Router(tags=["CAP"])

XML_TYPES = ("application/xml", "application/cap+xml", "text/xml")
BINARY = {"type": "string", "format": "binary"}
CAP_BODY = {"requestBody": {"required": True, "content": {
    media: {"schema": BINARY} for media in ("application/cap+xml", "application/xml")}}}


def _xml_response(description, media):
    return {"responses": {200: {"description": description,
                                "content": {media: {"schema": {"type": "string"}}}}}}


def _alert(request, alert_id, action="view"):
    return get_one(selectors.alerts_for(request.user, action), alert_id)


def _incident(request, incident_id):
    return get_one(selectors.alert_incidents(request.user), incident_id)


# ---- Received alerts -------------------------------------------------------------------------

@router.post("/cap/alerts", response={200: ImportOut, 201: ImportOut,
                                      **error_responses(403, 413, 415, 422)},
             openapi_extra=CAP_BODY)
def import_alert(request):
    """Import one CAP 1.2, 1.1 or 1.0 alert sent as the raw request body
    (`application/cap+xml` or `application/xml`; any other media type answers 415). 201 with
    the alert stored for your nation (released to it alone until you change its marking);
    200 with `duplicate` when your nation already has it. A document with a DOCTYPE, one that
    is not well-formed or one that fails its CAP schema answers 422 with the reason in your
    language, and nothing is stored."""
    media = request.content_type.split(";")[0].strip().lower()
    if media not in XML_TYPES:
        raise HttpError(415, media_type_refused())
    record, created = services.import_alert(request.user, request.body)
    return Status(201 if created else 200,
                  {"duplicate": not created, "alert": _alert(request, record.pk)})


@router.get("/cap/alerts", response={200: list[AlertOut], **error_responses(422)})
@paginate(Pagination)
def list_alerts(request, filters: Query[AlertFilter]):
    """Received alerts you may see, newest first."""
    return selectors.alerts_for(request.user, **filters.dict())


@router.get("/cap/alerts/{alert_id}", response={200: AlertDetailOut,
                                                **error_responses(404, 422)})
def get_alert(request, alert_id: int):
    """The alert with every info block in every language."""
    return _alert(request, alert_id)


@router.get("/cap/alerts/{alert_id}/document",
            response={200: None, **error_responses(404, 422)},
            openapi_extra=_xml_response("The document exactly as received",
                                        outgoing.CAP_MEDIA_TYPE))
def alert_document(request, alert_id: int):
    """The CAP document exactly as received (its signature intact)."""
    _alert(request, alert_id)
    return HttpResponse(selectors.document_of(request.user, alert_id),
                        content_type=outgoing.CAP_MEDIA_TYPE)


@router.put("/cap/alerts/{alert_id}/marking",
            response={200: MarkingOut, **error_responses(403, 404, 422)})
def set_alert_marking(request, alert_id: int, payload: MarkingIn):
    services.change_alert_marking(request.user, _alert(request, alert_id),
                                  **marking_args(payload))
    return MarkingOut.of(_alert(request, alert_id))


@router.get("/cap/alerts/{alert_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def alert_history(request, alert_id: int):
    return history_out(_alert(request, alert_id), request.user)


@router.post("/cap/alerts/{alert_id}/incident",
             response={201: IncidentOpenedOut, **error_responses(403, 404, 422)})
def open_incident(request, alert_id: int):
    """Open a mutual-aid incident from the alert: its first point, its headlines, its
    marking. Refused once opened, for a cancellation and for an alert with no area point."""
    incident = services.open_incident(request.user, _alert(request, alert_id))
    return Status(201, {"incident": incident.pk})


# ---- The map -------------------------------------------------------------------------------

ALERT_PROPERTIES = {"id": INT, "feature": STR, "name": STR, "event": STR, "status": STR,
                    "status_label": STR, "msg_type": STR, "msg_type_label": STR,
                    "severity": STR, "exercise": BOOL, "sender": STR, "sent": STR, "url": STR}


def _rings(record):
    """The polygons of the alert's areas as GeoJSON Polygons ([longitude, latitude])."""
    return [{"type": "Polygon", "coordinates": [[[lon, lat] for lat, lon in polygon]]}
            for info in record.infos[:1] for area in info.get("areas", [])
            for polygon in area.get("polygons", [])]


@router.get("/map/cap-alerts", url_name="map_cap_alerts", tags=["map"],
            response=error_responses(),
            openapi_extra=layer_schema(
                "Received CAP alerts you may see: the first point of their areas, and the "
                "polygons of the first info block", ["Point", "Polygon"], ALERT_PROPERTIES))
def cap_alerts_layer(request):
    """Received CAP alerts releasable to your nation that give a point (a circle's centre or a
    polygon's): each as a point (`feature: location`) and its first info block's polygons
    (`feature: area`). Headlines in your language where the alert has it."""
    features = []
    for record in selectors.alerts_for(request.user).filter(latitude__isnull=False):
        properties = {
            "id": record.pk, "name": record.headline or record.identifier,
            "event": record.event, "status": record.status,
            "status_label": record.get_status_display(), "msg_type": record.msg_type,
            "msg_type_label": record.get_msg_type_display(), "severity": record.severity,
            "exercise": record.is_exercise, "sender": record.sender,
            "sent": record.sent.isoformat(), "url": record.get_absolute_url()}
        for n, ring in enumerate(_rings(record), start=1):
            features.append(feature(ring, {**properties, "feature": "area"},
                                    f"cap-alert-{record.pk}-area-{n}"))
        features.append(feature({"type": "Point", "coordinates": [round(record.longitude, 6),
                                                                  round(record.latitude, 6)]},
                                {**properties, "feature": "location"}, f"cap-alert-{record.pk}"))
    return feature_collection(features)


# ---- CAP out ---------------------------------------------------------------------------------

def _page_url(request, incident):
    return request.build_absolute_uri(incident.get_absolute_url())


def _cap_url(request, incident):
    return request.build_absolute_uri(reverse("api:incident_cap", args=[incident.pk]))


@router.get("/incidents/{incident_id}/cap", url_name="incident_cap",
            response={200: None, **error_responses(404, 422)},
            openapi_extra=_xml_response("The incident as a CAP 1.2 alert",
                                        outgoing.CAP_MEDIA_TYPE))
def incident_cap(request, incident_id: int):
    """The incident as a CAP 1.2 alert (validated against the OASIS schema): an info block in
    en-US and one in es-MX, its point as a circle and its perimeter as polygons, the owning
    organization as sender. The first alert is `enlace-incident-<id>`; after a change it is an
    Update (a closed incident's a Cancel) whose `references` name the first."""
    incident = _incident(request, incident_id)
    return HttpResponse(outgoing.incident_cap(incident, url=_page_url(request, incident)),
                        content_type=outgoing.CAP_MEDIA_TYPE)


@router.get("/cap/feed", response={200: None, **error_responses()},
            openapi_extra=_xml_response("An Atom feed of CAP alerts", outgoing.ATOM_MEDIA_TYPE))
def cap_feed(request):
    """An Atom feed of the CAP alerts of the incidents released to your nation (the most
    recently changed first, at most 100), each alert embedded and linked."""
    incidents = selectors.alert_incidents(request.user)
    data = outgoing.atom_feed(
        incidents, feed_url=request.build_absolute_uri(),
        cap_url=lambda i: _cap_url(request, i), page_url=lambda i: _page_url(request, i),
        language=(get_language() or "en")[:2])
    return HttpResponse(data, content_type=outgoing.ATOM_MEDIA_TYPE)


