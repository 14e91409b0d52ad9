"""Solving an instance and the plan that comes out: every assignment explained, unmet demand
with its reason, the objective broken down, the lower bound, the gap and the time taken.

The plan is deterministic for the same input (apart from `timings` and `solve_seconds`):
resources, groups and arcs are built in instance order and every solver is deterministic.
The JSON format is described by docs/allocation-plan.schema.json and docs/allocation.md.
"""

import math
from collections import defaultdict
from time import perf_counter

import numpy as np

from allocation import greedy
from allocation.network import Network
from allocation.travel import EPS

FORMAT = "enlace-allocation-plan/1"
SOLVERS = ("auto", "flow", "milp", "greedy")
# Up to this many arcs the MILP sees them all and its bound is exact; above, it works on the
# candidate arcs (allocation.milp.candidate_arcs) and the bound comes from the flow relaxation.
FULL_MILP_ARCS = 20_000
UNMET_ORDER = (
    ("assigned_elsewhere", "assigned to other requests"),
    ("drawdown", "kept home by drawdown limits"),
    ("held_for_home_coverage", "held for home coverage"),
    ("not_cross_border_eligible", "not eligible to cross the border"),
    ("liaison", "would cross without a Spanish–English speaker (liaison rule)"),
    ("unreachable", "unable to reach it (no port of entry open within the horizon)"),
    ("too_late", "arriving so late that leaving the unit unmet costs less"),
    ("excluded", "excluded by the duty officer"),
    ("not_chosen", "left unused by this solver"),
)


# Why the returned plan's method made it (`method_reason`), as codes a caller translates.
METHOD_REASONS = (
    "flow_exact",     # the flow optimum obeys every rule
    "repair_free",    # it broke the liaison rule, and repairing that cost nothing: optimal
    "escalated",      # it broke the liaison rule: the integer model made the plan
    "greedy_asked",   # the greedy baseline was asked for
    "solver_failed",  # a solver failed: the best plan found before it is returned
    "time_limit",     # the time limit passed: the best plan found so far is returned
)
ON_BREACH = ("escalate", "refuse")
METHODS = ("greedy", "flow+repair", "flow", "milp")  # weakest first


class LiaisonBreach(ValueError):
    """The flow optimum breaks the liaison rule and the caller asked to be told, not escalated."""


def solve(instance, solver="auto", time_limit=None, pins=None, exclusions=None,
          on_breach="escalate"):
    """Solve and explain. `solver`: "flow" (the exact min-cost flow), "milp" and "auto" (the
    same flow, then the integer model when the flow's optimum breaks the liaison rule) or
    "greedy" (the baseline). When the flow's optimum breaks the liaison rule and repairing it
    costs anything, "flow" escalates to the integer model as well, or with
    `on_breach="refuse"` raises LiaisonBreach: a user who asked for an exact solver never gets
    a worse plan without being told. The greedy plan is made only when asked for or as the
    fallback when a solver fails or the time runs out; `method` and `method_reason` say which.
    `time_limit` in seconds bounds the whole solve; when it runs out the best plan found so
    far is returned with its gap. `pins` and `exclusions` ([{"resource", "request"}], request
    optional for exclusions) add to the instance's own. Never raises for infeasible demand: it
    comes back unmet."""
    if solver not in SOLVERS:
        raise ValueError(f"solver must be one of {', '.join(SOLVERS)}")
    if on_breach not in ON_BREACH:
        raise ValueError(f"on_breach must be one of {', '.join(ON_BREACH)}")
    started = perf_counter()
    timings = {}
    clock = [started]

    def lap(name):
        now = perf_counter()
        timings[name] = round(now - clock[0], 4)
        clock[0] = now

    def left():
        return None if time_limit is None else time_limit - (perf_counter() - started)

    net = Network(instance, pins, exclusions)
    lap("network")
    candidates, notes = {}, []

    def greedy_plan():
        if "greedy" not in candidates:
            candidates["greedy"] = greedy.solve(net)
            lap("greedy")
        return candidates["greedy"]

    if solver == "greedy":
        greedy_plan()
        bound, stopped, failed = net.relaxation_bound(), False, False
        notes.append("bound: each request's cheapest resources as if nothing competed for them")
    elif left() is not None and left() <= 0:
        greedy_plan()
        bound, stopped, failed = net.relaxation_bound(), True, False
        notes.append("time limit reached before the flow: the greedy plan is returned")
    else:
        bound, stopped, failed = _exact(net, solver, on_breach, candidates, notes, greedy_plan,
                                        left, lap, timings)
    # The best feasible plan found; on equal cost the stronger method wins.
    totals = {name: net.total(x) for name, x in candidates.items()}
    method = min(totals, key=lambda name: (totals[name], -METHODS.index(name)))
    x = candidates[method]
    seconds = perf_counter() - started
    clock[0] = perf_counter()  # the explanations' own time, not the repair's before them
    plan = explain(net, x)
    lap("explain")
    objective = plan["objective"]["total"]
    gap = 0.0 if objective == 0 else (objective - bound) / objective
    plan.update({
        "solver": solver,
        "method": method,
        "method_reason": _method_reason(solver, method, stopped, failed),
        "status": "optimal" if gap == 0 else ("time_limit" if stopped else "feasible"),
        "bound": bound,
        "gap": round(gap, 6),
        "notes": notes,
        "solve_seconds": round(seconds, 4),
        "timings": timings,
    })
    return plan


