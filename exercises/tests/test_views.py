"""The exercise pages: releasability on every read path (the partner sees what is released to
it, a nation it is not released to gets 404), the banner in both languages, the MSEL's times in
the reader's zone, conduct buttons, and forms that re-render with their errors."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.tests.personas import create_person, persona
from core.testing import ReleasabilityCase, assert_releasability
from exercises.models import Exercise, Inject, PlayerResponse
from exercises.services import conduct
from exercises.tests.factories import STARTEX, add_inject, add_objective, make_exercise

LIST = reverse("exercises:list")


def at(minutes):
    return STARTEX + timedelta(minutes=minutes)


@pytest.fixture
def coordinator(reference):
    return persona("coordinator", "USA")


@pytest.fixture
def mx(reference):
    return persona("liaison", "MEX")


@pytest.fixture
def exercise(coordinator):
    return make_exercise(coordinator)


def _page(exercise):
    return reverse("exercises:detail", args=[exercise.pk])


def _inject_page(inject):
    return reverse("exercises:inject", args=[inject.exercise_id, inject.pk])


def _delivered(user, exercise, **fields):
    inject = add_inject(user, exercise, 0, receivers=("DEFENSA", "CalGuard"), **fields)
    if exercise.state == Exercise.State.PLANNED:
        conduct.conduct(user, exercise, "start", now=at(0))
    conduct.deliver_due(now=at(1))
    inject.refresh_from_db()
    return inject


# ---- Releasability ---------------------------------------------------------------------------

def test_exercises_obey_releasability(coordinator, mx):
    assert_releasability(ReleasabilityCase(
        make=lambda user: make_exercise(user),
        list_url=LIST,
        detail_url=_page,
        api_list_url="/api/v1/exercises",
        api_detail_url=lambda e: f"/api/v1/exercises/{e.pk}",
        export_url=None,
        text=lambda e: "Tecate wildfire TTX",
        parents=lambda e: [e.engagement],
    ), us_user=coordinator, mx_user=mx)


def test_exercise_objectives_obey_releasability(coordinator, mx, exercise):
    assert_releasability(ReleasabilityCase(
        make=lambda user: add_objective(user, exercise, text="Notify within fifteen minutes"),
        list_url=_page(exercise),
        detail_url=None,
        api_list_url=f"/api/v1/exercises/{exercise.pk}/objectives",
        api_detail_url=None,
        export_url=None,
        text=lambda o: "Notify within fifteen minutes",
        parents=lambda o: [o.exercise],
    ), us_user=coordinator, mx_user=mx)


def test_injects_obey_releasability(coordinator, mx, exercise):
    assert_releasability(ReleasabilityCase(
        make=lambda user: add_inject(user, exercise, text="Smoke closes the Tecate port"),
        list_url=_page(exercise),
        detail_url=_inject_page,
        api_list_url=f"/api/v1/exercises/{exercise.pk}/injects",
        api_detail_url=lambda i: f"/api/v1/exercises/{exercise.pk}/injects/{i.pk}",
        export_url=None,
        text=lambda i: "Smoke closes the Tecate port",
        parents=lambda i: [i.exercise],
    ), us_user=coordinator, mx_user=mx)


def test_player_responses_obey_releasability(coordinator, mx, exercise):
    inject = _delivered(coordinator, exercise)
    assert_releasability(ReleasabilityCase(
        make=lambda user: conduct.respond(user, inject, text="CalGuard aviation on standby",
                                          language="en"),
        list_url=_inject_page(inject),
        detail_url=None,
        api_list_url=f"/api/v1/exercises/{exercise.pk}/injects/{inject.pk}/responses",
        api_detail_url=None,
        export_url=None,
        text=lambda r: "CalGuard aviation on standby",
        parents=lambda r: [r.inject],
    ), us_user=coordinator, mx_user=mx)


def test_a_nation_the_exercise_is_not_released_to_finds_nothing(coordinator, mx, exercise,
                                                                client_for):
    inject = _delivered(coordinator, exercise)
    ukraine = create_person("t.ua.coordinator", "ZSU", "coordinator")
    client = client_for(ukraine)
    for url in (_page(exercise), _inject_page(inject),
                f"/api/v1/exercises/{exercise.pk}",
                f"/api/v1/exercises/{exercise.pk}/injects",
                f"/api/v1/exercises/{exercise.pk}/injects/{inject.pk}/responses"):
        response = client.get(url)
        assert response.status_code == 404, url
    assert "Tecate wildfire TTX" not in client.get(LIST).content.decode()
    refused = client.post(f"/api/v1/exercises/{exercise.pk}/injects/{inject.pk}/responses",
                          {"text": "x", "language": "en"}, content_type="application/json")
    assert refused.status_code == 404
    assert refused.json()["detail"]
    # The partner it is released to reads it all.
    assert client_for(mx).get(_inject_page(inject)).status_code == 200


# ---- The exercise page -----------------------------------------------------------------------

def test_the_exercise_page_shows_the_banner_in_both_languages_and_the_msel(
        coordinator, mx, exercise, client_for):
    inject = _delivered(coordinator, exercise, text="Fire reported near Tecate")
    conduct.respond(mx, inject, text="Recibido, enviamos brigada", language="es")
    add_inject(coordinator, exercise, 90, text="Hazmat truck in the queue")
    for user, language in ((coordinator, "en"), (mx, "es")):
        page = client_for(user).get(_page(exercise),
                                    headers={"Accept-Language": language}).content.decode()
        assert "EXERCISE EXERCISE EXERCISE" in page
        assert "EJERCICIO EJERCICIO EJERCICIO" in page
        assert "STARTEX + 01:30" in page
        assert page.count('data-testid="inject-row"') == 2
        assert "Recibido, enviamos brigada" in page
    inject_page = client_for(mx).get(_inject_page(inject)).content.decode()
    assert "EXERCISE EXERCISE EXERCISE" in inject_page
    assert "EJERCICIO EJERCICIO EJERCICIO" in inject_page


def test_msel_times_read_in_the_readers_time_zone(coordinator, exercise, client_for):
    add_inject(coordinator, exercise, 30)
    # STARTEX is 16:00 UTC: 08:30 in California (PST), 09:30 in Baja California Sur.
    page = client_for(coordinator).get(_page(exercise)).content.decode()
    assert 'datetime="2026-03-03T08:30:00-08:00"' in page
    bcs = create_person("t.mx.bcs", "PC-BCS", "liaison", time_zone="America/Mazatlan")
    page = client_for(bcs).get(_page(exercise)).content.decode()
    assert 'datetime="2026-03-03T09:30:00-07:00"' in page


def test_a_pause_shows_on_the_msel_as_a_later_time(coordinator, exercise, client_for):
    add_inject(coordinator, exercise, 30)
    conduct.conduct(coordinator, exercise, "start", now=at(0))
    conduct.conduct(coordinator, exercise, "pause", now=at(10))
    conduct.conduct(coordinator, exercise, "resume", now=at(25))
    page = client_for(coordinator).get(_page(exercise)).content.decode()
    assert 'datetime="2026-03-03T08:45:00-08:00"' in page  # 30 + 15 paused


def test_the_msel_page_reads_in_a_bounded_number_of_queries(coordinator, exercise, client_for,
                                                             django_assert_max_num_queries):
    client = client_for(coordinator)
    add_inject(coordinator, exercise, 10)
    client.get(_page(exercise))  # warm the session and caches
    with django_assert_max_num_queries(60) as few:
        client.get(_page(exercise))
    for offset in range(20, 200, 10):
        add_inject(coordinator, exercise, offset)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_page(exercise)).status_code == 200


def test_controllers_get_the_conduct_buttons_others_do_not(coordinator, mx, exercise,
                                                           client_for):
    page = client_for(coordinator).get(_page(exercise)).content.decode()
    assert 'data-testid="step-start"' in page and 'data-testid="add-inject"' in page
    page = client_for(mx).get(_page(exercise)).content.decode()
    assert 'data-testid="step-start"' not in page and 'data-testid="add-inject"' not in page
    refused = client_for(mx).post(reverse("exercises:conduct", args=[exercise.pk, "start"]))
    assert refused.status_code == 302
    exercise.refresh_from_db()
    assert exercise.state == Exercise.State.PLANNED


def test_a_controller_starts_and_skips_from_the_pages(coordinator, exercise, client_for):
    inject = add_inject(coordinator, exercise, 45)
    client = client_for(coordinator)
    client.post(reverse("exercises:conduct", args=[exercise.pk, "start"]))
    exercise.refresh_from_db()
    assert exercise.state == Exercise.State.RUNNING
    client.post(reverse("exercises:inject_skip", args=[exercise.pk, inject.pk]),
                {"reason": "Overtaken"})
    inject.refresh_from_db()
    assert inject.state == Inject.State.SKIPPED and inject.skip_reason == "Overtaken"


# ---- Forms -----------------------------------------------------------------------------------

def test_the_inject_form_re_renders_with_its_errors_in_spanish(coordinator, exercise,
                                                               client_for):
    from accounts.models import Organization

    url = reverse("exercises:inject_add", args=[exercise.pk])
    client = client_for(coordinator)
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "offset_minutes": 9 * 60, "sender_role": "simcell",
        "receivers": [Organization.objects.get(acronym="DEFENSA").pk],
        "text_en": "Smoke", "text_es": "Humo", "expected_action_en": "Notify",
        "expected_action_es": "Notificar"}, headers={"Accept-Language": "es"})
    assert response.status_code == 200
    assert "ENDEX" in response.content.decode()
    assert not exercise.injects.exists()
    ok = client.post(url, {
        "offset_minutes": 30, "sender_role": "simcell",
        "receivers": [Organization.objects.get(acronym="DEFENSA").pk],
        "text_en": "Smoke", "text_es": "Humo", "expected_action_en": "Notify",
        "expected_action_es": "Notificar"})
    assert ok.status_code == 302
    assert exercise.injects.get().offset_minutes == 30


def test_a_non_player_is_refused_on_the_response_form(coordinator, exercise, client_for):
    inject = add_inject(coordinator, exercise, 0, receivers=("DEFENSA",))
    conduct.conduct(coordinator, exercise, "start", now=at(0))
    conduct.deliver_due(now=at(1))
    duty = persona("duty_officer", "USA")  # CalGuard: not a receiver of this inject
    page = client_for(duty).get(_inject_page(inject)).content.decode()
    assert 'data-testid="response-form"' not in page
    response = client_for(duty).post(
        reverse("exercises:response_add", args=[exercise.pk, inject.pk]),
        {"language": "en", "text": "Copy"})
    assert response.status_code == 200
    assert "receiving players" in response.content.decode()
    assert not PlayerResponse.objects.exists()


def test_a_player_responds_from_the_inject_page(coordinator, mx, exercise, client_for):
    inject = add_inject(coordinator, exercise, 0, receivers=("DEFENSA",))
    conduct.conduct(coordinator, exercise, "start", now=at(0))
    conduct.deliver_due(now=at(1))
    client = client_for(mx)
    assert 'data-testid="response-form"' in client.get(_inject_page(inject)).content.decode()
    response = client.post(reverse("exercises:response_add", args=[exercise.pk, inject.pk]),
                           {"language": "es", "text": "Enterados; activamos brigada"})
    assert response.status_code == 302
    assert PlayerResponse.objects.get().organization.acronym == "DEFENSA"


def test_a_new_exercise_from_the_form(coordinator, client_for):
    from exercises.tests.factories import make_exercise_engagement

    engagement = make_exercise_engagement(coordinator, title="Tijuana River drill")
    client = client_for(coordinator)
    url = reverse("exercises:create")
    assert "Tijuana River drill" in client.get(url).content.decode()
    bad = client.post(url, {"engagement": engagement.pk, "kind": "drill",
                            "scenario_en": "Sewage", "scenario_es": "",
                            "startex": "2026-03-03 08:00", "endex": "2026-03-03 07:00"})
    assert bad.status_code == 200
    assert not Exercise.objects.exists()
    ok = client.post(url, {"engagement": engagement.pk, "kind": "drill",
                           "scenario_en": "Sewage", "scenario_es": "Aguas residuales",
                           "startex": "2026-03-03 08:00", "endex": "2026-03-03 12:00"})
    assert ok.status_code == 302
    assert Exercise.objects.get().engagement == engagement


def test_objectives_show_their_partnership_objectives_in_bounded_queries(
        coordinator, mx, exercise, client_for, django_assert_max_num_queries):
    from engagements.tests.factories import make_objective

    served = make_objective(coordinator, exercise.engagement.partnership, code="HADR-7")
    add_objective(coordinator, exercise, text="Coordinate", partnership_objectives=[served.pk],
                  capabilities=["operational_coordination"])
    client = client_for(coordinator)
    page = client.get(_page(exercise)).content.decode()
    assert "Interoperable incident command" in page and "Operational coordination" in page
    with django_assert_max_num_queries(60) as few:
        client.get(_page(exercise))
    for number in range(2, 12):
        add_objective(coordinator, exercise, text=f"Objective {number}",
                      partnership_objectives=[served.pk], capabilities=["planning"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(_page(exercise)).status_code == 200
