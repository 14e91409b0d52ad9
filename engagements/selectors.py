"""Every read of engagements, through restrict()."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import (
    Count,
    DateField,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
)
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from core.related import with_shown
from engagements.fiscal import fiscal_year, fiscal_year_bounds
from engagements.models import (
    AfterActionReport,
    BudgetLine,
    Engagement,
    Participation,
    Person,
)
from engagements.services.engagements import applicable_gates
from engagements.services.readiness import Finding, readiness
from partnerships.models import Objective
from personnel.models import DutyStatus

# ---- Engagements, participants, readiness checklist -----------------------------------------

# The list page's filters (`engagements_for`), which the exports follow.
ENGAGEMENT_FILTERS = ("partnership", "fiscal_year", "quarter", "state", "type", "q")


def engagements_for(user, *, partnership=None, fiscal_year=None, quarter=None, state=None,
                    type=None, q=None, action="view"):
    """The engagements the user may take `action` on, filtered, with their partnership and
    the objectives the user may see: a constant number of queries, however many rows."""
    objectives = Objective.objects.restrict(user).prefetch_related(None).select_related(None)
    engagements = (Engagement.objects.restrict(user, action)
                   .select_related("partnership", "lead")
                   .prefetch_related(Prefetch("objectives", queryset=objectives)))
    if partnership:
        engagements = engagements.filter(partnership_id=partnership)
    if fiscal_year:
        engagements = engagements.filter(fiscal_year=fiscal_year)
    if quarter:
        engagements = engagements.filter(fiscal_quarter=quarter)
    if state:
        engagements = engagements.filter(state=state)
    if type:
        engagements = engagements.filter(type=type)
    if q:
        engagements = engagements.filter(
            Q(title_en__icontains=q) | Q(title_es__icontains=q) | Q(location__icontains=q)
            | Q(tracking_reference__icontains=q) | Q(external_type_name__icontains=q))
    return engagements


def people_for(user, *, nation=None, q=None, action="view"):
    people = Person.objects.restrict(user, action).select_related("nation", "organization")
    if nation:
        people = people.filter(nation__code=nation.upper())
    if q:
        people = people.filter(Q(full_name__icontains=q) | Q(grade__icontains=q))
    return people


def addable_people(user, engagement):
    """Whom the user may add to `engagement`: people they may see not yet in it; a partner,
    its own nation's people."""
    people = (people_for(user).exclude(participations__engagement=engagement)
              .order_by("full_name"))
    if engagement.owner_nation_id != user.nation_id:
        people = people.filter(owner_nation_id=user.nation_id, nation_id=user.nation_id)
    return people


def participants_for(user, engagement=None, action="view"):
    """Participations the user may see whose person the user may see too (a participant of
    another nation appears only once that person is released to the reader)."""
    visible_people = Person.objects.restrict(user).prefetch_related(None).select_related(None)
    participants = (Participation.objects.restrict(user, action)
                    .filter(person__in=visible_people.values("pk"))
                    .select_related("engagement", "person", "person__nation",
                                    "person__organization", "person__owner_nation"))
    if engagement is not None:
        participants = participants.filter(engagement=engagement)
    return participants


def budget_lines_for(user, engagement=None, action="view"):
    lines = BudgetLine.objects.restrict(user, action).select_related("engagement")
    if engagement is not None:
        lines = lines.filter(engagement=engagement)
    return lines


@dataclass
class Checklist:
    """The readiness checklist as one reader may see it."""

    blockers: list
    warnings: list
    not_shown: int = 0  # findings about participants not released to the reader
    not_shown_blockers: int = 0

    @property
    def ready(self):
        return not self.blockers and not self.not_shown_blockers


def checklist(user, engagement, today=None):
    """`services.readiness` for one reader: findings about a participant the reader may not
    see are counted, not shown; a partner reads only whether a Guard member's duty status is
    cleared, not why (personnel records never leave the owning nation)."""
    findings = readiness(engagement, today)
    visible = set(participants_for(user, engagement).values_list("pk", flat=True))
    own = user.nation_id == engagement.owner_nation_id
    shown, hidden, hidden_blockers = [], 0, 0
    for finding in findings:
        if finding.participation is not None and finding.participation.pk not in visible:
            hidden += 1
            hidden_blockers += finding.is_blocker
            continue
        if finding.gate == "duty_status" and not own:
            finding = Finding(finding.level, finding.gate,
                              _("Duty status not yet cleared for %(person)s.")
                              % {"person": finding.person}, finding.participation)
        shown.append(finding)
    return Checklist(blockers=[f for f in shown if f.is_blocker],
                     warnings=[f for f in shown if not f.is_blocker],
                     not_shown=hidden, not_shown_blockers=hidden_blockers)


@dataclass
class GateRow:
    gate: str
    label: str
    value: str
    ok: bool