def _exact(net, solver, on_breach, candidates, notes, greedy_plan, left, lap, timings):
    """The flow, and the integer model when the flow's optimum breaks the liaison rule.
    Fills `candidates` and `notes`; returns (bound, stopped by the time limit, a solver
    failed)."""
    from allocation import flow

    x_flow, status = flow.solve(net)
    lap("flow")
    if x_flow is None:
        # Cannot happen with a well-formed network (the unmet arcs make it feasible), but a
        # plan is still owed: the greedy one, with the cheap bound.
        greedy_plan()
        notes.append(f"the flow solver failed ({status}): the greedy plan is returned")
        return net.relaxation_bound(), False, True
    bound = net.total(x_flow)
    breached = net.liaison_violations(x_flow)
    if not breached:
        candidates["flow"] = x_flow
        if net.instance.liaison:
            notes.append("the flow optimum already obeys the liaison rule")
        return bound, False, False
    notes.append(f"the flow optimum breaks the liaison rule at {len(breached)} incident(s); "
                 "its cost is the lower bound")
    repaired = candidates["flow+repair"] = net.repair_liaison(x_flow)
    if net.total(repaired) == bound:
        notes.append("the repair costs nothing: the repaired plan is optimal")
        return bound, False, False
    if solver == "flow" and on_breach == "refuse":
        raise LiaisonBreach(
            f"the liaison rule binds at {len(breached)} incident(s): the flow's optimum breaks "
            "it and the best repair costs more, so only the integer model can give the optimum")
    if left() is not None and left() <= 0:
        greedy_plan()
        notes.append("time limit reached before the integer model")
        return bound, True, False
    from allocation import milp

    full = net.n_arcs <= FULL_MILP_ARCS
    arcs = None if full else milp.candidate_arcs(net, solutions=(x_flow, repaired))
    result = milp.solve(net, arcs, time_limit=left())
    lap("milp")
    timings["milp_variables"] = result["variables"]
    notes.append(f"integer model on {'all' if full else len(arcs)} arcs: {result['status']}")
    if full and result["bound"] is not None:
        bound = max(bound, result["bound"])
    stopped = result["status"] == "time_limit"
    if result["x"] is not None and net.feasible(result["x"]):
        candidates["milp"] = result["x"]
        return bound, stopped, False
    greedy_plan()
    notes.append("the integer model found no plan: the best one found before it is returned")
    return bound, stopped, not stopped


def _method_reason(solver, method, stopped, failed):
    """The METHOD_REASONS code for the method that made the returned plan."""
    if method == "flow":
        return "flow_exact"
    if method == "milp":
        return "escalated"
    if method == "greedy" and solver == "greedy":
        return "greedy_asked"
    if stopped:
        return "time_limit"
    if failed or method == "greedy":
        return "solver_failed"
    return "repair_free"


def _iso(net, minutes):
    """Whole minutes, rounded down: a crossing that starts at 21:59.6 is shown at 21:59, inside
    the port's hours, not at its 22:00 closing."""
    return None if minutes is None else net.instance.instant(math.floor(minutes + EPS))


