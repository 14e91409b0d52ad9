"""The allocation instance: what is asked for, what could go, and the rules of the move.

Times in JSON are ISO 8601 instants in UTC (`2025-01-10T16:00:00Z`). In memory every time is a
whole number of minutes after the instance's `reference_time` (the moment the plan is made), so
the solvers work in integers; seconds are rounded to the nearest minute on load.

The JSON format is described by docs/allocation-instance.schema.json and docs/allocation.md.
"""

import json
import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from allocation import validation

FORMAT = "enlace-allocation-instance/1"
SCHEMA_FILE = validation.INSTANCE_SCHEMA
NATIONS = ("USA", "MEX")
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_UNMET_PENALTY = 10_000


class InstanceError(ValueError):
    """The instance is not valid: the message names the offending field."""


@dataclass(frozen=True)
class Request:
    id: str
    incident: str
    kind: str
    quantity: int
    priority: int
    lat: float
    lon: float
    needed_by: int
    # None: every substitute the table lists for this kind is acceptable; () accepts none.
    substitutes: tuple | None = None


@dataclass(frozen=True)
class Resource:
    id: str
    kind: str
    lat: float
    lon: float
    nation: str
    jurisdiction: str
    headcount: int = 1
    available_from: int = 0
    cross_border_eligible: bool = False
    credential_delay: int = 0
    languages: tuple = ()
    held_for_home_coverage: bool = False
    air_capable: bool = False

    @property
    def bilingual(self):
        """A Spanish–English speaker, as the liaison rule needs."""
        return "es" in self.languages and "en" in self.languages


@dataclass(frozen=True)
class Substitution:
    kind: str
    substitute: str
    penalty: int


@dataclass(frozen=True)
class Port:
    id: str
    name: str
    lat: float
    lon: float
    opens: str | None = None  # "HH:MM" local time; both None: open around the clock
    closes: str | None = None
    days: tuple = DAYS
    wait: int = 0  # expected minutes from joining the line to being through


@dataclass(frozen=True)
class Jurisdiction:
    id: str
    nation: str
    name: str = ""
    keep_share: float = 0.0
    keep_share_by_kind: tuple = ()  # ((kind, share), ...), sorted

    def share(self, kind):
        return dict(self.keep_share_by_kind).get(kind, self.keep_share)

    def keep_at_home(self, kind, count):
        """Resources of this kind that must stay home out of `count`. The epsilon stops float
        noise (0.3 * 10 = 3.0000000000000004) from keeping one more than the share says."""
        return min(count, math.ceil(self.share(kind) * count - 1e-9))


@dataclass(frozen=True)
class Travel:
    road_factor: float = 1.3
    road_speed_kmh: float = 70.0
    air_speed_kmh: float = 450.0
    air_threshold_km: float = 300.0
    air_overhead_minutes: float = 180.0
    timezone: str = "America/Los_Angeles"


@dataclass(frozen=True)
class Pin:
    resource: str
    request: str


@dataclass(frozen=True)
class Exclusion:
    resource: str
    request: str | None = None  # None: the resource is not to be sent anywhere


@dataclass
class Instance:
    reference_time: datetime
    resources: list
    requests: list
    jurisdictions: list
    ports: list = field(default_factory=list)
    substitutions: list = field(default_factory=list)
    travel: Travel = field(default_factory=Travel)
    unmet_penalty: int = DEFAULT_UNMET_PENALTY
    liaison: bool = False
    pins: list = field(default_factory=list)
    exclusions: list = field(default_factory=list)
    name: str = ""

    def __post_init__(self):
        self._check_references()

    def _check_references(self):
        """What JSON Schema cannot say: unique ids and references that resolve."""
        for label, items in (("resources", self.resources), ("requests", self.requests),
                             ("jurisdictions", self.jurisdictions), ("ports", self.ports)):
            seen = set()
            for item in items:
                if item.id in seen:
                    raise InstanceError(f"{label}: duplicate id {item.id!r}")
                seen.add(item.id)
        jurisdictions = {j.id for j in self.jurisdictions}
        for r in self.resources:
            if r.jurisdiction not in jurisdictions:
                raise InstanceError(f"resource {r.id}: unknown jurisdiction {r.jurisdiction!r}")
            if r.nation not in NATIONS:
                raise InstanceError(f"resource {r.id}: nation must be one of {NATIONS}")
        table = self.substitution_table()
        for q in self.requests:
            if q.quantity < 1 or q.priority < 1:
                raise InstanceError(f"request {q.id}: quantity and priority must be at least 1")
            for sub in q.substitutes or ():
                if (q.kind, sub) not in table:
                    raise InstanceError(
                        f"request {q.id}: substitute {sub!r} has no penalty in the substitution "
                        f"table for kind {q.kind!r}")

    def substitution_table(self):
        return {(s.kind, s.substitute): s.penalty for s in self.substitutions}

    def accepted_kinds(self, request):
        """{kind: penalty} a request accepts: its own kind at no penalty, then substitutes."""
        table = self.substitution_table()
        kinds = {request.kind: 0}
        if request.substitutes is None:
            subs = sorted(s for (k, s) in table if k == request.kind)
        else:
            subs = request.substitutes
        for sub in subs:
            if sub != request.kind:
                kinds[sub] = table[(request.kind, sub)]
        return kinds

    def minutes(self, when):
        return to_minutes(when, self.reference_time)

    def instant(self, minutes):
        return _instant(self.reference_time, minutes)


def parse_time(text):
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise InstanceError(f"time {text!r} has no UTC offset")
    return moment.astimezone(UTC)


def to_minutes(text, reference):
    return round((parse_time(text) - reference).total_seconds() / 60)


