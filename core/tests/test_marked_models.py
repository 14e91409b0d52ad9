"""Every marked model is proven on the read paths (a releasability test registered below) and
the write rule is proven through the services of each model that has them
(core.testing.assert_writes_guarded; assert_writes_never_released for personnel files, which
no partner ever sees); a marked model without write services is listed as such, with why."""

import ast
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from accounts.tests.personas import create_person, marking_clerk, persona
from border.services import events as border_events
from border.tests.factories import report as report_border_event
from core.history import marked_models
from core.services import apply_marking
from core.testing import WriteCase, assert_writes_guarded, assert_writes_never_released
from engagements.services import after_action, lifecycle
from engagements.services import engagements as engagement_services
from engagements.tests import aar_factories
from engagements.tests.factories import add_budget, make_engagement, make_person, nations
from exercises.services import improvement
from exercises.tests import evaluation_factories
from interop import services as interop_services
from interop.tests.samples import alert_bytes
from partnerships import services as partnership_services
from partnerships.tests.factories import (
    make_agreement,
    make_assessment,
    make_indicator,
    make_line,
    make_measurement,
    make_objective,
    make_partnership,
    make_program,
)
from personnel import services as personnel_services
from personnel.models import DutyStatus
from personnel.tests.factories import at, make_member, make_order
from response.models import AllocationProposal, DeploymentCost
from response.services import agreements, allocation, deployments, incidents, offers
from response.services.requests import change_request_marking, transition_request, update_request
from response.tests import factories as response_factories
from response.tests.factories import make_incident, make_request, make_unit

# For each marked model, the test that proves it on every read path (list, detail, API list,
# API detail, export): assert_releasability, or assert_never_released for personnel files.
RELEASABILITY_TESTS = {
    "partnerships.partnership": "partnerships/tests/test_releasability.py::"
                                "test_partnerships_obey_releasability_on_every_read_path",
    **dict.fromkeys(
        ("partnerships.agreement", "partnerships.lineofeffort", "partnerships.objective",
         "partnerships.indicator", "partnerships.measurement", "partnerships.assessment"),
        "partnerships/tests/test_releasability.py::"
        "test_program_records_obey_releasability_on_every_read_path"),
    "engagements.engagement": "engagements/tests/test_views.py::"
                              "test_engagements_obey_releasability",
    "engagements.budgetline": "engagements/tests/test_views.py::"
                              "test_budget_lines_obey_releasability",
    "engagements.person": "engagements/tests/test_views.py::test_people_obey_releasability",
    "engagements.participation": "engagements/tests/test_views.py::"
                                 "test_participants_obey_releasability",
    "engagements.afteractionreport": "engagements/tests/test_aar.py::"
                                     "test_after_action_reports_obey_releasability_on_every_"
                                     "read_path",
    **dict.fromkeys(
        ("engagements.attendance", "engagements.observation", "engagements.followonproposal"),
        "engagements/tests/test_aar.py::test_report_rows_obey_releasability"),
    "response.incident": "response/tests/test_incidents_views.py::"
                         "test_incidents_obey_releasability",
    "response.unit": "response/tests/test_incidents_views.py::test_units_obey_releasability",
    "response.resourcerequest": "response/tests/test_aid_views.py::"
                                "test_requests_obey_releasability",
    "response.offer": "response/tests/test_aid_views.py::test_offers_obey_releasability",
    "response.aidagreement": "response/tests/test_aid_views.py::"
                             "test_agreements_obey_releasability",
    "response.deployment": "response/tests/test_deployments_views.py::"
                           "test_deployments_obey_releasability",
    "response.rostermember": "response/tests/test_deployments_views.py::"
                             "test_roster_members_obey_releasability",
    "response.deploymentcost": "response/tests/test_deployments_views.py::"
                               "test_costs_obey_releasability",
    "response.allocationproposal": "response/tests/test_allocation_views.py::"
                                   "test_proposals_are_releasable_like_every_marked_record",
    "border.borderevent": "border/tests/test_views.py::test_border_events_obey_releasability",
    "border.timelineentry": "border/tests/test_views.py::"
                            "test_timeline_entries_obey_releasability",
    "border.notice": "border/tests/test_notices_views.py::test_notices_obey_releasability",
    "border.portstatusreport": "border/tests/test_ports.py::"
                               "test_status_reports_obey_releasability",
    "border.situationreport": "border/tests/test_sitreps_views.py::"
                              "test_situation_reports_obey_releasability",
    "border.sitrepsection": "border/tests/test_sitreps_views.py::"
                            "test_situation_report_sections_obey_releasability",
    "exercises.exercise": "exercises/tests/test_views.py::test_exercises_obey_releasability",
    "exercises.exerciseobjective": "exercises/tests/test_views.py::"
                                   "test_exercise_objectives_obey_releasability",
    "exercises.inject": "exercises/tests/test_views.py::test_injects_obey_releasability",
    "exercises.playerresponse": "exercises/tests/test_views.py::"
                                "test_player_responses_obey_releasability",
    "exercises.evaluatorobservation": "exercises/tests/test_evaluation.py::"
                                      "test_observations_obey_releasability",
    "exercises.improvementitem": "exercises/tests/test_improvement.py::"
                                 "test_improvement_items_obey_releasability",
    "personnel.member": "personnel/tests/test_releasability.py::"
                        "test_members_are_never_shown_to_a_partner",
    "personnel.order": "personnel/tests/test_releasability.py::"
                       "test_orders_are_never_shown_to_a_partner",
    "personnel.unit": "personnel/tests/test_releasability.py::"
                      "test_units_are_never_shown_to_a_partner",
    "interop.receivedalert": "interop/tests/test_received.py::test_alerts_obey_releasability",
}


