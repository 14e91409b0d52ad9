"""Evaluation: evaluators record observations against the exercise's objectives (a strength or
an area for improvement, in English and Spanish) and rate each objective (HSEEP's P/S/M/U).

Who is an evaluator is decided once, in exercises.rules (`require_evaluator`): a user named
among the exercise's evaluators, whose role may record observations, who may see the exercise.
Evaluators of either nation write; an observation carries the exercise's marking
(MARKING_FOLLOWS), so it is released exactly like the exercise."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import acting_as
from core.services import apply_parent_marking, model_errors
from exercises.models import EvaluatorObservation, Exercise, ExerciseObjective
from exercises.rules import require_controller, require_evaluator

# Evaluators observe play as it runs and after it ends; nothing is observed before STARTEX.
OBSERVED_STATES = (Exercise.State.RUNNING, Exercise.State.PAUSED, Exercise.State.ENDED)


def _in_play_or_after(exercise):
    if exercise.state not in OBSERVED_STATES:
        raise ValidationError(_("Observations and ratings are recorded once the exercise has "
                                "started (it is %(state)s).")
                              % {"state": exercise.get_state_display().lower()})


@transaction.atomic
def record_observation(user, exercise, *, objective, kind, text_en, text_es, at=None):
    """An evaluator's observation against one of the exercise's objectives: a strength or an
    area for improvement, written in both languages. `at` is when it was seen (by default
    now; never in the future)."""
    exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
    require_evaluator(user, exercise)
    _in_play_or_after(exercise)
    errors = {}
    if objective is None or objective.exercise_id != exercise.pk:
        errors["objective"] = [_("Choose one of this exercise's objectives.")]
    if kind not in EvaluatorObservation.Kind.values:
        errors["kind"] = [_("Choose a strength or an area for improvement.")]
    for field, text in (("text_en", text_en), ("text_es", text_es)):
        if not (text or "").strip():
            errors[field] = [_("Write the observation in English and in Spanish.")]
    now = timezone.now()
    at = at or now
    if at > now:
        errors["at"] = [_("An observation cannot be dated in the future.")]
    elif at < exercise.startex:
        errors["at"] = [_("An observation cannot come before STARTEX.")]
    if errors.get("objective"):
        raise ValidationError(errors)
    observation = EvaluatorObservation(
        exercise=exercise, objective=objective, kind=kind, text_en=(text_en or "").strip(),
        text_es=(text_es or "").strip(), evaluator=user, at=at, created_by=user,
        owner_nation_id=exercise.owner_nation_id)
    model_errors(observation, errors, exclude=["exercise", "evaluator", "owner_nation"])
    if errors:
        raise ValidationError(errors)
    with acting_as(user):
        apply_parent_marking(observation)
    return observation


@transaction.atomic
def rate_objective(user, objective, rating):
    """Rate how the objective was performed: P, S, M or U (HSEEP), or "" to clear the
    rating. An objective rated P or S counts as met."""
    objective = ExerciseObjective.objects.select_for_update().select_related("exercise").get(
        pk=objective.pk)
    exercise = objective.exercise
    require_evaluator(user, exercise)
    _in_play_or_after(exercise)
    rating = rating or ""
    if rating and rating not in ExerciseObjective.Rating.values:
        raise ValidationError({"rating": _("Choose P, S, M or U.")})
    objective.rating = rating
    objective.rated_by = user if rating else None
    objective.rated_at = timezone.now() if rating else None
    with acting_as(user):
        objective.save(update_fields=["rating", "rated_by", "rated_at", "updated_at"])
    return objective


@transaction.atomic
def set_evaluators(user, exercise, evaluators):
    """Name the exercise's evaluators (the controllers decide): users of the nations the
    exercise is released to, each of whom must be able to see it."""
    exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
    require_controller(user, exercise)
    evaluators = list(evaluators)
    outside = [u for u in evaluators if u.nation_id is None
               or not exercise.releasable_to(u.nation.code)]
    if outside:
        raise ValidationError({"evaluators": _(
            "%(users)s cannot evaluate: the exercise is not released to their nation.")
            % {"users": ", ".join(sorted(u.username for u in outside))}})
    with acting_as(user):
        exercise.evaluators.set(evaluators)
    return exercise


def objectives_met(objectives):
    """(met, rated, total) of `objectives`: how many are rated P or S, how many are rated at
    all, and how many there are."""
    objectives = list(objectives)
    return (sum(1 for o in objectives if o.met), sum(1 for o in objectives if o.rating),
            len(objectives))
