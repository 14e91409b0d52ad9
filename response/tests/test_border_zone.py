"""The 16 km border zone the map shades is the zone the app decides with: a place is inside the
polygon exactly when `in_border_zone` says so, the round ends bulge outward past the coast and
the Colorado River, and the border towns are inside while San Diego and Ensenada are not."""

import math

import pytest

from response import geo

# Points as in response/data/places.csv and ports_of_entry.csv.
INSIDE = {
    "San Ysidro port": (32.5433, -117.0297),
    "Tijuana downtown": (32.5149, -117.0382),
    "Otay Mesa port": (32.5506, -116.9382),
    "Tecate": (32.5725, -116.6275),
    "Calexico West port": (32.6651, -115.4963),
    "Mexicali": (32.6245, -115.4523),
    "El Centro": (32.7920, -115.5631),  # 14.7 km from the line
}
OUTSIDE = {
    "San Diego downtown": (32.7157, -117.1611),  # 20.5 km
    "Playas de Rosarito": (32.3600, -117.0600),  # 19.9 km
    "Ensenada": (31.8667, -116.5964),
    "Cabo San Lucas": (22.8905, -109.9167),
}
# The app's own distance and the polygon drawn from chords may differ by metres at the edge.
EDGE_KM = 0.05


def zone_ring():
    zone = geo.border_zone_polygon()
    assert zone["type"] == "Polygon" and len(zone["coordinates"]) == 1
    ring = zone["coordinates"][0]
    assert ring[0] == ring[-1]
    return ring


def inside(ring, lat, lon):
    """Even-odd ray casting on [lon, lat] positions."""
    crossings = 0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            crossings += 1
    return crossings % 2 == 1


@pytest.fixture(scope="module")
def ring():
    return zone_ring()


@pytest.mark.parametrize("name", INSIDE)
def test_border_towns_are_inside(ring, name):
    lat, lon = INSIDE[name]
    assert geo.in_border_zone(lat, lon)
    assert inside(ring, lat, lon), name


@pytest.mark.parametrize("name", OUTSIDE)
def test_places_farther_than_16_km_are_outside(ring, name):
    lat, lon = OUTSIDE[name]
    assert geo.distance_to_boundary_km(lat, lon) > geo.BORDER_ZONE_KM + 3
    assert not inside(ring, lat, lon), name


def beyond(end, toward, km):
    """A point km past the line's end `end`, on the way from `toward` through `end`."""
    (lon, lat), (lon0, lat0) = end, toward
    kx = math.cos(math.radians(lat))
    dx, dy = (lon - lon0) * kx, lat - lat0
    length = math.hypot(dx, dy)
    degrees = km / (math.radians(1) * geo.EARTH_RADIUS_KM)
    return lat + dy / length * degrees, lon + dx / length * degrees / kx


@pytest.mark.parametrize("end", ["west", "east"])
def test_the_round_ends_bulge_outward(ring, end):
    points, _ = geo.boundary()
    tip, neighbour = (points[0], points[1]) if end == "west" else (points[-1], points[-2])
    for km in (5, 10, 15):
        lat, lon = beyond(tip, neighbour, km)
        assert abs(geo.distance_to_boundary_km(lat, lon) - km) < 0.05
        assert inside(ring, lat, lon), (end, km)
    lat, lon = beyond(tip, neighbour, 17)
    assert not inside(ring, lat, lon)
    # Inward ends would cut out the towns a few kilometres along the line from either end.
    for fraction in (0.02, 0.05):
        i = max(1, round(fraction * (len(points) - 1)))
        lon, lat = points[i] if end == "west" else points[-1 - i]
        assert inside(ring, lat, lon)


def test_membership_agrees_with_the_distance_everywhere(ring):
    """A grid about 1 km apart over the zone and beyond, and points straddling the edge across
    every vertex of the line: inside the polygon exactly when within 16 km of the line."""
    samples = [(32.15 + i * 0.01, -117.45 + j * 0.012) for i in range(95) for j in range(270)]
    points, _ = geo.boundary()
    for lon, lat in points:
        for km in (geo.BORDER_ZONE_KM - 0.1, geo.BORDER_ZONE_KM + 0.1):
            degrees = km / (math.radians(1) * geo.EARTH_RADIUS_KM)
            samples += [(lat + degrees, lon), (lat - degrees, lon)]
    checked = 0
    for lat, lon in samples:
        distance = geo.distance_to_boundary_km(lat, lon)
        if abs(distance - geo.BORDER_ZONE_KM) < EDGE_KM:
            continue
        assert inside(ring, lat, lon) == (distance <= geo.BORDER_ZONE_KM), (lat, lon, distance)
        checked += 1
    assert checked > 25_000
