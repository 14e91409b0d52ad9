"""Every write on partnerships: validate, save, history, in one transaction."""

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import acting_as
from core.lifecycle import Lifecycle, Transition
from core.models import Disclosure
from core.permissions import may, permission_name, require, require_role
from core.services import apply_marking, change_marking, check_new_marking
from partnerships.models import (
    Agreement,
    Assessment,
    Indicator,
    LineOfEffort,
    Measurement,
    Objective,
    Partnership,
)

EDITABLE_FIELDS = ("name_en", "name_es", "us_state", "partner_nation", "established",
                   "combatant_command", "status", "description_en", "description_es")


@transaction.atomic
def create_partnership(user, *, rel_to, disclosure=Disclosure.NOT_REVIEWED, tlp="", **fields):
    require_role(user, "partnerships.add_partnership")
    partnership = Partnership(**{k: fields[k] for k in EDITABLE_FIELDS if k in fields},
                              owner_nation=user.nation, disclosure=disclosure, tlp=tlp,
                              created_by=user)
    check_new_marking(user, partnership, disclosure)
    partnership.full_clean()
    with acting_as(user):
        apply_marking(partnership, owner=user.nation, rel_to=rel_to, disclosure=disclosure,
                      tlp=tlp)
    return partnership


@transaction.atomic
def update_partnership(user, partnership, **fields):
    require(user, partnership, "change")
    for name in EDITABLE_FIELDS:
        if name in fields:
            setattr(partnership, name, fields[name])
    partnership.full_clean()
    with acting_as(user):
        partnership.save()
    return partnership


# The partnership program: agreements, lines of effort, objectives, indicators, measurements and
# assessments. A record added under another (an agreement under its partnership, an indicator
# under its objective, ...) belongs to the parent's owning nation, and only that nation's users
# add it. Unless a marking is given, it copies the parent's: the same releasable-to nations,
# disclosure review and TLP. It is never released to a nation its parent is not released to
# (MARKING_PARENTS, core.services.apply_marking).

AGREEMENT_FIELDS = ("kind", "title_en", "title_es", "parties", "signatories", "signed_on",
                    "signed_at_place", "focus_areas_en", "focus_areas_es", "expires_on")
LINE_FIELDS = ("code", "name_en", "name_es", "description_en", "description_es", "position")
OBJECTIVE_FIELDS = ("code", "statement_en", "statement_es", "owner", "target_date")
INDICATOR_FIELDS = ("name_en", "name_es", "kind", "unit", "unit_es", "direction", "baseline_value",
                    "baseline_date", "target_value", "target_date", "frequency")
MEASUREMENT_FIELDS = ("value", "as_of", "source", "engagement", "after_action_report")
ASSESSMENT_FIELDS = ("line_of_effort", "kind", "assessed_on", "findings_en", "findings_es",
                     "rating")


def _new_child(user, model, parent, fields, allowed):
    """An unsaved child of `parent` with the fields given and the parent's owner: only the
    nation that owns the parent adds to it."""
    require(user, parent, "change", perm=permission_name(model, "add"))
    return model(**{k: fields[k] for k in allowed if k in fields},
                 owner_nation_id=parent.owner_nation_id, created_by=user)


def _mark_child(user, record, parent, rel_to, disclosure, tlp, check):
    """Validate and save a new child with its marking (the parent's unless given): the fields
    first, then `check(record)`, the domain's rules."""
    given_disclosure = disclosure is not None
    rel_to = list(parent.rel_to.all()) if rel_to is None else list(rel_to)
    disclosure = parent.disclosure if disclosure is None else disclosure
    tlp = parent.tlp if tlp is None else (tlp or "")
    if given_disclosure and disclosure != parent.disclosure:
        check_new_marking(user, record, disclosure)
    record.disclosure, record.tlp = disclosure, tlp
    # Uniqueness is each check's business, with a message that names the field.
    record.full_clean(validate_constraints=False)
    check(record)
    with acting_as(user):
        apply_marking(record, owner=parent.owner_nation, rel_to=rel_to, disclosure=disclosure,
                      tlp=tlp)
    return record


