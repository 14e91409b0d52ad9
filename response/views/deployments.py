"""Deployment pages: list and CSV export, the deployment (crossing checklist, onboarding,
roster, check-ins, daily status, shifts with work/rest findings, costs, the 14-day clock,
transitions, history), its forms, and "who is where now"."""

from collections import Counter
from itertools import islice

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exports import csv_response, marking_cells
from core.history import history_for
from core.permissions import may
from core.related import with_shown
from core.views import attempt, get_one, list_page, run_service, show_refusal, update_page
from response import accountability
from response.forms.deployments import (
    AccountabilityFilterForm,
    CheckInForm,
    ChecklistItemForm,
    CostForm,
    DailyStatusForm,
    DeploymentFilterForm,
    DeploymentForm,
    ExtensionForm,
    OnboardingItemForm,
    RosterMemberForm,
    ShiftForm,
    TransitionForm,
)
from response.models import (
    AidAgreement,
    CheckIn,
    Deployment,
    DeploymentCost,
    RosterMember,
)
from response.selectors import deployments as selectors
from response.services import deployments as services

DS = Deployment.State


# ---- Reads ----------------------------------------------------------------------------------

def _deployment(user, pk, action="view"):
    return get_one(selectors.deployments_for(user, action), pk)


def _permissions(user, deployment):
    """What the page offers the user on this deployment (the services decide again)."""
    def sender_may(perm):
        return may(user, deployment, "change", perm=f"response.{perm}")

    reporter = services.may_report(user, deployment)
    state = deployment.state
    return {
        "can_change": state not in services.HOME and sender_may("change_deployment"),
        "can_add_roster": state in services.ROSTER_OPEN and sender_may("add_rostermember"),
        "can_edit_roster": state not in services.HOME and sender_may("change_rostermember"),
        "can_onboard": reporter and state in services.ONBOARDING_OPEN,
        "can_check_in": reporter and state in services.CHECK_IN_STATES,
        "can_report_daily": reporter and state in services.DAILY_STATUS_STATES,
        "can_log_shift": reporter and state in services.SHIFT_STATES,
        "can_add_cost": state != DS.CLOSED and sender_may("add_deploymentcost"),
        "can_edit_cost": state != DS.CLOSED and sender_may("change_deploymentcost"),
        "can_extend": services.may_extend(user, deployment),
    }


def _checklist_rows(user, deployment):
    return [{"item": item,
             "can_record": services.may_record_checklist_item(user, deployment, item.side)}
            for item in services.crossing_checklist(deployment)]


# ---- Deployments ----------------------------------------------------------------------------

@login_required
def deployment_list(request):
    user = request.user
    form = DeploymentFilterForm(request.GET, user=user)
    return list_page(request, "response/deployment_list.html", "response/_deployment_list.html",
                     form, selectors.deployments_for(user, **form.filters()),
                     prepare=lambda records: with_shown(user, records, "incident"),
                     can_add=user.has_perm("response.add_deployment"))


@login_required
def deployment_export(request):
    """The deployments of the list page, as filtered there, in CSV."""
    user = request.user
    form = DeploymentFilterForm(request.GET, user=user)
    header = [_("ID"), _("Name"), _("State"), _("Incident"), _("Sending organization"),
              _("Sending nation"), _("Host nation"), _("Transport"), _("Port of entry"),
              _("Airport or base"), _("Planned crossing"), _("Arrived"), _("Assigned"),
              _("Returned"), _("Releasable to"), _("Foreign disclosure")]

    def rows():
        records = selectors.deployments_for(user, **form.filters()).iterator(chunk_size=500)
        while chunk := with_shown(user, islice(records, 500), "incident"):
            for d in chunk:
                yield [d.pk, d.name, d.get_state_display(), str(d.incident_shown),
                       d.sending_organization.acronym, d.owner_nation.code,
                       d.host_nation.code, d.get_transport_display(),
                       d.port.name if d.port else "", d.arrival_airport, d.planned_crossing_at,
                       d.arrived_at, d.assigned_at, d.returned_at,
                       *marking_cells(d, owner=False)]

    return csv_response("deployments.csv", header, rows())


