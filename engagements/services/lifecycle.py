"""The engagement lifecycle: concept to closed, with the side exits deferred, postponed and
cancelled; each transition's guard says why it cannot be taken now."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.lifecycle import EVERYWHERE, Lifecycle, Transition, refused_by_state
from core.permissions import may, require
from engagements.fiscal import fiscal_year
from engagements.models import AfterActionReport, Engagement
from engagements.services.engagements import ES, FINAL_STATES, check_dates
from engagements.services.readiness import FUNDED_BUDGET_STATES, readiness

PLANNING_STATES = (ES.CONCEPT, ES.NOMINATED, ES.APPROVED, ES.FUNDED, ES.PREPARING, ES.READY)
AAR_SUBMITTED_OR_LATER = (AfterActionReport.State.SUBMITTED, AfterActionReport.State.APPROVED,
                          AfterActionReport.State.RECORDED, AfterActionReport.State.PUBLISHED)
AAR_APPROVED_OR_LATER = (AfterActionReport.State.APPROVED, AfterActionReport.State.RECORDED,
                         AfterActionReport.State.PUBLISHED)


def _report(engagement):
    return AfterActionReport.objects.filter(engagement=engagement).first()


def _aar_state(report):
    if report is None:
        return _("not started")
    return report.get_state_display().lower()


def _budget_allotted(engagement, **context):
    if engagement.budget_lines.filter(state__in=FUNDED_BUDGET_STATES).exists():
        return []
    return [(EVERYWHERE, _("An engagement is funded only when at least one budget line is "
                           "allotted, obligated or expended."))]


def _nothing_blocks(engagement, *, today, **context):
    blockers = [f.message for f in readiness(engagement, today) if f.is_blocker]
    if not blockers:
        return []
    return [(EVERYWHERE, _("The engagement cannot be ready while anything blocks it: "
                           "%(blockers)s") % {"blockers": " ".join(blockers)})]


def _started(engagement, *, today, **context):
    if today >= engagement.start_date:
        return []
    return [(EVERYWHERE, _("Execution starts on the start date (%(date)s), not before.")
             % {"date": engagement.start_date})]


def _ended(engagement, *, today, **context):
    if today > engagement.end_date:
        return []
    return [(EVERYWHERE, _("An engagement can be marked executed only after its end date "
                           "(%(date)s).") % {"date": engagement.end_date})]


def _report_submitted(engagement, **context):
    report = _report(engagement)
    if report is not None and report.state in AAR_SUBMITTED_OR_LATER:
        return []
    return [(EVERYWHERE, _("The after-action report must be submitted first (it is "
                           "%(state)s).") % {"state": _aar_state(report)})]


def _report_approved(engagement, **context):
    report = _report(engagement)
    if report is not None and report.state in AAR_APPROVED_OR_LATER:
        return []
    return [(EVERYWHERE, _("An engagement is recorded complete only with an approved "
                           "after-action report (it is %(state)s).")
             % {"state": _aar_state(report)})]


def _tracking_reference(engagement, *, data, **context):
    if (data.get("tracking_reference", engagement.tracking_reference) or "").strip():
        return []
    return [("tracking_reference", _("Enter the tracking system reference before recording "
                                     "the engagement complete."))]


def _next_fiscal_year(engagement, *, data, **context):
    next_year = engagement.fiscal_year + 1
    if not data.get("start_date") or fiscal_year(data["start_date"]) >= next_year:
        return []
    return [("start_date", _("Deferred to the next fiscal year: the new start must be in FY "
                             "%(year)d or later.") % {"year": next_year})]


def may_transition(user, engagement, step=None):
    return may(user, engagement, "transition")


NEW_DATES = ("start_date", "end_date")
# Each transition is named after the state it leads to.
LIFECYCLE = Lifecycle(
    # re-plan a deferred or postponed engagement
    Transition(ES.CONCEPT, (ES.DEFERRED, ES.POSTPONED), ES.CONCEPT,
               gettext_lazy("Plan again as a concept")),
    Transition(ES.NOMINATED, (ES.CONCEPT,), ES.NOMINATED, gettext_lazy("Nominate")),
    Transition(ES.APPROVED, (ES.NOMINATED,), ES.APPROVED, gettext_lazy("Approve")),
    Transition(ES.FUNDED, (ES.APPROVED,), ES.FUNDED, gettext_lazy("Mark funded"),
               guards=(_budget_allotted,)),
    # back from ready when a gate turns red
    Transition(ES.PREPARING, (ES.FUNDED, ES.READY), ES.PREPARING, gettext_lazy("Prepare")),
    Transition(ES.READY, (ES.PREPARING,), ES.READY, gettext_lazy("Mark ready"),
               guards=(_nothing_blocks,)),
    Transition(ES.IN_EXECUTION, (ES.READY,), ES.IN_EXECUTION, gettext_lazy("Start execution"),
               guards=(_started,)),
    Transition(ES.EXECUTED, (ES.IN_EXECUTION,), ES.EXECUTED, gettext_lazy("Mark executed"),
               guards=(_ended,)),
    Transition(ES.AAR_SUBMITTED, (ES.EXECUTED,), ES.AAR_SUBMITTED,
               gettext_lazy("Mark after-action report submitted"),
               guards=(_report_submitted,)),
    Transition(ES.RECORDED_COMPLETE, (ES.AAR_SUBMITTED,), ES.RECORDED_COMPLETE,
               gettext_lazy("Record complete"), guards=(_report_approved, _tracking_reference),
               fields=("tracking_reference",)),
    Transition(ES.CLOSED, (ES.RECORDED_COMPLETE,), ES.CLOSED, gettext_lazy("Close")),
    Transition(ES.DEFERRED, (*PLANNING_STATES, ES.POSTPONED), ES.DEFERRED,
               gettext_lazy("Defer to next fiscal year"), guards=(_next_fiscal_year,),
               fields=NEW_DATES),
    Transition(ES.POSTPONED, (*PLANNING_STATES, ES.DEFERRED), ES.POSTPONED,
               gettext_lazy("Postpone"), fields=NEW_DATES),
    Transition(ES.CANCELLED, tuple(s for s in ES.values if s not in FINAL_STATES),
               ES.CANCELLED, gettext_lazy("Cancel")),
    may=may_transition,
    refused=refused_by_state(gettext_lazy("An engagement that is %(state)s cannot go to "
                                          "%(target)s.")),
)


def transitions_for(user, engagement, today=None):
    """The transitions the user's role and nation allow from the engagement's state, each with
    the guard's refusal if it refuses now (the tracking reference is not required here: it may
    be entered with the transition)."""
    return LIFECYCLE.options(user, engagement, today=today or timezone.localdate(), data={})


@transaction.atomic
def transition(user, engagement, name, *, today=None, **data):
    """Move the engagement to state `name` (concept, nominated, approved, funded, preparing,
    ready, in_execution, executed, aar_submitted, recorded_complete, closed, or the side exits
    deferred, postponed, cancelled), if its guard allows: funded needs a budget line allotted
    or beyond; ready, no readiness blocker; in_execution, the start date reached; executed,
    the end date passed; aar_submitted, the report submitted or later; recorded_complete, the
    report approved (or recorded, published) and the tracking reference (which may be given
    here). deferred and postponed may move the dates (`start_date`, `end_date`); deferring
    moves the start to a later fiscal year. Returns the engagement."""
    require(user, engagement, "transition", nation_refusal=_(
        "Only the owning nation may move an engagement through its lifecycle."))
    given = engagement
    step = LIFECYCLE.step(name)
    engagement = Engagement.objects.select_for_update().get(pk=engagement.pk)
    data = {k: v for k, v in data.items() if v not in (None, "")}
    unexpected = sorted(set(data) - set(step.fields))
    if unexpected:
        raise ValidationError({field: _("Not used by this transition.") for field in unexpected})
    if "start_date" in data or "end_date" in data:
        start = data.get("start_date", engagement.start_date)
        end = data.get("end_date") or start + (engagement.end_date - engagement.start_date)
        check_dates(start, end)
        data["start_date"], data["end_date"] = start, end
    if "tracking_reference" in data:
        data["tracking_reference"] = str(data["tracking_reference"]).strip()[:64]
    changes = dict(data)
    if name == ES.RECORDED_COMPLETE:
        changes["recorded_complete_at"] = timezone.now()
    LIFECYCLE.move(user, engagement, name, changes=changes,
                   today=today or timezone.localdate(), data=data)
    # The caller's instance reads the new state too.
    for field in ("state", "start_date", "end_date", "fiscal_year", "fiscal_quarter",
                  "tracking_reference", "recorded_complete_at", "updated_at"):
        setattr(given, field, getattr(engagement, field))
    return engagement

