"""The demo engagements: every lifecycle state, the January 2026 visit recorded complete with its
Spanish report, overdue reports on the dashboard, Ukraine and Nigeria invisible to Mexico;
loaded twice it duplicates nothing."""

import pytest
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
    assert counts[Engagement] == len(demo._plan(timezone.localdate()))

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