def _status_counts(members):
    """(label, n) of the members' latest statuses, in the ICS-211 order."""
    counts = Counter(m.last_status for m in members)
    return [(label, counts[code]) for code, label in
            [*CheckIn.Status.choices, (None, _("No check-in yet"))] if counts[code]]


@login_required
def deployment_detail(request, pk):
    user = request.user
    deployment = _deployment(user, pk)
    roster = accountability.labelled(accountability.roster_for(user, deployment))
    costs = list(DeploymentCost.objects.restrict(user).filter(deployment=deployment))
    by_category, by_status = services.cost_totals(costs)
    return render(request, "response/deployment_detail.html", {
        "deployment": deployment,
        "warnings": services.crossing_warnings(deployment),
        "checklist": _checklist_rows(user, deployment),
        "checklist_complete": services.checklist_complete(deployment),
        "onboarding": list(deployment.onboarding_items.select_related("done_by")),
        "onboarding_form": OnboardingItemForm(),
        "roster": roster,
        "roster_statuses": _status_counts(roster),
        "check_ins": CheckIn.objects.filter(member__in=[m.pk for m in roster])
        .select_related("member", "recorded_by")[:50],
        "daily_status": deployment.daily_status.select_related("recorded_by")[:30],
        "shifts": services.shifts_with_findings(deployment),
        "costs": costs, "costs_by_category": by_category, "costs_by_status": by_status,
        "clock": services.assignment_clock(deployment),
        "transitions": services.transitions_for(user, deployment),
        "history": history_for(deployment),
        **_permissions(user, deployment),
    })


@login_required
@permission_required("response.add_deployment", raise_exception=True)
@require_http_methods(["GET", "POST"])
def deployment_create(request):
    """A new deployment under an agreement in force (`?agreement=<id>`)."""
    user = request.user
    agreement = get_one(AidAgreement.objects.restrict(user).select_related(
        "offer__incident", "assisting_organization"), request.GET.get("agreement"))
    form = DeploymentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        deployment = run_service(form, services.create_deployment, user, agreement,
                                 **form.service_fields())
        if deployment is not None:
            messages.success(request, _("Deployment created: the team is mobilizing."))
            for warning in services.crossing_warnings(deployment):
                messages.warning(request, warning)
            return redirect(deployment)
    return render(request, "response/deployment_form.html",
                  {"form": form, "agreement": agreement, "deployment": None})


@login_required
@require_http_methods(["GET", "POST"])
def deployment_update(request, pk):
    user = request.user
    deployment = _deployment(user, pk, "change")
    form = DeploymentForm(request.POST or None, instance=deployment)
    if request.method == "POST" and form.is_valid():
        # The form wrote its values onto its instance: the service compares the stored one.
        stored = _deployment(user, pk, "change")
        if run_service(form, services.update_deployment, user, stored, **form.service_fields()):
            messages.success(request, _("Deployment updated."))
            for warning in services.crossing_warnings(stored):
                messages.warning(request, warning)
            return redirect(stored)
    return render(request, "response/deployment_form.html",
                  {"form": form, "agreement": deployment.agreement, "deployment": deployment})


