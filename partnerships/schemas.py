from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema

from core.schemas import Day, HistoryEntryOut, MarkingIn, MarkingOut
from partnerships.models import Agreement, Assessment, Indicator, Objective

__all__ = ["HistoryEntryOut", "MarkingIn", "PartnershipCreate", "PartnershipOut",
           "PartnershipUpdate"]


class PartnershipOut(Schema):
    id: int
    name_en: str
    name_es: str
    us_state: str
    partner_nation: str
    established: int | None
    combatant_command: str
    status: str
    description_en: str
    description_es: str
    marking: MarkingOut

    @staticmethod
    def resolve_partner_nation(obj):
        return obj.partner_nation.code

    @staticmethod
    def resolve_marking(obj):
        return MarkingOut.of(obj)


class PartnershipUpdate(Schema):
    """Only the fields sent are changed. A field may be left out but not sent as null, except
    the year established."""

    name_en: str = Field(None, min_length=1, max_length=200)
    name_es: str = Field(None, min_length=1, max_length=200)
    us_state: str = Field(None, min_length=2, max_length=2, examples=["CA"])
    partner_nation: str = Field(None, min_length=3, max_length=3, examples=["MEX"])
    established: int | None = Field(None, ge=1990, le=2100)
    combatant_command: str = Field(None, max_length=32)
    status: Literal["active", "suspended", "ended"] = None
    description_en: str = Field(None, max_length=10000)
    description_es: str = Field(None, max_length=10000)


class PartnershipCreate(PartnershipUpdate):
    name_en: str = Field(..., min_length=1, max_length=200)
    name_es: str = Field(..., min_length=1, max_length=200)
    partner_nation: str = Field(..., min_length=3, max_length=3, examples=["MEX"])
    marking: MarkingIn = Field(default_factory=MarkingIn)


# The partnership program ---------------------------------------------------------------------
# Choices stay in one place, the models: Literal[("a", "b")] is Literal["a", "b"].
AgreementKind = Literal[tuple(Agreement.Kind.values)]
AgreementState = Literal[tuple(Agreement.State.values)]
ObjectiveState = Literal[tuple(Objective.State.values)]
IndicatorKind = Literal[tuple(Indicator.Kind.values)]
IndicatorDirection = Literal[tuple(Indicator.Direction.values)]
IndicatorFrequency = Literal[tuple(Indicator.Frequency.values)]
AssessmentKind = Literal[tuple(Assessment.Kind.values)]
AssessmentRating = Literal[tuple(Assessment.Rating.values)]
ProgressStatus = Literal["met", "on_track", "off_track", "no_data"]

# What a value may hold: the models' DecimalField(max_digits=14, decimal_places=2).
Amount = Annotated[Decimal, Field(max_digits=14, decimal_places=2, allow_inf_nan=False)]
SHORT, LONG = 200, 10000

MARKING_DESCRIPTION = ("Who may see the record. Left out, it is marked like its parent: the same "
                       "releasable-to nations, disclosure review and TLP.")


def _marking(obj):
    return MarkingOut.of(obj)


class AgreementFilter(Schema):
    partnership: int | None = Field(None, ge=1, le=2**63 - 1)
    state: AgreementState | None = None
    q: str | None = Field(None, max_length=100)


class AgreementOut(Schema):
    id: int
    partnership: int
    kind: AgreementKind
    title_en: str
    title_es: str
    parties: str
    signatories: str
    signed_on: date | None
    signed_at_place: str
    focus_areas_en: str
    focus_areas_es: str
    expires_on: date | None
    superseded_by: int | None = Field(..., description="The agreement that replaced this one")
    state: AgreementState
    marking: MarkingOut

    @staticmethod
    def resolve_partnership(obj):
        return obj.partnership_id

    @staticmethod
    def resolve_superseded_by(obj):
        return obj.superseded_by_id

    resolve_marking = staticmethod(_marking)


