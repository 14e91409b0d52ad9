"""Deployments in the API: the team, its crossing checklist and lifecycle, onboarding, roster
and check-ins, daily status, shifts with the 2:1 work/rest finding, costs, the extension, and
"who is where now". Every read goes through `restrict()`; every write through
`response.services.deployments`."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from core.api import Detail, Pagination, error_responses, get_visible
from core.related import with_links_released
from core.views import get_one
from response import accountability
from response.models import AidAgreement, DeploymentCost, PortOfEntry, RosterMember
from response.schemas.deployments import (
    AccountabilityCountOut,
    AccountabilityFilter,
    AccountabilityOut,
    CheckInIn,
    CheckInOut,
    ChecklistIn,
    ChecklistName,
    CostIn,
    CostOut,
    CostUpdate,
    DailyStatusIn,
    DailyStatusOut,
    DeploymentCreate,
    DeploymentDetailOut,
    DeploymentFilter,
    DeploymentOut,
    DeploymentTransitionIn,
    DeploymentUpdate,
    ExtensionIn,
    OnboardingIn,
    OnboardingItemIn,
    OnboardingItemOut,
    RosterMemberIn,
    RosterMemberOut,
    RosterMemberUpdate,
    ShiftIn,
    ShiftOut,
    TransitionName,
)
from response.selectors import deployments as selectors
from response.services import common
from response.services import deployments as services

router = Router()


# ---- Helpers --------------------------------------------------------------------------------

def _deployment(request, deployment_id):
    return get_one(selectors.deployments_for(request.user), deployment_id)


def _detail(request, deployment_id):
    deployment = _deployment(request, deployment_id)
    return Detail(
        deployment,
        crossing_warnings=services.crossing_warnings(deployment),
        checklist=services.crossing_checklist(deployment),
        checklist_complete=services.checklist_complete(deployment),
        onboarding=list(deployment.onboarding_items.select_related("done_by")),
        clock=services.assignment_clock(deployment),
        transitions=services.transitions_for(request.user, deployment))


def _port(key):
    if not key:
        return None
    port = PortOfEntry.objects.filter(key=key).first()
    if port is None:
        raise ValidationError({"port": _("Unknown port of entry %(key)s.") % {"key": key}})
    return port


def _members(user):
    return accountability.with_latest_check_in(
        RosterMember.objects.restrict(user).select_related("organization"))


def _member(request, roster_member_id):
    return get_one(_members(request.user), roster_member_id)


def _shift_out(shift, finding):
    return {"id": shift.pk, "started_at": shift.started_at, "ended_at": shift.ended_at,
            "note": shift.note, "recorded_by": shift.recorded_by.username,
            "work_hours": finding.work_hours, "rest_hours": finding.rest_hours,
            "required_rest_hours": finding.required_rest_hours,
            "short_rest": finding.short_rest, "long_shift": finding.long_shift}


def _costs(user):
    return DeploymentCost.objects.restrict(user)


# ---- Deployments ----------------------------------------------------------------------------

@router.get("/deployments", response={200: list[DeploymentOut], **error_responses(422)})
@paginate(Pagination)
def list_deployments(request, filters: Query[DeploymentFilter]):
    """Deployments you may see, newest first, filtered by incident, state, sending nation or
    transport. `incident` and `agreement` are null where not released to you."""
    user = request.user
    return with_links_released(user, selectors.deployments_for(user, **filters.dict()),
                               "agreement", "incident")


@router.post("/deployments", response={201: DeploymentDetailOut, **error_responses(403, 422)})
def create_deployment(request, payload: DeploymentCreate):
    """Send a team under an agreement in force: the assisting organization's nation only.
    Owned by the sending nation, released to the host nation (told of the planned crossing);
    starts mobilizing with the default onboarding items. `crossing_warnings` tells of a ground
    crossing outside its port's hours."""
    agreement = AidAgreement.objects.restrict(request.user).filter(pk=payload.agreement).first()
    if agreement is None:
        raise ValidationError({"agreement": _("Choose an agreement you may see.")})
    data = payload.dict(exclude={"agreement"})
    data["port"] = _port(data["port"])
    deployment = services.create_deployment(request.user, agreement, **data)
    return Status(201, _detail(request, deployment.pk))


@router.get("/deployments/{deployment_id}",
            response={200: DeploymentDetailOut, **error_responses(404, 422)})
def get_deployment(request, deployment_id: int):
    """The deployment with its crossing warnings and checklist, onboarding items, the 14-day
    clock and the transitions you may take (with the guard's refusal, if any)."""
    return _detail(request, deployment_id)


@router.patch("/deployments/{deployment_id}",
              response={200: DeploymentDetailOut, **error_responses(403, 404, 422)})
def update_deployment(request, deployment_id: int, payload: DeploymentUpdate):
    """Change the fields sent (the sending nation, until the team is home; the crossing plan
    until it arrives). A changed plan is notified to the host again."""
    deployment = _deployment(request, deployment_id)
    data = payload.dict(exclude_unset=True)
    if "port" in data:
        data["port"] = _port(data["port"])
    services.update_deployment(request.user, deployment, **data)
    return _detail(request, deployment_id)


