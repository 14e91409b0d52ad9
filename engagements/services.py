"""Every write on engagements: validate, save, history, in one transaction. Views, the API and
jobs all come through here."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import acting_as
from core.lifecycle import EVERYWHERE, Lifecycle, Transition, refused_by_state
from core.models import Disclosure
from core.permissions import may, require, require_role
from core.services import apply_marking, change_marking, check_new_marking
from engagements.fiscal import fiscal_year, fiscal_year_bounds
from engagements.models import (
    AfterActionReport,
    Attendance,
    BudgetLine,
    CalendarFeed,
    Engagement,
    FollowOnProposal,
    Observation,
    Participation,
    Person,
)
from partnerships.models import Indicator, Objective
from partnerships.services import record_measurement
from personnel.eligibility import eligibility
from personnel.models import DutyPeriod, DutyStatus

# ---- Engagements, budget lines, people, participants and their gates; the lifecycle ---------

ENGAGEMENT_FIELDS = ("partnership", "title_en", "title_es", "type", "external_type_name",
                     "direction", "location", "start_date", "end_date", "legal_basis",
                     "partner_non_military", "lead", "tracking_reference")
BUDGET_LINE_FIELDS = ("description", "amount", "currency", "fund_source", "state")
PERSON_FIELDS = ("full_name", "nation", "organization", "grade", "role", "gender", "languages",
                 "security_force", "guard_member")
GATE_FIELDS = ("vetting", "vetting_reference", "vetting_updated_on", "visa", "visa_updated_on",
               "country_clearance", "clearance_submitted_on", "duty_status",
               "briefing_disclosure")
# What a partner's liaison may record for its own nation's participants: the visa or diplomatic
# note its people obtain. Vetting, country clearance, duty status and disclosure of briefing
# material are the owning nation's decisions.
PARTNER_GATE_FIELDS = ("visa", "visa_updated_on")
# Dates an engagement may have: far enough either side for any plan, near enough that date
# arithmetic (fiscal years, due dates, notice periods) never leaves the calendar.
EARLIEST_DATE, LATEST_DATE = date(1990, 1, 1), date(2100, 12, 31)
# Duty statuses that put a Guard member on Title 10 orders for an event abroad.
TITLE_10_ABROAD = (DutyStatus.T10_ACTIVE, DutyStatus.AGR_T10)
CLEARANCE_LEAD_DAYS = 21  # country clearance requests are due 21 days before travel
CONGRESS_NOTICE_DAYS = 15  # 10 U.S.C. 341: notice 15 days before non-military participation

ES = Engagement.State
PLANNING_STATES = (ES.CONCEPT, ES.NOMINATED, ES.APPROVED, ES.FUNDED, ES.PREPARING, ES.READY)
FINAL_STATES = (ES.CLOSED, ES.CANCELLED)
FUNDED_BUDGET_STATES = (BudgetLine.State.ALLOTTED, BudgetLine.State.OBLIGATED,
                        BudgetLine.State.EXPENDED)
AAR_SUBMITTED_OR_LATER = (AfterActionReport.State.SUBMITTED, AfterActionReport.State.APPROVED,
                          AfterActionReport.State.RECORDED, AfterActionReport.State.PUBLISHED)
AAR_APPROVED_OR_LATER = (AfterActionReport.State.APPROVED, AfterActionReport.State.RECORDED,
                         AfterActionReport.State.PUBLISHED)


def _visible(user, record, message, field):
    """A record the user chose (a person, a partnership) must be one the user may see."""
    if not may(user, record):
        raise ValidationError({field: message})


def _check_dates(start, end):
    errors = {}
    for name, value in (("start_date", start), ("end_date", end)):
        if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
            errors[name] = _("Enter a date between %(first)s and %(last)s.") % {
                "first": EARLIEST_DATE.isoformat(), "last": LATEST_DATE.isoformat()}
    if not errors and start is not None and end is not None and end < start:
        errors["end_date"] = _("The end cannot be before the start.")
    if errors:
        raise ValidationError(errors)


def _check_engagement(user, engagement, objectives):
    """What the model cannot check: the partnership, objectives and lead are the user's to
    choose."""
    errors = {}
    partnership = engagement.partnership if engagement.partnership_id else None
    if partnership is not None and not may(user, partnership):
        errors["partnership"] = _("Choose a partnership you may see.")
    if objectives and partnership is not None:
        ids = {o.pk for o in objectives}
        fitting = Objective.objects.restrict(user).filter(
            pk__in=ids, line_of_effort__partnership=partnership)
        if fitting.count() != len(ids):
            errors["objectives"] = _("Choose objectives of this engagement's partnership that "
                                     "you may see.")
    lead = engagement.lead if engagement.lead_id else None
    if lead is not None and (not lead.is_active or lead.nation_id != engagement.owner_nation_id):
        errors["lead"] = _("The lead must be an active user of the owning nation.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_engagement(user, *, partnership, objectives=(), rel_to=(),
                      disclosure=Disclosure.NOT_REVIEWED, tlp="", **fields):
    """A new engagement concept owned by the user's nation. `objectives` must be of the same
    partnership and visible to the user. The fiscal year and quarter follow the start date."""
    require_role(user, "engagements.add_engagement")
    objectives = list(objectives or ())
    engagement = Engagement(
        **{k: fields[k] for k in ENGAGEMENT_FIELDS if k in fields and k != "partnership"},
        partnership=partnership, state=ES.CONCEPT, owner_nation=user.nation,
        disclosure=disclosure, tlp=tlp or "", created_by=user)
    if not engagement.legal_basis:
        engagement.legal_basis = Engagement.DEFAULT_LEGAL_BASIS
    check_new_marking(user, engagement, disclosure)
    _check_dates(engagement.start_date, engagement.end_date)
    engagement.full_clean(exclude=["fiscal_year", "fiscal_quarter"])
    _check_engagement(user, engagement, objectives)
    with acting_as(user):
        apply_marking(engagement, owner=user.nation, rel_to=rel_to, disclosure=disclosure,
                      tlp=tlp or "")
        engagement.objectives.set(objectives)
    return engagement


@transaction.atomic
def update_engagement(user, engagement, *, objectives=None, **fields):
    """Change the fields given (not the state: see `transition`). `objectives`, when given,
    replaces the engagement's objectives; changing the partnership checks them again."""
    require(user, engagement, "change")
    if engagement.state in FINAL_STATES:
        raise ValidationError(_("This engagement is %(state)s: it can no longer be changed.")
                              % {"state": engagement.get_state_display().lower()})
    for name in ENGAGEMENT_FIELDS:
        if name in fields:
            value = fields[name]
            if value is None and name in ("external_type_name", "tracking_reference"):
                value = ""
            setattr(engagement, name, value)
    if not engagement.legal_basis:
        engagement.legal_basis = Engagement.DEFAULT_LEGAL_BASIS
    _check_dates(engagement.start_date, engagement.end_date)
    engagement.full_clean(exclude=["fiscal_year", "fiscal_quarter"])
    chosen = list(objectives) if objectives is not None else None
    if chosen is not None or "partnership" in fields:
        current = chosen if chosen is not None else list(engagement.objectives.all())
        _check_engagement(user, engagement, current)
    else:
        _check_engagement(user, engagement, ())
    with acting_as(user):
        engagement.save()
        if chosen is not None:
            engagement.objectives.set(chosen)
    return engagement


