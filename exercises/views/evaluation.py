"""Pages of evaluation and the improvement plan: the exercise's evaluation (objectives with their
ratings and observations, the evaluators), its improvement plan (items, writing them into the
after-action report, measuring a partnership indicator), every improvement item the user may
see (overdue first to find), and one item with its history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.history import history_for
from core.related import shown
from core.views import attempt, get_one, list_page, run_service, show_refusal
from exercises.forms.evaluation import (
    EvaluatorsForm,
    ItemFilterForm,
    ItemForm,
    MeasureForm,
    ObservationForm,
    RatingForm,
)
from exercises.rules import is_controller, is_evaluator, is_planner, may_move_item
from exercises.selectors import evaluation as selectors
from exercises.selectors.exercises import get_exercise
from exercises.services import evaluation as services
from exercises.services import improvement
from exercises.services.evaluation import OBSERVED_STATES, objectives_met
from exercises.views.exercises import banners


def _evaluation_url(exercise):
    return reverse("exercises:evaluation", args=[exercise.pk])


def _plan_url(exercise):
    return reverse("exercises:improvement_plan", args=[exercise.pk])


def _item_url(item):
    return reverse("exercises:item", args=[item.pk])


def _evaluation_page(request, exercise, *, observation_form=None, evaluators_form=None,
                     status=200):
    user = request.user
    objectives = list(selectors.evaluation_for(user, exercise))
    evaluating = is_evaluator(user, exercise) and exercise.state in OBSERVED_STATES
    if evaluating and observation_form is None:
        observation_form = ObservationForm(objectives=exercise.objectives.order_by("number"),
                                           prefix="o")
    controlling = is_controller(user, exercise)
    if controlling and evaluators_form is None:
        evaluators_form = EvaluatorsForm(exercise=exercise, prefix="e", initial={
            "evaluators": list(exercise.evaluators.all())})
    met, rated, total = objectives_met(objectives)
    return render(request, "exercises/evaluation/evaluation.html", {
        "exercise": exercise, "objectives": objectives,
        "evaluators": exercise.evaluators.select_related("organization")
                              .order_by("organization__acronym", "username"),
        "observation_form": observation_form if evaluating else None,
        "rating_form": RatingForm() if evaluating else None,
        "evaluators_form": evaluators_form if controlling else None,
        "met": met, "rated": rated, "total": total, "banners": banners(),
    }, status=status)


@login_required
def evaluation(request, pk):
    return _evaluation_page(request, get_exercise(request.user, pk))


@login_required
@require_POST
def observation_add(request, pk):
    """Record an observation; a refusal shows on the form, on the evaluation page."""
    exercise = get_exercise(request.user, pk)
    form = ObservationForm(request.POST, objectives=exercise.objectives.order_by("number"),
                           prefix="o")
    if form.is_valid() and run_service(form, services.record_observation, request.user,
                                       exercise, **form.service_fields()):
        messages.success(request, _("Observation recorded."))
        return redirect(f"{_evaluation_url(exercise)}#objective-"
                        f"{form.cleaned_data['objective'].number}")
    return _evaluation_page(request, exercise, observation_form=form, status=422)


@login_required
@require_POST
def objective_rate(request, pk, objective_pk):
    exercise = get_exercise(request.user, pk)
    objective = get_one(selectors.evaluation_for(request.user, exercise), objective_pk)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("rating", [])))
    elif attempt(request, services.rate_objective, request.user, objective,
                 form.cleaned_data["rating"]):
        messages.success(request, _("Objective %(number)s rated.") % {"number": objective.number})
    return redirect(f"{_evaluation_url(exercise)}#objective-{objective.number}")


@login_required
@require_POST
def evaluators_set(request, pk):
    exercise = get_exercise(request.user, pk)
    form = EvaluatorsForm(request.POST, exercise=exercise, prefix="e")
    if form.is_valid() and run_service(form, services.set_evaluators, request.user, exercise,
                                       form.cleaned_data["evaluators"]):
        messages.success(request, _("Evaluators saved."))
        return redirect(_evaluation_url(exercise))
    return _evaluation_page(request, exercise, evaluators_form=form, status=422)


# ---- The improvement plan --------------------------------------------------------------------

def _item_form(request, exercise, data=None, **kwargs):
    user = request.user
    return ItemForm(data, exercise=exercise, prefix="i",
                    observations=selectors.observations_for(user, exercise),
                    indicators=improvement.exercise_indicators(user, exercise), **kwargs)


def _plan_page(request, exercise, *, item_form=None, measure_form=None, status=200):
    user = request.user
    planning = is_planner(user, exercise) and exercise.state == exercise.State.ENDED
    indicators = improvement.exercise_indicators(user, exercise)
    items = list(selectors.items_for(user, exercise))
    transitions = improvement.plan_transitions(user, exercise, items)
    for item in items:
        item.transitions = transitions[item.pk]
    return render(request, "exercises/evaluation/improvement_plan.html", {
        "exercise": exercise, "items": items,
        "item_form": (item_form or _item_form(request, exercise)) if planning else None,
        "measure_form": (measure_form or MeasureForm(indicators=indicators, prefix="m"))
        if planning and indicators.exists() else None,
        "can_write_report": planning,
        "overdue_count": sum(1 for item in items if item.overdue), "banners": banners(),
    }, status=status)


@login_required
def improvement_plan(request, pk):
    return _plan_page(request, get_exercise(request.user, pk))


@login_required
@require_POST
def item_add(request, pk):
    exercise = get_exercise(request.user, pk)
    form = _item_form(request, exercise, request.POST)
    if form.is_valid() and run_service(form, improvement.add_item, request.user, exercise,
                                       **form.service_fields()):
        messages.success(request, _("Improvement item added."))
        return redirect(_plan_url(exercise))
    return _plan_page(request, exercise, item_form=form, status=422)


@login_required
@require_POST
def plan_to_report(request, pk):
    """Write the improvement plan into the engagement's after-action report."""
    exercise = get_exercise(request.user, pk)
    try:
        report, written = improvement.write_into_after_action_report(request.user, exercise)
    except (ValidationError, PermissionDenied) as exc:
        show_refusal(request, exc)
        return redirect(_plan_url(exercise))
    messages.success(request, ngettext(
        "%(count)s row written into the after-action report.",
        "%(count)s rows written into the after-action report.", written) % {"count": written})
    return redirect(report.get_absolute_url())


