"""API schemas of deployments: the team, its crossing checklist and lifecycle, onboarding,
roster and check-ins, daily status, shifts with their work/rest finding, costs, the extension,
and "who is where now"."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from ninja import Field, Schema

from core.bounds import LONG_TEXT, MAX_PEOPLE
from core.related import shown_id
from core.schemas import MarkingOut, Moment, TransitionOptionOut
from response.models import CheckIn, Deployment, DeploymentCost
from response.schemas.common import Id, attribute
from response.services import deployments as services

StateCode = Literal[tuple(Deployment.State.values)]
TransportCode = Literal[tuple(Deployment.Transport.values)]
TransitionName = Literal[tuple(str(name) for name in services.LIFECYCLE.names)]
ChecklistName = Literal[services.CHECKLIST_ITEMS]
CheckInStatus = Literal[tuple(CheckIn.Status.values)]
CategoryCode = Literal[tuple(DeploymentCost.Category.values)]
ReimbursementCode = Literal[tuple(DeploymentCost.Reimbursement.values)]


class DeploymentFilter(Schema):
    incident: Id | None = Field(None, description="Incident id")
    state: StateCode | None = None
    nation: str | None = Field(None, max_length=3, description="Sending nation (ISO alpha-3)",
                               examples=["MEX"])
    transport: TransportCode | None = None


class DeploymentOut(Schema):
    id: int
    name: str
    state: StateCode
    agreement: int | None = Field(..., description="null: an agreement not released to you")
    incident: int | None = Field(..., description="null: an incident not released to you")
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
    def resolve_agreement(obj, context):
        return shown_id(context["request"].user, obj, "agreement")

    @staticmethod
    def resolve_incident(obj, context):
        return shown_id(context["request"].user, obj, "incident")

    resolve_sending_organization = attribute("sending_organization.acronym")
    resolve_sending_nation = attribute("owner_nation.code")
    resolve_host_nation = attribute("host_nation.code")
    resolve_port = attribute("port.key")
    resolve_port_name = attribute("port.name")
    resolve_marking = staticmethod(MarkingOut.of)


class ChecklistItemOut(Schema):
    name: ChecklistName
    label: str
    recorded_by: Literal["sending", "host"] = Field(..., description="Which nation records it")
    required: bool
    done_at: datetime | None

    resolve_recorded_by = attribute("side")


class OnboardingItemOut(Schema):
    id: int
    text: str = Field(..., description="In your language")
    text_en: str
    text_es: str
    done_at: datetime | None
    done_by: str | None

    resolve_done_by = attribute("done_by.username")


class ClockOut(Schema):
    day: int = Field(..., description="Day on assignment (1 from the moment of assignment)")
    limit: int = Field(..., description="14 plus the approved extension")
    status: Literal["ok", "warning", "limit", "over"]
    days_left: int


class DeploymentDetailOut(DeploymentOut):
    crossing_warnings: list[str]
    checklist: list[ChecklistItemOut]
    checklist_complete: bool
    onboarding: list[OnboardingItemOut]
    clock: ClockOut | None
    transitions: list[TransitionOptionOut]


class DeploymentCreate(Schema):
    agreement: Id = Field(..., description="An agreement in force")
    name: str = Field(..., max_length=200)
    transport: TransportCode
    port: str | None = Field(None, max_length=16, description="Port of entry key (ground)",
                             examples=["2506-C"])
    arrival_airport: str = Field("", max_length=200, description="Airport or base (air)")
    planned_crossing_at: Moment | None = None
    reception_site: str = Field("", max_length=200)
    carries_equipment: bool = False
    departed_at: Moment | None = None


class DeploymentUpdate(Schema):
    name: str | None = Field(None, max_length=200)
    transport: TransportCode | None = None
    port: str | None = Field(None, max_length=16)
    arrival_airport: str | None = Field(None, max_length=200)
    planned_crossing_at: Moment | None = None
    reception_site: str | None = Field(None, max_length=200)
    carries_equipment: bool | None = None
    departed_at: Moment | None = None
    assignment_division: str | None = Field(None, max_length=100)
    assignment_crew: str | None = Field(None, max_length=100)
    supervisor: str | None = Field(None, max_length=200)


class DeploymentTransitionIn(Schema):
    at: Moment | None = Field(None, description="When it happened (default now)")


class ChecklistIn(Schema):
    done: bool = True
    at: Moment | None = Field(None, description="When it was done (default now)")


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

    resolve_deployment = attribute("deployment_id")
    resolve_organization = attribute("organization.acronym")
    resolve_marking = staticmethod(MarkingOut.of)


class RosterMemberIn(Schema):
    full_name: str = Field(..., max_length=200)
    organization: str = Field(..., max_length=32, description="Acronym, of the sending nation")
    position: str = Field("", max_length=100)
    credentials: str = Field("", max_length=LONG_TEXT)
    languages: str = Field("", max_length=64, examples=["es,en"])
    agency_id: str = Field("", max_length=64)


class RosterMemberUpdate(Schema):
    full_name: str | None = Field(None, max_length=200)
    organization: str | None = Field(None, max_length=32)
    position: str | None = Field(None, max_length=100)
    credentials: str | None = Field(None, max_length=LONG_TEXT)
    languages: str | None = Field(None, max_length=64)
    agency_id: str | None = Field(None, max_length=64)


class CheckInIn(Schema):
    status: CheckInStatus
    location: str = Field(..., max_length=200)
    at: Moment | None = Field(None, description="Default now")
    note: str = Field("", max_length=500)


class CheckInOut(Schema):
    id: int
    member: int
    status: CheckInStatus
    location: str
    at: datetime
    note: str
    recorded_by: str

    resolve_member = attribute("member_id")
    resolve_recorded_by = attribute("recorded_by.username")


class DailyStatusIn(Schema):
    day: date
    summary_en: str = Field("", max_length=LONG_TEXT)
    summary_es: str = Field("", max_length=LONG_TEXT)
    personnel_on_duty: int = Field(0, ge=0, le=MAX_PEOPLE)
    injuries: int = Field(0, ge=0, le=MAX_PEOPLE)


class DailyStatusOut(Schema):
    id: int
    deployment: int
    day: date
    summary_en: str
    summary_es: str
    personnel_on_duty: int
    injuries: int
    recorded_by: str

    resolve_deployment = attribute("deployment_id")
    resolve_recorded_by = attribute("recorded_by.username")


class ShiftIn(Schema):
    started_at: Moment
    ended_at: Moment
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

    resolve_deployment = attribute("deployment_id")
    resolve_marking = staticmethod(MarkingOut.of)


class ExtensionIn(Schema):
    days: int = Field(..., ge=1, le=14, description="The whole extension, in days")


class AccountabilityFilter(Schema):
    incident: Id | None = None
    deployment: Id | None = None
    nation: str | None = Field(None, max_length=3, description="Sending nation")


class AccountabilityOut(RosterMemberOut):
    deployment_name: str
    deployment_state: StateCode
    nation: str = Field(..., description="Sending nation")

    resolve_deployment_name = attribute("deployment.name")
    resolve_deployment_state = attribute("deployment.state")
    resolve_nation = attribute("deployment.owner_nation.code")


class AccountabilityCountOut(Schema):
    nation: str
    status: CheckInStatus | None = Field(..., description="Latest status; null: no check-in")
    count: int
