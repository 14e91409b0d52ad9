"""Small instances whose optimal plans are known by hand."""

import copy
import dataclasses
import math

import pytest

from allocation.check import check
from allocation.instance import Jurisdiction, Substitution
from allocation.plan import solve
from allocation.tests.builders import TRAVEL, instance, km, port, request, resource


def pairs(plan):
    return sorted((a["resource"], a["request"]) for a in plan["assignments"])


def solved(inst, solver="auto", **kw):
    plan = solve(inst, solver=solver, **kw)
    result = check(inst, plan)
    assert result["feasible"], result["violations"]
    assert result["objective"] == plan["objective"]["total"]
    return plan


def test_optimum_swaps_what_greedy_grabs():
    # The urgent request takes the closest engine under greedy, leaving the other request a
    # far, late one; the optimum sends the far engine to the urgent request (still on time).
    near = km("chula_vista", "san_diego")
    inst = instance(
        [resource("R1", "chula_vista"), resource("R2", "riverside")],
        [request("A", "san_diego", priority=5, needed_by=200),
         request("B", "chula_vista", priority=1, needed_by=30)])
    greedy = solved(inst, "greedy")
    assert pairs(greedy) == [("R1", "A"), ("R2", "B")]
    assert greedy["objective"]["lateness"] == math.ceil(km("riverside", "chula_vista")) - 30
    best = solved(inst, "flow")
    assert pairs(best) == [("R1", "B"), ("R2", "A")]
    assert best["objective"] == {"total": 0, "lateness": 0, "substitution": 0, "unmet": 0}
    assert best["status"] == "optimal" and best["gap"] == 0
    assert near < 200


def test_crossing_waits_for_a_closed_port_or_takes_an_open_one():
    # 02:00 local: San Ysidro (06:00-22:00 here) is shut, Otay Mesa (24 h) is open.
    res = resource("MX1", "tijuana", cross_border_eligible=True)
    req = request("Q", "san_diego", needed_by=60)
    day_port = port("SY", "san_ysidro", opens="06:00", closes="22:00", wait=10)
    night_port = port("OM", "otay_mesa", wait=30)
    plan = solved(instance([res], [req], ports=[day_port, night_port]))
    crossing = plan["assignments"][0]["route"]["crossing"]
    assert crossing["port"] == "OM" and crossing["waited_for_opening_minutes"] == 0
    expected = math.ceil(km("tijuana", "otay_mesa") + 30 + km("otay_mesa", "san_diego"))
    assert plan["assignments"][0]["late_minutes"] == expected - 60

    # Only the day port: the crew waits for 06:00 local (14:00 UTC).
    plan = solved(instance([res], [req], ports=[day_port]))
    crossing = plan["assignments"][0]["route"]["crossing"]
    assert crossing["port"] == "SY"
    assert crossing["start"] == "2025-01-08T14:00:00Z"
    assert crossing["waited_for_opening_minutes"] == round(240 - km("tijuana", "san_ysidro"))
    minutes = math.ceil(10 + km("san_ysidro", "san_diego"))
    assert plan["assignments"][0]["eta"] == f"2025-01-08T14:{minutes:02d}:00Z"

    # A plan claiming the crossing at 02:30 is caught.
    forged = copy.deepcopy(plan)
    forged["assignments"][0]["route"]["crossing"]["start"] = "2025-01-08T10:30:00Z"
    forged["assignments"][0]["eta"] = "2025-01-08T10:55:00Z"
    found = {v["constraint"] for v in check(instance([res], [req], ports=[day_port]),
                                             forged)["violations"]}
    assert {"port_hours", "eta"} <= found


def test_a_weekday_port_is_shut_on_saturday():
    inst = instance([resource("MX1", "tijuana", cross_border_eligible=True,
                              available_from=3 * 1440)],  # Saturday 02:00 local
                    [request("Q", "san_diego", needed_by=4 * 1440)],
                    ports=[port("OMC", "otay_mesa", opens="06:00", closes="22:00",
                                days=("mon", "tue", "wed", "thu", "fri"))])
    crossing = solved(inst)["assignments"][0]["route"]["crossing"]
    assert crossing["start"] == "2025-01-13T14:00:00Z"  # Monday 06:00 local


