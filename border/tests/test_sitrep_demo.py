"""The demo's joint situation reports of the Otay Mountain fire: one published (each section by
its own nation, both languages), one with only the US section submitted; loaded once."""

import pytest
from django.core.management import call_command

from border.models import BorderEvent, SituationReport

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_demo_has_a_published_and_a_partly_submitted_joint_report(reference):
    call_command("load_demo", verbosity=0)
    call_command("load_demo", verbosity=0)  # idempotent
    fire = BorderEvent.objects.get(title_en="Otay Mountain Fire crossing the line")
    first, second = SituationReport.objects.filter(event=fire).order_by("number")
    assert first.state == "published" and second.state == "partly_submitted"
    assert first.period_start == fire.started_at and second.period_start == first.period_end
    assert first.published_at < second.created_at
    for section in first.sections.select_related("nation", "submitted_by__organization"):
        assert section.submitted_by.organization.nation_id == section.nation_id
        assert section.situation_en and section.situation_es
    usa, mex = (second.sections.get(nation__code=code) for code in ("USA", "MEX"))
    assert usa.submitted and not mex.submitted and mex.situation_es
    assert first.marking() == fire.marking()