def explain(net, x):
    """The plan for a solution vector: assignments, unmet demand, objective, statistics."""
    inst = net.instance
    pairs = net.assignments(x)
    where = {res: req for res, req, _a in pairs}
    g_used = np.bincount(net.a_group, weights=x, minlength=len(net.members)).astype(np.int64)
    jk_used = np.bincount(net.g_jk, weights=g_used, minlength=len(net.jk_keys))
    covered = _covered_incidents(net, x)
    by_request = defaultdict(list)
    for res, req, arc in pairs:
        by_request[req].append((res, arc))
    routes = {}
    assignments = []
    for req in sorted(by_request):
        runner = _runner_up(net, x, req, by_request[req])
        for res, arc in by_request[req]:
            assignments.append(_assignment(net, res, req, arc, runner, where, g_used, jk_used,
                                           covered, routes))
    late, subst, unmet_cost = net.objective(x)
    sent = np.bincount(net.a_request, weights=x, minlength=len(net.requests)).astype(np.int64)
    unmet = []
    context = _unmet_context(net, where, g_used, jk_used, covered)
    for req in range(len(net.requests)):
        missing = int(net.r_quantity[req] - sent[req])
        if missing:
            unmet.append(_unmet(net, x, req, missing, context))
    return {
        "format": FORMAT,
        "instance": inst.name,
        "objective": {"total": late + subst + unmet_cost, "lateness": late,
                      "substitution": subst, "unmet": unmet_cost},
        "assignments": assignments,
        "unmet": unmet,
        "pins": [{"resource": p.resource, "request": p.request} for p in net.pins],
        "exclusions": [{"resource": e.resource, **({"request": e.request} if e.request else {})}
                       for e in net.exclusions],
        "rejected_pins": [{"resource": p.resource, "request": p.request, "reason": why}
                          for p, why in net.rejected_pins],
        "stats": {
            "resources": len(net.resources),
            "requests": len(net.requests),
            "units_requested": int(sum(q.quantity for q in net.requests)),
            "units_assigned": len(pairs),
            "units_unmet": sum(u["quantity"] for u in unmet),
            "international_assignments": sum(a["international"] for a in assignments),
            "people": sum(a["headcount"] for a in assignments),
            "groups": len(net.members),
            "arcs": net.n_arcs,
        },
    }


def _covered_incidents(net, x):
    covered = set(net.r_incident[net.a_request[(x > 0) & net.a_intl & net.a_bilingual]].tolist())
    covered |= {int(net.r_incident[p.request]) for p in net.pinned
                if p.international and net.resources[p.resource].bilingual}
    return covered


def _runner_up(net, x, req, chosen):
    """The best arc to this request from a group it received nothing from."""
    used_groups = {int(net.a_group[a]) for _res, a in chosen if a is not None}
    for a in net.arcs_of(req):
        if int(net.a_group[a]) not in used_groups:
            return a
    return None


def _assignment(net, res, req, arc, runner, where, g_used, jk_used, covered, routes):
    resource, request = net.resources[res], net.requests[req]
    key = arc if arc is not None else ("pin", res)
    if key not in routes:
        routes[key] = net.travel.route(resource, request)
    route = routes[key]
    if arc is None:
        pinned = next(p for p in net.pinned if p.resource == res)
        eta, late, penalty = pinned.eta, pinned.late, pinned.penalty
    else:
        eta, late, penalty = int(net.a_eta[arc]), int(net.a_late[arc]), int(net.a_penalty[arc])
    lateness = request.priority * late
    crossing = None
    if route.port is not None:
        port = next(p for p in net.instance.ports if p.id == route.port)
        crossing = {"port": port.id, "port_name": port.name,
                    "arrive": _iso(net, route.port_arrival),
                    "start": _iso(net, route.crossing_start),
                    "through": _iso(net, route.crossing_done),
                    "waited_for_opening_minutes": round(route.crossing_start - route.port_arrival),
                    "expected_wait_minutes": port.wait}
    return {
        "resource": resource.id,
        "request": request.id,
        "incident": request.incident,
        "kind": resource.kind,
        "requested_kind": request.kind,
        "substitute": resource.kind != request.kind,
        "pinned": arc is None,
        "international": route.international,
        "bilingual": resource.bilingual,
        "headcount": resource.headcount,
        "route": {"mode": route.mode, "distance_km": route.distance_km, "crossing": crossing},
        "depart": _iso(net, route.depart),
        "eta": _iso(net, eta),
        "needed_by": _iso(net, request.needed_by),
        "late_minutes": late,
        "cost": {"lateness": lateness, "substitution": penalty, "total": lateness + penalty},
        "why": _why(net, arc, runner, where, g_used, jk_used, covered, req),
    }


