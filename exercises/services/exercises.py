"""Planning an exercise: the exercise on its engagement, its objectives and its MSEL. Every
write validates, saves and records history in one transaction; every record takes the
exercise's marking (the exercise takes its engagement's). Conduct is in
`exercises.services.conduct`; reads are in `exercises.selectors`."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from border.models import BorderEvent
from core.audit import acting_as
from core.permissions import require, require_role
from core.services import apply_parent_marking, model_errors
from engagements.models import Engagement, Participation
from exercises.models import CoreCapability, Exercise, ExerciseObjective, Inject
from exercises.rules import require_controller
from partnerships.models import Objective
from response.services.common import check_changeable, moment, organization

EXERCISE_FIELDS = ("kind", "scenario_en", "scenario_es", "startex", "endex")
OBJECTIVE_FIELDS = ("number", "text_en", "text_es", "capabilities", "partnership_objectives")
INJECT_FIELDS = ("number", "offset_minutes", "sender_role", "sender_organization",
                 "receivers", "text_en", "text_es", "expected_action_en",
                 "expected_action_es", "objectives", "border_event")
# Texts partners read: both languages are required.
BILINGUAL = ("scenario", "text", "expected_action")


def _strip(fields):
    return {name: value.strip() if isinstance(value, str) else value
            for name, value in fields.items()}


def _check_not_ended(exercise):
    if exercise.state == Exercise.State.ENDED:
        raise ValidationError(_("The exercise has ended: its objectives and MSEL are final."))


# ---- The exercise ----------------------------------------------------------------------------

@transaction.atomic
def create_exercise(user, engagement, **fields):
    """The exercise of an engagement of type exercise (one each), owned and marked like the
    engagement; only the engagement's own nation, with a role that may add exercises, makes
    it. Whoever makes it belongs to the organizing organization unless the engagement has a
    lead (exercises.rules)."""
    require_role(user, "exercises.add_exercise")
    require(user, engagement, "change", perm="exercises.add_exercise", nation_refusal=_(
        "Only the nation that owns the engagement may make its exercise."))
    check_changeable(fields, EXERCISE_FIELDS)
    errors = {}
    if engagement.type != Engagement.Type.EXERCISE:
        errors["engagement"] = _("Only an engagement of type exercise can have an exercise: "
                                 "change its type first.")
    elif Exercise.objects.filter(engagement=engagement).exists():
        errors["engagement"] = _("This engagement already has its exercise.")
    exercise = Exercise(engagement=engagement, owner_nation=engagement.owner_nation,
                        created_by=user, **_strip(fields))
    _clean_exercise(exercise, errors)
    with acting_as(user):
        apply_parent_marking(exercise)
    return exercise


def _clean_exercise(exercise, errors):
    for name in ("startex", "endex"):
        value = getattr(exercise, name)
        if value is not None and name not in errors:
            try:
                setattr(exercise, name, moment(value, name))
            except ValidationError as exc:
                errors.update(exc.message_dict)
    model_errors(exercise, errors, exclude=["engagement"])
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_exercise(user, exercise, **fields):
    """Change the exercise's type, scenario, STARTEX or ENDEX (controllers). STARTEX moves
    only while it is planned; ENDEX never before an inject of the MSEL."""
    require_controller(user, exercise)
    check_changeable(fields, EXERCISE_FIELDS)
    exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
    _check_not_ended(exercise)
    errors = {}
    if ("startex" in fields and exercise.state != Exercise.State.PLANNED
            and fields["startex"] != exercise.startex):
        errors["startex"] = _("STARTEX cannot move once the exercise has started.")
    for name, value in _strip(fields).items():
        setattr(exercise, name, value)
    if not errors and exercise.startex and exercise.endex:
        last = exercise.injects.aggregate(last=Max("offset_minutes"))["last"]
        if last is not None and exercise.startex + timedelta(minutes=last) > exercise.endex:
            errors["endex"] = _("An inject of the MSEL is scheduled after this ENDEX.")
    _clean_exercise(exercise, errors)
    with acting_as(user):
        exercise.save()
    return exercise


# ---- Objectives ------------------------------------------------------------------------------

def _next_number(queryset):
    return (queryset.aggregate(last=Max("number"))["last"] or 0) + 1


def _capabilities(values, errors):
    codes = [v.code if isinstance(v, CoreCapability) else str(v) for v in values]
    found = list(CoreCapability.objects.filter(code__in=codes))
    unknown = set(codes) - {c.code for c in found}
    if unknown:
        errors["capabilities"] = _("Unknown core capability: %(codes)s.") % {
            "codes": ", ".join(sorted(unknown))}
    return found


def _partnership_objectives(user, exercise, values, errors):
    """The partnership objectives given (records or ids): ones the user may see, of the
    exercise's partnership."""
    ids = {v.pk if isinstance(v, Objective) else v for v in values}
    found = list(Objective.objects.restrict(user).filter(
        pk__in=ids, line_of_effort__partnership_id=exercise.engagement.partnership_id))
    if len(found) != len(ids):
        errors["partnership_objectives"] = _(
            "Choose objectives of the exercise's partnership that you may see.")
    return found


