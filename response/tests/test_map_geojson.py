"""The map's GeoJSON layers under /api/v1/map/: RFC 7946 FeatureCollections in [lon, lat]
order, names in the reader's language, and releasability — a Mexican user never gets a
US-only incident, unit or deployment, nor the position of an incident through a deployment."""

import jsonschema_rs
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from response.api.geojson import OUTLINE_FILE
from response.models import Deployment, Incident, OfferLine, PortOfEntry, Unit
from response.tests.factories import (
    add_roster_member,
    make_agreement,
    make_deployment,
    make_incident,
    make_offer,
    make_request,
    make_unit,
)
from response.tests.test_border_zone import inside

PALISADES = [-118.5265, 34.0481]
TIJUANA = [-117.0382, 32.5149]
# A square drawn clockwise (as d3 and many tools draw it): RFC 7946 wants it turned.
CLOCKWISE = [[-118.55, 34.03], [-118.55, 34.07], [-118.50, 34.07], [-118.50, 34.03],
             [-118.55, 34.03]]


def signed_area(ring):
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False))


def positions(geometry):
    """Every [lon, lat] position of a geometry."""
    depth = {"Point": 0, "LineString": 1, "MultiPoint": 1, "Polygon": 2,
             "MultiLineString": 2, "MultiPolygon": 3}[geometry["type"]]
    items = [geometry["coordinates"]]
    for _level in range(depth):
        items = [p for item in items for p in item]
    return items


def layer(client, name, **params):
    """GET one layer and check the FeatureCollection is valid RFC 7946 of this region."""
    response = client.get(f"/api/v1/map/{name}", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/geo+json")
    data = response.json()
    assert data["type"] == "FeatureCollection"
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["properties"], dict)
        for lon, lat in positions(feature["geometry"]):
            # [longitude, latitude]: the region's longitudes are all west of -100.
            assert -138 <= lon <= -100 and 18 <= lat <= 43, (lon, lat)
        if feature["geometry"]["type"] == "Polygon":
            exterior, *holes = feature["geometry"]["coordinates"]
            assert exterior[0] == exterior[-1]
            assert signed_area(exterior) > 0, "exterior rings run counterclockwise"
            assert all(signed_area(hole) < 0 for hole in holes)
    return data["features"]


def spanish(label):
    """A choice label as a Spanish reader gets it."""
    with translation.override("es"):
        return str(label)


def ids(features, **where):
    return {f["properties"]["id"] for f in features
            if all(f["properties"].get(k) == v for k, v in where.items())}


@pytest.fixture
def us(us_coordinator, client_for):
    return us_coordinator, client_for(us_coordinator)


@pytest.fixture
def mx(mx_liaison, client_for):
    return mx_liaison, client_for(mx_liaison, HTTP_ACCEPT_LANGUAGE="es")


def test_every_layer_needs_a_signed_in_user(db):
    for name in ("incidents", "boundary", "border-zone", "ports-of-entry", "units",
                 "deployments", "outline"):
        assert Client().get(f"/api/v1/map/{name}").status_code == 401


# ---- Incidents -------------------------------------------------------------------------------

def test_incidents_are_points_and_perimeters_in_lon_lat_order_named_in_the_readers_language(
        us, mx):
    incident = make_incident(us[0], perimeter={"type": "Polygon", "coordinates": [CLOCKWISE]})
    features = layer(mx[1], "incidents")
    location = next(f for f in features if f["properties"]["feature"] == "location")
    perimeter = next(f for f in features if f["properties"]["feature"] == "perimeter")
    assert location["geometry"] == {"type": "Point", "coordinates": PALISADES}
    assert location["id"] == f"incident-{incident.pk}"
    assert perimeter["geometry"]["coordinates"] == [CLOCKWISE[::-1]]
    props = location["properties"]
    assert props["name"] == "Incendio Palisades Fire"
    assert props["status_label"] == spanish(Incident.Status.ACTIVE.label)
    assert props["channel"] == "national" and props["border_distance_km"] > 100
    assert props["url"] == incident.get_absolute_url()
    assert layer(us[1], "incidents")[0]["properties"]["name"] == "Palisades Fire"


