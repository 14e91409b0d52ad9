"""Pages and API of joint situation reports: the list on the event's page, the report with both
languages side by side, each nation's section form and submit button, the API's rules and JSON
errors, periods read in the user's time zone, and releasability on every read path."""

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from border.models import SitrepSection, SituationReport
from border.services import sitreps
from border.tests.factories import report
from border.tests.sitrep_factories import filled, make_sitrep, section
from core.testing import ReleasabilityCase, assert_releasability, error, ok

pytestmark = pytest.mark.django_db


# ---- Releasability -----------------------------------------------------------------------------

def test_situation_reports_obey_releasability(persona_of):
    us = persona_of("duty_officer", "USA")
    event = report(us, title="Sitrep parent", hours_ago=30)
    made = []

    def make(user):
        made.append(make_sitrep(user, event, hours=(len(made), len(made) + 1)))
        return made[-1]

    assert_releasability(ReleasabilityCase(
        make=make,
        list_url=reverse("border:event", args=[event.pk]),
        detail_url=lambda r: reverse("border:sitrep", args=[r.pk]),
        api_list_url=f"/api/v1/border/events/{event.pk}/sitreps",
        api_detail_url=lambda r: f"/api/v1/border/sitreps/{r.pk}",
        export_url=None,
        text=lambda r: reverse("border:sitrep", args=[r.pk]),
        parents=lambda r: [r.event],
    ), us_user=us, mx_user=persona_of("liaison", "MEX"))


def test_situation_report_sections_obey_releasability(persona_of):
    """A section has no page of its own: its report's page shows it, only with the report and
    the event."""
    us = persona_of("duty_officer", "USA")
    sitrep = make_sitrep(us)

    def make(user):
        return sitreps.write_section(user, section(user, sitrep, "USA"),
                                     situation_en="Spot fires south of the fence")

    assert_releasability(ReleasabilityCase(
        make=make,
        list_url=reverse("border:sitrep", args=[sitrep.pk]),
        detail_url=None, api_list_url=None, api_detail_url=None, export_url=None,
        text=lambda s: "Spot fires south of the fence",
        parents=lambda s: [s.report, s.report.event],
    ), us_user=us, mx_user=persona_of("liaison", "MEX"))


# ---- Pages -------------------------------------------------------------------------------------

def test_the_event_page_lists_the_reports_and_offers_a_new_one(us, mx, client_for):
    event = report(us, hours_ago=10)
    make_sitrep(us, event, hours=(0, 4))
    make_sitrep(us, event, hours=(4, 8))
    page = client_for(mx).get(event.get_absolute_url()).content.decode()
    assert page.count('data-testid="sitrep-row"') == 2
    assert 'data-testid="new-sitrep"' in page
    assert f'href="/api/v1/border/events/{event.pk}/cap"' in page


