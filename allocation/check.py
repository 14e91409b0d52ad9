"""Verify a plan against every constraint of its instance and recompute its objective, trusting
nothing the solver wrote: routes and ETAs come from the plain-Python travel model, not from the
solvers' vectorized network.

    check(instance, plan) -> {"feasible": bool, "violations": [...], "objective": int, ...}

Each violation names the constraint and the assignment ({"resource", "request"}) or pin it is
about. A reported ETA may differ from the recomputed one by one minute (floating-point rounding
at a minute's edge); the objective is recomputed from the checker's own ETAs and the plan's
reported total may differ from it by at most that rounding.
"""

from collections import Counter, defaultdict

from allocation.instance import Exclusion, Pin, to_minutes
from allocation.travel import TravelModel, side_of_boundary

ETA_TOLERANCE = 1


def check(instance, plan):
    travel = TravelModel(instance)
    resources = {r.id: r for r in instance.resources}
    requests = {q.id: q for q in instance.requests}
    jurisdictions = {j.id: j for j in instance.jurisdictions}
    ref = instance.reference_time
    pins = list(dict.fromkeys([*instance.pins, *(Pin(p["resource"], p["request"])
                                                 for p in plan.get("pins", []))]))
    exclusions = set(instance.exclusions) | {Exclusion(e["resource"], e.get("request"))
                                            for e in plan.get("exclusions", [])}
    excluded_all = {e.resource for e in exclusions if e.request is None}
    excluded_pairs = {(e.resource, e.request) for e in exclusions if e.request is not None}
    violations = []

    def flag(constraint, resource=None, request=None, detail="", **extra):
        item = {"constraint": constraint,
                "assignment": ({"resource": resource, "request": request}
                               if resource is not None or request is not None else None),
                "detail": detail}
        item.update(extra)
        violations.append(item)

    side = {q.id: side_of_boundary(q.lat, q.lon) for q in instance.requests}
    seen = {}
    filled = Counter()
    drawn = Counter()
    crossing = defaultdict(list)  # incident -> [(resource, request, bilingual)]
    lateness = substitution = 0
    tolerance = 0
    honoured = set()
    for a in plan.get("assignments", []):
        rid, qid = a.get("resource"), a.get("request")
        resource, request = resources.get(rid), requests.get(qid)
        if resource is None or request is None:
            flag("unknown_resource" if resource is None else "unknown_request", rid, qid)
            continue
        honoured.add((rid, qid))
        if rid in seen:
            flag("capacity", rid, qid, f"{rid} is also assigned to {seen[rid]}")
            continue
        seen[rid] = qid
        if resource.held_for_home_coverage:
            flag("held_for_home_coverage", rid, qid)
        if rid in excluded_all or (rid, qid) in excluded_pairs:
            flag("exclusion", rid, qid)
        accepted = instance.accepted_kinds(request)
        if resource.kind not in accepted:
            flag("kind", rid, qid, f"{resource.kind} does not serve a {request.kind} request")
            continue
        international = resource.nation != side[qid]
        if international and not resource.cross_border_eligible:
            flag("cross_border_eligibility", rid, qid)
        route = travel.route(resource, request)
        if route is None:
            flag("route", rid, qid, "no route: no port of entry is open within the horizon")
            continue
        _check_times(a, resource, route, international, travel, ref, flag)
        filled[qid] += 1
        if filled[qid] > request.quantity:
            flag("quantity", rid, qid, f"{qid} asks for {request.quantity}")
        drawn[(resource.jurisdiction, resource.kind)] += 1
        if international:
            crossing[request.incident].append((rid, qid, resource.bilingual))
        lateness += request.priority * max(0, route.eta - request.needed_by)
        substitution += accepted[resource.kind]
        tolerance += request.priority * ETA_TOLERANCE

    counts = Counter((r.jurisdiction, r.kind) for r in instance.resources)
    caps = {jk: n - jurisdictions[jk[0]].keep_at_home(jk[1], n) for jk, n in counts.items()}
    for jk, n in drawn.items():
        if n > caps[jk]:
            flag("drawdown", detail=f"{jk[0]} sends {n} {jk[1]}, at most {caps[jk]} may leave",
                 jurisdiction=jk[0], kind=jk[1])
    if instance.liaison:
        for incident, moves in sorted(crossing.items()):
            if not any(bilingual for _r, _q, bilingual in moves):
                flag("liaison", moves[0][0], moves[0][1],
                     f"no Spanish–English speaker among {len(moves)} resource(s) crossing "
                     f"to incident {incident}", incident=incident)
    _check_pins(instance, pins, honoured, resources, requests, side, excluded_all,
                excluded_pairs, caps, travel, flag)

    unmet = sum(max(0, q.quantity - filled[q.id]) * q.priority * instance.unmet_penalty
                for q in instance.requests)
    reported_unmet = {u["request"]: u["quantity"] for u in plan.get("unmet", [])}
    for q in instance.requests:
        missing = max(0, q.quantity - filled[q.id])
        if reported_unmet.get(q.id, 0) != missing:
            flag("unmet", request=q.id,
                 detail=f"reported {reported_unmet.get(q.id, 0)} unmet, recomputed {missing}")
    total = lateness + substitution + unmet
    reported = plan.get("objective", {}).get("total")
    if reported is not None and abs(reported - total) > tolerance:
        flag("objective", detail=f"reported {reported}, recomputed {total}")
    return {"feasible": not violations, "violations": violations, "objective": total,
            "objective_parts": {"lateness": lateness, "substitution": substitution,
                                "unmet": unmet}}


