"""The demo's Tecate tabletop exercise: loaded through the services as the demo users, dated
when it happened (weeks before the load), every inject and item state shown, both nations
responding and evaluating, the plan fed into the after-action report and an indicator, and
nothing duplicated by a second load."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from engagements.models import Observation
from exercises.demo.tecate import DAYS_AGO, TITLE_EN
from exercises.models import (
    EvaluatorObservation,
    Exercise,
    ImprovementItem,
    Inject,
    PlayerResponse,
)
from exercises.selectors.evaluation import items_for
from partnerships.models import Measurement

pytestmark = pytest.mark.django_db(transaction=False)


def test_the_demo_loads_the_tecate_exercise_once(reference):
    call_command("load_demo", verbosity=0)
    counts = {model: model.objects.count() for model in (
        Exercise, Inject, PlayerResponse, EvaluatorObservation, ImprovementItem, Measurement,
        Observation)}
    call_command("load_demo", verbosity=0)  # idempotent
    assert {model: model.objects.count() for model in counts} == counts

    exercise = Exercise.objects.get(engagement__title_en=TITLE_EN)
    assert exercise.engagement.title_es == ("Ejercicio de gabinete binacional: incendio que "
                                            "cruza la línea en Tecate")
    assert exercise.state == Exercise.State.ENDED and exercise.kind == "tabletop"
    assert exercise.releasable_to("MEX") and exercise.engagement.state == "executed"
    # Its real, past dates: STARTEX weeks before the load, every step stamped when it
    # happened, not at load time.
    day = timezone.localdate() - timedelta(days=DAYS_AGO)
    assert timezone.localdate(exercise.startex) == day
    assert exercise.started_at == exercise.startex
    assert exercise.startex < exercise.ended_at < exercise.endex
    assert timezone.localdate(exercise.created_at) < day

    injects = exercise.injects.order_by("number")
    assert injects.count() == 12
    states = [i.state for i in injects]
    assert states.count("delivered") == 10 and states.count("skipped") == 1
    assert states[-1] == "scheduled"
    for inject in injects.filter(state="delivered"):
        assert inject.delivered_at == exercise.startex + timedelta(
            minutes=inject.offset_minutes)
    responses = PlayerResponse.objects.filter(inject__exercise=exercise)
    assert {r.organization.nation.code for r in responses} == {"USA", "MEX"}
    assert {r.language for r in responses} == {"en", "es"}
    assert all(r.at >= r.inject.delivered_at for r in responses)

    observations = exercise.observations.all()
    assert {o.kind for o in observations} == {"strength", "improvement"}
    assert {o.evaluator.organization.nation.code for o in observations} == {"USA", "MEX"}
    assert all(o.text_en and o.text_es for o in observations)
    assert all(o.rating for o in exercise.objectives.all())

    items = list(items_for(User.objects.get(username="us.coordinator"), exercise))
    assert {i.state for i in items} == {"open", "in_progress", "done", "cancelled"}
    assert [i.owner_organization.acronym for i in items if i.overdue] == ["DEFENSA"]
    assert {i.owner_organization.nation.code for i in items} == {"USA", "MEX"}
    done = next(i for i in items if i.state == "done")
    assert done.completed_at is not None and done.completed_at.date() <= done.due_date
    # The plan is in the engagement's after-action report, cancelled items aside …
    report = exercise.engagement.after_action_report
    assert report.observations.filter(kind="improve").count() == 4
    assert report.observations.filter(kind="sustain").count() == 3  # the strengths
    assert all(i.aar_observation_id for i in items if i.state != "cancelled")
    # … and the objectives met measure the program's indicator, with the engagement as
    # evidence.
    measurement = Measurement.objects.get(engagement=exercise.engagement)
    assert measurement.value == 50 and measurement.indicator.name_en == (
        "Binational exercise objectives met")
    assert items[0].measurement_id == measurement.pk or any(
        i.measurement_id == measurement.pk for i in items)


def test_the_demo_exercise_reads_in_both_languages(reference):
    call_command("load_demo", verbosity=0)
    exercise = Exercise.objects.get(engagement__title_en=TITLE_EN)
    for username, language, words in (
            ("mx.bc", "es", ["Plan de mejora", "Vencida", "EJERCICIO EJERCICIO EJERCICIO"]),
            ("us.caloes", "en", ["Improvement plan", "Overdue", "EXERCISE EXERCISE EXERCISE"])):
        client = Client()
        client.force_login(User.objects.get(username=username))
        page = client.get(reverse("exercises:improvement_plan", args=[exercise.pk]),
                          headers={"Accept-Language": language})
        assert page.status_code == 200
        text = page.content.decode()
        for word in words:
            assert word in text, (language, word)
        evaluation = client.get(reverse("exercises:evaluation", args=[exercise.pk]),
                                headers={"Accept-Language": language})
        assert evaluation.status_code == 200
