"""Properties every plan keeps, on small generated instances with random pins and exclusions."""

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allocation import flow, milp
from allocation.check import check
from allocation.generate import generate
from allocation.network import Network
from allocation.plan import solve

cases = st.builds(
    dict,
    seed=st.integers(0, 10_000),
    resources=st.integers(10, 90),
    requests=st.integers(1, 12),
    liaison=st.booleans(),
    bilingual_share=st.sampled_from((0.0, 0.05, 0.3)),
    pins=st.integers(0, 4),
    exclusions=st.integers(0, 4),
)


def make(case):
    inst = generate(seed=case["seed"], resources=case["resources"],
                    requests=case["requests"], liaison=case["liaison"],
                    bilingual_share=case["bilingual_share"])
    rng = random.Random(case["seed"])
    pins = []
    for _ in range(case["pins"]):
        # Mostly pins a duty officer could mean (a resource of an accepted kind), some not.
        req = rng.choice(inst.requests)
        fitting = [r for r in inst.resources if r.kind in inst.accepted_kinds(req)]
        res = rng.choice(fitting if fitting and rng.random() < 0.8 else inst.resources)
        pins.append({"resource": res.id, "request": req.id})
    exclusions = [{"resource": rng.choice(inst.resources).id,
                   **({"request": rng.choice(inst.requests).id} if rng.random() < 0.7 else {})}
                  for _ in range(case["exclusions"])]
    return inst, pins, exclusions


@settings(max_examples=100, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_every_plan_is_feasible_and_the_optimum_beats_greedy(case):
    inst, pins, exclusions = make(case)
    plans = {s: solve(inst, solver=s, pins=pins, exclusions=exclusions)
             for s in ("greedy", "flow", "milp")}
    for name, plan in plans.items():
        result = check(inst, plan)
        assert result["feasible"], (name, result["violations"])
        assert result["objective"] == plan["objective"]["total"]
        assert 0 <= plan["bound"] <= plan["objective"]["total"]
        # Pins: honoured, or rejected with a reason (the checker judges the reason).
        kept = {(a["resource"], a["request"]) for a in plan["assignments"] if a["pinned"]}
        rejected = {(p["resource"], p["request"]) for p in plan["rejected_pins"]}
        assert {(p["resource"], p["request"]) for p in pins} <= kept | rejected
        # Exclusions: never broken.
        for e in exclusions:
            for a in plan["assignments"]:
                assert a["resource"] != e["resource"] or e.get("request") not in (
                    None, a["request"])
        # Unmet demand always comes with its reason.
        assert all(u["reason"] and u["quantity"] > 0 for u in plan["unmet"])
    greedy = plans["greedy"]["objective"]["total"]
    assert plans["flow"]["objective"]["total"] <= greedy
    assert plans["milp"]["objective"]["total"] <= plans["flow"]["objective"]["total"]
    if not inst.liaison:
        assert plans["flow"]["status"] == "optimal"


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(cases)
def test_flow_and_the_integer_model_agree(case):
    """Two exact methods, one optimum: the MILP on every arc equals the flow when the liaison
    rule is off, and never beats the flow's bound when it is on."""
    inst, pins, exclusions = make(case)
    net = Network(inst, pins, exclusions)
    x_flow, status = flow.solve(net)
    assert status == "OPTIMAL" and net.feasible(x_flow) or inst.liaison
    result = milp.solve(net)
    assert result["status"] == "optimal"
    assert net.feasible(result["x"])
    if inst.liaison:
        assert net.total(result["x"]) >= net.total(x_flow)
    else:
        assert net.total(result["x"]) == net.total(x_flow)
