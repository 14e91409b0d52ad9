"""Builds outline.geojson, the map's offline outline, from Natural Earth's 1:10m countries as
the npm package world-atlas ships them (countries-10m.json, TopoJSON). Run once by hand when the
outline or the boundary changes; nothing reads Natural Earth at run time:

    python response/data/build_outline.py countries-10m.json > response/data/outline.geojson

The United States and Mexico, clipped to BOX. Along California–Baja California the two
countries' shared border is replaced by the project's boundary line (the line the map draws and
the app measures from), so the land, the coast-and-borders lines and the boundary coincide.
"""

import json
import sys
from pathlib import Path

# West, south, east, north: California, Arizona, both Baja Californias, Sonora and the mainland
# Pacific coast beyond Los Cabos' latitude, with room around them (to the west only sea).
BOX = (-138.0, 18.0, -100.0, 43.0)
NATIONS = {"840": ("USA", "United States", "Estados Unidos"), "484": ("MEX", "Mexico", "México")}
BOUNDARY = Path(__file__).parents[2] / "allocation" / "data" / "border_california_baja.geojson"
DIGITS = 3  # ≈100 m, finer than the source's quantization (≈340 m × 190 m here)
END_KM = 1.5  # how near Natural Earth's border must pass the boundary's ends


def decode_arcs(topology):
    """Every arc as [(lon, lat), ...], undoing TopoJSON's quantization and delta encoding."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(x * sx + tx, DIGITS), round(y * sy + ty, DIGITS)))
        arcs.append(points)
    return arcs


def arc_indexes(geometry):
    found = set()

    def walk(item):
        if isinstance(item, int):
            found.add(item if item >= 0 else ~item)
        else:
            for child in item:
                walk(child)

    walk(geometry["arcs"])
    return found


def near_km(a, b):
    """Rough distance in km between (lon, lat) points a few kilometres apart."""
    return ((a[0] - b[0]) * 94) ** 2 + ((a[1] - b[1]) * 111) ** 2 <= END_KM ** 2


def splice_boundary(arcs, shared, line):
    """Replace, in the arc the two countries share, the run between the points nearest the
    boundary's ends with the boundary itself (in the arc's direction)."""
    for index in shared:
        arc = arcs[index]
        ends = [min(range(len(arc)), key=lambda i, p=p: (arc[i][0] - p[0]) ** 2
                    + (arc[i][1] - p[1]) ** 2) for p in (line[0], line[-1])]
        if all(near_km(arc[i], p) for i, p in zip(ends, (line[0], line[-1]), strict=True)):
            west, east = ends
            low, high = sorted(ends)
            run = line if west < east else line[::-1]
            # The arc's own ends stay: the coast and the river arcs join there.
            arcs[index] = arc[:max(low, 1)] + run + arc[min(high + 1, len(arc) - 1):]
            return
    sys.exit("No shared arc passes both ends of the boundary line.")


def ring(arcs, indexes):
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def clip_ring(points, box):
    """Sutherland–Hodgman against each side of the box; [] when nothing is left."""
    west, south, east, north = box
    sides = [(lambda p: p[0] >= west, lambda a, b: cut_x(a, b, west)),
             (lambda p: p[0] <= east, lambda a, b: cut_x(a, b, east)),
             (lambda p: p[1] >= south, lambda a, b: cut_y(a, b, south)),
             (lambda p: p[1] <= north, lambda a, b: cut_y(a, b, north))]
    points = points[:-1]
    for keep, cut in sides:
        clipped = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if keep(current):
                if not keep(previous):
                    clipped.append(cut(previous, current))
                clipped.append(current)
            elif keep(previous):
                clipped.append(cut(previous, current))
        points = clipped
        if not points:
            return []
    points = [p for i, p in enumerate(points) if p != points[i - 1]]
    return points + points[:1] if len(points) >= 3 else []


def cut_x(a, b, x):
    t = (x - a[0]) / (b[0] - a[0])
    return (round(x, DIGITS), round(a[1] + t * (b[1] - a[1]), DIGITS))


def cut_y(a, b, y):
    t = (y - a[1]) / (b[1] - a[1])
    return (round(a[0] + t * (b[0] - a[0]), DIGITS), round(y, DIGITS))


def clip_segment(a, b, box):
    """Liang–Barsky: the part of segment a-b inside the box, or None."""
    west, south, east, north = box
    dx, dy = b[0] - a[0], b[1] - a[1]
    low, high = 0.0, 1.0
    for p, q in ((-dx, a[0] - west), (dx, east - a[0]), (-dy, a[1] - south), (dy, north - a[1])):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
    if low > high:
        return None

    def at(t):
        return a if t == 0 else b if t == 1 else (round(a[0] + t * dx, DIGITS),
                                                  round(a[1] + t * dy, DIGITS))

    return at(low), at(high)


def clip_line(points, box):
    """The pieces of a line inside the box, cut where it leaves it."""
    pieces, current = [], []
    for a, b in zip(points, points[1:], strict=False):
        part = clip_segment(a, b, box)
        if part is None:
            continue
        if current and current[-1] == part[0]:
            current.append(part[1])
        else:
            pieces.append(current)
            current = list(part)
        if part[1] != b:  # left the box
            pieces.append(current)
            current = []
    pieces.append(current)
    return [p for p in pieces if len(p) > 1]


def signed_area(points):
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(points, points[1:], strict=False))


def main(path):
    topology = json.loads(Path(path).read_text(encoding="utf-8"))
    line = [tuple(p) for p in json.loads(BOUNDARY.read_text(encoding="utf-8"))
            ["features"][0]["geometry"]["coordinates"]]
    geometries = {g.get("id"): g for g in topology["objects"]["countries"]["geometries"]}
    arcs = decode_arcs(topology)
    used = {code: arc_indexes(geometries[code]) for code in NATIONS}
    splice_boundary(arcs, used["840"] & used["484"], line)

    features = []
    for code, (nation, name_en, name_es) in NATIONS.items():
        geometry = geometries[code]
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        land = []
        for polygon in polygons:
            rings = [clip_ring(ring(arcs, r), BOX) for r in polygon]
            if not rings[0]:
                continue
            # RFC 7946: the exterior counterclockwise, holes clockwise.
            rings = [r if (signed_area(r) > 0) == (i == 0) else r[::-1]
                     for i, r in enumerate(rings) if r]
            land.append([[list(p) for p in r] for r in rings])
        features.append({"type": "Feature", "properties": {
            "layer": "land", "nation": nation, "name_en": name_en, "name_es": name_es},
            "geometry": {"type": "MultiPolygon", "coordinates": land}})
    lines = [piece for index in sorted(used["840"] | used["484"])
             for piece in clip_line(arcs[index], BOX)]
    features.append({"type": "Feature", "properties": {"layer": "coast_and_borders"},
                     "geometry": {"type": "MultiLineString",
                                  "coordinates": [[list(p) for p in piece] for piece in lines]}})
    json.dump({"type": "FeatureCollection", "bbox": list(BOX), "features": features},
              sys.stdout, separators=(",", ":"), ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
