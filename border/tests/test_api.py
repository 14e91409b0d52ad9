"""The border API: /api/v1/border/events (paginated, filtered, real events unless asked),
detail with the derivation, create, update, transitions, timeline, open-incident; errors with
field and message in the user's language; a record not released to you is a 404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from border.models import BorderEvent
from border.tests.factories import MEXICALI, SACRAMENTO, TIJUANA_RIVER, report
from core.testing import error, ok

pytestmark = pytest.mark.django_db

EVENTS = "/api/v1/border/events"


def _new(**changes):
    return {"kind": "wildfire", "title_en": "Tecate fire", "title_es": "Incendio en Tecate",
            "latitude": 32.585, "longitude": -116.62, "severity": "severe",
            "started_at": (timezone.now() - timedelta(hours=2)).isoformat(),
            "marking": {"rel_to": ["MEX"], "disclosure": "approved"}, **changes}


def test_reporting_an_event_returns_it_with_its_derivation(us, client_for):
    report(us)  # the kinds
    body = ok(client_for(us).post(EVENTS, _new(claimed_side="USA"),
                                  content_type="application/json"), 201)
    assert body["side"] == "USA" and body["state"] == "reported"
    assert body["reporting_organization"] == "CalGuard" and body["banner"] == ""
    assert body["marking"] == {"owner": "USA", "rel_to": ["MEX", "USA"],
                               "disclosure": "approved", "tlp": None}
    keys = [c["key"] for c in body["derivation"]["sister_cities"]]
    assert keys == ["tecate-tecate"]
    assert body["derivation"]["nearest_ports"][0]["key"] == "2505"
    assert [t["name"] for t in body["transitions"]] == ["confirm", "contain", "close"]


def test_refusals_name_the_field_in_the_user_s_language(us, mx, client_for):
    report(us)
    future = (timezone.now() + timedelta(days=1)).isoformat()
    body = error(client_for(us).post(EVENTS, _new(started_at=future),
                                     content_type="application/json"), 422)
    assert body["errors"] == [{"field": "started_at",
                               "message": "An event cannot start in the future."}]
    body = error(client_for(mx, HTTP_ACCEPT_LANGUAGE="es").post(
        EVENTS, _new(claimed_side="USA", latitude=TIJUANA_RIVER[0],
                     longitude=TIJUANA_RIVER[1], marking={}),
        content_type="application/json"), 422)
    assert body["errors"][0]["field"] == "claimed_side"
    assert body["errors"][0]["message"].startswith("El punto está en México")


def test_the_list_is_paginated_filtered_and_real_unless_asked(us, client_for):
    report(us, title="North")
    report(us, title="River", kind="river_sewage", point=TIJUANA_RIVER)
    report(us, title="Drill", kind="earthquake", point=MEXICALI, is_exercise=True)
    client = client_for(us)
    body = ok(client.get(EVENTS))
    assert body["count"] == 2 and {e["title"] for e in body["items"]} == {"North", "River"}
    assert {e["title"] for e in ok(client.get(EVENTS, {"side": "MEX"}))["items"]} == {"River"}
    assert {e["title"] for e in ok(client.get(EVENTS, {"kind": "wildfire"}))["items"]} == {
        "North"}
    drills = ok(client.get(EVENTS, {"exercise": "exercise"}))["items"]
    assert [(e["title"], e["banner"]) for e in drills] == [
        ("Drill", "EXERCISE EXERCISE EXERCISE")]
    assert ok(client.get(EVENTS, {"exercise": "all", "limit": 1}))["count"] == 3
    error(client.get(EVENTS, {"state": "burning"}), 422)


def test_update_transition_timeline_and_incident(us, mx, client_for):
    event = report(us, point=SACRAMENTO, title="Far")
    url = f"{EVENTS}/{event.pk}"
    client = client_for(us)
    body = ok(client.patch(url, {"latitude": TIJUANA_RIVER[0], "longitude": TIJUANA_RIVER[1]},
                           content_type="application/json"))
    assert body["side"] == "MEX" and body["border_distance_km"] < 2
    error(client_for(mx).patch(url, {"title_en": "x"}, content_type="application/json"), 403)
    assert ok(client.post(f"{url}/transitions/confirm", {},
                          content_type="application/json"))["state"] == "confirmed"
    error(client.post(f"{url}/transitions/confirm", {}, content_type="application/json"), 422)
    entry = ok(client_for(mx).post(f"{url}/timeline", {
        "kind": "action", "language": "es", "text": "Brigada en sitio."},
        content_type="application/json"), 201)
    assert entry["organization"] == "DEFENSA" and entry["event"] == event.pk
    assert [e["text"] for e in ok(client.get(f"{url}/timeline"))["items"]] == [
        "Brigada en sitio."]
    incident = ok(client.post(f"{url}/incident"), 201)
    assert incident["latitude"] == TIJUANA_RIVER[0] and incident["country"] == "MEX"
    assert ok(client.get(url))["incident"] == incident["id"]
    body = error(client.post(f"{url}/incident"), 422)
    assert body["errors"][0]["field"] == "incident"


def test_an_event_not_released_to_you_is_a_404_everywhere(us, mx, client_for):
    event = report(us, rel_to=())
    url = f"{EVENTS}/{event.pk}"
    client = client_for(mx)
    assert event.pk not in {e["id"] for e in ok(client.get(EVENTS, {"exercise": "all"}))[
        "items"]}
    for response in (client.get(url), client.get(f"{url}/timeline"),
                     client.get(f"{url}/history"),
                     client.patch(url, {"title_en": "x"}, content_type="application/json"),
                     client.post(f"{url}/transitions/close", {},
                                 content_type="application/json"),
                     client.post(f"{url}/timeline", {"language": "es", "text": "x"},
                                 content_type="application/json"),
                     client.post(f"{url}/incident")):
        error(response, 404)
    assert BorderEvent.objects.get(pk=event.pk).state == "reported"


def test_an_exercise_event_s_detail_carries_the_banner_in_spanish(us, mx, client_for):
    event = report(us, is_exercise=True)
    body = ok(client_for(mx, HTTP_ACCEPT_LANGUAGE="es").get(f"{EVENTS}/{event.pk}"))
    assert body["banner"] == "EJERCICIO EJERCICIO EJERCICIO" and body["is_exercise"]


def test_the_kinds_are_listed(us, client_for):
    report(us)
    kinds = ok(client_for(us).get("/api/v1/border/event-kinds"))
    assert "port_hazmat" in {k["code"] for k in kinds}