@login_required
@require_POST
def deployment_transition(request, pk, name):
    """One lifecycle step; a guard's refusal comes back as a message on the page."""
    user = request.user
    deployment = _deployment(user, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        show_refusal(request, ValidationError(form.errors))
    elif attempt(request, services.transition_deployment, user, deployment, name,
                 at=form.cleaned_data["at"]):
        messages.success(request, _("The deployment is now %(state)s.")
                         % {"state": deployment.get_state_display().lower()})
    return redirect(deployment)


@login_required
@require_POST
def deployment_checklist(request, pk, item):
    user = request.user
    deployment = _deployment(user, pk)
    form = ChecklistItemForm(request.POST)
    if not form.is_valid():
        show_refusal(request, ValidationError(form.errors))
        return redirect(deployment)
    if attempt(request, services.record_checklist_item, user, deployment, item,
               done=form.cleaned_data["done"] is not False, at=form.cleaned_data["at"]):
        messages.success(request, _("Crossing checklist updated."))
    return redirect(f"{deployment.get_absolute_url()}#crossing")


@login_required
@require_POST
def deployment_onboarding(request, pk):
    """Mark an onboarding item done or not (`item`, `done`), or add one (`text_en`,
    `text_es`)."""
    user = request.user
    deployment = _deployment(user, pk)
    form = OnboardingItemForm(request.POST)
    if request.POST.get("item"):
        done = attempt(request, services.complete_onboarding_item, user, deployment,
                       request.POST["item"], done=request.POST.get("done") != "0")
    elif form.is_valid():
        done = attempt(request, services.add_onboarding_item, user, deployment,
                       form.cleaned_data["text_en"], form.cleaned_data["text_es"])
    else:
        done = False
        show_refusal(request, ValidationError(form.errors))
    if done:
        messages.success(request, _("Onboarding updated."))
    return redirect(f"{deployment.get_absolute_url()}#onboarding")


@login_required
@require_http_methods(["GET", "POST"])
def team_check_in(request, pk):
    """Check in every person of the team the user may see, with one status and location."""
    user = request.user
    deployment = _deployment(user, pk)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        members = list(RosterMember.objects.restrict(user).filter(deployment=deployment))
        done = run_service(form, _check_in_all, user, members, **form.service_fields())
        if done is not None:
            messages.success(request, _("%(count)d people checked in.") % {"count": done})
            return redirect(f"{deployment.get_absolute_url()}#roster")
    return render(request, "response/deployment_check_in.html",
                  {"form": form, "deployment": deployment, "member": None})


@transaction.atomic
def _check_in_all(user, members, **fields):
    for member in members:
        services.check_in(user, member, **fields)
    return len(members)


@login_required
@require_http_methods(["GET", "POST"])
def daily_status(request, pk):
    deployment = _deployment(request.user, pk)
    return update_page(request, deployment, DailyStatusForm(request.POST or None),
                       services.record_daily_status, "response/deployment_daily_status.html",
                       _("Daily status recorded."),
                       then=f"{deployment.get_absolute_url()}#daily-status",
                       deployment=deployment)


@login_required
@require_http_methods(["GET", "POST"])
def shift_add(request, pk):
    user = request.user
    deployment = _deployment(user, pk)
    form = ShiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        finding = run_service(form, services.record_shift, user, deployment,
                              **form.service_fields())
        if finding is not None:
            messages.success(request, _("Shift recorded."))
            if finding.short_rest:
                messages.warning(request, _(
                    "Rest before this shift was %(rest).1f h; the 2:1 work/rest ratio asks for "
                    "%(required).1f h.") % {"rest": finding.rest_hours,
                                            "required": finding.required_rest_hours})
            if finding.long_shift:
                messages.warning(request, _("This shift ran %(hours).1f h, more than 16 h.")
                                 % {"hours": finding.work_hours})
            return redirect(f"{deployment.get_absolute_url()}#shifts")
    return render(request, "response/deployment_shift_form.html",
                  {"form": form, "deployment": deployment})


@login_required
@require_http_methods(["GET", "POST"])
def extension(request, pk):
    deployment = _deployment(request.user, pk)
    form = ExtensionForm(request.POST or None,
                         initial={"days": deployment.extension_days or None})
    return update_page(request, deployment, form, services.approve_extension,
                       "response/deployment_extension.html", _("Extension approved."),
                       deployment=deployment, clock=services.assignment_clock(deployment))


# ---- Roster ---------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def roster_add(request, pk):
    user = request.user
    deployment = _deployment(user, pk)
    form = RosterMemberForm(request.POST or None, deployment=deployment)
    if request.method == "POST" and form.is_valid():
        member = run_service(form, services.add_roster_member, user, deployment,
                             **form.service_fields())
        if member is not None:
            messages.success(request, _("%(name)s added to the roster.")
                             % {"name": member.full_name})
            if "another" in request.POST:
                return redirect("response:roster_add", pk=deployment.pk)
            return redirect(f"{deployment.get_absolute_url()}#roster")
    return render(request, "response/roster_form.html",
                  {"form": form, "deployment": deployment, "member": None})


def _members(user, action="view"):
    return RosterMember.objects.restrict(user, action).select_related(
        "deployment", "organization", "deployment__owner_nation", "deployment__host_nation")


@login_required
def roster_member(request, pk):
    user = request.user
    member = get_one(_members(user), pk)
    deployment = member.deployment
    deployment_visible = may(user, deployment)
    return render(request, "response/roster_member.html", {
        "member": member, "deployment": deployment,
        "check_ins": member.check_ins.select_related("recorded_by")[:100],
        "history": history_for(member),
        **(_permissions(user, deployment) if deployment_visible else {}),
        "can_remove": deployment.state in services.BEFORE_ARRIVAL
        and may(user, deployment, "change", perm="response.change_rostermember"),
    })


@login_required
@require_http_methods(["GET", "POST"])
def roster_update(request, pk):
    member = get_one(_members(request.user, "change"), pk)
    # The form writes its values onto its instance: the service compares a stored copy.
    stored = get_one(_members(request.user, "change"), pk)
    form = RosterMemberForm(request.POST or None, instance=member, deployment=member.deployment)
    return update_page(request, stored, form, services.update_roster_member,
                       "response/roster_form.html", _("Roster updated."),
                       then=reverse("response:roster_member", args=[pk]),
                       deployment=member.deployment, member=member)


@login_required
@require_POST
def roster_remove(request, pk):
    user = request.user
    member = get_one(_members(user, "change"), pk)
    deployment = member.deployment
    if not attempt(request, services.remove_roster_member, user, member):
        return redirect("response:roster_member", pk=pk)
    messages.success(request, _("%(name)s removed from the roster.") % {"name": member.full_name})
    return redirect(f"{deployment.get_absolute_url()}#roster")


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request, pk):
    user = request.user
    member = get_one(_members(user), pk)
    deployment = get_one(selectors.deployments_for(user), member.deployment_id)
    return update_page(request, member, CheckInForm(request.POST or None), services.check_in,
                       "response/deployment_check_in.html", _("Check-in recorded."),
                       then=reverse("response:roster_member", args=[pk]),
                       deployment=deployment, member=member)


