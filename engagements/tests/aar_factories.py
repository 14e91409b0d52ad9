"""Engagements in any state and their after-action reports, written straight to the database
(the lifecycle's own services are tested elsewhere), for the report, dashboard and calendar
tests."""

from datetime import date, timedelta

from accounts.models import Nation
from core.services import apply_parent_marking
from engagements.models import AfterActionReport, Attendance, Engagement
from partnerships.models import Indicator, LineOfEffort, Objective
from partnerships.tests.factories import make_partnership


def nations(*codes):
    return list(Nation.objects.filter(code__in=codes))


def mexico_partnership(user):
    return make_partnership(user, partner="MEX", rel_to=("USA", "MEX"))


def make_engagement(user, partnership, *, state=Engagement.State.EXECUTED,
                    start=date(2025, 3, 3), end=None, rel_to=("USA", "MEX"),
                    disclosure="approved", title="Wildfire exchange", **fields):
    engagement = Engagement.objects.create(
        owner_nation=user.nation, partnership=partnership, title_en=title,
        title_es=fields.pop("title_es", f"{title} (es)"),
        type=fields.pop("type", Engagement.Type.SME_EXCHANGE),
        direction=fields.pop("direction", Engagement.Direction.TO_PARTNER),
        location=fields.pop("location", "Tijuana, BC"), start_date=start,
        end_date=end or start + timedelta(days=4), state=state, lead=user,
        disclosure=disclosure, created_by=user, **fields)
    engagement.rel_to.set(nations(user.nation.code, *rel_to))
    return engagement


def make_report(engagement, *, state=AfterActionReport.State.DRAFT, attendance=0, **fields):
    report = AfterActionReport.objects.create(
        engagement=engagement, owner_nation=engagement.owner_nation, state=state,
        disclosure=engagement.disclosure, tlp=engagement.tlp, **fields)
    report.rel_to.set(engagement.rel_to.all())
    if attendance:
        apply_parent_marking(Attendance(report=report, nation=engagement.owner_nation,
                                        count=attendance))
    return report


def make_indicator(user, partnership, *, name="People trained in incident command"):
    """An objective of the partnership with one indicator, both marked like the partnership."""
    def mark(record):
        record.rel_to.set(partnership.rel_to.all())
        return record

    line = mark(LineOfEffort.objects.create(
        partnership=partnership, code="hadr", name_en="HADR", name_es="AHRD",
        owner_nation=user.nation, disclosure="approved"))
    objective = mark(Objective.objects.create(
        line_of_effort=line, code="HADR-1", statement_en="Interoperable incident command",
        statement_es="Mando de incidentes interoperable", owner=user.organization,
        owner_nation=user.nation, disclosure="approved"))
    indicator = mark(Indicator.objects.create(
        objective=objective, name_en=name, name_es="Personas capacitadas", kind="output",
        unit="people", baseline_value=0, baseline_date=date(2024, 1, 1), target_value=100,
        target_date=date(2027, 9, 30), owner_nation=user.nation, disclosure="approved"))
    return objective, indicator


def add_aar_seeds(existing, us_user, mx_user):
    """Records for the API fuzzing's path parameters (added to `existing`, which maps a path
    parameter to ids): an executed engagement whose report is a complete draft (every step can
    succeed), one without a report (it can be started), and a Mexican-only one (404); a
    report's observation and proposal; the report steps by name."""
    from engagements.models import FollowOnProposal, Observation

    partnership = make_partnership(us_user, partner="MEX", us_state="NV",
                                   rel_to=("USA", "MEX"))
    drafted = make_engagement(us_user, partnership, title="Fuzzed report",
                              tracking_reference="G-1")
    report = make_report(drafted, summary_en="Lessons.", attendance=5)
    observation = Observation(report=report, kind="sustain", topic="Radios", text_en="Keep.")
    proposal = FollowOnProposal(report=report, title_en="Next", title_es="Otro",
                                type="workshop")
    for row in (observation, proposal):
        apply_parent_marking(row)
    unstarted = make_engagement(us_user, partnership, title="Fuzzed, no report")
    mexican = make_engagement(mx_user, partnership, title="Mexican only", rel_to=())
    for name, ids in {"engagement_id": [drafted.pk, unstarted.pk, mexican.pk],
                      "observation_id": [observation.pk], "proposal_id": [proposal.pk],
                      "name": ["submit", "return", "approve", "record", "publish"]}.items():
        known = existing.setdefault(name, [])
        known += [i for i in ids if i not in known]
    return existing
