"""Every read of partnerships and their program, through restrict().

A program record is shown only when it may be seen itself and so may every record above it (its
partnership, line of effort, objective, indicator): restrict() follows each model's
MARKING_PARENTS, so a measurement never reveals an indicator, an objective or a partnership its
reader may not see.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, F, IntegerField, Q, When

from accounts.models import Nation
from core.related import Shown, with_shown
from partnerships.models import (
    Agreement,
    Assessment,
    Indicator,
    LineOfEffort,
    Measurement,
    Objective,
    Partnership,
)


def partnerships_for(user, *, partner_nation=None, status=None, q=None, action="view"):
    qs = Partnership.objects.restrict(user, action).select_related("partner_nation")
    if partner_nation:
        qs = qs.filter(partner_nation__code=partner_nation.upper())
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(name_en__icontains=q) | Q(name_es__icontains=q))
    return qs


def working_nations(user):
    """The nations the user works with (settings.WORKING_NATIONS): both sides of each
    partnership the user may see."""
    partnerships = Partnership.objects.restrict(user).prefetch_related(None)
    return Nation.objects.filter(
        Q(pk__in=partnerships.values("owner_nation"))
        | Q(pk__in=partnerships.values("partner_nation"))).values("pk")


def _pks(queryset):
    """The ids of a restricted queryset, as a subquery."""
    return queryset.prefetch_related(None).values("pk")


def _text(qs, q, *fields):
    if not q:
        return qs
    match = Q()
    for name in fields:
        match |= Q(**{f"{name}__icontains": q})
    return qs.filter(match)


def agreements_for(user, action="view", *, partnership=None, state=None, q=None):
    qs = Agreement.objects.restrict(user, action).select_related("partnership")
    if partnership:
        qs = qs.filter(partnership=partnership)
    if state:
        qs = qs.filter(state=state)
    return _text(qs, q, "title_en", "title_es", "parties")


def lines_for(user, action="view", *, partnership=None, q=None):
    qs = LineOfEffort.objects.restrict(user, action).select_related("partnership")
    if partnership:
        qs = qs.filter(partnership=partnership)
    return _text(qs, q, "code", "name_en", "name_es")


def objectives_for(user, action="view", *, partnership=None, line_of_effort=None, state=None,
                   q=None):
    qs = (Objective.objects.restrict(user, action)
          .select_related("line_of_effort__partnership", "owner"))
    if partnership:
        qs = qs.filter(line_of_effort__partnership=partnership)
    if line_of_effort:
        qs = qs.filter(line_of_effort=line_of_effort)
    if state:
        qs = qs.filter(state=state)
    return _text(qs, q, "code", "statement_en", "statement_es")


def indicators_for(user, action="view", *, partnership=None, objective=None, kind=None, q=None):
    qs = (Indicator.objects.restrict(user, action)
          .select_related("objective__line_of_effort__partnership"))
    if partnership:
        qs = qs.filter(objective__line_of_effort__partnership=partnership)
    if objective:
        qs = qs.filter(objective=objective)
    if kind:
        qs = qs.filter(kind=kind)
    return _text(qs, q, "name_en", "name_es", "unit", "unit_es")


def measurements_for(user, action="view", *, partnership=None, indicator=None, verified=None):
    """Measurements with `evidence_engagement_id` and `evidence_report_id`: the engagement and
    after-action report behind each, or None when there is none or the user may not see it
    (restrict(), run in the database for the API's pages of measurements)."""
    engagements, reports = (Measurement.evidence_model(name).objects.restrict(user)
                            for name in ("engagement", "after_action_report"))
    qs = (Measurement.objects.restrict(user, action)
          .select_related("indicator__objective__line_of_effort__partnership", "verified_by",
                          "engagement", "after_action_report__engagement")
          .annotate(
              evidence_engagement_id=Case(When(
                  engagement__in=_pks(engagements),
                  then=F("engagement_id")), default=None, output_field=IntegerField()),
              evidence_report_id=Case(When(
                  after_action_report__in=_pks(reports),
                  then=F("after_action_report_id")), default=None,
                  output_field=IntegerField())))
    if partnership:
        qs = qs.filter(indicator__objective__line_of_effort__partnership=partnership)
    if indicator:
        qs = qs.filter(indicator=indicator)
    if verified is not None:
        qs = qs.filter(verified_at__isnull=not verified)
    return qs


def assessments_for(user, action="view", *, partnership=None, line_of_effort=None, kind=None,
                    rating=None):
    qs = (Assessment.objects.restrict(user, action)
          .select_related("partnership", "line_of_effort"))
    if partnership:
        qs = qs.filter(partnership=partnership)
    if line_of_effort:
        qs = qs.filter(line_of_effort=line_of_effort)
    if kind:
        qs = qs.filter(kind=kind)
    if rating:
        qs = qs.filter(rating=rating)
    return qs


# Progress -----------------------------------------------------------------------------------

# Behind the straight line from baseline to target by at most this many percentage points is
# still on track.
ON_TRACK_ALLOWANCE = Decimal(10)
# An indicator kept at its target is on track within this share of the target.
MAINTAIN_TOLERANCE = Decimal("0.05")
TENTH = Decimal("0.1")

MET, ON_TRACK, OFF_TRACK, NO_DATA = "met", "on_track", "off_track", "no_data"


def percent_of_way(indicator, value):
    """How far `value` has come from the baseline to the target, in percent: 0 at the baseline,
    100 at the target, above 100 past it, negative when it moved the wrong way. The direction
    is respected: for "lower is better" the target lies below the baseline. None for an
    indicator kept at its target, which has no way to go."""
    if indicator.direction == Indicator.Direction.MAINTAIN:
        return None
    baseline, target, value = (Decimal(indicator.baseline_value),
                               Decimal(indicator.target_value), Decimal(value))
    gap = target - baseline
    if gap == 0:
        lower = indicator.direction == Indicator.Direction.DECREASE
        meets = value <= target if lower else value >= target
        return Decimal(100) if meets else Decimal(0)
    return ((value - baseline) / gap * 100).quantize(TENTH)


def expected_percent(indicator, on):
    """Where a straight line from the baseline date (0) to the target date (100) is on `on`."""
    span = (indicator.target_date - indicator.baseline_date).days
    if span <= 0:
        return Decimal(100)
    elapsed = Decimal((on - indicator.baseline_date).days)
    return min(max(elapsed / span * 100, Decimal(0)), Decimal(100)).quantize(TENTH)


def judge(indicator, latest):
    """(percent, expected percent, on track, status) of an indicator given its latest
    measurement (or None)."""
    if latest is None:
        return None, None, None, NO_DATA
    if indicator.direction == Indicator.Direction.MAINTAIN:
        allowed = abs(Decimal(indicator.target_value)) * MAINTAIN_TOLERANCE
        on_track = abs(Decimal(latest.value) - Decimal(indicator.target_value)) <= allowed
        return None, None, on_track, ON_TRACK if on_track else OFF_TRACK
    percent = percent_of_way(indicator, latest.value)
    expected = expected_percent(indicator, latest.as_of)
    if percent >= 100:
        return percent, expected, True, MET
    on_track = percent >= expected - ON_TRACK_ALLOWANCE
    return percent, expected, on_track, ON_TRACK if on_track else OFF_TRACK


def with_evidence(user, measurements):
    """`measurements` (with their engagement, report and the report's engagement — its name —
    selected), each with `engagement_shown` and `after_action_report_shown`: the evidence behind
    it as the reader may see it (core.related), one query per kind however many measurements."""
    return with_shown(user, with_shown(user, measurements, "engagement"),
                      "after_action_report")


@dataclass
class Evidence:
    """What stands behind one measurement: the engagement and after-action report it came
    from, each as the reader may see it (its name, or "a record not released to you"); None
    when there is none."""

    measurement: Measurement
    engagement: Shown | None = None
    report: Shown | None = None

    @classmethod
    def of(cls, measurement):
        """From a measurement `with_evidence` prepared."""
        return cls(measurement, measurement.engagement_shown,
                   measurement.after_action_report_shown)


@dataclass
class IndicatorProgress:
    indicator: Indicator
    measurements: list  # the visible measurements, oldest first
    evidence: list  # Evidence of each measurement, newest first
    latest: Measurement | None
    percent: Decimal | None  # of the way from baseline to target; None without data
    expected_percent: Decimal | None  # where the straight line is on the latest date
    on_track: bool | None  # None without data
    status: str  # met, on_track, off_track or no_data

    @property
    def bar(self):
        """The percent for a progress bar: 0 to 100."""
        return None if self.percent is None else min(max(int(self.percent), 0), 100)

    @property
    def sourced(self):
        """The evidence rows that name an engagement or a report."""
        return [e for e in self.evidence if e.engagement or e.report]


class Rollup:
    """Counts and the mean progress over a group of indicators."""

    def all_indicators(self):
        raise NotImplementedError

    def _count(self, status):
        return sum(1 for i in self.all_indicators() if i.status == status)

    @property
    def indicator_count(self):
        return len(self.all_indicators())

    @property
    def met(self):
        return self._count(MET)

    @property
    def on_track(self):
        return self._count(ON_TRACK)

    @property
    def off_track(self):
        return self._count(OFF_TRACK)

    @property
    def no_data(self):
        return self._count(NO_DATA)

    @property
    def percent(self):
        """The mean of the indicators' progress, each counted between 0 and 100 (one far past
        its target does not hide another behind); None when no indicator has a percent."""
        bars = [i.bar for i in self.all_indicators() if i.bar is not None]
        return (Decimal(sum(bars)) / len(bars)).quantize(TENTH) if bars else None

    @property
    def bar(self):
        return None if self.percent is None else int(self.percent)


@dataclass
class ObjectiveProgress(Rollup):
    objective: Objective
    indicators: list = field(default_factory=list)

    def all_indicators(self):
        return self.indicators


@dataclass
class LineProgress(Rollup):
    line: LineOfEffort
    objectives: list = field(default_factory=list)

    def all_indicators(self):
        return [i for o in self.objectives for i in o.indicators]


@dataclass
class Total(Rollup):
    """The whole partnership: every line of effort."""

    lines: list

    def all_indicators(self):
        return [i for line in self.lines for i in line.all_indicators()]


def indicator_progress(user, indicators):
    """Baseline → target → latest measurement for each of `indicators` (records the user may
    see), with the evidence of every measurement. A fixed number of queries however many
    indicators and measurements."""
    indicators = list(indicators)
    if not indicators:
        return []
    measurements = with_evidence(user, (
        Measurement.objects.restrict(user).filter(indicator__in=[i.pk for i in indicators])
        .select_related("verified_by", "engagement", "after_action_report__engagement")
        .order_by("as_of", "pk")))
    by_indicator = {}
    for m in measurements:
        by_indicator.setdefault(m.indicator_id, []).append(m)
    result = []
    for indicator in indicators:
        mine = by_indicator.get(indicator.pk, [])
        latest = mine[-1] if mine else None
        percent, expected, on_track, status = judge(indicator, latest)
        result.append(IndicatorProgress(
            indicator=indicator, measurements=mine, latest=latest, percent=percent,
            expected_percent=expected, on_track=on_track, status=status,
            evidence=[Evidence.of(m) for m in reversed(mine)],
        ))
    return result


def objective_progress(user, partnership):
    """The partnership's progress as the user may see it: per line of effort, per objective,
    per indicator, baseline → target → latest measurement, percent of the way, on track or
    not, and the evidence behind each measurement. A fixed, small number of queries."""
    visible = _pks(Partnership.objects.restrict(user).filter(pk=partnership.pk))
    lines = list(LineOfEffort.objects.restrict(user).filter(partnership__in=visible)
                 .order_by("position", "code", "pk"))
    objectives = list(Objective.objects.restrict(user)
                      .filter(line_of_effort__in=[line.pk for line in lines])
                      .select_related("owner").order_by("code", "pk")) if lines else []
    indicators = list(Indicator.objects.restrict(user)
                      .filter(objective__in=[o.pk for o in objectives])
                      .order_by("pk")) if objectives else []
    by_objective = {}
    for progress in indicator_progress(user, indicators):
        by_objective.setdefault(progress.indicator.objective_id, []).append(progress)
    by_line = {}
    for objective in objectives:
        by_line.setdefault(objective.line_of_effort_id, []).append(
            ObjectiveProgress(objective, by_objective.get(objective.pk, [])))
    return [LineProgress(line, by_line.get(line.pk, [])) for line in lines]

