"""The deployments API: create, read, update; transitions and the checklist (422 with what is
missing in the one error shape, 403 for the wrong nation); onboarding, roster and check-ins,
daily status, shifts with their finding, costs, the extension, who is where; lists without
N+1."""

from datetime import timedelta

from django.utils import timezone

from core.testing import error, ok
from response.models import Deployment
from response.services import deployments as services
from response.tests.factories import add_roster_member, make_deployment, organization
from response.tests.seeds import add_deployment_seeds
from response.tests.test_deployments_services import (
    HOST_ITEMS,
    SENDER_ITEMS,
    deploy,
    us_to_mexico,
    walk,
)

API = "/api/v1"
JSON = "application/json"
DS = Deployment.State


def post(client, url, data=None):
    """A transition or checklist item needs no body; a client sends none."""
    if data is None:
        return client.generic("POST", url)
    return client.post(url, data, content_type=JSON)


def test_create_read_update(client_for, us_coordinator, mx_liaison):
    agreement = us_to_mexico(us_coordinator, mx_liaison)
    client = client_for(us_coordinator)
    created = ok(client.post(f"{API}/deployments", {
        "agreement": agreement.pk, "name": "Convoy", "transport": "ground", "port": "2506-C",
        "planned_crossing_at": "2026-03-07T10:00:00-08:00", "carries_equipment": True,
    }, content_type=JSON), 201)
    assert created["state"] == "mobilizing" and created["port"] == "2506-C"
    assert created["sending_organization"] == "CalGuard" and created["host_nation"] == "MEX"
    assert created["marking"] == {"owner": "USA", "rel_to": ["MEX", "USA"],
                                  "disclosure": "approved", "tlp": None}
    assert "Monday to Friday" in created["crossing_warnings"][0]
    assert len(created["onboarding"]) == 5 and not created["checklist_complete"]
    assert [c["name"] for c in created["checklist"]] == [*SENDER_ITEMS, *HOST_ITEMS]
    assert created["transitions"][0]["name"] == "in_transit"
    assert not created["transitions"][0]["allowed"]
    url = f"{API}/deployments/{created['id']}"
    updated = ok(client.patch(url, {"transport": "air", "port": None,
                                    "arrival_airport": "SJD"}, content_type=JSON))
    assert updated["port"] is None and updated["crossing_warnings"] == []
    assert ok(client_for(mx_liaison).get(url))["name"] == "Convoy"
    body = error(client_for(mx_liaison).patch(url, {"name": "Mine"}, content_type=JSON), 403)
    assert "sending nation" in body["detail"]
    body = error(client.post(f"{API}/deployments", {
        "agreement": agreement.pk, "name": "X", "transport": "ground", "port": "9999"},
        content_type=JSON), 422)
    assert body["errors"][0]["field"] == "port"


def test_refusals_in_the_one_error_shape(client_for, us_coordinator, mx_liaison):
    deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                      "in_transit")
    mx, us = client_for(mx_liaison), client_for(us_coordinator)
    url = f"{API}/deployments/{deployment.pk}"
    body = error(post(mx, f"{url}/transitions/arrived"), 422)
    assert "Missing: Entry at a designated port" in body["errors"][0]["message"]
    body = error(post(mx, f"{url}/transitions/demobilizing"), 403)
    error(post(us, f"{url}/checklist/host_cleared"), 403)
    error(post(us, f"{url}/checklist/passports"), 422)
    error(post(mx, f"{url}/transitions/flown"), 422)
    for item in HOST_ITEMS:
        ok(mx.post(f"{url}/checklist/{item}", {"done": True}, content_type=JSON))
    arrived = ok(mx.post(f"{url}/transitions/arrived", {}, content_type=JSON))
    assert arrived["state"] == "arrived" and arrived["checklist_complete"]
    assert ok(client_for(us_coordinator).get(url))["arrived_at"]