def gate_rows(engagement, participation, findings, own=True):
    """The gates that apply to one participant, each with its recorded value and whether it
    is green (no blocker for it in `findings`)."""
    blocked = {f.gate for f in findings
               if f.is_blocker and f.participation is not None
               and f.participation.pk == participation.pk}
    labels = {
        "vetting": (_("Leahy vetting"), participation.get_vetting_display()),
        "visa": (_("Visa or diplomatic note"), participation.get_visa_display()),
        "country_clearance": (_("Country clearance"),
                              participation.get_country_clearance_display()),
        "duty_status": (_("Duty status"), _duty_label(participation, own)),
        "briefing_disclosure": (_("Briefing material"),
                                participation.get_briefing_disclosure_display()),
    }
    return [GateRow(gate, *labels[gate], ok=gate not in blocked)
            for gate in applicable_gates(engagement, participation.person)]


def _duty_label(participation, own):
    if participation.person.guard_member_id:
        return _("From the personnel record") if own else "—"
    status = participation.duty_status
    if not status:
        return _("Not recorded")
    return DutyStatus(status).label if status in DutyStatus.values else status



# ---- After-action reports, dashboards, calendar ---------------------------------------------

# Engagements that took place and still wait to be recorded complete.
NOT_RECORDED_STATES = (Engagement.State.EXECUTED, Engagement.State.AAR_SUBMITTED)
# Engagements that took place (whatever became of them since), for the recorded-complete share.
HAPPENED_STATES = (Engagement.State.IN_EXECUTION, Engagement.State.EXECUTED,
                   Engagement.State.AAR_SUBMITTED, Engagement.State.RECORDED_COMPLETE,
                   Engagement.State.CLOSED)
# The public audit's measure: recorded complete within this many days of the end.
RECORDED_WITHIN_DAYS = 30
# After-action report states in which the report is still owed. A submitted report is owed
# until it is approved: only then can the engagement be recorded complete.
AAR_OWED_STATES = (None, AfterActionReport.State.NOT_STARTED, AfterActionReport.State.DRAFT,
                   AfterActionReport.State.SUBMITTED, AfterActionReport.State.RETURNED)


def report_overdue(due_date, aar_state, today):
    """The one rule for the "overdue" flag: the due date has passed and the report is still
    owed (`aar_state` None when no report exists yet)."""
    return today > due_date and aar_state in AAR_OWED_STATES


def visible_report(user, engagement, action="view"):
    """The engagement's after-action report if the user may see it (None when there is none
    or it is not released to them)."""
    return (AfterActionReport.objects.restrict(user, action)
            .filter(engagement=engagement).select_related("engagement__partnership").first())


def report_exists(engagement):
    return AfterActionReport.objects.filter(engagement=engagement).exists()


def reports_for(user, *, state=None, partnership=None, fiscal_year=None):
    reports = (AfterActionReport.objects.restrict(user)
               .select_related("engagement", "engagement__partnership")
               .order_by("-engagement__end_date", "-pk"))
    if state:
        reports = reports.filter(state=state)
    if partnership:
        reports = reports.filter(engagement__partnership_id=partnership)
    if fiscal_year:
        reports = reports.filter(engagement__fiscal_year=fiscal_year)
    return reports


def rows_of(model, user, report):
    """A report's attendance, observations or proposals the user may see."""
    return model.objects.restrict(user).filter(report=report).order_by("pk")


def _report_state(user):
    """The state of the engagement's report as the user may see it, as a subquery."""
    reports = (AfterActionReport.objects.restrict(user).prefetch_related(None)
               .select_related(None).filter(engagement=OuterRef("pk")))
    return Subquery(reports.values("state")[:1])


@dataclass
class NotRecorded:
    """One engagement on the "not yet recorded complete" list."""

    engagement: Engagement
    days_since_end: int
    aar_state: str | None
    due_date: date
    overdue: bool

    @property
    def aar_state_label(self):
        if self.aar_state is None:
            return AfterActionReport.State.NOT_STARTED.label
        return AfterActionReport.State(self.aar_state).label


def not_yet_recorded(user, *, partnership=None):
    """Executed (or AAR submitted) engagements the user may see that are not recorded complete
    yet, the longest-waiting first, each with its report's state (`aar_state`)."""
    engagements = (
        Engagement.objects.restrict(user)
        .filter(state__in=NOT_RECORDED_STATES, recorded_complete_at__isnull=True)
        .select_related("lead")
        .annotate(aar_state=_report_state(user))
        .order_by("end_date", "pk")
    )
    if partnership:
        engagements = engagements.filter(partnership_id=partnership)
    return engagements