class AgreementUpdate(Schema):
    """Only the fields sent are changed; the state changes through transitions."""

    kind: AgreementKind = None
    title_en: str = Field(None, min_length=1, max_length=SHORT)
    title_es: str = Field(None, min_length=1, max_length=SHORT)
    parties: str = Field(None, min_length=1, max_length=LONG, description="One per line")
    signatories: str = Field(None, max_length=LONG, description="Name and position, one per line")
    signed_on: Day | None = None
    signed_at_place: str = Field(None, max_length=SHORT)
    focus_areas_en: str = Field(None, max_length=LONG)
    focus_areas_es: str = Field(None, max_length=LONG)
    expires_on: Day | None = None


class AgreementCreate(AgreementUpdate):
    partnership: int = Field(..., ge=1, le=2**63 - 1)
    kind: AgreementKind
    title_en: str = Field(..., min_length=1, max_length=SHORT)
    title_es: str = Field(..., min_length=1, max_length=SHORT)
    parties: str = Field(..., min_length=1, max_length=LONG, description="One per line")
    marking: MarkingIn | None = Field(None, description=MARKING_DESCRIPTION)


class AgreementTransitionIn(Schema):
    superseded_by: int | None = Field(None, ge=1, le=2**63 - 1,
                                      description="For `superseded`: the agreement in force "
                                                  "that replaces this one")


class LineOfEffortFilter(Schema):
    partnership: int | None = Field(None, ge=1, le=2**63 - 1)
    q: str | None = Field(None, max_length=100)


class LineOfEffortOut(Schema):
    id: int
    partnership: int
    code: str
    name_en: str
    name_es: str
    description_en: str
    description_es: str
    position: int
    marking: MarkingOut

    @staticmethod
    def resolve_partnership(obj):
        return obj.partnership_id

    resolve_marking = staticmethod(_marking)


class LineOfEffortUpdate(Schema):
    code: str = Field(None, min_length=1, max_length=32, pattern=r"^[-a-zA-Z0-9_]+$",
                      examples=["hadr"])
    name_en: str = Field(None, min_length=1, max_length=SHORT)
    name_es: str = Field(None, min_length=1, max_length=SHORT)
    description_en: str = Field(None, max_length=LONG)
    description_es: str = Field(None, max_length=LONG)
    position: int = Field(None, ge=0, le=32767)


class LineOfEffortCreate(LineOfEffortUpdate):
    partnership: int = Field(..., ge=1, le=2**63 - 1)
    code: str = Field(..., min_length=1, max_length=32, pattern=r"^[-a-zA-Z0-9_]+$",
                      examples=["hadr"])
    name_en: str = Field(..., min_length=1, max_length=SHORT)
    name_es: str = Field(..., min_length=1, max_length=SHORT)
    marking: MarkingIn | None = Field(None, description=MARKING_DESCRIPTION)


class ObjectiveFilter(Schema):
    partnership: int | None = Field(None, ge=1, le=2**63 - 1)
    line_of_effort: int | None = Field(None, ge=1, le=2**63 - 1)
    state: ObjectiveState | None = None
    q: str | None = Field(None, max_length=100)


class ObjectiveOut(Schema):
    id: int
    partnership: int
    line_of_effort: int
    code: str
    statement_en: str
    statement_es: str
    owner: str = Field(..., description="Acronym of the organization answerable for it",
                       examples=["DEFENSA"])
    target_date: date | None
    state: ObjectiveState
    marking: MarkingOut

    @staticmethod
    def resolve_partnership(obj):
        return obj.line_of_effort.partnership_id

    @staticmethod
    def resolve_line_of_effort(obj):
        return obj.line_of_effort_id

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.acronym

    resolve_marking = staticmethod(_marking)


class ObjectiveUpdate(Schema):
    code: str = Field(None, min_length=1, max_length=32, examples=["HADR-1"])
    statement_en: str = Field(None, min_length=1, max_length=LONG)
    statement_es: str = Field(None, min_length=1, max_length=LONG)
    owner: str = Field(None, min_length=1, max_length=32, examples=["CalGuard"])
    target_date: Day | None = None


