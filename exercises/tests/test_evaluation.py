"""Evaluation: who evaluates (the named evaluators, of either nation the exercise is released
to), observations against the objectives in both languages, ratings, and releasability of the
observations on every read path."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from accounts.tests.personas import create_person, persona
from core.models import Disclosure
from core.testing import ReleasabilityCase, assert_releasability, error, ok
from exercises.models import EvaluatorObservation, ExerciseObjective
from exercises.rules import is_evaluator
from exercises.services import conduct
from exercises.services import evaluation as services
from exercises.tests.factories import (
    STARTEX,
    add_objective,
    make_exercise,
    make_exercise_engagement,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def us(reference):
    return persona("coordinator")  # leads the engagement: a controller


@pytest.fixture
def mx(reference):
    return persona("liaison", "MEX")


@pytest.fixture
def running(us, mx):
    """A running exercise released to Mexico with two objectives and the Mexican liaison named
    evaluator."""
    exercise = make_exercise(us)
    add_objective(us, exercise, "Notify the counterpart within 15 minutes")
    add_objective(us, exercise, "Request air tankers across the line")
    conduct.conduct(us, exercise, "start", now=STARTEX)
    services.set_evaluators(us, exercise, [mx])
    exercise.refresh_from_db()
    return exercise


def _observe(user, exercise, number=1, kind="strength", **fields):
    defaults = {"text_en": "Port closure relayed in 9 minutes.",
                "text_es": "Cierre de la garita comunicado en 9 minutos."}
    return services.record_observation(
        user, exercise, objective=exercise.objectives.get(number=number), kind=kind,
        **{**defaults, **fields})


def test_a_named_evaluator_of_the_partner_nation_records_an_observation(running, mx):
    observation = _observe(mx, running, kind="improvement")
    assert observation.evaluator == mx
    assert observation.kind == EvaluatorObservation.Kind.IMPROVEMENT
    # It carries the exercise's marking (core's one rule), owned by the exercise's nation.
    assert observation.owner_nation_id == running.owner_nation_id
    assert {n.code for n in observation.rel_to.all()} == {"USA", "MEX"}
    assert observation.disclosure == running.disclosure


def test_only_named_evaluators_record(running, us):
    # The controller is not an evaluator until named.
    assert not is_evaluator(us, running)
    with pytest.raises(PermissionDenied, match="evaluators"):
        _observe(us, running)
    viewer = persona("viewer")
    with pytest.raises(PermissionDenied):
        _observe(viewer, running)
    services.set_evaluators(us, running, [us, persona("liaison", "MEX")])
    assert is_evaluator(us, running)
    assert _observe(us, running).evaluator == us


def test_a_user_the_exercise_is_not_released_to_gets_not_found(us, mx):
    exercise = make_exercise(us, make_exercise_engagement(us, rel_to=(), title="US only"))
    add_objective(us, exercise)
    conduct.conduct(us, exercise, "start", now=STARTEX)
    with pytest.raises(Http404):
        _observe(mx, exercise)
    # Nor can a controller name them evaluators.
    with pytest.raises(ValidationError, match="not released"):
        services.set_evaluators(us, exercise, [mx])


def test_observations_need_play_both_languages_an_objective_of_the_exercise(us, mx):
    exercise = make_exercise(us)
    add_objective(us, exercise)
    services.set_evaluators(us, exercise, [mx])
    with pytest.raises(ValidationError, match="started"):
        _observe(mx, exercise)
    conduct.conduct(us, exercise, "start", now=STARTEX)
    with pytest.raises(ValidationError) as refused:
        _observe(mx, exercise, text_es="  ")
    assert set(refused.value.message_dict) == {"text_es"}
    with pytest.raises(ValidationError) as refused:
        _observe(mx, exercise, kind="opinion")
    assert "kind" in refused.value.message_dict
    other = make_exercise(us, make_exercise_engagement(
        us, title="Another", partnership=exercise.engagement.partnership))
    foreign = add_objective(us, other)
    with pytest.raises(ValidationError) as refused:
        services.record_observation(mx, exercise, objective=foreign, kind="strength",
                                    text_en="x", text_es="x")
    assert "objective" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _observe(mx, exercise, at=STARTEX - timedelta(minutes=1))
    assert "at" in refused.value.message_dict


def test_only_controllers_name_evaluators(running, mx):
    with pytest.raises(PermissionDenied):
        services.set_evaluators(mx, running, [mx])


def test_evaluators_rate_objectives_and_met_counts_p_and_s(running, mx, us):
    first, second = running.objectives.order_by("number")
    with pytest.raises(PermissionDenied):
        services.rate_objective(us, first, "P")
    services.rate_objective(mx, first, "S")
    services.rate_objective(mx, second, "M")
    first.refresh_from_db()
    assert first.rated_by == mx and first.rated_at is not None and first.met
    assert services.objectives_met(running.objectives.all()) == (1, 2, 2)
    with pytest.raises(ValidationError):
        services.rate_objective(mx, first, "X")
    services.rate_objective(mx, first, "")
    first.refresh_from_db()
    assert first.rating == "" and first.rated_by is None
    assert services.objectives_met(ExerciseObjective.objects.filter(exercise=running)) == (
        0, 1, 2)


# ---- Pages and API ---------------------------------------------------------------------------

def test_evaluation_page_in_spanish_shows_observations_and_the_form(running, mx, client_for):
    _observe(mx, running)
    client = client_for(mx)
    page = client.get(reverse("exercises:evaluation", args=[running.pk]),
                      headers={"Accept-Language": "es"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "EJERCICIO EJERCICIO EJERCICIO" in text
    assert "Cierre de la garita comunicado en 9 minutos." in text
    assert "Fortaleza" in text and 'data-testid="observation-form"' in text


def test_the_observation_form_re_renders_with_its_errors(running, mx, client_for):
    client = client_for(mx)
    objective = running.objectives.get(number=1)
    response = client.post(reverse("exercises:observation_add", args=[running.pk]), {
        "o-objective": objective.pk, "o-kind": "strength", "o-text_en": "Good",
        "o-text_es": ""})
    assert response.status_code == 422
    assert 'data-testid="observation-form"' in response.content.decode()
    assert not EvaluatorObservation.objects.exists()
    response = client.post(reverse("exercises:observation_add", args=[running.pk]), {
        "o-objective": objective.pk, "o-kind": "strength", "o-text_en": "Good",
        "o-text_es": "Bien"})
    assert response.status_code == 302
    assert EvaluatorObservation.objects.get().text_es == "Bien"


def test_a_non_evaluator_gets_no_form_and_a_refusal(running, us, client_for):
    client = client_for(us)
    page = client.get(reverse("exercises:evaluation", args=[running.pk]))
    assert 'data-testid="observation-form"' not in page.content.decode()
    objective = running.objectives.get(number=1)
    response = client.post(reverse("exercises:observation_add", args=[running.pk]), {
        "o-objective": objective.pk, "o-kind": "strength", "o-text_en": "Good",
        "o-text_es": "Bien"})
    assert response.status_code == 422
    assert "evaluators" in response.content.decode()


def test_api_observations_and_ratings(running, mx, us, client_for):
    client = client_for(mx)
    base = f"/api/v1/exercises/{running.pk}"
    objective = running.objectives.get(number=2)
    made = ok(client.post(f"{base}/observations", {
        "objective": objective.pk, "kind": "improvement", "text_en": "Air tanker request "
        "waited 2 hours for a diplomatic note.", "text_es": "La solicitud de aviones cisterna "
        "esperó 2 horas por una nota diplomática."}, content_type="application/json"), 201)
    assert made["objective_number"] == 2 and made["organization"] == "DEFENSA"
    listed = ok(client.get(f"{base}/observations", {"kind": "improvement"}))
    assert [o["id"] for o in listed["items"]] == [made["id"]]
    ok(client.get(f"{base}/observations/{made['id']}"))
    rated = ok(client.put(f"{base}/ratings/{objective.pk}", {"rating": "U"},
                          content_type="application/json"))
    assert rated["rating"] == "U" and rated["met"] is False
    # Errors: JSON, the field at fault, in the user's language.
    refused = error(client.post(f"{base}/observations", {
        "objective": objective.pk, "kind": "strength", "text_en": "x", "text_es": " "},
        content_type="application/json", headers={"Accept-Language": "es"}), 422)
    assert refused["errors"][0]["field"] == "text_es"
    assert "español" in refused["errors"][0]["message"]
    refused = error(client_for(us).post(f"{base}/observations", {
        "objective": objective.pk, "kind": "strength", "text_en": "x", "text_es": "y"},
        content_type="application/json"), 403)
    evaluators = ok(client_for(us).put(f"{base}/evaluators", {"evaluators": [
        mx.username, us.username]}, content_type="application/json"))
    assert {e["username"] for e in evaluators} == {mx.username, us.username}


def test_api_answers_not_found_to_a_nation_the_exercise_is_not_released_to(us, client_for):
    exercise = make_exercise(us, make_exercise_engagement(us, rel_to=(), title="US only"))
    other = create_person("t.mx.coord", "DEFENSA", "coordinator")
    error(client_for(other).get(f"/api/v1/exercises/{exercise.pk}/observations"), 404)
    assert client_for(other).get(reverse("exercises:evaluation",
                                         args=[exercise.pk])).status_code == 404


def test_observations_obey_releasability(running, us, mx):
    """An observation is shown wherever its exercise is, and hidden with it."""
    us_reader = create_person("t.us.reader", "CalOES", "viewer")
    mx_reader = create_person("t.mx.reader", "DEFENSA", "viewer")
    counter = iter(range(1, 100))

    def make(owner):
        return _observe(mx, running, text_en=f"Observation {next(counter)} seen")

    case = ReleasabilityCase(
        make=make, list_url=reverse("exercises:evaluation", args=[running.pk]),
        detail_url=None,
        api_list_url=f"/api/v1/exercises/{running.pk}/observations",
        api_detail_url=lambda o: f"/api/v1/exercises/{running.pk}/observations/{o.pk}",
        export_url=None, text=lambda o: o.text_en,
        parents=lambda o: [o.exercise, o.exercise.engagement])
    assert running.disclosure == Disclosure.APPROVED
    assert_releasability(case, us_user=us_reader, mx_user=mx_reader)
