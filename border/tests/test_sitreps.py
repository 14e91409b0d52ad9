"""Joint situation reports: operational periods (numbered, never overlapping), each nation writing
and submitting only its own section in both languages, publication when both are in (read-only
afterwards, the other side told), and the event's marking followed everywhere."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from border.models import SITREP_FIELDS, SitrepSection, SituationReport
from border.services import events, sitreps
from border.tests.factories import nations, report
from border.tests.sitrep_factories import filled, make_sitrep, section
from core.history import history_for
from core.models import Notification
from core.services import change_marking

pytestmark = pytest.mark.django_db


@pytest.fixture
def ua(make_user):
    return make_user("t.ua.coordinator", "ZSU", "coordinator")


# ---- Operational periods -----------------------------------------------------------------------

def test_reports_are_numbered_per_event_with_a_section_for_each_nation(us, mx):
    event = report(us, hours_ago=10)
    first = make_sitrep(us, event, hours=(0, 4))
    second = make_sitrep(mx, event, hours=(4, 8))  # either nation opens one
    other = make_sitrep(us)
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert first.state == SituationReport.State.DRAFT
    assert sorted(first.sections.values_list("nation__code", flat=True)) == ["MEX", "USA"]
    # The report and its sections carry the event's marking.
    for record in (first, *first.sections.all()):
        assert record.owner_nation.code == "USA"
        assert {n.code for n in record.rel_to.all()} == {"USA", "MEX"}
        assert record.disclosure == "approved"


def test_a_period_ends_after_it_starts_after_the_event_and_overlaps_none(us):
    event = report(us, hours_ago=10)
    start = event.started_at
    make_sitrep(us, event, hours=(2, 4))
    cases = [((3, 3), "period_end"), ((3, 1), "period_end"), ((-1, 1), "period_start"),
             ((3, 5), "period_start"), ((1, 3), "period_start"), ((1, 6), "period_start")]
    for (begin, end), field in cases:
        with pytest.raises(ValidationError) as refused:
            sitreps.open_report(us, event, period_start=start + timedelta(hours=begin),
                                period_end=start + timedelta(hours=end))
        assert field in refused.value.message_dict, (begin, end)
    assert "overlaps report 1" in str(refused.value)
    # Back to back is no overlap.
    assert make_sitrep(us, event, hours=(4, 6)).number == 2
    # A closed event takes no new report; its open ones may still be written.
    events.transition_event(us, event, "close")
    with pytest.raises(ValidationError) as refused:
        make_sitrep(us, event, hours=(6, 8))
    assert "closed" in str(refused.value)
    sitreps.write_section(us, section(us, SituationReport.objects.get(event=event, number=2),
                                      "USA"), situation_en="Mop-up")


def test_a_joint_report_needs_the_event_released_to_both_nations(us, mx, ua):
    event = report(us, rel_to=())
    with pytest.raises(ValidationError) as refused:
        make_sitrep(us, event)
    assert "event" in refused.value.message_dict and "Mexico" in str(refused.value)
    with pytest.raises(Http404):  # the partner does not even see it
        make_sitrep(mx, event)
    shared = report(us)
    with pytest.raises(Http404):  # a nation the event is not released to
        make_sitrep(ua, shared)


def test_only_the_role_that_reports_events_opens_or_writes(us, mx, make_user):
    viewer = make_user("t.mx.viewer", "DEFENSA", "viewer")
    event = report(us)
    with pytest.raises(PermissionDenied):
        make_sitrep(viewer, event)
    sitrep = make_sitrep(us, event)
    with pytest.raises(PermissionDenied):
        sitreps.write_section(viewer, section(viewer, sitrep, "MEX"), situation_es="Humo")


# ---- Sections ----------------------------------------------------------------------------------

def test_each_nation_writes_only_its_own_section(us, mx):
    sitrep = make_sitrep(us)
    mexican = sitreps.write_section(mx, section(mx, sitrep, "MEX"), situation_es="Humo denso",
                                    situation_en="Thick smoke")
    assert mexican.written_by == mx and mexican.organization.acronym == "DEFENSA"
    with pytest.raises(PermissionDenied) as refused:
        sitreps.write_section(us, section(us, sitrep, "MEX"), situation_en="Ours")
    assert "Mexico" in str(refused.value)
    with pytest.raises(PermissionDenied):
        sitreps.submit_section(mx, section(mx, sitrep, "USA"), **filled("MEX"))
    assert SitrepSection.objects.get(report=sitrep, nation__code="USA").situation_en == ""


def test_a_user_of_a_nation_the_event_is_not_released_to_finds_nothing(us, mx, ua, client_for):
    sitrep = make_sitrep(us)
    usa_section = SitrepSection.objects.get(report=sitrep, nation__code="USA")
    with pytest.raises(Http404):
        sitreps.write_section(ua, usa_section, situation_en="Hello")
    client = client_for(ua)
    assert client.get(sitrep.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/border/sitreps/{sitrep.pk}").status_code == 404
    assert client.get(f"/api/v1/border/events/{sitrep.event_id}/sitreps").status_code == 404


def test_submitting_needs_every_part_in_both_languages(us):
    sitrep = make_sitrep(us)
    parts = filled("USA")
    del parts["needs_es"], parts["situation_en"]
    with pytest.raises(ValidationError) as refused:
        sitreps.submit_section(us, section(us, sitrep, "USA"), **parts)
    assert set(refused.value.message_dict) == {"needs_es", "situation_en"}
    assert not SitrepSection.objects.get(report=sitrep, nation__code="USA").submitted


def test_both_submissions_publish_the_report_read_only_and_tell_the_other_side(us, mx):
    sitrep = make_sitrep(us)
    sitreps.submit_section(mx, section(mx, sitrep, "MEX"), **filled("MEX"))
    sitrep.refresh_from_db()
    assert sitrep.state == SituationReport.State.PARTLY_SUBMITTED and sitrep.published_at is None
    awaited = Notification.objects.get(recipient=us)
    assert "Mexico submitted its section of situation report 1" in awaited.message_en
    assert "se espera la sección de su país" in awaited.message_es
    assert not Notification.objects.filter(recipient=mx).exists()
    with pytest.raises(ValidationError):  # submitted: final
        sitreps.write_section(mx, section(mx, sitrep, "MEX"), needs_en="More")

    sitreps.submit_section(us, section(us, sitrep, "USA"), **filled("USA"))
    sitrep.refresh_from_db()
    assert sitrep.state == SituationReport.State.PUBLISHED and sitrep.published_at is not None
    # History names who submitted each section and when the report was published.
    submitted = history_for(SitrepSection.objects.get(report=sitrep, nation__code="USA"))
    assert submitted[0].actor == us and "submitted_at" in submitted[0].changes_dict
    assert "published_at" in history_for(sitrep)[0].changes_dict
    published = Notification.objects.get(recipient=mx)
    assert "is published" in published.message_en and published.url == sitrep.get_absolute_url()
    assert Notification.objects.filter(recipient=us).count() == 1  # not told of its own
    with pytest.raises(ValidationError) as refused:
        sitreps.write_section(us, section(us, sitrep, "USA"), needs_en="Later")
    assert "published" in str(refused.value)


def test_an_exercise_event_s_notices_say_so_in_both_languages(us, mx):
    sitrep = make_sitrep(us, report(us, is_exercise=True, hours_ago=5))
    sitreps.submit_section(us, section(us, sitrep, "USA"), **filled("USA"))
    told = Notification.objects.get(recipient=mx)
    assert told.message_en.startswith("EXERCISE EXERCISE EXERCISE")
    assert told.message_es.startswith("EJERCICIO EJERCICIO EJERCICIO")


# ---- Marking -----------------------------------------------------------------------------------

def test_the_reports_follow_the_event_s_marking(us, mx, client_for):
    sitrep = make_sitrep(us)
    sitreps.write_section(mx, section(mx, sitrep, "MEX"), situation_es="Humo")
    assert client_for(mx).get(sitrep.get_absolute_url()).status_code == 200
    change_marking(sitrep.event, us, rel_to=nations("USA"), disclosure="approved")
    sitrep.refresh_from_db()
    assert {n.code for n in sitrep.rel_to.all()} == {"USA"}
    assert {n.code for s in sitrep.sections.all() for n in s.rel_to.all()} == {"USA"}
    client = client_for(mx)
    assert client.get(sitrep.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/border/sitreps/{sitrep.pk}").status_code == 404
    with pytest.raises(Http404):
        sitreps.write_section(mx, SitrepSection.objects.get(report=sitrep, nation__code="MEX"),
                              situation_es="Más humo")
    assert client_for(us).get(sitrep.get_absolute_url()).status_code == 200


def test_every_part_is_a_section_field():
    assert set(sitreps.SECTION_FIELDS) == {f"{n}_{lang}" for n in SITREP_FIELDS
                                           for lang in ("en", "es")}
