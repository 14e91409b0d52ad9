"""The personnel API: members and their duty status at any moment, eligibility, the roster,
orders with their preview and application, CSV imports and roster exports."""

import zoneinfo

from django.utils import timezone
from ninja import File, Query, Router, UploadedFile
from ninja.pagination import paginate

from core.api import Pagination, error_responses, history_out
from core.schemas import HistoryEntryOut
from core.views import get_one
from personnel import exports, imports, services
from personnel.eligibility import eligibility
from personnel.models import Authority, Member, authority_of
from personnel.schemas import (
    EligibilityOut,
    ImportReportOut,
    MemberDetailOut,
    MemberFilter,
    MemberOut,
    MomentQuery,
    OrderDetailOut,
    OrderFilter,
    OrderOut,
    PeriodOut,
    PlanOut,
    RosterCountsOut,
    RosterExportFilter,
)
from personnel.selectors import orders_for, roster, roster_counts, timeline

router = Router(tags=["personnel"])

CHUNK = 900  # ids per IN (...), under the 999 parameters of SQLite before 3.32


def _moment(request, at):
    """`at` (a `Moment`, so within the years every form takes) as an aware datetime: now when
    absent, the user's time zone when it has no offset."""
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        at = timezone.make_aware(at, zoneinfo.ZoneInfo(request.user.time_zone))
    return at



def _member(request, member_id, at=None):
    """A member the user may see, with its status and authority at the moment."""
    members = roster(request.user, _moment(request, at)).prefetch_related("qualifications")
    return get_one(members, member_id)


def _order(request, order_id):
    return get_one(orders_for(request.user), order_id)


def _visible_member_ids(user, ids):
    visible = set()
    ids = list(ids)
    for i in range(0, len(ids), CHUNK):
        visible.update(Member.objects.restrict(user).filter(pk__in=ids[i:i + CHUNK])
                       .values_list("pk", flat=True))
    return visible


def _ref(member):
    return {"id": member.pk, "service_number": member.service_number,
            "name": f"{member.last_name}, {member.first_name}", "grade": member.grade}


# Members ------------------------------------------------------------------------------------

@router.get("/personnel/members", response={200: list[MemberOut], **error_responses(422)})
@paginate(Pagination)
def list_members(request, filters: Query[MemberFilter]):
    """Members you may see, with their duty status and controlling authority at `at`."""
    data = filters.dict()
    moment = _moment(request, data.pop("at"))
    return roster(request.user, moment, **data).defer("passport_number", "passport_expires")


@router.get("/personnel/members/{member_id}",
            response={200: MemberDetailOut, **error_responses(404, 422)})
def get_member(request, member_id: int, query: Query[MomentQuery]):
    """One member. Passport data only for users allowed to see it (null otherwise)."""
    return _member(request, member_id, query.at)


@router.get("/personnel/members/{member_id}/periods",
            response={200: list[PeriodOut], **error_responses(404, 422)})
@paginate(Pagination)
def member_periods(request, member_id: int):
    """The member's duty periods, oldest first."""
    return timeline(_member(request, member_id))


@router.get("/personnel/members/{member_id}/eligibility",
            response={200: EligibilityOut, **error_responses(404, 422)})
def member_eligibility(request, member_id: int, query: Query[MomentQuery]):
    """What the member may be tasked with at `at`, each verdict explained."""
    moment = _moment(request, query.at)
    member = _member(request, member_id, moment)
    verdicts = eligibility(member, moment)
    return {
        "member_id": member.pk, "at": moment, "status": verdicts.status,
        "authority": verdicts.authority,
        "period_id": verdicts.period.pk if verdicts.period else None,
        **{name: {"ok": getattr(verdicts, name).ok, "reason": getattr(verdicts, name).reason}
           for name in ("available_to_state", "law_enforcement_restricted",
                        "partnership_event_abroad", "state_mutual_aid")},
    }