@transaction.atomic
def change_engagement_marking(user, engagement, *, rel_to, disclosure, tlp=""):
    """Change who may see the engagement (core.services.change_marking); its participants
    follow, each still released to its person's nation."""
    change_marking(engagement, user, rel_to=rel_to, disclosure=disclosure, tlp=tlp)
    nations = list(engagement.rel_to.all())
    with acting_as(user):
        for participation in engagement.participations.select_related("person__owner_nation"):
            apply_marking(participation, owner=engagement.owner_nation,
                          rel_to=[*nations, participation.person.owner_nation],
                          disclosure=engagement.disclosure, tlp=engagement.tlp)
    return engagement


# Budget lines --------------------------------------------------------------------------------

def _clean_budget_line(line):
    line.currency = str(line.currency or "").strip().upper()
    line.full_clean(exclude=["engagement", "owner_nation"])
    errors = {}
    if line.amount < 0:
        errors["amount"] = _("The amount cannot be negative.")
    if len(line.currency) != 3 or not line.currency.isalpha():
        errors["currency"] = _("Enter a three-letter currency code such as USD or MXN.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_budget_line(user, engagement, *, rel_to=(), disclosure=Disclosure.NOT_REVIEWED,
                       tlp="", **fields):
    """A budget line of an engagement the user's nation owns; released only as its own marking
    says (by default to no other nation)."""
    require(user, engagement, "change", perm="engagements.add_budgetline")
    line = BudgetLine(engagement=engagement,
                      **{k: fields[k] for k in BUDGET_LINE_FIELDS if fields.get(k) is not None},
                      owner_nation=user.nation, disclosure=disclosure, tlp=tlp or "",
                      created_by=user)
    check_new_marking(user, line, disclosure)
    _clean_budget_line(line)
    with acting_as(user):
        apply_marking(line, owner=user.nation, rel_to=rel_to, disclosure=disclosure,
                      tlp=tlp or "")
    return line