@transaction.atomic
def add_objective(user, exercise, *, capabilities=(), partnership_objectives=(), number=None,
                  **fields):
    """An objective of the exercise, in both languages, mapped to core capabilities and to
    the partnership's objectives (controllers)."""
    require_controller(user, exercise)
    check_changeable(fields, OBJECTIVE_FIELDS)
    exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
    _check_not_ended(exercise)
    errors = {}
    objective = ExerciseObjective(
        exercise=exercise, owner_nation=exercise.owner_nation, created_by=user,
        number=number or _next_number(exercise.objectives.all()), **_strip(fields))
    if exercise.objectives.filter(number=objective.number).exists():
        errors["number"] = _("The exercise already has an objective with this number.")
    found_capabilities = _capabilities(capabilities, errors)
    found_objectives = _partnership_objectives(user, exercise, partnership_objectives, errors)
    model_errors(objective, errors, exclude=["exercise"])
    if errors:
        raise ValidationError(errors)
    with acting_as(user):
        apply_parent_marking(objective)
        objective.capabilities.set(found_capabilities)
        objective.partnership_objectives.set(found_objectives)
    return objective


# ---- The MSEL --------------------------------------------------------------------------------

def participant_organizations(exercise):
    """The organizations of the engagement's participants: the players an inject may go
    to."""
    from accounts.models import Organization

    ids = (Participation.objects.filter(engagement_id=exercise.engagement_id)
           .exclude(person__organization=None).values("person__organization"))
    return Organization.objects.filter(pk__in=ids)


def _receivers(exercise, values, errors):
    if not values:
        errors["receivers"] = _("Choose at least one receiving organization.")
        return []
    found = [organization(v, "receivers") for v in values]
    allowed = {o.pk for o in participant_organizations(exercise)}
    outside = sorted(o.acronym for o in found if o.pk not in allowed)
    if outside:
        errors["receivers"] = _(
            "Injects go only to organizations taking part in the engagement; not to "
            "%(organizations)s.") % {"organizations": ", ".join(outside)}
        return found
    released = {n.pk for n in exercise.rel_to.all()}
    hidden = sorted(o.acronym for o in found if o.nation_id not in released)
    if hidden:
        errors["receivers"] = _(
            "The exercise is not released to the nation of %(organizations)s: release it "
            "first.") % {"organizations": ", ".join(hidden)}
    return found


def _objectives(exercise, values, errors):
    ids = {v.pk if isinstance(v, ExerciseObjective) else v for v in values}
    found = list(exercise.objectives.filter(pk__in=ids))
    if len(found) != len(ids):
        errors["objectives"] = _("Choose objectives of this exercise.")
    return found


def _border_event(user, value, errors):
    if value is None or value == "":
        return None
    pk = value.pk if isinstance(value, BorderEvent) else value
    event = BorderEvent.objects.restrict(user).filter(pk=pk).first()
    if event is None:
        errors["border_event"] = _("Choose a border event you may see.")
    elif not event.is_exercise:
        errors["border_event"] = _("Only a border event flagged as an exercise can be an "
                                   "inject: real events are never mixed with exercises.")
    return event


def _check_schedule(exercise, inject, errors):
    if "offset_minutes" in errors or inject.offset_minutes is None:
        return
    if inject.offset_minutes < 0:
        errors["offset_minutes"] = _("An inject cannot be before STARTEX.")
    elif exercise.startex + timedelta(minutes=inject.offset_minutes) > exercise.endex:
        errors["offset_minutes"] = _("The inject falls after ENDEX: schedule it between "
                                     "STARTEX and ENDEX.")


@transaction.atomic
def add_inject(user, exercise, *, receivers=(), objectives=(), sender_organization=None,
               border_event=None, number=None, **fields):
    """A row of the MSEL (controllers), before or during conduct (then flagged as added
    during conduct; an offset already passed is delivered at the next run of the job).
    Its offset lies between STARTEX and ENDEX, its receivers are organizations of the
    engagement's participants of a nation the exercise is released to, its texts are in
    both languages."""
    require_controller(user, exercise)
    check_changeable(fields, INJECT_FIELDS)
    exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
    _check_not_ended(exercise)
    errors = {}
    inject = Inject(exercise=exercise, owner_nation=exercise.owner_nation, created_by=user,
                    number=number or _next_number(exercise.injects.all()),
                    added_during_conduct=exercise.state != Exercise.State.PLANNED,
                    **_strip(fields))
    if exercise.injects.filter(number=inject.number).exists():
        errors["number"] = _("The MSEL already has an inject with this number.")
    if inject.sender_role == Inject.SenderRole.ORGANIZATION:
        if sender_organization in (None, ""):
            errors["sender_organization"] = _("Name the organization the inject comes from.")
        else:
            try:
                inject.sender_organization = organization(sender_organization,
                                                          "sender_organization")
            except ValidationError as exc:
                errors.update(exc.message_dict)
    found_receivers = _receivers(exercise, receivers, errors)
    found_objectives = _objectives(exercise, objectives, errors)
    inject.border_event = _border_event(user, border_event, errors)
    model_errors(inject, errors, exclude=["exercise"])
    _check_schedule(exercise, inject, errors)
    if errors:
        raise ValidationError(errors)
    with acting_as(user):
        apply_parent_marking(inject)
        inject.receivers.set(found_receivers)
        inject.objectives.set(found_objectives)
    return inject