def test_a_border_zone_incident_has_the_direct_channel(us):
    make_incident(us[0], name="Otay Mountain Fire", latitude=32.60, longitude=-116.85)
    (feature,) = layer(us[1], "incidents")
    assert feature["properties"]["channel"] == "direct"
    assert feature["properties"]["border_distance_km"] < 16


@pytest.mark.parametrize("perimeter", [
    {"type": "Polygon", "coordinates": [[[-118.5, 34.0], [-118.4, 34.1]]]},  # not a ring
    {"type": "Polygon", "coordinates": [[["x", 34.0], [-118.4, 34.1], [-118.3, 34.0],
                                         ["x", 34.0]]]},
    {"type": "Point", "coordinates": [-118.5, 34.0]},
    "not geometry",
])
def test_a_malformed_perimeter_is_left_off_and_the_incident_still_shows(us, perimeter):
    make_incident(us[0], perimeter=perimeter)
    features = layer(us[1], "incidents")
    assert [f["properties"]["feature"] for f in features] == ["location"]


def test_a_feature_or_multipolygon_perimeter_is_accepted(us):
    make_incident(us[0], perimeter={"type": "Feature", "properties": {}, "geometry": {
        "type": "MultiPolygon", "coordinates": [[CLOCKWISE]]}})
    perimeter = next(f for f in layer(us[1], "incidents")
                     if f["properties"]["feature"] == "perimeter")
    assert perimeter["geometry"]["type"] == "MultiPolygon"
    assert signed_area(perimeter["geometry"]["coordinates"][0][0]) > 0


def test_incidents_layer_obeys_releasability(us, mx):
    released = make_incident(us[0], name="Eaton Fire")
    us_only = make_incident(us[0], name="Airport Fire", rel_to=())
    not_yet_approved = make_incident(us[0], name="Hughes Fire", disclosure="in_review")
    mexican = make_incident(mx[0], name="Tecate", latitude=32.57, longitude=-116.63,
                            rel_to=("USA",))
    mexican_only = make_incident(mx[0], name="Ensenada", latitude=31.87, longitude=-116.6,
                                 rel_to=())
    assert ids(layer(mx[1], "incidents")) == {released.pk, mexican.pk, mexican_only.pk}
    assert ids(layer(us[1], "incidents")) == {released.pk, us_only.pk, not_yet_approved.pk,
                                              mexican.pk}


def test_incidents_layer_filters_by_incident_and_status(us, mx):
    first = make_incident(us[0], name="Eaton Fire")
    second = make_incident(us[0], name="Kenneth Fire", status="contained")
    us_only = make_incident(us[0], name="Airport Fire", rel_to=())
    assert ids(layer(us[1], "incidents", incident=first.pk)) == {first.pk}
    assert ids(layer(us[1], "incidents", status="contained")) == {second.pk}
    assert layer(mx[1], "incidents", incident=us_only.pk) == []


def test_bad_filters_are_validation_errors(us):
    client = us[1]
    assert client.get("/api/v1/map/incidents", {"incident": "abc"}).status_code == 422
    assert client.get("/api/v1/map/incidents", {"status": "burning"}).status_code == 422
    assert client.get("/api/v1/map/deployments", {"state": "lost"}).status_code == 422
    assert client.get("/api/v1/map/units", {"availability": "maybe"}).status_code == 422


# ---- Reference layers ------------------------------------------------------------------------

def test_boundary_is_the_line_west_to_east(us, mx):
    (line,) = layer(mx[1], "boundary")
    coordinates = line["geometry"]["coordinates"]
    assert line["geometry"]["type"] == "LineString"
    assert coordinates[0] == [-117.1241, 32.53425] and coordinates[-1] == [-114.7196, 32.7185]
    assert line["properties"]["name"].startswith("Límite internacional")
    assert layer(us[1], "boundary")[0]["properties"]["name"].startswith("California–Baja")


def test_border_zone_is_a_closed_polygon_around_the_line(us):
    (zone,) = layer(us[1], "border-zone")
    ring = zone["geometry"]["coordinates"][0]
    assert zone["properties"]["zone_km"] == 16
    lats = [p[1] for p in ring]
    # 16 km is about 0.144° of latitude each side of a line between 32.53° and 32.72°.
    assert 32.3 < min(lats) < 32.45 and 32.8 < max(lats) < 32.9


