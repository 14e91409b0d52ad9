"""The notices' pages and API: releasability on every read path, the event page's notices with
the Acknowledge button for the notified organization only, acknowledging through a page and the
API (another organization refused in the reader's language), the quarterly figures without
exercises, the escalation job, and the pages in Spanish."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from border.contact_matrix import load_contact_matrix
from border.models import Notice
from border.selectors.notices import quarterly_figures
from border.services import notices as services
from border.tasks import escalate_notices
from border.tests.notice_factories import pc_bc_user, report
from core.testing import ReleasabilityCase, assert_releasability, error, ok

API = "/api/v1/border/notices"
NS = Notice.State
pytestmark = pytest.mark.django_db


@pytest.fixture
def us_duty(persona_of, reference):
    load_contact_matrix()
    return persona_of("duty_officer", "USA")


@pytest.fixture
def mx_pcbc(us_duty):
    return pc_bc_user()


@pytest.fixture
def mx_defensa(persona_of, us_duty):
    return persona_of("liaison", "MEX")


def _civil(event):
    return event.notices.get(chain="civil", level=1)


def test_notices_obey_releasability(us_duty, mx_defensa):
    assert_releasability(ReleasabilityCase(
        make=lambda user: _civil(report(user)),
        list_url=reverse("border:notices"), detail_url=None,
        api_list_url=API, api_detail_url=lambda n: f"{API}/{n.pk}", export_url=None,
        text=lambda n: f'data-notice="{n.pk}"', parents=lambda n: [n.event], notices=True,
    ), us_user=us_duty, mx_user=mx_defensa)


def test_the_event_page_shows_each_notice_and_acknowledges(us_duty, mx_pcbc, mx_defensa,
                                                            client_for):
    event = report(us_duty)
    civil = _civil(event)
    page = client_for(us_duty).get(event.get_absolute_url()).content.decode()
    assert 'data-testid="time-to-notify"' in page and f'id="notice-{civil.pk}"' in page
    assert 'data-testid="acknowledge"' not in page  # the reporting side cannot acknowledge
    defensa_page = client_for(mx_defensa).get(event.get_absolute_url()).content.decode()
    assert defensa_page.count('data-testid="acknowledge"') == 1  # its own notice only

    # The wrong organization, through the page: refused with a message, nothing changes.
    refused = client_for(mx_defensa, HTTP_ACCEPT_LANGUAGE="es").post(
        reverse("border:notice_acknowledge", args=[civil.pk]), follow=True)
    assert "Solo Coordinación Estatal de Protección Civil de Baja California" in (
        refused.content.decode())
    assert _civil(event).acknowledged_at is None

    client = client_for(mx_pcbc, HTTP_ACCEPT_LANGUAGE="es")
    waiting = client.get(reverse("border:notices")).content.decode()
    assert f'data-notice="{civil.pk}"' in waiting and 'data-testid="waiting-notices"' in waiting
    done = client.post(reverse("border:notice_acknowledge", args=[civil.pk]),
                       {"next": event.get_absolute_url()}, follow=True)
    assert done.status_code == 200
    civil.refresh_from_db()
    assert (civil.state, civil.acknowledged_by) == (NS.ACKNOWLEDGED, mx_pcbc)
    assert mx_pcbc.username in done.content.decode()  # who acknowledged, on the event page
    waiting = client.get(reverse("border:notices")).content.decode()
    assert 'data-testid="waiting-notices"' not in waiting


def test_acknowledge_through_the_api(us_duty, mx_pcbc, mx_defensa, client_for):
    event = report(us_duty)
    civil = _civil(event)
    listed = ok(client_for(mx_pcbc).get(API, {"mine": "true", "waiting": "true"}))
    assert [n["id"] for n in listed["items"]] == [civil.pk]
    assert listed["items"][0]["organization"] == "PC-BC"
    body = error(client_for(mx_defensa, HTTP_ACCEPT_LANGUAGE="es").post(
        f"{API}/{civil.pk}/acknowledge"), 403)
    assert body["detail"].startswith("Solo ")
    done = ok(client_for(mx_pcbc).post(f"{API}/{civil.pk}/acknowledge"))
    assert done["state"] == "acknowledged" and done["acknowledged_by"] == mx_pcbc.username
    assert done["minutes_to_acknowledge"] is not None and done["late"] is False
    error(client_for(mx_pcbc).post(f"{API}/{civil.pk}/acknowledge"), 422)


def test_quarterly_figures_leave_exercises_out(us_duty, mx_pcbc, client_for):
    real = report(us_duty)
    services.acknowledge(mx_pcbc, _civil(real), now=_civil(real).sent_at + timedelta(minutes=8))
    drill = report(us_duty, exercise=True, title="Tecate tabletop")
    services.acknowledge(mx_pcbc, _civil(drill),
                         now=_civil(drill).sent_at + timedelta(minutes=90))
    (quarter,) = quarterly_figures(us_duty)
    assert quarter.events == 1  # the exercise is not counted
    assert quarter.acknowledge_median == 8.0
    assert quarter.acknowledged == 1 and quarter.chains == 2  # DEFENSA has not acknowledged
    page = client_for(us_duty, HTTP_ACCEPT_LANGUAGE="es").get(
        reverse("border:notice_dashboard")).content.decode()
    assert 'data-testid="notice-figures"' in page and "8 min" in page
    dashboard = client_for(us_duty).get("/").content.decode()
    assert 'data-testid="border-notices"' in dashboard


def test_the_escalation_job_escalates_what_is_overdue(us_duty, mx_pcbc):
    event = report(us_duty)
    Notice.objects.filter(event=event).update(due_at=_civil(event).sent_at
                                              - timedelta(minutes=1))
    assert escalate_notices.call_local() == (2, 0, 2)
    assert set(event.notices.values_list("organization__acronym", flat=True)) == {
        "PC-BC", "DEFENSA", "CONAFOR", "CNPC"}


def test_the_notice_pages_in_spanish_show_no_english(us_duty, mx_pcbc, client_for):
    from tests.test_spanish_pages import english_patterns, visible_text

    event = report(us_duty)
    services.escalate_overdue(now=_civil(event).due_at)  # an escalated row, a level-2 row
    services.acknowledge(mx_pcbc, _civil(event), now=_civil(event).due_at + timedelta(minutes=3))
    patterns = english_patterns()
    found = []
    for user in (us_duty, mx_pcbc):
        client = client_for(user, HTTP_ACCEPT_LANGUAGE="es")
        for url in (event.get_absolute_url(), reverse("border:notices"),
                    reverse("border:notice_dashboard"), "/"):
            response = client.get(url)
            assert response.status_code == 200, url
            text = visible_text(response.content.decode())
            found += [f"{user.username} {url}: {english!r}" for english, pattern in patterns
                      if pattern.search(text)]
            if url == event.get_absolute_url():
                assert "escalado el" in text and "Recibo acusado" in text and "tarde" in text
                # CONAFOR's notice waits, but PC-BC answered for the chain.
                assert "otro contacto de esta cadena acusó recibo" in text
    assert not found, "\n".join(found)


def test_reporting_an_event_kept_from_the_counterpart_is_refused_on_the_form(us_duty,
                                                                             client_for):
    from border.models import BorderEvent, BorderEventKind

    started = timezone.localtime(timezone.now() - timedelta(hours=1))
    page = client_for(us_duty, HTTP_ACCEPT_LANGUAGE="es").post(reverse("border:event_create"), {
        "e-kind": BorderEventKind.objects.get(code="wildfire").pk, "e-title_en": "Kept fire",
        "e-severity": "severe", "e-started_at": started.strftime("%Y-%m-%dT%H:%M"),
        "e-latitude": "32.5851", "e-longitude": "-116.8602",
        "e-reporting_organization": us_duty.organization_id,
        "m-rel_to": ["USA"], "m-disclosure": "not_reviewed"})
    assert page.status_code == 200
    assert "Según la matriz de contactos, se debe avisar a México" in page.content.decode()
    assert not BorderEvent.objects.filter(title_en="Kept fire").exists()
