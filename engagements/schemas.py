from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from core.bounds import LONG_TEXT, MAX_PEOPLE, REPORT_TEXT
from core.schemas import Day, MarkingIn, MarkingOut, TransitionOptionOut
from engagements.fiscal import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR
from engagements.models import BudgetLine, Engagement, Participation, Person
from personnel.models import DutyStatus

# ---- Engagements, budget lines, people, participants ----------------------------------------

EngagementTypeCode = Literal[tuple(Engagement.Type.values)]
DirectionCode = Literal[tuple(Engagement.Direction.values)]
EngagementStateCode = Literal[tuple(Engagement.State.values)]
BudgetStateCode = Literal[tuple(BudgetLine.State.values)]
PersonRoleCode = Literal[tuple(Person.Role.values)]
GenderCode = Literal[tuple(Person.Gender.values)]
VettingCode = Literal[tuple(Participation.Vetting.values)]
VisaCode = Literal[tuple(Participation.Visa.values)]
ClearanceCode = Literal[tuple(Participation.Clearance.values)]
BriefingCode = Literal[tuple(Participation.BriefingDisclosure.values)]
DutyStatusCode = Literal[tuple(["", *DutyStatus.values])]
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


def _marking(obj):
    return MarkingOut.of(obj)


class EngagementFilter(Schema):
    partnership: int | None = Field(None, ge=1, le=2**63 - 1, description="Partnership id")
    fiscal_year: int | None = Field(None, ge=FIRST_FISCAL_YEAR, le=LAST_FISCAL_YEAR,
                                    examples=[2026])
    quarter: int | None = Field(None, ge=1, le=4, description="Fiscal quarter; Q1 is "
                                                              "October–December")
    state: EngagementStateCode | None = None
    type: EngagementTypeCode | None = None
    q: str | None = Field(None, max_length=100,
                          description="Part of the title, location or tracking reference")


class EngagementOut(Schema):
    id: int
    partnership: int = Field(..., description="Partnership id")
    title: str = Field(..., description="In your language")
    title_en: str
    title_es: str
    type: EngagementTypeCode
    external_type_name: str
    direction: DirectionCode
    location: str
    start_date: date
    end_date: date
    fiscal_year: int = Field(..., description="US federal fiscal year of the start (FY N runs "
                                              "1 October N-1 to 30 September N)")
    fiscal_quarter: int
    objectives: list[int] = Field(..., description="Objectives (ids) you may see")
    legal_basis: str
    partner_non_military: bool
    lead: str | None = Field(..., description="Username of the lead")
    state: EngagementStateCode
    tracking_reference: str
    recorded_complete_at: datetime | None
    marking: MarkingOut

    @staticmethod
    def resolve_partnership(obj):
        return obj.partnership_id

    @staticmethod
    def resolve_objectives(obj):
        return [o.pk for o in obj.objectives.all()]

    @staticmethod
    def resolve_lead(obj):
        return obj.lead.username if obj.lead_id else None

    resolve_marking = staticmethod(_marking)


class GateOut(Schema):
    gate: Literal["vetting", "visa", "country_clearance", "duty_status", "briefing_disclosure"]
    label: str
    value: str
    ok: bool


class ParticipationOut(Schema):
    id: int
    engagement: int
    person: int
    person_name: str
    person_nation: str
    vetting: VettingCode
    vetting_reference: str
    vetting_updated_on: date | None
    visa: VisaCode
    visa_updated_on: date | None
    country_clearance: ClearanceCode
    clearance_submitted_on: date | None
    duty_status: str = Field(..., description="Recorded duty status (for Guard members "
                                              "without a personnel record)")
    briefing_disclosure: BriefingCode
    marking: MarkingOut

    @staticmethod
    def resolve_engagement(obj):
        return obj.engagement_id

    @staticmethod
    def resolve_person(obj):
        return obj.person_id

    @staticmethod
    def resolve_person_name(obj):
        return str(obj.person)

    @staticmethod
    def resolve_person_nation(obj):
        return obj.person.nation.code

    resolve_marking = staticmethod(_marking)


class ParticipantOut(ParticipationOut):
    gates: list[GateOut] = Field(..., description="The gates that apply, each green or not")


class FindingOut(Schema):
    gate: str
    message: str
    participation: int | None
    person: int | None


