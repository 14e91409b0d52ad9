"""Exercises under /api/v1/exercises/: the exercise, its objectives, the MSEL, conduct and the
players' responses. Every read goes through `restrict(user)`; a record not releasable to you
answers 404."""

from ninja import Query, Router, Status
from ninja.pagination import paginate

from core.api import Pagination, error_responses, history_out
from core.schemas import HistoryEntryOut
from core.views import get_one
from engagements.models import Engagement
from exercises.models import CoreCapability
from exercises.schemas.exercises import (
    CapabilityOut,
    ExerciseCreate,
    ExerciseDetailOut,
    ExerciseFilter,
    ExerciseObjectiveOut,
    ExerciseOut,
    ExerciseUpdate,
    InjectIn,
    InjectOut,
    ObjectiveIn,
    ResponseIn,
    ResponseOut,
    SkipIn,
)
from exercises.selectors import exercises as selectors
from exercises.services import conduct
from exercises.services import exercises as services

router = Router(tags=["exercises"])


def _exercise(request, exercise_id):
    return selectors.get_exercise(request.user, exercise_id)


def _inject(request, exercise_id, inject_id):
    return selectors.get_inject(request.user, _exercise(request, exercise_id), inject_id)


@router.get("/exercises/capabilities", response={200: list[CapabilityOut],
                                                **error_responses()})
def list_capabilities(request):
    """The core capabilities an exercise objective maps to, in their order."""
    return list(CoreCapability.objects.filter(active=True))


@router.get("/exercises", response={200: list[ExerciseOut], **error_responses(422)})
@paginate(Pagination)
def list_exercises(request, filters: Query[ExerciseFilter]):
    """Exercises you may see, latest STARTEX first."""
    return selectors.exercises_for(request.user, **filters.dict())


@router.post("/exercises", response={201: ExerciseDetailOut, **error_responses(403, 404, 422)})
def create_exercise(request, payload: ExerciseCreate):
    """The exercise of one of your nation's engagements of type exercise; it carries the
    engagement's marking. Scenario in both languages; ENDEX not before STARTEX."""
    fields = payload.dict()
    engagement = get_one(Engagement.objects.restrict(request.user), fields.pop("engagement"))
    exercise = services.create_exercise(request.user, engagement, **fields)
    return Status(201, _exercise(request, exercise.pk))


@router.get("/exercises/{exercise_id}",
            response={200: ExerciseDetailOut, **error_responses(404, 422)})
def get_exercise(request, exercise_id: int):
    """The exercise, its clock and the conduct steps you may take."""
    return _exercise(request, exercise_id)


@router.patch("/exercises/{exercise_id}",
              response={200: ExerciseDetailOut, **error_responses(403, 404, 422)})
def update_exercise(request, exercise_id: int, payload: ExerciseUpdate):
    """Change the fields sent (controllers)."""
    services.update_exercise(request.user, _exercise(request, exercise_id),
                             **payload.dict(exclude_unset=True))
    return _exercise(request, exercise_id)


@router.post("/exercises/{exercise_id}/conduct/{name}",
             response={200: ExerciseDetailOut, **error_responses(403, 404, 422)})
def conduct_exercise(request, exercise_id: int, name: str):
    """One conduct step (controllers): `start`, `pause`, `resume` or `end`. Pausing stops the
    clock: injects not yet delivered move later by the time paused."""
    conduct.conduct(request.user, _exercise(request, exercise_id), name)
    return _exercise(request, exercise_id)


@router.get("/exercises/{exercise_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def exercise_history(request, exercise_id: int):
    return history_out(_exercise(request, exercise_id), request.user)


# ---- Objectives ------------------------------------------------------------------------------

@router.get("/exercises/{exercise_id}/objectives",
            response={200: list[ExerciseObjectiveOut], **error_responses(404, 422)})
@paginate(Pagination)
def list_objectives(request, exercise_id: int):
    return selectors.objectives_for(request.user, _exercise(request, exercise_id))


@router.post("/exercises/{exercise_id}/objectives",
             response={201: ExerciseObjectiveOut, **error_responses(403, 404, 422)})
def add_objective(request, exercise_id: int, payload: ObjectiveIn):
    """An objective in both languages, mapped to core capabilities (codes) and partnership
    objectives (ids) of the exercise's partnership (controllers)."""
    return Status(201, services.add_objective(request.user, _exercise(request, exercise_id),
                                              **payload.dict()))


# ---- The MSEL --------------------------------------------------------------------------------

@router.get("/exercises/{exercise_id}/injects",
            response={200: list[InjectOut], **error_responses(404, 422)})
@paginate(Pagination)
def list_injects(request, exercise_id: int):
    """The MSEL in time order, each inject with its scheduled time as the clock now stands."""
    return selectors.msel_for(request.user, _exercise(request, exercise_id))


@router.post("/exercises/{exercise_id}/injects",
             response={201: InjectOut, **error_responses(403, 404, 422)})
def add_inject(request, exercise_id: int, payload: InjectIn):
    """A row of the MSEL, before or during conduct (controllers): its offset between STARTEX
    and ENDEX, its receivers organizations of the engagement's participants, its texts in both
    languages."""
    exercise = _exercise(request, exercise_id)
    inject = services.add_inject(request.user, exercise, **payload.dict())
    return Status(201, _inject(request, exercise_id, inject.pk))


@router.get("/exercises/{exercise_id}/injects/{inject_id}",
            response={200: InjectOut, **error_responses(404, 422)})
def get_inject(request, exercise_id: int, inject_id: int):
    return _inject(request, exercise_id, inject_id)


@router.post("/exercises/{exercise_id}/injects/{inject_id}/skip",
             response={200: InjectOut, **error_responses(403, 404, 422)})
def skip_inject(request, exercise_id: int, inject_id: int, payload: SkipIn):
    """Skip a scheduled inject (controllers): it is never delivered."""
    conduct.skip_inject(request.user, _inject(request, exercise_id, inject_id),
                        reason=payload.reason)
    return _inject(request, exercise_id, inject_id)


@router.get("/exercises/{exercise_id}/injects/{inject_id}/responses",
            response={200: list[ResponseOut], **error_responses(404, 422)})
@paginate(Pagination)
def list_responses(request, exercise_id: int, inject_id: int):
    return selectors.responses_for(request.user,
                                   inject=_inject(request, exercise_id, inject_id))


@router.post("/exercises/{exercise_id}/injects/{inject_id}/responses",
             response={201: ResponseOut, **error_responses(403, 404, 422)})
def add_response(request, exercise_id: int, inject_id: int, payload: ResponseIn):
    """A player's response to a delivered inject, in the language written: only users of its
    receiving organizations may."""
    return Status(201, conduct.respond(request.user, _inject(request, exercise_id, inject_id),
                                       **payload.dict()))
