"""Offers of resources: every write (validate → save → history → notify, in one transaction).
An offer is owned by the offering nation; an offer against a request is released to the
requester (offering is the disclosure decision). The requesting nation reviews or declines it,
the offering nation withdraws it; it is accepted only by signing its agreement (`agreements`)."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import acting_as
from core.lifecycle import Lifecycle, Transition
from core.models import Disclosure
from core.permissions import may, require, require_role
from core.services import apply_marking, change_marking, check_new_marking
from response.models import Offer, OfferLine, Unit
from response.services import common
from response.services.common import (
    REFUSED_BY_STATE,
    check_changeable,
    holders,
    moment,
    notify_in_both,
    state_error,
    void_pending_agreements,
    whole,
)
from response.services.requests import OFFERABLE_REQUEST_STATES

OS = Offer.State

PENDING_OFFER_STATES = (OS.OFFERED, OS.UNDER_REVIEW)
MAX_LINES = 50


def _may_take_offer_step(user, offer, step):
    """The requesting nation reviews or declines an offer; the offering nation withdraws it."""
    side = offer.owner_nation_id if step.name == "withdraw" else _requesting_nation_id(offer)
    return (user.has_perm("response.transition_offer")
            and side == getattr(user, "nation_id", None))


OFFER_LIFECYCLE = Lifecycle(
    Transition("review", (OS.OFFERED,), OS.UNDER_REVIEW, gettext_lazy("Start review")),
    Transition("decline", PENDING_OFFER_STATES, OS.DECLINED, gettext_lazy("Decline"),
               needs_reason=True),
    Transition("withdraw", PENDING_OFFER_STATES, OS.WITHDRAWN, gettext_lazy("Withdraw"),
               needs_reason=True),
    may=_may_take_offer_step, refused=REFUSED_BY_STATE, reason_field="state_reason",
)


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
            quantity = whole(line.get("quantity"), "quantity", 1)
            headcount = whole(line.get("headcount") or 0, "headcount", 0)
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


def clean_money(offer):
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
    clean_money(offer)
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
        raise state_error(offer, _("Change the offer"))
    for name, value in fields.items():
        if name == "available_from":
            value = moment(value, name)
        elif name in ("conditions_en", "conditions_es"):
            value = (value or "").strip()
        setattr(offer, name, value)
    rows = _clean_lines(user, offer.incident, lines) if lines is not None else None
    clean_money(offer)
    offer.full_clean(exclude=["rel_to"])
    with acting_as(user):
        offer.save()
        if rows is not None:
            offer.lines.all().delete()
            for row in rows:
                row.offer = offer
                row.save()
        void_pending_agreements(user, offer.agreements.all())
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
        void_pending_agreements(user, offer.agreements.all())
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