def test_ports_of_entry_with_their_hours(mx):
    features = layer(mx[1], "ports-of-entry")
    assert len(features) == PortOfEntry.objects.count() > 5
    by_key = {f["properties"]["key"]: f["properties"] for f in features}
    san_ysidro = PortOfEntry.objects.get(name_en__startswith="San Ysidro")
    props = by_key[san_ysidro.key]
    assert props["open_all_day"] is True and props["opens"] is None
    assert props["time_zone"] == "America/Los_Angeles"
    timed = next(p for p in by_key.values() if not p["open_all_day"])
    assert len(timed["opens"]) == 5 and len(timed["closes"]) == 5
    assert timed["days_label"] == spanish(PortOfEntry.Days(timed["days"]).label)
    assert props["url"] == reverse("response:port", args=[san_ysidro.key])


def test_outline_covers_both_nations_and_is_small(us, mx):
    features = layer(mx[1], "outline")
    land = {f["properties"]["nation"]: f for f in features if f["properties"]["layer"] == "land"}
    assert set(land) == {"USA", "MEX"}
    assert land["MEX"]["properties"]["name"] == "México"
    assert [f["geometry"]["type"] for f in features
            if f["properties"]["layer"] == "coast_and_borders"] == ["MultiLineString"]
    for polygon in land["USA"]["geometry"]["coordinates"]:
        assert signed_area(polygon[0]) >= 0
    assert OUTLINE_FILE.stat().st_size < 300_000


# Places the offline map must draw as land, not sea, (lat, lon).
LAND = {
    "USA": {"San Diego": (32.7157, -117.1611), "Yuma": (32.6927, -114.6277),
            "Phoenix": (33.4484, -112.0740), "Tucson": (32.2226, -110.9747),
            "Sacramento": (38.5816, -121.4944)},
    "MEX": {"Tijuana": (32.5149, -117.0382), "Mexicali": (32.6245, -115.4523),
            "Hermosillo": (29.0730, -110.9559), "La Paz": (24.1426, -110.3128),
            "Cabo San Lucas": (22.8905, -109.9167), "Mazatlán": (23.2494, -106.4111),
            "Culiacán": (24.8091, -107.3940)},
}


def test_outline_draws_both_nations_land_around_the_region(mx):
    land = {f["properties"]["nation"]: f["geometry"]["coordinates"]
            for f in layer(mx[1], "outline") if f["properties"]["layer"] == "land"}
    for nation, places in LAND.items():
        for name, (lat, lon) in places.items():
            on = [n for n, polygons in land.items()
                  if any(inside(polygon[0], lat, lon) for polygon in polygons)]
            assert on == [nation], (name, on)


def test_outline_border_is_the_boundary_line(mx):
    """Both nations' land and the drawn borders run through every vertex of the boundary the
    map draws, in order: the outline and the line coincide."""
    (line,) = layer(mx[1], "boundary")
    boundary = line["geometry"]["coordinates"]

    def runs_along(positions):
        cyclic = positions[:-1] + positions if positions[0] == positions[-1] else positions
        return any(cyclic[i:i + len(run)] == run for run in (boundary, boundary[::-1])
                   for i in range(len(cyclic) - len(run) + 1))

    features = layer(mx[1], "outline")
    for feature in features:
        geometry = feature["geometry"]
        if geometry["type"] == "MultiPolygon":
            rings = [polygon[0] for polygon in geometry["coordinates"]]
            assert sum(map(runs_along, rings)) == 1, feature["properties"]
        else:
            assert sum(runs_along(piece) for piece in geometry["coordinates"]) == 1


# ---- Units -----------------------------------------------------------------------------------

def test_units_at_their_home_base_obey_releasability(us, mx):
    released = make_unit(us[0], name="Strike Team 9")
    us_only = make_unit(us[0], name="Crew 2", rel_to=())
    committed = make_unit(us[0], name="Crew 5", availability="committed")
    features = layer(mx[1], "units")
    assert ids(features) == {released.pk, committed.pk}
    feature = next(f for f in features if f["properties"]["id"] == released.pk)
    assert feature["geometry"]["coordinates"] == [-121.4944, 38.5816]
    assert feature["properties"]["availability_label"] == spanish(Unit.Availability.AVAILABLE.label)
    assert feature["properties"]["organization"] == "CalGuard"
    assert ids(layer(us[1], "units")) == {released.pk, us_only.pk, committed.pk}
    assert ids(layer(us[1], "units", availability="committed")) == {committed.pk}