def _test_functions(path):
    tree = ast.parse((Path(settings.BASE_DIR) / path).read_text())
    return {node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)}


def test_every_marked_model_has_a_releasability_test():
    labels = {m._meta.label_lower for m in marked_models()}
    assert labels - set(RELEASABILITY_TESTS) == set(), "marked models without a test"
    assert set(RELEASABILITY_TESTS) - labels == set(), "tests registered for no marked model"
    for label, test in RELEASABILITY_TESTS.items():
        path, name = test.split("::")
        assert name in _test_functions(path), f"{label}: {test} does not exist"


# The write rule, model by model -------------------------------------------------------------

def _program_child(make):
    """A record of the partnership program under a California–Mexico program released to
    Mexico."""
    return lambda user: make(user, make_program(user))


WRITES = {
    "partnerships.partnership": WriteCase(
        make=lambda user: make_partnership(user, partner="MEX", rel_to=("USA", "MEX")),
        update=lambda user, p: partnership_services.update_partnership(user, p, name_en="x")),
    "partnerships.agreement": WriteCase(
        make=_program_child(lambda user, tree: make_agreement(user, tree[0])),
        update=lambda user, a: partnership_services.update_agreement(user, a, title_en="x"),
        transitions=(lambda user, a: partnership_services.transition_agreement(
            user, a, "in_coordination"),)),
    "partnerships.lineofeffort": WriteCase(
        make=_program_child(lambda user, tree: make_line(user, tree[0], code="cyber")),
        update=lambda user, line: partnership_services.update_line_of_effort(
            user, line, name_en="x")),
    "partnerships.objective": WriteCase(
        make=_program_child(lambda user, tree: make_objective(user, tree[1], code="HADR-9")),
        update=lambda user, o: partnership_services.update_objective(user, o,
                                                                     statement_en="x"),
        transitions=(lambda user, o: partnership_services.transition_objective(
            user, o, "cancelled"),)),
    "partnerships.indicator": WriteCase(
        make=_program_child(lambda user, tree: make_indicator(user, tree[2], name_en="y")),
        update=lambda user, i: partnership_services.update_indicator(user, i, name_en="x")),
    "partnerships.measurement": WriteCase(
        make=_program_child(lambda user, tree: make_measurement(user, tree[3], 5,
                                                                date(2025, 2, 1))),
        update=lambda user, m: partnership_services.update_measurement(user, m, source="x"),
        transitions=(lambda user, m: partnership_services.verify_measurement(user, m),)),
    "partnerships.assessment": WriteCase(
        make=_program_child(lambda user, tree: make_assessment(user, tree[0])),
        update=lambda user, a: partnership_services.update_assessment(user, a,
                                                                       findings_en="x")),
    "engagements.budgetline": WriteCase(
        make=lambda user: add_budget(user, make_engagement(user)),
        update=lambda user, line: engagement_services.update_budget_line(
            user, line, description="x")),
    "engagements.engagement": WriteCase(
        make=lambda user: make_engagement(user),
        update=lambda user, e: engagement_services.update_engagement(user, e, location="x"),
        transitions=(lambda user, e: lifecycle.transition(user, e, "nominated"),),
        change_marking=engagement_services.change_engagement_marking),
    "response.incident": WriteCase(
        make=lambda user: make_incident(user),
        update=lambda user, i: incidents.update_incident(user, i, municipality="x"),
        change_marking=incidents.change_incident_marking),
    "response.unit": WriteCase(
        make=lambda user: make_unit(user),
        update=lambda user, u: incidents.update_unit(user, u, home_base="x"),
        change_marking=incidents.change_unit_marking),
    "response.resourcerequest": WriteCase(
        make=lambda user: make_request(user),
        update=lambda user, r: update_request(user, r, reporting_location="x"),
        transitions=(lambda user, r: transition_request(user, r, "cancel", reason="x"),),
        change_marking=change_request_marking),
    "response.offer": WriteCase(
        make=lambda user: response_factories.make_offer(user, make_request(user)),
        update=lambda user, o: offers.update_offer(user, o, conditions_en="x"),
        transitions=(lambda user, o: offers.transition_offer(user, o, "withdraw", reason="x"),),
        change_marking=offers.change_offer_marking),
    "response.aidagreement": WriteCase(
        make=lambda user: _domestic_agreement(user, signed=False),
        update=lambda user, a: agreements.amend_agreement(user, a, reason="x",
                                                          duration_days=21),
        transitions=(lambda user, a: agreements.sign_agreement(user, a, "request"),)),
    "response.deployment": WriteCase(
        make=lambda user: _deployment(user),
        update=lambda user, d: deployments.update_deployment(user, d, reception_site="x"),
        transitions=(lambda user, d: deployments.transition_deployment(user, d, "in_transit"),)),
    "response.rostermember": WriteCase(
        make=lambda user: response_factories.add_roster_member(_deployment(user)),
        update=lambda user, m: deployments.update_roster_member(user, m, position="x"),
        marked_with=lambda m: [m.deployment]),
    "response.deploymentcost": WriteCase(
        make=lambda user: deployments.add_cost(
            user, _deployment(user), category=DeploymentCost.Category.TRAVEL,
            description="Fuel", amount="900.00"),
        update=lambda user, c: deployments.update_cost(user, c, description="x"),
        marked_with=lambda c: [c.deployment]),
    "response.allocationproposal": WriteCase(
        make=lambda user: _proposal(user),
        update=lambda user, p: allocation.resolve(user, p),
        transitions=(lambda user, p: allocation.accept(user, p),
                     lambda user, p: allocation.discard(user, p))),
    # A received alert is never edited (it is what was received): its marking changes, and it
    # opens an incident.
    "interop.receivedalert": WriteCase(
        make=lambda user: interop_services.import_alert(user, alert_bytes())[0],
        update=None,
        transitions=(lambda user, r: interop_services.open_incident(user, r),),
        change_marking=interop_services.change_alert_marking),
    "border.borderevent": WriteCase(
        make=lambda user: report_border_event(user),
        update=lambda user, e: border_events.update_event(user, e, title_en="x"),
        transitions=(lambda user, e: border_events.transition_event(user, e, "confirm"),
                     lambda user, e: border_events.open_incident(user, e)),
        change_marking=border_events.change_event_marking),
    "exercises.improvementitem": WriteCase(
        make=lambda user: evaluation_factories.make_item(user),
        update=lambda user, i: improvement.update_item(user, i, text_en="x"),
        transitions=(lambda user, i: improvement.transition_item(user, i, "start"),)),
    "engagements.person": WriteCase(
        make=lambda user: make_person(user),
        update=lambda user, p: engagement_services.update_person(user, p, grade="x")),
    "engagements.participation": WriteCase(
        make=lambda user: engagement_services.add_participant(
            user, make_engagement(user), make_person(user)),
        update=lambda user, p: engagement_services.update_participation(
            user, p, vetting_reference="x")),
    "engagements.afteractionreport": WriteCase(
        make=lambda user: _report(user),
        update=lambda user, r: after_action.save_aar_draft(user, r, summary_en="x"),
        transitions=(lambda user, r: after_action.submit_aar(user, r),),
        change_marking=after_action.change_aar_marking),
    "engagements.followonproposal": WriteCase(
        make=lambda user: after_action.add_follow_on(
            user, _report(user), title_en="Next", title_es="Siguiente",
            type="sme_exchange"),
        update=None,  # a proposal is only taken out of its report or made an engagement
        transitions=(lambda user, p: after_action.propose_follow_on(user, p),)),
    "personnel.member": WriteCase(
        make=lambda user: make_member("A100"),
        update=lambda user, m: personnel_services.add_period(
            user, m, status=DutyStatus.SAD, start=at(2025, 1, 1))),
    "personnel.order": WriteCase(
        make=lambda user: make_order([make_member("A200")], user),
        update=None,  # an order is applied as issued, never edited
        transitions=(lambda user, o: personnel_services.apply_order(user, o),)),
}
# Marked models with no write service of their own, and why.
NO_WRITE_SERVICES = {
    # Both are written only as part of their after-action report (set_attendance,
    # add_observation, remove_observation), jointly with the partner it is released to; they
    # carry its marking (MARKING_FOLLOWS) and are hidden wherever it is (MARKING_PARENTS): the
    # report's case proves those writes.
    "engagements.attendance",
    "engagements.observation",
    # Written only as part of its border event (add_timeline_entry, by either nation that may
    # see the event), never changed afterwards; it carries the event's marking
    # (MARKING_FOLLOWS) and is hidden wherever the event is: the event's case proves the
    # writes, the timeline's releasability test the reads.
    "border.timelineentry",
    # Written only by the notification protocol (border.services.notices: made when its event
    # is reported, acknowledged by the notified organization, escalated by the job), never
    # edited or re-marked: it carries its event's marking (MARKING_FOLLOWS) and is hidden
    # wherever the event is. Its tests prove acknowledging by another organization or nation
    # refused (border/tests/test_notices_services.py).
    "border.notice",
    # A side's report of its lanes at a port: made only by border.services.ports (by a user of
    # that side's nation; the other side's user is refused) and never changed or re-marked —
    # each report is the board's history. Its tests prove the other side refused and the
    # marking obeyed (border/tests/test_ports.py).
    "border.portstatusreport",
    # A joint situation report and its sections are written only as part of their border
    # event (border.services.sitreps: opened by either nation's reporting role, each section
    # written and submitted by its own nation), never re-marked: they carry the event's
    # marking (MARKING_FOLLOWS) and are hidden wherever it is. Their tests prove the other
    # nation's and a non-released nation's writes refused (border/tests/test_sitreps.py).
    "border.situationreport",
    "border.sitrepsection",
    # An exercise and its objectives, injects and player responses carry their engagement's
    # marking down the chain (MARKING_FOLLOWS) and are hidden wherever it is; none is
    # re-marked on its own. Their writes are the controllers' (exercises.rules, the owning
    # nation's conduct role and organizing organization) and the receiving players'; their
    # tests prove the partner and a nation not released to refused
    # (exercises/tests/test_conduct.py, test_views.py, test_api.py).
    "exercises.exercise",
    "exercises.exerciseobjective",
    "exercises.inject",
    "exercises.playerresponse",
    # An evaluator's observation is recorded only by the exercise's named evaluators
    # (exercises.services.evaluation) and never changed or re-marked: it carries the exercise's
    # marking (MARKING_FOLLOWS) and is hidden wherever the exercise is. Its tests prove the
    # partner refused unless named, and a nation not released to not found
    # (exercises/tests/test_evaluation.py).
    "exercises.evaluatorobservation",
    # Loaded with the personnel files and only read by the members' import.
    "personnel.unit",
}
# Who writes each app's records in the owning nation.
OWNER_ROLE = {"partnerships": "coordinator", "engagements": "coordinator",
              "response": "duty_officer", "personnel": "personnel_officer",
              "border": "duty_officer", "interop": "duty_officer",
              "exercises": "coordinator"}


