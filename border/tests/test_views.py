"""The border event pages: list (real events unless asked), detail with the derivation, the
timeline and the incident, forms, marking, export; Spanish; releasability for both nations."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from border.models import BorderEvent, TimelineEntry
from border.services import events
from border.tests.factories import MEXICALI, OTAY_MOUNTAIN, TIJUANA_RIVER, report
from core.testing import ReleasabilityCase, assert_releasability

pytestmark = pytest.mark.django_db

LIST = reverse("border:events")


def test_border_events_obey_releasability(persona_of):
    assert_releasability(ReleasabilityCase(
        make=lambda user: report(user, title="Releasable fire"),
        list_url=LIST,
        detail_url=lambda e: reverse("border:event", args=[e.pk]),
        api_list_url="/api/v1/border/events",
        api_detail_url=lambda e: f"/api/v1/border/events/{e.pk}",
        export_url=reverse("border:events_export"),
        text=lambda e: "Releasable fire",
        map_feature=lambda e: ("/api/v1/map/border-events", f"border-event-{e.pk}"),
    ), us_user=persona_of("duty_officer", "USA"), mx_user=persona_of("liaison", "MEX"))


def _with_entry(user, event=None):
    event = event or report(user, title="Timeline parent")
    return events.add_timeline_entry(user, event, kind="observation", language="en",
                                     text="Smoke column seen from Tecate")


def test_timeline_entries_obey_releasability(persona_of):
    """An entry has no page of its own: its event's page and the timeline API show it, and
    only with its event."""
    us = persona_of("duty_officer", "USA")
    event = report(us, title="Timeline parent")
    assert_releasability(ReleasabilityCase(
        make=lambda user: _with_entry(user, event),
        list_url=reverse("border:event", args=[event.pk]),
        detail_url=None,
        api_list_url=f"/api/v1/border/events/{event.pk}/timeline",
        api_detail_url=None,
        export_url=None,
        text=lambda e: "Smoke column seen from Tecate",
        parents=lambda e: [e.event],
    ), us_user=us, mx_user=persona_of("liaison", "MEX"))


def test_the_timeline_api_shows_an_entry_only_where_its_event_is_released(us, mx,
                                                                           client_for):
    entry = _with_entry(us)
    url = f"/api/v1/border/events/{entry.event_id}/timeline"
    assert [e["text"] for e in client_for(mx).get(url).json()["items"]] == [entry.text]
    entry.event.rel_to.set([us.nation])
    assert client_for(mx).get(url).status_code == 404


def test_the_list_shows_real_events_and_counts_them_never_the_exercises(us, client_for):
    report(us, title="Real fire")
    report(us, title="Drill quake", kind="earthquake", point=MEXICALI, is_exercise=True)
    client = client_for(us)
    page = client.get(LIST).content.decode()
    assert "Real fire" in page and "Drill quake" not in page
    assert 'data-testid="count-reported">1<' in page
    exercises = client.get(LIST, {"exercise": "exercise"}).content.decode()
    assert "Drill quake" in exercises and "Real fire" not in exercises
    assert 'data-testid="exercise-flag"' in exercises
    assert 'data-testid="count-reported">1<' in exercises  # the counts stay real
    both = client.get(LIST, {"exercise": "all"}).content.decode()
    assert "Drill quake" in both and "Real fire" in both


def test_the_list_filters_by_kind_state_and_side(us, client_for):
    report(us, title="North fire")
    report(us, title="River spill", kind="river_sewage", point=TIJUANA_RIVER)
    client = client_for(us)
    assert "River spill" not in client.get(LIST, {"side": "USA"}).content.decode()
    assert "North fire" not in client.get(LIST, {"kind": "river_sewage"}).content.decode()
    assert "North fire" not in client.get(LIST, {"state": "closed"}).content.decode()
    assert "North fire" in client.get(LIST, {"state": "reported"}).content.decode()


def test_the_list_pages(us, client_for):
    for n in range(27):
        report(us, title=f"Event number {n:02d}")
    client = client_for(us)
    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()
    assert first.count("Event number") == 25 and second.count("Event number") == 2


def test_every_page_of_an_exercise_event_says_so_in_the_reader_s_language(us, mx,
                                                                         client_for):
    event = report(us, title="Drill fire", is_exercise=True)
    client = client_for(us)
    for url in (reverse("border:event", args=[event.pk]),
                reverse("border:event_update", args=[event.pk]),
                reverse("border:event_marking", args=[event.pk])):
        assert "EXERCISE EXERCISE EXERCISE" in client.get(url).content.decode(), url
    spanish = client_for(mx, HTTP_ACCEPT_LANGUAGE="es")
    page = spanish.get(reverse("border:event", args=[event.pk])).content.decode()
    assert "EJERCICIO EJERCICIO EJERCICIO" in page
    real = client.get(reverse("border:event", args=[report(us).pk])).content.decode()
    assert 'data-testid="exercise-banner"' not in real


def test_the_event_page_explains_the_derivation_and_offers_the_steps(us, client_for):
    event = report(us, point=OTAY_MOUNTAIN)
    page = client_for(us).get(reverse("border:event", args=[event.pk])).content.decode()
    assert "United States side (north of the line)" in page
    assert "San Diego–Tijuana" in page and "Otay Mesa" in page
    assert 'data-testid="transition-confirm"' in page
    assert 'data-testid="open-incident"' in page and 'data-testid="timeline-form"' in page


def test_the_event_page_in_spanish(mx, us, client_for):
    event = report(us, title="Fire")
    events.add_timeline_entry(mx, event, kind="action", language="es", text="Brigadas listas.")
    client = client_for(mx, HTTP_ACCEPT_LANGUAGE="es")
    page = client.get(reverse("border:event", args=[event.pk])).content.decode()
    assert "Incendio Fire" in page and "Brigadas listas." in page
    assert "lado estadounidense" in page and "Línea de tiempo" in page
    listing = client.get(LIST).content.decode()
    assert "Eventos fronterizos" in listing


def test_reporting_an_event_through_the_form(us, client_for):
    report(us)  # the kinds
    response = client_for(us).post(reverse("border:event_create"), {
        "e-kind": BorderEvent.objects.first().kind_id, "e-title_en": "Canal rescue",
        "e-title_es": "Rescate en el canal", "e-severity": "severe",
        "e-started_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "e-latitude": "32.70", "e-longitude": "-115.20", "e-claimed_side": "",
        "e-reporting_organization": us.organization_id, "m-rel_to": ["MEX"],
        "m-disclosure": "not_reviewed"})
    created = BorderEvent.objects.get(title_en="Canal rescue")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.side == "USA" and created.reported_by == us


def test_a_guard_s_refusal_shows_on_the_form_field(us, client_for):
    report(us)
    response = client_for(us, HTTP_ACCEPT_LANGUAGE="es").post(reverse("border:event_create"), {
        "e-kind": BorderEvent.objects.first().kind_id, "e-title_en": "Wrong side",
        "e-severity": "minor",
        "e-started_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "e-latitude": "32.58", "e-longitude": "-116.86", "e-claimed_side": "MEX",
        "e-reporting_organization": us.organization_id, "m-disclosure": "not_reviewed"})
    assert response.status_code == 200
    assert "claimed_side" in response.context["form"].errors
    assert not BorderEvent.objects.filter(title_en="Wrong side").exists()


def test_the_partner_adds_to_the_timeline_and_the_owner_moves_the_event(us, mx, client_for):
    event = report(us)
    response = client_for(mx).post(reverse("border:timeline_add", args=[event.pk]), {
        "kind": "observation", "language": "es", "text": "Humo visible desde Tecate."})
    assert response.status_code == 302
    assert TimelineEntry.objects.get(event=event).organization.acronym == "DEFENSA"
    refused = client_for(mx).post(reverse("border:timeline_add", args=[event.pk]), {
        "kind": "observation", "language": "es", "text": "Futuro",
        "at": (timezone.localtime() + timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")})
    assert refused.status_code == 200 and "at" in refused.context["entry_form"].errors
    client_for(mx).post(reverse("border:event_transition", args=[event.pk, "confirm"]))
    assert BorderEvent.objects.get(pk=event.pk).state == "reported"  # not the partner's
    client_for(us).post(reverse("border:event_transition", args=[event.pk, "confirm"]))
    assert BorderEvent.objects.get(pk=event.pk).state == "confirmed"


def test_opening_the_incident_from_the_page(us, client_for):
    event = report(us)
    client = client_for(us)
    response = client.post(reverse("border:event_open_incident", args=[event.pk]))
    event.refresh_from_db()
    assert response.status_code == 302 and response["Location"] == (
        event.incident.get_absolute_url())
    page = client.get(reverse("border:event", args=[event.pk])).content.decode()
    assert event.incident.name in page and 'data-testid="open-incident"' not in page
    again = client.post(reverse("border:event_open_incident", args=[event.pk]), follow=True)
    assert "already opened an incident" in again.content.decode()


def test_a_hidden_event_is_not_found_anywhere(us, mx, client_for):
    event = report(us, rel_to=())
    client = client_for(mx)
    for name in ("border:event", "border:event_update", "border:event_marking"):
        assert client.get(reverse(name, args=[event.pk])).status_code == 404
    for name, args in (("border:timeline_add", []), ("border:event_open_incident", []),
                       ("border:event_transition", ["close"])):
        assert client.post(reverse(name, args=[event.pk, *args])).status_code == 404


def test_the_navigation_links_the_border_events(us, client_for):
    page = client_for(us).get(reverse("web:dashboard")).content.decode()
    assert f'href="{LIST}"' in page


def test_updating_an_event_through_the_form_moves_its_derivation(us, mx, client_for):
    event = report(us)
    url = reverse("border:event_update", args=[event.pk])
    form = client_for(us).get(url).context["form"]
    assert "is_exercise" not in form.fields  # said once, when reported
    data = {f"e-{name}": value for name, value in {
        "kind": event.kind_id, "title_en": "Moved fire", "title_es": "Incendio movido",
        "severity": "extreme", "started_at": timezone.localtime(event.started_at).strftime(
            "%Y-%m-%dT%H:%M"), "latitude": TIJUANA_RIVER[0], "longitude": TIJUANA_RIVER[1],
        "claimed_side": "MEX", "reporting_organization": us.organization_id}.items()}
    response = client_for(us).post(url, data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title_en, event.side, event.severity) == ("Moved fire", "MEX", "extreme")
    assert client_for(mx).get(url).status_code == 404  # released to Mexico, not Mexico's
