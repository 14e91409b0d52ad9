"""The integer model for the side constraint a flow cannot express: the liaison rule (at least
one Spanish–English speaker among the resources sent across the border to an incident). Solved
with scipy.optimize.milp, which bundles HiGHS — never `highspy`, which cannot share a process
with OR-Tools (google/or-tools#5246).

Variables: x[a] units along arc a (integer), u[r] unmet units of request r, y[i] = 1 when
incident i receives international units (binary). Constraints: group sizes, drawdown caps,
request quantities (sum x + u = q), and for each incident: the non-speakers sent across to each
of its requests are at most q·y[i] (and along each arc at most its capacity·y[i], which
tightens the relaxation), the speakers sent across are at least y[i].

scipy's milp takes no starting solution, so the caller keeps the repaired flow as a fallback
and restricts the arcs (`candidate_arcs`) to keep large models quick.
"""

import math

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix


def candidate_arcs(net, per_kind=6, speakers=4, solutions=()):
    """A subset of arcs that keeps the MILP small and still holds good plans: each request's
    `per_kind` cheapest arcs of every kind it accepts, its `speakers` cheapest international
    arcs with a Spanish–English speaker, and every arc used by the given solutions."""
    n = net.n_arcs
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    kinds = sorted(set(net.g_kind))
    kind_of = np.array([kinds.index(k) for k in net.g_kind], dtype=np.int64)[net.a_group]
    keep = _first_per_key(net.a_request * len(kinds) + kind_of, per_kind)
    liaison = net.a_intl & net.a_bilingual
    keep[np.nonzero(liaison)[0][_first_per_key(net.a_request[liaison], speakers)]] = True
    for x in solutions:
        keep |= x > 0
    return np.nonzero(keep)[0]


def _first_per_key(keys, k):
    """Mask of the first k positions of each key value (positions already in cost order)."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.r_[0, np.nonzero(np.diff(sorted_keys))[0] + 1]
    rank = np.arange(len(keys)) - np.repeat(starts, np.diff(np.r_[starts, len(keys)]))
    mask = np.zeros(len(keys), dtype=bool)
    mask[order[rank < k]] = True
    return mask


def solve(net, arcs=None, time_limit=None, mip_rel_gap=1e-6):
    """Solve on `arcs` (all by default). Returns a dict: x (full-length solution or None),
    status ("optimal", "time_limit", "infeasible", ...), bound (a lower bound on the objective
    over these arcs, or None) and message."""
    arcs = np.arange(net.n_arcs) if arcs is None else np.asarray(arcs, dtype=np.int64)
    n_x = len(arcs)
    reqs = np.nonzero(net.r_quantity > 0)[0]
    n_u = len(reqs)
    a_g, a_r = net.a_group[arcs], net.a_request[arcs]
    upper = net.a_cap[arcs].astype(float)
    rows, cols, vals, lo, hi = [], [], [], [], []

    def add_rows(row_ids, col_ids, values, lower, upper_):
        base = len(lo)
        rows.append(np.asarray(row_ids) + base)
        cols.append(np.asarray(col_ids))
        vals.append(np.asarray(values, dtype=float))
        lo.extend(lower)
        hi.extend(upper_)

    # Group sizes and drawdown caps.
    groups, g_row = np.unique(a_g, return_inverse=True)
    add_rows(g_row, np.arange(n_x), np.ones(n_x), [-np.inf] * len(groups),
             net.g_size[groups].tolist())
    jks, jk_row = np.unique(net.g_jk[a_g], return_inverse=True)
    add_rows(jk_row, np.arange(n_x), np.ones(n_x), [-np.inf] * len(jks),
             net.jk_cap[jks].tolist())
    # Request quantities: sum x + u = q.
    r_row = np.searchsorted(reqs, a_r)
    add_rows(np.r_[r_row, np.arange(n_u)], np.r_[np.arange(n_x), n_x + np.arange(n_u)],
             np.ones(n_x + n_u), net.r_quantity[reqs].tolist(), net.r_quantity[reqs].tolist())
    # The liaison rule.
    y_incidents = []
    if net.instance.liaison:
        covered = {int(net.r_incident[p.request]) for p in net.pinned
                   if p.international and net.resources[p.resource].bilingual}
        intl = net.a_intl[arcs]
        speaker = intl & net.a_bilingual[arcs]
        silent = intl & ~net.a_bilingual[arcs]
        incident = net.r_incident[a_r]
        for i in sorted(set(incident[intl].tolist()) - covered):
            mine = incident == i
            if not (speaker & mine).any():
                upper[silent & mine] = 0  # nobody could go with them: they cannot go
                continue
            y = n_x + n_u + len(y_incidents)
            y_incidents.append(i)
            for r in sorted(set(a_r[silent & mine].tolist())):
                cols_r = np.nonzero(silent & mine & (a_r == r))[0]
                add_rows(np.zeros(len(cols_r) + 1, dtype=int), np.r_[cols_r, y],
                         np.r_[np.ones(len(cols_r)), -float(net.r_quantity[r])],
                         [-np.inf], [0.0])
            # The same rule arc by arc (x ≤ capacity·y): redundant for integers, it tightens
            # the relaxation — HiGHS then solves large models several times faster.
            cols_a = np.nonzero(silent & mine)[0]
            add_rows(np.r_[np.arange(len(cols_a)), np.arange(len(cols_a))],
                     np.r_[cols_a, np.full(len(cols_a), y)],
                     np.r_[np.ones(len(cols_a)), -upper[cols_a]],
                     [-np.inf] * len(cols_a), [0.0] * len(cols_a))
            cols_s = np.nonzero(speaker & mine)[0]
            add_rows(np.zeros(len(cols_s) + 1, dtype=int), np.r_[cols_s, y],
                     np.r_[np.ones(len(cols_s)), -1.0], [0.0], [np.inf])
    n_y = len(y_incidents)
    n = n_x + n_u + n_y
    units = int(net.r_quantity.sum())
    scale = (net.a_tie.max(initial=0) + 1) * units + 1
    c = np.r_[net.a_cost[arcs] + net.a_tie[arcs] / scale, net.r_unmet_cost[reqs],
              np.zeros(n_y)].astype(float)
    matrix = coo_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                        shape=(len(lo), n)).tocsr()
    options = {"mip_rel_gap": mip_rel_gap}
    if time_limit is not None:
        options["time_limit"] = max(0.01, float(time_limit))
    result = milp(c=c, integrality=np.r_[np.ones(n_x), np.zeros(n_u), np.ones(n_y)],
                  bounds=Bounds(np.zeros(n), np.r_[upper, net.r_quantity[reqs], np.ones(n_y)]),
                  constraints=LinearConstraint(matrix, lo, hi), options=options)
    status = {0: "optimal", 1: "time_limit", 2: "infeasible", 3: "unbounded"}.get(
        result.status, "error")
    x = None
    if result.x is not None:
        x = net.empty()
        x[arcs] = np.rint(result.x[:n_x]).astype(np.int64)
    bound = None
    dual = getattr(result, "mip_dual_bound", None)
    if dual is not None and np.isfinite(dual):
        # The tie-break adds less than 1 to the objective, and the objective is an integer.
        bound = max(0, math.ceil(dual - 1 + 1e-9))
    return {"x": x, "status": status, "bound": bound, "message": result.message,
            "variables": n, "constraints": len(lo)}
