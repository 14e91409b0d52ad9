"""The common operating picture: one Leaflet map of the layers /api/v1/map/ serves, in the
reader's language, optionally about one incident (`?incident=<id>`)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from core.views import get_one
from response.models import Deployment, Incident

# The order of the layers control; the endpoint of each layer (the API's url names).
LAYERS = [
    ("outline", "api:map_outline"),
    ("border_zone", "api:map_border_zone"),
    ("boundary", "api:map_boundary"),
    ("ports", "api:map_ports"),
    ("units", "api:map_units"),
    ("incidents", "api:map_incidents"),
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
            "deployments": _("Deployments by state"),
        },
        "tiles": _("Map tiles"),
        "states": {code: str(label) for code, label in Deployment.State.choices},
        "legend": _("Deployments by state"),
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
        "incident": _("Incident"),
        "hours": _("Hours"),
        "open_all_day": _("Open 24 hours"),
        "provisional": _("Hours unconfirmed: check before relying on them."),
        "load_failed": _("A map layer could not be loaded."),
    }


@login_required
def map_page(request):
    """The map; with `?incident=<id>` (an incident the user may see, else 404) the incident and
    deployment layers show that incident only and the map opens on it."""
    incident = None
    if "incident" in request.GET:
        incident = get_one(Incident.objects.restrict(request.user), request.GET["incident"])
    query = f"?incident={incident.pk}" if incident else ""
    endpoints = {key: reverse(name) + (query if key in ("incidents", "deployments") else "")
                 for key, name in LAYERS}
    return render(request, "response/map.html", {
        "incident": incident,
        "tile_url": settings.MAP_TILE_URL,
        "map_config": {"endpoints": endpoints, "order": [key for key, _name in LAYERS],
                       "labels": _labels()},
    })


urlpatterns = [path("map/", map_page, name="map")]
