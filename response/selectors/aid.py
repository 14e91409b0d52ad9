"""Reads of resource requests, offers and agreements: the restricted querysets the pages and the
API share, and the agreed text as one reader reads it."""

import json

from django.utils import translation

from core.related import linked, scrub, with_shown, withheld_names
from response.models import AidAgreement, Offer, OfferLine, ResourceRequest, Signature
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
    found = filtered(
        Offer.objects.restrict(user, action).select_related(
            "incident", "request__kind", "offering_organization", "offered_by").prefetch_related(
            "lines__kind", "lines__agency"),
        incident_id=incident, state=state, owner_nation__code=nation_code(nation),
        request_id=request)
    if kind:
        found = found.filter(pk__in=OfferLine.objects.filter(
            kind__code=str(kind).upper()).values("offer_id"))
    return found


def with_offer_links(user, offers):
    """A page of offers, each with `incident_shown` and `request_shown` (None when unsolicited):
    what it answers, named only to a reader the record is released to (core.related)."""
    return with_shown(user, with_shown(user, offers, "incident"), "request")


def agreements_for(user, action="view", *, incident=None, state=None, nation=None,
                   request=None, offer=None):
    return filtered(
        AidAgreement.objects.restrict(user, action).select_related(
            "requesting_organization", "assisting_organization", "offer", "amends",
            "amended_by").prefetch_related("signatures__organization", "signatures__signer"),
        offer__incident_id=incident, state=state, owner_nation__code=nation_code(nation),
        request_id=request, offer_id=offer)


def agreement_parts(agreement):
    """The agreement's three parts in order, each with its label, the organization that signs
    it and its signature (None while unsigned): what its page and its printed form show."""
    signed = {s.part: s for s in agreement.signatures.all()}
    organizations = {Signature.Part.REQUEST: agreement.requesting_organization,
                     Signature.Part.OFFER: agreement.assisting_organization,
                     Signature.Part.ACCEPTANCE: agreement.requesting_organization}
    return [{"part": part, "label": label, "organization": organizations[part],
             "signature": signed.get(part)} for part, label in Signature.Part.choices]


# ---- The agreed text as one reader reads it ---------------------------------------------------

def _withheld(user, agreement):
    """The names the agreement's text and terms may not show `user`: those of the records it
    names (its incident, request, offer…) that they may not see. A list annotated by
    `with_links_released` says when every one is released; else one check per agreement."""
    if getattr(agreement, "links_released", False):
        return []
    if "_withheld" not in agreement.__dict__:
        agreement._withheld = withheld_names(user, linked(agreement))
    return agreement._withheld


def agreed_text(user, agreement, language):
    """The agreement's text in `language` ("en" or "es") as `user` reads it: each name of a
    record they may not see reads "a record not released to you", in that language. Every path
    that shows the text (its page, the signing page, the API) reads it here."""
    with translation.override(language):
        return scrub(agreement.text_es if language == "es" else agreement.text_en,
                     _withheld(user, agreement))


def agreed_terms(user, agreement):
    """The agreement's terms as `user` reads them, names withheld as in `agreed_text`."""
    return json.loads(scrub(json.dumps(agreement.terms, ensure_ascii=False),
                            _withheld(user, agreement)))