class ObjectiveCreate(ObjectiveUpdate):
    line_of_effort: int = Field(..., ge=1, le=2**63 - 1)
    code: str = Field(..., min_length=1, max_length=32, examples=["HADR-1"])
    statement_en: str = Field(..., min_length=1, max_length=LONG)
    statement_es: str = Field(..., min_length=1, max_length=LONG)
    owner: str = Field(..., min_length=1, max_length=32, examples=["CalGuard"])
    marking: MarkingIn | None = Field(None, description=MARKING_DESCRIPTION)


class IndicatorFilter(Schema):
    partnership: int | None = Field(None, ge=1, le=2**63 - 1)
    objective: int | None = Field(None, ge=1, le=2**63 - 1)
    kind: IndicatorKind | None = None
    q: str | None = Field(None, max_length=100)


class IndicatorOut(Schema):
    id: int
    objective: int
    name_en: str
    name_es: str
    kind: IndicatorKind
    unit: str
    unit_es: str
    direction: IndicatorDirection
    baseline_value: float
    baseline_date: date
    target_value: float
    target_date: date
    frequency: IndicatorFrequency
    marking: MarkingOut

    @staticmethod
    def resolve_objective(obj):
        return obj.objective_id

    resolve_marking = staticmethod(_marking)


class IndicatorUpdate(Schema):
    name_en: str = Field(None, min_length=1, max_length=SHORT)
    name_es: str = Field(None, min_length=1, max_length=SHORT)
    kind: IndicatorKind = None
    unit: str = Field(None, min_length=1, max_length=50, examples=["people trained"])
    unit_es: str = Field(None, max_length=50, examples=["personas capacitadas"],
                         description="Empty: Spanish readers see `unit`")
    direction: IndicatorDirection = None
    baseline_value: Amount = None
    baseline_date: Day = None
    target_value: Amount = None
    target_date: Day = None
    frequency: IndicatorFrequency = None


class IndicatorCreate(IndicatorUpdate):
    objective: int = Field(..., ge=1, le=2**63 - 1)
    name_en: str = Field(..., min_length=1, max_length=SHORT)
    name_es: str = Field(..., min_length=1, max_length=SHORT)
    kind: IndicatorKind
    unit: str = Field(..., min_length=1, max_length=50, examples=["people trained"])
    baseline_value: Amount
    baseline_date: Day
    target_value: Amount
    target_date: Day
    marking: MarkingIn | None = Field(None, description=MARKING_DESCRIPTION)


class MeasurementFilter(Schema):
    partnership: int | None = Field(None, ge=1, le=2**63 - 1)
    indicator: int | None = Field(None, ge=1, le=2**63 - 1)
    verified: bool | None = None


class MeasurementOut(Schema):
    id: int
    indicator: int
    value: float
    as_of: date
    source: str
    verified_by: str | None = Field(..., description="Username of who verified it")
    verified_at: datetime | None
    engagement: int | None = Field(..., description="The engagement it came from, when you may "
                                                    "see it")
    after_action_report: int | None = Field(..., description="The after-action report it came "
                                                             "from, when you may see it")
    marking: MarkingOut

    @staticmethod
    def resolve_indicator(obj):
        return obj.indicator_id

    @staticmethod
    def resolve_verified_by(obj):
        return obj.verified_by.username if obj.verified_by else None

    @staticmethod
    def resolve_engagement(obj):
        return obj.evidence_engagement_id

    @staticmethod
    def resolve_after_action_report(obj):
        return obj.evidence_report_id

    resolve_marking = staticmethod(_marking)


class MeasurementUpdate(Schema):
    """Changing the value, date or source takes the verification away."""

    value: Amount = None
    as_of: Day = None
    source: str = Field(None, min_length=1, max_length=300)
    engagement: int | None = Field(None, ge=1, le=2**63 - 1)
    after_action_report: int | None = Field(None, ge=1, le=2**63 - 1)


