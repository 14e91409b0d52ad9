"""Border geometry for mutual aid: the distance from a point to the California–Baja California
boundary and the 16 km border zone drawn around it. Pure Python (no Django). The line itself,
great-circle distance and which side of the line a point lies on are the optimizer library's
(`allocation.travel`), so the app and the optimizer judge the border alike.

The boundary is a chain of about 10 km geodesic segments; at that scale a local equirectangular
projection around each segment is accurate to metres, far inside the line's own ≈200 m accuracy.
"""

import json
import math
from functools import lru_cache

from allocation.travel import BOUNDARY_FILE, EARTH_RADIUS_KM, great_circle_km, side_of_boundary

__all__ = ["BORDER_ZONE_KM", "EARTH_RADIUS_KM", "boundary", "border_zone_polygon",
           "distance_to_boundary_km", "great_circle_km", "in_border_zone", "side_of_boundary"]

# The 1999 wildfire-protection agreement's border zone: 10 miles (16 km) each side of the line.
BORDER_ZONE_KM = 16.0


@lru_cache(maxsize=1)
def boundary():
    """The boundary line as [(lon, lat), ...], west to east, and the file's properties (method,
    accuracy, sources) for the map."""
    collection = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    line = collection["features"][0]
    return [tuple(p) for p in line["geometry"]["coordinates"]], line["properties"]


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
