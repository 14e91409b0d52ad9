"""Pages of exercises: the list, the exercise (banner, conduct, objectives, the MSEL with its
times and each inject's responses), planning forms, conduct steps, skipping, and an inject's
page where its players respond."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from border.models import exercise_banner
from core.history import history_for
from core.humanize import duration
from core.related import shown, shown_many
from core.views import attempt, list_page, record_page, run_service
from exercises.clock import offset_label
from exercises.forms.exercises import (
    ExerciseFilterForm,
    ExerciseForm,
    InjectForm,
    ObjectiveForm,
    ResponseForm,
    SkipForm,
)
from exercises.rules import is_controller, is_receiver
from exercises.selectors import exercises as selectors
from exercises.services import conduct
from exercises.services import exercises as services


def banners():
    """The exercise banner in both languages, whatever the reader's."""
    return [("en", exercise_banner("en")), ("es", exercise_banner("es"))]


def _language():
    language = (get_language() or "en")[:2]
    return language if language in ("en", "es") else "en"


@login_required
def exercise_list(request):
    user = request.user
    form = ExerciseFilterForm(request.GET)
    return list_page(request, "exercises/exercise_list.html", "exercises/_exercises.html", form,
                     selectors.exercises_for(user, **form.filters()),
                     can_add=user.has_perm("exercises.add_exercise"), banners=banners())


def msel_rows(user, exercise, injects, now=None):
    """Each inject with when it is delivered (or was): STARTEX + offset, and the clock time in
    the reader's zone as the exercise's clock now stands."""
    now = now or timezone.now()
    clock = conduct.clock_of(exercise)
    injects = list(injects)
    # The border events they stand for, as the reader may see them: one query for all.
    events = iter(shown_many(user, [i.border_event for i in injects if i.border_event_id]))
    rows = []
    for inject in injects:
        receiver_ids = {o.pk for o in inject.receivers.all()}
        rows.append({
            "inject": inject, "offset": offset_label(inject.offset_minutes),
            "at": inject.delivered_at or clock.scheduled_for(inject.offset_minutes, now),
            "receivers": inject.receivers.all(),
            "border_event": next(events) if inject.border_event_id else None,
            "is_receiver": is_receiver(user, inject, receiver_ids),
        })
    return rows


def objective_rows(user, objectives):
    """Each objective with the partnership objectives it serves as the reader may see them
    (a withheld one reads "a record not released to you"): one query for all."""
    objectives = list(objectives)
    links = iter(shown_many(user, [p for o in objectives
                                   for p in o.partnership_objectives.all()]))
    for objective in objectives:
        objective.partnership_shown = [next(links)
                                       for _p in objective.partnership_objectives.all()]
    return objectives


def _exercise_page(request, exercise):
    user = request.user
    controller = is_controller(user, exercise)
    clock, now = conduct.clock_of(exercise), timezone.now()
    return record_page(
        request, "exercises/exercise_detail.html", exercise, exercise=exercise,
        banners=banners(), controller=controller,
        can_change=controller and exercise.state != exercise.State.ENDED,
        steps=[{"name": o.name, "label": o.label, "refusal": o.refusal,
                "url": reverse("exercises:conduct", args=[exercise.pk, o.name])}
               for o in conduct.steps_for(user, exercise)],
        objectives=objective_rows(user, selectors.objectives_for(user, exercise)),
        msel=msel_rows(user, exercise, selectors.msel_with_responses(user, exercise), now),
        play_time_label=duration(clock.play_time(now).total_seconds() / 60),
        held_label=duration(exercise.paused_seconds / 60),
        engagement=shown(user, exercise.engagement))


@login_required
def exercise_detail(request, pk):
    return _exercise_page(request, selectors.get_exercise(request.user, pk))


@login_required
@permission_required("exercises.add_exercise", raise_exception=True)
@require_http_methods(["GET", "POST"])
def exercise_create(request):
    user = request.user
    form = ExerciseForm(request.POST or None, user=user, initial={
        "engagement": request.GET.get("engagement")})
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        exercise = run_service(form, services.create_exercise, user, fields.pop("engagement"),
                               **fields)
        if exercise is not None:
            messages.success(request, _("Exercise created."))
            return redirect(exercise)
    return render(request, "exercises/exercise_form.html", {"form": form, "exercise": None})


@login_required
@require_http_methods(["GET", "POST"])
def exercise_update(request, pk):
    user = request.user
    exercise = selectors.get_exercise(user, pk)
    form = ExerciseForm(request.POST or None, instance=exercise, user=user)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.update_exercise, user, exercise, **form.service_fields()):
            messages.success(request, _("Exercise updated."))
            return redirect(exercise)
    return render(request, "exercises/exercise_form.html",
                  {"form": form, "exercise": exercise, "record": exercise,
                   "banners": banners()})


