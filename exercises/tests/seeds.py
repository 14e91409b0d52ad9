"""Records for the OpenAPI fuzzing's path parameters (tests/test_openapi.py): an exercise of a
US engagement released to Mexico, running, with a delivered inject (and a response) and a
scheduled one, and a US-only exercise still planned."""

from datetime import timedelta

from exercises.services import conduct
from exercises.tests.evaluation_factories import add_evaluation_seeds
from exercises.tests.factories import (
    STARTEX,
    add_inject,
    add_objective,
    make_exercise,
    make_exercise_engagement,
)


def _add(existing, seeds):
    for name, ids in seeds.items():
        known = existing.setdefault(name, [])
        known += [i for i in ids if i not in known]
    return existing


def _california_mexico(us_user):
    """The California–Mexico partnership the other seeds made (one per state and partner)."""
    from engagements.tests.factories import mexico
    from partnerships.models import Partnership

    return (Partnership.objects.filter(us_state="CA", partner_nation__code="MEX").first()
            or mexico(us_user))


def add_exercise_seeds(existing, us_user, mx_user):
    partnership = _california_mexico(us_user)
    shared = make_exercise(us_user, make_exercise_engagement(
        us_user, partnership=partnership, title="Seed exercise"))
    add_objective(us_user, shared, text="Seed objective")
    delivered = add_inject(us_user, shared, 0, receivers=("DEFENSA", "CalGuard"))
    scheduled = add_inject(us_user, shared, 60)
    conduct.conduct(us_user, shared, "start", now=STARTEX)
    conduct.deliver_due(now=STARTEX + timedelta(minutes=1))
    conduct.respond(mx_user, delivered, text="Recibido", language="es")
    own = make_exercise(us_user, make_exercise_engagement(
        us_user, partnership=partnership, title="Seed own exercise", rel_to=()))
    existing = _add(existing, {
        "exercise_id": [shared.pk, own.pk],
        "inject_id": [delivered.pk, scheduled.pk],
        "name": ["start", "pause", "resume", "end"]})
    # Evaluation and the improvement plan: objective_id, observation_id, item_id.
    return add_evaluation_seeds(existing, us_user, mx_user)