def _why(net, arc, runner, where, g_used, jk_used, covered, req):
    if arc is None:
        return {"text": "pinned by the duty officer", "runner_up": None}
    if runner is None:
        return {"text": "no other eligible resource can reach this request", "runner_up": None}
    g = int(net.a_group[runner])
    free = [m for m in net.members[g] if m not in where]
    other = free[0] if free else net.members[g][0]
    cost, ru_cost = int(net.a_cost[arc]), int(net.a_cost[runner])
    ru = {"resource": net.resources[other].id, "kind": net.g_kind[g],
          "eta": _iso(net, int(net.a_eta[runner])), "cost": ru_cost}
    if ru_cost > cost:
        reasons = []
        if net.a_eta[runner] > net.a_eta[arc]:
            reasons.append(f"arrives {int(net.a_eta[runner] - net.a_eta[arc])} min later")
        if net.a_penalty[runner] > net.a_penalty[arc]:
            reasons.append(f"is a substitute (penalty {int(net.a_penalty[runner])})")
        text = (f"the runner-up {ru['resource']} would cost {ru_cost - cost} more"
                + (f": it {' and '.join(reasons)}" if reasons else ""))
    elif not free:
        elsewhere = sorted({net.requests[where[m]].id for m in net.members[g]})
        text = (f"the runner-up {ru['resource']} (cost {ru_cost}) and its like are sent to "
                f"{', '.join(elsewhere[:3])}{' …' if len(elsewhere) > 3 else ''} instead")
    elif jk_used[net.g_jk[g]] >= net.jk_cap[net.g_jk[g]]:
        jur, kind = net.jk_keys[net.g_jk[g]]
        text = (f"the runner-up {ru['resource']} (cost {ru_cost}) stays home: {jur} has sent "
                f"all the {kind} its drawdown limit allows")
    elif (net.instance.liaison and net.a_intl[runner] and not net.a_bilingual[runner]
          and int(net.r_incident[req]) not in covered):
        text = (f"the runner-up {ru['resource']} (cost {ru_cost}) would cross the border "
                "without a Spanish–English speaker going to this incident")
    else:
        text = (f"the runner-up {ru['resource']} costs the same or less ({ru_cost}) but this "
                "solver did not pick it")
    return {"text": text, "runner_up": ru}


def _unmet_context(net, where, g_used, jk_used, covered):
    """What every unmet request's explanation shares: resources outside the groups counted by
    kind, and the groups of each kind."""
    outside = defaultdict(lambda: dict.fromkeys((k for k, _label in UNMET_ORDER), 0))
    pinned = {p.resource for p in net.pinned}
    for i, r in enumerate(net.resources):
        if r.held_for_home_coverage:
            outside[r.kind]["held_for_home_coverage"] += 1
        elif i in net.excluded_resources:
            outside[r.kind]["excluded"] += 1
        elif i in pinned:
            outside[r.kind]["assigned_elsewhere"] += 1
    by_kind = defaultdict(list)
    for g, kind in enumerate(net.g_kind):
        by_kind[kind].append(g)
    return {"outside": outside, "by_kind": by_kind, "g_used": g_used, "jk_used": jk_used,
            "covered": covered}


def _unmet(net, x, req, missing, context):
    request = net.requests[req]
    kinds = net.accepted[req]
    g_used, jk_used, covered = context["g_used"], context["jk_used"], context["covered"]
    counts = dict.fromkeys((k for k, _label in UNMET_ORDER), 0)
    for kind in kinds:
        for name, n in context["outside"].get(kind, {}).items():
            counts[name] += n
    arcs = {int(net.a_group[a]): a for a in net.arcs_of(req)}
    for kind in kinds:
        groups = context["by_kind"].get(kind)
        if not groups:
            continue
        why = net.pair_block(groups, [req], [kinds[kind]])["why"][:, 0]
        for g, reason in zip(groups, why, strict=True):
            size = int(net.g_size[g])
            if reason == "ineligible":
                counts["not_cross_border_eligible"] += size
            elif reason:
                counts[reason] += size
            else:
                mine = int(x[arcs[g]]) if g in arcs else 0
                counts["assigned_elsewhere"] += int(g_used[g]) - mine
                free = size - int(g_used[g])
                if not free:
                    continue
                if jk_used[net.g_jk[g]] >= net.jk_cap[net.g_jk[g]]:
                    counts["drawdown"] += free
                elif (g in arcs and net.instance.liaison and net.a_intl[arcs[g]]
                      and not net.g_bilingual[g] and int(net.r_incident[req]) not in covered):
                    counts["liaison"] += free
                else:
                    counts["not_chosen"] += free
    total = sum(counts.values())
    names = request.kind + (" or an accepted substitute" if len(kinds) > 1 else "")
    if not total:
        reason = f"no resource of kind {names} exists in the instance"
    else:
        parts = [f"{counts[k]} {label}" for k, label in UNMET_ORDER if counts[k]]
        reason = (f"{missing} of {request.quantity} unmet: of the {total} resources of kind "
                  f"{names}, " + "; ".join(parts))
    return {"request": request.id, "incident": request.incident, "kind": request.kind,
            "quantity": missing, "cost": missing * int(net.r_unmet_cost[req]),
            "reason": reason, "counts": {k: v for k, v in counts.items() if v}}
