"""Resource requests (ICS-213RR), offers and the three-part signed mutual aid agreement.

Agreements live under /aid-agreements: /agreements is the partnership's agreements."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from core.api import Detail, Pagination, error_responses, history_out, marking_args
from core.related import with_links_released
from core.schemas import HistoryEntryOut, MarkingIn, MarkingOut
from core.views import get_one
from response.models import Incident
from response.schemas.aid import (
    AidAgreementFilter,
    AidAgreementOut,
    AmendmentIn,
    OfferCreate,
    OfferDetailOut,
    OfferFilter,
    OfferOut,
    OfferTransitionIn,
    OfferUpdate,
    PartCode,
    RequestTransitionIn,
    ResourceRequestCreate,
    ResourceRequestDetailOut,
    ResourceRequestFilter,
    ResourceRequestOut,
    ResourceRequestUpdate,
)
from response.selectors import aid as selectors
from response.services import agreements, offers, requests

router = Router()


def _incident(user, pk, field="incident"):
    found = Incident.objects.restrict(user).filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: _("Choose an incident you may see.")})
    return found


# ---- Resource requests -----------------------------------------------------------------------

def _request(request, resource_request_id):
    return get_one(selectors.requests_for(request.user), resource_request_id)


def _request_detail(request, resource_request_id):
    user = request.user
    record = _request(request, resource_request_id)
    return Detail(
        record,
        offers=list(selectors.offers_for(user, request=record.pk).values_list("pk", flat=True)),
        agreements=list(selectors.agreements_for(user, request=record.pk).values_list(
            "pk", flat=True)),
        transitions=requests.request_transitions_for(user, record))


def _request_fields(request, payload):
    data = payload.dict(exclude_unset=True, exclude={"marking"})
    if data.get("incident") is not None:
        data["incident"] = _incident(request.user, data["incident"])
    for name in ("number", "special_instructions"):
        if name in data and data[name] is None:
            data[name] = ""
    return data


@router.get("/resource-requests",
            response={200: list[ResourceRequestOut], **error_responses(422)})
@paginate(Pagination)
def list_requests(request, filters: Query[ResourceRequestFilter]):
    """Resource requests you may see, newest first, filtered by incident, state, nation (the
    requesting nation), kind or priority."""
    return with_links_released(request.user, selectors.requests_for(request.user, **filters.dict()),
                               "incident")


@router.post("/resource-requests",
             response={201: ResourceRequestDetailOut, **error_responses(403, 422)})
def create_request(request, payload: ResourceRequestCreate):
    """A draft request owned by your nation. Without a number it gets the nation's next of
    the incident's start year (USA-2025-0001); the requesting organization defaults to
    yours. Submit it with the `submit` transition."""
    record = requests.create_request(request.user, **marking_args(payload.marking),
                                **_request_fields(request, payload))
    return Status(201, _request_detail(request, record.pk))


@router.get("/resource-requests/{resource_request_id}",
            response={200: ResourceRequestDetailOut, **error_responses(404, 422)})
def get_request(request, resource_request_id: int):
    """The request with the offers and agreements on it you may see and the steps you may
    take."""
    return _request_detail(request, resource_request_id)


@router.patch("/resource-requests/{resource_request_id}",
              response={200: ResourceRequestDetailOut, **error_responses(403, 404, 422)})
def update_request(request, resource_request_id: int, payload: ResourceRequestUpdate):
    """Change the fields sent while the request is a draft or submitted; only the requesting
    nation may."""
    requests.update_request(request.user, _request(request, resource_request_id),
                       **_request_fields(request, payload))
    return _request_detail(request, resource_request_id)


@router.post("/resource-requests/{resource_request_id}/transitions/{name}",
             response={200: ResourceRequestDetailOut, **error_responses(403, 404, 422)})
def transition_request(request, resource_request_id: int, name: str, payload: RequestTransitionIn):
    """One step: `submit` (draft → submitted; partner nations it is released to are told),
    `cancel` (with a reason), `unable_to_fill` (with a reason), `escalate` (unable to fill →
    submitted, released to `nations` — by default the nation across the border — with
    disclosure approved; needs the disclosure-review permission) or `close` (filled or
    partially filled). Filled and partially filled follow from accepted agreements."""
    requests.transition_request(request.user, _request(request, resource_request_id), name,
                           reason=payload.reason, nations=payload.nations)
    return _request_detail(request, resource_request_id)


@router.put("/resource-requests/{resource_request_id}/marking",
            response={200: MarkingOut, **error_responses(403, 404, 422)})
def set_request_marking(request, resource_request_id: int, payload: MarkingIn):
    """Change who may see the request; a submitted request newly released with disclosure
    approved is announced to the partner."""
    requests.change_request_marking(request.user, _request(request, resource_request_id),
                               **marking_args(payload))
    return MarkingOut.of(_request(request, resource_request_id))


@router.get("/resource-requests/{resource_request_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def request_history(request, resource_request_id: int):
    return history_out(_request(request, resource_request_id), request.user)


# ---- Offers ----------------------------------------------------------------------------------

def _offer(request, offer_id):
    return get_one(selectors.offers_for(request.user), offer_id)


def _offer_detail(request, offer_id):
    user = request.user
    offer = _offer(request, offer_id)
    return Detail(
        offer,
        agreements=list(selectors.agreements_for(user, offer=offer.pk).values_list(
            "pk", flat=True)),
        transitions=offers.offer_transitions_for(user, offer),
        may_draw_up=(offer.state in offers.PENDING_OFFER_STATES
                     and agreements.may_draw_up(user, offer)))


@router.get("/offers", response={200: list[OfferOut], **error_responses(422)})
@paginate(Pagination)
def list_offers(request, filters: Query[OfferFilter]):
    """Offers you may see, newest first, filtered by incident, state, nation (the offering
    nation), a kind offered or the request."""
    user = request.user
    return with_links_released(user, selectors.offers_for(user, **filters.dict()), "incident",
                               "request")


@router.post("/offers", response={201: OfferDetailOut, **error_responses(403, 422)})
def create_offer(request, payload: OfferCreate):
    """An offer by your organization: against a request you may see (submitted or partially
    filled; the offer is released to the requesting nation with disclosure approved), or
    unsolicited for an incident (following `marking`). Each line names a kind, quantity,
    headcount and agency of your nation, and optionally a unit of your nation (not held for
    home coverage; cross-border eligible when the incident is abroad)."""
    user = request.user
    data = payload.dict(exclude={"marking", "request", "incident", "lines"})
    target = None
    if payload.request:
        target = selectors.requests_for(user).filter(pk=payload.request).first()
        if target is None:
            raise ValidationError({"request": _("Choose a request you may see.")})
    incident = _incident(user, payload.incident) if payload.incident else None
    marking = marking_args(payload.marking)
    offer = offers.create_offer(user, request=target, incident=incident,
                             lines=[line.dict() for line in payload.lines], **data, **marking)
    return Status(201, _offer_detail(request, offer.pk))


@router.get("/offers/{offer_id}", response={200: OfferDetailOut, **error_responses(404, 422)})
def get_offer(request, offer_id: int):
    """The offer with its lines, the agreements on it you may see and the steps you may
    take."""
    return _offer_detail(request, offer_id)


@router.patch("/offers/{offer_id}",
              response={200: OfferDetailOut, **error_responses(403, 404, 422)})
def update_offer(request, offer_id: int, payload: OfferUpdate):
    """Change the fields sent while the offer is offered or under review; only the offering
    nation may. `lines` replaces every line. An agreement awaiting signatures becomes void."""
    data = payload.dict(exclude_unset=True)
    lines = data.pop("lines", None)
    data = {k: v for k, v in data.items() if v is not None or k == "estimated_cost"}
    offers.update_offer(request.user,
                        get_one(selectors.offers_for(request.user, "change"), offer_id),
                        lines=lines, **data)
    return _offer_detail(request, offer_id)


@router.post("/offers/{offer_id}/transitions/{name}",
             response={200: OfferDetailOut, **error_responses(403, 404, 422)})
def transition_offer(request, offer_id: int, name: str, payload: OfferTransitionIn):
    """One step: `review` (the requesting nation: offered → under review), `decline` (the
    requesting nation, with a reason) or `withdraw` (the offering nation, before acceptance,
    with a reason). An offer is accepted by signing its agreement's acceptance part."""
    offers.transition_offer(request.user, _offer(request, offer_id), name, reason=payload.reason)
    return _offer_detail(request, offer_id)


