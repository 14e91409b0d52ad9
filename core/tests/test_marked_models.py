"""Every marked model is proven on the read paths (a releasability test registered below) and
the write rule is proven through the services of each model that has them
(core.testing.assert_writes_guarded)."""

import ast
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from accounts.tests.personas import marking_clerk, persona
from core.history import marked_models
from core.testing import WriteCase, assert_writes_guarded
from engagements.services import engagements as engagement_services
from engagements.services import lifecycle
from engagements.tests.factories import add_budget, make_engagement
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
from response.services import incidents
from response.services.requests import change_request_marking, transition_request, update_request
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
    "personnel.member": "personnel/tests/test_releasability.py::"
                        "test_members_are_never_shown_to_a_partner",
    "personnel.order": "personnel/tests/test_releasability.py::"
                       "test_orders_are_never_shown_to_a_partner",
    "personnel.unit": "personnel/tests/test_releasability.py::"
                      "test_units_are_never_shown_to_a_partner",
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
        update=lambda user, m: partnership_services.update_measurement(user, m, source="x")),
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
}
# Who writes each app's records in the owning nation.
OWNER_ROLE = {"partnerships": "coordinator", "engagements": "coordinator",
              "response": "duty_officer"}


@pytest.mark.parametrize("label", list(WRITES))
def test_writes_are_guarded(reference, label):
    model = apps.get_model(label)
    assert_writes_guarded(WRITES[label], owner=persona(OWNER_ROLE[model._meta.app_label]),
                          owner_viewer=persona("viewer"), partner=persona("liaison", "MEX"),
                          marker=marking_clerk(model))