def test_no_port_and_no_eligibility_leave_demand_unmet_with_reasons():
    inst = instance([resource("MX1", "tijuana", cross_border_eligible=False),
                     resource("MX2", "tijuana", cross_border_eligible=True)],
                    [request("Q", "san_diego", quantity=3)])  # no port at all
    plan = solved(inst)
    assert plan["assignments"] == []
    (unmet,) = plan["unmet"]
    assert unmet["quantity"] == 3
    assert unmet["counts"] == {"not_cross_border_eligible": 1, "unreachable": 1}
    assert plan["objective"]["unmet"] == 3 * inst.unmet_penalty


def test_drawdown_binds():
    # CA has four engines and keeps half at home, so only two go; the third comes from far.
    jurisdictions = [Jurisdiction("CA", "USA", keep_share=0.5), Jurisdiction("RIV", "USA"),
                     Jurisdiction("BC", "MEX")]
    inst = instance([*(resource(f"R{i}", "chula_vista") for i in range(4)),
                     resource("FAR", "los_angeles", jurisdiction="RIV")],
                    [request("Q", "san_diego", quantity=3, needed_by=30)],
                    jurisdictions=jurisdictions)
    plan = solved(inst)
    sent = [a["resource"] for a in plan["assignments"]]
    assert sorted(sent) == ["FAR", "R0", "R1"]
    assert plan["objective"]["lateness"] == math.ceil(km("los_angeles", "san_diego")) - 30
    # A plan sending three CA engines breaks the drawdown limit.
    forged = copy.deepcopy(plan)
    far = next(a for a in forged["assignments"] if a["resource"] == "FAR")
    far["resource"] = "R2"
    assert "drawdown" in {v["constraint"] for v in check(inst, forged)["violations"]}


def test_held_for_home_coverage_stays_home():
    inst = instance([resource("R1", "chula_vista", held_for_home_coverage=True)],
                    [request("Q", "san_diego")])
    plan = solved(inst)
    assert plan["unmet"][0]["counts"] == {"held_for_home_coverage": 1}


def test_liaison_rule_brings_a_speaker():
    # Two Mexican crews without English are closest; the rule needs the bilingual one too.
    crews = [resource("MX1", "tijuana", cross_border_eligible=True, languages=("es",)),
             resource("MX2", "tijuana", cross_border_eligible=True, languages=("es",)),
             resource("MXB", "ensenada", cross_border_eligible=True, languages=("en", "es"))]
    req = request("Q", "san_diego", quantity=2, needed_by=60)
    ports = [port("OM", "otay_mesa", wait=0)]
    free = solved(instance(crews, [req], ports=ports))
    assert pairs(free) == [("MX1", "Q"), ("MX2", "Q")]
    assert free["objective"]["total"] == 0

    inst = instance(crews, [req], ports=ports, liaison=True)
    eta_b = math.ceil(km("ensenada", "otay_mesa") + km("otay_mesa", "san_diego"))
    for solver in ("milp", "greedy", "flow"):
        plan = solved(inst, solver)
        assert pairs(plan) == [("MX1", "Q"), ("MXB", "Q")], solver
        assert plan["objective"]["lateness"] == eta_b - 60
    milp = solved(inst, "milp")
    assert milp["method"] == "milp" and milp["status"] == "optimal" and milp["gap"] == 0

    # Nobody speaks both: the crews may not cross, and the reason says so.
    alone = instance(crews[:2], [req], ports=ports, liaison=True)
    plan = solved(alone, "milp")
    assert plan["unmet"][0]["counts"] == {"liaison": 2}
    forged = copy.deepcopy(free)
    assert "liaison" in {v["constraint"] for v in check(alone, forged)["violations"]}


def test_substitute_on_time_beats_the_requested_kind_late():
    inst = instance([resource("T3", "los_angeles", kind="ENGINE-T3"),
                     resource("T6", "chula_vista", kind="ENGINE-T6")],
                    [request("Q", "san_diego", kind="ENGINE-T3", priority=2, needed_by=60)],
                    substitutions=[Substitution("ENGINE-T3", "ENGINE-T6", 120)])
    plan = solved(inst)
    assert pairs(plan) == [("T6", "Q")]
    assert plan["objective"] == {"total": 120, "lateness": 0, "substitution": 120, "unmet": 0}
    assert "runner-up T3" in plan["assignments"][0]["why"]["text"]
    # The requester accepts no substitute: the late engine goes.
    strict = instance(inst.resources, [request("Q", "san_diego", kind="ENGINE-T3", priority=2,
                                               needed_by=60, substitutes=())],
                      substitutions=inst.substitutions)
    assert pairs(solved(strict)) == [("T3", "Q")]