@router.put("/offers/{offer_id}/marking",
            response={200: MarkingOut, **error_responses(403, 404, 422)})
def set_offer_marking(request, offer_id: int, payload: MarkingIn):
    """Change who may see the offer; an offer against another nation's request stays
    released to it with disclosure approved."""
    offers.change_offer_marking(request.user, _offer(request, offer_id), **marking_args(payload))
    return MarkingOut.of(_offer(request, offer_id))


@router.post("/offers/{offer_id}/agreement",
             response={201: AidAgreementOut, **error_responses(403, 404, 422)})
def draw_up_agreement(request, offer_id: int):
    """Draw up the agreement on the offer (a user of the requesting organization; for an
    unsolicited offer, of the incident's host nation): the terms and the numbered text in
    English and Spanish with their SHA-256. It awaits the request, offer and acceptance
    signatures."""
    agreement = agreements.draw_up_agreement(request.user, _offer(request, offer_id))
    return Status(201, _agreement(request, agreement.pk))


@router.get("/offers/{offer_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def offer_history(request, offer_id: int):
    return history_out(_offer(request, offer_id), request.user)


# ---- Agreements ------------------------------------------------------------------------------

def _agreement(request, aid_agreement_id):
    return get_one(selectors.agreements_for(request.user), aid_agreement_id)


@router.get("/aid-agreements", response={200: list[AidAgreementOut], **error_responses(422)})
@paginate(Pagination)
def list_agreements(request, filters: Query[AidAgreementFilter]):
    """Mutual aid agreements you may see, filtered by incident, state, nation (the requesting
    nation, which owns them), request or offer. Each carries its signatures and whether its
    text still matches its hash."""
    return with_links_released(request.user,
                               selectors.agreements_for(request.user, **filters.dict()),
                               "offer__incident", "request")


@router.get("/aid-agreements/{aid_agreement_id}",
            response={200: AidAgreementOut, **error_responses(404, 422)})
def get_agreement(request, aid_agreement_id: int):
    """The agreement: terms, the agreed text in English and Spanish, its hash, the signatures
    and `verified` (the stored text still hashes to what each signer signed)."""
    return _agreement(request, aid_agreement_id)


@router.post("/aid-agreements/{aid_agreement_id}/signatures/{part}",
             response={201: AidAgreementOut, **error_responses(403, 404, 422)})
def sign_agreement(request, aid_agreement_id: int, part: PartCode):
    """Sign a part: `request` and `acceptance` by a user of the requesting organization,
    `offer` by one of the assisting organization; the acceptance after the other two. Signing
    the acceptance brings the agreement into force, accepts the offer and fills the
    request."""
    agreement = _agreement(request, aid_agreement_id)
    agreements.sign_agreement(request.user, agreement, part)
    return Status(201, _agreement(request, aid_agreement_id))


@router.post("/aid-agreements/{aid_agreement_id}/amendments",
             response={201: AidAgreementOut, **error_responses(403, 404, 422)})
def amend_agreement(request, aid_agreement_id: int, payload: AmendmentIn):
    """Amend an agreement in force: a new version with the terms sent changed and the reason;
    it needs the three signatures again and supersedes this one once accepted."""
    changes = payload.dict(exclude_unset=True, exclude={"reason"})
    changes = {k: v for k, v in changes.items() if v is not None}
    amendment = agreements.amend_agreement(request.user, _agreement(request, aid_agreement_id),
                                    reason=payload.reason, **changes)
    return Status(201, _agreement(request, amendment.pk))


@router.get("/aid-agreements/{aid_agreement_id}/history",
            response={200: list[HistoryEntryOut], **error_responses(404, 422)})
def agreement_history(request, aid_agreement_id: int):
    return history_out(_agreement(request, aid_agreement_id), request.user)
