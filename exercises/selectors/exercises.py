"""Every read of exercises, restricted (`restrict(user, action)`): a record the user may not see
is not there (404)."""

from django.db.models import Count, Prefetch, Q

from core.views import get_one
from exercises.models import Exercise, ExerciseObjective, Inject, PlayerResponse


def exercises_for(user, action="view", *, state=None, kind=None, q=None):
    """The exercises the user may take `action` on, latest STARTEX first."""
    exercises = Exercise.objects.restrict(user, action).select_related(
        "engagement", "engagement__lead")
    if state:
        exercises = exercises.filter(state=state)
    if kind:
        exercises = exercises.filter(kind=kind)
    if q:
        exercises = exercises.filter(Q(engagement__title_en__icontains=q)
                                     | Q(engagement__title_es__icontains=q)
                                     | Q(scenario_en__icontains=q)
                                     | Q(scenario_es__icontains=q))
    return exercises


def get_exercise(user, pk, action="view"):
    """Exercise `pk` if the user may take `action` on it, else 404."""
    return get_one(exercises_for(user, action), pk)


def objectives_for(user, exercise):
    return (ExerciseObjective.objects.restrict(user).filter(exercise=exercise)
            .prefetch_related("capabilities", "partnership_objectives"))


def msel_for(user, exercise):
    """The exercise's injects the user may see, in time order (offset, then number), with
    their receivers, objectives and how many responses each has."""
    return (Inject.objects.restrict(user).filter(exercise=exercise)
            .select_related("exercise", "sender_organization", "border_event")
            .prefetch_related("receivers", "objectives")
            .annotate(response_count=Count("responses", distinct=True))
            .order_by("offset_minutes", "number", "pk"))


def get_inject(user, exercise, pk, action="view"):
    return get_one(msel_for(user, exercise).filter(exercise=exercise), pk)


def responses_for(user, *, exercise=None, inject=None):
    """Player responses the user may see, oldest first."""
    responses = PlayerResponse.objects.restrict(user).select_related(
        "organization", "author", "inject")
    if exercise is not None:
        responses = responses.filter(inject__exercise=exercise)
    if inject is not None:
        responses = responses.filter(inject=inject)
    return responses.order_by("at", "pk")


def msel_with_responses(user, exercise):
    """The MSEL with each inject's responses (those the user may see) prefetched: one query
    for the injects, a few for their relations, however long the MSEL."""
    return msel_for(user, exercise).prefetch_related(Prefetch(
        "responses", queryset=responses_for(user), to_attr="visible_responses"))
