"""Deployments in the API: the team, its crossing checklist and lifecycle, onboarding, roster
and check-ins, daily status, shifts with the 2:1 work/rest finding, costs, the extension, and
"who is where now". Every read goes through `restrict()`; every write through
`response.services.deployments`."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from accounts.models import Organization
from core.api import Pagination, error_responses, get_visible
from core.schemas import MarkingOut
from core.views import get_one
from response import accountability
from response.models import (
    AidAgreement,
    CheckIn,
    Deployment,
    DeploymentCost,
    PortOfEntry,
    RosterMember,
)
from response.services import deployments as services

router = Router()

StateCode = Literal[tuple(Deployment.State.values)]
TransportCode = Literal[tuple(Deployment.Transport.values)]
TransitionName = Literal[tuple(str(name) for name in services.TRANSITIONS)]
ChecklistName = Literal[services.CHECKLIST_ITEMS]
CheckInStatus = Literal[tuple(CheckIn.Status.values)]
CategoryCode = Literal[tuple(DeploymentCost.Category.values)]
ReimbursementCode = Literal[tuple(DeploymentCost.Reimbursement.values)]


# ---- Schemas --------------------------------------------------------------------------------

class DeploymentFilter(Schema):
    incident: int | None = Field(None, ge=1, le=2**63 - 1, description="Incident id")
    state: StateCode | None = None
    nation: str | None = Field(None, max_length=3, description="Sending nation (ISO alpha-3)",
                               examples=["MEX"])
    transport: TransportCode | None = None


class DeploymentOut(Schema):
    id: int
    name: str
    state: StateCode
    agreement: int
    incident: int
    sending_organization: str = Field(..., description="Acronym")
    sending_nation: str
    host_nation: str
    transport: TransportCode
    port: str | None = Field(..., description="Port of entry key (ground)")
    port_name: str | None
    arrival_airport: str
    planned_crossing_at: datetime | None
    reception_site: str
    carries_equipment: bool
    assignment_division: str
    assignment_crew: str
    supervisor: str
    departed_at: datetime | None
    arrived_at: datetime | None
    assigned_at: datetime | None
    demobilized_at: datetime | None
    returned_at: datetime | None
    extension_days: int
    marking: MarkingOut

    @staticmethod
    def resolve_agreement(obj):
        return obj.agreement_id

    @staticmethod
    def resolve_incident(obj):
        return obj.incident_id

    @staticmethod
    def resolve_sending_organization(obj):
        return obj.sending_organization.acronym

    @staticmethod
    def resolve_sending_nation(obj):
        return obj.owner_nation.code

    @staticmethod
    def resolve_host_nation(obj):
        return obj.host_nation.code

    @staticmethod
    def resolve_port(obj):
        return obj.port.key if obj.port_id else None

    @staticmethod
    def resolve_port_name(obj):
        return obj.port.name if obj.port_id else None

    @staticmethod
    def resolve_marking(obj):
        return MarkingOut.of(obj)


class ChecklistItemOut(Schema):
    name: ChecklistName
    label: str
    recorded_by: Literal["sending", "host"] = Field(..., description="Which nation records it")
    required: bool
    done_at: datetime | None


class OnboardingItemOut(Schema):
    id: int
    text: str = Field(..., description="In your language")
    text_en: str
    text_es: str
    done_at: datetime | None
    done_by: str | None

    @staticmethod
    def resolve_done_by(obj):
        return obj.done_by.username if obj.done_by_id else None


class ClockOut(Schema):
    day: int = Field(..., description="Day on assignment (1 from the moment of assignment)")
    limit: int = Field(..., description="14 plus the approved extension")
    status: Literal["ok", "warning", "limit", "over"]
    days_left: int


class TransitionOut(Schema):
    name: TransitionName
    label: str
    allowed: bool
    refusal: str


class DeploymentDetailOut(DeploymentOut):
    crossing_warnings: list[str]
    checklist: list[ChecklistItemOut]
    checklist_complete: bool
    onboarding: list[OnboardingItemOut]
    clock: ClockOut | None
    transitions: list[TransitionOut]


class DeploymentCreate(Schema):
    agreement: int = Field(..., ge=1, le=2**63 - 1, description="An agreement in force")
    name: str = Field(..., max_length=200)
    transport: TransportCode
    port: str | None = Field(None, max_length=16, description="Port of entry key (ground)",
                             examples=["2506-C"])
    arrival_airport: str = Field("", max_length=200, description="Airport or base (air)")
    planned_crossing_at: datetime | None = None
    reception_site: str = Field("", max_length=200)
    carries_equipment: bool = False
    departed_at: datetime | None = None


class DeploymentUpdate(Schema):
    name: str | None = Field(None, max_length=200)
    transport: TransportCode | None = None
    port: str | None = Field(None, max_length=16)
    arrival_airport: str | None = Field(None, max_length=200)
    planned_crossing_at: datetime | None = None
    reception_site: str | None = Field(None, max_length=200)
    carries_equipment: bool | None = None
    departed_at: datetime | None = None
    assignment_division: str | None = Field(None, max_length=100)
    assignment_crew: str | None = Field(None, max_length=100)
    supervisor: str | None = Field(None, max_length=200)


class TransitionIn(Schema):
    at: datetime | None = Field(None, description="When it happened (default now)")


class ChecklistIn(Schema):
    done: bool = True
    at: datetime | None = Field(None, description="When it was done (default now)")


class OnboardingIn(Schema):
    done: bool = True


class OnboardingItemIn(Schema):
    text_en: str = Field("", max_length=200)
    text_es: str = Field("", max_length=200)


class RosterMemberOut(Schema):
    id: int
    deployment: int
    full_name: str
    organization: str = Field(..., description="Acronym")
    position: str
    credentials: str
    languages: str
    agency_id: str
    last_status: CheckInStatus | None = Field(..., description="Latest check-in")
    last_location: str | None
    last_at: datetime | None
    marking: MarkingOut

    @staticmethod
    def resolve_deployment(obj):
        return obj.deployment_id

    @staticmethod
    def resolve_organization(obj):
        return obj.organization.acronym

    @staticmethod
    def resolve_marking(obj):
        return MarkingOut.of(obj)


class RosterMemberIn(Schema):
    full_name: str = Field(..., max_length=200)
    organization: str = Field(..., max_length=32, description="Acronym, of the sending nation")
    position: str = Field("", max_length=100)
    credentials: str = Field("", max_length=5000)
    languages: str = Field("", max_length=64, examples=["es,en"])
    agency_id: str = Field("", max_length=64)


class RosterMemberUpdate(Schema):
    full_name: str | None = Field(None, max_length=200)
    organization: str | None = Field(None, max_length=32)
    position: str | None = Field(None, max_length=100)
    credentials: str | None = Field(None, max_length=5000)
    languages: str | None = Field(None, max_length=64)
    agency_id: str | None = Field(None, max_length=64)


class CheckInIn(Schema):
    status: CheckInStatus
    location: str = Field(..., max_length=200)
    at: datetime | None = Field(None, description="Default now")
    note: str = Field("", max_length=500)


class CheckInOut(Schema):
    id: int
    member: int
    status: CheckInStatus
    location: str
    at: datetime
    note: str
    recorded_by: str

    @staticmethod
    def resolve_member(obj):
        return obj.member_id

    @staticmethod
    def resolve_recorded_by(obj):
        return obj.recorded_by.username


class DailyStatusIn(Schema):
    day: date
    summary_en: str = Field("", max_length=5000)
    summary_es: str = Field("", max_length=5000)
    personnel_on_duty: int = Field(0, ge=0, le=100000)
    injuries: int = Field(0, ge=0, le=100000)


class DailyStatusOut(Schema):
    id: int
    deployment: int
    day: date
    summary_en: str
    summary_es: str
    personnel_on_duty: int
    injuries: int
    recorded_by: str

    @staticmethod
    def resolve_deployment(obj):
        return obj.deployment_id

    @staticmethod
    def resolve_recorded_by(obj):
        return obj.recorded_by.username


class ShiftIn(Schema):
    started_at: datetime
    ended_at: datetime
    note: str = Field("", max_length=500)


class ShiftOut(Schema):
    id: int
    started_at: datetime
    ended_at: datetime
    note: str
    recorded_by: str
    work_hours: float
    rest_hours: float | None = Field(..., description="Since the shift before")
    required_rest_hours: float | None = Field(..., description="Half the shift before (2:1)")
    short_rest: bool
    long_shift: bool = Field(..., description="Over 16 hours")


class CostIn(Schema):
    category: CategoryCode
    description: str = Field(..., max_length=200)
    amount: Decimal = Field(..., ge=0, max_digits=12, decimal_places=2)
    currency: str = Field("USD", max_length=3)
    reimbursement: ReimbursementCode | None = Field(
        None, description="Default: donated when the offer was donated, else not_claimed")


class CostUpdate(Schema):
    category: CategoryCode | None = None
    description: str | None = Field(None, max_length=200)
    amount: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    currency: str | None = Field(None, max_length=3)
    reimbursement: ReimbursementCode | None = None


class CostOut(Schema):
    id: int
    deployment: int
    category: CategoryCode
    description: str
    amount: Decimal
    currency: str
    reimbursement: ReimbursementCode
    marking: MarkingOut

    @staticmethod
    def resolve_deployment(obj):
        return obj.deployment_id

    @staticmethod
    def resolve_marking(obj):
        return MarkingOut.of(obj)


class ExtensionIn(Schema):
    days: int = Field(..., ge=1, le=14, description="The whole extension, in days")


class AccountabilityFilter(Schema):
    incident: int | None = Field(None, ge=1, le=2**63 - 1)
    deployment: int | None = Field(None, ge=1, le=2**63 - 1)
    nation: str | None = Field(None, max_length=3, description="Sending nation")


class AccountabilityOut(RosterMemberOut):
    deployment_name: str
    deployment_state: StateCode
    nation: str = Field(..., description="Sending nation")

    @staticmethod
    def resolve_deployment_name(obj):
        return obj.deployment.name

    @staticmethod
    def resolve_deployment_state(obj):
        return obj.deployment.state

    @staticmethod
    def resolve_nation(obj):
        return obj.deployment.owner_nation.code


class AccountabilityCountOut(Schema):
    nation: str
    status: CheckInStatus | None = Field(..., description="Latest status; null: no check-in")
    count: int


# ---- Helpers --------------------------------------------------------------------------------

def _deployments(user, action="view"):
    return Deployment.objects.restrict(user, action).select_related(
        "sending_organization", "host_nation", "port")


def _deployment(request, deployment_id):
    return get_one(_deployments(request.user), deployment_id)


def _detail(request, deployment_id):
    deployment = _deployment(request, deployment_id)
    clock = services.assignment_clock(deployment)
    deployment.crossing_warnings = services.crossing_warnings(deployment)
    deployment.checklist = [
        {"name": i.name, "label": i.label, "recorded_by": i.side, "required": i.required,
         "done_at": i.done_at} for i in services.crossing_checklist(deployment)]
    deployment.checklist_complete = services.checklist_complete(deployment)
    deployment.onboarding = list(deployment.onboarding_items.select_related("done_by"))
    deployment.clock = None if clock is None else {
        "day": clock.day, "limit": clock.limit, "status": clock.status,
        "days_left": clock.days_left}
    deployment.transitions = [
        {"name": o.name, "label": o.label, "allowed": o.allowed, "refusal": o.refusal}
        for o in services.transitions_for(request.user, deployment)]
    return deployment


def _port(key):
    if not key:
        return None
    port = PortOfEntry.objects.filter(key=key).first()
    if port is None:
        raise ValidationError({"port": _("Unknown port of entry %(key)s.") % {"key": key}})
    return port


def _organization(acronym):
    found = Organization.objects.filter(acronym__iexact=acronym).first()
    if found is None:
        raise ValidationError({"organization": _("Unknown organization %(acronym)s.")
                               % {"acronym": acronym}})
    return found


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
    transport."""
    found = _deployments(request.user)
    if filters.incident:
        found = found.filter(incident_id=filters.incident)
    if filters.state:
        found = found.filter(state=filters.state)
    if filters.nation:
        found = found.filter(owner_nation__code=filters.nation.upper())
    if filters.transport:
        found = found.filter(transport=filters.transport)
    return found


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
                          payload: TransitionIn = None):
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
    data["organization"] = _organization(data["organization"])
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
        data["organization"] = _organization(data["organization"] or "")
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
    """Everyone on a team not yet closed that you may see, with their latest check-in;
    filtered by incident, deployment or sending nation."""
    data = filters.dict()
    if data["nation"]:
        data["nation"] = data["nation"].upper()
    return accountability.who_is_where(request.user, **data).prefetch_related("rel_to")


@router.get("/accountability/counts",
            response={200: list[AccountabilityCountOut], **error_responses(422)})
def who_is_where_counts(request, filters: Query[AccountabilityFilter]):
    """How many people per sending nation and latest status, with the same filters."""
    data = filters.dict()
    if data["nation"]:
        data["nation"] = data["nation"].upper()
    table = accountability.counts(accountability.who_is_where(request.user, **data))
    return [{"nation": nation, "status": status, "count": n}
            for nation, by_status in sorted(table.items())
            for status, n in sorted(by_status.items(), key=lambda kv: kv[0] or "")]
