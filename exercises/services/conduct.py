"""Conducting an exercise: the controllers' steps (start, pause, resume, end), skipping an inject,
delivering each due inject (the job, every minute) and the players' responses. The clock's rule
is `exercises.clock`; who controls and who plays is `exercises.rules`."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from accounts.models import User
from border.models import exercise_banner
from core.audit import acting_as
from core.lifecycle import Lifecycle, Transition, refused_by_state
from core.permissions import require, require_role
from core.services import apply_parent_marking, model_errors, notify
from exercises.clock import Clock, held
from exercises.models import Exercise, Inject, PlayerResponse
from exercises.rules import is_controller, is_receiver, require_controller
from response.models import CLOCK_SKEW
from response.services.common import moment

S = Exercise.State


def clock_of(exercise):
    """The exercise's clock as its record holds it."""
    return Clock(state=exercise.state, startex=exercise.startex, held=exercise.paused,
                 paused_at=exercise.paused_at)


CONDUCT = Lifecycle(
    Transition("start", (S.PLANNED,), S.RUNNING, pgettext_lazy("exercise step", "Start")),
    Transition("pause", (S.RUNNING,), S.PAUSED, pgettext_lazy("exercise step", "Pause")),
    Transition("resume", (S.PAUSED,), S.RUNNING, pgettext_lazy("exercise step", "Resume")),
    Transition("end", (S.RUNNING, S.PAUSED), S.ENDED, pgettext_lazy("exercise step", "End")),
    may=lambda user, exercise, step: is_controller(user, exercise),
    refused=refused_by_state(gettext_lazy("“%(action)s” is not possible: the %(record)s is "
                                          "%(state)s.")),
)


def steps_for(user, exercise):
    """The conduct steps the user may take now."""
    return CONDUCT.options(user, exercise)


def _changes(exercise, name, now):
    """What a step sets besides the state: a late start and each pause hold the clock
    (exercises.clock)."""
    if name == "start":
        return {"started_at": now,
                "paused_seconds": int(held(exercise.startex, now, exercise.startex)
                                      .total_seconds())}
    if name == "pause":
        return {"paused_at": now}
    closing = {}
    if exercise.paused_at is not None:  # resuming, or ending while paused
        closing = {"paused_at": None, "paused_seconds": exercise.paused_seconds + int(
            held(exercise.paused_at, now, exercise.startex).total_seconds())}
    if name == "end":
        closing["ended_at"] = now
    return closing


@transaction.atomic
def conduct(user, exercise, name, *, now=None):
    """One step of conduct: start (planned → running), pause (running → paused), resume
    (paused → running) or end (running or paused → ended). Controllers only. Returns the
    exercise as it now is."""
    require_controller(user, exercise)
    CONDUCT.step(name)
    locked = Exercise.objects.select_for_update().get(pk=exercise.pk)
    now = now or timezone.now()
    CONDUCT.move(user, locked, name, changes=_changes(locked, name, now))
    return locked


@transaction.atomic
def skip_inject(user, inject, *, reason=""):
    """Skip an inject not yet delivered (controllers): it is never delivered."""
    require_controller(user, inject.exercise)
    locked = Inject.objects.select_for_update().get(pk=inject.pk)
    if locked.state != Inject.State.SCHEDULED:
        raise ValidationError(_("Only a scheduled inject can be skipped: this one is "
                                "%(state)s.") % {"state": locked.get_state_display().lower()})
    if locked.exercise.state == S.ENDED:
        raise ValidationError(_("The exercise has ended: its MSEL is final."))
    locked.state = Inject.State.SKIPPED
    locked.skipped_at = timezone.now()
    locked.skipped_by = user
    locked.skip_reason = (reason or "").strip()
    errors = {}
    model_errors(locked, errors, exclude=["exercise"])
    if errors:
        raise ValidationError(errors)
    with acting_as(user):
        locked.save()
    return locked


# ---- Delivery --------------------------------------------------------------------------------