def test_credential_delay_holds_an_international_move():
    inst = instance([resource("MX1", "tijuana", cross_border_eligible=True,
                              credential_delay=300),
                     resource("US1", "los_angeles")],
                    [request("Q", "san_diego", needed_by=240)],
                    ports=[port("OM", "otay_mesa")])
    plan = solved(inst)
    # Los Angeles is ~180 km away (on time); Tijuana is close but waits 300 min for papers.
    assert pairs(plan) == [("US1", "Q")]
    assert "would cost" in plan["assignments"][0]["why"]["text"]


def test_air_for_long_trips():
    helo = resource("H1", "los_angeles", kind="HELO-T2", air_capable=True,
                    cross_border_eligible=True)
    inst = instance([helo], [request("Q", "ensenada", kind="HELO-T2", needed_by=600)],
                    ports=[port("OM", "otay_mesa")],
                    travel=dataclasses.replace(TRAVEL, air_threshold_km=100))
    (a,) = solved(inst)["assignments"]
    assert a["route"]["mode"] == "air" and a["route"]["crossing"] is None
    hours, minutes = divmod(600 + 120 + math.ceil(km("los_angeles", "ensenada") / 10), 60)
    assert a["eta"] == f"2025-01-08T{hours:02d}:{minutes:02d}:00Z"
    # Below the threshold the same trip drives through the port.
    inst.travel = TRAVEL
    assert solved(inst)["assignments"][0]["route"]["crossing"]["port"] == "OM"


def test_pins_and_exclusions():
    inst = instance([resource("R1", "chula_vista"), resource("R2", "riverside"),
                     resource("H", "chula_vista", held_for_home_coverage=True)],
                    [request("Q", "san_diego", needed_by=30)])
    plan = solved(inst, pins=[{"resource": "R2", "request": "Q"},
                              {"resource": "H", "request": "Q"}])
    assert pairs(plan) == [("R2", "Q")]
    assert plan["assignments"][0]["pinned"] and plan["assignments"][0]["why"]["text"] == (
        "pinned by the duty officer")
    assert plan["rejected_pins"] == [{"resource": "H", "request": "Q",
                                      "reason": "the resource is held for home coverage"}]
    plan = solved(inst, exclusions=[{"resource": "R1", "request": "Q"}])
    assert pairs(plan) == [("R2", "Q")]
    plan = solved(inst, exclusions=[{"resource": "R1"}, {"resource": "R2"}])
    assert plan["unmet"][0]["counts"] == {"excluded": 2, "held_for_home_coverage": 1}
    # A plan that ignores an honourable pin is caught.
    forged = solved(inst)
    forged["pins"] = [{"resource": "R2", "request": "Q"}]
    assert "pin" in {v["constraint"] for v in check(inst, forged)["violations"]}


def test_check_catches_double_use_and_wrong_kind():
    inst = instance([resource("R1", "chula_vista")],
                    [request("A", "san_diego"), request("B", "san_diego", kind="DOZER-T1")])
    plan = solved(inst)
    forged = copy.deepcopy(plan)
    forged["assignments"].append(dict(forged["assignments"][0], request="B"))
    result = check(inst, forged)
    assert not result["feasible"]
    assert {"capacity"} <= {v["constraint"] for v in result["violations"]}
    forged["assignments"][1:] = []
    forged["assignments"][0]["request"] = "B"
    assert "kind" in {v["constraint"] for v in check(inst, forged)["violations"]}


@pytest.mark.parametrize("solver", ["greedy", "flow", "milp"])
def test_empty_instance(solver):
    plan = solved(instance([], []), solver)
    assert plan["objective"]["total"] == 0 and plan["assignments"] == [] == plan["unmet"]


def test_nothing_of_the_kind_and_unknown_pins():
    inst = instance([resource("R1", "chula_vista")],
                    [request("Q", "san_diego", kind="USAR-TF-T1", quantity=2, priority=3)])
    plan = solved(inst, pins=[{"resource": "NOPE", "request": "Q"},
                              {"resource": "R1", "request": "Q"}])
    (unmet,) = plan["unmet"]
    assert unmet["reason"] == "no resource of kind USAR-TF-T1 exists in the instance"
    assert unmet["cost"] == 2 * 3 * inst.unmet_penalty
    assert [p["reason"] for p in plan["rejected_pins"]] == [
        "unknown resource", "kind ENGINE-T3 is neither USAR-TF-T1 nor an accepted substitute"]

