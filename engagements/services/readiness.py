"""The readiness checklist of an engagement: what still blocks "ready" and what deserves
attention, participant by participant, gate by gate."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from engagements.models import BudgetLine, Participation
from engagements.services.engagements import applicable_gates
from personnel.eligibility import eligibility
from personnel.models import DutyPeriod, DutyStatus

# Duty statuses that put a Guard member on Title 10 orders for an event abroad.
TITLE_10_ABROAD = (DutyStatus.T10_ACTIVE, DutyStatus.AGR_T10)
CLEARANCE_LEAD_DAYS = 21  # country clearance requests are due 21 days before travel
CONGRESS_NOTICE_DAYS = 15  # 10 U.S.C. 341: notice 15 days before non-military participation
FUNDED_BUDGET_STATES = (BudgetLine.State.ALLOTTED, BudgetLine.State.OBLIGATED,
                        BudgetLine.State.EXPENDED)


@dataclass(frozen=True)
class Finding:
    """One item of the readiness checklist: a blocker keeps the engagement from "ready", a
    warning does not."""

    level: str  # BLOCKER or WARNING
    gate: str  # vetting, visa, country_clearance, duty_status, briefing_disclosure, budget,
    # congressional_notice, participants
    message: str
    participation: Participation | None = None

    BLOCKER = "blocker"
    WARNING = "warning"

    @property
    def person(self):
        return self.participation.person if self.participation else None

    @property
    def is_blocker(self):
        return self.level == self.BLOCKER


def engagement_start(engagement):
    """The moment an engagement starts: the beginning of its first day, in California."""
    return timezone.make_aware(datetime.combine(engagement.start_date, time.min))


def _duty_findings(engagement, participation, verdicts):
    person = participation.person
    if person.guard_member_id:
        verdict = verdicts.get(person.guard_member_id)
        if verdict is None or verdict.ok:
            return []
        return [_("Duty status for %(person)s: %(reason)s")
                % {"person": person, "reason": verdict.reason}]
    status = participation.duty_status
    if not status:
        return [_("Duty status not recorded for %(person)s: members abroad must be on Title 10 "
                  "orders.") % {"person": person}]
    if status not in TITLE_10_ABROAD:
        label = DutyStatus(status).label if status in DutyStatus.values else status
        return [_("%(person)s is not on Title 10 orders (%(status)s): members abroad must be on "
                  "Title 10 orders.") % {"person": person, "status": label}]
    return []


def _participant_findings(engagement, participation, today, verdicts):
    P = Participation
    person = participation.person
    names = {"person": person, "nation": person.nation.name}
    gates = applicable_gates(engagement, person)
    findings = []

    def add(level, gate, message):
        findings.append(Finding(level, gate, message, participation))

    if "vetting" in gates:
        vetting = participation.vetting
        if vetting == P.Vetting.NOT_REQUIRED:
            add(Finding.BLOCKER, "vetting",
                _("Leahy vetting not requested for %(person)s.") % names)
        elif vetting == P.Vetting.PENDING:
            add(Finding.BLOCKER, "vetting", _("Vetting pending for %(person)s.") % names)
        elif vetting == P.Vetting.DENIED:
            add(Finding.BLOCKER, "vetting", _(
                "Leahy vetting denied for %(person)s: they may not take part in this "
                "engagement.") % names)
        elif vetting == P.Vetting.SUSPENDED:
            add(Finding.BLOCKER, "vetting", _(
                "Leahy vetting suspended for %(person)s: they may not take part until it is "
                "reinstated.") % names)
    if "visa" in gates:
        if participation.visa == P.Visa.REFUSED:
            add(Finding.BLOCKER, "visa", _("Visa refused for %(person)s.") % names)
        elif participation.visa != P.Visa.ISSUED:
            add(Finding.BLOCKER, "visa",
                _("Visa or diplomatic note pending for %(person)s.") % names)
    if "country_clearance" in gates:
        clearance = participation.country_clearance
        submitted_on = participation.clearance_submitted_on
        due = engagement.start_date - timedelta(days=CLEARANCE_LEAD_DAYS)
        if clearance in (P.Clearance.NOT_REQUIRED, P.Clearance.NOT_SUBMITTED):
            add(Finding.BLOCKER, "country_clearance",
                _("Country clearance not submitted for %(person)s.") % names)
            if due < today <= engagement.start_date:
                add(Finding.WARNING, "country_clearance", _(
                    "Country clearance for %(person)s is due 21 days before the start and has "
                    "not been submitted.") % names)
        elif clearance == P.Clearance.SUBMITTED:
            add(Finding.BLOCKER, "country_clearance", _(
                "Country clearance submitted but not yet approved for %(person)s.") % names)
        elif clearance == P.Clearance.DENIED:
            add(Finding.BLOCKER, "country_clearance",
                _("Country clearance denied for %(person)s.") % names)
        if clearance in (P.Clearance.SUBMITTED, P.Clearance.APPROVED) and submitted_on \
                and submitted_on > due:
            add(Finding.WARNING, "country_clearance", _(
                "Country clearance for %(person)s was submitted less than 21 days before the "
                "start.") % names)
    if "duty_status" in gates:
        for message in _duty_findings(engagement, participation, verdicts):
            add(Finding.BLOCKER, "duty_status", message)
    if "briefing_disclosure" in gates and \
            participation.briefing_disclosure == P.BriefingDisclosure.PENDING:
        add(Finding.BLOCKER, "briefing_disclosure", _(
            "Briefing material not yet cleared for disclosure to %(nation)s (%(person)s).")
            % names)
    return findings


def _verdicts(engagement, participations):
    """Eligibility for an event abroad of each linked Guard member, at the engagement's start
    (personnel.eligibility decides; the periods in effect are read in one query)."""
    members = {p.person.guard_member_id: p.person.guard_member for p in participations
               if p.person.guard_member_id}
    if not members:
        return {}
    moment = engagement_start(engagement)
    periods = {period.member_id: period for period in
               DutyPeriod.objects.filter(member_id__in=list(members)).at(moment)}
    verdicts = {}
    for pk, member in members.items():
        result = eligibility(member, moment, period=periods.get(pk))
        verdicts[pk] = result.partnership_event_abroad
    return verdicts


def readiness(engagement, today=None):
    """What still blocks "ready", in words, then what deserves attention: every participant's
    gates, the budget, the 21-day country clearance and the 15-day congressional notice. An
    empty list of blockers means the engagement may be marked ready. Covers every participant,
    whoever asks: filter by what the reader may see before showing it (selectors.checklist)."""
    today = today or timezone.localdate()
    participations = list(
        engagement.participations.select_related(
            "person", "person__nation", "person__guard_member")
        .order_by("person__full_name", "pk"))
    verdicts = _verdicts(engagement, participations)
    findings = []
    for participation in participations:
        findings.extend(_participant_findings(engagement, participation, today, verdicts))
    if not engagement.budget_lines.filter(state__in=FUNDED_BUDGET_STATES).exists():
        findings.append(Finding(Finding.BLOCKER, "budget", _("Budget not allotted.")))
    if not participations:
        findings.append(Finding(Finding.WARNING, "participants",
                                _("No participant registered yet.")))
    days_left = (engagement.start_date - today).days
    if engagement.partner_non_military and 0 <= days_left < CONGRESS_NOTICE_DAYS:
        findings.append(Finding(Finding.WARNING, "congressional_notice", _(
            "Partner participants include non-military and the start is less than 15 days "
            "away: 10 U.S.C. 341 requires notice to Congress at least 15 days before.")))
    return sorted(findings, key=lambda f: f.level != Finding.BLOCKER)

