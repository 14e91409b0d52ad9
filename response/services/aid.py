"""Requests, offers and the three-part signed agreement: every write (validate → save → history →
notify, in one transaction), plus the restricted reads the pages and the API share.

A request (ICS-213RR) is owned by the requesting nation; an offer by the offering nation, and
an offer against a request is released to the requester (offering is the disclosure decision).
The agreement is drawn up by the requesting side from an offer, owned by it and released to the
assisting nation, which signs the offer part. Each signature records the SHA-256 of the exact
agreed text; once accepted the agreement never changes: an amendment is a new version that
needs the three signatures again and supersedes the old one when accepted.
"""

import hashlib
import json
from datetime import UTC
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.audit import acting_as
from core.lifecycle import Lifecycle, Transition, refused_by_state
from core.models import Disclosure
from core.permissions import may, require, require_role
from core.services import (
    apply_marking,
    change_marking,
    check_new_marking,
    nations_by_code,
)
from response.models import (
    AidAgreement,
    Offer,
    OfferLine,
    ResourceRequest,
    Signature,
    Unit,
)
from response.services import common
from response.services.common import (
    check_changeable,
    filtered,
    holders,
    moment,
    nation_code,
    notify_in_both,
)

RS = ResourceRequest.State
OS = Offer.State
AS = AidAgreement.State
PART = Signature.Part

# The nation across the California–Baja California line: where an escalated request goes
# when no nation is named.
BORDER_PARTNER = {"USA": "MEX", "MEX": "USA"}

REQUEST_FIELDS = ("incident", "kind", "quantity", "needed_by", "reporting_location", "priority",
                  "special_instructions", "substitutes_acceptable", "number",
                  "requesting_organization")
# Open: neither filled nor finished. A filled request is closed, not cancelled.
OPEN_REQUEST_STATES = (RS.DRAFT, RS.SUBMITTED, RS.PARTIALLY_FILLED, RS.UNABLE_TO_FILL)
OFFERABLE_REQUEST_STATES = (RS.SUBMITTED, RS.PARTIALLY_FILLED)
PENDING_OFFER_STATES = (OS.OFFERED, OS.UNDER_REVIEW)



def _may_take_request_step(user, request, step):
    """The requesting nation moves its request; escalating releases it to another nation, so
    only a foreign disclosure reviewer may."""
    return may(user, request, "transition") and (
        step.name != "escalate" or user.has_perm("response.review_disclosure_resourcerequest"))


def _may_take_offer_step(user, offer, step):
    """The requesting nation reviews or declines an offer; the offering nation withdraws it."""
    side = offer.owner_nation_id if step.name == "withdraw" else _requesting_nation_id(offer)
    return (user.has_perm("response.transition_offer")
            and side == getattr(user, "nation_id", None))


_NOT_POSSIBLE = refused_by_state(gettext_lazy("“%(action)s” is not possible: the %(record)s is "
                                              "%(state)s."))
REQUEST_LIFECYCLE = Lifecycle(
    Transition("submit", (RS.DRAFT,), RS.SUBMITTED, gettext_lazy("Submit")),
    Transition("cancel", OPEN_REQUEST_STATES, RS.CANCELLED, gettext_lazy("Cancel"),
               needs_reason=True),
    Transition("unable_to_fill", (RS.SUBMITTED, RS.PARTIALLY_FILLED), RS.UNABLE_TO_FILL,
               gettext_lazy("Unable to fill"), needs_reason=True),
    Transition("escalate", (RS.UNABLE_TO_FILL,), RS.SUBMITTED,
               gettext_lazy("Escalate to the partner nation")),
    Transition("close", (RS.FILLED, RS.PARTIALLY_FILLED), RS.CLOSED, gettext_lazy("Close")),
    may=_may_take_request_step, refused=_NOT_POSSIBLE, reason_field="state_reason",
)
OFFER_LIFECYCLE = Lifecycle(
    Transition("review", (OS.OFFERED,), OS.UNDER_REVIEW, gettext_lazy("Start review")),
    Transition("decline", PENDING_OFFER_STATES, OS.DECLINED, gettext_lazy("Decline"),
               needs_reason=True),
    Transition("withdraw", PENDING_OFFER_STATES, OS.WITHDRAWN, gettext_lazy("Withdraw"),
               needs_reason=True),
    may=_may_take_offer_step, refused=_NOT_POSSIBLE, reason_field="state_reason",
)