def _check_times(a, resource, route, international, travel, ref, flag):
    rid, qid = resource.id, a["request"]
    earliest = max(resource.available_from, 0) + (
        resource.credential_delay if international else 0)
    if a.get("depart") and to_minutes(a["depart"], ref) < earliest:
        flag("credential_delay" if international and resource.credential_delay else
             "availability", rid, qid, "departs before the resource may leave")
    crossing = (a.get("route") or {}).get("crossing")
    if crossing:
        port = next((p for p in travel.ports if p.id == crossing.get("port")), None)
        if port is None:
            flag("port_hours", rid, qid, f"unknown port {crossing.get('port')}")
        else:
            start = to_minutes(crossing["start"], ref)
            opened = travel.next_open(port, start)
            if opened is None or opened - start > ETA_TOLERANCE:
                flag("port_hours", rid, qid, f"{port.name} is closed at the crossing time")
    if a.get("eta") and abs(to_minutes(a["eta"], ref) - route.eta) > ETA_TOLERANCE:
        flag("eta", rid, qid, f"reported ETA {a['eta']} but the travel model gives "
                              f"{route.eta} min after the reference time")


def _check_pins(instance, pins, honoured, resources, requests, side, excluded_all,
                excluded_pairs, caps, travel, flag):
    """A pin left out of the plan must be one that cannot be honoured."""
    kept = [p for p in pins if (p.resource, p.request) in honoured]
    kept_by_request = Counter(p.request for p in kept)
    kept_by_jk = Counter((resources[p.resource].jurisdiction, resources[p.resource].kind)
                         for p in kept if p.resource in resources)
    kept_resources = {p.resource for p in kept}
    speakers = {requests[p.request].incident for p in kept
                if p.resource in resources and p.request in requests
                and resources[p.resource].nation != side[p.request]
                and resources[p.resource].bilingual}
    for pin in pins:
        if (pin.resource, pin.request) in honoured:
            continue
        resource, request = resources.get(pin.resource), requests.get(pin.request)
        if resource is None or request is None or pin.resource in kept_resources:
            continue
        international = resource.nation != side[pin.request]
        impossible = (
            resource.held_for_home_coverage
            or pin.resource in excluded_all or (pin.resource, pin.request) in excluded_pairs
            or resource.kind not in instance.accepted_kinds(request)
            or (international and not resource.cross_border_eligible)
            or travel.route(resource, request) is None
            or kept_by_request[pin.request] >= request.quantity
            or kept_by_jk[(resource.jurisdiction, resource.kind)]
            >= caps[(resource.jurisdiction, resource.kind)]
            or (instance.liaison and international and not resource.bilingual
                and request.incident not in speakers))
        if not impossible:
            flag("pin", pin.resource, pin.request, "a pin that could be honoured was not")