# ---- Deployments -----------------------------------------------------------------------------

@pytest.fixture
def hurricane(us, mx):
    """Baja California asks; California offers a crew from a unit released to Mexico."""
    mx_user, us_user = mx[0], us[0]
    incident = make_incident(mx_user, name="Tijuana flood", latitude=TIJUANA[1],
                             longitude=TIJUANA[0], kind="flood", state_region="BC",
                             rel_to=("USA",))
    request = make_request(mx_user, incident, number="BC-2025-001", rel_to=("USA",))
    offer = make_offer(us_user, request, rel_to=("MEX",))
    agreement = make_agreement(mx_user, us_user, request=request, offer=offer)
    return incident, agreement


def route_and_position(features, deployment):
    mine = [f for f in features if f["properties"]["id"] == deployment.pk]
    return ({f["properties"]["feature"]: f for f in mine}.get("route"),
            next(f for f in mine if f["properties"]["feature"] == "position"))


def test_ground_deployment_runs_from_the_home_base_through_the_port(us, mx, hurricane):
    incident, agreement = hurricane
    unit = make_unit(us[0], name="Strike Team 9", home_latitude=33.8807,
                     home_longitude=-117.2594)
    OfferLine.objects.filter(offer=agreement.offer).update(unit=unit)
    port = PortOfEntry.objects.get(name_en__startswith="San Ysidro")
    deployment = make_deployment(us[0], agreement, name="Cal OES convoy",
                                 transport=Deployment.Transport.GROUND, port=port,
                                 state=Deployment.State.IN_TRANSIT)
    for name in ("Ana Ruiz", "John Reyes"):
        add_roster_member(deployment, name)

    route, position = route_and_position(layer(mx[1], "deployments"), deployment)
    assert route["geometry"]["coordinates"] == [[-117.2594, 33.8807],
                                                [port.longitude, port.latitude], TIJUANA]
    assert position["geometry"] == {"type": "Point", "coordinates": TIJUANA}
    props = position["properties"]
    assert props["state"] == "in_transit" and props["state_label"] == spanish(
        Deployment.State.IN_TRANSIT.label)
    assert props["people"] == 2 and props["incident"] == incident.pk
    assert props["nation"] == "USA" and props["host_nation"] == "MEX"
    assert props["port"] == port.name_es and props["url"] == deployment.get_absolute_url()


def test_a_route_never_starts_at_a_unit_the_reader_may_not_see(us, mx, hurricane):
    _incident, agreement = hurricane
    unit = make_unit(us[0], name="Crew 2", rel_to=(), home_latitude=33.88,
                     home_longitude=-117.26)
    OfferLine.objects.filter(offer=agreement.offer).update(unit=unit)
    port = PortOfEntry.objects.get(name_en__startswith="San Ysidro")
    deployment = make_deployment(us[0], agreement, transport=Deployment.Transport.GROUND,
                                 port=port)
    route, _position = route_and_position(layer(mx[1], "deployments"), deployment)
    assert route["geometry"]["coordinates"][0] == [port.longitude, port.latitude]
    route, _position = route_and_position(layer(us[1], "deployments"), deployment)
    assert route["geometry"]["coordinates"][0] == [-117.26, 33.88]


def test_an_air_deployment_arrives_at_a_known_airport(us, mx):
    agreement = make_agreement(us[0], mx[0])
    deployment = make_deployment(mx[0], agreement, arrival_airport="March Air Reserve Base")
    route, position = route_and_position(layer(us[1], "deployments"), deployment)
    assert route["geometry"]["coordinates"] == [[-117.2594, 33.8807], PALISADES]
    assert position["properties"]["transport"] == "air"
    unknown = make_deployment(mx[0], agreement, name="Second flight", arrival_airport="Base X")
    route, position = route_and_position(layer(us[1], "deployments"), unknown)
    assert route is None and position["geometry"]["coordinates"] == PALISADES