def _message(inject, language):
    """The notice of a delivered inject in `language`, between the exercise banners."""
    from django.utils import translation

    banner = exercise_banner(language)
    with translation.override(language):
        body = _("Exercise inject %(number)s for %(exercise)s: %(text)s — Expected action: "
                 "%(action)s") % {
            "number": inject.number,
            "exercise": getattr(inject.exercise.engagement, f"title_{language}"),
            "text": getattr(inject, f"text_{language}"),
            "action": getattr(inject, f"expected_action_{language}")}
    return f"{banner}\n{body}\n{banner}"


def receiving_users(inject):
    """The active users of the inject's receiving organizations."""
    return User.objects.filter(is_active=True,
                               organization__in=inject.receivers.all()).order_by("pk")


@transaction.atomic
def deliver(inject, *, now):
    """Deliver one due inject: mark it delivered and tell its receiving organizations' users
    in Enlace and by email, "EXERCISE EXERCISE EXERCISE" in both languages (notify tells
    only those who may see it, once)."""
    inject.state = Inject.State.DELIVERED
    inject.delivered_at = now
    inject.save(update_fields=["state", "delivered_at", "updated_at"])
    notify(receiving_users(inject), inject, _message(inject, "en"), _message(inject, "es"),
           inject.get_absolute_url(), key=f"exercise-inject:{inject.pk}")
    return inject


def deliver_due(now=None):
    """Deliver every due inject of every running exercise (exercises.clock), each in its own
    transaction with its row locked, so two workers never deliver one twice. Returns how many
    were delivered."""
    now = now or timezone.now()
    delivered = 0
    for exercise in Exercise.objects.filter(state=S.RUNNING).select_related("engagement"):
        last = clock_of(exercise).due_offset(now)
        if last is None:
            continue
        due = exercise.injects.filter(state=Inject.State.SCHEDULED, offset_minutes__lte=last)
        for pk in due.order_by("offset_minutes", "number").values_list("pk", flat=True):
            with transaction.atomic():
                inject = (Inject.objects.select_for_update(of=("self",))
                          .select_related("exercise__engagement").filter(pk=pk).first())
                if inject is None or not clock_of(inject.exercise).is_due(
                        inject.offset_minutes, inject.state, now):
                    continue  # skipped, delivered or paused meanwhile
                deliver(inject, now=now)
                delivered += 1
    return delivered


# ---- Responses -------------------------------------------------------------------------------

@transaction.atomic
def respond(user, inject, *, text, language, at=None):
    """A player's response to a delivered inject, for their organization, in the language they
    write in; it carries the inject's marking. Only users of a receiving organization may."""
    require(user, inject, "view")
    require_role(user, "exercises.add_playerresponse")
    if not is_receiver(user, inject):
        raise PermissionDenied(_("Only the inject's receiving players (users of its receiving "
                                 "organizations) may respond to it."))
    inject = Inject.objects.select_related("exercise").get(pk=inject.pk)
    errors = {}
    if inject.state != Inject.State.DELIVERED:
        errors["text"] = _("The inject has not been delivered: respond once it is.")
    elif inject.exercise.state == S.ENDED:
        errors["text"] = _("The exercise has ended: play is over.")
    response = PlayerResponse(
        inject=inject, organization=user.organization, author=user,
        text=(text or "").strip(), language=language, owner_nation=inject.owner_nation,
        created_by=user, at=moment(at, "at") if at is not None else timezone.now())
    if "at" not in errors and response.at > timezone.now() + CLOCK_SKEW:
        errors["at"] = _("A response cannot be in the future.")
    elif inject.delivered_at and response.at < inject.delivered_at - timedelta(minutes=1):
        errors["at"] = _("A response cannot be before the inject was delivered.")
    model_errors(response, errors, exclude=["inject", "organization", "author"])
    if errors:
        raise ValidationError(errors)
    with acting_as(user):
        apply_parent_marking(response)
    return response
