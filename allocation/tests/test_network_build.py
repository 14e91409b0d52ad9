"""The fast network build gives exactly the arcs of the plain one: every (group, request) pair
of a kind through the travel model row by row, no sharing between groups that travel alike;
and greedy tries each request's arcs in its documented order."""

import numpy as np
import pytest

from allocation import greedy
from allocation.generate import generate
from allocation.network import Network
from allocation.travel import UNREACHABLE


def plain_arcs(net):
    """{(group, request): (eta, international, cost)} built pair by pair of each kind."""
    arcs = {}
    for kind in sorted(set(net.g_kind)):
        groups = [g for g, k in enumerate(net.g_kind) if k == kind]
        wanted = [(r, kinds[kind]) for r, kinds in enumerate(net.accepted)
                  if kind in kinds and net.r_quantity[r] > 0]
        if not wanted:
            continue
        reqs = np.array([r for r, _p in wanted])
        eta, intl, _air, _port = net.travel.eta_block(net.group_arrays(groups),
                                                      net.request_arrays(reqs))
        for row, g in enumerate(groups):
            for col, (r, penalty) in enumerate(wanted):
                e = int(eta[row, col])
                cost = int(net.r_priority[r]) * max(0, e - int(net.r_needed[r])) + penalty
                if (e >= UNREACHABLE or cost >= net.r_unmet_cost[r]
                        or (intl[row, col] and not net.g_columns["eligible"][g])
                        or r in net.g_excluded[g]):
                    continue
                arcs[(g, r)] = (e, bool(intl[row, col]), cost)
    return arcs


@pytest.mark.parametrize("liaison", [False, True])
def test_arcs_equal_the_plain_build(liaison):
    inst = generate("medium", seed=1, liaison=liaison)
    pins = [{"resource": inst.resources[i].id, "request": inst.requests[i].id}
            for i in range(0, 60, 6)]
    exclusions = [{"resource": inst.resources[i].id, "request": inst.requests[3 * i].id}
                  for i in range(1, 60, 4)] + [{"resource": inst.resources[2].id}]
    net = Network(inst, pins=pins, exclusions=exclusions)
    assert any(net.g_excluded)
    expected = plain_arcs(net)
    built = {(int(g), int(r)): (int(e), bool(i), int(c)) for g, r, e, i, c in zip(
        net.a_group, net.a_request, net.a_eta, net.a_intl, net.a_cost, strict=True)}
    assert built == expected
    assert net.n_arcs == len(expected) > 10_000
    # Sorted by request, then cost, ETA and group.
    keys = list(zip(net.a_request.tolist(), net.a_cost.tolist(), net.a_eta.tolist(),
                    net.a_group.tolist(), strict=True))
    assert keys == sorted(keys)


def test_greedy_tries_arcs_by_penalty_then_eta_then_group():
    net = Network(generate("medium", seed=2))
    order = greedy.arc_order(net)
    assert sorted(order.tolist()) == list(range(net.n_arcs))
    substitutes = 0
    for r in range(len(net.requests)):
        arcs = order[net.r_ptr[r]:net.r_ptr[r + 1]].tolist()
        assert sorted(arcs) == list(net.arcs_of(r))
        assert arcs == sorted(arcs, key=lambda a: (net.a_penalty[a], net.a_eta[a],
                                                   net.a_group[a]))
        substitutes += len(set(net.a_penalty[arcs].tolist())) > 1
    assert substitutes > 10


@pytest.mark.parametrize("timezone", ["America/Los_Angeles", "Asia/Beirut"])
def test_port_days_found_among_local_midnights_as_with_astimezone(timezone):
    """Around a clock change (Los Angeles at 02:00, Beirut at midnight), next_open finds the
    same opening by local midnights as by converting each moment."""
    import random
    from dataclasses import replace
    from datetime import UTC, datetime

    from allocation.tests.builders import instance, port, request, resource
    from allocation.travel import TravelModel

    ports = [port("A", "otay_mesa", opens="20:00", closes="04:00"),
             port("B", "san_ysidro", opens="06:00", closes="22:00",
                  days=("mon", "tue", "wed", "thu", "fri")),
             port("D", "otay_mesa", opens="00:00", closes="00:00", days=("sat",))]
    inst = instance([resource("MX1", "tijuana")], [request("Q", "san_diego")], ports=ports)
    inst.reference_time = datetime(2025, 3, 8, 9, 17, tzinfo=UTC)
    inst.travel = replace(inst.travel, timezone=timezone)
    fast, slow = TravelModel(inst), TravelModel(inst)
    slow._midnights = None
    rng = random.Random(3)
    moments = [rng.uniform(-3000, 50000) for _ in range(1500)] + [
        float(m) for m in range(0, 40000, 60)]
    for t in moments:
        for p in ports:
            assert fast.next_open(p, t) == slow.next_open(p, t)
    assert (fast._midnights is None) == (timezone == "Asia/Beirut")