class MeasurementCreate(MeasurementUpdate):
    indicator: int = Field(..., ge=1, le=2**63 - 1)
    value: Amount
    as_of: Day
    source: str = Field(..., min_length=1, max_length=300,
                        examples=["After-action report, wildfire exchange 2025"])
    marking: MarkingIn | None = Field(None, description=MARKING_DESCRIPTION)


class AssessmentFilter(Schema):
    partnership: int | None = Field(None, ge=1, le=2**63 - 1)
    line_of_effort: int | None = Field(None, ge=1, le=2**63 - 1)
    kind: AssessmentKind | None = None
    rating: AssessmentRating | None = None


class AssessmentOut(Schema):
    id: int
    partnership: int
    line_of_effort: int | None
    kind: AssessmentKind
    assessed_on: date
    findings_en: str
    findings_es: str
    rating: AssessmentRating
    marking: MarkingOut

    @staticmethod
    def resolve_partnership(obj):
        return obj.partnership_id

    @staticmethod
    def resolve_line_of_effort(obj):
        return obj.line_of_effort_id

    resolve_marking = staticmethod(_marking)


class AssessmentUpdate(Schema):
    line_of_effort: int | None = Field(None, ge=1, le=2**63 - 1,
                                       description="Null: the whole partnership")
    kind: AssessmentKind = None
    assessed_on: Day = None
    findings_en: str = Field(None, min_length=1, max_length=LONG)
    findings_es: str = Field(None, min_length=1, max_length=LONG)
    rating: AssessmentRating = None


class AssessmentCreate(AssessmentUpdate):
    partnership: int = Field(..., ge=1, le=2**63 - 1)
    kind: AssessmentKind
    assessed_on: Day
    findings_en: str = Field(..., min_length=1, max_length=LONG)
    findings_es: str = Field(..., min_length=1, max_length=LONG)
    marking: MarkingIn | None = Field(None, description=MARKING_DESCRIPTION)


# Progress -----------------------------------------------------------------------------------

class EvidenceOut(Schema):
    measurement: int
    as_of: date
    value: float
    verified: bool
    engagement: int | None = Field(..., description="When you may see it")
    engagement_title: str | None = Field(..., description="In your language, or \"a record not "
                                         "released to you\" when you may not see it")
    after_action_report: int | None = Field(..., description="When you may see it")


class LatestOut(Schema):
    id: int
    value: float
    as_of: date
    source: str
    verified: bool
    marking: MarkingOut


class RollupOut(Schema):
    percent: float | None = Field(..., description="Mean progress of the indicators with a "
                                                   "percent, each counted from 0 to 100")
    indicators: int
    met: int
    on_track: int
    off_track: int
    no_data: int


class IndicatorProgressOut(Schema):
    id: int
    name_en: str
    name_es: str
    kind: IndicatorKind
    unit: str
    unit_es: str
    direction: IndicatorDirection
    baseline_value: float
    baseline_date: date
    target_value: float
    target_date: date
    latest: LatestOut | None
    percent: float | None = Field(..., description="Of the way from baseline to target: 0 at "
                                                   "the baseline, 100 at the target; null without "
                                                   "a measurement or for a kept-at-target one")
    expected_percent: float | None = Field(..., description="Where a straight line from baseline "
                                                            "to target is on the latest date")
    on_track: bool | None
    status: ProgressStatus
    evidence: list[EvidenceOut] = Field(..., description="Every measurement, newest first")
    marking: MarkingOut


class ObjectiveProgressOut(Schema):
    id: int
    code: str
    statement_en: str
    statement_es: str
    state: ObjectiveState
    owner: str
    target_date: date | None
    summary: RollupOut
    indicators: list[IndicatorProgressOut]
    marking: MarkingOut


class LineProgressOut(Schema):
    id: int
    code: str
    name_en: str
    name_es: str
    summary: RollupOut
    objectives: list[ObjectiveProgressOut]
    marking: MarkingOut


class ProgressOut(Schema):
    partnership: int
    summary: RollupOut
    lines_of_effort: list[LineProgressOut]
