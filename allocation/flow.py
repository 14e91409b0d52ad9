"""The exact min-cost flow (OR-Tools' SimpleMinCostFlow) for everything but the liaison rule.

    source ──(drawdown cap)──▶ jurisdiction×kind ──(group size)──▶ group
    group ──(arc: lateness + substitution)──▶ request ──(quantity)──▶ sink
    source ──(unmet penalty)──▶ request

The source supplies every unit requested, so a flow always exists: what no resource can fill
goes over the request's unmet arc. Eligibility, cross-border rules, port hours and credential
delays are already in which arcs exist and what they cost (allocation.network).

Costs are integers: the objective scaled by K plus an earlier-arrival tie-break below it, with K
larger than the sum of every tie-break, so the objective part of the optimum is exact.

`arrays` is the model exactly as the solver receives it, so a benchmark can time OR-Tools alone
on the same arcs (bench/allocation/run.py).
"""

from dataclasses import dataclass

import numpy as np
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

SOURCE, SINK = 0, 1


@dataclass(frozen=True)
class Arrays:
    """The flow model as OR-Tools takes it: arc tails, heads, capacities and unit costs, and
    every node's supply. The network's arcs are arcs first … first + n_arcs."""
    tails: np.ndarray
    heads: np.ndarray
    caps: np.ndarray
    costs: np.ndarray
    supplies: np.ndarray
    first: int


def arrays(net, tie_break=True):
    """The arc and node arrays (all int64) of the flow model for this network."""
    n_jk, n_g, n_r = len(net.jk_keys), len(net.members), len(net.requests)
    jk_node = 2 + np.arange(n_jk, dtype=np.int64)
    g_node = 2 + n_jk + np.arange(n_g, dtype=np.int64)
    r_node = 2 + n_jk + n_g + np.arange(n_r, dtype=np.int64)
    units = int(net.r_quantity.sum())
    scale = (int(net.a_tie.max(initial=0)) + 1) * units + 1 if tie_break else 1
    arc_cost = net.a_cost * scale
    if tie_break:
        arc_cost += net.a_tie
    tails = np.concatenate([np.full(n_jk, SOURCE, dtype=np.int64), jk_node[net.g_jk],
                            g_node[net.a_group], np.full(n_r, SOURCE, dtype=np.int64), r_node])
    heads = np.concatenate([jk_node, g_node, r_node[net.a_request], r_node,
                            np.full(n_r, SINK, dtype=np.int64)])
    caps = np.concatenate([net.jk_cap, net.g_size, net.a_cap, net.r_quantity, net.r_quantity])
    costs = np.concatenate([np.zeros(n_jk + n_g, dtype=np.int64), arc_cost,
                            net.r_unmet_cost * scale, np.zeros(n_r, dtype=np.int64)])
    supplies = np.zeros(2 + n_jk + n_g + n_r, dtype=np.int64)
    supplies[SOURCE], supplies[SINK] = units, -units
    return Arrays(tails=tails, heads=heads, caps=caps.astype(np.int64, copy=False),
                  costs=costs.astype(np.int64, copy=False), supplies=supplies, first=n_jk + n_g)


def run(model):
    """Hand the arrays to a fresh SimpleMinCostFlow and solve: (solver, status)."""
    mcf = SimpleMinCostFlow()
    mcf.add_arcs_with_capacity_and_unit_cost(model.tails, model.heads, model.caps, model.costs)
    mcf.set_nodes_supplies(np.arange(len(model.supplies), dtype=np.int64), model.supplies)
    return mcf, mcf.solve()


def solve(net, tie_break=True):
    """(x, status) — an optimal solution vector ignoring the liaison rule, and OR-Tools'
    status name."""
    model = arrays(net, tie_break)
    mcf, status = run(model)
    if status == SimpleMinCostFlow.BAD_COST_RANGE and tie_break:
        # The scaled costs overflowed OR-Tools' range: drop the tie-break, keep exactness.
        return solve(net, tie_break=False)
    if status != SimpleMinCostFlow.OPTIMAL:
        return None, status.name
    x = np.asarray(mcf.flows(np.arange(model.first, model.first + net.n_arcs, dtype=np.int64)),
                   dtype=np.int64)
    return x, status.name