def may_add(user, parent):
    """Which records `user` may add under `parent`, by model name: the parent's owning
    nation's users, with the role's add permission (as _new_child requires)."""
    names = ("agreement", "lineofeffort", "objective", "indicator", "measurement", "assessment")
    held = [name for name in names if user.has_perm(f"partnerships.add_{name}")]
    owns = bool(held) and may(user, parent, "change", perm=f"partnerships.add_{held[0]}")
    return {name: owns and name in held for name in names}


def change_record_marking(user, record, *, rel_to, disclosure, tlp=""):
    """Change who may see a partnership or a record of its program
    (core.services.change_marking): never released more widely than the record above it."""
    return change_marking(record, user, rel_to=rel_to, disclosure=disclosure, tlp=tlp)


def _fresh(record):
    """The record as stored now, locked until the transaction ends: a write never saves what a
    caller's stale copy says about fields it did not mean to change (a state, a verification)."""
    return type(record).objects.select_for_update().get(pk=record.pk)


def _update(user, record, allowed, fields, check):
    require(user, record, "change")
    record = _fresh(record)
    for name in allowed:
        if name in fields:
            setattr(record, name, fields[name])
    record.full_clean(validate_constraints=False)
    check(record)
    with acting_as(user):
        record.save()
    return record


def _refuse(field, message):
    raise ValidationError({field: message})


# Agreements ---------------------------------------------------------------------------------

SIGNED_STATES = (Agreement.State.SIGNED, Agreement.State.IN_FORCE, Agreement.State.SUPERSEDED,
                 Agreement.State.EXPIRED)


def _check_agreement(agreement):
    today = timezone.localdate()
    if agreement.signed_on and agreement.signed_on > today:
        _refuse("signed_on", _("The signature date cannot be in the future."))
    if agreement.signed_on and agreement.expires_on and agreement.expires_on <= agreement.signed_on:
        _refuse("expires_on", _("The agreement must expire after it is signed."))
    if agreement.state in SIGNED_STATES:
        if not agreement.signed_on:
            _refuse("signed_on", _("A signed agreement keeps its signature date."))
        if not agreement.signatories.strip():
            _refuse("signatories", _("A signed agreement keeps its signatories."))


@transaction.atomic
def create_agreement(user, partnership, *, rel_to=None, disclosure=None, tlp=None, **fields):
    """A new draft agreement of `partnership`."""
    agreement = _new_child(user, Agreement, partnership, fields, AGREEMENT_FIELDS)
    agreement.partnership = partnership
    agreement.state = Agreement.State.DRAFT
    return _mark_child(user, agreement, partnership, rel_to, disclosure, tlp, _check_agreement)


@transaction.atomic
def update_agreement(user, agreement, **fields):
    """Change an agreement's text and dates; its state changes only by `transition_agreement`."""
    return _update(user, agreement, AGREEMENT_FIELDS, fields, _check_agreement)


def _may_change(user, record, step):
    return may(user, record, "change")


def _refused_transition(record, step):
    return "state", _("%(record)s cannot move from %(current)s to %(target)s.") % {
        "record": capfirst(record._meta.verbose_name), "current": record.get_state_display(),
        "target": type(record).State(step.target).label}


def _agreement_refused(agreement, step):
    if step.target == Agreement.State.IN_FORCE:
        return "state", _("An agreement enters into force only after it is signed; this one is "
                          "%(state)s.") % {"state": agreement.get_state_display()}
    return _refused_transition(agreement, step)


def _signature_recorded(agreement, **context):
    reasons = []
    if not agreement.signed_on:
        reasons.append(("signed_on", _("Enter the date it was signed before marking the "
                                       "agreement signed.")))
    if not agreement.signatories.strip():
        reasons.append(("signatories", _("Name the signatories before marking the agreement "
                                         "signed.")))
    return reasons


def _expiry_reached(agreement, **context):
    if not agreement.expires_on or agreement.expires_on <= timezone.localdate():
        return []
    return [("expires_on", _("This agreement is in force until %(date)s; it cannot expire "
                             "before then.") % {"date": agreement.expires_on.isoformat()})]


