"""After-action reports: the draft (summary, partner feedback, cost, indicator values), its
attendance, sustain/improve observations and follow-on proposals, and its own lifecycle from
draft to published, which moves the engagement along."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import acting_as
from core.lifecycle import EVERYWHERE, Lifecycle, Transition
from core.models import Disclosure
from core.permissions import may, require, require_role
from core.services import (
    apply_marking,
    apply_marking_of,
    apply_parent_marking,
    change_marking,
    check_new_marking,
)
from engagements.fiscal import fiscal_year, fiscal_year_bounds
from engagements.models import (
    AfterActionReport,
    Attendance,
    Engagement,
    FollowOnProposal,
    Observation,
    Person,
)
from engagements.services.engagements import check_dates
from engagements.services.lifecycle import may_transition, transition
from partnerships.models import Indicator
from partnerships.services import record_measurement

AAR_EDITABLE_STATES = (AfterActionReport.State.NOT_STARTED, AfterActionReport.State.DRAFT,
                       AfterActionReport.State.RETURNED)
# An after-action report is written once the engagement has taken place.
AAR_STARTS_FROM = (Engagement.State.EXECUTED, Engagement.State.AAR_SUBMITTED,
                   Engagement.State.RECORDED_COMPLETE, Engagement.State.CLOSED)
AAR_DRAFT_FIELDS = ("summary_en", "summary_es", "partner_feedback_en", "partner_feedback_es",
                    "actual_cost", "currency")
MAX_ATTENDANCE_ROWS = 200


def _writable(user, report):
    """The report is released to the user's nation for writing (the owner's and, jointly, the
    partner's: PARTNER_ACTIONS) and still a draft."""
    require(user, report, "change")
    if report.state not in AAR_EDITABLE_STATES:
        raise ValidationError(_("This after-action report is %(state)s: it can no longer be "
                                "changed.") % {"state": report.get_state_display().lower()})


def _touched(report):
    """A write on a report not started yet makes it a draft."""
    if report.state == AfterActionReport.State.NOT_STARTED:
        report.state = AfterActionReport.State.DRAFT
        report.save(update_fields=["state", "updated_at"])


def _owner_decides(user, report):
    """Returning, approving, recording and publishing stay with the owning nation's
    approvers."""
    require(user, report, "approve", nation_refusal=_(
        "Only the owning nation may approve, return, record or publish an after-action "
        "report."))


def report_indicators(report, user=None):
    """The indicators of the engagement's objectives, for which the report may give values;
    with `user`, only those the user may see."""
    indicators = Indicator.objects.restrict(user) if user is not None else Indicator.objects
    return indicators.filter(
        objective__in=report.engagement.objectives.values("pk")).order_by("objective", "pk")


@transaction.atomic
def start_aar(user, engagement):
    """Create the engagement's after-action report, once the engagement is executed. It takes
    the engagement's marking and owner; both nations it is released to may then write it."""
    require_role(user, "engagements.change_afteractionreport")
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    require(user, engagement, "view")
    if engagement.state not in AAR_STARTS_FROM:
        raise ValidationError(_("An after-action report starts once the engagement is "
                                "executed (it is %(state)s).")
                              % {"state": engagement.get_state_display().lower()})
    if AfterActionReport.objects.filter(engagement=engagement).exists():
        raise ValidationError(_("This engagement already has an after-action report."))
    report = AfterActionReport(engagement=engagement, created_by=user)
    with acting_as(user):
        apply_marking_of(report, engagement)  # to start with: from then on it is its own
    return report


