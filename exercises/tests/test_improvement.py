"""The improvement plan: items with an owner organization, a due date and their states, the
overdue rule, who writes and moves them, and what the plan feeds — the engagement's
after-action report and a partnership indicator's measurement — through their own services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from accounts.models import Organization
from accounts.tests.personas import create_person, persona
from core.testing import ReleasabilityCase, assert_releasability, error, ok
from engagements.models import AfterActionReport, Engagement, Observation
from engagements.services import after_action
from exercises.models import ImprovementItem
from exercises.selectors.evaluation import items_for
from exercises.services import conduct, evaluation
from exercises.services import improvement as services
from exercises.services.improvement import is_overdue
from exercises.tests.factories import STARTEX, add_objective, make_exercise
from partnerships.models import Measurement
from partnerships.tests.factories import make_indicator, make_line, make_objective

pytestmark = pytest.mark.django_db
# ENDEX of the factory's exercise, 16:00 on 3 March 2026 in California.
ENDEX_DAY = date(2026, 3, 3)


@pytest.fixture
def us(reference):
    return persona("coordinator")


@pytest.fixture
def mx(reference):
    return persona("liaison", "MEX")


def org(acronym):
    return Organization.objects.get(acronym=acronym)


@pytest.fixture
def ended(us, mx):
    """An ended exercise released to Mexico, its engagement executed, the Mexican liaison its
    evaluator, one area for improvement and one strength observed."""
    exercise = make_exercise(us)
    add_objective(us, exercise, "Notify the counterpart within 15 minutes")
    add_objective(us, exercise, "Request air tankers across the line")
    conduct.conduct(us, exercise, "start", now=STARTEX)
    evaluation.set_evaluators(us, exercise, [mx])
    for number, kind in ((1, "improvement"), (2, "strength")):
        evaluation.record_observation(
            mx, exercise, objective=exercise.objectives.get(number=number), kind=kind,
            text_en=f"Observed {kind}", text_es=f"Observado {kind}")
    conduct.conduct(us, exercise, "end", now=STARTEX + timedelta(hours=4))
    Engagement.objects.filter(pk=exercise.engagement_id).update(
        state=Engagement.State.EXECUTED)  # its lifecycle is the engagement tests' business
    exercise.refresh_from_db()
    return exercise


def _item(user, exercise, owner="DEFENSA", due=ENDEX_DAY + timedelta(days=30), **fields):
    defaults = {"text_en": "Add the port duty officer to the contact matrix.",
                "text_es": "Agregar al oficial de guardia de la garita a la matriz de "
                           "contactos."}
    return services.add_item(user, exercise, owner_organization=org(owner), due_date=due,
                             **{**defaults, **fields})


def test_planners_add_items_once_play_has_ended(us, mx):
    exercise = make_exercise(us)
    add_objective(us, exercise)
    with pytest.raises(ValidationError, match="ended"):
        _item(us, exercise)
    conduct.conduct(us, exercise, "start", now=STARTEX)
    conduct.conduct(us, exercise, "end", now=STARTEX + timedelta(hours=2))
    item = _item(us, exercise)  # a controller
    assert item.state == ImprovementItem.State.OPEN
    assert {n.code for n in item.rel_to.all()} == {"USA", "MEX"}
    # The partner's liaison is no planner until named evaluator.
    with pytest.raises(PermissionDenied, match="controllers and evaluators"):
        _item(mx, exercise)
    evaluation.set_evaluators(us, exercise, [mx])
    assert _item(mx, exercise).created_by == mx


def test_an_item_is_owned_where_the_exercise_is_released_and_due_after_endex(ended, us):
    with pytest.raises(ValidationError) as refused:
        _item(us, ended, due=ENDEX_DAY - timedelta(days=1))
    assert set(refused.value.message_dict) == {"due_date"}
    ukraine = Organization.objects.filter(nation__code="UKR").first()
    if ukraine is not None:
        with pytest.raises(ValidationError) as refused:
            _item(us, ended, owner=ukraine.acronym)
        assert "owner_organization" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        _item(us, ended, text_es="")
    assert "text_es" in refused.value.message_dict


def test_the_owner_organization_moves_its_item_and_others_are_refused(ended, us, mx):
    item = _item(us, ended, owner="DEFENSA")
    mx_coordinator = create_person("t.mx.bc", "PC-BC", "liaison") if Organization.objects.filter(
        acronym="PC-BC").exists() else None
    evaluation.set_evaluators(us, ended, [])
    item = services.transition_item(mx, item, "start")  # DEFENSA owns it
    assert item.state == ImprovementItem.State.IN_PROGRESS
    item = services.transition_item(mx, item, "complete")
    assert item.state == ImprovementItem.State.DONE and item.completed_at is not None
    with pytest.raises(ValidationError):
        services.transition_item(mx, item, "start")  # done: only reopen
    item = services.transition_item(us, item, "reopen")  # a controller
    assert item.state == ImprovementItem.State.OPEN and item.completed_at is None
    calguard_item = _item(us, ended, owner="CalGuard")
    with pytest.raises(PermissionDenied):
        services.transition_item(mx, calguard_item, "cancel")
    if mx_coordinator is not None:
        with pytest.raises(PermissionDenied):
            services.transition_item(mx_coordinator, item, "cancel")
    with pytest.raises(ValidationError):
        services.transition_item(us, item, "finish")


def test_only_planners_edit_an_item_and_not_once_done(ended, us, mx):
    item = _item(us, ended)
    item = services.update_item(us, item, due_date=ENDEX_DAY + timedelta(days=60))
    assert item.due_date == ENDEX_DAY + timedelta(days=60)
    evaluation.set_evaluators(us, ended, [])
    with pytest.raises(PermissionDenied):
        services.update_item(mx, item, text_en="x")
    services.transition_item(us, item, "cancel")
    with pytest.raises(ValidationError, match="reopen"):
        services.update_item(us, item, text_en="x")


def test_overdue_is_still_to_do_after_the_due_date(ended, us):
    due = ENDEX_DAY + timedelta(days=10)
    item = _item(us, ended, due=due)
    assert not is_overdue(item, due)
    assert is_overdue(item, due + timedelta(days=1))
    done = services.transition_item(us, _item(us, ended, due=due), "complete")
    assert not is_overdue(done, due + timedelta(days=1))
    late = items_for(us, ended, today=due + timedelta(days=1))
    assert {i.pk: i.overdue for i in late} == {item.pk: True, done.pk: False}
    assert [i.pk for i in items_for(us, overdue="yes", today=due + timedelta(days=1))] == [
        item.pk]
    assert [i.pk for i in items_for(us, overdue="yes", today=due)] == []


def test_the_plan_is_written_into_the_after_action_report_once(ended, us, mx):
    evaluation.set_evaluators(us, ended, [mx])
    observation = ended.observations.get(kind="improvement")
    first = _item(mx, ended, observation=observation)
    cancelled = services.transition_item(us, _item(us, ended), "cancel")
    report, written = services.write_into_after_action_report(us, ended)
    assert isinstance(report, AfterActionReport) and report.engagement_id == ended.engagement_id
    rows = list(report.observations.order_by("kind", "pk"))
    improve = [r for r in rows if r.kind == Observation.Kind.IMPROVE]
    assert len(improve) == 1
    assert improve[0].text_es.startswith("Agregar al oficial de guardia")
    assert "DEFENSA" in improve[0].text_en
    first.refresh_from_db()
    cancelled.refresh_from_db()
    assert first.aar_observation == improve[0] and first.after_action_report == report
    assert cancelled.aar_observation is None
    # The strength becomes a "sustain" row, in both languages.
    sustain = [r for r in rows if r.kind == Observation.Kind.SUSTAIN]
    assert [(r.text_en, r.text_es) for r in sustain] == [("Observed strength",
                                                          "Observado strength")]
    assert written == 2
    # Nothing is written twice.
    with pytest.raises(ValidationError, match="already"):
        services.write_into_after_action_report(us, ended)
    # A new item goes into the same report; a report no longer a draft refuses (its rule).
    _item(us, ended)
    after_action.set_attendance(us, report, [{"nation": us.nation, "count": 4}])
    after_action.save_aar_draft(us, report, summary_en="Lessons.")
    after_action.submit_aar(us, report)
    with pytest.raises(ValidationError, match="no longer be changed"):
        services.write_into_after_action_report(us, ended)
    assert ImprovementItem.objects.filter(aar_observation__isnull=True).count() == 2


def test_the_report_needs_the_engagement_executed(us):
    exercise = make_exercise(us)
    add_objective(us, exercise)
    conduct.conduct(us, exercise, "start", now=STARTEX)
    conduct.conduct(us, exercise, "end", now=STARTEX + timedelta(hours=1))
    _item(us, exercise)
    with pytest.raises(ValidationError, match="executed"):
        services.write_into_after_action_report(us, exercise)
    assert not AfterActionReport.objects.exists()


def test_objectives_met_measure_a_partnership_indicator(ended, us, mx):
    partnership = ended.engagement.partnership
    line = make_line(us, partnership)
    objective = make_objective(us, line)
    indicator = make_indicator(us, objective)
    other_indicator = make_indicator(us, make_objective(us, line, code="HADR-2"),
                                     name_en="Other")
    for exercise_objective in ended.objectives.all():
        exercise_objective.partnership_objectives.set([objective])
    evaluation.set_evaluators(us, ended, [mx])
    item = _item(us, ended, indicator=indicator)
    with pytest.raises(ValidationError, match="Rate objective 1, 2"):
        services.record_objectives_met(us, ended, indicator)
    first, second = ended.objectives.order_by("number")
    evaluation.rate_objective(mx, first, "P")
    evaluation.rate_objective(mx, second, "M")
    with pytest.raises(ValidationError) as refused:
        services.record_objectives_met(us, ended, other_indicator)
    assert "indicator" in refused.value.message_dict
    with pytest.raises(PermissionDenied):  # the indicator's owning nation records it
        services.record_objectives_met(mx, ended, indicator)
    measurement = services.record_objectives_met(us, ended, indicator)
    assert measurement.value == Decimal("50.00")
    assert measurement.engagement_id == ended.engagement_id
    assert measurement.as_of == date(2026, 3, 3)
    assert "1 of 2" in measurement.source
    item.refresh_from_db()
    assert item.measurement == measurement
    with pytest.raises(ValidationError, match="already"):
        services.record_objectives_met(us, ended, indicator)
    assert Measurement.objects.filter(indicator=indicator).count() == 1


# ---- Pages and API ---------------------------------------------------------------------------

def test_plan_page_in_spanish_flags_the_overdue(ended, us, client_for):
    _item(us, ended, due=ENDEX_DAY)  # long past: overdue today
    page = client_for(us).get(reverse("exercises:improvement_plan", args=[ended.pk]),
                              headers={"Accept-Language": "es"})
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="overdue"' in text and "Vencida" in text
    assert "Agregar al oficial de guardia" in text


def test_item_form_re_renders_with_errors_and_adds(ended, us, client_for):
    client = client_for(us)
    url = reverse("exercises:item_add", args=[ended.pk])
    data = {"i-text_en": "Fix radios", "i-text_es": "Arreglar radios",
            "i-owner_organization": org("CalGuard").pk, "i-due_date": "2026-03-01"}
    response = client.post(url, data)
    assert response.status_code == 422
    assert 'data-testid="item-form"' in response.content.decode()
    response = client.post(url, {**data, "i-due_date": "2026-06-01"})
    assert response.status_code == 302
    item = ImprovementItem.objects.get()
    response = client.post(reverse("exercises:item_transition", args=[item.pk, "start"]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == "in_progress"
    page = client.get(reverse("exercises:item", args=[item.pk]))
    assert page.status_code == 200 and "Fix radios" in page.content.decode()


def test_api_items(ended, us, mx, client_for):
    client = client_for(us)
    base = f"/api/v1/exercises/{ended.pk}/improvement-items"
    made = ok(client.post(base, {"text_en": "Share the MSEL in Spanish a week ahead.",
                                 "text_es": "Compartir la MSEL en español una semana antes.",
                                 "owner_organization": "CalGuard", "due_date": "2026-04-30"},
                          content_type="application/json"), 201)
    assert made["state"] == "open" and made["overdue"] is True  # 2026-04-30 is past
    assert {t["name"] for t in made["transitions"]} == {"start", "complete", "cancel"}
    changed = ok(client.patch(f"{base}/{made['id']}", {"due_date": "2099-12-31"},
                              content_type="application/json"))
    assert changed["overdue"] is False
    moved = ok(client.post(f"{base}/{made['id']}/transitions/complete"))
    assert moved["state"] == "done" and moved["completed_at"]
    refused = error(client.post(base, {"text_en": "x", "text_es": "y",
                                       "owner_organization": "NOPE",
                                       "due_date": "2026-04-30"},
                                content_type="application/json"), 422)
    assert refused["errors"][0]["field"] == "owner_organization"
    listed = ok(client.get("/api/v1/improvement-items", {"state": "done"}))
    assert [i["id"] for i in listed["items"]] == [made["id"]]
    history = ok(client.get(f"{base}/{made['id']}/history"))
    assert len(history) >= 3
    # The partner's liaison reads it (released), but, no longer an evaluator, may not move a
    # CalGuard item.
    evaluation.set_evaluators(us, ended, [])
    ok(client_for(mx).get(f"{base}/{made['id']}"))
    error(client_for(mx).post(f"{base}/{made['id']}/transitions/reopen"), 403)


def test_api_feeds_the_report(ended, us, client_for):
    _item(us, ended)
    written = ok(client_for(us).post(
        f"/api/v1/exercises/{ended.pk}/improvement-plan/after-action-report"))
    assert written["engagement"] == ended.engagement_id and written["written"] >= 1
    refused = error(client_for(us).post(
        f"/api/v1/exercises/{ended.pk}/improvement-plan/measurements", {"indicator": 999999},
        content_type="application/json"), 422)
    assert refused["errors"][0]["field"] == "indicator"


def test_item_list_reads_in_a_fixed_number_of_queries(ended, us, client_for,
                                                      django_assert_max_num_queries):
    for days in range(8):
        _item(us, ended, due=ENDEX_DAY + timedelta(days=days))
    client = client_for(us)
    client.get(reverse("exercises:items"))  # warm the session and permission caches
    with django_assert_max_num_queries(16):
        page = client.get(reverse("exercises:items"))
    assert page.content.decode().count('data-testid="improvement-item"') == 8
    with django_assert_max_num_queries(16):
        ok(client.get("/api/v1/improvement-items"))


def test_a_nation_the_exercise_is_not_released_to_gets_not_found(ended, us, client_for):
    item = _item(us, ended)
    ended.engagement.rel_to.set(ended.engagement.rel_to.filter(code="USA"))
    mx_reader = create_person("t.mx.reader2", "DEFENSA", "viewer")
    assert client_for(mx_reader).get(reverse("exercises:item", args=[item.pk])).status_code \
        == 404
    error(client_for(mx_reader).get(
        f"/api/v1/exercises/{ended.pk}/improvement-items/{item.pk}"), 404)
    with pytest.raises(Http404):
        services.transition_item(persona("liaison", "MEX"), item, "start")


def test_improvement_items_obey_releasability(ended, us):
    us_reader = create_person("t.us.reader", "CalOES", "viewer")
    mx_reader = create_person("t.mx.reader", "DEFENSA", "viewer")
    counter = iter(range(1, 100))

    case = ReleasabilityCase(
        make=lambda owner: _item(us, ended, text_en=f"Corrective action {next(counter)}"),
        list_url=reverse("exercises:items"),
        detail_url=lambda i: reverse("exercises:item", args=[i.pk]),
        api_list_url="/api/v1/improvement-items",
        api_detail_url=lambda i: f"/api/v1/exercises/{ended.pk}/improvement-items/{i.pk}",
        export_url=None, text=lambda i: i.text_en,
        parents=lambda i: [i.exercise, i.exercise.engagement])
    assert_releasability(case, us_user=us_reader, mx_user=mx_reader)


def test_plan_page_reads_in_a_fixed_number_of_queries(ended, us, mx, client_for,
                                                      django_assert_max_num_queries):
    for days, owner in enumerate(("DEFENSA", "CalGuard") * 4):
        _item(us, ended, owner=owner, due=ENDEX_DAY + timedelta(days=days))
    evaluation.set_evaluators(us, ended, [])
    for user, movable in ((us, 8), (mx, 4)):  # the controller all; DEFENSA its own
        client = client_for(user)
        url = reverse("exercises:improvement_plan", args=[ended.pk])
        client.get(url)  # warm the session and permission caches
        with django_assert_max_num_queries(40):
            page = client.get(url)
        text = page.content.decode()
        assert text.count('data-testid="improvement-item"') == 8
        assert text.count(">Start work<") == movable