# The agreed terms an amendment may change.
AMENDABLE_TERMS = ("duration_days", "available_from", "self_sustaining", "cost_terms",
                   "estimated_cost", "currency", "conditions_en", "conditions_es", "lines")
MAX_LINES = 50


# ---- Shared guards ---------------------------------------------------------------------------

def _state_error(record, label):
    return ValidationError(_("“%(action)s” is not possible: the %(record)s is %(state)s.") % {
        "action": label, "record": record._meta.verbose_name,
        "state": record.get_state_display().lower()})


def _whole(value, field, minimum):
    """`value` as a whole number of at least `minimum`, else a validation error on `field`."""
    try:
        number = int(str(value).strip()) if not isinstance(value, bool | float) else None
    except ValueError:
        number = None
    if isinstance(value, float) and value.is_integer():
        number = int(value)
    if number is None:
        raise ValidationError({field: _("Enter a whole number.")})
    if number < minimum:
        raise ValidationError({field: _("Ensure this value is at least %(min)s.")
                               % {"min": minimum}})
    return number


# ---- Resource requests -----------------------------------------------------------------------

def _next_number(owner, incident):
    """The owner nation's next request number of the incident's start year: USA-2025-0007."""
    prefix = f"{owner.code}-{incident.started_at.year}-"
    used = ResourceRequest.objects.filter(owner_nation=owner, number__startswith=prefix)
    highest = 0
    for number in used.values_list("number", flat=True):
        suffix = number[len(prefix):]
        if suffix.isdigit():
            highest = max(highest, int(suffix))
    return f"{prefix}{highest + 1:04d}"


def _check_request(user, request):
    """What the model cannot check: the incident is the user's to see, the requesting
    organization is of the user's nation, the number unused by the nation."""
    errors = {}
    if not request.incident_id:
        errors["incident"] = _("This field is required.")
    elif not may(user, request.incident):
        errors["incident"] = _("Choose an incident you may see.")
    organization = request.requesting_organization
    if organization is not None and organization.nation_id != user.nation_id:
        errors["requesting_organization"] = _(
            "The requesting organization must be of your nation.")
    if request.number and ResourceRequest.objects.filter(
            owner_nation_id=request.owner_nation_id, number=request.number).exclude(
            pk=request.pk).exists():
        errors["number"] = _("Your nation already has a request numbered %(number)s.") % {
            "number": request.number}
    if request.needed_by is None:
        errors["needed_by"] = _("This field is required.")
    else:
        try:
            request.needed_by = moment(request.needed_by, "needed_by")
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_request(user, *, incident, kind, quantity, needed_by, reporting_location,
                   priority=ResourceRequest.Priority.ROUTINE, special_instructions="",
                   substitutes_acceptable=False, number="", requesting_organization=None,
                   rel_to=(), disclosure=Disclosure.NOT_REVIEWED, tlp=""):
    """A draft ICS-213RR request owned by the user's nation. The number, when blank, is the
    nation's next of the incident's start year (USA-2025-0001); the requesting organization
    defaults to the user's."""
    require_role(user, "response.add_resourcerequest")
    request = ResourceRequest(
        incident=incident, kind=common.kind(kind), quantity=_whole(quantity, "quantity", 1),
        needed_by=needed_by, reporting_location=(reporting_location or "").strip(),
        priority=priority, special_instructions=special_instructions or "",
        substitutes_acceptable=bool(substitutes_acceptable),
        number=(number or "").strip(), state=RS.DRAFT, requested_by=user,
        requesting_organization=common.organization(requesting_organization,
                                              "requesting_organization") or user.organization,
        owner_nation=user.nation, disclosure=disclosure, tlp=tlp or "", created_by=user)
    check_new_marking(user, request, disclosure)
    _check_request(user, request)
    common.check_incident_released(incident, rel_to)
    generated = not request.number
    if generated:
        request.number = _next_number(user.nation, incident)
    request.full_clean(exclude=["rel_to"], validate_constraints=False)
    for attempt in range(5):
        try:
            with transaction.atomic(), acting_as(user):
                apply_marking(request, owner=user.nation, rel_to=rel_to,
                              disclosure=disclosure, tlp=tlp or "")
            return request
        except IntegrityError:
            # Another request took the number meanwhile: take the next one.
            if not generated or attempt == 4:
                raise ValidationError({"number": _(
                    "Your nation already has a request numbered %(number)s.")
                    % {"number": request.number}}) from None
            request.pk = None
            request.number = _next_number(user.nation, incident)
    return request  # pragma: no cover (the loop returns or raises)


