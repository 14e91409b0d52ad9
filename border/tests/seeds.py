"""Records for the OpenAPI fuzzing's path parameters (tests/test_openapi.py): border events
US-owned and editable, US-owned and released to Mexico, Mexican-owned and released to the US
(visible, not editable), Mexican-only (exists, answers 404), and an exercise event."""

from border.services.events import add_timeline_entry
from border.tests.factories import MEXICALI, TIJUANA_RIVER, report


def _add(existing, seeds):
    for name, ids in seeds.items():
        known = existing.setdefault(name, [])
        known += [i for i in ids if i not in known]
    return existing


def add_border_seeds(existing, us_user, mx_user):
    own = report(us_user, title="Seed fire", rel_to=())
    shared = report(us_user, title="Seed shared fire")
    add_timeline_entry(mx_user, shared, kind="observation", language="es", text="Humo.")
    theirs = report(mx_user, title="Seed river", kind="river_sewage", point=TIJUANA_RIVER,
                    rel_to=("USA",))
    hidden = report(mx_user, title="Seed hidden", point=TIJUANA_RIVER, rel_to=())
    drill = report(us_user, title="Seed drill", kind="earthquake", point=MEXICALI,
                   is_exercise=True)
    return _add(existing, {
        "event_id": [own.pk, shared.pk, theirs.pk, hidden.pk, drill.pk],
        "kind_code": ["wildfire"], "name": ["confirm", "contain", "close"]})