@transaction.atomic
def save_aar_draft(user, report, *, indicator_values=None, **fields):
    """Change the report's text and cost; `indicator_values` maps indicators (or their ids) of
    the engagement's objectives to a value, or to None to clear it. Only the fields given
    change."""
    _writable(user, report)
    for name in AAR_DRAFT_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(report, name, value if value is not None or name == "actual_cost" else "")
    if report.actual_cost is not None and report.actual_cost < 0:
        raise ValidationError({"actual_cost": _("The actual cost cannot be negative.")})
    if indicator_values:
        allowed = {i.pk: i for i in report_indicators(report, user)}
        values = dict(report.indicator_values or {})
        for key, value in indicator_values.items():
            pk = getattr(key, "pk", key)
            if pk not in allowed:
                raise ValidationError({"indicator_values": _(
                    "Indicator %(id)s is not one of this engagement's objectives' indicators."
                ) % {"id": pk}})
            if value is None or value == "":
                values.pop(str(pk), None)
                continue
            try:
                number = Decimal(str(value))
            except InvalidOperation as exc:
                raise ValidationError({"indicator_values": _("Enter a number for %(name)s.")
                                       % {"name": allowed[pk]}}) from exc
            if not number.is_finite() or abs(number) >= Decimal(10) ** 12:
                raise ValidationError({"indicator_values": _("Enter a number for %(name)s.")
                                       % {"name": allowed[pk]}})
            values[str(pk)] = str(number.quantize(Decimal("0.01")))
        report.indicator_values = values
    if report.state == AfterActionReport.State.NOT_STARTED:
        report.state = AfterActionReport.State.DRAFT
    report.full_clean(exclude=["engagement", "owner_nation"])
    with acting_as(user):
        report.save()
    return report


@transaction.atomic
def set_attendance(user, report, rows):
    """Replace the report's attendance table: rows of {nation, organization, grade, gender,
    count}, one per group of people who attended."""
    _writable(user, report)
    require_role(user, "engagements.add_attendance")
    if len(rows) > MAX_ATTENDANCE_ROWS:
        raise ValidationError({"attendance": _("At most %(n)d attendance rows.")
                               % {"n": MAX_ATTENDANCE_ROWS}})
    made = []
    for row in rows:
        organization = row.get("organization")
        if organization is not None and organization.nation_id != row["nation"].pk:
            raise ValidationError({"organization": _(
                "%(organization)s is not an organization of %(nation)s.")
                % {"organization": organization, "nation": row["nation"]}})
        made.append(Attendance(
            report=report, nation=row["nation"], organization=organization,
            grade=(row.get("grade") or "").strip(),
            gender=row.get("gender") or Person.Gender.UNDISCLOSED, count=row["count"],
            created_by=user))
    for attendance in made:
        if attendance.count is None or attendance.count < 1:
            raise ValidationError({"count": _("Each row counts at least one person.")})
        attendance.full_clean(exclude=["report", "owner_nation"])
    with acting_as(user):
        report.attendance.all().delete()
        for attendance in made:
            apply_parent_marking(attendance)
        _touched(report)
    return made


@transaction.atomic
def add_observation(user, report, *, kind, topic, text_en="", text_es=""):
    """A sustain or improve observation, written in either language or both."""
    _writable(user, report)
    require_role(user, "engagements.add_observation")
    if not (text_en or "").strip() and not (text_es or "").strip():
        raise ValidationError({"text_en": _("Write the observation in English or Spanish.")})
    observation = Observation(report=report, kind=kind, topic=(topic or "").strip(),
                              text_en=text_en or "", text_es=text_es or "", created_by=user)
    observation.full_clean(exclude=["report", "owner_nation"])
    with acting_as(user):
        apply_parent_marking(observation)
        _touched(report)
    return observation


@transaction.atomic
def remove_observation(user, observation):
    """Take an observation out of a report still being written; whoever may add
    observations may take one out again."""
    report = observation.report
    _writable(user, report)
    require_role(user, "engagements.add_observation")
    with acting_as(user):
        observation.delete()


@transaction.atomic
def add_follow_on(user, report, *, title_en, title_es, type, notes=""):
    """Propose a next event; `propose_follow_on` turns it into an engagement concept."""
    _writable(user, report)
    require_role(user, "engagements.add_followonproposal")
    proposal = FollowOnProposal(report=report, title_en=(title_en or "").strip(),
                                title_es=(title_es or "").strip(), type=type,
                                notes=notes or "", created_by=user)
    proposal.full_clean(exclude=["report", "owner_nation", "engagement"])
    with acting_as(user):
        apply_parent_marking(proposal)
        _touched(report)
    return proposal


@transaction.atomic
def remove_follow_on(user, proposal):
    """Take a proposal out of a report still being written (not once it became an
    engagement)."""
    _writable(user, proposal.report)
    require_role(user, "engagements.add_followonproposal")
    if proposal.engagement_id:
        raise ValidationError(_("This proposal is already an engagement concept."))
    with acting_as(user):
        proposal.delete()