class ReadinessOut(Schema):
    ready: bool = Field(..., description="Nothing blocks \"ready\"")
    blockers: list[FindingOut]
    warnings: list[FindingOut]
    not_shown: int = Field(..., description="Findings about participants not releasable to you")


class BudgetLineOut(Schema):
    id: int
    engagement: int
    description: str
    amount: Decimal
    currency: str
    fund_source: str
    state: BudgetStateCode
    marking: MarkingOut

    @staticmethod
    def resolve_engagement(obj):
        return obj.engagement_id

    resolve_marking = staticmethod(_marking)


class EngagementDetailOut(EngagementOut):
    participants: list[ParticipantOut] = Field(..., description="Participants you may see")
    participants_not_shown: int
    budget_lines: list[BudgetLineOut] = Field(..., description="Budget lines you may see")
    readiness: ReadinessOut
    transitions: list[TransitionOptionOut] = Field(
        ..., description="The transitions you may take from the current state")


class EngagementUpdate(Schema):
    """Only the fields sent change; the state changes through transitions."""

    partnership: int = Field(None, ge=1, le=2**63 - 1)
    title_en: str = Field(None, min_length=1, max_length=200)
    title_es: str = Field(None, min_length=1, max_length=200)
    type: EngagementTypeCode = None
    external_type_name: str = Field(None, max_length=100)
    direction: DirectionCode = None
    location: str = Field(None, min_length=1, max_length=200)
    start_date: Day = None
    end_date: Day = None
    objectives: list[Id] = Field(None, max_length=100)
    legal_basis: str = Field(None, max_length=100)
    partner_non_military: bool = None
    lead: str | None = Field(None, max_length=150, description="Username of the lead")
    tracking_reference: str = Field(None, max_length=64)


class EngagementCreate(EngagementUpdate):
    partnership: int = Field(..., ge=1, le=2**63 - 1)
    title_en: str = Field(..., min_length=1, max_length=200)
    title_es: str = Field(..., min_length=1, max_length=200)
    type: EngagementTypeCode
    direction: DirectionCode
    location: str = Field(..., min_length=1, max_length=200)
    start_date: Day
    end_date: Day
    marking: MarkingIn = Field(default_factory=MarkingIn)


class EngagementTransitionIn(Schema):
    tracking_reference: str | None = Field(
        None, max_length=64, description="For recorded_complete: the tracking system reference")
    start_date: Day | None = Field(None, description="For deferred or postponed: the new start")
    end_date: Day | None = Field(None, description="For deferred or postponed: the new end")


class BudgetLineUpdate(Schema):
    description: str = Field(None, min_length=1, max_length=200)
    amount: Decimal = Field(None, ge=0, max_digits=12, decimal_places=2)
    currency: str = Field(None, min_length=3, max_length=3, examples=["USD"])
    fund_source: str = Field(None, min_length=1, max_length=100)
    state: BudgetStateCode = None


class BudgetLineCreate(BudgetLineUpdate):
    description: str = Field(..., min_length=1, max_length=200)
    amount: Decimal = Field(..., ge=0, max_digits=12, decimal_places=2)
    fund_source: str = Field(..., min_length=1, max_length=100)
    marking: MarkingIn = Field(default_factory=MarkingIn)


class PersonFilter(Schema):
    nation: str | None = Field(None, min_length=3, max_length=3, examples=["MEX"])
    q: str | None = Field(None, max_length=100)


class PersonOut(Schema):
    id: int
    full_name: str
    nation: str
    organization: str | None = Field(..., description="Acronym")
    grade: str
    role: PersonRoleCode
    gender: GenderCode
    languages: str
    security_force: bool
    guard_member: int | None = Field(..., description="Personnel record id (owning nation "
                                                      "only; null otherwise)")
    marking: MarkingOut

    @staticmethod
    def resolve_nation(obj):
        return obj.nation.code

    @staticmethod
    def resolve_organization(obj):
        return obj.organization.acronym if obj.organization_id else None

    @staticmethod
    def resolve_guard_member(obj, context):
        user = context["request"].user
        return obj.guard_member_id if obj.owner_nation_id == user.nation_id else None

    resolve_marking = staticmethod(_marking)


