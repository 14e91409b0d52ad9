"""The layers of the common operating picture as GeoJSON (RFC 7946: positions are [longitude,
latitude], exterior rings run counterclockwise), one FeatureCollection per layer under
/api/v1/map/. Every marked record is read through `restrict(user)`, so a layer shows a nation
only what is releasable to it; the reference layers (boundary, border zone, ports, outline) are
the same for everyone."""

import csv
import json
from functools import lru_cache
from typing import Literal

from django.db.models import Count, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from core.api import error_responses
from core.related import with_shown
from response import geo, port_board
from response.models import Deployment, Incident, OfferLine, PortOfEntry, RosterMember, Unit
from response.reference import DATA

router = Router(tags=["map"])

GEOJSON = "application/geo+json"
OUTLINE_FILE = DATA / "outline.geojson"


# ---- Geometry helpers ------------------------------------------------------------------------

def position(longitude, latitude):
    return [round(longitude, 6), round(latitude, 6)]


def _point(longitude, latitude):
    return {"type": "Point", "coordinates": position(longitude, latitude)}


def _signed_area(ring):
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False))


def _ring(value, exterior):
    """A closed ring of [lon, lat] numbers turned the RFC 7946 way, or None if malformed."""
    if not isinstance(value, list) or len(value) < 4:
        return None
    if not all(isinstance(p, list) and len(p) >= 2
               and all(isinstance(c, int | float) and not isinstance(c, bool) for c in p[:2])
               for p in value):
        return None
    ring = [[p[0], p[1]] for p in value]
    if ring[0] != ring[-1]:
        return None
    return ring if (_signed_area(ring) > 0) == exterior else ring[::-1]


def _polygon_rings(rings):
    if not isinstance(rings, list) or not rings:
        return None
    turned = [_ring(r, exterior=i == 0) for i, r in enumerate(rings)]
    return None if None in turned else turned


def _area_geometry(value):
    """A Polygon or MultiPolygon (or a Feature holding one) as RFC 7946 wants it, else None.
    Perimeters are user data: a malformed one is left off the map rather than breaking it."""
    if isinstance(value, dict) and value.get("type") == "Feature":
        value = value.get("geometry")
    if not isinstance(value, dict):
        return None
    if value.get("type") == "Polygon":
        rings = _polygon_rings(value.get("coordinates"))
        return {"type": "Polygon", "coordinates": rings} if rings else None
    if value.get("type") == "MultiPolygon" and isinstance(value.get("coordinates"), list):
        polygons = [_polygon_rings(p) for p in value["coordinates"]]
        if polygons and None not in polygons:
            return {"type": "MultiPolygon", "coordinates": polygons}
    return None


# Other apps' layers draw their areas (a border event's perimeter) the same way.
area_geometry = _area_geometry


def feature(geometry, properties, feature_id=None):
    made = {"type": "Feature", "geometry": geometry, "properties": properties}
    if feature_id is not None:
        made["id"] = feature_id
    return made


def feature_collection(features):
    body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
    return HttpResponse(body, content_type=f"{GEOJSON}; charset=utf-8")


def _iso(moment):
    return moment.isoformat() if moment else None


def _spanish():
    return (get_language() or "en").startswith("es")


@lru_cache(maxsize=1)
def _places():
    """Named places (airports, bases) by name, to place an air deployment's arrival."""
    with open(DATA / "places.csv", encoding="utf-8", newline="") as f:
        return {row["name"]: (float(row["longitude"]), float(row["latitude"]))
                for row in csv.DictReader(f)}


@lru_cache(maxsize=1)
def _outline():
    return json.loads(OUTLINE_FILE.read_text(encoding="utf-8"))


def outline_bbox():
    """The outline's extent as [west, south, east, north]: the map keeps its view inside it, so
    no land outside the outline is ever drawn as sea."""
    return _outline()["bbox"]


# ---- OpenAPI: each layer's FeatureCollection, documented as application/geo+json -------------

STR, INT, NUM, BOOL = ({"type": "string"}, {"type": "integer"}, {"type": "number"},
                       {"type": "boolean"})
OPT_STR, OPT_INT = {"type": ["string", "null"]}, {"type": ["integer", "null"]}