@transaction.atomic
def update_budget_line(user, line, **fields):
    """Change the fields given, the state among them (planned → allotted → obligated →
    expended)."""
    require(user, line, "change")
    for name in BUDGET_LINE_FIELDS:
        if fields.get(name) is not None:
            setattr(line, name, fields[name])
    _clean_budget_line(line)
    with acting_as(user):
        line.save()
    return line


# People --------------------------------------------------------------------------------------

def _clean_person(user, person):
    if person.guard_member_id:  # a person linked to a Guard member record is a Guard member
        person.role = Person.Role.GUARD_MEMBER
    errors = {}
    if person.organization_id and person.nation_id and \
            person.organization.nation_id != person.nation_id:
        errors["organization"] = _("%(organization)s is not an organization of %(nation)s.") % {
            "organization": person.organization, "nation": person.nation}
    if person.guard_member_id:
        from personnel.models import Member

        if not Member.objects.restrict(user).filter(pk=person.guard_member_id).exists():
            errors["guard_member"] = _("Choose a Guard member record you may see.")
        elif person.nation_id != person.guard_member.owner_nation_id:
            errors["guard_member"] = _("A Guard member record belongs to a person of its own "
                                       "nation.")
    if errors:
        raise ValidationError(errors)
    person.full_clean(exclude=["owner_nation"])


def _release_to_owner(user, person, engagement):
    """A person registered by a partner for another nation's engagement is released to that
    nation, disclosure approved: the engagement's owner has to see who takes part."""
    if person.owner_nation_id == engagement.owner_nation_id:
        return
    nations = {n.pk: n for n in person.rel_to.all()}
    if engagement.owner_nation_id in nations and person.disclosure == Disclosure.APPROVED:
        return
    nations[engagement.owner_nation_id] = engagement.owner_nation
    with acting_as(user):
        apply_marking(person, owner=person.owner_nation, rel_to=list(nations.values()),
                      disclosure=Disclosure.APPROVED, tlp=person.tlp)


def _partner_registers(user, engagement, person_nation_id):
    """A user of another nation than the engagement's owner registers only its own nation's
    people, for an engagement released to it."""
    require(user, engagement, "view")
    if engagement.owner_nation_id != user.nation_id and person_nation_id != user.nation_id:
        raise PermissionDenied(_("A partner registers only its own nation's people."))


@transaction.atomic
def create_person(user, *, engagement=None, rel_to=(), disclosure=Disclosure.NOT_REVIEWED,
                  tlp="", **fields):
    """A person owned by the user's nation. With `engagement` of another nation (a partner's
    liaison registering its participants), the person must be of the user's nation and is
    released to the engagement's owner with disclosure approved."""
    require_role(user, "engagements.add_person")
    person = Person(**{k: fields[k] for k in PERSON_FIELDS if fields.get(k) is not None},
                    owner_nation=user.nation, disclosure=disclosure, tlp=tlp or "",
                    created_by=user)
    partner_path = engagement is not None and engagement.owner_nation_id != user.nation_id
    if partner_path:
        _partner_registers(user, engagement, person.nation_id)
    else:
        check_new_marking(user, person, disclosure)
    _clean_person(user, person)
    with acting_as(user):
        apply_marking(person, owner=user.nation, rel_to=rel_to, disclosure=disclosure,
                      tlp=tlp or "")
    if partner_path:
        _release_to_owner(user, person, engagement)
    return person


@transaction.atomic
def update_person(user, person, **fields):
    require(user, person, "change")
    for name in PERSON_FIELDS:
        if name in fields:
            value = fields[name]
            if value is None and name in ("grade", "languages"):
                value = ""
            setattr(person, name, value)
    _clean_person(user, person)
    with acting_as(user):
        person.save()
    return person


# Participants and their gates ----------------------------------------------------------------