class PersonUpdate(Schema):
    full_name: str = Field(None, min_length=1, max_length=200)
    nation: str = Field(None, min_length=3, max_length=3, examples=["MEX"])
    organization: str | None = Field(None, max_length=32, description="Acronym")
    grade: str = Field(None, max_length=50)
    role: PersonRoleCode = None
    gender: GenderCode = None
    languages: str = Field(None, max_length=64, examples=["es,en"])
    security_force: bool = None
    guard_member: int | None = Field(None, ge=1, le=2**63 - 1,
                                     description="Personnel record id of a Guard member")


class PersonCreate(PersonUpdate):
    full_name: str = Field(..., min_length=1, max_length=200)
    nation: str = Field(..., min_length=3, max_length=3, examples=["MEX"])
    role: PersonRoleCode
    engagement: int | None = Field(
        None, ge=1, le=2**63 - 1,
        description="Registering a participant for another nation's engagement: the person is "
                    "released to that nation")
    marking: MarkingIn = Field(default_factory=MarkingIn)


class GatesIn(Schema):
    vetting: VettingCode = None
    vetting_reference: str = Field(None, max_length=64)
    vetting_updated_on: Day | None = None
    visa: VisaCode = None
    visa_updated_on: Day | None = None
    country_clearance: ClearanceCode = None
    clearance_submitted_on: Day | None = None
    duty_status: DutyStatusCode = None
    briefing_disclosure: BriefingCode = None


class ParticipationCreate(GatesIn):
    person: int = Field(..., ge=1, le=2**63 - 1, description="Person id")



# ---- After-action reports, dashboards -------------------------------------------------------

class AttendanceIn(Schema):
    nation: str = Field(..., min_length=3, max_length=3, examples=["MEX"])
    organization: str | None = Field(None, max_length=32,
                                     description="Acronym of an organization of that nation",
                                     examples=["DEFENSA"])
    grade: str = Field("", max_length=50)
    gender: Literal["female", "male", "undisclosed"] = "undisclosed"
    count: int = Field(..., ge=1, le=MAX_PEOPLE)


class AttendanceOut(Schema):
    id: int
    nation: str
    organization: str | None
    grade: str
    gender: str
    count: int
    marking: MarkingOut

    @staticmethod
    def resolve_nation(obj):
        return obj.nation.code

    @staticmethod
    def resolve_organization(obj):
        return obj.organization.acronym if obj.organization else None

    @staticmethod
    def resolve_marking(obj):
        return MarkingOut.of(obj)


class ObservationIn(Schema):
    kind: Literal["sustain", "improve"]
    topic: str = Field(..., min_length=1, max_length=100)
    text_en: str = Field("", max_length=10000)
    text_es: str = Field("", max_length=10000)


class ObservationOut(Schema):
    id: int
    kind: str
    topic: str
    text_en: str
    text_es: str
    marking: MarkingOut

    @staticmethod
    def resolve_marking(obj):
        return MarkingOut.of(obj)


EngagementType = Literal["sme_exchange", "familiarization", "traveling_contact_team",
                         "exercise", "planning_initial", "planning_mid", "planning_final",
                         "key_leader", "workshop", "real_world_support"]


class ProposalIn(Schema):
    title_en: str = Field(..., min_length=1, max_length=200)
    title_es: str = Field(..., min_length=1, max_length=200)
    type: EngagementType
    notes: str = Field("", max_length=10000)


class ProposalOut(Schema):
    id: int
    title_en: str
    title_es: str
    type: str
    notes: str
    engagement_id: int | None = Field(None, description="The engagement concept made from it")
    marking: MarkingOut

    @staticmethod
    def resolve_marking(obj):
        return MarkingOut.of(obj)


class FollowOnIn(Schema):
    """Dates for the new concept; without them it sits on the first day of the next fiscal
    year for its planner to date."""

    start_date: Day | None = None
    end_date: Day | None = None


class EngagementRefOut(Schema):
    id: int
    title_en: str
    title_es: str
    type: str
    state: str
    start_date: date
    end_date: date
    url: str

    @staticmethod
    def resolve_url(obj):
        return obj.get_absolute_url()


class IndicatorValueIn(Schema):
    indicator_id: int = Field(..., ge=1, le=2**63 - 1)
    value: Decimal | None = Field(..., max_digits=14, decimal_places=2,
                                  description="null clears the value")