def layer_schema(description, geometry_types, properties):
    one = {
        "type": "object", "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"const": "Feature"},
            "id": STR,
            "geometry": {"type": "object", "required": ["type", "coordinates"], "properties": {
                "type": {"enum": geometry_types},
                "coordinates": {"type": "array",
                                "description": "RFC 7946 positions: [longitude, latitude]"}}},
            "properties": {"type": "object", "required": list(properties),
                           "properties": properties},
        },
    }
    collection = {"type": "object", "required": ["type", "features"], "properties": {
        "type": {"const": "FeatureCollection"}, "features": {"type": "array", "items": one}}}
    return {"responses": {200: {"description": description,
                                "content": {GEOJSON: {"schema": collection}}}}}


INCIDENT_PROPERTIES = {
    "id": INT, "feature": {"enum": ["location", "perimeter"]}, "name": STR, "kind": STR,
    "kind_label": STR, "status": STR, "status_label": STR, "channel": STR,
    "channel_label": STR, "border_distance_km": NUM, "nation": STR, "started_at": STR,
    "url": STR,
}
UNIT_PROPERTIES = {
    "id": INT, "name": STR, "organization": STR, "nation": STR, "kind": STR, "kind_name": STR,
    "home_base": STR, "headcount": INT, "availability": STR, "availability_label": STR,
    "available_from": OPT_STR, "available_until": OPT_STR, "held_for_home_coverage": BOOL,
    "cross_border_eligible": BOOL, "air_capable": BOOL, "url": STR,
}
DEPLOYMENT_PROPERTIES = {
    "id": INT, "feature": {"enum": ["route", "position"]}, "name": STR, "state": STR,
    "state_label": STR, "transport": STR, "transport_label": STR,
    "sending_organization": STR, "nation": STR, "host_nation": STR, "incident": INT,
    "incident_name": STR, "port": OPT_STR, "arrival_airport": STR,
    "planned_crossing_at": OPT_STR, "people": INT, "url": STR,
}
PORT_PROPERTIES = {
    "id": INT, "key": STR, "code": STR, "name": STR, "us_city": STR, "mx_city": STR,
    "commercial": BOOL, "open_all_day": BOOL, "opens": OPT_STR, "closes": OPT_STR,
    "days": STR, "days_label": STR, "hours_provisional": BOOL, "hours_text": STR,
    "time_zone": STR, "url": STR,
    # The port-of-entry status board (response.port_board.map_properties): each side's
    # current status as the reader may see it, and the worse of the two.
    "status": {"enum": ["open", "restricted", "closed", None]}, "status_label": OPT_STR,
    "status_usa": {"enum": ["open", "restricted", "closed", None]}, "status_usa_text": STR,
    "status_mex": {"enum": ["open", "restricted", "closed", None]}, "status_mex_text": STR,
    "board_url": OPT_STR,
}

IncidentStatus = Literal["active", "contained", "closed"]
DeploymentState = Literal["mobilizing", "in_transit", "arrived", "onboarding", "assigned",
                          "demobilizing", "returned", "closed"]
Availability = Literal["available", "committed", "deployed", "out_of_service"]


class IncidentLayerQuery(Schema):
    incident: int | None = Field(None, ge=1, le=2**63 - 1, description="Only this incident")
    status: IncidentStatus | None = None


class DeploymentLayerQuery(Schema):
    incident: int | None = Field(None, ge=1, le=2**63 - 1,
                                 description="Only deployments to this incident")
    state: DeploymentState | None = None


class UnitLayerQuery(Schema):
    availability: Availability | None = None


# ---- Layers ----------------------------------------------------------------------------------

@router.get("/map/incidents", url_name="map_incidents", response=error_responses(422),
            openapi_extra=layer_schema(
                "Incidents you may see: a location point each, and the perimeter where drawn",
                ["Point", "Polygon", "MultiPolygon"], INCIDENT_PROPERTIES))
def incidents_layer(request, query: Query[IncidentLayerQuery]):
    """Incidents releasable to your nation: each as a point (`feature: location`) and, where
    drawn, its perimeter (`feature: perimeter`), with the request channel derived from the
    distance to the boundary. Names in your language."""
    incidents = (Incident.objects.restrict(request.user).select_related("country")
                 .prefetch_related(None))  # the layers show no markings
    if query.incident is not None:
        incidents = incidents.filter(pk=query.incident)
    if query.status:
        incidents = incidents.filter(status=query.status)
    features = []
    for incident in incidents:
        properties = {
            "id": incident.pk, "name": incident.name, "kind": incident.kind,
            "kind_label": incident.get_kind_display(), "status": incident.status,
            "status_label": incident.get_status_display(), "channel": incident.request_channel,
            "channel_label": incident.get_request_channel_display(),
            "border_distance_km": incident.border_distance_km, "nation": incident.country.code,
            "started_at": _iso(incident.started_at), "url": incident.get_absolute_url(),
        }
        perimeter = _area_geometry(incident.perimeter)
        if perimeter:
            features.append(feature(perimeter, {**properties, "feature": "perimeter"},
                                    f"incident-{incident.pk}-perimeter"))
        features.append(feature(_point(incident.longitude, incident.latitude),
                                {**properties, "feature": "location"},
                                f"incident-{incident.pk}"))
    return feature_collection(features)


