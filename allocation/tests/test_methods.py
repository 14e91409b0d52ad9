"""Which method makes the plan, and why: an exact solver is never downgraded in silence."""

import json

import pytest

from allocation import validation
from allocation.check import check
from allocation.cli import main
from allocation.generate import generate
from allocation.instance import save
from allocation.plan import LiaisonBreach, solve
from allocation.tests.builders import instance, port, request, resource


def binding():
    """Few Spanish–English speakers: the flow's optimum breaks the liaison rule and no free
    repair exists (checked below), so only the integer model reaches the optimum."""
    return generate("small", seed=1, liaison=True, bilingual_share=0.03)


def test_flow_escalates_to_the_integer_model_when_the_liaison_rule_binds():
    inst = binding()
    plan = solve(inst, solver="flow")
    assert (plan["method"], plan["method_reason"], plan["status"]) == ("milp", "escalated",
                                                                        "optimal")
    assert plan["solver"] == "flow" and plan["gap"] == 0
    assert any("breaks the liaison rule" in note for note in plan["notes"])
    assert check(inst, plan)["feasible"]
    assert plan["objective"] == solve(inst, solver="milp")["objective"]
    greedy = solve(inst, solver="greedy")
    assert (greedy["method"], greedy["method_reason"]) == ("greedy", "greedy_asked")
    assert greedy["objective"]["total"] > plan["objective"]["total"]
    assert validation.plan_errors(plan) == []


def test_flow_refuses_instead_when_asked(tmp_path, capsys):
    with pytest.raises(LiaisonBreach, match="liaison rule binds"):
        solve(binding(), solver="flow", on_breach="refuse")
    save(binding(), tmp_path / "i.json")
    assert main(["solve", str(tmp_path / "i.json"), "--solver", "flow",
                 "--on-breach", "refuse"]) == 2
    assert "liaison rule binds" in capsys.readouterr().err
    # The integer model asked for is the escalation itself: nothing to refuse.
    assert solve(binding(), solver="milp", on_breach="refuse")["method"] == "milp"


def test_a_free_repair_is_optimal_and_says_so():
    # Two crews equally close; the flow takes the one without English, swapping costs nothing.
    crews = [resource("MXB", "tijuana", cross_border_eligible=True, languages=("en", "es")),
             resource("MX1", "tijuana", cross_border_eligible=True, languages=("es",))]
    inst = instance(crews, [request("Q", "san_diego")], ports=[port("OM", "otay_mesa")],
                    liaison=True)
    plan = solve(inst, solver="flow")
    assert (plan["method"], plan["method_reason"], plan["status"]) == ("flow+repair",
                                                                        "repair_free",
                                                                        "optimal")
    assert [a["resource"] for a in plan["assignments"]] == ["MXB"]


def test_the_flow_alone_is_exact_without_the_rule_and_makes_no_greedy_plan():
    plan = solve(generate("small", seed=1, liaison=False), solver="flow")
    assert (plan["method"], plan["method_reason"], plan["status"]) == ("flow", "flow_exact",
                                                                        "optimal")
    assert "greedy" not in plan["timings"]


def test_greedy_is_the_fallback_only_when_time_runs_out():
    plan = solve(binding(), solver="flow", time_limit=0)
    assert (plan["method"], plan["method_reason"], plan["status"]) == ("greedy", "time_limit",
                                                                        "time_limit")
    assert "greedy" in plan["timings"]


def test_cli_timings_name_every_step(tmp_path, capsys):
    save(binding(), tmp_path / "i.json")
    assert main(["solve", str(tmp_path / "i.json"), "--out", str(tmp_path / "p.json"),
                 "--timings"]) == 0
    steps = json.loads(capsys.readouterr().err)
    assert {"read", "validate", "load", "solve", "network", "flow", "milp", "explain",
            "write"} <= set(steps)
    assert all(seconds >= 0 for seconds in steps.values())
    plan = json.loads((tmp_path / "p.json").read_text())
    assert plan["method_reason"] == "escalated"
