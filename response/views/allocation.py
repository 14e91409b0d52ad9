"""Pages of allocation proposals: the list, "Propose a plan", and a proposal — its progress
while the job solves it (htmx polls a small fragment), then the plan to review, pin or exclude
and solve again, accept (offers through the mutual-aid services) or discard. Every read comes
through `response.selectors.allocation` (restricted), every write through
`response.services.allocation`."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST

from core.history import history_for
from core.humanize import grouped, when
from core.views import attempt, get_one, list_page, run_service, show_refusal
from response import tasks
from response.forms.allocation import ProposalFilterForm, ProposalForm, ResolveForm
from response.models import AllocationProposal, PortOfEntry
from response.selectors import allocation as selectors
from response.selectors.aid import offers_for, with_offer_links
from response.services import allocation

PS = AllocationProposal.State
ACTIVE = (PS.QUEUED, PS.SOLVING)


def _unmet_labels():
    return {
        "assigned_elsewhere": _("assigned to other requests"),
        "drawdown": _("kept home by drawdown limits"),
        # Context: after a count of units, so Spanish needs a form without number or gender.
        "held_for_home_coverage": pgettext("units left unmet", "held for home coverage"),
        "not_cross_border_eligible": _("not eligible to cross the border"),
        "liaison": _("would cross without a Spanish–English speaker (liaison rule)"),
        "unreachable": _("unable to reach it (no port of entry open in time)"),
        "too_late": _("arriving so late that leaving the need unmet costs less"),
        "excluded": _("excluded by the duty officer"),
        "not_chosen": _("left unused by this solver"),
    }


def _moment(text):
    return datetime.fromisoformat(text) if text else None


def _name(records, identifier):
    record = records.get(identifier)
    return str(record.number if hasattr(record, "number") else record) if record else identifier


def why_this_unit(assignment, records):
    """Why this unit and not the runner-up, in the reader's language. The library explains in
    English; the structured runner-up gives the names and costs, and its text only which of
    its fixed reasons applied (allocation.plan._why)."""
    why = assignment["why"]
    runner = why.get("runner_up")
    if assignment["pinned"]:
        return _("Pinned by the duty officer.")
    if runner is None:
        return _("No other eligible unit can reach this request.")
    more = runner["cost"] - assignment["cost"]["total"]
    values = {"unit": _name(records, runner["resource"]), "cost": grouped(runner["cost"]),
              "more": grouped(more), "eta": when(_moment(runner["eta"]))}
    text = why["text"]
    if more > 0:
        return _("The runner-up, %(unit)s, would cost %(more)s more points of the objective "
                 "(arriving %(eta)s).") % values
    if " instead" in text:
        return _("The runner-up, %(unit)s, and its like are sent to other requests.") % values
    if "drawdown" in text:
        return _("The runner-up, %(unit)s, stays home: its organization has sent all the units "
                 "of this kind its drawdown limit allows.") % values
    if "Spanish–English" in text:
        return _("The runner-up, %(unit)s, would cross the border without a Spanish–English "
                 "speaker going to this incident.") % values
    return _("The runner-up, %(unit)s, costs no more (%(cost)s points); the solver chose this "
             "one.") % values


def _assignment_rows(plan, records, ports):
    rows = []
    for a in plan["assignments"]:
        crossing = a["route"]["crossing"]
        port = crossing and ports.get(crossing["port"])
        rows.append({
            "key": f"{a['resource']}|{a['request']}", "resource": a["resource"],
            "unit": records.get(a["resource"]), "request_id": a["request"],
            "request": records.get(a["request"]), "kind": a["kind"],
            "requested_kind": a["requested_kind"], "substitute": a["substitute"],
            "mode": a["route"]["mode"], "distance_km": a["route"]["distance_km"],
            "port": (port.name if port else crossing["port_name"]) if crossing else None,
            "port_key": crossing["port"] if crossing else None,
            "crossing_start": _moment(crossing and crossing["start"]),
            "crossing_through": _moment(crossing and crossing["through"]),
            "waited": crossing["waited_for_opening_minutes"] if crossing else 0,
            "expected_wait": crossing["expected_wait_minutes"] if crossing else 0,
            "eta": _moment(a["eta"]), "needed_by": _moment(a["needed_by"]),
            "late_minutes": a["late_minutes"], "international": a["international"],
            "bilingual": a["bilingual"], "pinned": a["pinned"], "headcount": a["headcount"],
            "cost": a["cost"]["total"], "why": why_this_unit(a, records)})
    return rows


def _unmet_rows(plan, records):
    labels = _unmet_labels()
    return [{"request_id": u["request"], "request": records.get(u["request"]),
             "kind": u["kind"], "quantity": u["quantity"], "cost": u["cost"],
             "reasons": [(labels.get(name, name), count) for name, count in u["counts"].items()]}
            for u in plan["unmet"]]


def _plan_context(user, proposal):
    plan = proposal.plan
    if not plan:
        return {}
    records = selectors.labels(user, proposal)
    ports = {p.key: p for p in PortOfEntry.objects.all()}
    pinned = {f"{p['resource']}|{p['request']}" for p in proposal.pins}
    assignments = _assignment_rows(plan, records, ports)
    for row in assignments:
        row["pin_checked"] = row["key"] in pinned
    # Exclusions already made stay checked, so solving again keeps them unless unticked.
    exclusions = [{"key": "|".join(filter(None, (e["resource"], e.get("request")))),
                   "unit": _name(records, e["resource"]),
                   "request": e.get("request") and _name(records, e["request"])}
                  for e in proposal.exclusions]
    return {
        "plan": plan,
        "gap_percent": round(plan["gap"] * 100, 2),
        "assignments": assignments,
        "unmet": _unmet_rows(plan, records),
        "rejected_pins": [{"unit": _name(records, p["resource"]),
                           "request": _name(records, p["request"]), "reason": p["reason"]}
                          for p in plan["rejected_pins"]],
        "exclusions": exclusions,
        "checked": plan.get("check", {}),
        "method": selectors.method_of(plan),
    }


def _resolve_choices(proposal):
    plan = proposal.plan or {}
    keys = [f"{a['resource']}|{a['request']}" for a in plan.get("assignments", [])]
    keys += ["|".join(filter(None, (e["resource"], e.get("request"))))
             for e in proposal.exclusions]
    return list(dict.fromkeys(keys))


@login_required
def proposal_list(request):
    user = request.user
    form = ProposalFilterForm(request.GET, user=user)
    return list_page(request, "response/proposal_list.html", "response/_proposals.html", form,
                     selectors.proposals_for(user, **form.filters()),
                     can_add=user.has_perm("response.add_allocationproposal"))


@login_required
@permission_required("response.add_allocationproposal", raise_exception=True)
@require_http_methods(["GET", "POST"])
def proposal_create(request):
    """Propose a plan; `?incident=<id>` chooses the incident."""
    user = request.user
    initial = {}
    if request.GET.get("incident", "").isdigit():
        initial["incident"] = request.GET["incident"]
    form = ProposalForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        proposal = run_service(form, allocation.propose, user, **form.service_fields())
        if proposal is not None:
            tasks.solve_when_committed(proposal)
            messages.success(request, _("Proposal %(number)s queued for the solver.")
                             % {"number": proposal.pk})
            return redirect(proposal)
    return render(request, "response/proposal_form.html", {"form": form})


@login_required
def proposal_detail(request, pk):
    user = request.user
    proposal = get_one(selectors.proposals_for(user).select_related("resolves"), pk)
    steps = {o.name for o in allocation.PROPOSAL_LIFECYCLE.options(user, proposal)}
    return render(request, "response/proposal_detail.html", {
        "proposal": proposal,
        "active": proposal.state in ACTIVE,
        "can_resolve": proposal.state == PS.READY
        and allocation.may_act(user, proposal, "add_allocationproposal"),
        "can_accept": "accept" in steps,
        "can_discard": "discard" in steps,
        "offers": with_offer_links(user, offers_for(user).filter(proposals=proposal)
                                   .order_by("pk")),
        "resolved_by": selectors.proposals_for(user).filter(resolves=proposal),
        "history": history_for(proposal),
        "timings": selectors.timing_rows(proposal),
        **_plan_context(user, proposal),
    })


@login_required
def proposal_progress(request, pk):
    """The progress fragment htmx polls every 2 s while the proposal is queued or solving;
    once it is not, the page reloads to show the plan (or the failure)."""
    proposal = get_one(selectors.proposals_for(request.user), pk)
    if request.htmx and proposal.state not in ACTIVE:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    return render(request, "response/_proposal_progress.html",
                  {"proposal": proposal, "active": proposal.state in ACTIVE})


@login_required
@require_POST
def proposal_resolve(request, pk):
    """Solve again with the pins and exclusions ticked; go to the new proposal."""
    user = request.user
    proposal = get_one(selectors.proposals_for(user), pk)
    form = ResolveForm(request.POST, choices=_resolve_choices(proposal))
    if not form.is_valid():
        messages.error(request, _("Tick only assignments of this plan."))
        return redirect(proposal)
    try:
        new = allocation.resolve(user, proposal, **form.pairs())
    except (ValidationError, PermissionDenied) as exc:
        show_refusal(request, exc)
        return redirect(proposal)
    tasks.solve_when_committed(new)
    messages.success(request, _("Proposal %(number)s queued: the same instance solved again.")
                     % {"number": new.pk})
    return redirect(new)


@login_required
@require_POST
def proposal_accept(request, pk):
    proposal = get_one(selectors.proposals_for(request.user), pk)
    if attempt(request, allocation.accept, request.user, proposal):
        messages.success(request, _("Offers made: the requesting side decides on each."))
    return redirect(proposal)


@login_required
@require_POST
def proposal_discard(request, pk):
    proposal = get_one(selectors.proposals_for(request.user), pk)
    if attempt(request, allocation.discard, request.user, proposal):
        messages.success(request, _("Proposal discarded."))
    return redirect(proposal)


urlpatterns = [
    path("proposals/", proposal_list, name="proposals"),
    path("proposals/new/", proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", proposal_detail, name="proposal"),
    path("proposals/<int:pk>/progress/", proposal_progress, name="proposal_progress"),
    path("proposals/<int:pk>/resolve/", proposal_resolve, name="proposal_resolve"),
    path("proposals/<int:pk>/accept/", proposal_accept, name="proposal_accept"),
    path("proposals/<int:pk>/discard/", proposal_discard, name="proposal_discard"),
]
