"""core.lifecycle: the options a user is offered, the refusals of a step the state does not
allow, of a missing reason and of unmet guards (by field, in the reader's language), the move
saved with history in the actor's name, and every app's button labels in Spanish."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy

from core.lifecycle import EVERYWHERE, Lifecycle, Transition, refused_by_state
from engagements.services import after_action, lifecycle
from partnerships import services as partnerships
from partnerships.models import Objective
from partnerships.tests.factories import make_line, make_objective, make_partnership
from personnel import services as personnel
from response.services import allocation, deployments
from response.services.offers import OFFER_LIFECYCLE
from response.services.requests import REQUEST_LIFECYCLE

S = Objective.State


def _statement(objective, **context):
    if objective.statement_es.strip():
        return []
    return [("statement_es", gettext_lazy("Give the reason."))]


def _not_on_friday(objective, *, friday=False, **context):
    return [(EVERYWHERE, "Not on a Friday.")] if friday else []


def _mine(user, objective, step):
    return objective.owner_nation_id == user.nation_id


LIFECYCLE = Lifecycle(
    Transition("approve", (S.DRAFT,), S.APPROVED, gettext_lazy("Approve"),
               guards=(_statement, _not_on_friday)),
    Transition("start", (S.APPROVED,), S.IN_PROGRESS, gettext_lazy("Start work"),
               fields=("statement_es",), guards=(_statement,)),
    Transition("cancel", (S.DRAFT, S.APPROVED), S.CANCELLED, gettext_lazy("Cancel objective"),
               needs_reason=True),
    may=_mine,
    refused=refused_by_state("An objective that is %(state)s cannot go to %(target)s."),
)


@pytest.fixture
def objective(us_coordinator):
    line = make_line(us_coordinator, make_partnership(us_coordinator), code="lc")
    return make_objective(us_coordinator, line, code="LC-1")


def test_options_are_the_steps_from_the_state_the_user_may_take(objective, us_coordinator,
                                                                 mx_liaison):
    options = LIFECYCLE.options(us_coordinator, objective)
    assert [(o.name, o.label, o.allowed) for o in options] == [
        ("approve", "Approve", True), ("cancel", "Cancel objective", True)]
    assert options[1].needs_reason and not options[0].needs_reason
    assert LIFECYCLE.options(mx_liaison, objective) == []  # `may` refuses another nation


def test_an_option_carries_the_guards_refusal_but_not_one_about_a_field_it_accepts(
        objective, us_coordinator):
    objective.statement_es = ""
    approve = LIFECYCLE.options(us_coordinator, objective, friday=True)[0]
    assert not approve.allowed
    assert approve.refusal == "Give the reason. Not on a Friday."
    objective.state = S.APPROVED
    start = LIFECYCLE.options(us_coordinator, objective)[0]
    assert start.name == "start" and start.allowed and start.fields == ("statement_es",)


def test_a_step_the_state_does_not_allow_is_refused_in_the_machines_words(objective,
                                                                          us_coordinator):
    with pytest.raises(ValidationError) as caught:
        LIFECYCLE.move(us_coordinator, objective, "start")
    assert caught.value.messages == ["An objective that is draft cannot go to in progress."]
    objective.refresh_from_db()
    assert objective.state == S.DRAFT


def test_an_unknown_step_is_an_error_on_the_argument_naming_it(objective, us_coordinator):
    with pytest.raises(ValidationError) as caught:
        LIFECYCLE.move(us_coordinator, objective, "shred")
    assert caught.value.message_dict == {
        "name": ["Unknown step shred: choose one of approve, start, cancel."]}
    assert "shred" not in LIFECYCLE and LIFECYCLE.names == ("approve", "start", "cancel")


def test_every_unmet_guard_is_given_by_field(objective, us_coordinator):
    objective.statement_es = " "
    with pytest.raises(ValidationError) as caught:
        LIFECYCLE.move(us_coordinator, objective, "approve", friday=True)
    assert caught.value.message_dict == {"statement_es": ["Give the reason."],
                                         "__all__": ["Not on a Friday."]}
    objective.refresh_from_db()
    assert objective.state == S.DRAFT


def test_allows_asks_the_state_and_the_guards_whoever_asks(objective):
    assert LIFECYCLE.allows(objective, "approve")
    assert not LIFECYCLE.allows(objective, "approve", friday=True)
    assert not LIFECYCLE.allows(objective, "start")


def test_a_step_that_needs_a_reason_refuses_a_blank_one(objective, us_coordinator):
    with pytest.raises(ValidationError) as caught:
        LIFECYCLE.move(us_coordinator, objective, "cancel", reason="   ")
    assert caught.value.message_dict == {"reason": ["Give the reason."]}
    LIFECYCLE.move(us_coordinator, objective, "cancel", reason="Merged into LC-2")
    objective.refresh_from_db()
    assert objective.state == S.CANCELLED


def test_a_move_saves_the_state_and_changes_with_history_in_the_actors_name(objective,
                                                                            us_coordinator):
    step = LIFECYCLE.move(us_coordinator, objective, "approve",
                          changes={"statement_en": "Joint incident command"})
    assert step.target == S.APPROVED
    objective.refresh_from_db()
    assert (objective.state, objective.statement_en) == (S.APPROVED, "Joint incident command")
    entry = LogEntry.objects.get_for_object(objective).order_by("-timestamp", "-pk").first()
    assert entry.actor == us_coordinator
    assert entry.changes_dict["state"] == ["draft", "approved"]


def test_a_lifecycle_that_saves_only_its_changes_keeps_what_others_wrote_meanwhile(
        objective, us_coordinator):
    narrow = Lifecycle(*LIFECYCLE, may=_mine, refused=LIFECYCLE.refused,
                       also_saves=("updated_at",))
    Objective.objects.filter(pk=objective.pk).update(statement_en="Written meanwhile")
    narrow.move(us_coordinator, objective, "approve")
    objective.refresh_from_db()
    assert (objective.state, objective.statement_en) == (S.APPROVED, "Written meanwhile")


def test_refusals_and_labels_read_in_spanish(objective, us_coordinator):
    with translation.override("es"):
        options = LIFECYCLE.options(us_coordinator, objective)
        assert [o.label for o in options] == ["Aprobar", "Cancelar objetivo"]
        with pytest.raises(ValidationError) as caught:
            LIFECYCLE.move(us_coordinator, objective, "cancel")
        assert caught.value.message_dict == {"reason": ["Indique el motivo."]}
        with pytest.raises(ValidationError) as caught:
            LIFECYCLE.move(us_coordinator, objective, "shred")
        assert caught.value.messages[0].startswith("Paso desconocido shred")


APP_LIFECYCLES = {
    "engagement": lifecycle.LIFECYCLE,
    "after-action report": after_action.AAR_LIFECYCLE,
    "agreement": partnerships.AGREEMENT_LIFECYCLE,
    "objective": partnerships.OBJECTIVE_LIFECYCLE,
    "deployment": deployments.LIFECYCLE,
    "resource request": REQUEST_LIFECYCLE,
    "offer": OFFER_LIFECYCLE,
    "allocation proposal": allocation.PROPOSAL_LIFECYCLE,
    "personnel order": personnel.ORDER_LIFECYCLE,
}


@pytest.mark.parametrize("lifecycle", APP_LIFECYCLES.values(), ids=APP_LIFECYCLES)
def test_every_apps_buttons_read_in_spanish(lifecycle):
    english = [str(step.label) for step in lifecycle]
    with translation.override("es"):
        spanish = [str(step.label) for step in lifecycle]
    untranslated = [label for label, es in zip(english, spanish, strict=True) if label == es]
    assert untranslated == []
