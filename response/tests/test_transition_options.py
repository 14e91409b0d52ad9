"""A lifecycle's steps read the same in every domain's API: one schema (core.schemas'
TransitionOptionOut, the shape of core.lifecycle's TransitionOption) for requests, offers,
deployments and engagements, and a request's steps carry whether a reason is needed and why a
guard refuses one now; solving a proposal again is refused in its lifecycle's words."""

import json

import pytest
from django.core.exceptions import ValidationError
from ninja.responses import NinjaJSONEncoder

from core.testing import ok
from enlace.api import api
from response.models import AllocationProposal
from response.services import allocation
from response.tests.factories import make_request
from response.tests.test_allocation_views import queued


def test_every_detail_lists_its_steps_in_the_one_schema():
    document = json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))
    schemas = document["components"]["schemas"]
    for detail in ("ResourceRequestDetailOut", "OfferDetailOut", "DeploymentDetailOut",
                   "EngagementDetailOut"):
        items = schemas[detail]["properties"]["transitions"]["items"]
        assert items == {"$ref": "#/components/schemas/TransitionOptionOut"}, detail
    assert set(schemas["TransitionOptionOut"]["properties"]) == {
        "name", "label", "allowed", "refusal", "needs_reason"}


def test_a_requests_steps_say_whether_they_need_a_reason(duty, incident, client_for):
    request = make_request(duty, incident)
    steps = ok(client_for(duty).get(f"/api/v1/resource-requests/{request.pk}"))["transitions"]
    assert {step["name"]: (step["allowed"], step["refusal"], step["needs_reason"])
            for step in steps if step["name"] == "cancel"} == {"cancel": (True, "", True)}


def test_solving_again_is_refused_in_the_lifecycles_words(duty):
    """Solving again is not a step of a proposal's lifecycle, but refused from a state other
    than ready as its steps are (core.lifecycle.refused_by_state)."""
    proposal = queued(duty, state=AllocationProposal.State.DISCARDED)
    with pytest.raises(ValidationError) as refused:
        allocation.resolve(duty, proposal)
    assert refused.value.messages == ["“Solve again” is not possible: the proposal is "
                                      "discarded."]
    with pytest.raises(ValidationError) as accept:
        allocation.accept(duty, proposal)
    assert accept.value.messages == ["“Accept” is not possible: the proposal is discarded."]