def placeholder_dates(today=None):
    """Where a follow-on concept sits until its planner dates it: the first day of the next
    fiscal year."""
    start, _end = fiscal_year_bounds(fiscal_year(today or timezone.localdate()) + 1)
    return start, start


@transaction.atomic
def propose_follow_on(user, proposal, *, start_date=None, end_date=None):
    """One click: the proposal becomes a new engagement concept in the same partnership, of the
    proposal's type, owned and led by the user's nation and user, marked like the engagement
    it follows. Without dates it is placed on the first day of the next fiscal year, for the
    planner to date."""
    proposal = FollowOnProposal.objects.select_for_update().get(pk=proposal.pk)
    require(user, proposal, "change", perm="engagements.add_engagement", nation_refusal=_(
        "Only the owning nation turns proposals into engagements."))
    if proposal.engagement_id:
        raise ValidationError(_("This proposal is already an engagement concept."))
    source = proposal.report.engagement
    placeholder = placeholder_dates()
    start_date = start_date or placeholder[0]
    end_date = end_date or max(start_date, placeholder[1])
    check_dates(start_date, end_date)
    engagement = Engagement(
        partnership=source.partnership, title_en=proposal.title_en,
        title_es=proposal.title_es, type=proposal.type, direction=source.direction,
        location=source.location, start_date=start_date, end_date=end_date,
        legal_basis=source.legal_basis, partner_non_military=source.partner_non_military,
        lead=user, state=Engagement.State.CONCEPT, proposed_in=proposal.report,
        owner_nation=user.nation, disclosure=source.disclosure, tlp=source.tlp,
        created_by=user)
    check_new_marking(user, engagement, source.disclosure)
    engagement.full_clean(exclude=["fiscal_year", "fiscal_quarter"])
    with acting_as(user):
        apply_marking(engagement, owner=user.nation, rel_to=list(source.rel_to.all()),
                      disclosure=source.disclosure, tlp=source.tlp)
        engagement.objectives.set(source.objectives.all())
        proposal.engagement = engagement
        proposal.save(update_fields=["engagement", "updated_at"])
    return engagement


@transaction.atomic
def change_aar_marking(user, report, *, rel_to, disclosure, tlp=""):
    """Change who may see the report (core.services.change_marking). Its attendance,
    observations and proposals carry its marking (MARKING_FOLLOWS): they are re-marked with
    it."""
    return change_marking(report, user, rel_to=rel_to, disclosure=disclosure, tlp=tlp)


def _engagement_to(user, engagement, name):
    """Move the engagement along its lifecycle as the report advances, through the lifecycle's
    own guarded transition."""
    transition(user, engagement, name)
    engagement.refresh_from_db()


def _summary_written(report, **context):
    if report.summary_en.strip() or report.summary_es.strip():
        return []
    return [("summary_en", _("Write a summary in English or Spanish before submitting."))]


def _attendance_recorded(report, **context):
    if report.attendance.exists():
        return []
    return [("attendance", _("Record who attended before submitting."))]


def _reason_given(report, *, reason="", **context):
    if (reason or "").strip():
        return []
    return [("reason", _("Say what has to change before it is approved."))]


def _releasable_to_partner(report, **context):
    """Published to the partner only with foreign disclosure approved and the partner nation
    among the nations the report is releasable to."""
    partner = report.engagement.partnership.partner_nation
    reasons = []
    if report.disclosure != Disclosure.APPROVED:
        reasons.append(("marking", _(
            "Publishing to the partner needs foreign disclosure approved for this report (it is "
            "%(state)s): have it reviewed first.")
            % {"state": report.get_disclosure_display().lower()}))
    if not report.rel_to.filter(pk=partner.pk).exists():
        reasons.append(("marking", _(
            "This report is not releasable to %(nation)s, the partner nation: add %(code)s to "
            "its marking first.") % {"nation": partner.name, "code": partner.code}))
    return reasons


def _may_take_aar_step(user, report, step):
    return may(user, report, "change" if step.name == "submit" else "approve")


def _aar_refused(report, step):
    if step.name == "submit" and report.state == AfterActionReport.State.NOT_STARTED:
        return EVERYWHERE, _("Write the report before submitting it.")
    return EVERYWHERE, _("This after-action report is %(state)s: that step is not possible "
                         "now.") % {"state": report.get_state_display().lower()}


