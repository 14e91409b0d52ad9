"""The improvement plan: after the hotwash, the exercise's planners (exercises.rules) turn its
areas for improvement into items — a corrective action in English and Spanish, the
organization that owns it and a due date — which move open → in progress → done (or
cancelled, or reopened). An item still open or in progress after its due date is overdue
(`is_overdue`, the one rule the pages, the API and the demo read).

The plan feeds what exists already, through its own services and in one transaction:
`write_into_after_action_report` writes each item into the engagement's after-action report as
an "improve" observation and each strength as a "sustain" one
(engagements.services.after_action), and `record_objectives_met` records the share of the
exercise's objectives met as a measurement of a partnership indicator, with the engagement and
its report as evidence (partnerships.services.record_measurement)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import acting_as
from core.lifecycle import Lifecycle, Transition, TransitionOption, refused_by_state
from core.permissions import may, require
from core.services import apply_parent_marking, model_errors
from engagements.models import AfterActionReport, Observation
from engagements.services import after_action
from exercises.models import EvaluatorObservation, Exercise, ImprovementItem
from exercises.rules import (
    may_move_item,
    may_move_items,
    require_item_mover,
    require_planner,
)
from partnerships.models import Indicator, Measurement
from partnerships.services import record_measurement

IS = ImprovementItem.State
# The states in which an item is still to be done, and so may be overdue.
PENDING = (IS.OPEN, IS.IN_PROGRESS)
ITEM_FIELDS = ("text_en", "text_es", "owner_organization", "due_date", "observation",
               "indicator")
# An Observation's topic holds at most this many characters.
TOPIC_LENGTH = Observation._meta.get_field("topic").max_length


def is_overdue(item, today):
    """Whether the item is still to be done after its due date, as of `today`."""
    return item.state in PENDING and item.due_date < today


def _endex_day(exercise):
    return timezone.localdate(exercise.endex)


def _check_item(item, exercise, errors):
    """The rules of an item's fields: both texts; an owner organization of a nation the
    exercise is released to; a due date not before ENDEX; an observation of this exercise; an
    indicator of a partnership objective the exercise's objectives are mapped to."""
    for field in ("text_en", "text_es"):
        if not (getattr(item, field) or "").strip():
            errors.setdefault(field, [_("Write the corrective action in English and in "
                                        "Spanish.")])
    organization = item.owner_organization if item.owner_organization_id else None
    if organization is None:
        errors.setdefault("owner_organization", [_("Choose the organization that owns it.")])
    elif not exercise.releasable_to(organization.nation.code):
        errors.setdefault("owner_organization", [_(
            "%(organization)s cannot own it: the exercise is not released to its nation.")
            % {"organization": organization.acronym}])
    if item.due_date is None:
        errors.setdefault("due_date", [_("Give the due date.")])
    elif isinstance(item.due_date, date) and item.due_date < _endex_day(exercise):
        errors.setdefault("due_date", [_("The due date cannot be before the exercise ends "
                                         "(%(day)s).") % {"day": _endex_day(exercise)}])
    if item.observation_id and item.observation.exercise_id != exercise.pk:
        errors.setdefault("observation", [_("Choose an observation of this exercise.")])
    if item.indicator_id and not _exercise_indicators(exercise).filter(
            pk=item.indicator_id).exists():
        errors.setdefault("indicator", [_("Choose an indicator of a partnership objective "
                                          "this exercise's objectives are mapped to.")])


def _exercise_indicators(exercise):
    """The indicators of the partnership objectives the exercise's objectives map to."""
    return Indicator.objects.filter(
        objective__exercise_objectives__exercise=exercise).distinct()


def exercise_indicators(user, exercise):
    """Those of them the user may see, to choose from."""
    return Indicator.objects.restrict(user).filter(
        pk__in=_exercise_indicators(exercise).values("pk")).select_related("objective")


def _plannable(exercise):
    if exercise.state != Exercise.State.ENDED:
        raise ValidationError(_("The improvement plan is written once the exercise has ended "
                                "(it is %(state)s).")
                              % {"state": exercise.get_state_display().lower()})