def test_onboarding_roster_check_ins(client_for, us_coordinator, mx_liaison):
    deployment = deploy(us_coordinator, mx_liaison)
    us, mx = client_for(us_coordinator), client_for(mx_liaison)
    url = f"{API}/deployments/{deployment.pk}"
    item = ok(mx.post(f"{url}/onboarding", {"text_es": "Curso de cinco horas"},
                      content_type=JSON), 201)
    assert item["text_en"] == "Curso de cinco horas"
    done = ok(mx.post(f"{url}/onboarding/{item['id']}", {"done": True}, content_type=JSON))
    assert done["done_at"] and done["done_by"] == mx_liaison.username
    other = deploy(us_coordinator, mx_liaison).onboarding_items.first()
    error(post(mx, f"{url}/onboarding/{other.pk}"), 404)
    member = ok(us.post(f"{url}/roster", {"full_name": "Megan Patel", "organization": "caloes",
                                          "languages": "en,es"}, content_type=JSON), 201)
    assert member["organization"] == "CalOES" and member["last_status"] is None
    body = error(us.post(f"{url}/roster", {"full_name": "X", "organization": "DEFENSA"},
                         content_type=JSON), 422)
    assert body["errors"][0]["field"] == "organization"
    error(mx.post(f"{url}/roster", {"full_name": "X", "organization": "CalOES"},
                  content_type=JSON), 403)
    member_url = f"{API}/roster-members/{member['id']}"
    assert ok(us.patch(member_url, {"position": "Lead"}, content_type=JSON))["position"] == "Lead"
    body = error(mx.post(f"{member_url}/check-ins", {"status": "checked_in",
                                                     "location": "SJD"}, content_type=JSON),
                 422)
    assert "from departure" in body["errors"][0]["message"]
    walk(us_coordinator, mx_liaison, deployment, "in_transit")
    body = error(mx.post(f"{member_url}/check-ins", {"status": "checked_in", "location": "SJD",
                                                     "at": "2026-01-01T02:23:32-17:49"},
                         content_type=JSON, HTTP_ACCEPT_LANGUAGE="es"), 422)
    assert body["errors"] == [{"field": "at",
                               "message": "Ingrese un desfase UTC entre -12:00 y +14:00."}]
    check_in = ok(mx.post(f"{member_url}/check-ins", {"status": "checked_in",
                                                      "location": "SJD"}, content_type=JSON),
                  201)
    assert check_in["recorded_by"] == mx_liaison.username
    assert ok(mx.get(member_url))["last_location"] == "SJD"
    assert ok(mx.get(f"{member_url}/check-ins"))["count"] == 1
    error(mx.delete(member_url), 403)
    assert us.delete(member_url).status_code == 204  # still before arrival
    error(us.get(member_url), 404)


