"""Reads of resource requests, offers and agreements: the restricted querysets the pages and the
API share."""

from django.db.models import Exists, OuterRef

from response.models import AidAgreement, Offer, OfferLine, ResourceRequest
from response.selectors.common import filtered, nation_code


def requests_for(user, action="view", *, incident=None, state=None, nation=None, kind=None,
                 priority=None):
    return filtered(
        ResourceRequest.objects.restrict(user, action).select_related(
            "incident", "kind", "requesting_organization", "requested_by"),
        incident_id=incident, state=state, owner_nation__code=nation_code(nation),
        kind__code=kind and str(kind).upper(), priority=priority)


def offers_for(user, action="view", *, incident=None, state=None, nation=None, kind=None,
               request=None):
    # The request an offer answers is named only to readers it is released to.
    found = filtered(
        Offer.objects.restrict(user, action).select_related(
            "incident", "request", "offering_organization", "offered_by").prefetch_related(
            "lines__kind", "lines__agency").annotate(request_visible=Exists(
                ResourceRequest.objects.restrict(user).filter(pk=OuterRef("request_id")))),
        incident_id=incident, state=state, owner_nation__code=nation_code(nation),
        request_id=request)
    if kind:
        found = found.filter(pk__in=OfferLine.objects.filter(
            kind__code=str(kind).upper()).values("offer_id"))
    return found


def agreements_for(user, action="view", *, incident=None, state=None, nation=None,
                   request=None, offer=None):
    return filtered(
        AidAgreement.objects.restrict(user, action).select_related(
            "requesting_organization", "assisting_organization", "offer", "amends",
            "amended_by").prefetch_related("signatures__organization", "signatures__signer"),
        offer__incident_id=incident, state=state, owner_nation__code=nation_code(nation),
        request_id=request, offer_id=offer)
