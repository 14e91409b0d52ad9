"""The three-part signed mutual aid agreement: every write (validate → save → history → notify,
in one transaction).

The agreement is drawn up by the requesting side from an offer, owned by it and released to the
assisting nation, which signs the offer part. Each signature records the SHA-256 of the exact
agreed text (`response.agreement_text`); once accepted the agreement never changes: an
amendment is a new version that needs the three signatures again and supersedes the old one
when accepted.
"""

import json
from datetime import UTC
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import acting_as
from core.models import Disclosure
from core.permissions import may, require, require_role
from core.services import apply_marking
from response.agreement_text import agreement_hash, compose_text
from response.models import AidAgreement, Offer, ResourceRequest, Signature
from response.services.common import holders, moment, notify_in_both, state_error, whole
from response.services.offers import PENDING_OFFER_STATES, clean_money
from response.services.requests import OFFERABLE_REQUEST_STATES

RS = ResourceRequest.State
OS = Offer.State
AS = AidAgreement.State
PART = Signature.Part

# The agreed terms an amendment may change.
AMENDABLE_TERMS = ("duration_days", "available_from", "self_sustaining", "cost_terms",
                   "estimated_cost", "currency", "conditions_en", "conditions_es", "lines")


def _utc(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else None


def _money(amount):
    return None if amount is None else f"{Decimal(amount):.2f}"


def _party(organization):
    nation = organization.nation
    return {"acronym": organization.acronym, "name_en": organization.name_en,
            "name_es": organization.name_es, "nation": nation.code,
            "nation_en": nation.name_en, "nation_es": nation.name_es}


def compose_terms(offer, requesting_organization):
    """The agreed terms of an offer as plain values: what `compose_text` writes out and the
    hash covers."""
    request = offer.request
    assisting = offer.offering_organization
    lines = [{"kind": line.kind.code, "kind_en": line.kind.name_en, "kind_es": line.kind.name_es,
              "quantity": line.quantity, "headcount": line.headcount,
              "agency": line.agency.acronym, "agency_en": line.agency.name_en,
              "agency_es": line.agency.name_es}
             for line in offer.lines.select_related("kind", "agency").order_by("pk")]
    incident = offer.incident
    return {
        "offer": offer.pk,
        "request": request.pk if request else None,
        "request_number": request.number if request else None,
        "incident": {"id": incident.pk, "name_en": incident.name_en,
                     "name_es": incident.name_es, "country": incident.country.code},
        "requesting_organization": _party(requesting_organization),
        "assisting_organization": _party(assisting),
        "lines": lines,
        "self_sustaining": offer.self_sustaining,
        "duration_days": offer.duration_days,
        "available_from": _utc(offer.available_from),
        "cost_terms": offer.cost_terms,
        "estimated_cost": _money(offer.estimated_cost),
        "currency": offer.currency,
        "conditions_en": offer.conditions_en,
        "conditions_es": offer.conditions_es,
        "reporting_location": request.reporting_location if request else None,
        "needed_by": _utc(request.needed_by) if request else None,
    }


def _signers(agreement, part):
    organization = (agreement.assisting_organization_id if part == PART.OFFER
                    else agreement.requesting_organization_id)
    return holders("sign_aidagreement", organization_id=organization)


def _subject(agreement):
    return agreement.terms.get("request_number") or _incident_name(agreement.terms)


def _incident_name(terms):
    language = "es" if (translation.get_language() or "en").startswith("es") else "en"
    incident = terms.get("incident") or {}
    return incident.get(f"name_{language}") or incident.get("name_en") or ""


def _ask_for_signatures(agreement, parts):
    for part in parts:
        def render(part=part):
            return _("Signature needed: the %(part)s part of the mutual aid agreement for "
                     "%(subject)s (version %(version)s).") % {
                "part": PART(part).label.lower(), "subject": _subject(agreement),
                "version": agreement.version}

        notify_in_both(_signers(agreement, part), agreement, render,
                f"aidagreement:{agreement.pk}:sign:{part}")


def may_draw_up(user, offer):
    """Whether the user's side may draw up an agreement on the offer (not whether the offer's
    state allows it now)."""
    if not user.has_perm("response.add_aidagreement") or user.organization_id is None:
        return False
    if offer.request_id:
        return user.organization_id == offer.request.requesting_organization_id
    return user.nation_id == offer.incident.country_id


def _new_version(user, agreement, *, request, offer, version, amends, terms, reason,
                 requesting_organization, rel_to):
    agreement.request, agreement.offer = request, offer
    agreement.version, agreement.amends = version, amends
    agreement.requesting_organization = requesting_organization
    agreement.assisting_organization = offer.offering_organization
    agreement.terms = terms
    previous = amends.version if amends else None
    agreement.text_en = compose_text(terms, "en", version=version, amends_version=previous,
                                     reason=reason)
    agreement.text_es = compose_text(terms, "es", version=version, amends_version=previous,
                                     reason=reason)
    agreement.text_hash = agreement_hash(terms, agreement.text_en, agreement.text_es)
    agreement.amendment_reason = reason
    agreement.state = AS.AWAITING_SIGNATURES
    agreement.created_by = user
    with acting_as(user):
        apply_marking(agreement, owner=requesting_organization.nation, rel_to=rel_to,
                      disclosure=Disclosure.APPROVED)
    _ask_for_signatures(agreement, (PART.REQUEST, PART.OFFER))
    return agreement


@transaction.atomic
def draw_up_agreement(user, offer):
    """The agreement on an offered or under-review offer, drawn up by a user of the requesting
    organization (for an unsolicited offer, of the incident's host nation): the terms and the
    numbered text in English and Spanish, hashed; owned by the requesting nation and released
    with disclosure approved to the assisting one. The offer goes under review; both
    organizations' signers are asked for the request and offer parts."""
    require_role(user, "response.add_aidagreement")
    offer = Offer.objects.select_for_update(of=("self",)).select_related(
        "request__requesting_organization", "incident__country",
        "offering_organization__nation").get(pk=offer.pk)
    require(user, offer, "view")
    if not may_draw_up(user, offer):
        raise PermissionDenied(
            _("Only a user of the requesting organization may draw up the agreement.")
            if offer.request_id else
            _("Only a user of the incident's host nation may draw up the agreement on an "
              "unsolicited offer."))
    if offer.state not in PENDING_OFFER_STATES:
        raise state_error(offer, _("Draw up the agreement"))
    if offer.request_id and offer.request.state not in OFFERABLE_REQUEST_STATES:
        raise ValidationError({"request": _(
            "The request is %(state)s: no agreement can be drawn up on it.")
            % {"state": offer.request.get_state_display().lower()}})
    if offer.agreements.filter(state=AS.AWAITING_SIGNATURES).exists():
        raise ValidationError(_("An agreement on this offer is already awaiting "
                                "signatures."))
    if offer.state == OS.OFFERED:
        offer.state = OS.UNDER_REVIEW
        with acting_as(user):
            offer.save(update_fields=["state", "updated_at"])
    requesting = (offer.request.requesting_organization if offer.request_id
                  else user.organization)
    latest = offer.agreements.order_by("-version").values_list("version", flat=True).first()
    return _new_version(
        user, AidAgreement(), request=offer.request, offer=offer, version=(latest or 0) + 1,
        amends=None, terms=compose_terms(offer, requesting), reason="",
        requesting_organization=requesting, rel_to=[offer.owner_nation])


def verify_agreement(agreement):
    """Whether the stored terms and texts still hash to the agreement's hash, and every
    signature was made over that hash."""
    current = agreement_hash(agreement.terms, agreement.text_en, agreement.text_es)
    return current == agreement.text_hash and all(
        signature.text_hash == current for signature in agreement.signatures.all())


def _part_organization(agreement, part):
    return (agreement.assisting_organization if part == PART.OFFER
            else agreement.requesting_organization)


def signable_parts(user, agreement):
    """The parts the user may sign now."""
    if (agreement.state != AS.AWAITING_SIGNATURES
            or not may(user, agreement, "sign")):
        return []
    signed = {s.part for s in agreement.signatures.all()}
    parts = []
    for part in PART.values:
        if part in signed or _part_organization(agreement, part).pk != user.organization_id:
            continue
        if part == PART.ACCEPTANCE and not {PART.REQUEST, PART.OFFER} <= signed:
            continue
        parts.append(part)
    return parts


def accepted_quantity(request):
    """What in-force agreements give the request: quantities of its kind, and of acceptable
    substitutes when it takes them."""
    return accepted_quantities([request])[request.pk]


def accepted_quantities(requests):
    """accepted_quantity of each request, {pk: quantity}, with one query for the agreements
    whatever their number (prefetch the kinds' substitutes of many requests)."""
    kinds = {request.pk: {request.kind.code} | (
        {kind.code for kind in request.kind.substitutes.all()}
        if request.substitutes_acceptable else set()) for request in requests}
    given = dict.fromkeys(kinds, 0)
    for pk, terms in AidAgreement.objects.filter(request__in=list(kinds), state=AS.IN_FORCE) \
            .values_list("request_id", "terms"):
        given[pk] += sum(line["quantity"] for line in terms["lines"] if line["kind"] in kinds[pk])
    return given


def _accept(user, agreement):
    """The acceptance is signed: the agreement comes into force, replacing the version it
    amends; the offer is accepted; the request is filled as far as agreements in force go."""
    now = timezone.now()
    with acting_as(user):
        if agreement.amends_id:
            previous = AidAgreement.objects.select_for_update().get(pk=agreement.amends_id)
            previous.state = AS.SUPERSEDED
            previous.save(update_fields=["state", "updated_at"])
        agreement.state = AS.IN_FORCE
        agreement.in_force_at = now
        agreement.save(update_fields=["state", "in_force_at", "updated_at"])
        offer = Offer.objects.select_for_update().get(pk=agreement.offer_id)
        if offer.state != OS.ACCEPTED:
            offer.state = OS.ACCEPTED
            offer.save(update_fields=["state", "updated_at"])
        if agreement.request_id:
            request = ResourceRequest.objects.select_for_update().get(pk=agreement.request_id)
            if request.state in (RS.SUBMITTED, RS.PARTIALLY_FILLED, RS.FILLED,
                                 RS.UNABLE_TO_FILL):
                filled = accepted_quantity(request) >= request.quantity
                request.state = RS.FILLED if filled else RS.PARTIALLY_FILLED
                request.save(update_fields=["state", "updated_at"])

    def render():
        return _("Mutual aid agreement for %(subject)s accepted and in force (version "
                 "%(version)s).") % {"subject": _subject(agreement),
                                     "version": agreement.version}

    both = User.objects.filter(is_active=True, organization_id__in=[
        agreement.requesting_organization_id, agreement.assisting_organization_id]
    ).order_by("pk")
    notify_in_both(both, agreement, render, f"aidagreement:{agreement.pk}:accepted")


@transaction.atomic
def sign_agreement(user, agreement, part):
    """Sign one part: request and acceptance by a user of the requesting organization, offer
    by one of the assisting organization; acceptance only after the other two. The signature
    records the signer's name, roles, organization, the time and the hash of the text as
    stored now — refused if the text no longer matches the hash it was drawn up with. Signing
    the acceptance brings the agreement into force (see `_accept`)."""
    require_role(user, "response.sign_aidagreement")
    if part not in PART.values:
        raise ValidationError({"part": _("Unknown part %(part)s: choose one of %(parts)s.") % {
            "part": part, "parts": ", ".join(PART.values)}})
    require(user, agreement, "sign")
    agreement = AidAgreement.objects.select_for_update(of=("self",)).select_related(
        "requesting_organization", "assisting_organization").get(pk=agreement.pk)
    organization = _part_organization(agreement, part)
    if user.organization_id != organization.pk:
        raise PermissionDenied(_("Only a user of %(organization)s may sign the %(part)s part.")
                               % {"organization": organization.acronym,
                                  "part": PART(part).label.lower()})
    if agreement.state != AS.AWAITING_SIGNATURES:
        raise ValidationError(_("This agreement is %(state)s: it takes no more signatures.")
                              % {"state": agreement.get_state_display().lower()})
    signed = set(agreement.signatures.values_list("part", flat=True))
    if part in signed:
        raise ValidationError({"part": _("The %(part)s part is already signed.")
                               % {"part": PART(part).label.lower()}})
    if part == PART.ACCEPTANCE and not {PART.REQUEST, PART.OFFER} <= signed:
        raise ValidationError({"part": _("The acceptance is signed after the request and the "
                                         "offer.")})
    current = agreement_hash(agreement.terms, agreement.text_en, agreement.text_es)
    if current != agreement.text_hash:
        raise ValidationError(_("The agreement's text no longer matches the text it was drawn "
                                "up with: it must not be signed."))
    roles = ", ".join(role.name_en for role in user.roles.order_by("code"))
    with acting_as(user):
        signature = Signature.objects.create(
            agreement=agreement, part=part, signer=user,
            signer_name=(user.get_full_name() or user.username)[:200],
            signer_role=roles[:100], organization=organization, signed_at=timezone.now(),
            text_hash=current)
    signed.add(part)
    if part == PART.ACCEPTANCE:
        _accept(user, agreement)
    elif {PART.REQUEST, PART.OFFER} <= signed:
        _ask_for_signatures(agreement, (PART.ACCEPTANCE,))
    return signature


def _amended_terms(terms, changes):
    unknown = sorted(set(changes) - set(AMENDABLE_TERMS))
    if unknown:
        raise ValidationError({name: _("This term cannot be amended.") for name in unknown})
    new = json.loads(json.dumps(terms))
    probe = Offer(duration_days=terms["duration_days"], cost_terms=terms["cost_terms"],
                  currency=terms["currency"], estimated_cost=terms["estimated_cost"])
    errors = {}
    for name, value in changes.items():
        if name == "lines":
            if not isinstance(value, list | tuple) or len(value) != len(new["lines"]):
                errors["lines"] = _("Give each of the %(count)s lines, in order.") % {
                    "count": len(new["lines"])}
                continue
            for line, change in zip(new["lines"], value, strict=True):
                if change.get("quantity") is not None:
                    line["quantity"] = whole(change["quantity"], "lines", 1)
                if change.get("headcount") is not None:
                    line["headcount"] = whole(change["headcount"], "lines", 0)
        elif name == "duration_days":
            probe.duration_days = whole(value, name, 1)
            if probe.duration_days > 28:
                errors[name] = _("Ensure this value is at most %(max)s.") % {"max": 28}
            new[name] = probe.duration_days
        elif name == "available_from":
            if value is None:
                errors[name] = _("This field is required.")
            else:
                new[name] = _utc(moment(value, name))
        elif name == "self_sustaining":
            new[name] = bool(value)
        elif name == "cost_terms":
            if value not in Offer.CostTerms.values:
                errors[name] = _("Choose one of: %(choices)s.") % {
                    "choices": ", ".join(Offer.CostTerms.values)}
            new[name] = value
        elif name in ("estimated_cost", "currency"):
            setattr(probe, name, value)
        else:  # conditions
            new[name] = (value or "").strip()
    if errors:
        raise ValidationError(errors)
    if "estimated_cost" in changes or "currency" in changes:
        clean_money(probe)
        new["estimated_cost"] = _money(probe.estimated_cost)
        new["currency"] = probe.currency
    return new


@transaction.atomic
def amend_agreement(user, agreement, *, reason, **changes):
    """A new version of an agreement in force, changing the terms given (AMENDABLE_TERMS;
    `lines` is a list with a {quantity, headcount} per agreed line, in order), with a reason.
    It awaits the three signatures; the version it amends stays in force until it is
    accepted, then is superseded. Only the requesting organization draws up amendments."""
    require(user, agreement, "view", perm="response.add_aidagreement")
    agreement = AidAgreement.objects.select_for_update(of=("self",)).select_related(
        "request", "offer__offering_organization", "requesting_organization__nation").get(
        pk=agreement.pk)
    if user.organization_id != agreement.requesting_organization_id:
        raise PermissionDenied(_("Only a user of %(organization)s may amend this agreement.")
                               % {"organization": agreement.requesting_organization.acronym})
    if agreement.state != AS.IN_FORCE:
        raise ValidationError(_("Only an agreement in force can be amended; this one is "
                                "%(state)s.") % {"state": agreement.get_state_display().lower()})
    amendment = AidAgreement.objects.filter(amends=agreement).first()
    if amendment is not None:
        raise ValidationError(_("This agreement already has an amendment: version "
                                "%(version)s, %(state)s.") % {
            "version": amendment.version, "state": amendment.get_state_display().lower()})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the amendment.")})
    terms = _amended_terms(agreement.terms, changes)
    if terms == agreement.terms:
        raise ValidationError(_("The amendment changes none of the agreed terms."))
    latest = agreement.offer.agreements.order_by("-version").values_list(
        "version", flat=True).first()
    return _new_version(
        user, AidAgreement(), request=agreement.request, offer=agreement.offer,
        version=latest + 1, amends=agreement, terms=terms, reason=reason,
        requesting_organization=agreement.requesting_organization,
        rel_to=list(agreement.rel_to.all()))