@transaction.atomic
def add_item(user, exercise, *, text_en, text_es, owner_organization, due_date,
             observation=None, indicator=None):
    """An item of the improvement plan, owned by an organization of a nation the exercise is
    released to and due on or after ENDEX, optionally from one of its observations and
    towards one of its partnership indicators. It carries the exercise's marking."""
    exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
    require_planner(user, exercise)
    _plannable(exercise)
    item = ImprovementItem(
        exercise=exercise, text_en=(text_en or "").strip(), text_es=(text_es or "").strip(),
        owner_organization=owner_organization, due_date=due_date, observation=observation,
        indicator=indicator, created_by=user, owner_nation_id=exercise.owner_nation_id)
    errors = {}
    _check_item(item, exercise, errors)
    model_errors(item, errors, exclude=["exercise", "owner_nation"])
    if errors:
        raise ValidationError(errors)
    with acting_as(user):
        apply_parent_marking(item)
    return item


@transaction.atomic
def update_item(user, item, **fields):
    """Change the fields given (texts, owner organization, due date, observation, indicator);
    only the exercise's planners may, and not once the item is done or cancelled."""
    require(user, item, "view")
    item = ImprovementItem.objects.select_for_update().get(pk=item.pk)
    exercise = item.exercise
    require_planner(user, exercise)
    if item.state not in PENDING:
        raise ValidationError(_("This improvement item is %(state)s: reopen it to change it.")
                              % {"state": item.get_state_display().lower()})
    for name in ITEM_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(item, name, value.strip() if isinstance(value, str) else value)
    errors = {}
    _check_item(item, exercise, errors)
    model_errors(item, errors, exclude=["exercise", "owner_nation"])
    if errors:
        raise ValidationError(errors)
    with acting_as(user):
        item.save()
    return item


ITEM_LIFECYCLE = Lifecycle(
    Transition("start", (IS.OPEN,), IS.IN_PROGRESS, gettext_lazy("Start work")),
    Transition("complete", PENDING, IS.DONE, gettext_lazy("Mark done")),
    Transition("cancel", PENDING, IS.CANCELLED, gettext_lazy("Cancel")),
    Transition("reopen", (IS.DONE, IS.CANCELLED), IS.OPEN, gettext_lazy("Reopen")),
    may=lambda user, item, step: may_move_item(user, item),
    refused=refused_by_state(gettext_lazy(
        "This %(record)s is %(state)s: it cannot be made %(target)s.")),
)


@transaction.atomic
def transition_item(user, item, name):
    """Move the item: start, complete (done now), cancel or reopen — by its owner
    organization or the exercise's planners."""
    ITEM_LIFECYCLE.step(name)
    item = ImprovementItem.objects.select_for_update().select_related("exercise").get(
        pk=item.pk)
    require_item_mover(user, item)
    changes = {"completed_at": timezone.now() if name == "complete" else None}
    ITEM_LIFECYCLE.move(user, item, name, changes=changes)
    return item


def item_transitions_for(user, item):
    """The steps the user may take on the item now."""
    return ITEM_LIFECYCLE.options(user, item)


def plan_transitions(user, exercise, items):
    """{item id: the steps the user may take on it now} for items of one exercise the user
    sees, in a fixed number of queries (the lifecycle has no guards: the state and who may
    move the item decide)."""
    movers = may_move_items(user, exercise, items)
    return {item.pk: [TransitionOption(step.name, str(step.label)) for step in ITEM_LIFECYCLE
                      if item.state in step.sources and movers[item.pk]] for item in items}


# ---- Feeding the after-action report and the indicators ------------------------------------

def _topic(prefix, objective):
    return f"{prefix} {objective.number}"[:TOPIC_LENGTH]