@transaction.atomic
def update_request(user, request, **fields):
    """Change the fields given while the request is a draft or submitted; only the owning
    nation may. The state changes only through `transition_request`."""
    require(user, request, "change")
    check_changeable(fields, REQUEST_FIELDS)
    request = ResourceRequest.objects.select_for_update().get(pk=request.pk)
    if request.state not in (RS.DRAFT, RS.SUBMITTED):
        raise ValidationError(_("This request is %(state)s: it can no longer be changed.")
                              % {"state": request.get_state_display().lower()})
    for name, value in fields.items():
        if name == "kind":
            value = common.kind(value)
        elif name == "quantity":
            value = _whole(value, "quantity", 1)
        elif name == "requesting_organization":
            value = common.organization(value, name) or user.organization
        elif name in ("number", "reporting_location", "special_instructions"):
            value = (value or "").strip()
        setattr(request, name, value)
    if not request.number:
        request.number = _next_number(request.owner_nation, request.incident)
    _check_request(user, request)
    request.full_clean(exclude=["rel_to"], validate_constraints=False)
    with acting_as(user):
        request.save()
    return request


def _partner_users(request, nation_ids):
    return holders("add_offer", nation_id__in=nation_ids)


def _announce_request(request, nation_ids, key, escalated=False):
    """Tell the partner nations' users who may offer about a request released to them."""
    if not nation_ids:
        return []

    def render():
        values = {"number": request.number, "kind": request.kind.name,
                  "quantity": request.quantity, "incident": request.incident.name,
                  "nation": request.owner_nation.name}
        if escalated:
            return _("Resource request %(number)s could not be filled by %(nation)s and is "
                     "escalated to your nation: %(quantity)s × %(kind)s for %(incident)s.") % values
        return _("Resource request %(number)s released to your nation: %(quantity)s × "
                 "%(kind)s for %(incident)s.") % values

    return notify_in_both(_partner_users(request, nation_ids), request, render, key)


def _partner_nation_ids(request):
    return [n.pk for n in request.rel_to.all() if n.pk != request.owner_nation_id]


def request_transitions_for(user, request):
    """The steps the user's role and nation allow from the request's state now."""
    return REQUEST_LIFECYCLE.options(user, request)


def _escalation_nations(request, nations):
    if nations:
        chosen = [n for n in nations if not isinstance(n, str)]
        codes = [n for n in nations if isinstance(n, str)]
        chosen += nations_by_code(codes, "nations") if codes else []
    else:
        partner = BORDER_PARTNER.get(request.owner_nation.code)
        if partner is None:
            raise ValidationError({"nations": _("Name the nation to escalate the request "
                                                "to.")})
        chosen = nations_by_code([partner], "nations")
    chosen = [n for n in chosen if n.pk != request.owner_nation_id]
    if not chosen:
        raise ValidationError({"nations": _("Escalate to another nation than your own.")})
    return chosen


@transaction.atomic
def transition_request(user, request, name, *, reason="", nations=None):
    """Move the request one step: submit (draft → submitted; the partner nations it is released
    to with disclosure approved are told), cancel (an open request, with a reason),
    unable_to_fill (submitted or partially filled, with a reason), escalate (unable to fill →
    submitted again, released with disclosure approved to `nations` — by default the nation
    across the border — who are told; needs the disclosure-review permission) and close
    (filled or partially filled). Partially filled and filled follow from accepted agreements
    only. Returns the request as it now is."""
    require(user, request, "transition", nation_refusal=_(
        "Only the requesting nation may move its request through its lifecycle."))
    REQUEST_LIFECYCLE.step(name)
    given = request
    request = ResourceRequest.objects.select_for_update().get(pk=request.pk)
    REQUEST_LIFECYCLE.check(request, name, reason=reason)
    added, changes = [], {}
    if name == "escalate":
        if not user.has_perm("response.review_disclosure_resourcerequest"):
            raise PermissionDenied(_("Escalating releases the request to another nation: "
                                     "only a foreign disclosure reviewer may."))
        added = _escalation_nations(request, nations)
        common.check_incident_released(request.incident, added, "nations")
        changes["escalated_at"] = timezone.now()
    REQUEST_LIFECYCLE.move(user, request, name, reason=reason, changes=changes)
    with acting_as(user):
        if added:
            apply_marking(request, owner=request.owner_nation,
                          rel_to=[*request.rel_to.all(), *added],
                          disclosure=Disclosure.APPROVED, tlp=request.tlp)
    if name == "cancel":
        _void_pending_agreements(user, AidAgreement.objects.filter(request=request))
    if name == "submit":
        _announce_request(request, _partner_nation_ids(request),
                          f"resourcerequest:{request.pk}:releasable")
    elif name == "escalate":
        _announce_request(request, [n.pk for n in added],
                          f"resourcerequest:{request.pk}:escalated:{int(request.escalated_at.timestamp())}",
                          escalated=True)
    for field in ("state", "state_reason", "escalated_at", "disclosure", "updated_at"):
        setattr(given, field, getattr(request, field))
    return request


