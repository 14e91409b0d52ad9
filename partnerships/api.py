from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from core.api import Pagination, error_responses, get_visible, history_out
from core.schemas import HistoryEntryOut, MarkingIn, MarkingOut
from core.services import change_marking, nations_by_code
from partnerships import services
from partnerships.models import Partnership
from partnerships.schemas import PartnershipCreate, PartnershipOut, PartnershipUpdate
from partnerships.selectors import partnerships_for

router = Router(tags=["partnerships"])


class PartnershipFilter(Schema):
    partner_nation: str | None = None
    status: str | None = None
    q: str | None = None


def _fields(payload, exclude=()):
    """The fields the client sent, as model values."""
    data = payload.dict(exclude_unset=True, exclude=set(exclude))
    if "partner_nation" in data:
        data["partner_nation"] = nations_by_code([data["partner_nation"]], "partner_nation")[0]
    return data


@router.get("/partnerships", response={200: list[PartnershipOut], **error_responses(422)})
@paginate(Pagination)
def list_partnerships(request, filters: Query[PartnershipFilter]):
    return partnerships_for(request.user, **filters.dict())


@router.get("/partnerships/{partnership_id}",
            response={200: PartnershipOut, **error_responses(404, 422)})
def get_partnership(request, partnership_id: int):
    return get_visible(Partnership.objects, request.user, partnership_id)


@router.post("/partnerships", response={201: PartnershipOut, **error_responses(403, 422)})
def create_partnership(request, payload: PartnershipCreate):
    marking = payload.marking
    partnership = services.create_partnership(
        request.user, rel_to=nations_by_code(marking.rel_to), disclosure=marking.disclosure,
        tlp=marking.tlp or "", **_fields(payload, exclude=["marking"]),
    )
    return Status(201, get_visible(Partnership.objects, request.user, partnership.pk))


@router.patch("/partnerships/{partnership_id}",
              response={200: PartnershipOut, **error_responses(403, 404, 422)})
def update_partnership(request, partnership_id: int, payload: PartnershipUpdate):
    partnership = get_visible(Partnership.objects, request.user, partnership_id)
    services.update_partnership(request.user, partnership, **_fields(payload))
    return get_visible(Partnership.objects, request.user, partnership_id)


@router.put("/partnerships/{partnership_id}/marking",
            response={200: MarkingOut, **error_responses(403, 404, 422)})
def set_partnership_marking(request, partnership_id: int, payload: MarkingIn):
    partnership = get_visible(Partnership.objects, request.user, partnership_id)
    change_marking(partnership, request.user, rel_to=nations_by_code(payload.rel_to),
                   disclosure=payload.disclosure, tlp=payload.tlp or "")
    return MarkingOut.of(get_visible(Partnership.objects, request.user, partnership_id))


@router.get("/partnerships/{partnership_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def partnership_history(request, partnership_id: int):
    return history_out(get_visible(Partnership.objects, request.user, partnership_id))

