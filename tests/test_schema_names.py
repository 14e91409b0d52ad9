"""Every API schema has a name of its own. The OpenAPI document names a component after its
class, so two classes of one name leave one of them undocumented (and the API fuzzing sends
the other's body)."""

from collections import defaultdict

from ninja import Schema

import enlace.api  # noqa: F401  (imports every app's API and its schemas)


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def test_no_two_api_schemas_share_a_name():
    places = defaultdict(set)
    for schema in subclasses(Schema):
        if not schema.__module__.startswith(("ninja", "pydantic")):
            places[schema.__name__].add(schema.__module__)
    assert {"EngagementTransitionIn", "BorderEventTransitionIn", "ExerciseObjectiveOut"} <= (
        set(places))
    assert {name: where for name, where in places.items() if len(where) > 1} == {}