@transaction.atomic
def change_request_marking(user, request, *, rel_to, disclosure, tlp=""):
    """Change who may see the request (core.services.change_marking). A submitted request newly
    released to a partner with disclosure approved is announced to it."""
    before = set(_partner_nation_ids(request)) if request.disclosure == Disclosure.APPROVED \
        else set()
    common.check_incident_released(request.incident, rel_to)
    change_marking(request, user, rel_to=rel_to, disclosure=disclosure, tlp=tlp)
    if request.state in OFFERABLE_REQUEST_STATES and request.disclosure == Disclosure.APPROVED:
        new = [pk for pk in _partner_nation_ids(request) if pk not in before]
        _announce_request(request, new, f"resourcerequest:{request.pk}:releasable")
    return request


# ---- Offers ----------------------------------------------------------------------------------

def _requesting_nation_id(offer):
    """Whose decision the offer is: the request's nation, or for an unsolicited offer the
    incident's host nation."""
    return offer.request.owner_nation_id if offer.request_id else offer.incident.country_id


def _clean_lines(user, incident, lines):
    """OfferLine rows (unsaved) for `lines`; every refusal names the line."""
    if not lines:
        raise ValidationError({"lines": _("Offer at least one resource.")})
    if len(lines) > MAX_LINES:
        raise ValidationError({"lines": _("An offer has at most %(max)s lines.")
                               % {"max": MAX_LINES}})
    abroad = incident.country_id != user.nation_id
    rows, errors = [], []
    for index, line in enumerate(lines, start=1):
        problems = []
        try:
            kind = common.kind(line.get("kind"))
            quantity = _whole(line.get("quantity"), "quantity", 1)
            headcount = _whole(line.get("headcount") or 0, "headcount", 0)
            agency = common.organization(line.get("agency"), "agency")
        except ValidationError as exc:
            errors += [_("Line %(n)s: %(problem)s") % {"n": index, "problem": m}
                       for m in exc.messages]
            continue
        if agency is None:
            problems.append(_("name the agency that sends it."))
        elif agency.nation_id != user.nation_id:
            problems.append(_("the agency must be of your nation."))
        unit = line.get("unit")
        if unit is not None and not isinstance(unit, Unit):
            unit = Unit.objects.filter(pk=unit).first() if str(unit).isdigit() else None
            if unit is None:
                problems.append(_("choose a unit you may see."))
        if unit is not None:
            if not may(user, unit):
                problems.append(_("choose a unit you may see."))
            elif unit.owner_nation_id != user.nation_id:
                problems.append(_("the unit must be of your nation."))
            elif unit.held_for_home_coverage:
                problems.append(_("%(unit)s is held for home coverage.") % {"unit": unit})
            elif abroad and not unit.cross_border_eligible:
                problems.append(_("%(unit)s may not cross the border.") % {"unit": unit})
        errors += [_("Line %(n)s: %(problem)s") % {"n": index, "problem": p} for p in problems]
        rows.append(OfferLine(kind=kind, quantity=quantity, headcount=headcount, agency=agency,
                              unit=unit if not problems else None))
    if errors:
        raise ValidationError({"lines": errors})
    return rows


