"""The demo engagements: every lifecycle state, the January 2026 visit recorded complete with its
Spanish report, overdue reports on the dashboard, Ukraine and Nigeria invisible to Mexico;
loaded twice it duplicates nothing; each step dated when it happened."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from engagements import demo, selectors
from engagements.models import AfterActionReport, Attendance, Engagement, Participation, Person
from partnerships.models import Measurement

ES = Engagement.State
VISIT = "DEFENSA senior leader familiarization visit to Sacramento"


@pytest.mark.django_db
def test_the_demo_loads_twice_with_every_state_and_releasability():
    call_command("load_demo", verbosity=0)
    counts = {model: model.objects.count() for model in
              (Engagement, Participation, Person, AfterActionReport, Attendance, Measurement)}
    call_command("load_demo", verbosity=0)
    assert {model: model.objects.count() for model in counts} == counts
    # Every planned engagement, and beside them only the exercises' own demo engagements.
    planned = {row[0] for row in demo.demo_plan(timezone.localdate())}
    assert len(planned) == len(demo.demo_plan(timezone.localdate()))
    assert planned <= set(Engagement.objects.values_list("title_en", flat=True))
    others = Engagement.objects.exclude(title_en__in=planned)
    assert counts[Engagement] == len(planned) + others.count()
    assert not others.filter(exercise__isnull=True).exists()

    assert set(Engagement.objects.values_list("state", flat=True)) == set(ES.values)

    visit = Engagement.objects.get(title_en=VISIT)
    assert visit.state == ES.RECORDED_COMPLETE and visit.tracking_reference
    assert visit.recorded_complete_at is not None
    assert visit.participations.count() == 12
    assert not visit.participations.exclude(vetting=Participation.Vetting.APPROVED).exists()
    assert not visit.participations.exclude(visa=Participation.Visa.ISSUED).exists()
    report = visit.after_action_report
    liaison = User.objects.get(username="mx.liaison")
    assert report.state == AfterActionReport.State.RECORDED
    assert report.submitted_by == liaison and report.summary_es and not report.summary_en
    assert Measurement.objects.filter(engagement=visit).exists()

    coordinator = User.objects.get(username="us.coordinator")
    partners = {"UKR", "NGA"}
    assert Engagement.objects.filter(partnership__partner_nation__code__in=partners).exists()
    assert Engagement.objects.restrict(coordinator).filter(
        partnership__partner_nation__code__in=partners).exists()
    mine = Engagement.objects.restrict(liaison)
    assert mine.filter(title_en=VISIT).exists()
    assert not mine.filter(partnership__partner_nation__code__in=partners).exists()
    assert not mine.filter(rel_to__code__in=partners).exists()

    rows = selectors.describe_not_recorded(selectors.not_yet_recorded(coordinator))
    overdue = [row for row in rows if row.overdue]
    assert len(overdue) >= 2
    assert any(row.aar_state is None for row in overdue)
    assert any(row.aar_state == AfterActionReport.State.DRAFT for row in overdue)
    partner_rows = selectors.describe_not_recorded(selectors.not_yet_recorded(liaison))
    assert partner_rows and all(
        row.engagement.partnership.partner_nation.code == "MEX" for row in partner_rows)


@pytest.mark.django_db
def test_the_demo_carries_real_dates_realistic_shares_and_an_overdue_flag(client):
    call_command("load_demo", verbosity=0)
    today = timezone.localdate()
    visit = Engagement.objects.get(title_en=VISIT)
    report = visit.after_action_report
    # Submitted 33 days after the 16 January 2026 end, recorded complete 44 days after: late.
    assert timezone.localdate(report.submitted_at) == date(2026, 2, 18)
    assert timezone.localdate(visit.recorded_complete_at) == date(2026, 3, 1)
    assert timezone.localdate(visit.created_at) == visit.start_date - timedelta(days=150)
    history = LogEntry.objects.get_for_object(visit)
    assert history.exists()
    assert all(timezone.localdate(e.timestamp) <= date(2026, 3, 1) for e in history)

    coordinator = User.objects.get(username="us.coordinator")
    (fy2026,) = selectors.recorded_within_shares(coordinator, fiscal_year=2026)
    assert 0 < fy2026.total.percent < 100
    assert fy2026.total.on_time >= 3

    # The workshop's report was submitted late and never approved: still owed, and flagged.
    workshop = Engagement.objects.get(title_en="Border-zone incident reporting workshop")
    rows = selectors.describe_not_recorded(selectors.not_yet_recorded(coordinator), today)
    assert next(r for r in rows if r.engagement == workshop).overdue
    client.force_login(coordinator)
    page = client.get(f"/engagements/{workshop.pk}/aar/").content.decode()
    assert 'data-testid="overdue"' in page
    listing = client.get("/engagements/aars/?state=submitted").content.decode()
    assert 'data-testid="overdue"' in listing