@router.get("/map/boundary", url_name="map_boundary", response=error_responses(),
            openapi_extra=layer_schema(
                "The California–Baja California boundary line", ["LineString"],
                {"name": STR, "length_km": NUM, "accuracy": STR, "datum": STR}))
def boundary_layer(request):
    """The California–Baja California international boundary, west to east (computed, within
    about 200 m of the true line: not for legal or survey use)."""
    points, about = geo.boundary()
    name = (about.get("name_es") if _spanish() else None) or about["name"]
    return feature_collection([feature(
        {"type": "LineString", "coordinates": [list(p) for p in points]},
        {"name": name, "length_km": about["length_km"], "accuracy": about["accuracy"],
         "datum": about["datum"]}, "boundary")])


@router.get("/map/border-zone", url_name="map_border_zone", response=error_responses(),
            openapi_extra=layer_schema(
                "The 16 km border zone of the 1999 wildfire agreement", ["Polygon"],
                {"name": STR, "zone_km": NUM}))
def border_zone_layer(request):
    """The border zone: 16 km (10 miles) each side of the line, inside which neighbouring
    agencies may ask each other for help directly."""
    zone = _area_geometry(geo.border_zone_polygon())
    return feature_collection([feature(
        zone, {"name": _("Border zone (16 km each side of the line)"),
               "zone_km": geo.BORDER_ZONE_KM}, "border-zone")])


@router.get("/map/ports-of-entry", url_name="map_ports", response=error_responses(),
            openapi_extra=layer_schema("Land ports of entry with their hours", ["Point"],
                                       PORT_PROPERTIES))
def ports_layer(request):
    """The land ports of entry on the California–Baja California border, with the hours Enlace
    plans crossings with (local time of the border; `open_all_day` when open 24 hours), and
    each side's current status on the port-of-entry status board as you may see it."""
    board = port_board.board_by_key(request.user)
    features = [feature(_point(port.longitude, port.latitude), {
        "id": port.pk, "key": port.key, "code": port.code, "name": port.name,
        "us_city": port.us_city, "mx_city": port.mx_city, "commercial": port.commercial,
        "open_all_day": port.open_all_day,
        "opens": None if port.open_all_day else port.opens.strftime("%H:%M"),
        "closes": None if port.open_all_day else port.closes.strftime("%H:%M"),
        "days": port.days, "days_label": port.get_days_display(),
        "hours_provisional": port.hours_provisional, "hours_text": port.hours_text,
        "time_zone": PortOfEntry.TIME_ZONE, "url": reverse("response:port", args=[port.key]),
        **port_board.map_properties(board.get(port.key)),
    }, f"port-{port.pk}") for port in PortOfEntry.objects.all()]
    return feature_collection(features)


@router.get("/map/units", url_name="map_units", response=error_responses(422),
            openapi_extra=layer_schema("Home bases of the units you may see", ["Point"],
                                       UNIT_PROPERTIES))
def units_layer(request, query: Query[UnitLayerQuery]):
    """Units releasable to your nation, each at its home base, with its availability."""
    units = (Unit.objects.restrict(request.user).select_related("organization", "kind")
             .prefetch_related(None))
    if query.availability:
        units = units.filter(availability=query.availability)
    features = [feature(_point(unit.home_longitude, unit.home_latitude), {
        "id": unit.pk, "name": unit.name, "organization": unit.organization.acronym,
        "nation": unit.owner_nation.code, "kind": unit.kind.code, "kind_name": unit.kind.name,
        "home_base": unit.home_base, "headcount": unit.headcount,
        "availability": unit.availability, "availability_label": unit.get_availability_display(),
        "available_from": _iso(unit.available_from), "available_until": _iso(unit.available_until),
        "held_for_home_coverage": unit.held_for_home_coverage,
        "cross_border_eligible": unit.cross_border_eligible, "air_capable": unit.air_capable,
        "url": unit.get_absolute_url(),
    }, f"unit-{unit.pk}") for unit in units]
    return feature_collection(features)