def _clean_money(offer):
    errors = {}
    offer.currency = str(offer.currency or "").strip().upper()
    if len(offer.currency) != 3 or not offer.currency.isalpha():
        errors["currency"] = _("Enter a three-letter currency code such as USD or MXN.")
    if offer.estimated_cost not in (None, ""):
        try:
            offer.estimated_cost = Decimal(str(offer.estimated_cost))
        except InvalidOperation:
            errors["estimated_cost"] = _("Enter a number.")
        else:
            if offer.estimated_cost < 0:
                errors["estimated_cost"] = _("The amount cannot be negative.")
    else:
        offer.estimated_cost = None
    if errors:
        raise ValidationError(errors)


def _offer_recipients(offer):
    organization_id = (offer.request.requesting_organization_id if offer.request_id
                       else offer.incident.host_agency_id)
    return holders("transition_offer", organization_id=organization_id)


def _offer_summary(offer, lines):
    return "; ".join(f"{line.quantity} × {line.kind.name} ({line.agency.acronym}, "
                     f"{line.headcount})" for line in lines)


@transaction.atomic
def create_offer(user, *, request=None, incident=None, lines, self_sustaining=False,
                 duration_days, available_from, cost_terms, estimated_cost=None,
                 currency="USD", conditions_en="", conditions_es="", rel_to=(),
                 disclosure=Disclosure.NOT_REVIEWED, tlp=""):
    """An offer by the user's organization, owned by the user's nation. `lines`: dicts of kind
    (code or ResourceKind), quantity, headcount, agency (acronym or Organization, of the
    offering nation) and optionally unit (a unit of the offering nation the user may see, not
    held for home coverage, and cross-border eligible when the incident is abroad).

    Against a request (visible, submitted or partially filled) the offer is released to the
    request's nation with disclosure approved; an unsolicited offer names its incident and
    follows the marking given. The requesting side's responders are told."""
    require_role(user, "response.add_offer")
    if user.organization_id is None:
        raise PermissionDenied(_("Your account belongs to no organization."))
    errors = {}
    if request is not None:
        if not may(user, request):
            raise ValidationError({"request": _("Choose a request you may see.")})
        if request.state not in OFFERABLE_REQUEST_STATES:
            raise ValidationError({"request": _(
                "Only a submitted or partially filled request takes offers; this one is "
                "%(state)s.") % {"state": request.get_state_display().lower()}})
        if incident is not None and incident.pk != request.incident_id:
            errors["incident"] = _("The offer is for the request's incident.")
        incident = request.incident
    elif incident is None:
        raise ValidationError({"incident": _("An unsolicited offer names its incident.")})
    elif not may(user, incident):
        raise ValidationError({"incident": _("Choose an incident you may see.")})
    available_from = moment(available_from, "available_from")
    offer = Offer(request=request, incident=incident, offering_organization=user.organization,
                  offered_by=user, self_sustaining=bool(self_sustaining),
                  duration_days=duration_days, available_from=available_from,
                  cost_terms=cost_terms, estimated_cost=estimated_cost, currency=currency,
                  conditions_en=(conditions_en or "").strip(),
                  conditions_es=(conditions_es or "").strip(), state=OS.OFFERED,
                  owner_nation=user.nation, tlp=tlp or "", created_by=user)
    nations = {n.pk: n for n in rel_to}
    if request is not None and request.owner_nation_id != user.nation_id:
        # Offering to the requesting nation is the disclosure decision for it; releasing the
        # offer to any other nation still needs a reviewer.
        if set(nations) - {user.nation_id, request.owner_nation_id}:
            check_new_marking(user, offer, Disclosure.APPROVED)
        nations[request.owner_nation_id] = request.owner_nation
        disclosure = Disclosure.APPROVED
    else:
        check_new_marking(user, offer, disclosure)
    offer.disclosure = disclosure
    if errors:
        raise ValidationError(errors)
    common.check_incident_released(incident, nations.values())
    rows = _clean_lines(user, incident, lines)
    _clean_money(offer)
    offer.full_clean(exclude=["rel_to"])
    with acting_as(user):
        apply_marking(offer, owner=user.nation, rel_to=list(nations.values()),
                      disclosure=disclosure, tlp=tlp or "")
        for row in rows:
            row.offer = offer
            row.save()

    def render():
        values = {"organization": offer.offering_organization.acronym,
                  "summary": _offer_summary(offer, rows), "incident": incident.name}
        if request is not None:
            return _("Offer from %(organization)s for request %(number)s: %(summary)s.") % {
                **values, "number": request.number}
        return _("Unsolicited offer from %(organization)s for %(incident)s: "
                 "%(summary)s.") % values

    notify_in_both(_offer_recipients(offer), offer, render, f"offer:{offer.pk}:new")
    return offer