@login_required
def roster_export(request, pk):
    """The deployment's roster as the user may see it, with each person's latest check-in."""
    user = request.user
    deployment = _deployment(user, pk)
    header = [_("ID"), _("Full name"), _("Organization"), _("Position"), _("Languages"),
              _("Agency ID"), _("Credentials and qualifications"), _("Status"),
              _("Location"), _("Time"), _("Releasable to"), _("Foreign disclosure")]
    statuses = dict(CheckIn.Status.choices)

    def rows():
        for m in accountability.roster_for(user, deployment).prefetch_related("rel_to"):
            yield [m.pk, m.full_name, m.organization.acronym, m.position, m.languages,
                   m.agency_id, m.credentials, statuses.get(m.last_status, ""),
                   m.last_location, m.last_at, *marking_cells(m, owner=False)]

    return csv_response(f"roster-{deployment.pk}.csv", header, rows())


# ---- Costs ----------------------------------------------------------------------------------

def _costs(user, action="view"):
    return DeploymentCost.objects.restrict(user, action).select_related("deployment")


@login_required
@require_http_methods(["GET", "POST"])
def cost_add(request, pk):
    deployment = _deployment(request.user, pk)
    form = CostForm(request.POST or None, initial={
        "reimbursement": services.default_reimbursement(deployment)})
    return update_page(request, deployment, form, services.add_cost, "response/cost_form.html",
                       _("Cost recorded."), then=f"{deployment.get_absolute_url()}#costs",
                       deployment=deployment, cost=None)


