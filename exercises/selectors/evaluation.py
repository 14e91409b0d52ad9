"""Restricted reads of evaluation and the improvement plan: observations, objectives with their
ratings and the improvement items, each a record the user may see (`restrict`), or 404."""

from django.db.models import BooleanField, Case, Prefetch, Q, Value, When
from django.utils import timezone

from core.views import get_one
from exercises.models import EvaluatorObservation, ExerciseObjective, ImprovementItem
from exercises.services.improvement import PENDING

# The `overdue` filter of the lists: only the items overdue, or only those that are not.
OVERDUE, NOT_OVERDUE = "yes", "no"


def observations_for(user, exercise=None, *, kind=None, objective=None):
    """Evaluator observations the user may see, by objective and time."""
    observations = EvaluatorObservation.objects.restrict(user).select_related(
        "objective", "evaluator", "evaluator__organization", "exercise__engagement")
    if exercise is not None:
        observations = observations.filter(exercise=exercise)
    if kind:
        observations = observations.filter(kind=kind)
    if objective:
        observations = observations.filter(objective=objective)
    return observations.order_by("objective__number", "at", "pk")


def get_observation(user, exercise, pk):
    return get_one(observations_for(user, exercise), pk)


def evaluation_for(user, exercise):
    """The exercise's objectives the user may see, each with the observations the user may
    see (`seen`), in a fixed number of queries however many there are."""
    return (ExerciseObjective.objects.restrict(user).filter(exercise=exercise)
            .select_related("rated_by")
            .prefetch_related("capabilities", Prefetch(
                "observations", queryset=observations_for(user, exercise), to_attr="seen"))
            .order_by("number", "pk"))


def _overdue(today):
    return Case(When(Q(state__in=PENDING) & Q(due_date__lt=today), then=Value(True)),
                default=Value(False), output_field=BooleanField())


def items_for(user, exercise=None, action="view", *, state=None, overdue=None,
              organization=None, q=None, today=None):
    """Improvement items the user may take `action` on, each annotated `overdue` (still to be
    done after its due date as of `today`, by default today in the user's time zone), by due
    date; filtered by state, overdue (OVERDUE or NOT_OVERDUE), owner organization (id) and
    text."""
    today = today or timezone.localdate()
    items = (ImprovementItem.objects.restrict(user, action)
             .select_related("owner_organization", "exercise__engagement",
                             "observation__objective")
             .annotate(overdue=_overdue(today)))
    if exercise is not None:
        items = items.filter(exercise=exercise)
    if state:
        items = items.filter(state=state)
    if overdue == OVERDUE:
        items = items.filter(overdue=True)
    elif overdue == NOT_OVERDUE:
        items = items.filter(overdue=False)
    if organization:
        items = items.filter(owner_organization=organization)
    if q:
        items = items.filter(Q(text_en__icontains=q) | Q(text_es__icontains=q))
    return items.order_by("due_date", "pk")


def get_item(user, pk, action="view"):
    return get_one(items_for(user, action=action), pk)