def describe_not_recorded(engagements, today=None):
    """Rows for the list: days since the end, the report's due date and whether it is
    overdue (`report_overdue`)."""
    today = today or timezone.localdate()
    due = timedelta(days=settings.AAR_DUE_DAYS)
    return [
        NotRecorded(engagement=e, days_since_end=(today - e.end_date).days,
                    aar_state=e.aar_state, due_date=e.end_date + due,
                    overdue=report_overdue(e.end_date + due, e.aar_state, today))
        for e in engagements
    ]


@dataclass
class Share:
    """Of `counted` engagements whose window closed (or that were recorded), `on_time` were
    recorded complete within the window; `open` ended but may still make it."""

    counted: int = 0
    on_time: int = 0
    open: int = 0

    @property
    def percent(self):
        return round(100 * self.on_time / self.counted) if self.counted else None

    def add(self, other):
        self.counted += other.counted
        self.on_time += other.on_time
        self.open += other.open


@dataclass
class FiscalYearShares:
    fiscal_year: int
    quarters: dict = field(default_factory=lambda: {q: Share() for q in (1, 2, 3, 4)})
    total: Share = field(default_factory=Share)

    @property
    def quarter_list(self):
        return [self.quarters[q] for q in (1, 2, 3, 4)]


def recorded_within_shares(user, *, today=None, days=RECORDED_WITHIN_DAYS, partnership=None,
                           fiscal_year=None):
    """Per fiscal year and quarter (of the start), the share of engagements that took place and
    were recorded complete within `days` of their end — the audit's measure. One aggregate
    query. An engagement counts once its window has closed or once it is recorded on time;
    ended engagements still inside their window are `open`. Days are the program's calendar
    days (settings.TIME_ZONE)."""
    today = today or timezone.localdate()
    window_end = ExpressionWrapper(F("end_date") + timedelta(days=days),
                                   output_field=DateField())
    recorded_on = TruncDate("recorded_complete_at", tzinfo=ZoneInfo(settings.TIME_ZONE))
    engagements = Engagement.objects.restrict(user).prefetch_related(None).select_related(None)
    if partnership:
        engagements = engagements.filter(partnership_id=partnership)
    if fiscal_year:
        engagements = engagements.filter(fiscal_year=fiscal_year)
    on_time = Q(recorded_complete_at__isnull=False, recorded_on__lte=F("window_end"))
    closed = Q(window_end__lt=today)
    groups = (
        engagements.filter(state__in=HAPPENED_STATES, end_date__lt=today)
        .annotate(window_end=window_end, recorded_on=recorded_on)
        .values("fiscal_year", "fiscal_quarter")
        .annotate(
            counted=Count("pk", filter=closed | on_time, distinct=True),
            on_time=Count("pk", filter=on_time, distinct=True),
            open=Count("pk", filter=~closed & ~on_time, distinct=True),
        )
        .order_by("-fiscal_year", "fiscal_quarter")
    )
    years = {}
    for group in groups:
        year = years.setdefault(group["fiscal_year"], FiscalYearShares(group["fiscal_year"]))
        share = Share(group["counted"], group["on_time"], group["open"])
        year.quarters[group["fiscal_quarter"]] = share
        year.total.add(share)
    return list(years.values())


def current_fiscal_year(today=None):
    return fiscal_year(today or timezone.localdate())


def fiscal_calendar(user, year, *, partnership=None):
    """The fiscal year's engagements the user may see, by the month they start in: twelve
    (first day of the month, [engagements]) pairs, October first. Each engagement's
    partnership is shown through the rule (`partnership_shown`)."""
    engagements = (Engagement.objects.restrict(user).filter(fiscal_year=year)
                   .select_related("partnership").order_by("start_date", "pk"))
    if partnership:
        engagements = engagements.filter(partnership_id=partnership)
    engagements = with_shown(user, engagements, "partnership")
    start, _end = fiscal_year_bounds(year)
    months = [date(start.year + (start.month - 1 + i) // 12, (start.month - 1 + i) % 12 + 1, 1)
              for i in range(12)]
    by_month = {m: [] for m in months}
    for engagement in engagements:
        by_month[engagement.start_date.replace(day=1)].append(engagement)
    return list(by_month.items())


def engagements_to_export(user, **filters):
    """The engagements the user may see, filtered as on the list page, each with its report's
    state as the user may see it (`aar_state`)."""
    return (engagements_for(user, **{k: v for k, v in filters.items()
                                     if k in ENGAGEMENT_FILTERS})
            .select_related("partnership__partner_nation")
            .annotate(aar_state=_report_state(user))
            .order_by("start_date", "pk"))


def calendar_feed_engagements(feed):
    """What a calendar feed shows: the partnership's engagements its user may see now."""
    return (Engagement.objects.restrict(feed.user).filter(partnership=feed.partnership)
            .prefetch_related(None).select_related(None).order_by("start_date", "pk"))
