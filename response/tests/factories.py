"""Mutual-aid records for tests, made straight through the ORM and `apply_marking` so each
slice's tests (incidents, aid, deployments, map) can set up any state without the others'
services. Service tests make their records through the services instead."""

from datetime import UTC, datetime, timedelta

from accounts.models import Nation, Organization
from core.services import apply_marking, apply_parent_marking
from response.agreement_text import agreement_hash, compose_text
from response.models import (
    AidAgreement,
    Deployment,
    Incident,
    Offer,
    OfferLine,
    ResourceKind,
    ResourceRequest,
    RosterMember,
    Signature,
    Unit,
)
from response.services.agreements import compose_terms

START = datetime(2025, 1, 7, 18, 30, tzinfo=UTC)


def nations(*codes):
    return list(Nation.objects.filter(code__in=codes))


def _mark(record, owner_user, rel_to, disclosure):
    record.created_by = owner_user
    apply_marking(record, owner=owner_user.nation, rel_to=nations(*rel_to),
                  disclosure=disclosure)
    return record


def make_incident(user, *, name="Palisades Fire", latitude=34.0481, longitude=-118.5265,
                  rel_to=("MEX",), disclosure="approved", **fields):
    """An active wildfire owned by `user`'s nation, in its country, released to Mexico."""
    defaults = {"name_en": name, "name_es": f"Incendio {name}", "kind": Incident.Kind.WILDFIRE,
                "country": user.nation, "state_region": "CA", "started_at": START,
                "host_agency": user.organization}
    incident = Incident(latitude=latitude, longitude=longitude, **{**defaults, **fields})
    return _mark(incident, user, rel_to, disclosure)


def make_unit(user, *, name="Crew 7", kind="CREW-HAND-T2", rel_to=("MEX",),
              disclosure="approved", **fields):
    defaults = {"organization": user.organization, "home_base": "Sacramento",
                "home_latitude": 38.5816, "home_longitude": -121.4944, "headcount": 20,
                "languages": "en,es", "cross_border_eligible": True}
    unit = Unit(name=name, kind=ResourceKind.objects.get(code=kind), **{**defaults, **fields})
    return _mark(unit, user, rel_to, disclosure)


def make_request(user, incident=None, *, number="LA-2025-001", kind="CREW-HAND-T2",
                 quantity=2, state=ResourceRequest.State.SUBMITTED, rel_to=("MEX",),
                 disclosure="approved", **fields):
    incident = incident or make_incident(user)
    defaults = {"requesting_organization": user.organization, "requested_by": user,
                "needed_by": START + timedelta(days=3),
                "reporting_location": "Palisades Fire ICP", "priority": "urgent"}
    request = ResourceRequest(number=number, incident=incident, state=state,
                              kind=ResourceKind.objects.get(code=kind), quantity=quantity,
                              **{**defaults, **fields})
    return _mark(request, user, rel_to, disclosure)


def make_offer(user, request, *, quantity=2, headcount=60, kind=None,
               state=Offer.State.OFFERED, rel_to=("USA",), disclosure="approved", **fields):
    """An offer by `user`'s organization against `request`, released to the requester."""
    defaults = {"offering_organization": user.organization, "offered_by": user,
                "duration_days": 14, "available_from": START + timedelta(days=2),
                "cost_terms": Offer.CostTerms.DONATED}
    offer = Offer(request=request, incident=request.incident, state=state,
                  **{**defaults, **fields})
    _mark(offer, user, rel_to, disclosure)
    OfferLine.objects.create(offer=offer, kind=kind or request.kind, quantity=quantity,
                             headcount=headcount, agency=user.organization)
    return offer


def make_agreement(request_user, offer_user, *, request=None, offer=None, signed=True):
    """An agreement on an offer: in force with all three signatures (signed=True) or awaiting
    them. Owned by the requesting nation, released to the assisting one."""
    request = request or make_request(request_user)
    offer = offer or make_offer(offer_user, request)
    terms = compose_terms(offer, request.requesting_organization)
    text_en, text_es = compose_text(terms, "en"), compose_text(terms, "es")
    agreement = AidAgreement(
        request=request, offer=offer, requesting_organization=request.requesting_organization,
        assisting_organization=offer.offering_organization, terms=terms, text_en=text_en,
        text_es=text_es, text_hash=agreement_hash(terms, text_en, text_es),
        state=AidAgreement.State.IN_FORCE if signed else AidAgreement.State.AWAITING_SIGNATURES,
        in_force_at=START + timedelta(days=3) if signed else None)
    _mark(agreement, request_user, (offer_user.nation.code,), "approved")
    if signed:
        for part, user in (("request", request_user), ("offer", offer_user),
                           ("acceptance", request_user)):
            Signature.objects.create(
                agreement=agreement, part=part, signer=user, signer_name=user.get_full_name()
                or user.username, signer_role="duty officer", organization=user.organization,
                signed_at=START + timedelta(days=3), text_hash=agreement.text_hash)
        Offer.objects.filter(pk=offer.pk).update(state=Offer.State.ACCEPTED)
    return agreement


def make_deployment(sending_user, agreement, *, name="CONAFOR/DEFENSA contingent",
                    state=Deployment.State.MOBILIZING, transport=Deployment.Transport.AIR,
                    rel_to=None, **fields):
    """A deployment owned by the sending nation, released to the host nation."""
    host = agreement.offer.incident.country
    defaults = {"arrival_airport": "March Air Reserve Base", "reception_site": "Beaumont",
                "planned_crossing_at": START + timedelta(days=4)}
    deployment = Deployment(agreement=agreement, incident=agreement.offer.incident,
                            sending_organization=sending_user.organization, host_nation=host,
                            name=name, state=state, transport=transport,
                            **{**defaults, **fields})
    return _mark(deployment, sending_user, rel_to or (host.code,), "approved")


def add_roster_member(deployment, name="Luis Pérez", *, organization=None, languages="es,en"):
    member = RosterMember(deployment=deployment, full_name=name,
                          organization=organization or deployment.sending_organization,
                          languages=languages, position="Combatiente")
    member.created_by = deployment.created_by
    apply_parent_marking(member)
    return member


def organization(acronym):
    return Organization.objects.get(acronym=acronym)
