"""A lifecycle's steps read the same in every domain's API: one schema (core.schemas'
TransitionOptionOut, the shape of core.lifecycle's TransitionOption) for requests, offers,
deployments and engagements, and a request's steps carry whether a reason is needed and why a
guard refuses one now."""

import json

from ninja.responses import NinjaJSONEncoder

from core.testing import ok
from enlace.api import api
from response.tests.factories import make_request


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
