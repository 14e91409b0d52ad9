"""Records for the OpenAPI fuzzing's path parameters (tests/test_openapi.py): for each path
parameter of the mutual-aid API, ids of records that exist — US-owned and editable, released
across the border, and hidden from the US (answers 404)."""

from datetime import timedelta

from django.utils import timezone

from response.models import PortOfEntry, ResourceKind
from response.services import allocation
from response.services import deployments as services
from response.tests.factories import (
    make_agreement,
    make_deployment,
    make_incident,
    make_offer,
    make_request,
    make_unit,
)
from response.tests.test_deployments_services import deploy, walk


def _add(existing, seeds):
    for name, ids in seeds.items():
        known = existing.setdefault(name, [])
        known += [i for i in ids if i not in known]
    return existing


def add_response_seeds(existing, us_user, mx_user):
    """Incidents, units, reference rows, requests, offers and agreements, then deployments."""
    incident = make_incident(us_user)
    hidden_incident = make_incident(mx_user, name="Incendio oculto", latitude=32.5,
                                    longitude=-116.9, rel_to=())
    unit = make_unit(us_user)
    hidden_unit = make_unit(mx_user, name="Brigada oculta", rel_to=())
    request = make_request(us_user, incident)
    hidden_request = make_request(mx_user, hidden_incident, number="MX-1", rel_to=())
    offer = make_offer(mx_user, request)
    agreement = make_agreement(us_user, mx_user, request=make_request(
        us_user, incident, number="LA-2025-002"))
    awaiting = make_agreement(us_user, mx_user, request=request, offer=offer, signed=False)
    proposal = allocation.propose(us_user, incident=incident, time_limit=5)
    hidden_proposal = allocation.propose(mx_user, time_limit=5)
    _add(existing, {
        "proposal_id": [proposal.pk, hidden_proposal.pk],
        "incident_id": [incident.pk, hidden_incident.pk], "unit_id": [unit.pk, hidden_unit.pk],
        "kind_code": [ResourceKind.objects.order_by("code").first().code],
        "port_key": [PortOfEntry.objects.order_by("key").first().key],
        "resource_request_id": [request.pk, hidden_request.pk], "offer_id": [offer.pk],
        "aid_agreement_id": [agreement.pk, awaiting.pk],
        "part": ["request", "offer", "acceptance"],
        "name": ["submit", "escalate", "close", "review", "withdraw"]})
    return add_deployment_seeds(existing, us_user, mx_user)


def add_deployment_seeds(existing, us_user, mx_user):
    """Records for the API fuzzing's path parameters (added to `existing`, which maps a path
    parameter to ids), for the lead's tests/test_openapi.py: a US team on assignment released
    to Mexico with a person, a check-in, a shift and a cost; a US team mobilizing (its
    checklist and roster open); a Mexican-only team (404); the transitions and checklist items by
    name."""
    now = timezone.now()
    assigned = walk(us_user, mx_user, deploy(us_user, mx_user), "assigned", at={
        "in_transit": now - timedelta(days=3), "arrived": now - timedelta(days=2, hours=20),
        "onboarding": now - timedelta(days=2, hours=19),
        "assigned": now - timedelta(days=2)}.get)
    member = assigned.roster.get()
    services.check_in(mx_user, member, status="assigned", location="Plant")
    services.record_shift(mx_user, assigned, started_at=assigned.assigned_at,
                          ended_at=assigned.assigned_at + timedelta(hours=12))
    cost = services.add_cost(us_user, assigned, category="travel", description="Fuel",
                             amount="10.00", reimbursement="not_claimed")
    mobilizing = deploy(us_user, mx_user, name="Fuzzed convoy")
    hidden = make_deployment(mx_user, mobilizing.agreement, name="Fuzzed hidden",
                             rel_to=("MEX",))
    return _add(existing, {
        "deployment_id": [assigned.pk, mobilizing.pk, hidden.pk],
        "roster_member_id": [member.pk],
        "item_id": [i.pk for i in mobilizing.onboarding_items.all()[:1]],
        "deployment_cost_id": [cost.pk],
        "item": ["host_notified", "host_cleared"],
        "name": ["in_transit", "demobilizing"]})
