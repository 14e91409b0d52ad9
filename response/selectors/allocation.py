"""Reads of allocation proposals: the restricted list, the records a plan names as the user
may see them, and what a proposal says of itself in the reader's language — which method made
its plan and why, and where the time went."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

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


# ---- Which method made the plan, and why -----------------------------------------------------

def method_names():
    """The plan's `method` codes in the reader's language."""
    return {
        "flow": pgettext("allocation method", "exact min-cost flow"),
        "flow+repair": pgettext("allocation method",
                                "min-cost flow, repaired for the liaison rule"),
        "milp": pgettext("allocation method", "integer model (MILP)"),
        "greedy": pgettext("allocation method", "closest available in priority order (greedy)"),
    }


def method_reasons():
    """The plan's `method_reason` codes (allocation.plan.METHOD_REASONS) in the reader's
    language."""
    return {
        "flow_exact": _("The flow optimum obeys every rule: this plan is optimal."),
        "repair_free": _("The flow optimum broke the liaison rule; repairing it cost nothing, "
                         "so this plan is optimal."),
        "escalated": _("The flow optimum broke the liaison rule, so the integer model made "
                       "the plan."),
        "greedy_asked": _("The greedy baseline was asked for."),
        "solver_failed": _("A solver failed: this is the best plan found before it (the greedy "
                           "baseline at worst)."),
        "time_limit": _("The time limit passed: this is the best plan found so far."),
    }


def method_of(plan):
    """{"code", "name", "reason", "explanation"} of the plan's method, in the reader's language;
    a plan stored before reasons were given has reason and explanation None. None without a
    plan."""
    if not plan or not plan.get("method"):
        return None
    code, reason = plan["method"], plan.get("method_reason")
    return {"code": code, "name": method_names().get(code, code), "reason": reason,
            "explanation": method_reasons().get(reason, reason) if reason else None}


# ---- Where the time went ---------------------------------------------------------------------

def timing_labels():
    """The steps of a proposal's `timings` (response.services.allocation.STEPS and the solver's
    phases, SOLVER_PHASES) in the reader's language, in order."""
    return {
        "build": pgettext("allocation step", "Building the instance from the records"),
        "save": pgettext("allocation step", "Saving the proposal"),
        "wait": pgettext("allocation step", "Waiting for the solver job"),
        "read": pgettext("allocation step", "Reading and validating the saved instance"),
        "solve": pgettext("allocation step", "Solving"),
        "network": pgettext("allocation step", "Building the network of possible moves"),
        "greedy": pgettext("allocation step", "Greedy baseline"),
        "flow": pgettext("allocation step", "Min-cost flow"),
        "milp": pgettext("allocation step", "Integer model (MILP)"),
        "explain": pgettext("allocation step", "Explaining each assignment"),
        "check": pgettext("allocation step", "Independent check"),
        "store": pgettext("allocation step", "Storing the plan"),
        "total": pgettext("allocation step", "Total"),
    }


SOLVER_PHASES = ("network", "greedy", "flow", "milp", "explain")


def timing_rows(proposal):
    """The proposal's timings as rows {"step", "label", "seconds", "phase"} in order, the
    solver's phases (phase True) after "solve", which they make up, and the total last; only
    the steps it has taken."""
    timings = proposal.timings or {}
    return [{"step": step, "label": label, "seconds": timings[step],
             "phase": step in SOLVER_PHASES}
            for step, label in timing_labels().items()
            if isinstance(timings.get(step), int | float)]