def _domestic_agreement(user, *, signed=True):
    """CalOES helps `user`'s organization (CalGuard) on a fire released to Mexico, with the
    request and offer above the agreement released to Mexico too."""
    caloes = create_person("t.us.caloes", "CalOES", "duty_officer")
    request = make_request(user)
    offer = response_factories.make_offer(caloes, request, rel_to=("MEX",))
    agreement = response_factories.make_agreement(user, caloes, request=request, offer=offer,
                                                  signed=signed)
    agreement.rel_to.add(*nations("MEX"))
    return agreement


def _deployment(user):
    """`user`'s organization's team sent under a domestic agreement, released to Mexico."""
    return response_factories.make_deployment(user, _domestic_agreement(user),
                                              rel_to=("MEX",))


def _proposal(user):
    proposal = AllocationProposal(requested_by=user, created_by=user, instance={})
    apply_marking(proposal, owner=user.nation, rel_to=nations("MEX"))
    return proposal


def _report(user):
    """The draft after-action report of an executed engagement released to Mexico."""
    engagement = aar_factories.make_engagement(user, aar_factories.mexico_partnership(user))
    return aar_factories.make_report(engagement, summary_en="Lessons.", attendance=5)


def test_every_marked_model_with_write_services_is_proven():
    labels = {m._meta.label_lower for m in marked_models()}
    assert not set(WRITES) & NO_WRITE_SERVICES, "both proven and said to have no services"
    assert labels - set(WRITES) - NO_WRITE_SERVICES == set(), (
        "marked models neither proven in WRITES nor listed in NO_WRITE_SERVICES")
    assert (set(WRITES) | NO_WRITE_SERVICES) - labels == set(), "listed but not marked"


@pytest.mark.parametrize("label", list(WRITES))
def test_writes_are_guarded(reference, label):
    model = apps.get_model(label)
    check = (assert_writes_guarded if model.RELEASABLE_TO_OTHER_NATIONS
             else assert_writes_never_released)
    check(WRITES[label], owner=persona(OWNER_ROLE[model._meta.app_label]),
          owner_viewer=persona("viewer"), partner=persona("liaison", "MEX"),
          marker=marking_clerk(model))
