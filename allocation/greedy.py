"""The baseline: today's practice of filling requests one by one, in priority order (then the
earliest needed), each with the closest available resources — the requested kind first, then
accepted substitutes in order of their penalty — within every hard constraint.

It is also the solvers' fallback: its plan is always feasible and takes little time.
"""

import numpy as np


def arc_order(net):
    """The arcs, each request's in the order greedy tries them: by penalty, then ETA, then
    group. The network keeps each request's arcs by (cost, ETA, group), and for one penalty the
    cost only grows with the ETA, so a stable sort on the penalty alone gives that order."""
    request, penalty = net.a_request, net.a_penalty
    if not len(request):
        return np.zeros(0, dtype=np.int64)
    low = int(penalty.min())
    span = int(penalty.max()) - low + 1
    if span * len(net.requests) < 2**63:
        return np.argsort(request * span + (penalty - low), kind="stable")
    return np.lexsort((penalty, request))


def _arcs(net, order, lo, hi):
    """(arc, group, international, bilingual) for order[lo:hi], read a few at a time: greedy
    mostly stops after the first few arcs of a request."""
    step = 16
    while lo < hi:
        arcs = order[lo:min(hi, lo + step)]
        yield from zip(arcs.tolist(), net.a_group[arcs].tolist(), net.a_intl[arcs].tolist(),
                       net.a_bilingual[arcs].tolist(), strict=True)
        lo += step
        step *= 2


def solve(net):
    """A solution vector for the network (see allocation.network)."""
    x = net.empty()
    g_left = net.g_size.tolist()
    jk_left = net.jk_cap.tolist()
    g_jk = net.g_jk.tolist()
    r_ptr = net.r_ptr.tolist()
    liaison = net.instance.liaison
    covered = set()  # incidents that already have a Spanish–English speaker across the border
    for p in net.pinned:
        if p.international and net.resources[p.resource].bilingual:
            covered.add(int(net.r_incident[p.request]))
    order = sorted(range(len(net.requests)),
                   key=lambda r: (-net.r_priority[r], net.r_needed[r], r))
    arcs = arc_order(net)
    for r in order:
        need = int(net.r_quantity[r])
        lo, hi = r_ptr[r], r_ptr[r + 1]
        if not need or lo == hi:
            continue
        incident = int(net.r_incident[r])
        while need:
            progress = False
            for a, g, intl, bilingual in _arcs(net, arcs, lo, hi):
                jk = g_jk[g]
                if g_left[g] == 0 or jk_left[jk] == 0:
                    continue
                if liaison and intl and not bilingual and incident not in covered:
                    continue
                take = min(need, g_left[g], jk_left[jk])
                x[a] += take
                g_left[g] -= take
                jk_left[jk] -= take
                need -= take
                progress = True
                if intl and bilingual and incident not in covered:
                    # A liaison now travels with this incident's units: the non-speakers
                    # skipped so far may go, so scan again from the closest.
                    covered.add(incident)
                    break
                if not need:
                    break
            if not progress:
                break
    return x
