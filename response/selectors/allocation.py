"""Reads of allocation proposals: the restricted list, and the records a plan names as the user
may see them."""

from response.models import AllocationProposal, ResourceRequest, Unit
from response.selectors.common import filtered


# A plan names records by these ids ("unit:12"); the services write them into the instance.
def unit_id(pk):
    return f"unit:{pk}"


def request_id(pk):
    return f"request:{pk}"


def record_pk(identifier):
    """The primary key an instance id names ("unit:12" → 12), or None."""
    _prefix, _sep, pk = str(identifier).partition(":")
    return int(pk) if pk.isdigit() else None


def proposals_for(user, action="view", *, incident=None, state=None):
    return filtered(
        AllocationProposal.objects.restrict(user, action).select_related(
            "incident", "requested_by"),
        incident_id=incident, state=state)


def labels(user, proposal):
    """What the plan's ids name, as the user may see them: {id: record}. Units and requests
    no longer visible are left out (the page shows their ids)."""
    plan = proposal.plan or {}
    unit_pks, request_pks = set(), set()
    for item in (*plan.get("assignments", []), *plan.get("unmet", []),
                 *plan.get("rejected_pins", [])):
        if item.get("resource"):
            unit_pks.add(record_pk(item["resource"]))
        request_pks.add(record_pk(item["request"]))
        runner = (item.get("why") or {}).get("runner_up")
        if runner:
            unit_pks.add(record_pk(runner["resource"]))
    for item in (*(proposal.pins or []), *(proposal.exclusions or [])):
        unit_pks.add(record_pk(item["resource"]))
        if item.get("request"):
            request_pks.add(record_pk(item["request"]))
    found = {unit_id(pk): unit for pk, unit in Unit.objects.restrict(user).select_related(
        "organization", "kind").prefetch_related(None).in_bulk(unit_pks - {None}).items()}
    found.update({request_id(pk): request for pk, request in ResourceRequest.objects.restrict(
        user).select_related("incident", "kind").prefetch_related(None).in_bulk(
        request_pks - {None}).items()})
    return found