OFFER_FIELDS = ("self_sustaining", "duration_days", "available_from", "cost_terms",
                "estimated_cost", "currency", "conditions_en", "conditions_es")


def may_update_offer(user, offer):
    return offer.state in PENDING_OFFER_STATES and may(user, offer, "change")


@transaction.atomic
def update_offer(user, offer, *, lines=None, **fields):
    """Change an offer's terms (and, with `lines`, replace what it sends) while it is still
    offered or under review. An agreement awaiting signatures fixed the old terms: it is void
    and must be drawn up again. The requesting side is told of the change."""
    require(user, offer, "change",
            nation_refusal=_("Only the offering nation may change its offer."))
    check_changeable(fields, OFFER_FIELDS)
    given = offer
    offer = Offer.objects.select_for_update().get(pk=offer.pk)
    if offer.state not in PENDING_OFFER_STATES:
        raise _state_error(offer, _("Change the offer"))
    for name, value in fields.items():
        if name == "available_from":
            value = moment(value, name)
        elif name in ("conditions_en", "conditions_es"):
            value = (value or "").strip()
        setattr(offer, name, value)
    rows = _clean_lines(user, offer.incident, lines) if lines is not None else None
    _clean_money(offer)
    offer.full_clean(exclude=["rel_to"])
    with acting_as(user):
        offer.save()
        if rows is not None:
            offer.lines.all().delete()
            for row in rows:
                row.offer = offer
                row.save()
        _void_pending_agreements(user, offer.agreements.all())
    current = rows if rows is not None else list(offer.lines.select_related("kind", "agency"))

    def render():
        return _("Offer %(offer)s from %(organization)s changed: %(summary)s.") % {
            "offer": offer.pk, "organization": offer.offering_organization.acronym,
            "summary": _offer_summary(offer, current)}

    notify_in_both(_offer_recipients(offer), offer, render,
            f"offer:{offer.pk}:changed:{offer.updated_at.isoformat()}")
    for name in (*OFFER_FIELDS, "updated_at"):
        setattr(given, name, getattr(offer, name))
    return offer


def offer_transitions_for(user, offer):
    """The steps the user's role and side allow from the offer's state now."""
    return OFFER_LIFECYCLE.options(user, offer)


def _void_pending_agreements(user, agreements):
    """Agreements still awaiting signatures on an offer or request that is gone are void."""
    with acting_as(user):
        for agreement in agreements.filter(state=AS.AWAITING_SIGNATURES):
            agreement.state = AS.VOID
            agreement.save(update_fields=["state", "updated_at"])


@transaction.atomic
def transition_offer(user, offer, name, *, reason=""):
    """Move the offer one step: review (the requesting nation: offered → under review), decline
    (the requesting nation, with a reason) or withdraw (the offering nation, before
    acceptance, with a reason). An offer is accepted only by signing the acceptance part of
    its agreement. Declining or withdrawing voids agreements still awaiting signatures."""
    require_role(user, "response.transition_offer")
    if name == "accept":
        raise ValidationError({"name": _("An offer is accepted by signing the acceptance part "
                                         "of its agreement.")})
    OFFER_LIFECYCLE.step(name)
    given = offer
    offer = (Offer.objects.select_for_update(of=("self",)).select_related("request")
             .get(pk=offer.pk))
    require(user, offer, "view")
    if name == "withdraw" and offer.owner_nation_id != user.nation_id:
        raise PermissionDenied(_("Only the offering nation may withdraw its offer."))
    if name != "withdraw" and _requesting_nation_id(offer) != user.nation_id:
        raise PermissionDenied(_("Only the requesting nation may review or decline an "
                                 "offer."))
    OFFER_LIFECYCLE.move(user, offer, name, reason=reason)
    if offer.state in (OS.DECLINED, OS.WITHDRAWN):
        _void_pending_agreements(user, offer.agreements.all())
    for field in ("state", "state_reason", "updated_at"):
        setattr(given, field, getattr(offer, field))
    return offer