def _replacement_in_force(agreement, *, superseded_by=None, **context):
    """The agreement that supersedes this one: another of the same partnership, in force."""
    replacement = superseded_by or agreement.superseded_by
    if replacement is None:
        return [("superseded_by", _("Name the agreement that supersedes this one."))]
    replacement = Agreement.objects.get(pk=replacement.pk)  # its state now, not as passed
    if replacement.pk == agreement.pk:
        return [("superseded_by", _("An agreement cannot supersede itself."))]
    if replacement.partnership_id != agreement.partnership_id:
        return [("superseded_by", _("The superseding agreement must belong to the same "
                                    "partnership."))]
    if replacement.state != Agreement.State.IN_FORCE:
        return [("superseded_by", _("The superseding agreement must be in force; it is "
                                    "%(state)s.") % {"state": replacement.get_state_display()})]
    return []


AGS = Agreement.State
# Each transition is named after the state it leads to.
AGREEMENT_LIFECYCLE = Lifecycle(
    Transition(AGS.IN_COORDINATION, (AGS.DRAFT,), AGS.IN_COORDINATION,
               gettext_lazy("Send for coordination")),
    Transition(AGS.DRAFT, (AGS.IN_COORDINATION,), AGS.DRAFT, gettext_lazy("Return to draft")),
    Transition(AGS.SIGNED, (AGS.IN_COORDINATION,), AGS.SIGNED, gettext_lazy("Record as signed"),
               guards=(_signature_recorded,)),
    Transition(AGS.IN_FORCE, (AGS.SIGNED,), AGS.IN_FORCE, gettext_lazy("Enter into force")),
    Transition(AGS.SUPERSEDED, (AGS.IN_FORCE,), AGS.SUPERSEDED, gettext_lazy("Mark superseded"),
               guards=(_replacement_in_force,), fields=("superseded_by",)),
    Transition(AGS.EXPIRED, (AGS.IN_FORCE,), AGS.EXPIRED, gettext_lazy("Mark expired"),
               guards=(_expiry_reached,)),
    may=_may_change, refused=_agreement_refused, field="state",
)


@transaction.atomic
def transition_agreement(user, agreement, state, *, superseded_by=None):
    """Move an agreement through draft → in coordination → signed → in force → superseded or
    expired. Signing needs the signature date and the signatories; superseding needs the
    agreement that replaces it, itself in force."""
    require(user, agreement, "change")
    agreement = _fresh(agreement)
    changes = {}
    if state == AGS.SUPERSEDED:
        changes["superseded_by"] = superseded_by or agreement.superseded_by
    AGREEMENT_LIFECYCLE.move(user, agreement, state, changes=changes,
                             superseded_by=superseded_by)
    return agreement


# Lines of effort ----------------------------------------------------------------------------

def _check_line(line):
    clash = LineOfEffort.objects.filter(partnership_id=line.partnership_id, code=line.code)
    if clash.exclude(pk=line.pk).exists():
        _refuse("code", _("Another line of effort of this partnership already has the code "
                          "%(code)s.") % {"code": line.code})


@transaction.atomic
def create_line_of_effort(user, partnership, *, rel_to=None, disclosure=None, tlp=None,
                          **fields):
    line = _new_child(user, LineOfEffort, partnership, fields, LINE_FIELDS)
    line.partnership = partnership
    return _mark_child(user, line, partnership, rel_to, disclosure, tlp, _check_line)


@transaction.atomic
def update_line_of_effort(user, line, **fields):
    return _update(user, line, LINE_FIELDS, fields, _check_line)


# Objectives ---------------------------------------------------------------------------------

OBJECTIVE_FINAL = (Objective.State.ACHIEVED, Objective.State.PARTIALLY_ACHIEVED,
                   Objective.State.NOT_ACHIEVED, Objective.State.CANCELLED)
OBJECTIVE_OUTCOMES = (Objective.State.ACHIEVED, Objective.State.PARTIALLY_ACHIEVED,
                      Objective.State.NOT_ACHIEVED)


def _check_objective(objective):
    partnership_id = LineOfEffort.objects.filter(pk=objective.line_of_effort_id).values(
        "partnership_id")
    clash = Objective.objects.filter(line_of_effort__partnership_id__in=partnership_id,
                                     code=objective.code)
    if clash.exclude(pk=objective.pk).exists():
        _refuse("code", _("Another objective of this partnership already has the code "
                          "%(code)s.") % {"code": objective.code})


