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
           "country_of_point", "distance_to_boundary_km", "great_circle_km", "in_border_zone",
           "side_of_boundary"]

# The 1999 wildfire-protection agreement's border zone: 10 miles (16 km) each side of the line.
BORDER_ZONE_KM = 16.0


@lru_cache(maxsize=1)
def boundary():
    """The boundary line as [(lon, lat), ...], west to east, and the file's properties (method,
    accuracy, sources) for the map."""
    collection = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    line = collection["features"][0]
    return [tuple(p) for p in line["geometry"]["coordinates"]], line["properties"]


def _judged_boxes():
    """(south, north, west, east) boxes where the side of the line tells the country: California
    west of the line's east end, northern Baja California likewise, and the rest of the
    peninsula and its gulf, all Mexico. Outside them (Arizona, Sonora beside it, anywhere else)
    the side of the line says nothing."""
    east = boundary()[0][-1][0]
    return ((32.0, 42.1, -124.6, east), (31.3, 32.0, -118.5, east),
            (22.8, 31.3, -118.5, -109.4))


def country_of_point(lat, lon):
    """"USA" or "MEX" for a point in California or the Baja California peninsula (the side of the
    line it lies on); None elsewhere, where the line cannot tell."""
    for south, north, west, east in _judged_boxes():
        if south <= lat <= north and west <= lon <= east:
            return side_of_boundary(lat, lon)
    return None


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


def _bearing(lat, lon, lat2, lon2):
    """The initial great-circle bearing from the first point to the second, in degrees."""
    p1, p2, dl = math.radians(lat), math.radians(lat2), math.radians(lon2 - lon)
    return math.degrees(math.atan2(math.sin(dl) * math.cos(p2),
                                   math.cos(p1) * math.sin(p2)
                                   - math.sin(p1) * math.cos(p2) * math.cos(dl)))


def _destination(lat, lon, bearing, km):
    """The point km along the great circle leaving (lat, lon) at bearing, as [lon, lat]."""
    p1, t, d = math.radians(lat), math.radians(bearing), km / EARTH_RADIUS_KM
    p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(t))
    l2 = math.radians(lon) + math.atan2(math.sin(t) * math.sin(d) * math.cos(p1),
                                        math.cos(d) - math.sin(p1) * math.sin(p2))
    return [round(math.degrees(l2), 5), round(math.degrees(p2), 5)]


def _arc(start, sweep, step):
    """Bearings from start through start + sweep (degrees), at most step apart."""
    n = max(1, math.ceil(abs(sweep) / step))
    return [start + sweep * k / n for k in range(n + 1)]


def border_zone_polygon(zone_km=BORDER_ZONE_KM, step=4.0):
    """A GeoJSON Polygon of the zone: every point within zone_km of the line, the shape
    `in_border_zone` decides (a buffer with round ends bulging outward, past the coast and the
    river). Each vertex is placed on the sphere by bearing and distance from a vertex of the line,
    so no map projection distorts it. On the outer side of a turn the offset follows an arc
    around the vertex, on the inner side it meets at the mitre; the line turns gently, so the
    mitres stay within their segments. Arcs are chords at most `step` degrees apart (16 km × (1 −
    cos 2°) ≈ 10 m inside the true circle)."""
    points, _ = boundary()
    last = len(points) - 1
    right, left = [], []  # the sides of the line seen walking west to east: south, north
    for i, (lon, lat) in enumerate(points):
        ahead = _bearing(lat, lon, points[i + 1][1], points[i + 1][0]) if i < last else None
        behind = (_bearing(lat, lon, points[i - 1][1], points[i - 1][0]) + 180 if i > 0
                  else None)
        if i == 0:
            # The west end: around the back of the line from north to south.
            cap = [_destination(lat, lon, b, zone_km) for b in _arc(ahead - 90, -180, step)]
            left.append(cap[::-1])
            right.append([])
            continue
        if i == last:
            # The east end: around the front of the line from south to north.
            right.append([_destination(lat, lon, b, zone_km)
                          for b in _arc(behind + 90, -180, step)])
            left.append([])
            continue
        turn = (ahead - behind + 180) % 360 - 180  # > 0: the line turns right (clockwise)
        mitre_km = zone_km / math.cos(math.radians(turn / 2))
        for side, normal, inner in ((right, 90, turn > 0), (left, -90, turn < 0)):
            if inner:
                side.append([_destination(lat, lon, behind + normal + turn / 2, mitre_km)])
            else:
                side.append([_destination(lat, lon, b, zone_km)
                             for b in _arc(behind + normal, turn, step)])
    # Counterclockwise (RFC 7946): east along the south side and the east cap, back west along
    # the north side and round the west cap.
    ring = [p for run in right for p in run] + [p for run in left[::-1] for p in run[::-1]]
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}