AS = AfterActionReport.State
AAR_LIFECYCLE = Lifecycle(
    Transition("submit", (AS.DRAFT, AS.RETURNED), AS.SUBMITTED,
               gettext_lazy("Submit for approval"),
               guards=(_summary_written, _attendance_recorded)),
    Transition("return", (AS.SUBMITTED,), AS.RETURNED, gettext_lazy("Return for changes"),
               guards=(_reason_given,), fields=("reason",)),
    Transition("approve", (AS.SUBMITTED,), AS.APPROVED, gettext_lazy("Approve")),
    Transition("record", (AS.APPROVED,), AS.RECORDED, gettext_lazy("Record")),
    Transition("publish", (AS.RECORDED,), AS.PUBLISHED, gettext_lazy("Publish to the partner"),
               guards=(_releasable_to_partner,)),
    may=_may_take_aar_step,
    refused=_aar_refused,
)


def _submit(user, report, reason=""):
    _writable(user, report)
    AAR_LIFECYCLE.move(user, report, "submit",
                       changes={"submitted_by": user, "submitted_at": timezone.now()})
    # The partner's liaison submits too, but only the owner's planners move the engagement;
    # when they cannot, approval moves it.
    engagement = report.engagement
    if engagement.state == Engagement.State.EXECUTED and may_transition(user, engagement):
        _engagement_to(user, engagement, Engagement.State.AAR_SUBMITTED)


def _return(user, report, reason=""):
    _owner_decides(user, report)
    AAR_LIFECYCLE.move(user, report, "return", reason=reason,
                       changes={"return_reason": (reason or "").strip()})


def _approve(user, report, reason=""):
    _owner_decides(user, report)
    AAR_LIFECYCLE.check(report, "approve")
    if report.engagement.state == Engagement.State.EXECUTED:
        _engagement_to(user, report.engagement, Engagement.State.AAR_SUBMITTED)
    AAR_LIFECYCLE.move(user, report, "approve", changes={
        "approved_by": user, "approved_at": timezone.now(), "return_reason": ""})


def _record(user, report, reason=""):
    """Approved → recorded: the engagement is recorded complete (its own guard wants the
    tracking system reference) and each indicator value becomes a measurement with the report
    and the engagement as evidence."""
    _owner_decides(user, report)
    AAR_LIFECYCLE.check(report, "record")
    engagement = report.engagement
    if engagement.state == Engagement.State.EXECUTED:
        _engagement_to(user, engagement, Engagement.State.AAR_SUBMITTED)
    if engagement.state == Engagement.State.AAR_SUBMITTED:
        _engagement_to(user, engagement, Engagement.State.RECORDED_COMPLETE)
    values = report.indicator_values or {}
    indicators = report_indicators(report).filter(pk__in=[int(k) for k in values])
    source = _("After-action report: %(title)s") % {"title": engagement.title}
    for indicator in indicators:
        record_measurement(user, indicator, Decimal(values[str(indicator.pk)]),
                           engagement.end_date, source[:300], engagement=engagement,
                           after_action_report=report)
    AAR_LIFECYCLE.move(user, report, "record")


def _publish(user, report, reason=""):
    _owner_decides(user, report)
    AAR_LIFECYCLE.move(user, report, "publish")


AAR_STEPS = {"submit": _submit, "return": _return, "approve": _approve, "record": _record,
             "publish": _publish}


@transaction.atomic
def transition_aar(user, report, name, *, reason=""):
    """Move the report: submit (either nation's writers), return with a reason, approve, record
    or publish (the owning nation's approvers). Returns the report as it now is."""
    AAR_LIFECYCLE.step(name)
    report = AfterActionReport.objects.select_for_update().get(pk=report.pk)
    AAR_STEPS[name](user, report, reason)
    return report


def submit_aar(user, report):
    return transition_aar(user, report, "submit")


def return_aar(user, report, reason):
    return transition_aar(user, report, "return", reason=reason)


def approve_aar(user, report):
    return transition_aar(user, report, "approve")


def record_aar(user, report):
    return transition_aar(user, report, "record")


def publish_aar(user, report):
    return transition_aar(user, report, "publish")


def aar_transitions_for(user, report):
    """The steps the user's role and nation allow from the report's state (the guards may
    still refuse one, with the reason)."""
    if report is None:
        return []
    return [option.name for option in AAR_LIFECYCLE.options(user, report)]