def test_daily_status_shifts_costs_extension(client_for, us_coordinator, mx_liaison):
    assigned = timezone.now() - timedelta(days=12)
    times = {"in_transit": assigned - timedelta(hours=9),
             "arrived": assigned - timedelta(hours=6),
             "onboarding": assigned - timedelta(hours=5), "assigned": assigned}
    deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                      "assigned", at=times.get)
    us, mx = client_for(us_coordinator), client_for(mx_liaison)
    url = f"{API}/deployments/{deployment.pk}"
    status = ok(mx.post(f"{url}/daily-status", {"day": str(timezone.localdate()),
                                                "summary_es": "Sin novedad",
                                                "personnel_on_duty": 6}, content_type=JSON),
                201)
    assert status["personnel_on_duty"] == 6
    assert ok(us.get(f"{url}/daily-status"))["count"] == 1
    ok(mx.post(f"{url}/shifts", {"started_at": assigned.isoformat(),
                                 "ended_at": (assigned + timedelta(hours=12)).isoformat()},
               content_type=JSON), 201)
    short = ok(mx.post(f"{url}/shifts", {
        "started_at": (assigned + timedelta(hours=15)).isoformat(),
        "ended_at": (assigned + timedelta(hours=32)).isoformat()}, content_type=JSON), 201)
    assert short["short_rest"] and short["long_shift"]
    assert (short["rest_hours"], short["required_rest_hours"]) == (3, 6)
    assert [s["short_rest"] for s in ok(us.get(f"{url}/shifts"))["items"]] == [False, True]
    cost = ok(us.post(f"{url}/costs", {"category": "travel", "description": "Diesel",
                                       "amount": "812.40"}, content_type=JSON), 201)
    assert cost["reimbursement"] == "donated" and cost["amount"] == "812.40"
    error(mx.post(f"{url}/costs", {"category": "travel", "description": "x", "amount": "1"},
                  content_type=JSON), 403)
    patched = ok(us.patch(f"{API}/deployment-costs/{cost['id']}",
                          {"reimbursement": "claimed"}, content_type=JSON))
    assert patched["reimbursement"] == "claimed"
    detail = ok(mx.get(url))
    assert detail["clock"] == {"day": 13, "limit": 14, "status": "warning", "days_left": 1}
    error(us.post(f"{url}/extension", {"days": 5}, content_type=JSON), 403)
    error(mx.post(f"{url}/extension", {"days": 20}, content_type=JSON), 422)
    extended = ok(mx.post(f"{url}/extension", {"days": 5}, content_type=JSON))
    assert extended["extension_days"] == 5 and extended["clock"]["limit"] == 19


def test_who_is_where(client_for, us_coordinator, mx_liaison):
    deployment = walk(us_coordinator, mx_liaison, deploy(us_coordinator, mx_liaison),
                      "arrived")
    services.check_in(mx_liaison, deployment.roster.get(), status="checked_in",
                      location="SJD")
    client = client_for(mx_liaison)
    rows = ok(client.get(f"{API}/accountability", {"nation": "usa"}))["items"]
    assert [(r["full_name"], r["last_status"], r["nation"]) for r in rows] == [
        ("Ana Smith", "checked_in", "USA")]
    assert ok(client.get(f"{API}/accountability", {"nation": "MEX"}))["count"] == 0
    assert ok(client.get(f"{API}/accountability/counts")) == [
        {"nation": "USA", "status": "checked_in", "count": 1}]


def test_lists_without_n_plus_one(client_for, us_coordinator, mx_liaison,
                                  django_assert_max_num_queries):
    agreement = us_to_mexico(us_coordinator, mx_liaison)
    for n in range(6):
        deployment = make_deployment(us_coordinator, agreement, name=f"Team {n}",
                                     state=DS.ASSIGNED)
        for person in range(3):
            add_roster_member(deployment, f"Person {n}-{person}",
                              organization=organization("CalOES"))
        services.add_cost(us_coordinator, deployment, category="travel",
                          description=f"Fuel {n}", amount=10)
    client = client_for(mx_liaison)
    client.get(f"{API}/deployments")  # warm the session and permission caches
    with django_assert_max_num_queries(8):
        assert ok(client.get(f"{API}/deployments"))["count"] == 6
    with django_assert_max_num_queries(8):
        assert ok(client.get(f"{API}/accountability"))["count"] == 18
    with django_assert_max_num_queries(10):
        assert ok(client.get(f"{API}/deployments/{deployment.pk}/roster"))["count"] == 3
    with django_assert_max_num_queries(10):
        assert ok(client.get(f"{API}/deployments/{deployment.pk}/costs"))["count"] == 1


def test_fuzzing_seeds(us_coordinator, mx_liaison):
    existing = add_deployment_seeds({"name": ["nominated"]}, us_coordinator, mx_liaison)
    assert existing["name"] == ["nominated", "in_transit", "demobilizing"]
    assert len(existing["deployment_id"]) == 3 and existing["roster_member_id"]
