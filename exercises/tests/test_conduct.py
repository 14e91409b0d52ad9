"""Planning and conduct through the services: the MSEL's guards, the controllers' steps, the
delivery job with the time passed in, pause and skip, and the players' responses."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts.tests.personas import create_person, persona
from core.models import Notification
from engagements.tests.factories import make_engagement
from exercises.models import Exercise, Inject, PlayerResponse
from exercises.rules import is_controller
from exercises.services import conduct
from exercises.tests.factories import (
    STARTEX,
    add_inject,
    add_objective,
    make_exercise,
    make_exercise_engagement,
)


def at(minutes):
    return STARTEX + timedelta(minutes=minutes)


@pytest.fixture
def coordinator(reference):
    return persona("coordinator", "USA")


@pytest.fixture
def exercise(coordinator):
    return make_exercise(coordinator)


@pytest.fixture
def mx_player(reference):
    return persona("liaison", "MEX")  # DEFENSA


def _states(exercise):
    return dict(exercise.injects.values_list("number", "state"))


# ---- Planning --------------------------------------------------------------------------------

def test_an_exercise_extends_an_engagement_of_type_exercise_and_carries_its_marking(
        coordinator, exercise):
    assert exercise.owner_nation.code == "USA"
    assert {n.code for n in exercise.rel_to.all()} == {"USA", "MEX"}
    assert exercise.disclosure == exercise.engagement.disclosure
    other = make_engagement(coordinator, exercise.engagement.partnership,
                            title="Exchange")  # an SME exchange
    with pytest.raises(ValidationError) as refused:
        make_exercise(coordinator, other)
    assert "engagement" in refused.value.message_dict
    with pytest.raises(ValidationError) as twice:
        make_exercise(coordinator, exercise.engagement)
    assert "engagement" in twice.value.message_dict


def test_endex_before_startex_and_a_missing_language_are_refused(coordinator):
    engagement = make_exercise_engagement(coordinator)
    with pytest.raises(ValidationError) as refused:
        make_exercise(coordinator, engagement, endex=STARTEX - timedelta(hours=1),
                      scenario_es="  ")
    assert {"endex", "scenario_es"} <= set(refused.value.message_dict)


def test_the_partner_cannot_make_the_exercise_of_an_engagement_it_does_not_own(
        coordinator, mx_player):
    engagement = make_exercise_engagement(coordinator)
    mx_coordinator = persona("coordinator", "MEX")
    with pytest.raises(PermissionDenied):
        make_exercise(mx_coordinator, engagement)
    with pytest.raises(PermissionDenied):  # a liaison's role may not add exercises
        make_exercise(mx_player, engagement)


@pytest.mark.parametrize(("fields", "field"), [
    ({"offset": 8 * 60 + 1}, "offset_minutes"),  # after ENDEX
    ({"receivers": ("CONAFOR",)}, "receivers"),  # takes no part in the engagement
    ({"receivers": ()}, "receivers"),
    ({"text_es": ""}, "text_es"),  # both languages
    ({"expected_action_en": " "}, "expected_action_en"),
    ({"sender_role": "organization"}, "sender_organization"),
])
def test_the_msel_refuses_a_bad_inject_on_its_field(coordinator, exercise, fields, field):
    offset = fields.pop("offset", 30)
    receivers = fields.pop("receivers", ("DEFENSA",))
    with pytest.raises(ValidationError) as refused:
        add_inject(coordinator, exercise, offset, receivers=receivers, **fields)
    assert field in refused.value.message_dict
    assert not exercise.injects.exists()


def test_a_negative_offset_is_refused(coordinator, exercise):
    with pytest.raises(ValidationError) as refused:
        add_inject(coordinator, exercise, -5)
    assert "offset_minutes" in refused.value.message_dict


def test_receivers_of_a_nation_the_exercise_is_not_released_to_are_refused(coordinator):
    engagement = make_exercise_engagement(coordinator, rel_to=())
    exercise = make_exercise(coordinator, engagement)
    with pytest.raises(ValidationError) as refused:
        add_inject(coordinator, exercise, receivers=("DEFENSA",))
    assert "receivers" in refused.value.message_dict
    assert add_inject(coordinator, exercise, receivers=("CalGuard",)).number == 1


def test_objectives_map_to_core_capabilities_and_partnership_objectives(coordinator, exercise):
    from engagements.tests.factories import make_objective

    partnership_objective = make_objective(coordinator, exercise.engagement.partnership)
    objective = add_objective(coordinator, exercise, capabilities=["fire_management"],
                              partnership_objectives=[partnership_objective.pk])
    assert [c.code for c in objective.capabilities.all()] == ["fire_management"]
    assert list(objective.partnership_objectives.all()) == [partnership_objective]
    with pytest.raises(ValidationError) as refused:
        add_objective(coordinator, exercise, capabilities=["juggling"])
    assert "capabilities" in refused.value.message_dict
    inject = add_inject(coordinator, exercise, objectives=[objective.pk])
    assert list(inject.objectives.all()) == [objective]


def test_only_controllers_plan_and_run_the_exercise(coordinator, exercise, mx_player):
    duty = persona("duty_officer", "USA")  # CalGuard, but its role does not conduct
    caloes = create_person("t.us.caloes.coord", "CalOES", "coordinator")  # another organization
    assert is_controller(coordinator, exercise)
    for user in (duty, caloes, mx_player):
        assert not is_controller(user, exercise)
        with pytest.raises(PermissionDenied):
            add_inject(user, exercise)
        with pytest.raises(PermissionDenied):
            conduct.conduct(user, exercise, "start", now=at(0))
    ukraine = create_person("t.ua.coord", "ZSU", "coordinator")
    with pytest.raises(Http404):  # not released to Ukraine: not there at all
        conduct.conduct(ukraine, exercise, "start", now=at(0))


# ---- Conduct and delivery -------------------------------------------------------------------

def test_due_injects_are_delivered_to_the_receivers_in_both_languages_once(
        coordinator, exercise, mx_player, mailoutbox, django_capture_on_commit_callbacks):
    first = add_inject(coordinator, exercise, 0, text="Fire reported near Tecate")
    add_inject(coordinator, exercise, 30, receivers=("DEFENSA", "CalGuard"))
    assert conduct.deliver_due(now=at(5)) == 0  # planned: nothing is due
    conduct.conduct(coordinator, exercise, "start", now=at(0))
    with django_capture_on_commit_callbacks(execute=True):
        assert conduct.deliver_due(now=at(1)) == 1
    assert _states(exercise) == {1: "delivered", 2: "scheduled"}
    first.refresh_from_db()
    assert first.delivered_at == at(1)
    notice = Notification.objects.get(recipient=mx_player)
    assert notice.message_en.count("EXERCISE EXERCISE EXERCISE") == 2  # before and after
    assert notice.message_es.count("EJERCICIO EJERCICIO EJERCICIO") == 2
    assert "Fire reported near Tecate" in notice.message_en
    assert "Fire reported near Tecate (es)" in notice.message_es
    assert notice.url == first.get_absolute_url()
    mail = [m for m in mailoutbox if mx_player.email in m.to]
    assert len(mail) == 1
    assert "EXERCISE EXERCISE EXERCISE" in mail[0].subject
    assert "EJERCICIO EJERCICIO EJERCICIO" in mail[0].body
    assert not Notification.objects.filter(recipient=coordinator).exists()  # not a receiver
    assert conduct.deliver_due(now=at(2)) == 0  # never twice
    assert conduct.deliver_due(now=at(30)) == 1
    assert Notification.objects.filter(recipient=coordinator).count() == 1  # CalGuard now


def test_a_pause_stops_the_clock_and_moves_the_injects_later(coordinator, exercise):
    add_inject(coordinator, exercise, 30)
    conduct.conduct(coordinator, exercise, "start", now=at(0))
    conduct.conduct(coordinator, exercise, "pause", now=at(10))
    assert conduct.deliver_due(now=at(40)) == 0  # paused: nothing is due
    exercise = conduct.conduct(coordinator, exercise, "resume", now=at(30))
    assert exercise.paused_seconds == 20 * 60 and exercise.paused_at is None
    assert conduct.deliver_due(now=at(49)) == 0  # 30 + 20 held
    assert conduct.deliver_due(now=at(50)) == 1


def test_a_late_start_moves_the_msel_instead_of_delivering_a_backlog(coordinator, exercise):
    add_inject(coordinator, exercise, 0)
    add_inject(coordinator, exercise, 15)
    exercise = conduct.conduct(coordinator, exercise, "start", now=at(20))
    assert exercise.paused_seconds == 20 * 60
    assert conduct.deliver_due(now=at(21)) == 1
    assert conduct.deliver_due(now=at(34)) == 0
    assert conduct.deliver_due(now=at(35)) == 1


def test_a_skipped_inject_is_never_delivered(coordinator, exercise):
    inject = add_inject(coordinator, exercise, 10)
    conduct.conduct(coordinator, exercise, "start", now=at(0))
    skipped = conduct.skip_inject(coordinator, inject, reason="Overtaken by play")
    assert skipped.state == Inject.State.SKIPPED and skipped.skipped_by == coordinator
    assert conduct.deliver_due(now=at(60)) == 0
    with pytest.raises(ValidationError):  # once skipped, never again
        conduct.skip_inject(coordinator, inject)


def test_steps_follow_the_state_of_conduct(coordinator, exercise):
    with pytest.raises(ValidationError):
        conduct.conduct(coordinator, exercise, "pause", now=at(0))
    with pytest.raises(ValidationError):
        conduct.conduct(coordinator, exercise, "fly", now=at(0))
    conduct.conduct(coordinator, exercise, "start", now=at(0))
    assert [s.name for s in conduct.steps_for(coordinator, Exercise.objects.get(
        pk=exercise.pk))] == ["pause", "end"]
    conduct.conduct(coordinator, exercise, "pause", now=at(5))
    exercise = conduct.conduct(coordinator, exercise, "end", now=at(25))
    assert exercise.state == Exercise.State.ENDED and exercise.paused_seconds == 20 * 60
    with pytest.raises(ValidationError):  # ended: the MSEL is final
        add_inject(coordinator, exercise, 60)


def test_an_inject_added_during_conduct_is_flagged_and_delivered(coordinator, exercise):
    conduct.conduct(coordinator, exercise, "start", now=at(0))
    inject = add_inject(coordinator, exercise, 0, text="A hazmat truck in the port queue")
    assert inject.added_during_conduct
    assert conduct.deliver_due(now=at(3)) == 1


# ---- Responses -------------------------------------------------------------------------------

def test_only_receiving_players_respond_and_only_once_delivered(coordinator, exercise,
                                                               mx_player):
    inject = add_inject(coordinator, exercise, 0)
    with pytest.raises(ValidationError) as early:
        conduct.respond(mx_player, inject, text="Recibido", language="es")
    assert "text" in early.value.message_dict
    conduct.conduct(coordinator, exercise, "start", now=at(0))
    conduct.deliver_due(now=at(1))
    response = conduct.respond(mx_player, inject, text="Recibido; enviamos brigada",
                               language="es")
    assert response.organization.acronym == "DEFENSA"
    assert {n.code for n in response.rel_to.all()} == {"USA", "MEX"}
    # CalGuard is not among this inject's receivers.
    for user in (coordinator, persona("duty_officer", "USA")):
        with pytest.raises(PermissionDenied):
            conduct.respond(user, inject, text="Copy", language="en")
    with pytest.raises(PermissionDenied):  # of DEFENSA, but its role may not respond
        conduct.respond(persona("viewer", "MEX"), inject, text="Visto", language="es")
    with pytest.raises(Http404):
        conduct.respond(create_person("t.ua.liaison", "ZSU", "liaison"), inject, text="x",
                        language="en")
    assert PlayerResponse.objects.count() == 1


def test_an_inject_may_stand_for_an_exercise_border_event_never_a_real_one(coordinator,
                                                                          exercise):
    from border.tests.factories import MEXICALI
    from border.tests.factories import report as report_border_event

    real = report_border_event(coordinator, title="Real fire")
    drill = report_border_event(coordinator, title="Drill quake", kind="earthquake",
                                point=MEXICALI, is_exercise=True)
    with pytest.raises(ValidationError) as refused:
        add_inject(coordinator, exercise, border_event=real.pk)
    assert "border_event" in refused.value.message_dict
    inject = add_inject(coordinator, exercise, border_event=drill.pk)
    assert inject.border_event == drill
    assert list(drill.injects.all()) == [inject]


def test_the_job_delivers_through_the_same_rule(coordinator, exercise):
    from exercises.tasks import deliver_injects

    add_inject(coordinator, exercise, 0)
    conduct.conduct(coordinator, exercise, "start", now=at(0))  # STARTEX is in the past
    deliver_injects.call_local()
    assert _states(exercise) == {1: "delivered"}
