"""Evaluation and the improvement plan under /api/v1/exercises/{exercise_id}/…: evaluators,
observations, objective ratings, improvement items and what the plan feeds (the engagement's
after-action report, a partnership indicator's measurement); every item you may see at
/api/v1/improvement-items. Every read goes through `restrict(user)`; a record not releasable
to you answers 404."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from accounts.models import Organization, User
from core.api import Pagination, error_responses, history_out
from core.schemas import HistoryEntryOut
from core.views import get_one
from exercises.schemas.evaluation import (
    EvaluatorObservationFilter,
    EvaluatorObservationIn,
    EvaluatorObservationOut,
    EvaluatorOut,
    EvaluatorsIn,
    ItemCreate,
    ItemDetailOut,
    ItemFilter,
    ItemOut,
    ItemStep,
    ItemUpdate,
    ObjectivesMetIn,
    ObjectivesMetOut,
    RatingIn,
    RatingOut,
    ReportWrittenOut,
)
from exercises.selectors import evaluation as selectors
from exercises.selectors.exercises import get_exercise
from exercises.services import evaluation as services
from exercises.services import improvement

router = Router(tags=["exercises"])


def _exercise(request, exercise_id):
    return get_exercise(request.user, exercise_id)


def _item(request, exercise_id, item_id):
    exercise = _exercise(request, exercise_id)
    return get_one(selectors.items_for(request.user, exercise), item_id)


def _lookup(field, model, queryset, value, message):
    """The record `value` names in `queryset`, else a validation error on `field`."""
    if value is None:
        return None
    found = queryset.filter(**{"acronym" if model is Organization else "pk": value}).first()
    if found is None:
        raise ValidationError({field: message})
    return found


def _item_fields(request, exercise, payload):
    """The fields sent, with the records they name (an organization by acronym, an
    observation and an indicator by id, each one the user may see)."""
    user = request.user
    fields = payload.dict(exclude_unset=True)
    if "owner_organization" in fields:
        fields["owner_organization"] = _lookup(
            "owner_organization", Organization, Organization.objects.all(),
            fields["owner_organization"], _("No organization has this acronym."))
    if "observation" in fields:
        fields["observation"] = _lookup(
            "observation", None, selectors.observations_for(user, exercise),
            fields["observation"], _("Choose an observation of this exercise."))
    if "indicator" in fields:
        fields["indicator"] = _lookup(
            "indicator", None, improvement.exercise_indicators(user, exercise),
            fields["indicator"], _("Choose an indicator of a partnership objective this "
                                   "exercise's objectives are mapped to."))
    return fields


# ---- Evaluators, observations and ratings -----------------------------------------------------

@router.get("/exercises/{exercise_id}/evaluators",
            response={200: list[EvaluatorOut], **error_responses(404, 422)})
def list_evaluators(request, exercise_id: int):
    """Who evaluates the exercise: they record observations and rate its objectives."""
    return list(_exercise(request, exercise_id).evaluators.select_related("organization")
                .order_by("organization__acronym", "username"))


@router.put("/exercises/{exercise_id}/evaluators",
            response={200: list[EvaluatorOut], **error_responses(403, 404, 422)})
def set_evaluators(request, exercise_id: int, payload: EvaluatorsIn):
    """Name the evaluators (the exercise's controllers do): users of the nations the exercise
    is released to."""
    exercise = _exercise(request, exercise_id)
    wanted = set(payload.evaluators)
    users = list(User.objects.filter(username__in=wanted, is_active=True))
    unknown = wanted - {u.username for u in users}
    if unknown:
        raise ValidationError({"evaluators": _("Unknown user: %(names)s.")
                               % {"names": ", ".join(sorted(unknown))}})
    services.set_evaluators(request.user, exercise, users)
    return list_evaluators(request, exercise_id)


@router.get("/exercises/{exercise_id}/observations",
            response={200: list[EvaluatorObservationOut], **error_responses(404, 422)})
@paginate(Pagination)
def list_observations(request, exercise_id: int, filters: Query[EvaluatorObservationFilter]):
    """The evaluators' observations, by objective and time."""
    return selectors.observations_for(request.user, _exercise(request, exercise_id),
                                      **filters.dict())


@router.post("/exercises/{exercise_id}/observations",
             response={201: EvaluatorObservationOut, **error_responses(403, 404, 422)})
def record_observation(request, exercise_id: int, payload: EvaluatorObservationIn):
    """Record a strength or an area for improvement against one of the exercise's objectives,
    in English and Spanish. Only the exercise's evaluators may, once play has started."""
    exercise = _exercise(request, exercise_id)
    fields = payload.dict()
    fields["objective"] = exercise.objectives.filter(pk=fields["objective"]).first()
    observation = services.record_observation(request.user, exercise, **fields)
    return Status(201, selectors.get_observation(request.user, exercise, observation.pk))


@router.get("/exercises/{exercise_id}/observations/{observation_id}",
            response={200: EvaluatorObservationOut, **error_responses(404, 422)})
def get_observation(request, exercise_id: int, observation_id: int):
    return selectors.get_observation(request.user, _exercise(request, exercise_id),
                                     observation_id)


@router.get("/exercises/{exercise_id}/ratings",
            response={200: list[RatingOut], **error_responses(404, 422)})
def list_ratings(request, exercise_id: int):
    """Each objective's rating (HSEEP's P/S/M/U); P and S count as met."""
    return list(selectors.evaluation_for(request.user, _exercise(request, exercise_id)))


@router.put("/exercises/{exercise_id}/ratings/{objective_id}",
            response={200: RatingOut, **error_responses(403, 404, 422)})
def rate_objective(request, exercise_id: int, objective_id: int, payload: RatingIn):
    """Rate an objective; an empty rating clears it. Only the exercise's evaluators may."""
    exercise = _exercise(request, exercise_id)
    objective = get_one(selectors.evaluation_for(request.user, exercise), objective_id)
    services.rate_objective(request.user, objective, payload.rating)
    return get_one(selectors.evaluation_for(request.user, exercise), objective_id)


# ---- The improvement plan -----------------------------------------------------------------

@router.get("/improvement-items", response={200: list[ItemOut], **error_responses(422)})
@paginate(Pagination)
def list_all_items(request, filters: Query[ItemFilter]):
    """Every improvement item you may see, of every exercise, by due date; `overdue` finds
    those still to be done after their due date."""
    return selectors.items_for(request.user, **filters.dict())


@router.get("/exercises/{exercise_id}/improvement-items",
            response={200: list[ItemOut], **error_responses(404, 422)})
@paginate(Pagination)
def list_items(request, exercise_id: int, filters: Query[ItemFilter]):
    """The exercise's improvement plan, by due date."""
    return selectors.items_for(request.user, _exercise(request, exercise_id), **filters.dict())


@router.post("/exercises/{exercise_id}/improvement-items",
             response={201: ItemDetailOut, **error_responses(403, 404, 422)})
def add_item(request, exercise_id: int, payload: ItemCreate):
    """Add a corrective action, owned by an organization of a nation the exercise is released
    to, due on or after the day it ends. Only its controllers and evaluators may, once it has
    ended."""
    exercise = _exercise(request, exercise_id)
    item = improvement.add_item(request.user, exercise,
                                **_item_fields(request, exercise, payload))
    return Status(201, _item(request, exercise_id, item.pk))


@router.get("/exercises/{exercise_id}/improvement-items/{item_id}",
            response={200: ItemDetailOut, **error_responses(404, 422)})
def get_item(request, exercise_id: int, item_id: int):
    return _item(request, exercise_id, item_id)


@router.patch("/exercises/{exercise_id}/improvement-items/{item_id}",
              response={200: ItemDetailOut, **error_responses(403, 404, 422)})
def update_item(request, exercise_id: int, item_id: int, payload: ItemUpdate):
    """Change the fields sent, while the item is open or in progress."""
    item = _item(request, exercise_id, item_id)
    improvement.update_item(request.user, item,
                            **_item_fields(request, item.exercise, payload))
    return _item(request, exercise_id, item_id)


@router.post("/exercises/{exercise_id}/improvement-items/{item_id}/transitions/{name}",
             response={200: ItemDetailOut, **error_responses(403, 404, 422)})
def transition_item(request, exercise_id: int, item_id: int, name: ItemStep):
    """`start` (open → in progress), `complete` (done now), `cancel`, or `reopen` a done or
    cancelled item: by its owner organization or the exercise's controllers and evaluators."""
    improvement.transition_item(request.user, _item(request, exercise_id, item_id), name)
    return _item(request, exercise_id, item_id)


@router.get("/exercises/{exercise_id}/improvement-items/{item_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def item_history(request, exercise_id: int, item_id: int):
    return history_out(_item(request, exercise_id, item_id), request.user)


@router.post("/exercises/{exercise_id}/improvement-plan/after-action-report",
             response={200: ReportWrittenOut, **error_responses(403, 404, 422)})
def write_into_report(request, exercise_id: int):
    """Write the improvement plan into the engagement's after-action report: each item not
    yet written as an "improve" observation, each strength as a "sustain" one (the report is
    started if there is none, which needs the engagement executed)."""
    report, written = improvement.write_into_after_action_report(
        request.user, _exercise(request, exercise_id))
    return {"after_action_report": report.pk, "engagement": report.engagement_id,
            "written": written}


@router.post("/exercises/{exercise_id}/improvement-plan/measurements",
             response={201: ObjectivesMetOut, **error_responses(403, 404, 422)})
def record_objectives_met(request, exercise_id: int, payload: ObjectivesMetIn):
    """Record the share of the exercise's objectives met (rated P or S) as a measurement of a
    partnership indicator their objectives map to, with the engagement as evidence."""
    exercise = _exercise(request, exercise_id)
    indicator = _lookup("indicator", None, improvement.exercise_indicators(request.user,
                                                                             exercise),
                        payload.indicator, _("Choose an indicator of a partnership objective "
                                             "this exercise's objectives are mapped to."))
    return Status(201, improvement.record_objectives_met(request.user, exercise, indicator))
