"""Evaluation and improvement-plan records made through their services, for the tests of
other modules (the marked-models registry)."""

from datetime import timedelta

from accounts.models import Organization
from exercises.services import conduct, improvement
from exercises.tests.factories import (
    STARTEX,
    add_objective,
    make_exercise,
    make_exercise_engagement,
)


def ended_exercise(user, partnership=None):
    """An exercise `user` controls, released to Mexico, played and ended; in `partnership`
    (by default a new California–Mexico one)."""
    engagement = make_exercise_engagement(user, title="Ended exercise", **(
        {"partnership": partnership} if partnership is not None else {}))
    exercise = make_exercise(user, engagement)
    add_objective(user, exercise)
    conduct.conduct(user, exercise, "start", now=STARTEX)
    conduct.conduct(user, exercise, "end", now=STARTEX + timedelta(hours=2))
    return exercise


def make_item(user, exercise=None, owner="CalGuard", days=30, **fields):
    """An open improvement item of an ended exercise, owned by `owner` (an acronym)."""
    exercise = exercise or ended_exercise(user)
    defaults = {"text_en": "Add the port duty officer to the contact matrix.",
                "text_es": "Agregar al oficial de guardia de la garita a la matriz."}
    return improvement.add_item(
        user, exercise, owner_organization=Organization.objects.get(acronym=owner),
        due_date=exercise.endex.date() + timedelta(days=days), **{**defaults, **fields})


def add_evaluation_seeds(existing, us_user, mx_user):
    """Records for the OpenAPI fuzzing's path parameters of evaluation and the improvement
    plan (added to `existing`): an ended exercise released to Mexico with the Mexican liaison
    named evaluator, a rated objective, an observation and an item; steps by name."""
    from exercises.models import Exercise
    from exercises.services import evaluation

    # The partnership of the exercises seeded before, released to Mexico.
    shared = Exercise.objects.filter(rel_to__code="MEX").select_related("engagement").first()
    exercise = ended_exercise(us_user, shared.engagement.partnership if shared else None)
    evaluation.set_evaluators(us_user, exercise, [mx_user])
    objective = exercise.objectives.get()
    observation = evaluation.record_observation(
        mx_user, exercise, objective=objective, kind="improvement", text_en="Late notice.",
        text_es="Aviso tardío.")
    evaluation.rate_objective(mx_user, objective, "S")
    item = make_item(us_user, exercise, observation=observation)
    for name, ids in {"exercise_id": [exercise.pk], "objective_id": [objective.pk],
                      "observation_id": [observation.pk], "item_id": [item.pk],
                      "name": ["start", "complete", "cancel", "reopen"]}.items():
        known = existing.setdefault(name, [])
        known += [i for i in ids if i not in known]
    return existing
