"""The allocation proposal API: propose, list (filters, pagination, no N+1), read with the
plan and the saved instance, solve again, accept, discard — errors in the one shape — and the
proposed moves as GeoJSON."""

import json

import pytest

from core.services import apply_marking
from response.models import AllocationProposal, Offer
from response.services import allocation
from response.tests.test_allocation_services import make_scene, solved

PS = AllocationProposal.State
API = "/api/v1/allocation-proposals"


@pytest.fixture
def scene(duty, mx_liaison):
    return make_scene(duty, mx_liaison)


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_propose_then_read_the_plan(client_for, duty, scene,
                                    django_capture_on_commit_callbacks):
    client = client_for(duty)
    with django_capture_on_commit_callbacks(execute=True):
        created = post(client, API, {"incident": scene["incident"].pk, "time_limit": 3})
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "queued" and body["solver"] == "milp" and body["liaison_rule"]
    assert body["incident"] == scene["incident"].pk and body["requested_by"] == duty.username
    assert body["marking"]["owner"] == "USA" and body["marking"]["rel_to"] == ["USA"]

    detail = client.get(f"{API}/{body['id']}").json()
    assert detail["state"] == "ready" and detail["progress"] == 100
    assert detail["progress_note"] == "Plan ready"
    assert detail["plan"]["check"]["feasible"] and detail["units_assigned"] == 2
    assert detail["objective"] == detail["plan"]["objective"] and detail["gap"] == 0
    assignment = detail["plan"]["assignments"][0]
    assert assignment["route"]["crossing"]["port"] and assignment["why"]["text"]
    instance = client.get(f"{API}/{body['id']}/instance").json()
    assert instance["format"] == "enlace-allocation-instance/1"
    assert {q["id"] for q in instance["requests"]} == {
        f"request:{scene['generators'].pk}", f"request:{scene['water'].pk}"}

    assert detail["method"] == {
        "code": "flow", "name": "exact min-cost flow", "reason": "flow_exact",
        "explanation": "The flow optimum obeys every rule: this plan is optimal."}
    steps = [row["step"] for row in detail["timings"]]
    assert steps[:5] == ["build", "save", "wait", "read", "solve"] and steps[-1] == "total"
    assert {"network", "flow", "explain", "check", "store"} <= set(steps)
    proposal = AllocationProposal.objects.get(pk=body["id"])
    for row in detail["timings"]:
        assert row["seconds"] == proposal.timings[row["step"]]
        assert row["phase"] == (row["step"] in ("network", "greedy", "flow", "milp", "explain"))
    assert detail["timings"][0]["label"] == "Building the instance from the records"

    spanish = client.get(f"{API}/{body['id']}", HTTP_ACCEPT_LANGUAGE="es")
    assert spanish.status_code == 200
    assert spanish.json()["method"] == {
        "code": "flow", "name": "flujo de costo mínimo exacto", "reason": "flow_exact",
        "explanation": "El óptimo del flujo cumple todas las reglas: este plan es óptimo."}
    assert spanish.json()["timings"][-1] == {**detail["timings"][-1], "label": "Total"}
    assert spanish.json()["timings"][0]["label"] == (
        "Construcción de la instancia a partir de los registros")
    # Queued, nothing solved: no method; the steps of proposing only.
    queued = post(client, API, {"incident": scene["incident"].pk}).json()
    assert queued["method"] is None
    assert [row["step"] for row in queued["timings"]] == ["build", "save"]


def test_list_filters_and_counts_queries(client_for, duty, scene,
                                         django_assert_max_num_queries):
    ready = solved(duty, incident=scene["incident"])
    allocation.accept(duty, ready)
    for _n in range(5):
        proposal = AllocationProposal(requested_by=duty, created_by=duty, instance={})
        apply_marking(proposal, owner=duty.nation, rel_to=())
    client = client_for(duty)
    with django_assert_max_num_queries(8):
        page = client.get(API, {"limit": 50})
    assert page.status_code == 200 and page.json()["count"] == 6
    accepted = client.get(API, {"state": "accepted"}).json()["items"]
    assert [p["id"] for p in accepted] == [ready.pk]
    assert accepted[0]["offers"] == list(ready.offers.values_list("pk", flat=True))
    by_incident = client.get(API, {"incident": scene["incident"].pk}).json()
    assert by_incident["count"] == 1
    last = client.get(API, {"limit": 2, "offset": 4}).json()["items"]
    assert len(last) == 2 and last[-1]["id"] == ready.pk  # newest first