def _origins(user, deployments):
    """Where each deployment set out from, where known: the home base of the first unit on its
    offer that the reader may see. {offer id: (lon, lat)}."""
    lines = (OfferLine.objects
             .filter(offer_id__in={d.agreement.offer_id for d in deployments},
                     unit__in=Unit.objects.restrict(user).values("pk"))
             .select_related("unit").order_by("pk"))
    origins = {}
    for line in lines:
        origins.setdefault(line.offer_id, (line.unit.home_longitude, line.unit.home_latitude))
    return origins


@router.get("/map/deployments", url_name="map_deployments", response=error_responses(422),
            openapi_extra=layer_schema(
                "Deployments you may see: the route where known and a point at the incident",
                ["LineString", "Point"], DEPLOYMENT_PROPERTIES))
def deployments_layer(request, query: Query[DeploymentLayerQuery]):
    """Deployments releasable to your nation, coloured by `state`: a route (`feature: route`)
    from the sending unit's home base (where known) through the port of entry (ground) or the
    airport of arrival (air, where it is a known place) to the incident, and a point at the
    incident (`feature: position`). A deployment to an incident you may not see (core.related)
    is left off: its position would disclose the incident. `people`: the roster members you
    may see."""
    user = request.user
    visible_roster = RosterMember.objects.restrict(user).values("pk")
    deployments = (Deployment.objects.restrict(user)
                   .select_related("agreement", "incident", "port", "sending_organization",
                                   "host_nation")
                   .prefetch_related(None)
                   .annotate(people=Count("roster", filter=Q(roster__in=visible_roster))))
    if query.incident is not None:
        deployments = deployments.filter(incident_id=query.incident)
    if query.state:
        deployments = deployments.filter(state=query.state)
    deployments = [d for d in with_shown(user, deployments, "incident")
                   if d.incident_shown.visible]
    origins = _origins(user, deployments)
    features = []
    for deployment in deployments:
        incident = deployment.incident
        target = (incident.longitude, incident.latitude)
        properties = {
            "id": deployment.pk, "name": deployment.name, "state": deployment.state,
            "state_label": deployment.get_state_display(), "transport": deployment.transport,
            "transport_label": deployment.get_transport_display(),
            "sending_organization": deployment.sending_organization.acronym,
            "nation": deployment.owner_nation.code,
            "host_nation": deployment.host_nation.code, "incident": incident.pk,
            "incident_name": incident.name,
            "port": deployment.port.name if deployment.port else None,
            "arrival_airport": deployment.arrival_airport,
            "planned_crossing_at": _iso(deployment.planned_crossing_at),
            "people": deployment.people, "url": deployment.get_absolute_url(),
        }
        if deployment.transport == Deployment.Transport.GROUND and deployment.port:
            via = (deployment.port.longitude, deployment.port.latitude)
        else:
            via = _places().get(deployment.arrival_airport)
        vertices = [v for v in (origins.get(deployment.agreement.offer_id), via, target) if v]
        vertices = [v for i, v in enumerate(vertices) if i == 0 or v != vertices[i - 1]]
        if len(vertices) > 1:
            features.append(feature(
                {"type": "LineString", "coordinates": [position(*v) for v in vertices]},
                {**properties, "feature": "route"}, f"deployment-{deployment.pk}-route"))
        features.append(feature(_point(*target), {**properties, "feature": "position"},
                                f"deployment-{deployment.pk}"))
    return feature_collection(features)


@router.get("/map/outline", url_name="map_outline", response=error_responses(),
            openapi_extra=layer_schema(
                "Land and coastlines of the California–Baja California region",
                ["MultiPolygon", "MultiLineString"],
                {"layer": {"enum": ["land", "coast_and_borders"]}}))
def outline_layer(request):
    """An offline outline of the region (Natural Earth 1:10m, public domain): the land of the
    United States and Mexico (`layer: land`, with `nation` and `name`) and their coastlines and
    land borders (`layer: coast_and_borders`). The map's base when there are no tiles."""
    features = []
    for shape in _outline()["features"]:
        properties = dict(shape["properties"])
        if "name_en" in properties:
            properties["name"] = properties["name_es" if _spanish() else "name_en"]
        features.append({**shape, "properties": properties})
    return feature_collection(features)
