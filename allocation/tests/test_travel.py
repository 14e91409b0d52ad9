import random

import numpy as np

from allocation.generate import generate, places
from allocation.network import Network
from allocation.tests.builders import instance, port, request, resource
from allocation.travel import UNREACHABLE, TravelModel, side_of_boundary, sides


def test_sides_of_the_border():
    assert side_of_boundary(32.7157, -117.1611) == "USA"  # San Diego
    assert side_of_boundary(32.5149, -117.0382) == "MEX"  # Tijuana
    assert side_of_boundary(23.0617, -109.7081) == "MEX"  # Los Cabos, east of the line's end
    assert side_of_boundary(38.5816, -121.4944) == "USA"  # Sacramento, west of it
    rows = places()
    lats = [float(p["latitude"]) for p in rows]
    lons = [float(p["longitude"]) for p in rows]
    vector = sides(lats, lons)
    for p, usa in zip(rows, vector, strict=True):
        assert side_of_boundary(float(p["latitude"]), float(p["longitude"])) == (
            "USA" if usa else "MEX") == p["country"]


def test_vector_and_scalar_travel_agree():
    """The solvers' numpy ETAs equal the checker's plain-Python ones, ports and all."""
    inst = generate(resources=300, requests=40, seed=11)
    net = Network(inst)
    travel = TravelModel(inst)
    rng = random.Random(5)
    crossings = 0
    for g, members in enumerate(net.members):
        for r in rng.sample(range(len(inst.requests)), 5):
            eta, intl, _air, port_index = travel.eta_block(
                net.group_arrays([g]), net.request_arrays([r]))
            route = travel.route(inst.resources[members[0]], inst.requests[r])
            if route is None:
                assert eta[0, 0] == UNREACHABLE
                continue
            assert eta[0, 0] == route.eta
            assert bool(intl[0, 0]) == route.international
            if route.port:
                crossings += 1
                assert inst.ports[port_index[0, 0]].id == route.port
    assert crossings > 20


def test_overnight_and_closed_ports():
    res = resource("MX1", "tijuana", cross_border_eligible=True)
    req = request("Q", "san_diego")
    night = port("N", "otay_mesa", opens="20:00", closes="04:00")  # 02:00 now: open
    inst = instance([res], [req], ports=[night])
    travel = TravelModel(inst)
    assert travel.next_open(night, 0) == 0
    assert travel.next_open(night, 150) == 18 * 60  # 04:30 -> 20:00 the same day
    never = port("X", "otay_mesa", days=())
    inst = instance([res], [req], ports=[never])
    assert TravelModel(inst).route(res, req) is None
    net = Network(inst)
    assert net.n_arcs == 0
    block = TravelModel(inst).eta_block(net.group_arrays([0]), net.request_arrays([0]))
    assert np.all(block[0] == UNREACHABLE)