@router.post("/deployments/{deployment_id}/transitions/{name}",
             response={200: DeploymentDetailOut, **error_responses(403, 404, 422)},
             summary="Move a deployment through its lifecycle")
def transition_deployment(request, deployment_id: int, name: TransitionName,
                          payload: DeploymentTransitionIn = None):
    """mobilizing → in_transit (a roster and the host notified) → arrived (the whole
    crossing checklist) → onboarding → assigned (every onboarding item done; starts the
    14-day clock) → demobilizing → returned → closed (no cost left not claimed). The sending
    nation moves its team; the host nation may record arrived and assigned. Guards answer 422
    with what is missing; `at` records when it happened."""
    deployment = _deployment(request, deployment_id)
    services.transition_deployment(request.user, deployment, name,
                                   at=payload.at if payload else None)
    return _detail(request, deployment_id)


@router.post("/deployments/{deployment_id}/checklist/{item}",
             response={200: DeploymentDetailOut, **error_responses(403, 404, 422)})
def record_checklist_item(request, deployment_id: int, item: ChecklistName,
                          payload: ChecklistIn = None):
    """Record (or with `done: false` undo) a crossing checklist item before arrival. The
    sending nation: host_notified, identity_documents, visas, credentials, customs_manifest;
    the host nation: designated_entry, host_cleared."""
    deployment = _deployment(request, deployment_id)
    payload = payload or ChecklistIn()
    services.record_checklist_item(request.user, deployment, item, done=payload.done,
                                   at=payload.at)
    return _detail(request, deployment_id)


@router.post("/deployments/{deployment_id}/onboarding",
             response={201: OnboardingItemOut, **error_responses(403, 404, 422)})
def add_onboarding_item(request, deployment_id: int, payload: OnboardingItemIn):
    """Add an onboarding item (either nation, until the team is assigned)."""
    deployment = _deployment(request, deployment_id)
    item = services.add_onboarding_item(request.user, deployment, payload.text_en,
                                        payload.text_es)
    return Status(201, item)


@router.post("/deployments/{deployment_id}/onboarding/{item_id}",
             response={200: OnboardingItemOut, **error_responses(403, 404, 422)})
def complete_onboarding_item(request, deployment_id: int, item_id: int,
                             payload: OnboardingIn = None):
    """Mark an onboarding item done (or with `done: false`, not done)."""
    deployment = _deployment(request, deployment_id)
    get_one(deployment.onboarding_items.all(), item_id)
    return services.complete_onboarding_item(request.user, deployment, item_id,
                                             done=payload.done if payload else True)


@router.post("/deployments/{deployment_id}/extension",
             response={200: DeploymentDetailOut, **error_responses(403, 404, 422)})
def approve_extension(request, deployment_id: int, payload: ExtensionIn):
    """The host nation extends the assignment by `days` in all (1 to 14), while assigned."""
    deployment = _deployment(request, deployment_id)
    services.approve_extension(request.user, deployment, payload.days)
    return _detail(request, deployment_id)


# ---- Roster and check-ins -------------------------------------------------------------------

@router.get("/deployments/{deployment_id}/roster",
            response={200: list[RosterMemberOut], **error_responses(404, 422)})
@paginate(Pagination)
def list_roster(request, deployment_id: int):
    """The people of the team you may see, with their latest check-in."""
    deployment = _deployment(request, deployment_id)
    return accountability.roster_for(request.user, deployment).prefetch_related("rel_to")


@router.post("/deployments/{deployment_id}/roster",
             response={201: RosterMemberOut, **error_responses(403, 404, 422)})
def add_roster_member(request, deployment_id: int, payload: RosterMemberIn):
    """Put a person of the sending nation's organizations on the team (the sending nation,
    until the team demobilizes); released like the deployment."""
    deployment = _deployment(request, deployment_id)
    data = payload.dict()
    data["organization"] = common.organization(data["organization"], "organization")
    member = services.add_roster_member(request.user, deployment, **data)
    return Status(201, _member(request, member.pk))


@router.get("/roster-members/{roster_member_id}",
            response={200: RosterMemberOut, **error_responses(404, 422)})
def get_roster_member(request, roster_member_id: int):
    return _member(request, roster_member_id)


@router.patch("/roster-members/{roster_member_id}",
              response={200: RosterMemberOut, **error_responses(403, 404, 422)})
def update_roster_member(request, roster_member_id: int, payload: RosterMemberUpdate):
    """Change the fields sent (the sending nation, until the team is home)."""
    member = _member(request, roster_member_id)
    data = payload.dict(exclude_unset=True)
    if "organization" in data:
        data["organization"] = common.organization(data["organization"] or "", "organization")
    services.update_roster_member(request.user, member, **data)
    return _member(request, roster_member_id)


@router.delete("/roster-members/{roster_member_id}",
               response={204: None, **error_responses(403, 404, 422)})
def remove_roster_member(request, roster_member_id: int):
    """Take a person off the roster (the sending nation, before the team arrives)."""
    services.remove_roster_member(request.user, _member(request, roster_member_id))
    return Status(204, None)