@transaction.atomic
def change_offer_marking(user, offer, *, rel_to, disclosure, tlp=""):
    """Change who may see the offer. An offer against another nation's request stays released
    to that nation with disclosure approved: the requester must see what it was offered."""
    if offer.request_id and offer.request.owner_nation_id != offer.owner_nation_id:
        requester = offer.request.owner_nation
        if disclosure != Disclosure.APPROVED:
            raise ValidationError({"disclosure": _(
                "An offer against %(nation)s's request stays approved for release to it.")
                % {"nation": requester.code}})
        rel_to = [*rel_to, requester]
    common.check_incident_released(offer.incident, rel_to)
    return change_marking(offer, user, rel_to=rel_to, disclosure=disclosure, tlp=tlp)


# ---- The agreement ---------------------------------------------------------------------------

def agreement_hash(terms, text_en, text_es):
    """SHA-256 of the agreed terms and both texts in one canonical serialization (sorted keys),
    so the same agreement hashes the same on any database."""
    canonical = json.dumps({"terms": terms, "text_en": text_en, "text_es": text_es},
                           sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _utc(moment):
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else None


def _money(amount):
    return None if amount is None else f"{Decimal(amount):.2f}"


def _party(organization):
    nation = organization.nation
    return {"acronym": organization.acronym, "name_en": organization.name_en,
            "name_es": organization.name_es, "nation": nation.code,
            "nation_en": nation.name_en, "nation_es": nation.name_es}


def _compose_terms(offer, requesting_organization):
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


# The agreed text is part of what each party signs, so its wording is fixed here in both
# languages rather than read from the translation catalog: a catalog change must never change
# (or unhash) a text already drawn up.
_TEXT = {
    "en": {
        "title": "MUTUAL AID AGREEMENT — version {version}",
        "amends": "Amends version {previous}. Reason for the amendment: {reason}",
        "request": "1. Request: {number} of {org} ({org_name}, {nation}), for the incident "
                   "{incident}.",
        "unsolicited": "1. Request: none; {org} ({org_name}, {nation}) accepts an unsolicited "
                       "offer for the incident {incident}.",
        "assistance": "2. Assistance: {org} ({org_name}, {nation}) provides:",
        "line": "   2.{n}. {quantity} × {kind} ({code}), {headcount} people, from {agency} "
                "({agency_name}).",
        "reporting": "3. Reporting location: {location}. Needed by {needed_by}.",
        "reporting_none": "3. Reporting location: as the requesting party directs.",
        "period": "4. Available from {available_from}, for {days} days.",
        "self": "5. Support: the assisting party is self-sustaining (its own food, water, "
                "shelter and fuel).",
        "not_self": "5. Support: the requesting party provides food, water, shelter and fuel.",
        "donated": "6. Cost: donated; the assisting party bears its own costs.",
        "reimbursable": "6. Cost: reimbursable; the requesting party reimburses the assisting "
                        "party's costs, estimated at {cost}.",
        "not_estimated": "not yet estimated",
        "conditions": "7. Conditions: {conditions}",
        "no_conditions": "none",
        "signatures": "8. This agreement is made in three parts — the request, the offer and "
                      "the acceptance — each signed by an authorized official of the right "
                      "organization, and takes effect on acceptance. The English and Spanish "
                      "texts are equally authentic. The terms change only by an amendment "
                      "signed in the same way.",
    },
    "es": {
        "title": "ACUERDO DE AYUDA MUTUA — versión {version}",
        "amends": "Modifica la versión {previous}. Motivo de la modificación: {reason}",
        "request": "1. Solicitud: {number} de {org} ({org_name}, {nation}), para el incidente "
                   "{incident}.",
        "unsolicited": "1. Solicitud: ninguna; {org} ({org_name}, {nation}) acepta un "
                       "ofrecimiento no solicitado para el incidente {incident}.",
        "assistance": "2. Asistencia: {org} ({org_name}, {nation}) proporciona:",
        "line": "   2.{n}. {quantity} × {kind} ({code}), {headcount} personas, de {agency} "
                "({agency_name}).",
        "reporting": "3. Lugar de presentación: {location}. Se necesita para el {needed_by}.",
        "reporting_none": "3. Lugar de presentación: el que indique la parte solicitante.",
        "period": "4. Disponible desde el {available_from}, por {days} días.",
        "self": "5. Apoyo: la parte que asiste es autosuficiente (sus propios alimentos, agua, "
                "alojamiento y combustible).",
        "not_self": "5. Apoyo: la parte solicitante proporciona alimentos, agua, alojamiento y "
                    "combustible.",
        "donated": "6. Costo: donado; la parte que asiste cubre sus propios costos.",
        "reimbursable": "6. Costo: reembolsable; la parte solicitante reembolsa los costos de "
                        "la parte que asiste, estimados en {cost}.",
        "not_estimated": "aún sin estimar",
        "conditions": "7. Condiciones: {conditions}",
        "no_conditions": "ninguna",
        "signatures": "8. Este acuerdo consta de tres partes — la solicitud, el ofrecimiento y "
                      "la aceptación —, cada una firmada por un funcionario autorizado de la "
                      "organización correspondiente, y surte efecto con la aceptación. Los "
                      "textos en inglés y en español son igualmente auténticos. Los términos "
                      "solo cambian mediante una modificación firmada de la misma manera.",
    },
}


def compose_text(terms, language, *, version=1, amends_version=None, reason=""):
    """The agreed text in `language` ("en" or "es"), numbered, from the terms alone."""
    t = _TEXT[language]
    other = "es" if language == "en" else "en"

    def pick(record, field):
        return record.get(f"{field}_{language}") or record.get(f"{field}_{other}") or ""

    requesting, assisting = terms["requesting_organization"], terms["assisting_organization"]
    incident = pick(terms["incident"], "name")
    lines = [t["title"].format(version=version)]
    if amends_version:
        lines.append(t["amends"].format(previous=amends_version, reason=reason))
    lines.append("")
    values = {"org": requesting["acronym"], "org_name": pick(requesting, "name"),
              "nation": pick(requesting, "nation"), "incident": incident}
    if terms["request_number"]:
        lines.append(t["request"].format(number=terms["request_number"], **values))
    else:
        lines.append(t["unsolicited"].format(**values))
    lines.append(t["assistance"].format(org=assisting["acronym"],
                                        org_name=pick(assisting, "name"),
                                        nation=pick(assisting, "nation")))
    for n, line in enumerate(terms["lines"], start=1):
        lines.append(t["line"].format(n=n, quantity=line["quantity"], kind=pick(line, "kind"),
                                      code=line["kind"], headcount=line["headcount"],
                                      agency=line["agency"],
                                      agency_name=pick(line, "agency")))
    if terms["reporting_location"]:
        lines.append(t["reporting"].format(location=terms["reporting_location"],
                                           needed_by=terms["needed_by"]))
    else:
        lines.append(t["reporting_none"])
    lines.append(t["period"].format(available_from=terms["available_from"],
                                    days=terms["duration_days"]))
    lines.append(t["self"] if terms["self_sustaining"] else t["not_self"])
    if terms["cost_terms"] == Offer.CostTerms.DONATED:
        lines.append(t["donated"])
    else:
        cost = (f"{Decimal(terms['estimated_cost']):,.2f} {terms['currency']}"
                if terms["estimated_cost"] is not None else t["not_estimated"])
        lines.append(t["reimbursable"].format(cost=cost))
    lines.append(t["conditions"].format(
        conditions=pick(terms, "conditions") or t["no_conditions"]))
    lines.append(t["signatures"])
    return "\n".join(lines)


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
        raise _state_error(offer, _("Draw up the agreement"))
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
        amends=None, terms=_compose_terms(offer, requesting), reason="",
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


def _accepted_quantity(request):
    """What in-force agreements give the request: quantities of its kind, and of acceptable
    substitutes when it takes them."""
    kinds = {request.kind.code}
    if request.substitutes_acceptable:
        kinds |= set(request.kind.substitutes.values_list("code", flat=True))
    return sum(line["quantity"]
               for terms in AidAgreement.objects.filter(request=request, state=AS.IN_FORCE)
               .values_list("terms", flat=True)
               for line in terms["lines"] if line["kind"] in kinds)


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
                filled = _accepted_quantity(request) >= request.quantity
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
                    line["quantity"] = _whole(change["quantity"], "lines", 1)
                if change.get("headcount") is not None:
                    line["headcount"] = _whole(change["headcount"], "lines", 0)
        elif name == "duration_days":
            probe.duration_days = _whole(value, name, 1)
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
        _clean_money(probe)
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


# ---- Reads: the restricted querysets the pages and the API share ------------------------------

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
