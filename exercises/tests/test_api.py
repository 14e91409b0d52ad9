"""The exercises' API: create, plan, conduct and respond, with JSON errors on the field at fault
in the reader's language."""

from datetime import timedelta

import pytest

from accounts.tests.personas import persona
from exercises.models import Exercise, Inject
from exercises.services import conduct
from exercises.tests.factories import STARTEX, add_inject, make_exercise, make_exercise_engagement

JSON = "application/json"


@pytest.fixture
def coordinator(reference):
    return persona("coordinator", "USA")


@pytest.fixture
def mx(reference):
    return persona("liaison", "MEX")


def _inject_body(**fields):
    return {"offset_minutes": 30, "sender_role": "simcell", "receivers": ["DEFENSA"],
            "text_en": "Smoke closes the port", "text_es": "El humo cierra la garita",
            "expected_action_en": "Notify", "expected_action_es": "Notificar", **fields}


def test_a_controller_plans_an_exercise_through_the_api(coordinator, client_for):
    engagement = make_exercise_engagement(coordinator)
    client = client_for(coordinator)
    created = client.post("/api/v1/exercises", {
        "engagement": engagement.pk, "kind": "tabletop", "scenario_en": "Fire at Tecate",
        "scenario_es": "Incendio en Tecate", "startex": STARTEX.isoformat(),
        "endex": (STARTEX + timedelta(hours=4)).isoformat()}, content_type=JSON)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["banner_en"] == "EXERCISE EXERCISE EXERCISE"
    assert body["banner_es"] == "EJERCICIO EJERCICIO EJERCICIO"
    assert body["marking"]["rel_to"] == ["MEX", "USA"]
    assert [s["name"] for s in body["steps"]] == ["start"]
    exercise_id = body["id"]
    objective = client.post(f"/api/v1/exercises/{exercise_id}/objectives", {
        "text_en": "Notify within 15 minutes", "text_es": "Notificar en 15 minutos",
        "capabilities": ["operational_coordination"]}, content_type=JSON)
    assert objective.status_code == 201, objective.content
    inject = client.post(f"/api/v1/exercises/{exercise_id}/injects",
                         _inject_body(objectives=[objective.json()["id"]]), content_type=JSON)
    assert inject.status_code == 201, inject.content
    assert inject.json()["offset"] == "STARTEX + 00:30"
    assert inject.json()["receivers"] == ["DEFENSA"]
    started = client.post(f"/api/v1/exercises/{exercise_id}/conduct/start")
    assert started.json()["state"] == "running"
    skipped = client.post(f"/api/v1/exercises/{exercise_id}/injects/{inject.json()['id']}/skip",
                          {"reason": "Time"}, content_type=JSON)
    assert skipped.json()["state"] == "skipped"


@pytest.mark.parametrize(("fields", "field"), [
    ({"offset_minutes": 10 * 60}, "offset_minutes"),
    ({"offset_minutes": -1}, "offset_minutes"),
    ({"receivers": ["CONAFOR"]}, "receivers"),
    ({"text_es": ""}, "text_es"),
    ({"expected_action_es": "   "}, "expected_action_es"),
])
def test_a_bad_inject_answers_json_on_its_field_in_spanish(coordinator, client_for, fields,
                                                           field):
    exercise = make_exercise(coordinator)
    response = client_for(coordinator).post(
        f"/api/v1/exercises/{exercise.pk}/injects", _inject_body(**fields), content_type=JSON,
        headers={"Accept-Language": "es"})
    assert response.status_code == 422, response.content
    body = response.json()
    assert field in {e["field"] for e in body["errors"]}
    assert body["detail"]
    assert not exercise.injects.exists()


def test_the_partner_reads_but_cannot_control(coordinator, mx, client_for):
    exercise = make_exercise(coordinator)
    client = client_for(mx)
    assert client.get(f"/api/v1/exercises/{exercise.pk}").json()["steps"] == []
    refused = client.post(f"/api/v1/exercises/{exercise.pk}/conduct/start")
    assert refused.status_code == 403
    assert refused.json()["detail"]
    refused = client.post(f"/api/v1/exercises/{exercise.pk}/injects", _inject_body(),
                          content_type=JSON)
    assert refused.status_code == 403
    exercise.refresh_from_db()
    assert exercise.state == Exercise.State.PLANNED


def test_players_respond_through_the_api_and_others_are_refused(coordinator, mx, client_for):
    exercise = make_exercise(coordinator)
    inject = add_inject(coordinator, exercise, 0, receivers=("DEFENSA",))
    url = f"/api/v1/exercises/{exercise.pk}/injects/{inject.pk}/responses"
    early = client_for(mx).post(url, {"text": "Recibido", "language": "es"}, content_type=JSON)
    assert early.status_code == 422
    assert early.json()["errors"][0]["field"] == "text"
    conduct.conduct(coordinator, exercise, "start", now=STARTEX)
    conduct.deliver_due(now=STARTEX + timedelta(minutes=1))
    assert Inject.objects.get(pk=inject.pk).state == Inject.State.DELIVERED
    ok = client_for(mx).post(url, {"text": "Recibido", "language": "es"}, content_type=JSON)
    assert ok.status_code == 201, ok.content
    assert ok.json()["organization"] == "DEFENSA"
    refused = client_for(persona("duty_officer", "USA")).post(
        url, {"text": "Copy", "language": "en"}, content_type=JSON,
        headers={"Accept-Language": "es"})
    assert refused.status_code == 403
    assert "jugadores que reciben" in refused.json()["detail"]  # in the reader's language
    listed = client_for(coordinator).get(url).json()["items"]
    assert [r["text"] for r in listed] == ["Recibido"]
