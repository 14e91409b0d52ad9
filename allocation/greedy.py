"""The baseline: today's practice of filling requests one by one, in priority order (then the
earliest needed), each with the closest available resources — the requested kind first, then
accepted substitutes in order of their penalty — within every hard constraint.

It is also the solvers' fallback: its plan is always feasible and takes little time.
"""


def solve(net):
    """A solution vector for the network (see allocation.network)."""
    x = net.empty()
    g_left = net.g_size.copy()
    jk_left = net.jk_cap.copy()
    covered = set()  # incidents that already have a Spanish–English speaker across the border
    for p in net.pinned:
        if p.international and net.resources[p.resource].bilingual:
            covered.add(int(net.r_incident[p.request]))
    order = sorted(range(len(net.requests)),
                   key=lambda r: (-net.r_priority[r], net.r_needed[r], r))
    for r in order:
        need = int(net.r_quantity[r])
        arcs = list(net.arcs_of(r))
        if not need or not arcs:
            continue
        arcs.sort(key=lambda a: (net.a_penalty[a], net.a_eta[a], net.a_group[a]))
        incident = int(net.r_incident[r])
        while need:
            progress = False
            for a in arcs:
                g = net.a_group[a]
                jk = net.g_jk[g]
                if g_left[g] == 0 or jk_left[jk] == 0:
                    continue
                if (net.instance.liaison and net.a_intl[a] and not net.a_bilingual[a]
                        and incident not in covered):
                    continue
                take = min(need, int(g_left[g]), int(jk_left[jk]))
                x[a] += take
                g_left[g] -= take
                jk_left[jk] -= take
                need -= take
                progress = True
                if net.a_intl[a] and net.a_bilingual[a] and incident not in covered:
                    # A liaison now travels with this incident's units: the non-speakers
                    # skipped so far may go, so scan again from the closest.
                    covered.add(incident)
                    break
                if not need:
                    break
            if not progress:
                break
    return x