@router.get("/roster-members/{roster_member_id}/check-ins",
            response={200: list[CheckInOut], **error_responses(404, 422)})
@paginate(Pagination)
def list_check_ins(request, roster_member_id: int):
    """The person's check-ins, latest first."""
    return _member(request, roster_member_id).check_ins.select_related("recorded_by")


@router.post("/roster-members/{roster_member_id}/check-ins",
             response={201: CheckInOut, **error_responses(403, 404, 422)})
def check_in(request, roster_member_id: int, payload: CheckInIn):
    """An ICS-211 (SCI-211) check-in or status update (either nation, from departure until the
    team is home)."""
    member = _member(request, roster_member_id)
    return Status(201, services.check_in(request.user, member, **payload.dict()))


# ---- Daily status and shifts ----------------------------------------------------------------

@router.get("/deployments/{deployment_id}/daily-status",
            response={200: list[DailyStatusOut], **error_responses(404, 422)})
@paginate(Pagination)
def list_daily_status(request, deployment_id: int):
    return _deployment(request, deployment_id).daily_status.select_related("recorded_by")


@router.post("/deployments/{deployment_id}/daily-status",
             response={201: DailyStatusOut, **error_responses(403, 404, 422)})
def record_daily_status(request, deployment_id: int, payload: DailyStatusIn):
    """The day's status report (either nation, from arrival until demobilization); sending a
    day again replaces its report."""
    deployment = _deployment(request, deployment_id)
    return Status(201, services.record_daily_status(request.user, deployment,
                                                    **payload.dict()))


@router.get("/deployments/{deployment_id}/shifts",
            response={200: list[ShiftOut], **error_responses(404, 422)})
@paginate(Pagination)
def list_shifts(request, deployment_id: int):
    """Shifts in order of start, each with its 2:1 work/rest finding."""
    deployment = _deployment(request, deployment_id)
    return [_shift_out(s, f) for s, f in services.shifts_with_findings(deployment)]


@router.post("/deployments/{deployment_id}/shifts",
             response={201: ShiftOut, **error_responses(403, 404, 422)})
def record_shift(request, deployment_id: int, payload: ShiftIn):
    """A shift worked on assignment (either nation), answered with its work/rest finding."""
    deployment = _deployment(request, deployment_id)
    finding = services.record_shift(request.user, deployment, **payload.dict())
    shift = deployment.shifts.select_related("recorded_by").get(started_at=finding.started_at)
    return Status(201, _shift_out(shift, finding))


# ---- Costs ----------------------------------------------------------------------------------

@router.get("/deployments/{deployment_id}/costs",
            response={200: list[CostOut], **error_responses(404, 422)})
@paginate(Pagination)
def list_costs(request, deployment_id: int):
    deployment = _deployment(request, deployment_id)
    return _costs(request.user).filter(deployment=deployment)


@router.post("/deployments/{deployment_id}/costs",
             response={201: CostOut, **error_responses(403, 404, 422)})
def add_cost(request, deployment_id: int, payload: CostIn):
    """An actual cost (the sending nation), released like the deployment."""
    deployment = _deployment(request, deployment_id)
    cost = services.add_cost(request.user, deployment, **payload.dict())
    return Status(201, get_visible(DeploymentCost.objects, request.user, cost.pk))


@router.get("/deployment-costs/{deployment_cost_id}",
            response={200: CostOut, **error_responses(404, 422)})
def get_cost(request, deployment_cost_id: int):
    return get_visible(DeploymentCost.objects, request.user, deployment_cost_id)


@router.patch("/deployment-costs/{deployment_cost_id}",
              response={200: CostOut, **error_responses(403, 404, 422)})
def update_cost(request, deployment_cost_id: int, payload: CostUpdate):
    """Change the fields sent, the reimbursement status among them (the sending nation, until
    the deployment closes)."""
    cost = get_one(_costs(request.user).select_related("deployment"), deployment_cost_id)
    services.update_cost(request.user, cost, **payload.dict(exclude_unset=True))
    return get_visible(DeploymentCost.objects, request.user, deployment_cost_id)


# ---- Who is where now -----------------------------------------------------------------------

@router.get("/accountability", response={200: list[AccountabilityOut], **error_responses(422)})
@paginate(Pagination)
def who_is_where(request, filters: Query[AccountabilityFilter]):
    """Everyone on a team not yet home (returned or closed) that you may see, with their
    latest check-in; filtered by incident, deployment or sending nation."""
    return accountability.who_is_where(request.user, **filters.dict()).prefetch_related(
        "rel_to")


@router.get("/accountability/counts",
            response={200: list[AccountabilityCountOut], **error_responses(422)})
def who_is_where_counts(request, filters: Query[AccountabilityFilter]):
    """How many people per sending nation and latest status, with the same filters."""
    table = accountability.counts(accountability.who_is_where(request.user, **filters.dict()))
    return [{"nation": nation, "status": status, "count": n}
            for nation, by_status in sorted(table.items())
            for status, n in sorted(by_status.items(), key=lambda kv: kv[0] or "")]
