"""The compiled validator and the JSON Schemas in docs/ agree: every sample, valid or broken,
gets the same verdict from both (jsonschema reads the schema as published)."""

import copy
import json

import fastjsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allocation import instance as instances
from allocation import validation
from allocation.generate import generate
from allocation.plan import solve

INSTANCE = instances.to_json(generate(resources=60, requests=8, seed=3, liaison=True))
INSTANCE["pins"] = [{"resource": INSTANCE["resources"][0]["id"],
                     "request": INSTANCE["requests"][0]["id"]}]
INSTANCE["exclusions"] = [{"resource": INSTANCE["resources"][1]["id"]}]
PLAN = json.loads(json.dumps(solve(instances.from_json(INSTANCE), solver="milp")))
SAMPLES = {validation.INSTANCE_SCHEMA: INSTANCE, validation.PLAN_SCHEMA: PLAN}


def verdicts(data, schema_file):
    try:
        validation.fast_validator(str(schema_file))(data)
        fast = True
    except fastjsonschema.JsonSchemaValueException:
        fast = False
    full = not list(validation.full_validator(str(schema_file)).iter_errors(data))
    return fast, full


def leaves(node, path=()):
    """Every path to a value in the document, containers included."""
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node[:3]):
            yield from leaves(value, (*path, i))


def replaced(document, path, value):
    out = copy.deepcopy(document)
    if not path:
        return value
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


@pytest.mark.parametrize("size,seed,liaison", [("small", 0, False), ("small", 5, True),
                                               ("medium", 1, True)])
def test_valid_instances_and_their_plans_pass_both(size, seed, liaison):
    data = instances.to_json(generate(size, seed=seed, liaison=liaison))
    assert verdicts(data, validation.INSTANCE_SCHEMA) == (True, True)
    plan = json.loads(json.dumps(solve(instances.from_json(data), solver="greedy")))
    assert verdicts(plan, validation.PLAN_SCHEMA) == (True, True)
    assert validation.instance_errors(data) == validation.plan_errors(plan) == []


BROKEN = [
    (("resources", 0, "lat"), 91, "maximum"),
    (("resources", 0, "nation"), "CAN", "enum"),
    (("resources", 0, "languages"), ["en", "en"], "unique"),
    (("resources", 0, "languages"), ["english"], "pattern"),
    (("resources", 0, "headcount"), -1, "minimum"),
    (("requests", 0, "quantity"), 1.5, "integer"),
    (("requests", 0, "needed_by"), "tomorrow", "pattern"),
    (("requests", 0, "kind"), "", "minLength"),
    (("reference_time",), "2025-01-10T16:00:00", "pattern"),
    (("rules", "liaison"), "yes", "boolean"),
    (("ports", 0, "opens"), "24:00", "pattern"),
    (("ports", 0, "days"), ["someday"], "enum"),
    (("jurisdictions", 0, "keep_share"), 1.5, "maximum"),
    (("format",), "enlace-allocation-instance/2", "const"),
    (("surprise",), 1, "additionalProperties"),
    (("resources", 0, "surprise"), 1, "additionalProperties"),
]


@pytest.mark.parametrize("path,value,what", BROKEN, ids=[b[2] + ":" + "/".join(map(str, b[0]))
                                                          for b in BROKEN])
def test_broken_instances_fail_both_and_name_the_field(path, value, what):
    data = replaced(INSTANCE, path, value)
    assert verdicts(data, validation.INSTANCE_SCHEMA) == (False, False)
    where = "/".join(map(str, path if what != "additionalProperties" else path[:-1]))
    named = [e.split(": ")[0] for e in validation.instance_errors(data)]
    assert any(n == (where or "(root)") or n.startswith(f"{where}/") for n in named), named
    with pytest.raises(instances.InstanceError):
        instances.from_json(data)


def test_a_missing_required_field_fails_both():
    data = copy.deepcopy(INSTANCE)
    del data["resources"][0]["kind"]
    assert verdicts(data, validation.INSTANCE_SCHEMA) == (False, False)
    plan = copy.deepcopy(PLAN)
    del plan["method"]
    assert verdicts(plan, validation.PLAN_SCHEMA) == (False, False)
    assert validation.plan_errors(plan) == ["(root): 'method' is a required property"]


ODD_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
    st.text(max_size=30), st.sampled_from(["", "USA", "MEX", "en", "es", "mon", "12:00",
                                           "2025-01-10T16:00:00Z", "ENGINE-T3", "flow"]),
    st.lists(st.sampled_from(["en", "es", "mon", 1]), max_size=3),
    st.dictionaries(st.sampled_from(["id", "x", "resource"]), st.integers(), max_size=2))


@settings(max_examples=250, deadline=None)
@given(data=st.data())
def test_any_one_change_gets_the_same_verdict_from_both(data):
    schema_file = data.draw(st.sampled_from(sorted(SAMPLES, key=str)))
    document = SAMPLES[schema_file]
    path = data.draw(st.sampled_from(list(leaves(document))))
    changed = replaced(document, path, data.draw(ODD_VALUES))
    fast, full = verdicts(changed, schema_file)
    assert fast == full, (path, changed if not path else None)