@transaction.atomic
def create_objective(user, line_of_effort, *, rel_to=None, disclosure=None, tlp=None, **fields):
    """A new draft objective under `line_of_effort`; `owner` is the organization answerable
    for it."""
    objective = _new_child(user, Objective, line_of_effort, fields, OBJECTIVE_FIELDS)
    objective.line_of_effort = line_of_effort
    objective.state = Objective.State.DRAFT
    return _mark_child(user, objective, line_of_effort, rel_to, disclosure, tlp,
                       _check_objective)


@transaction.atomic
def update_objective(user, objective, **fields):
    """Change an objective's text, owner and date; its state changes only by
    `transition_objective`."""
    return _update(user, objective, OBJECTIVE_FIELDS, fields, _check_objective)


def _objective_refused(objective, step):
    current = objective.get_state_display()
    if step.target == Objective.State.CANCELLED:
        return "state", _("This objective is already %(state)s; only an objective not yet "
                          "closed can be cancelled.") % {"state": current}
    if step.target in OBJECTIVE_OUTCOMES:
        return "state", _("Only an objective in progress can be marked %(target)s; this one is "
                          "%(state)s.") % {"target": Objective.State(step.target).label,
                                           "state": current}
    return _refused_transition(objective, step)


def _has_indicator(objective, **context):
    if objective.indicators.exists():
        return []
    return [("state", _("Add at least one indicator before approving the objective: it says "
                        "how progress will be measured."))]


OS = Objective.State
# Each transition is named after the state it leads to.
OBJECTIVE_LIFECYCLE = Lifecycle(
    Transition(OS.APPROVED, (OS.DRAFT,), OS.APPROVED, gettext_lazy("Approve"),
               guards=(_has_indicator,)),
    Transition(OS.IN_PROGRESS, (OS.APPROVED,), OS.IN_PROGRESS, gettext_lazy("Start work")),
    Transition(OS.ACHIEVED, (OS.IN_PROGRESS,), OS.ACHIEVED, gettext_lazy("Mark achieved")),
    Transition(OS.PARTIALLY_ACHIEVED, (OS.IN_PROGRESS,), OS.PARTIALLY_ACHIEVED,
               gettext_lazy("Mark partially achieved")),
    Transition(OS.NOT_ACHIEVED, (OS.IN_PROGRESS,), OS.NOT_ACHIEVED,
               gettext_lazy("Mark not achieved")),
    Transition(OS.CANCELLED, (OS.DRAFT, OS.APPROVED, OS.IN_PROGRESS), OS.CANCELLED,
               gettext_lazy("Cancel objective")),
    may=_may_change, refused=_objective_refused, field="state",
)


@transaction.atomic
def transition_objective(user, objective, state):
    """Move an objective: draft → approved (needs an indicator) → in progress → achieved,
    partially achieved or not achieved; cancelled from any state not yet final."""
    require(user, objective, "change")
    objective = _fresh(objective)
    OBJECTIVE_LIFECYCLE.move(user, objective, state)
    return objective


# Indicators ---------------------------------------------------------------------------------