def test_deployments_layer_obeys_releasability(us, mx, hurricane):
    _incident, agreement = hurricane
    released = make_deployment(us[0], agreement, name="Released convoy")
    us_only = make_deployment(us[0], agreement, name="US-only convoy", rel_to=("USA",))
    assert ids(layer(mx[1], "deployments")) == {released.pk}
    assert ids(layer(us[1], "deployments")) == {released.pk, us_only.pk}


def test_a_deployment_to_an_incident_the_reader_may_not_see_is_left_off(us, mx):
    # A US-only fire with a Mexican team on it: the team's position would disclose the fire.
    incident = make_incident(us[0], name="Airport Fire", rel_to=())
    request = make_request(us[0], incident, rel_to=())  # never wider than its incident
    agreement = make_agreement(us[0], mx[0], request=request)
    deployment = make_deployment(mx[0], agreement)
    assert Deployment.objects.restrict(mx[0]).filter(pk=deployment.pk).exists()
    assert layer(mx[1], "deployments") == []
    assert ids(layer(us[1], "deployments")) == {deployment.pk}


def test_deployments_layer_filters_by_incident_and_state(us, mx, hurricane):
    incident, agreement = hurricane
    assigned = make_deployment(us[0], agreement, name="Assigned crew",
                               state=Deployment.State.ASSIGNED)
    make_deployment(us[0], agreement, name="Mobilizing crew")
    elsewhere = make_deployment(mx[0], make_agreement(us[0], mx[0]), name="LA team")
    assert ids(layer(us[1], "deployments", state="assigned")) == {assigned.pk}
    assert elsewhere.pk not in ids(layer(us[1], "deployments", incident=incident.pk))
    assert len(ids(layer(us[1], "deployments", incident=incident.pk))) == 2


def test_deployments_layer_reads_in_a_constant_number_of_queries(
        us, mx, hurricane, django_assert_max_num_queries):
    _incident, agreement = hurricane
    unit = make_unit(us[0])
    OfferLine.objects.filter(offer=agreement.offer).update(unit=unit)
    port = PortOfEntry.objects.first()
    for n in range(6):
        deployment = make_deployment(us[0], agreement, name=f"Convoy {n}", port=port,
                                     transport=Deployment.Transport.GROUND)
        add_roster_member(deployment, f"Person {n}")
    # session, user (with the role's MFA state), the user's permissions (2), the deployments,
    # the incidents the reader may see, the units on their offers
    with django_assert_max_num_queries(7):
        features = layer(mx[1], "deployments")
    assert len(features) == 12


@pytest.mark.parametrize(("name", "make"), [
    ("incidents", lambda user, n: make_incident(user, name=f"Fire {n}")),
    ("units", lambda user, n: make_unit(user, name=f"Crew {n}")),
])
def test_incidents_and_units_read_in_a_constant_number_of_queries(
        us, mx, name, make, django_assert_max_num_queries):
    for n in range(6):
        make(us[0], n)
    # session, user (with the role's MFA state), the user's permissions (2), the records
    with django_assert_max_num_queries(5):
        assert len(layer(mx[1], name)) == 6


def test_the_layers_answer_what_openapi_documents(us, mx, hurricane):
    _incident, agreement = hurricane
    make_incident(us[0], perimeter={"type": "Polygon", "coordinates": [CLOCKWISE]})
    unit = make_unit(us[0])
    OfferLine.objects.filter(offer=agreement.offer).update(unit=unit)
    make_deployment(us[0], agreement, transport=Deployment.Transport.GROUND,
                    port=PortOfEntry.objects.first())
    paths = us[1].get("/api/v1/openapi.json").json()["paths"]
    for name in ("incidents", "boundary", "border-zone", "ports-of-entry", "units",
                 "deployments", "outline"):
        content = paths[f"/api/v1/map/{name}"]["get"]["responses"]["200"]["content"]
        schema = content["application/geo+json"]["schema"]
        body = mx[1].get(f"/api/v1/map/{name}").json()
        assert body["features"], name
        jsonschema_rs.validate(schema, body)
