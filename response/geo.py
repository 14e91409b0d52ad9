"""Border geometry for mutual aid: the distance from a point to the California–Baja California
boundary, which side of it a point lies on, and the 16 km border zone drawn around it. Pure
Python (no Django), so the optimizer and the codecs can use it too.

The boundary is a chain of about 10 km geodesic segments; at that scale a local equirectangular
projection around each segment is accurate to metres, far inside the line's own ≈200 m accuracy.
"""

import json
import math
from functools import lru_cache
from pathlib import Path

EARTH_RADIUS_KM = 6371.0088
# The 1999 wildfire-protection agreement's border zone: 10 miles (16 km) each side of the line.
BORDER_ZONE_KM = 16.0
BOUNDARY_FILE = Path(__file__).with_name("data") / "border_california_baja.geojson"


@lru_cache(maxsize=1)
def boundary():
    """The boundary line as [(lon, lat), ...], west to east, and the file's properties."""
    collection = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    line = collection["features"][0]
    return [tuple(p) for p in line["geometry"]["coordinates"]], line["properties"]


def great_circle_km(lat1, lon1, lat2, lon2):
    """Haversine distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _to_xy(lat, lon, lat0, lon0):
    k = math.radians(1) * EARTH_RADIUS_KM
    return (lon - lon0) * k * math.cos(math.radians(lat0)), (lat - lat0) * k


def _segment_km(lat, lon, a, b):
    """Distance from the point to segment a-b ((lon, lat) pairs) in km."""
    if great_circle_km(lat, lon, a[1], a[0]) > 400 and great_circle_km(lat, lon, b[1], b[0]) > 400:
        # Far away the projection bends: the nearer endpoint is the honest answer.
        return min(great_circle_km(lat, lon, a[1], a[0]), great_circle_km(lat, lon, b[1], b[0]))
    ax, ay = _to_xy(a[1], a[0], lat, lon)
    bx, by = _to_xy(b[1], b[0], lat, lon)
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / length2))
    return math.hypot(ax + t * dx, ay + t * dy)


def distance_to_boundary_km(lat, lon):
    """The shortest distance from the point to the boundary line, in kilometres."""
    points, _ = boundary()
    return min(_segment_km(lat, lon, a, b) for a, b in zip(points, points[1:], strict=False))


def side_of_boundary(lat, lon):
    """"USA" north of the line, "MEX" south of it, judged at the point's longitude (clamped to
    the line's ends, beyond which the boundary follows the river and then other states)."""
    points, _ = boundary()
    lon_c = max(points[0][0], min(points[-1][0], lon))
    for a, b in zip(points, points[1:], strict=False):
        if a[0] <= lon_c <= b[0]:
            t = 0.0 if b[0] == a[0] else (lon_c - a[0]) / (b[0] - a[0])
            return "USA" if lat >= a[1] + t * (b[1] - a[1]) else "MEX"
    return "USA" if lat >= points[-1][1] else "MEX"


def in_border_zone(lat, lon, zone_km=BORDER_ZONE_KM):
    return distance_to_boundary_km(lat, lon) <= zone_km


def border_zone_polygon(zone_km=BORDER_ZONE_KM, cap_points=8):
    """A GeoJSON Polygon of the zone: the line offset zone_km to each side, with round caps at
    the ends. Each vertex is moved along the bisector of its neighbouring segments' normals."""
    points, _ = boundary()
    lat0 = sum(p[1] for p in points) / len(points)
    ky = math.radians(1) * EARTH_RADIUS_KM
    kx = ky * math.cos(math.radians(lat0))

    def normal(a, b):
        dx, dy = (b[0] - a[0]) * kx, (b[1] - a[1]) * ky
        length = math.hypot(dx, dy)
        return -dy / length, dx / length

    normals = []
    for i in range(len(points)):
        ns = [normal(points[j], points[j + 1]) for j in (i - 1, i) if 0 <= j < len(points) - 1]
        nx, ny = sum(n[0] for n in ns), sum(n[1] for n in ns)
        length = math.hypot(nx, ny)
        normals.append((nx / length, ny / length))

    def offset(p, n, sign):
        return [round(p[0] + sign * n[0] * zone_km / kx, 5),
                round(p[1] + sign * n[1] * zone_km / ky, 5)]

    def cap(p, n, start_angle):
        base = math.atan2(n[1], n[0])
        return [[round(p[0] + math.cos(base + start_angle + k * math.pi / cap_points)
                       * zone_km / kx, 5),
                 round(p[1] + math.sin(base + start_angle + k * math.pi / cap_points)
                       * zone_km / ky, 5)] for k in range(1, cap_points)]

    north = [offset(p, n, 1) for p, n in zip(points, normals, strict=True)]
    south = [offset(p, n, -1) for p, n in zip(points, normals, strict=True)]
    ring = (north + cap(points[-1], normals[-1], 0) + south[::-1]
            + cap(points[0], normals[0], math.pi))
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}