@login_required
@require_POST
def exercise_conduct(request, pk, name):
    """One conduct step; a refusal comes back as a message on the exercise's page."""
    exercise = selectors.get_exercise(request.user, pk)
    if attempt(request, conduct.conduct, request.user, exercise, name):
        exercise.refresh_from_db()
        messages.success(request, _("The exercise is now %(state)s.")
                         % {"state": exercise.get_state_display().lower()})
    return redirect(exercise)


@login_required
@require_http_methods(["GET", "POST"])
def objective_add(request, pk):
    user = request.user
    exercise = selectors.get_exercise(user, pk)
    form = ObjectiveForm(request.POST or None, user=user, exercise=exercise)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.add_objective, user, exercise, **form.service_fields()):
            messages.success(request, _("Objective added."))
            return redirect(f"{exercise.get_absolute_url()}#objectives")
    return render(request, "exercises/objective_form.html",
                  {"form": form, "exercise": exercise, "record": exercise,
                   "banners": banners()})


@login_required
@require_http_methods(["GET", "POST"])
def inject_add(request, pk):
    """A row of the MSEL, before or during conduct."""
    user = request.user
    exercise = selectors.get_exercise(user, pk)
    form = InjectForm(request.POST or None, user=user, exercise=exercise)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        fields["receivers"] = list(fields["receivers"])
        fields["objectives"] = list(fields["objectives"] or ())
        if run_service(form, services.add_inject, user, exercise, **fields):
            messages.success(request, _("Inject added to the MSEL."))
            return redirect(f"{exercise.get_absolute_url()}#msel")
    return render(request, "exercises/inject_form.html",
                  {"form": form, "exercise": exercise, "record": exercise,
                   "banners": banners()})


def _inject_page(request, exercise, inject, *, response_form=None, status=200):
    user = request.user
    row = msel_rows(user, exercise, [inject])[0]
    may_respond = (row["is_receiver"] and inject.state == inject.State.DELIVERED
                   and exercise.state != exercise.State.ENDED
                   and user.has_perm("exercises.add_playerresponse"))
    response = render(request, "exercises/inject_detail.html", {
        "exercise": exercise, "inject": inject, "record": inject, "row": row,
        "banners": banners(), "history": history_for(inject),
        "responses": list(selectors.responses_for(user, inject=inject)),
        "controller": is_controller(user, exercise),
        "response_form": response_form or (ResponseForm(initial={"language": _language()})
                                           if may_respond else None),
        "skip_form": SkipForm()}, status=status)
    return response


@login_required
def inject_detail(request, pk, inject_pk):
    exercise = selectors.get_exercise(request.user, pk)
    return _inject_page(request, exercise, selectors.get_inject(request.user, exercise,
                                                                inject_pk))


@login_required
@require_POST
def inject_skip(request, pk, inject_pk):
    exercise = selectors.get_exercise(request.user, pk)
    inject = selectors.get_inject(request.user, exercise, inject_pk)
    form = SkipForm(request.POST)
    form.is_valid()
    if attempt(request, conduct.skip_inject, request.user, inject,
               reason=form.cleaned_data.get("reason", "")):
        messages.success(request, _("Inject %(number)s skipped: it will not be delivered.")
                         % {"number": inject.number})
    return redirect(f"{exercise.get_absolute_url()}#msel")


@login_required
@require_POST
def response_add(request, pk, inject_pk):
    """A player's response; a refusal shows on the form, on the inject's page."""
    user = request.user
    exercise = selectors.get_exercise(user, pk)
    inject = selectors.get_inject(user, exercise, inject_pk)
    form = ResponseForm(request.POST)
    if form.is_valid() and run_service(form, conduct.respond, user, inject,
                                       **form.service_fields()):
        messages.success(request, _("Response recorded."))
        return redirect(f"{inject.get_absolute_url()}#responses")
    return _inject_page(request, exercise, inject, response_form=form)


urlpatterns = [
    path("", exercise_list, name="list"),
    path("new/", exercise_create, name="create"),
    path("<int:pk>/", exercise_detail, name="detail"),
    path("<int:pk>/edit/", exercise_update, name="update"),
    path("<int:pk>/conduct/<slug:name>/", exercise_conduct, name="conduct"),
    path("<int:pk>/objectives/new/", objective_add, name="objective_add"),
    path("<int:pk>/injects/new/", inject_add, name="inject_add"),
    path("<int:pk>/injects/<int:inject_pk>/", inject_detail, name="inject"),
    path("<int:pk>/injects/<int:inject_pk>/skip/", inject_skip, name="inject_skip"),
    path("<int:pk>/injects/<int:inject_pk>/responses/", response_add, name="response_add"),
]