@router.get("/personnel/members/{member_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def member_history(request, member_id: int):
    return history_out(_member(request, member_id), request.user)


# Roster -------------------------------------------------------------------------------------

@router.get("/personnel/roster", response={200: RosterCountsOut, **error_responses(422)})
def roster_summary(request, query: Query[MomentQuery], unit: str | None = None):
    """How many members you may see are in each duty status and under each authority at
    `at`, optionally for one unit (code)."""
    moment = _moment(request, query.at)
    counts = roster_counts(request.user, moment, unit=unit)
    return {"at": moment, "unit": unit, "total": counts.total,
            "by_status": counts.by_status, "by_authority": counts.by_authority}


_EXPORT_CONTENT = {
    "text/csv": {"schema": {"type": "string"}},
    exports.XLSX_TYPE: {"schema": {"type": "string", "format": "binary"}},
}


@router.get("/personnel/roster/export", response=error_responses(422),
            openapi_extra={"responses": {200: {
                "description": "The roster as a download: CSV (UTF-8 with a BOM) or XLSX",
                "content": _EXPORT_CONTENT}}})
def roster_download(request, filters: Query[RosterExportFilter]):
    """The roster at `at` as a CSV or XLSX file: service number, name, grade, unit, duty
    status, authority, since (start of the period in effect) and orders reference."""
    data = filters.dict()
    moment = _moment(request, data.pop("at"))
    return exports.roster_export(request.user, moment, data, format=data.pop("format"))


# Orders -------------------------------------------------------------------------------------

@router.get("/personnel/orders", response={200: list[OrderOut], **error_responses(422)})
@paginate(Pagination)
def list_orders(request, filters: Query[OrderFilter]):
    orders = orders_for(request.user)
    if filters.kind:
        orders = orders.filter(kind=filters.kind)
    if filters.state:
        orders = orders.filter(state=filters.state)
    return orders


@router.get("/personnel/orders/{order_id}",
            response={200: OrderDetailOut, **error_responses(404, 422)})
def get_order(request, order_id: int):
    order = _order(request, order_id)
    members = [_ref(m) for m in Member.objects.restrict(request.user).prefetch_related(None)
               .select_related(None).filter(orders=order)
               .only("service_number", "last_name", "first_name", "grade")]
    order.visible_members = members
    order.members_not_shown = order.member_count - len(members)
    return order


def _plan_out(request, order, plan):
    """The plan in the API's terms: the members the user may see, totals over all of them."""
    visible = _visible_member_ids(request.user, (c.member.pk for c in plan))
    changes = [{
        "member": _ref(c.member), "from_status": c.from_status, "to_status": c.to_status,
        "from_authority": authority_of(c.from_status), "to_authority": authority_of(c.to_status),
        "changes": c.changes, "conflict": c.conflict or None,
    } for c in plan if c.member.pk in visible]
    changing = [c for c in plan if c.changes]
    conflicts = sum(1 for c in plan if c.conflict)
    moves = [(authority_of(c.from_status), authority_of(c.to_status)) for c in changing]
    applicable = not conflicts and services.ORDER_LIFECYCLE.allows(order, "apply")
    return {
        "order_id": order.pk, "state": order.state, "effective_at": order.effective_at,
        "applicable": applicable, "changes": changes, "members_not_shown": len(plan) - len(changes),
        "totals": {
            "members": len(plan), "changing": len(changing), "conflicts": conflicts,
            "unchanged": len(plan) - len(changing) - conflicts,
            "to_federal": moves.count((Authority.GOVERNOR, Authority.PRESIDENT)),
            "to_state": moves.count((Authority.PRESIDENT, Authority.GOVERNOR)),
        },
    }


@router.get("/personnel/orders/{order_id}/preview",
            response={200: PlanOut, **error_responses(404, 422)})
def preview_order(request, order_id: int):
    """What applying the order would change, member by member; applying carries out exactly
    this plan."""
    order = _order(request, order_id)
    return _plan_out(request, order, services.plan_order(order))


@router.post("/personnel/orders/{order_id}/transitions/apply",
             response={200: PlanOut, **error_responses(403, 404, 422)})
def apply_order(request, order_id: int):
    """Apply a draft order: every covered member changes in one transaction, or none does
    (422 naming the conflicts). Answers the plan carried out."""
    order = _order(request, order_id)
    plan = services.apply_order(request.user, order)
    return _plan_out(request, _order(request, order_id), plan)


@router.get("/personnel/orders/{order_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def order_history(request, order_id: int):
    return history_out(_order(request, order_id), request.user)


# Imports ------------------------------------------------------------------------------------

def _import(report):
    if not report.ok:
        raise report.as_validation_error()
    return report


@router.post("/personnel/imports/members",
             response={200: ImportReportOut, **error_responses(403, 422)})
def import_members(request, file: File[UploadedFile]):
    """Create or update members from a CSV file with the columns service_number, last_name,
    first_name, grade, component, unit_code, specialty, languages. Every row is checked first:
    on any error nothing is stored and the 422 names each one ("row 7: unit_code")."""
    return _import(imports.import_members(request.user, file))


@router.post("/personnel/imports/periods",
             response={200: ImportReportOut, **error_responses(403, 422)})
def import_periods(request, file: File[UploadedFile]):
    """Add duty periods from a CSV file with the columns service_number, status, start, end,
    pay_source, orders_reference, mission, legal_basis. Dates without an offset are in your
    time zone; an empty end leaves the period open; no period may overlap another. On any
    error nothing is stored and the 422 names each one ("row 7: start")."""
    return _import(imports.import_periods(request.user, file))