def applicable_gates(engagement, person):
    """The compliance gates that apply to `person` in `engagement`: Leahy vetting for partner
    security-force members, visa or diplomatic note for partner people visiting California,
    country clearance for the owner's people travelling abroad, duty status for Guard members
    abroad, disclosure of briefing material for any other nation's people."""
    home = person.nation_id == engagement.owner_nation_id
    abroad = engagement.direction in (Engagement.Direction.TO_PARTNER,
                                      Engagement.Direction.THIRD_COUNTRY)
    gates = []
    if not home and person.security_force:
        gates.append("vetting")
    if not home and engagement.direction == Engagement.Direction.HOSTED:
        gates.append("visa")
    if home and abroad:
        gates.append("country_clearance")
    if abroad and (person.guard_member_id or person.role == Person.Role.GUARD_MEMBER):
        gates.append("duty_status")
    if not home:
        gates.append("briefing_disclosure")
    return gates


def _default_gates(engagement, person):
    """A new participant's gates: what applies starts as still to do."""
    P = Participation
    gates = applicable_gates(engagement, person)
    return {
        "vetting": P.Vetting.PENDING if "vetting" in gates else P.Vetting.NOT_REQUIRED,
        "visa": P.Visa.PENDING if "visa" in gates else P.Visa.NOT_REQUIRED,
        "country_clearance": P.Clearance.NOT_SUBMITTED if "country_clearance" in gates
        else P.Clearance.NOT_REQUIRED,
        "briefing_disclosure": P.BriefingDisclosure.PENDING if "briefing_disclosure" in gates
        else P.BriefingDisclosure.NOT_REQUIRED,
    }


def _set_gates(participation, gates, today):
    P = Participation
    before = {name: getattr(participation, name) for name in GATE_FIELDS}
    for name in GATE_FIELDS:
        if name in gates:
            value = gates[name]
            if value is None and name in ("vetting_reference", "duty_status"):
                value = ""
            setattr(participation, name, value)
    if participation.duty_status and participation.duty_status not in DutyStatus.values:
        raise ValidationError({"duty_status": _("Unknown duty status.")})
    # Dates the gate changed, unless given.
    if participation.vetting != before["vetting"] and "vetting_updated_on" not in gates:
        participation.vetting_updated_on = today
    if participation.visa != before["visa"] and "visa_updated_on" not in gates:
        participation.visa_updated_on = today
    if (participation.country_clearance == P.Clearance.SUBMITTED
            and participation.clearance_submitted_on is None):
        participation.clearance_submitted_on = today
    for name in ("vetting_updated_on", "visa_updated_on", "clearance_submitted_on"):
        value = getattr(participation, name)
        if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise ValidationError({name: _("Enter a date between %(first)s and %(last)s.") % {
                "first": EARLIEST_DATE.isoformat(), "last": LATEST_DATE.isoformat()}})
    participation.full_clean(exclude=["engagement", "person", "owner_nation"],
                             validate_constraints=False)


def _partner_gates_only(user, owner_nation_id, gates):
    if owner_nation_id != user.nation_id:
        others = sorted(k for k in gates if k not in PARTNER_GATE_FIELDS)
        if others:
            raise PermissionDenied(_("A partner records only the visa or diplomatic note of its "
                                     "own people; the owning nation records the other "
                                     "gates."))


@transaction.atomic
def add_participant(user, engagement, person, **gates):
    """Add `person` to `engagement`. The participation belongs to the engagement's owner and is
    marked like the engagement (and released to the person's nation). A partner's liaison may
    add its own nation's people to an engagement released to it, recording only their visa."""
    require_role(user, "engagements.add_participation")
    _partner_registers(user, engagement, person.nation_id)
    if engagement.owner_nation_id != user.nation_id and person.owner_nation_id != user.nation_id:
        raise PermissionDenied(_("A partner registers only its own nation's people."))
    _partner_gates_only(user, engagement.owner_nation_id, gates)
    _visible(user, person, _("Choose a person you may see."), "person")
    if engagement.state in FINAL_STATES:
        raise ValidationError(_("This engagement is %(state)s: no one can be added.")
                              % {"state": engagement.get_state_display().lower()})
    if Participation.objects.filter(engagement=engagement, person=person).exists():
        raise ValidationError({"person": _("%(person)s already takes part in this engagement.")
                               % {"person": person}})
    participation = Participation(engagement=engagement, person=person, created_by=user,
                                  **_default_gates(engagement, person))
    _set_gates(participation, gates, timezone.localdate())
    _release_to_owner(user, person, engagement)
    nations = {n.pk: n for n in engagement.rel_to.all()}
    nations[person.owner_nation_id] = person.owner_nation
    with acting_as(user):
        apply_marking(participation, owner=engagement.owner_nation, rel_to=list(nations.values()),
                      disclosure=engagement.disclosure, tlp=engagement.tlp)
    return participation