def test_opening_a_report_from_the_page_reads_the_period_in_the_user_s_zone(us, client_for):
    event = report(us, hours_ago=48)
    local = timezone.localtime(event.started_at, timezone.get_fixed_timezone(0))
    start = (local + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    client = client_for(us)  # California: Pacific time
    url = reverse("border:sitrep_create", args=[event.pk])
    response = client.post(url, {"period_start": start.strftime("%Y-%m-%dT%H:%M"),
                                 "period_end": (start + timedelta(hours=12))
                                 .strftime("%Y-%m-%dT%H:%M")})
    sitrep = SituationReport.objects.get(event=event)
    assert response.status_code == 302 and response["Location"] == sitrep.get_absolute_url()
    naive = start.replace(tzinfo=None)
    pacific = timezone.make_aware(naive, timezone.get_default_timezone())
    assert sitrep.period_start == pacific.astimezone(UTC)
    refused = client.post(url, {"period_start": start.strftime("%Y-%m-%dT%H:%M"),
                                "period_end": start.strftime("%Y-%m-%dT%H:%M")})
    assert refused.status_code == 200 and "period_end" in refused.context["form"].errors


def test_the_report_page_shows_both_languages_and_only_one_s_own_buttons(us, mx, client_for):
    sitrep = make_sitrep(us)
    sitreps.write_section(us, section(us, sitrep, "USA"), situation_en="Fire at the fence",
                          situation_es="Fuego en el cerco")
    page = client_for(mx).get(sitrep.get_absolute_url()).content.decode()
    assert '<td lang="en">Fire at the fence</td>' in page
    assert '<td lang="es">Fuego en el cerco</td>' in page
    assert page.count('data-testid="edit-section"') == 1
    assert reverse("border:sitrep_section", args=[sitrep.pk, "MEX"]) in page
    assert reverse("border:sitrep_section", args=[sitrep.pk, "USA"]) not in page
    spanish = client_for(mx, HTTP_ACCEPT_LANGUAGE="es").get(
        sitrep.get_absolute_url()).content.decode()
    assert "Reporte de situación 1" in spanish


def test_writing_and_submitting_a_section_on_its_form(us, mx, client_for):
    sitrep = make_sitrep(us)
    client = client_for(mx)
    url = reverse("border:sitrep_section", args=[sitrep.pk, "MEX"])
    saved = client.post(url, {"save": "", "situation_es": "Humo denso"})
    assert saved.status_code == 302
    assert SitrepSection.objects.get(report=sitrep, nation__code="MEX").situation_es == (
        "Humo denso")
    refused = client.post(url, {"submit": "", "situation_es": "Humo denso"})
    assert refused.status_code == 200 and "needs_en" in refused.context["form"].errors
    done = client.post(url, {"submit": "", **filled("MEX")})
    assert done.status_code == 302
    sitrep.refresh_from_db()
    assert sitrep.state == SituationReport.State.PARTLY_SUBMITTED
    # The other nation's form: its user is sent back to the report with the reason, in
    # Spanish, and nothing is written, whether opening the form or posting to it.
    other_url = reverse("border:sitrep_section", args=[sitrep.pk, "USA"])
    opened = client.get(other_url, HTTP_ACCEPT_LANGUAGE="es")
    assert opened.status_code == 302 and opened.url == sitrep.get_absolute_url()
    other = client.post(other_url, {"save": "", "situation_en": "Mexico writes for the US"},
                        HTTP_ACCEPT_LANGUAGE="es", follow=True)
    assert "Solo los reporteros del lado de Estados Unidos" in other.content.decode()
    assert SitrepSection.objects.get(report=sitrep, nation__code="USA").situation_en == ""
    # The US submits what it saved with the button on the report's page: published.
    sitreps.write_section(us, section(us, sitrep, "USA"), **filled("USA"))
    client_for(us).post(reverse("border:sitrep_section_submit", args=[sitrep.pk, "USA"]))
    sitrep.refresh_from_db()
    assert sitrep.state == SituationReport.State.PUBLISHED
    page = client_for(us).get(sitrep.get_absolute_url()).content.decode()
    assert 'data-testid="edit-section"' not in page and 'data-testid="submit-section"' not in page
    history = client_for(us).get(sitrep.get_absolute_url()).context["history"]
    assert {e.actor for e in history} == {us, mx}  # the sections' history with the report's


def test_an_exercise_event_s_report_pages_carry_the_banner(us, client_for):
    sitrep = make_sitrep(us, report(us, is_exercise=True, hours_ago=5))
    client = client_for(us)
    for url in (sitrep.get_absolute_url(),
                reverse("border:sitrep_section", args=[sitrep.pk, "USA"]),
                reverse("border:sitrep_create", args=[sitrep.event_id])):
        assert 'data-testid="exercise-banner"' in client.get(url).content.decode(), url


# ---- API ---------------------------------------------------------------------------------------

def test_the_api_opens_writes_and_submits_with_the_same_rules(us, mx, client_for):
    event = report(us, hours_ago=10)
    base = event.started_at
    api = client_for(us)
    body = ok(api.post(f"/api/v1/border/events/{event.pk}/sitreps", {
        "period_start": (base + timedelta(hours=1)).isoformat(),
        "period_end": (base + timedelta(hours=5)).isoformat()},
        content_type="application/json"), 201)
    assert body["number"] == 1 and body["state"] == "draft"
    assert [s["nation"] for s in body["sections"]] == ["USA", "MEX"]
    url = f"/api/v1/border/sitreps/{body['id']}"
    written = ok(client_for(mx).patch(f"{url}/sections/MEX", {"situation_es": "Humo"},
                                      content_type="application/json"))
    assert written["situation_es"] == "Humo" and not written["submitted"]
    refused = error(client_for(mx, HTTP_ACCEPT_LANGUAGE="es").patch(
        f"{url}/sections/USA", {"situation_en": "x"}, content_type="application/json"), 403)
    assert "Estados Unidos" in refused["detail"]
    missing = error(client_for(mx, HTTP_ACCEPT_LANGUAGE="es").post(
        f"{url}/sections/MEX/submit", {}, content_type="application/json"), 422)
    assert {e["field"] for e in missing["errors"]} == set(sitreps.SECTION_FIELDS) - {
        "situation_es"}
    assert all("español" in e["message"] for e in missing["errors"])
    ok(client_for(mx).post(f"{url}/sections/MEX/submit", filled("MEX"),
                           content_type="application/json"))
    done = ok(api.post(f"{url}/sections/USA/submit", filled("USA"),
                       content_type="application/json"))
    assert done["state"] == "published" and all(s["submitted"] for s in done["sections"])
    overlap = error(api.post(f"/api/v1/border/events/{event.pk}/sitreps", {
        "period_start": (base + timedelta(hours=4)).isoformat(),
        "period_end": (base + timedelta(hours=6)).isoformat()},
        content_type="application/json"), 422)
    assert overlap["errors"][0]["field"] == "period_start"


def test_the_list_reads_the_same_queries_for_one_report_or_six(us, client_for,
                                                             django_assert_num_queries):
    event = report(us, hours_ago=30)
    make_sitrep(us, event, hours=(0, 2))
    client = client_for(us)
    urls = [f"/api/v1/border/events/{event.pk}/sitreps", event.get_absolute_url()]
    counts = []
    for url in urls:
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    for hour in range(2, 12, 2):
        make_sitrep(us, event, hours=(hour, hour + 2))
    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            response = client.get(url)
    assert [r["number"] for r in client.get(urls[0]).json()["items"]] == [1, 2, 3, 4, 5, 6]
    assert response.content.decode().count('data-testid="sitrep-row"') == 6


def test_period_in_the_api_without_an_offset_is_the_user_s_zone(mx, us, client_for):
    mx.time_zone = "America/Mazatlan"  # Baja California Sur
    mx.save(update_fields=["time_zone"])
    event = report(us, hours_ago=48)
    start = timezone.localtime(event.started_at).replace(tzinfo=None) + timedelta(hours=3)
    start = start.replace(minute=0, second=0, microsecond=0)
    body = ok(client_for(mx).post(f"/api/v1/border/events/{event.pk}/sitreps", {
        "period_start": start.isoformat(), "period_end": (start + timedelta(hours=2)).isoformat()},
        content_type="application/json"), 201)
    la_paz = timezone.make_aware(start, zoneinfo.ZoneInfo("America/Mazatlan"))
    assert datetime.fromisoformat(body["period_start"]) == la_paz


# ---- PDF ---------------------------------------------------------------------------------------

def test_the_published_report_prints_both_languages_side_by_side(us, mx, client_for):
    from core.testing import pdf_pages

    sitrep = make_sitrep(us, report(us, is_exercise=True, hours_ago=5))
    url = reverse("border:sitrep_pdf", args=[sitrep.pk])
    assert client_for(us).get(url).status_code == 404  # a draft has no printout
    sitreps.submit_section(us, section(us, sitrep, "USA"), **filled("USA", "Flames"))
    sitreps.submit_section(mx, section(mx, sitrep, "MEX"), **filled("MEX", "Llamas"))
    response = client_for(mx, HTTP_ACCEPT_LANGUAGE="es").get(url)
    assert response["Content-Disposition"].startswith("inline")
    text = " ".join(" ".join(pdf_pages(response)).split())
    for nation in ("USA", "MEX"):
        word = "Flames" if nation == "USA" else "Llamas"
        for part in ("situation", "actions", "resources", "needs", "next_period"):
            assert f"{word} {nation} {part} en" in text and f"{word} {nation} {part} es" in text
    assert "Situation report 1" in text and "Reporte de situación 1" in text
    assert "EXERCISE EXERCISE EXERCISE" in text and "EJERCICIO EJERCICIO EJERCICIO" in text
    assert "Section of Mexico" in text and "Sección de México" in text
    sitrep.event.rel_to.set([us.nation])  # the event narrowed: no printout for Mexico
    assert client_for(mx).get(url).status_code == 404
