"""The common operating picture: one Leaflet map of the layers /api/v1/map/ serves, in the
reader's language, optionally about one incident (`?incident=<id>`) and with the moves of an
allocation proposal (`?proposal=<id>`)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.views import get_one
from response import port_board
from response.api.geojson import outline_bbox
from response.models import Deployment, Incident, Unit
from response.selectors.allocation import proposals_for

# The order of the layers control; the endpoint of each layer (the API's url names).
LAYERS = [
    ("outline", "api:map_outline"),
    ("border_zone", "api:map_border_zone"),
    ("boundary", "api:map_boundary"),
    ("ports", "api:map_ports"),
    ("units", "api:map_units"),
    ("incidents", "api:map_incidents"),
    ("border_events", "api:map_border_events"),
    ("cap_alerts", "api:map_cap_alerts"),
    ("deployments", "api:map_deployments"),
]


def _labels():
    return {
        "layers": {
            "outline": _("Outline (coast and borders)"),
            "border_zone": _("Border zone (16 km)"),
            "boundary": _("International boundary"),
            "ports": _("Ports of entry"),
            "units": _("Units (home bases)"),
            "incidents": _("Incidents and perimeters"),
            "border_events": _("Border events (real)"),
            "cap_alerts": _("Received CAP alerts"),
            "deployments": _("Deployments by state"),
        },
        "tiles": _("Map tiles"),
        "states": {code: str(label) for code, label in Deployment.State.choices},
        "statuses": {code: str(label) for code, label in Incident.Status.choices},
        "availabilities": {code: str(label) for code, label in Unit.Availability.choices},
        "legend": _("Legend"),
        "perimeter": _("Perimeter"),
        "border_event": _("Border event"),
        "cap_alert": _("CAP alert"),
        "cap_area": _("Alert area"),
        "msg_type": _("Message type"),
        "sender": _("Sender"),
        "severity": _("Severity"),
        "side": _("Side of the line"),
        "border": _("Border"),
        "open": _("Open the record"),
        "people": _("People"),
        "kind": _("Kind"),
        "status": _("Status"),
        "channel": _("Request channel"),
        "distance": _("Distance to the border (km)"),
        "organization": _("Organization"),
        "home_base": _("Home base"),
        "headcount": _("Headcount"),
        "availability": _("Availability"),
        "state": _("State"),
        "transport": _("Transport"),
        "port": _("Port of entry"),
        # The port-of-entry status board's colours, each with its word.
        "port_statuses": port_board.status_labels(),
        "port_no_status": _("No status reported"),
        "us_lanes": _("US lanes"),
        "mx_lanes": _("Mexican lanes"),
        "port_board": _("Status board"),
        "incident": _("Incident"),
        "hours": _("Hours"),
        "open_all_day": _("Open 24 hours"),
        "provisional": _("Hours unconfirmed: check before relying on them."),
        "load_failed": _("A map layer could not be loaded."),
        "unit": _("Unit"),
        "request": _("Request"),
        "eta": _("Arrival (ETA)"),
        "air": _("By air"),
        "ground": _("By road"),
        # Leaflet's own controls, which it labels in English.
        "zoom_in": _("Zoom in"),
        "zoom_out": _("Zoom out"),
        "layers_control": _("Layers"),
        "close_popup": _("Close popup"),
        "leaflet": _("A JavaScript library for interactive maps"),
        # The words of the layers other apps serve (settings.MAP_LABELS): border's notice
        # statuses.
        **{key: value for path in settings.MAP_LABELS
           for key, value in import_string(path)().items()},
    }


@login_required
def map_page(request):
    """The map; with `?incident=<id>` (an incident the user may see, else 404) the incident and
    deployment layers show that incident only and the map opens on it; with `?proposal=<id>`
    (a proposal the user may see, else 404) its moves are drawn on top and the map opens on
    them."""
    incident = proposal = None
    if "incident" in request.GET:
        incident = get_one(Incident.objects.restrict(request.user), request.GET["incident"])
    if "proposal" in request.GET:
        proposal = get_one(proposals_for(request.user), request.GET["proposal"])
    query = f"?incident={incident.pk}" if incident else ""
    endpoints = {key: reverse(name) + (query if key in ("incidents", "deployments") else "")
                 for key, name in LAYERS}
    order, labels = [key for key, _name in LAYERS], _labels()
    if proposal:
        endpoints["proposal"] = reverse("api:map_proposal", args=[proposal.pk])
        order.append("proposal")
        labels["layers"]["proposal"] = _("Proposed moves")
    return render(request, "response/map.html", {
        "incident": incident,
        "proposal": proposal,
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        "map_config": {"endpoints": endpoints, "order": order, "labels": labels,
                       "region": outline_bbox()},
    })


urlpatterns = [path("map/", map_page, name="map")]
