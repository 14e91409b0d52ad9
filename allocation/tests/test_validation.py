"""The msgspec contract and the JSON Schemas in docs/ agree: every sample, valid or broken,
gets the same verdict from both (jsonschema reads the schema as published)."""

import copy
import json

import jsonschema
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
    fast = validation.contract(str(schema_file)).holds(data)
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


# Each keyword the translation knows, with values on both sides of it.
KEYWORDS = [
    ({"type": "integer", "minimum": 0}, [0, 2.0, 7, -1, 1.5, True, "1", None, float("inf")]),
    ({"type": "number", "exclusiveMinimum": 0, "maximum": 10}, [0, 0.1, 10, 10.5, 3, False]),
    ({"type": "string", "minLength": 1, "maxLength": 3}, ["", "a", "abc", "abcd", 1]),
    ({"type": "string", "pattern": "^[a-z]{2,3}$"}, ["en", "spa", "EN", "e", "english", 5]),
    ({"type": ["string", "null"], "pattern": "^\\d\\d$"}, [None, "12", "1", 12]),
    ({"type": ["integer", "null"], "minimum": 0}, [None, 0, -1, "0"]),
    ({"enum": ["USA", "MEX"]}, ["USA", "MEX", "CAN", None]),
    ({"const": "enlace-allocation-instance/1"}, ["enlace-allocation-instance/1", "x"]),
    ({"type": "array", "items": {"type": "string"}, "uniqueItems": True},
     [[], ["en", "es"], ["en", "en"], ["en", 1], "en"]),
    ({"type": "object", "additionalProperties": {"type": "number", "minimum": 0}},
     [{}, {"a": 1}, {"a": -1}, {"a": "1"}, []]),
    ({"type": "object", "required": ["id"], "additionalProperties": False,
      "properties": {"id": {"type": "string"}, "n": {"type": "integer"}}},
     [{"id": "a"}, {"id": "a", "n": 1}, {"n": 1}, {"id": "a", "x": 1}, {"id": 1}, ["id"]]),
    ({"type": "object", "properties": {"ports": {"type": "array", "items": {
        "type": "object", "properties": {"days": {"type": "array", "uniqueItems": True,
                                                  "items": {"enum": ["mon", "tue"]}}}}}}},
     [{"ports": [{"days": ["mon"]}, {"days": ["mon", "tue"]}]},
      {"ports": [{"days": ["mon"]}, {"days": ["tue", "tue"]}]}, {"ports": [{"days": ["wed"]}]}]),
]


@pytest.mark.parametrize("keyword_schema,values", KEYWORDS, ids=[str(k) for k, _ in KEYWORDS])
def test_each_keyword_gets_the_verdict_jsonschema_gives(keyword_schema, values):
    contract = validation.Contract(keyword_schema)
    full = jsonschema.Draft202012Validator(keyword_schema)
    verdicts = [(value, contract.holds(value), full.is_valid(value)) for value in values]
    assert all(fast == slow for _, fast, slow in verdicts), verdicts
    assert {fast for _, fast, _ in verdicts} == {True, False}


@pytest.mark.parametrize("unknown", [{"type": "string", "format": "date-time"},
                                     {"anyOf": [{"type": "string"}]},
                                     {"enum": [1, 2]},
                                     {"type": "array", "uniqueItems": True,
                                      "items": {"type": "object"}}])
def test_a_keyword_the_contract_cannot_follow_is_refused_not_ignored(unknown):
    with pytest.raises(NotImplementedError):
        validation.Contract(unknown)