@lru_cache(maxsize=1 << 16)
def _instant(reference_time, minutes):
    # A plan names the same few thousand minutes many times over (ETAs, deadlines, crossings).
    return iso(reference_time + timedelta(minutes=minutes))


def iso(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def schema_errors(data, schema_file=SCHEMA_FILE):
    """JSON Schema errors as 'path: message' strings, in document order."""
    return validation.errors(data, schema_file)


def check_schema(data):
    """Raise InstanceError naming the first problems when `data` breaks the schema."""
    errors = schema_errors(data)
    if errors:
        raise InstanceError("; ".join(errors[:5]))


def from_json(data, validate=True):
    """Build an Instance from parsed JSON; InstanceError names the first problems found."""
    if validate:
        check_schema(data)
    ref = parse_time(data["reference_time"])
    travel = Travel(**data.get("travel", {}))
    objective = data.get("objective", {})
    rules = data.get("rules", {})
    return Instance(
        name=data.get("name", ""),
        reference_time=ref,
        travel=travel,
        unmet_penalty=objective.get("unmet_penalty", DEFAULT_UNMET_PENALTY),
        liaison=rules.get("liaison", False),
        substitutions=[Substitution(s["kind"], s["substitute"], s["penalty"])
                       for s in data.get("substitutions", [])],
        ports=[Port(id=p["id"], name=p.get("name", p["id"]), lat=p["lat"], lon=p["lon"],
                    opens=p.get("opens"), closes=p.get("closes"),
                    days=tuple(p.get("days", DAYS)), wait=p.get("wait_minutes", 0))
               for p in data.get("ports", [])],
        jurisdictions=[Jurisdiction(
            id=j["id"], nation=j["nation"], name=j.get("name", ""),
            keep_share=j.get("keep_share", 0.0),
            keep_share_by_kind=tuple(sorted(j.get("keep_share_by_kind", {}).items())))
            for j in data["jurisdictions"]],
        resources=[Resource(
            id=r["id"], kind=r["kind"], lat=r["lat"], lon=r["lon"], nation=r["nation"],
            jurisdiction=r["jurisdiction"], headcount=r.get("headcount", 1),
            available_from=(to_minutes(r["available_from"], ref) if r.get("available_from")
                            else 0),
            cross_border_eligible=r.get("cross_border_eligible", False),
            credential_delay=r.get("credential_delay_minutes", 0),
            languages=tuple(r.get("languages", ())),
            held_for_home_coverage=r.get("held_for_home_coverage", False),
            air_capable=r.get("air_capable", False)) for r in data["resources"]],
        requests=[Request(
            id=q["id"], incident=q.get("incident", q["id"]), kind=q["kind"],
            quantity=q.get("quantity", 1), priority=q.get("priority", 1), lat=q["lat"],
            lon=q["lon"], needed_by=to_minutes(q["needed_by"], ref),
            substitutes=tuple(q["substitutes"]) if q.get("substitutes") is not None else None)
            for q in data["requests"]],
        pins=[Pin(p["resource"], p["request"]) for p in data.get("pins", [])],
        exclusions=[Exclusion(e["resource"], e.get("request")) for e in data.get("exclusions", [])],
    )


def to_json(instance):
    """The instance as JSON-ready data (the inverse of from_json)."""
    data = {
        "format": FORMAT,
        "name": instance.name,
        "reference_time": iso(instance.reference_time),
        "objective": {"unmet_penalty": instance.unmet_penalty},
        "rules": {"liaison": instance.liaison},
        "travel": {k: getattr(instance.travel, k) for k in Travel.__dataclass_fields__},
        "substitutions": [{"kind": s.kind, "substitute": s.substitute, "penalty": s.penalty}
                          for s in instance.substitutions],
        "ports": [{"id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon, "opens": p.opens,
                   "closes": p.closes, "days": list(p.days), "wait_minutes": p.wait}
                  for p in instance.ports],
        "jurisdictions": [{"id": j.id, "name": j.name, "nation": j.nation,
                           "keep_share": j.keep_share,
                           "keep_share_by_kind": dict(j.keep_share_by_kind)}
                          for j in instance.jurisdictions],
        "resources": [{"id": r.id, "kind": r.kind, "lat": r.lat, "lon": r.lon,
                       "nation": r.nation, "jurisdiction": r.jurisdiction,
                       "headcount": r.headcount,
                       "available_from": instance.instant(r.available_from),
                       "cross_border_eligible": r.cross_border_eligible,
                       "credential_delay_minutes": r.credential_delay,
                       "languages": list(r.languages),
                       "held_for_home_coverage": r.held_for_home_coverage,
                       "air_capable": r.air_capable} for r in instance.resources],
        "requests": [{"id": q.id, "incident": q.incident, "kind": q.kind,
                      "quantity": q.quantity, "priority": q.priority, "lat": q.lat,
                      "lon": q.lon, "needed_by": instance.instant(q.needed_by),
                      **({} if q.substitutes is None else {"substitutes": list(q.substitutes)})}
                     for q in instance.requests],
    }
    if instance.pins:
        data["pins"] = [{"resource": p.resource, "request": p.request} for p in instance.pins]
    if instance.exclusions:
        data["exclusions"] = [{"resource": e.resource, **({"request": e.request}
                                                           if e.request else {})}
                              for e in instance.exclusions]
    return data


def load(path, validate=True):
    return from_json(json.loads(Path(path).read_text(encoding="utf-8")), validate=validate)


def dumps(instance):
    return json.dumps(to_json(instance), ensure_ascii=False, indent=1)


def save(instance, path):
    Path(path).write_text(dumps(instance) + "\n", encoding="utf-8")