class IndicatorValueOut(Schema):
    indicator_id: int
    name: str
    unit: str
    value: Decimal | None


class AARUpdate(Schema):
    """Only the fields sent change; the report must still be a draft (or returned)."""

    summary_en: str = Field(None, max_length=REPORT_TEXT)
    summary_es: str = Field(None, max_length=REPORT_TEXT)
    partner_feedback_en: str = Field(None, max_length=REPORT_TEXT)
    partner_feedback_es: str = Field(None, max_length=REPORT_TEXT)
    actual_cost: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    currency: str = Field(None, min_length=3, max_length=3, pattern="^[A-Za-z]{3}$",
                          examples=["USD"])
    indicator_values: list[IndicatorValueIn] = Field(None, max_length=200)


class AAROut(Schema):
    id: int
    engagement_id: int
    state: str
    summary_en: str
    summary_es: str
    partner_feedback_en: str
    partner_feedback_es: str
    actual_cost: Decimal | None
    currency: str
    due_date: date
    submitted_at: datetime | None
    approved_at: datetime | None
    return_reason: str
    indicator_values: list[IndicatorValueOut]
    transitions: list[str] = Field(..., description="The steps you may take now")
    marking: MarkingOut


class AARTransitionIn(Schema):
    reason: str = Field("", max_length=LONG_TEXT, description="Why it is returned (for return)")


class NotRecordedOut(Schema):
    engagement_id: int
    title_en: str
    title_es: str
    state: str
    end_date: date
    days_since_end: int
    lead: str | None
    aar_state: str
    due_date: date
    overdue: bool


class ShareOut(Schema):
    counted: int = Field(..., description="Engagements whose window closed or that were "
                                          "recorded on time")
    on_time: int = Field(..., description="Recorded complete within the window")
    open: int = Field(..., description="Ended, not recorded, window still open")
    percent: int | None


class FiscalYearSharesOut(Schema):
    fiscal_year: int
    q1: ShareOut
    q2: ShareOut
    q3: ShareOut
    q4: ShareOut
    total: ShareOut


class DashboardOut(Schema):
    window_days: int
    not_recorded_count: int
    not_recorded: list[NotRecordedOut]
    recorded_within: list[FiscalYearSharesOut]


class DashboardQuery(Schema):
    partnership: int | None = Field(None, ge=1, le=2**63 - 1)
    fiscal_year: int | None = Field(None, ge=FIRST_FISCAL_YEAR, le=LAST_FISCAL_YEAR)


class ExportQuery(Schema):
    format: Literal["csv", "xlsx"] = "csv"
    fiscal_year: int | None = Field(None, ge=FIRST_FISCAL_YEAR, le=LAST_FISCAL_YEAR)
    quarter: int | None = Field(None, ge=1, le=4)
    state: Literal["concept", "nominated", "approved", "funded", "preparing", "ready",
                   "in_execution", "executed", "aar_submitted", "recorded_complete", "closed",
                   "deferred", "postponed", "cancelled"] | None = None
    partnership: int | None = Field(None, ge=1, le=2**63 - 1)
    type: EngagementType | None = None
    q: str | None = Field(None, max_length=100, description="Text in the title, location or "
                                                           "tracking reference")


class AttendanceSetIn(Schema):
    rows: list[AttendanceIn] = Field(..., max_length=200,
                                     description="The whole attendance table; replaces it")


class AARListOut(Schema):
    id: int
    engagement_id: int
    engagement_title_en: str
    engagement_title_es: str
    state: str
    due_date: date
    submitted_at: datetime | None
    marking: MarkingOut

    @staticmethod
    def resolve_engagement_title_en(obj):
        return obj.engagement.title_en

    @staticmethod
    def resolve_engagement_title_es(obj):
        return obj.engagement.title_es

    @staticmethod
    def resolve_marking(obj):
        return MarkingOut.of(obj)


class AARFilter(Schema):
    state: Literal["not_started", "draft", "submitted", "returned", "approved", "recorded",
                   "published"] | None = None
    partnership: int | None = Field(None, ge=1, le=2**63 - 1)
    fiscal_year: int | None = Field(None, ge=FIRST_FISCAL_YEAR, le=LAST_FISCAL_YEAR)