def test_resolve_accept_and_discard(client_for, duty, scene):
    proposal = solved(duty, incident=scene["incident"])
    client = client_for(duty)
    speaker = f"unit:{scene['units'][0].pk}"
    request = f"request:{scene['generators'].pk}"
    again = post(client, f"{API}/{proposal.pk}/resolve", {
        "pins": [{"resource": speaker, "request": request}],
        "exclusions": [{"resource": f"unit:{scene['units'][1].pk}"}]})
    assert again.status_code == 201, again.content
    new = again.json()
    assert new["resolves"] == proposal.pk and new["state"] == "queued"
    assert new["pins"] == [{"resource": speaker, "request": request}]

    accepted = post(client, f"{API}/{proposal.pk}/accept", {"assignments": [speaker]})
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["state"] == "accepted"
    [offer] = Offer.objects.filter(pk__in=accepted.json()["offers"])
    assert [f"unit:{line.unit_id}" for line in offer.lines.all()] == [speaker]

    discarded = post(client, f"{API}/{new['id']}/discard")
    assert discarded.status_code == 200 and discarded.json()["state"] == "discarded"


def test_errors_come_in_the_one_shape(client_for, duty, us_viewer, mx_liaison, scene):
    client = client_for(duty)
    bad = post(client, API, {"solver": "fastest", "time_limit": 1000})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"solver", "time_limit"}
    nothing = post(client, API, {"incident": 999999})
    assert nothing.status_code == 422
    assert nothing.json()["errors"] == [{"field": "incident",
                                         "message": "Choose an incident you may see."}]
    assert post(client_for(us_viewer), API).status_code == 403

    proposal = solved(duty, incident=scene["incident"])
    allocation.discard(duty, proposal)
    refused = post(client, f"{API}/{proposal.pk}/accept")
    assert refused.status_code == 422 and "discarded" in refused.json()["errors"][0]["message"]
    stale = solved(duty, incident=scene["incident"])
    unknown = post(client, f"{API}/{stale.pk}/accept", {"assignments": ["unit:0"]})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "assignments"

    other = client_for(mx_liaison)
    for method, url in (("get", f"{API}/{stale.pk}"), ("get", f"{API}/{stale.pk}/instance"),
                        ("post", f"{API}/{stale.pk}/accept"),
                        ("post", f"{API}/{stale.pk}/resolve"),
                        ("post", f"{API}/{stale.pk}/discard")):
        response = (other.get(url) if method == "get" else post(other, url))
        assert response.status_code == 404, url
        assert response.json()["detail"]


def test_the_moves_as_geojson(client_for, duty, scene):
    proposal = solved(duty, incident=scene["incident"])
    response = client_for(duty).get(f"/api/v1/map/proposals/{proposal.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/geo+json")
    features = response.json()["features"]
    assert len(features) == len(proposal.plan["assignments"]) == 2
    homes = {f"unit:{u.pk}": [round(u.home_longitude, 6), round(u.home_latitude, 6)]
             for u in scene["units"]}
    ports = {p["id"]: [p["lon"], p["lat"]] for p in proposal.instance["ports"]}
    incident = [scene["incident"].longitude, scene["incident"].latitude]
    for feature in features:
        p = feature["properties"]
        assignment = next(a for a in proposal.plan["assignments"]
                          if a["resource"] == p["unit_id"])
        crossing = assignment["route"]["crossing"]
        assert feature["geometry"] == {"type": "LineString", "coordinates": [
            homes[p["unit_id"]], ports[crossing["port"]], incident]}
        assert p["unit"].startswith("Generator team") and p["request"] == "MEX-2026-0001"
        assert p["eta"] == assignment["eta"] and p["port"] and p["mode"] == "ground"
        assert p["proposal"] == proposal.pk and p["url"].startswith("/response/units/")
    queued_one = allocation.propose(duty, incident=scene["incident"])
    empty = client_for(duty).get(f"/api/v1/map/proposals/{queued_one.pk}")
    assert empty.json() == {"type": "FeatureCollection", "features": []}
