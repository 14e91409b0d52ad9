"""Read schemas of the personnel API. Every shareable record (member, order) carries its marking;
passport data appears only on a member's detail and only for users allowed to see it."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from core.schemas import HistoryEntryOut, MarkingOut, Moment
from personnel.models import Authority, DutyStatus, Member, Order, Qualification

__all__ = ["EligibilityOut", "HistoryEntryOut", "ImportReportOut", "MemberDetailOut",
           "MemberFilter", "MemberOut", "OrderDetailOut", "OrderFilter", "OrderOut", "PeriodOut",
           "PlanOut", "RosterCountsOut", "RosterExportFilter"]

# Literal[("a", "b")] is Literal["a", "b"]: the choices stay in one place, the models.
StatusCode = Literal[tuple(DutyStatus.values)]
AuthorityCode = Literal[tuple(Authority.values)]
ComponentCode = Literal[tuple(Member.Component.values)]
OrderKind = Literal[tuple(Order.Kind.values)]
OrderState = Literal[tuple(Order.State.values)]
QualificationKind = Literal[tuple(Qualification.Kind.values)]

AT_DESCRIPTION = ("The moment the duty status is read at, ISO 8601. Without a UTC offset it is "
                  "read in your time zone; default now.")


class MomentQuery(Schema):
    at: Moment | None = Field(None, description=AT_DESCRIPTION,
                                examples=["2025-06-10T08:00:00-07:00"])


class MemberFilter(MomentQuery):
    unit: str | None = Field(None, max_length=32, description="Unit code, e.g. 1-184IN")
    status: StatusCode | None = None
    authority: AuthorityCode | None = None
    q: str | None = Field(None, max_length=100,
                          description="Part of the last name, first name or service number")


class RosterExportFilter(MemberFilter):
    format: Literal["csv", "xlsx"] = "csv"


class OrderFilter(Schema):
    kind: OrderKind | None = None
    state: OrderState | None = None


class MemberOut(Schema):
    id: int
    service_number: str
    last_name: str
    first_name: str
    grade: str
    component: ComponentCode
    unit: str = Field(..., description="Unit code")
    specialty: str
    languages: list[str] = Field(..., examples=[["en", "es"]])
    status_at: StatusCode = Field(..., description="Duty status at the requested moment")
    authority_at: AuthorityCode = Field(..., description="Controlling authority at that moment")
    marking: MarkingOut

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code

    @staticmethod
    def resolve_languages(obj):
        return obj.language_list

    @staticmethod
    def resolve_marking(obj):
        return MarkingOut.of(obj)


class QualificationOut(Schema):
    kind: QualificationKind
    reference: str
    issued_on: date | None
    expires_on: date | None


class MemberDetailOut(MemberOut):
    unit_name: str
    qualifications: list[QualificationOut]
    passport_number: str | None = Field(
        None, description="Only for users allowed to see passport data; null otherwise")
    passport_expires: date | None = Field(
        None, description="Only for users allowed to see passport data; null otherwise")

    @staticmethod
    def resolve_unit_name(obj):
        return obj.unit.name

    @staticmethod
    def resolve_qualifications(obj):
        return list(obj.qualifications.all())

    @staticmethod
    def resolve_passport_number(obj, context):
        if not context["request"].user.has_perm("personnel.view_passport_member"):
            return None
        return obj.passport_number or None

    @staticmethod
    def resolve_passport_expires(obj, context):
        if not context["request"].user.has_perm("personnel.view_passport_member"):
            return None
        return obj.passport_expires


class PeriodOut(Schema):
    id: int
    status: StatusCode
    authority: AuthorityCode
    start: datetime
    end: datetime | None = Field(..., description="Null while the period is open")
    pay_source: str
    orders_reference: str
    mission: str
    legal_basis: str
    opened_by: int | None = Field(..., description="The order that opened this period")

    @staticmethod
    def resolve_opened_by(obj):
        return obj.opened_by_id


class VerdictOut(Schema):
    ok: bool
    reason: str


class EligibilityOut(Schema):
    member_id: int
    at: datetime
    status: StatusCode
    authority: AuthorityCode
    period_id: int | None = Field(..., description="The duty period in effect, if any")
    available_to_state: VerdictOut
    law_enforcement_restricted: VerdictOut
    partnership_event_abroad: VerdictOut
    state_mutual_aid: VerdictOut


class RosterCountsOut(Schema):
    at: datetime
    unit: str | None
    total: int
    by_status: dict[str, int] = Field(..., description="Every duty status, zero when none")
    by_authority: dict[str, int] = Field(..., description="governor and president")


class OrderOut(Schema):
    id: int
    kind: OrderKind
    title: str = Field(..., description="In your language")
    title_en: str
    title_es: str
    reference: str
    issued_by: str
    issued_on: date | None
    effective_at: datetime
    target_status: StatusCode | Literal[""] = Field(..., description="Empty for a stay")
    deadline: datetime | None
    stays: int | None = Field(..., description="The order a stay suspends")
    legal_basis: str
    state: OrderState
    applied_at: datetime | None
    member_count: int
    marking: MarkingOut

    @staticmethod
    def resolve_stays(obj):
        return obj.stays_id

    @staticmethod
    def resolve_marking(obj):
        return MarkingOut.of(obj)


class MemberRef(Schema):
    id: int
    service_number: str
    name: str
    grade: str


class OrderDetailOut(OrderOut):
    members: list[MemberRef] = Field(..., description="Covered members you may see")
    members_not_shown: int = Field(..., description="Covered members not releasable to you")

    @staticmethod
    def resolve_members(obj):
        return obj.visible_members  # set by the view: the covered members the user may see


class PlannedChangeOut(Schema):
    member: MemberRef
    from_status: StatusCode
    to_status: StatusCode
    from_authority: AuthorityCode
    to_authority: AuthorityCode
    changes: bool = Field(..., description="False when the status stays the same or on conflict")
    conflict: str | None = Field(..., description="Why this member blocks the order")


class PlanTotals(Schema):
    members: int
    changing: int
    unchanged: int
    conflicts: int
    to_federal: int = Field(..., description="Members moving from the governor to the President")
    to_state: int = Field(..., description="Members moving from the President to the governor")


class PlanOut(Schema):
    order_id: int
    state: OrderState
    effective_at: datetime
    applicable: bool = Field(..., description="A draft order without conflicts")
    changes: list[PlannedChangeOut] = Field(..., description="Members you may see")
    members_not_shown: int
    totals: PlanTotals = Field(..., description="Over every member the order covers")


class ImportReportOut(Schema):
    kind: Literal["members", "periods"]
    rows: int
    created: int
    updated: int
    unchanged: int