@transaction.atomic
def write_into_after_action_report(user, exercise):
    """Write the improvement plan into the engagement's after-action report (started here if
    the engagement has none yet, which needs it executed): each item not cancelled and not yet
    written becomes an "improve" observation, each strength not yet written a "sustain" one,
    through the report's own service (its guards apply: a report no longer a draft refuses).
    Returns (report, how many rows were written)."""
    exercise = Exercise.objects.select_for_update().select_related("engagement").get(
        pk=exercise.pk)
    require_planner(user, exercise)
    _plannable(exercise)
    engagement = exercise.engagement
    report = AfterActionReport.objects.filter(engagement=engagement).first()
    if report is None:
        report = after_action.start_aar(user, engagement)
    items = (exercise.improvement_items.exclude(state=IS.CANCELLED)
             .filter(aar_observation__isnull=True)
             .select_related("owner_organization", "observation__objective")
             .order_by("due_date", "pk"))
    written = 0
    for item in items:
        objective = item.observation.objective if item.observation_id else None
        topic = (_topic(_("Improvement plan, objective"), objective) if objective
                 else _("Improvement plan"))
        text_en, text_es = _item_texts(item)
        row = after_action.add_observation(user, report, kind=Observation.Kind.IMPROVE,
                                           topic=topic, text_en=text_en, text_es=text_es)
        item.after_action_report, item.aar_observation = report, row
        with acting_as(user):
            item.save(update_fields=["after_action_report", "aar_observation", "updated_at"])
        written += 1
    # A strength is written once: the report's "sustain" rows are matched by their text.
    sustained = set(report.observations.filter(kind=Observation.Kind.SUSTAIN)
                    .values_list("text_en", flat=True))
    strengths = (exercise.observations.filter(kind=EvaluatorObservation.Kind.STRENGTH)
                 .select_related("objective").order_by("objective__number", "at", "pk"))
    for strength in strengths:
        if strength.text_en in sustained:
            continue
        after_action.add_observation(
            user, report, kind=Observation.Kind.SUSTAIN,
            topic=_topic(_("Strength, objective"), strength.objective),
            text_en=strength.text_en, text_es=strength.text_es)
        sustained.add(strength.text_en)
        written += 1
    if not written:
        raise ValidationError(_("Everything in the improvement plan is already in the "
                                "after-action report."))
    return report, written


def _item_texts(item):
    """The item as the report's row reads it: the corrective action, who owns it and when it
    is due, in each language."""
    owner = item.owner_organization
    due = item.due_date.isoformat()
    text_en = (f"{item.text_en}\nOwner: {owner.acronym} ({owner.name_en}). Due {due}.")
    text_es = (f"{item.text_es}\nResponsable: {owner.acronym} ({owner.name_es}). "
               f"Fecha límite: {item.due_date.strftime('%d/%m/%Y')}.")
    return text_en, text_es


@transaction.atomic
def record_objectives_met(user, exercise, indicator):
    """Measure `indicator` by the exercise: the share (percent) of the exercise's objectives
    mapped to the indicator's partnership objective that were met (rated P or S), as of the
    day play ended, with the engagement (and its after-action report, when there is one) as
    evidence — through the partnership's measurement service, whose guards apply (the
    indicator's owning nation records it). Every objective mapped must be rated first, and an
    exercise measures an indicator once. Returns the measurement."""
    exercise = Exercise.objects.select_for_update().select_related("engagement").get(
        pk=exercise.pk)
    require_planner(user, exercise)
    _plannable(exercise)
    if indicator is None or not exercise_indicators(user, exercise).filter(
            pk=indicator.pk).exists():
        raise ValidationError({"indicator": _(
            "Choose an indicator of a partnership objective this exercise's objectives are "
            "mapped to.")})
    objectives = list(exercise.objectives.filter(
        partnership_objectives=indicator.objective_id).distinct())
    unrated = [o for o in objectives if not o.rating]
    if unrated:
        raise ValidationError({"indicator": _(
            "Rate objective %(numbers)s first: the measurement counts the objectives met.")
            % {"numbers": ", ".join(str(o.number) for o in unrated)}})
    engagement = exercise.engagement
    if Measurement.objects.filter(indicator=indicator, engagement=engagement).exists():
        raise ValidationError({"indicator": _("This exercise's engagement has already measured "
                                              "this indicator.")})
    met = sum(1 for o in objectives if o.met)
    value = (Decimal(100 * met) / Decimal(len(objectives))).quantize(Decimal("0.01"))
    report = AfterActionReport.objects.filter(engagement=engagement).first()
    if report is not None and not may(user, report):
        report = None
    source = _("Exercise %(title)s: %(met)s of %(total)s objectives met") % {
        "title": engagement.title, "met": met, "total": len(objectives)}
    ended = exercise.ended_at or exercise.endex
    measurement = record_measurement(
        user, indicator, value, min(timezone.localdate(ended), timezone.localdate()),
        source[:Measurement._meta.get_field("source").max_length], engagement=engagement,
        after_action_report=report)
    linked = exercise.improvement_items.filter(indicator=indicator, measurement__isnull=True)
    for item in linked:
        item.measurement = measurement
        with acting_as(user):
            item.save(update_fields=["measurement", "updated_at"])
    return measurement
