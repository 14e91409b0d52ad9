"""The travel model: how long a resource takes from its home base to a request.

- Ground: great-circle distance × road factor at the road speed.
- Air: an air-capable resource whose trip is longer than the air threshold may fly (overhead +
  great-circle distance at the air speed); it flies when that arrives sooner than driving.
- A ground move whose ends lie on opposite sides of the California–Baja California boundary goes
  through a port of entry: drive to the port, wait for it to open if it is closed, take the
  expected wait, drive on. The port that gives the earliest arrival is used.
- An international move (the resource's nation differs from the side of the border the request
  is on) departs only after the resource's credential delay.

Two implementations of the same rules live here on purpose: `TravelModel.route` (one pair, plain
Python, used by the checker and the explanations) and `TravelModel.eta_block` (numpy, every pair
of a block, used to build the solvers' network). The checker recomputes with the first what the
solvers planned with the second, and the tests compare them.
"""

import json
import math
from bisect import bisect_right
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from allocation.instance import DAYS

EARTH_RADIUS_KM = 6371.0088
BOUNDARY_FILE = Path(__file__).with_name("data") / "border_california_baja.geojson"
# Port hours are laid out this far ahead of the reference time; later arrivals find ports shut.
HORIZON_DAYS = 30
UNREACHABLE = 2**40  # an ETA in minutes that stands for "cannot get there"
# ETAs are floats until the very end; ceil(x - EPS) keeps exact whole minutes whole.
EPS = 1e-6


@lru_cache(maxsize=1)
def boundary():
    """The boundary line as [(lon, lat), ...] from west to east."""
    collection = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    return [tuple(p) for p in collection["features"][0]["geometry"]["coordinates"]]


@lru_cache(maxsize=1 << 16)
def side_of_boundary(lat, lon):
    """"USA" north of the line, "MEX" south of it, judged at the point's longitude clamped to
    the line's ends (the same rule as the mutual-aid app's border geometry)."""
    points = boundary()
    lon_c = max(points[0][0], min(points[-1][0], lon))
    for a, b in zip(points, points[1:], strict=False):
        if a[0] <= lon_c <= b[0]:
            t = 0.0 if b[0] == a[0] else (lon_c - a[0]) / (b[0] - a[0])
            return "USA" if lat >= a[1] + t * (b[1] - a[1]) else "MEX"
    return "USA" if lat >= points[-1][1] else "MEX"


def sides(lats, lons):
    """side_of_boundary for arrays: True where the point is on the USA side."""
    points = boundary()
    xs = np.array([p[0] for p in points])
    ys = np.array([p[1] for p in points])
    line = np.interp(np.clip(lons, xs[0], xs[-1]), xs, ys)
    return np.asarray(lats) >= line


@lru_cache(maxsize=1 << 18)
def great_circle_km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def great_circle_matrix(lat1, lon1, lat2, lon2):
    """Haversine distances between every point of set 1 (rows) and set 2 (columns)."""
    p1 = np.radians(np.asarray(lat1, dtype=float))[:, None]
    p2 = np.radians(np.asarray(lat2, dtype=float))[None, :]
    dl = np.radians(np.asarray(lon2, dtype=float))[None, :] - np.radians(
        np.asarray(lon1, dtype=float))[:, None]
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def whole_minutes(x):
    return math.ceil(x - EPS)


@dataclass(frozen=True)
class Route:
    mode: str  # "ground" or "air"
    international: bool
    depart: int
    eta: int
    distance_km: float
    port: str | None = None
    port_arrival: float | None = None
    crossing_start: float | None = None
    crossing_done: float | None = None


def _hhmm(text):
    h, m = text.split(":")
    return time(int(h), int(m))


def _day_windows(port, day, tz):
    """The port's opening on one local calendar day as (start, end) aware datetimes, or None."""
    if DAYS[day.weekday()] not in port.days:
        return None
    if port.opens is None and port.closes is None:
        start = datetime.combine(day, time(0), tz)
        return start, datetime.combine(day + timedelta(days=1), time(0), tz)
    opens, closes = _hhmm(port.opens or "00:00"), _hhmm(port.closes or "00:00")
    end_day = day + timedelta(days=1) if closes <= opens else day
    return datetime.combine(day, opens, tz), datetime.combine(end_day, closes, tz)