@login_required
@require_POST
def plan_measure(request, pk):
    exercise = get_exercise(request.user, pk)
    indicators = improvement.exercise_indicators(request.user, exercise)
    form = MeasureForm(request.POST, indicators=indicators, prefix="m")
    if form.is_valid():
        measurement = run_service(form, improvement.record_objectives_met, request.user,
                                  exercise, form.cleaned_data["indicator"])
        if measurement is not None:
            messages.success(request, _("Measurement recorded: %(value)s.")
                             % {"value": measurement.value})
            return redirect(measurement.get_absolute_url())
    return _plan_page(request, exercise, measure_form=form, status=422)


@login_required
def item_list(request):
    form = ItemFilterForm(request.GET)
    return list_page(request, "exercises/evaluation/item_list.html",
                     "exercises/evaluation/_items.html", form,
                     selectors.items_for(request.user, **form.filters()), banners=banners())


def _item_page(request, item, *, status=200):
    user = request.user
    return render(request, "exercises/evaluation/item_detail.html", {
        "item": item, "record": item, "exercise": item.exercise,
        "history": history_for(item),
        "transitions": improvement.item_transitions_for(user, item),
        "can_change": is_planner(user, item.exercise) and item.state in improvement.PENDING,
        "can_move": may_move_item(user, item),
        "banners": banners(),
        # Related marked records through the one rule: withheld, never named, when not
        # released to the reader.
        "report": shown(user, item.after_action_report) if item.after_action_report_id
        else None,
        "indicator": shown(user, item.indicator) if item.indicator_id else None,
        "measurement": shown(user, item.measurement) if item.measurement_id else None,
    }, status=status)


@login_required
def item_detail(request, pk):
    return _item_page(request, selectors.get_item(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def item_update(request, pk):
    item = selectors.get_item(request.user, pk)
    exercise = item.exercise
    form = _item_form(request, exercise, request.POST or None, initial={
        "text_en": item.text_en, "text_es": item.text_es,
        "owner_organization": item.owner_organization, "due_date": item.due_date,
        "observation": item.observation, "indicator": item.indicator})
    if request.method == "POST" and form.is_valid():
        if run_service(form, improvement.update_item, request.user, item,
                       **form.service_fields()):
            messages.success(request, _("Improvement item updated."))
            return redirect(_item_url(item))
    return render(request, "exercises/evaluation/item_form.html",
                  {"form": form, "item": item, "record": item, "exercise": exercise,
                   "banners": banners()},
                  status=422 if form.errors else 200)


@login_required
@require_POST
def item_transition(request, pk, name):
    item = selectors.get_item(request.user, pk)
    if attempt(request, improvement.transition_item, request.user, item, name):
        item.refresh_from_db()
        messages.success(request, _("The improvement item is now %(state)s.")
                         % {"state": item.get_state_display().lower()})
    return redirect(request.POST.get("next") if request.POST.get("next") == _plan_url(
        item.exercise) else _item_url(item))


urlpatterns = [
    path("<int:pk>/evaluation/", evaluation, name="evaluation"),
    path("<int:pk>/evaluation/observations/", observation_add, name="observation_add"),
    path("<int:pk>/evaluation/objectives/<int:objective_pk>/rating/", objective_rate,
         name="objective_rate"),
    path("<int:pk>/evaluation/evaluators/", evaluators_set, name="evaluators_set"),
    path("<int:pk>/improvement-plan/", improvement_plan, name="improvement_plan"),
    path("<int:pk>/improvement-plan/items/", item_add, name="item_add"),
    path("<int:pk>/improvement-plan/after-action-report/", plan_to_report,
         name="plan_to_report"),
    path("<int:pk>/improvement-plan/measurements/", plan_measure, name="plan_measure"),
    path("improvement-items/", item_list, name="items"),
    path("improvement-items/<int:pk>/", item_detail, name="item"),
    path("improvement-items/<int:pk>/edit/", item_update, name="item_update"),
    path("improvement-items/<int:pk>/transitions/<slug:name>/", item_transition,
         name="item_transition"),
]