def _check_indicator(indicator):
    errors = {}
    if indicator.target_date <= indicator.baseline_date:
        errors["target_date"] = _("The target date must come after the baseline date.")
    if indicator.direction == Indicator.Direction.INCREASE \
            and indicator.target_value <= indicator.baseline_value:
        errors["target_value"] = _("Higher is better: the target must be above the baseline.")
    if indicator.direction == Indicator.Direction.DECREASE \
            and indicator.target_value >= indicator.baseline_value:
        errors["target_value"] = _("Lower is better: the target must be below the baseline.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_indicator(user, objective, *, rel_to=None, disclosure=None, tlp=None, **fields):
    indicator = _new_child(user, Indicator, objective, fields, INDICATOR_FIELDS)
    indicator.objective = objective
    return _mark_child(user, indicator, objective, rel_to, disclosure, tlp, _check_indicator)


@transaction.atomic
def update_indicator(user, indicator, **fields):
    return _update(user, indicator, INDICATOR_FIELDS, fields, _check_indicator)


# Measurements -------------------------------------------------------------------------------

def _check_measurement(user, measurement):
    """The date is not in the future nor before the baseline; the evidence is an engagement
    of the indicator's partnership the user may see, and its after-action report."""
    indicator = measurement.indicator
    if measurement.as_of > timezone.localdate():
        _refuse("as_of", _("A measurement cannot be dated in the future."))
    if measurement.as_of < indicator.baseline_date:
        _refuse("as_of", _("A measurement cannot come before the indicator's baseline date "
                           "(%(date)s).") % {"date": indicator.baseline_date.isoformat()})
    report = measurement.after_action_report
    if report is not None:
        if not may(user, report):
            _refuse("after_action_report", _("Choose an after-action report you may see."))
        if measurement.engagement_id is None:
            measurement.engagement_id = report.engagement_id
        elif measurement.engagement_id != report.engagement_id:
            _refuse("after_action_report", _("This after-action report is of another "
                                             "engagement."))
    if measurement.engagement_id is not None:
        engagement = (Measurement.evidence_model("engagement").objects.restrict(user)
                      .filter(pk=measurement.engagement_id)
                      .values_list("partnership_id", flat=True).first())
        if engagement is None:
            _refuse("engagement", _("Choose an engagement you may see."))
        partnership_id = Objective.objects.filter(pk=indicator.objective_id).values_list(
            "line_of_effort__partnership_id", flat=True).first()
        if engagement != partnership_id:
            _refuse("engagement", _("The engagement must belong to the indicator's "
                                    "partnership."))


@transaction.atomic
def record_measurement(user, indicator, value, as_of, source, engagement=None,
                       after_action_report=None, *, rel_to=None, disclosure=None, tlp=None):
    """Record a value of `indicator` as of a date, from `source`, optionally with its evidence:
    the engagement and after-action report it came from (the report's engagement is taken when
    only the report is given). The user must belong to the indicator's owning nation; the
    measurement is marked like the indicator unless a marking is given. It starts unverified."""
    measurement = _new_child(user, Measurement, indicator, {}, ())
    measurement.indicator = indicator
    measurement.value, measurement.as_of, measurement.source = value, as_of, source
    measurement.engagement, measurement.after_action_report = engagement, after_action_report
    return _mark_child(user, measurement, indicator, rel_to, disclosure, tlp,
                       partial(_check_measurement, user))


@transaction.atomic
def update_measurement(user, measurement, **fields):
    """Correct a measurement. Changing its value, date or source takes its verification away:
    someone must verify it again."""
    require(user, measurement, "change")
    measurement = _fresh(measurement)
    before = (measurement.value, measurement.as_of, measurement.source)
    for name in MEASUREMENT_FIELDS:
        if name in fields:
            setattr(measurement, name, fields[name])
    measurement.full_clean(validate_constraints=False)
    _check_measurement(user, measurement)
    if (measurement.value, measurement.as_of, measurement.source) != before:
        measurement.verified_by, measurement.verified_at = None, None
    with acting_as(user):
        measurement.save()
    return measurement


@transaction.atomic
def verify_measurement(user, measurement):
    """Confirm a measurement against its source. Someone other than who recorded it verifies
    it, once."""
    require(user, measurement, "change")
    measurement = _fresh(measurement)
    if measurement.verified_at is not None:
        _refuse("verified_at", _("This measurement was already verified."))
    if measurement.created_by_id == user.pk:
        raise PermissionDenied(_("A measurement is verified by someone other than who "
                                 "recorded it."))
    measurement.verified_by, measurement.verified_at = user, timezone.now()
    with acting_as(user):
        measurement.save(update_fields=["verified_by", "verified_at", "updated_at"])
    return measurement


# Assessments --------------------------------------------------------------------------------

def _check_assessment(assessment):
    if assessment.assessed_on > timezone.localdate():
        _refuse("assessed_on", _("An assessment cannot be dated in the future."))
    line = assessment.line_of_effort
    if line is not None and line.partnership_id != assessment.partnership_id:
        _refuse("line_of_effort", _("The line of effort must belong to the assessed "
                                    "partnership."))


@transaction.atomic
def create_assessment(user, partnership, *, rel_to=None, disclosure=None, tlp=None, **fields):
    """An initial, periodic or final assessment of `partnership`, or of one of its lines of
    effort."""
    assessment = _new_child(user, Assessment, partnership, fields, ASSESSMENT_FIELDS)
    assessment.partnership = partnership
    return _mark_child(user, assessment, partnership, rel_to, disclosure, tlp,
                       _check_assessment)


@transaction.atomic
def update_assessment(user, assessment, **fields):
    return _update(user, assessment, ASSESSMENT_FIELDS, fields, _check_assessment)