class TravelModel:
    def __init__(self, instance):
        self.instance = instance
        self.params = instance.travel
        self.tz = ZoneInfo(self.params.timezone)
        self.ports = list(instance.ports)
        self.port_lat = np.array([p.lat for p in self.ports], dtype=float)
        self.port_lon = np.array([p.lon for p in self.ports], dtype=float)
        self.port_wait = np.array([p.wait for p in self.ports], dtype=float)
        self._intervals = [self._intervals_for(p) for p in self.ports]
        ref = instance.reference_time
        self._first_day = (ref - timedelta(days=1)).astimezone(self.tz).date()
        self._last_day = (ref + timedelta(days=HORIZON_DAYS)).astimezone(self.tz).date()
        self._midnights = self._local_midnights()
        self._port_days = {}  # id(port) -> (port, its opening on each day, in minutes)
        self._routes = {}  # what a route depends on -> the route

    def _local_midnights(self):
        """The start of each local day from the first to the day after the last, as
        timedeltas after the reference time; None if a local midnight is skipped or repeated
        (a clock change at midnight), in which case days are found with astimezone."""
        ref, out = self.instance.reference_time, []
        day = self._first_day
        while day <= self._last_day + timedelta(days=1):
            midnight = datetime.combine(day, time(0), self.tz)
            back = midnight.astimezone(UTC).astimezone(self.tz)
            if (back.date(), back.time()) != (day, time(0)) or (
                    midnight.utcoffset() != midnight.replace(fold=1).utcoffset()):
                return None
            out.append(midnight - ref)
            day += timedelta(days=1)
        return out

    # --- one pair, plain Python ------------------------------------------------------------

    def road_minutes(self, km):
        return km * self.params.road_factor / self.params.road_speed_kmh * 60

    def next_open(self, port, t):
        """The earliest moment at or after t (minutes after the reference time) at which the
        port is open, walking its local calendar day by day; None when it stays shut within
        the horizon."""
        # Start the walk a day before t's own date: yesterday's window may run past midnight.
        for window in self._days_of(port)[self._day_index(t - 1440):]:
            if window and window[1] > t:
                return max(t, window[0])
        return None

    def _day_index(self, minutes):
        """Which day of the walk (0 = the first) holds this moment; 0 for earlier moments."""
        after = timedelta(minutes=minutes)
        if self._midnights is not None:
            return max(0, bisect_right(self._midnights, after) - 1)
        ref = self.instance.reference_time
        return max(0, ((ref + after).astimezone(self.tz).date() - self._first_day).days)

    def _days_of(self, port):
        """_day_windows of every day of the walk, in minutes after the reference time."""
        entry = self._port_days.get(id(port))
        if entry is None or entry[0] is not port:
            ref, windows = self.instance.reference_time, []
            day = self._first_day
            while day <= self._last_day:
                window = _day_windows(port, day, self.tz)
                windows.append(window and ((window[0] - ref).total_seconds() / 60,
                                           (window[1] - ref).total_seconds() / 60))
                day += timedelta(days=1)
            entry = self._port_days[id(port)] = (port, windows)
        return entry[1]

    def route(self, resource, request):
        """The fastest way for this resource to reach this request, or None if none exists.
        Eligibility is not judged here: the caller decides whether the move is allowed.
        Resources that travel alike to the same place share the answer."""
        key = (resource.lat, resource.lon, resource.nation, max(resource.available_from, 0),
               resource.credential_delay, resource.air_capable, request.lat, request.lon)
        if key not in self._routes:
            self._routes[key] = self._route(resource, request)
        return self._routes[key]

    def _route(self, resource, request):
        inst, p = self.instance, self.params
        req_side = side_of_boundary(request.lat, request.lon)
        international = resource.nation != req_side
        depart = max(resource.available_from, 0) + (
            resource.credential_delay if international else 0)
        km = great_circle_km(resource.lat, resource.lon, request.lat, request.lon)
        best = None
        if side_of_boundary(resource.lat, resource.lon) == req_side:
            best = (depart + self.road_minutes(km), None, None, None, None,
                    km * p.road_factor)
        else:
            for port in inst.ports:
                leg1 = great_circle_km(resource.lat, resource.lon, port.lat, port.lon)
                leg2 = great_circle_km(port.lat, port.lon, request.lat, request.lon)
                arrive = depart + self.road_minutes(leg1)
                start = self.next_open(port, arrive)
                if start is None:
                    continue
                done = start + port.wait
                eta = done + self.road_minutes(leg2)
                if best is None or eta < best[0]:
                    best = (eta, port.id, arrive, start, done, (leg1 + leg2) * p.road_factor)
        mode = "ground"
        if resource.air_capable and km > p.air_threshold_km:
            eta_air = depart + p.air_overhead_minutes + km / p.air_speed_kmh * 60
            if best is None or eta_air < best[0]:
                best, mode = (eta_air, None, None, None, None, km), "air"
        if best is None:
            return None
        eta, port, arrive, start, done, distance = best
        return Route(mode=mode, international=international, depart=depart,
                     eta=whole_minutes(eta), distance_km=round(distance, 1), port=port,
                     port_arrival=arrive, crossing_start=start, crossing_done=done)

    # --- every pair of a block, numpy ------------------------------------------------------

    def _intervals_for(self, port):
        """The port's openings over the horizon as sorted, merged (starts, ends) in minutes."""
        ref = self.instance.reference_time
        day = (ref - timedelta(days=1)).astimezone(self.tz).date()
        last = (ref + timedelta(days=HORIZON_DAYS)).astimezone(self.tz).date()
        spans = []
        while day <= last:
            window = _day_windows(port, day, self.tz)
            if window:
                s = (window[0] - ref).total_seconds() / 60
                e = (window[1] - ref).total_seconds() / 60
                if spans and s <= spans[-1][1]:
                    spans[-1][1] = max(spans[-1][1], e)
                else:
                    spans.append([s, e])
            day += timedelta(days=1)
        arr = np.array(spans, dtype=float).reshape(-1, 2)
        return arr[:, 0], arr[:, 1]

    def _next_open_array(self, k, t):
        starts, ends = self._intervals[k]
        idx = np.searchsorted(ends, t, side="right")
        out = np.full(t.shape, np.inf)
        ok = idx < len(ends)
        out[ok] = np.maximum(t[ok], starts[idx[ok]])
        return out

    def eta_block(self, res, req):
        """ETAs for every (resource row, request column) of a block.

        `res` and `req` are dicts of equal-length arrays: res has lat, lon, usa (home side),
        nation_usa, available_from, credential_delay, air; req has lat, lon, usa. Returns
        (eta, international, mode_air, port_index) as arrays of shape (rows, columns); eta is
        whole minutes, UNREACHABLE where no route exists, port_index -1 where no port is used.

        Every entry is computed from its own row and column alone, with the same operations in
        the same order as `route`, so rows may be deduplicated by the caller. Distances are
        computed once per home site (rows sharing lat and lon), and a border crossing once per
        row and port: on its side of the border a row's crossing columns share its departure.
        """
        p = self.params
        req_usa = np.asarray(req["usa"], dtype=bool)
        site, site_lat, site_lon = _sites(res["lat"], res["lon"])
        km = great_circle_matrix(site_lat, site_lon, req["lat"], req["lon"])
        road = self.road_minutes(km)[site]
        nation_usa = np.asarray(res["nation_usa"], dtype=bool)
        international = nation_usa[:, None] != req_usa[None, :]
        avail = np.maximum(res["available_from"], 0).astype(float)
        dep_home = avail + 0
        dep_intl = avail + res["credential_delay"]
        depart = np.where(international, dep_intl[:, None], dep_home[:, None])
        home_usa = np.asarray(res["usa"], dtype=bool)
        crossing = home_usa[:, None] != req_usa[None, :]
        eta = depart + road
        eta[crossing] = np.inf
        port_index = np.full(eta.shape, -1, dtype=np.int16)
        if self.ports and crossing.any():
            road1 = self.road_minutes(
                great_circle_matrix(site_lat, site_lon, self.port_lat, self.port_lon))[site]
            road2 = self.road_minutes(
                great_circle_matrix(self.port_lat, self.port_lon, req["lat"], req["lon"]))
            for side in (True, False):
                rows = np.flatnonzero(home_usa == side)
                cols = np.flatnonzero(req_usa != side)
                if not len(rows) or not len(cols):
                    continue
                # Across the border the request is on the other side from home: the move is
                # international exactly when the resource's nation is its home side's.
                dep = np.where(nation_usa[rows] == side, dep_intl[rows], dep_home[rows])
                best = np.full((len(rows), len(cols)), np.inf)
                best_port = np.full(best.shape, -1, dtype=np.int16)
                for k in range(len(self.ports)):
                    arrive = dep + road1[rows, k]
                    done = self._next_open_array(k, arrive) + self.port_wait[k]
                    cand = done[:, None] + road2[k, cols][None, :]
                    better = cand < best
                    np.minimum(best, cand, out=best)
                    best_port[better] = k
                block = np.ix_(rows, cols)
                eta[block] = best
                port_index[block] = best_port
        air_rows = np.asarray(res["air"], dtype=bool)
        if air_rows.any():
            air_minutes = (km / p.air_speed_kmh * 60)[site]
            far = (km > p.air_threshold_km)[site]
            eta_air = depart + p.air_overhead_minutes + air_minutes
            use_air = air_rows[:, None] & far & (eta_air < eta)
            eta = np.where(use_air, eta_air, eta)
            port_index[use_air] = -1
        else:
            use_air = np.zeros(eta.shape, dtype=bool)
        finite = np.isfinite(eta)
        whole = np.full(eta.shape, UNREACHABLE, dtype=np.int64)
        whole[finite] = np.ceil(eta[finite] - EPS)
        return whole, international, use_air, port_index


def _sites(lats, lons):
    """(row -> site index, site lats, site lons): the distinct home points of a block's rows."""
    lats = np.asarray(lats, dtype=float)
    lons = np.asarray(lons, dtype=float)
    if len(lats) < 2:
        return np.arange(len(lats)), lats, lons
    points, first, inverse = np.unique(np.stack([lats, lons], axis=1), axis=0,
                                       return_index=True, return_inverse=True)
    return inverse.reshape(-1), lats[first], lons[first]
