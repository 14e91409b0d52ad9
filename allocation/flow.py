"""The exact min-cost flow (OR-Tools' SimpleMinCostFlow) for everything but the liaison rule.

    source ──(drawdown cap)──▶ jurisdiction×kind ──(group size)──▶ group
    group ──(arc: lateness + substitution)──▶ request ──(quantity)──▶ sink
    source ──(unmet penalty)──▶ request

The source supplies every unit requested, so a flow always exists: what no resource can fill
goes over the request's unmet arc. Eligibility, cross-border rules, port hours and credential
delays are already in which arcs exist and what they cost (allocation.network).

Costs are integers: the objective scaled by K plus an earlier-arrival tie-break below it, with K
larger than the sum of every tie-break, so the objective part of the optimum is exact.
"""

import numpy as np
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

SOURCE, SINK = 0, 1


def solve(net, tie_break=True):
    """(x, status) — an optimal solution vector ignoring the liaison rule, and OR-Tools'
    status name."""
    n_jk, n_g, n_r = len(net.jk_keys), len(net.members), len(net.requests)
    jk_node = 2 + np.arange(n_jk)
    g_node = 2 + n_jk + np.arange(n_g)
    r_node = 2 + n_jk + n_g + np.arange(n_r)
    units = int(net.r_quantity.sum())
    scale = (net.a_tie.max(initial=0) + 1) * units + 1 if tie_break else 1
    tie = net.a_tie if tie_break else 0
    tails = np.concatenate([np.full(n_jk, SOURCE), jk_node[net.g_jk], g_node[net.a_group],
                            np.full(n_r, SOURCE), r_node])
    heads = np.concatenate([jk_node, g_node, r_node[net.a_request], r_node, np.full(n_r, SINK)])
    caps = np.concatenate([net.jk_cap, net.g_size, net.a_cap, net.r_quantity, net.r_quantity])
    costs = np.concatenate([np.zeros(n_jk + n_g, dtype=np.int64), net.a_cost * scale + tie,
                            net.r_unmet_cost * scale, np.zeros(n_r, dtype=np.int64)])
    mcf = SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(tails.astype(np.int64), heads.astype(np.int64),
                                             caps.astype(np.int64), costs.astype(np.int64))
    supplies = np.zeros(2 + n_jk + n_g + n_r, dtype=np.int64)
    supplies[SOURCE], supplies[SINK] = units, -units
    mcf.set_nodes_supplies(np.arange(len(supplies), dtype=np.int64), supplies)
    status = mcf.solve()
    if status == SimpleMinCostFlow.BAD_COST_RANGE and tie_break:
        # The scaled costs overflowed OR-Tools' range: drop the tie-break, keep exactness.
        return solve(net, tie_break=False)
    if status != SimpleMinCostFlow.OPTIMAL:
        return None, status.name
    first = n_jk + n_g
    x = np.asarray(mcf.flows(np.arange(first, first + net.n_arcs, dtype=np.int64)),
                   dtype=np.int64)
    return x, status.name