@transaction.atomic
def register_participant(user, engagement, *, gates=None, rel_to=(),
                         disclosure=Disclosure.NOT_REVIEWED, tlp="", **person_fields):
    """A new person and their participation in one step (a liaison registering one of its
    nation's participants, or a planner adding someone new)."""
    person = create_person(user, engagement=engagement, rel_to=rel_to, disclosure=disclosure,
                           tlp=tlp, **person_fields)
    return add_participant(user, engagement, person, **(gates or {}))


@transaction.atomic
def update_participation(user, participation, **gates):
    """Record the gates given. The owning nation records every gate; a partner's liaison, the
    visa or diplomatic note of its own nation's people."""
    require(user, participation, "change")
    if participation.owner_nation_id != user.nation_id:
        if participation.person.owner_nation_id != user.nation_id:
            raise PermissionDenied(_("A partner records gates only for its own nation's "
                                     "people."))
        _partner_gates_only(user, participation.owner_nation_id, gates)
    _set_gates(participation, gates, timezone.localdate())
    with acting_as(user):
        participation.save()
    return participation


@transaction.atomic
def remove_participant(user, participation):
    require(user, participation, "delete")
    with acting_as(user):
        participation.delete()


# Readiness -----------------------------------------------------------------------------------

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


# The lifecycle -------------------------------------------------------------------------------

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
        _check_dates(start, end)
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


# ---- After-action reports -------------------------------------------------------------------

AAR_EDITABLE_STATES = (AfterActionReport.State.NOT_STARTED, AfterActionReport.State.DRAFT,
                       AfterActionReport.State.RETURNED)
# An after-action report is written once the engagement has taken place.
AAR_STARTS_FROM = (Engagement.State.EXECUTED, Engagement.State.AAR_SUBMITTED,
                   Engagement.State.RECORDED_COMPLETE, Engagement.State.CLOSED)
AAR_DRAFT_FIELDS = ("summary_en", "summary_es", "partner_feedback_en", "partner_feedback_es",
                    "actual_cost", "currency")
MAX_ATTENDANCE_ROWS = 200


def _copy_marking(record, source):
    """Give `record` the marking of `source` (the engagement, or the report a row belongs to)."""
    apply_marking(record, owner=source.owner_nation, rel_to=list(source.rel_to.all()),
                  disclosure=source.disclosure, tlp=source.tlp)


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
        _copy_marking(report, engagement)
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
            _copy_marking(attendance, report)
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
        _copy_marking(observation, report)
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
        _copy_marking(proposal, report)
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
    if end_date < start_date:
        raise ValidationError({"end_date": _("The end cannot be before the start.")})
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
    """Change who may see the report; its attendance, observations and proposals follow."""
    change_marking(report, user, rel_to=rel_to, disclosure=disclosure, tlp=tlp)
    with acting_as(user):
        for rows in (report.attendance.all(), report.observations.all(),
                     report.proposals.all()):
            for row in rows:
                _copy_marking(row, report)
    return report


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


@transaction.atomic
def create_calendar_feed(user, partnership, *, language="en"):
    """A personal calendar feed of one partnership's engagements, titled in `language`.
    Returns (feed, key); the key is shown once and never stored."""
    require(user, partnership, "view", perm="engagements.view_engagement")
    key = CalendarFeed.new_key()
    with acting_as(user):
        feed = CalendarFeed.objects.create(
            user=user, partnership=partnership, key_hash=CalendarFeed.hash_key(key),
            hint=key[: len(CalendarFeed.PREFIX) + 4],
            language=language if language in dict(settings.LANGUAGES) else "en")
    return feed, key


@transaction.atomic
def revoke_calendar_feed(user, feed):
    if feed.user_id != user.pk:
        raise PermissionDenied(_("You may revoke only your own calendar feeds."))
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        with acting_as(user):
            feed.save(update_fields=["revoked_at"])
    return feed