@login_required
def cost_detail(request, pk):
    user = request.user
    cost = get_one(_costs(user), pk)
    deployment = cost.deployment
    return render(request, "response/cost_detail.html", {
        "cost": cost, "deployment": deployment,
        "can_edit_cost": deployment.state != DS.CLOSED and may(user, cost, "change"),
        "history": history_for(cost),
    })


@login_required
@require_http_methods(["GET", "POST"])
def cost_update(request, pk):
    cost = get_one(_costs(request.user, "change"), pk)
    # The form writes its values onto its instance: the service compares a stored copy.
    stored = get_one(_costs(request.user, "change"), pk)
    return update_page(request, stored, CostForm(request.POST or None, instance=cost),
                       services.update_cost, "response/cost_form.html", _("Cost updated."),
                       then=reverse("response:cost", args=[pk]), deployment=cost.deployment,
                       cost=cost)


@login_required
def cost_export(request, pk):
    user = request.user
    deployment = _deployment(user, pk)
    header = [_("ID"), _("Category"), _("Description"), _("Amount"), _("Currency"),
              _("Reimbursement"), _("Releasable to"), _("Foreign disclosure")]
    costs = DeploymentCost.objects.restrict(user).filter(deployment=deployment)
    rows = ([c.pk, c.get_category_display(), c.description, c.amount, c.currency,
             c.get_reimbursement_display(), *marking_cells(c, owner=False)] for c in costs)
    return csv_response(f"costs-{deployment.pk}.csv", header, rows)


# ---- Who is where now -----------------------------------------------------------------------

@login_required
def accountability_page(request):
    user = request.user
    form = AccountabilityFilterForm(request.GET, user=user)
    rows = accountability.who_is_where(user, **form.filters())
    counts = accountability.counts(rows)
    statuses = [*CheckIn.Status.choices, (None, _("No check-in yet"))]
    table = [{"nation": nation,
              "cells": [by_status.get(code, 0) for code, _label in statuses],
              "total": sum(by_status.values())}
             for nation, by_status in sorted(counts.items())]
    return list_page(request, "response/accountability.html",
                     "response/accountability_table.html", form, rows, per_page=100,
                     prepare=accountability.labelled,
                     statuses=[label for _code, label in statuses], counts=table,
                     total=sum(r["total"] for r in table))


urlpatterns = [
    path("deployments/", deployment_list, name="deployments"),
    path("deployments/export.csv", deployment_export, name="deployment_export"),
    path("deployments/new/", deployment_create, name="deployment_create"),
    path("deployments/<int:pk>/", deployment_detail, name="deployment"),
    path("deployments/<int:pk>/edit/", deployment_update, name="deployment_update"),
    path("deployments/<int:pk>/transitions/<str:name>/", deployment_transition,
         name="deployment_transition"),
    path("deployments/<int:pk>/checklist/<str:item>/", deployment_checklist,
         name="deployment_checklist"),
    path("deployments/<int:pk>/onboarding/", deployment_onboarding,
         name="deployment_onboarding"),
    path("deployments/<int:pk>/check-in/", team_check_in, name="team_check_in"),
    path("deployments/<int:pk>/daily-status/", daily_status, name="daily_status"),
    path("deployments/<int:pk>/shifts/new/", shift_add, name="shift_add"),
    path("deployments/<int:pk>/extension/", extension, name="extension"),
    path("deployments/<int:pk>/roster/new/", roster_add, name="roster_add"),
    path("deployments/<int:pk>/roster.csv", roster_export, name="roster_export"),
    path("deployments/<int:pk>/costs/new/", cost_add, name="cost_add"),
    path("deployments/<int:pk>/costs.csv", cost_export, name="cost_export"),
    path("roster/<int:pk>/", roster_member, name="roster_member"),
    path("roster/<int:pk>/edit/", roster_update, name="roster_update"),
    path("roster/<int:pk>/remove/", roster_remove, name="roster_remove"),
    path("roster/<int:pk>/check-in/", check_in, name="check_in"),
    path("costs/<int:pk>/", cost_detail, name="cost"),
    path("costs/<int:pk>/edit/", cost_update, name="cost_update"),
    path("accountability/", accountability_page, name="accountability"),
]
