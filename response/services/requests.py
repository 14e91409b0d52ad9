"""Resource requests (ICS-213RR): every write (validate → save → history → notify, in one
transaction). A request is owned by the requesting nation; submitting it announces it to the
partner nations it is released to, and a request no one could fill can be escalated across the
border. Partially filled and filled follow from agreements in force (`agreements`)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import acting_as
from core.lifecycle import Lifecycle, Transition
from core.models import Disclosure
from core.permissions import may, require, require_role
from core.services import apply_marking, change_marking, check_new_marking, nations_by_code
from response.models import AidAgreement, ResourceRequest
from response.services import common
from response.services.common import (
    REFUSED_BY_STATE,
    check_changeable,
    holders,
    moment,
    notify_in_both,
    void_pending_agreements,
    whole,
)

RS = ResourceRequest.State

# The nation across the California–Baja California line: where an escalated request goes
# when no nation is named.
BORDER_PARTNER = {"USA": "MEX", "MEX": "USA"}

REQUEST_FIELDS = ("incident", "kind", "quantity", "needed_by", "reporting_location", "priority",
                  "special_instructions", "substitutes_acceptable", "number",
                  "requesting_organization")
# Open: neither filled nor finished. A filled request is closed, not cancelled.
OPEN_REQUEST_STATES = (RS.DRAFT, RS.SUBMITTED, RS.PARTIALLY_FILLED, RS.UNABLE_TO_FILL)
OFFERABLE_REQUEST_STATES = (RS.SUBMITTED, RS.PARTIALLY_FILLED)


def _may_take_request_step(user, request, step):
    """The requesting nation moves its request; escalating releases it to another nation, so
    only a foreign disclosure reviewer may."""
    return may(user, request, "transition") and (
        step.name != "escalate" or user.has_perm("response.review_disclosure_resourcerequest"))


REQUEST_LIFECYCLE = Lifecycle(
    Transition("submit", (RS.DRAFT,), RS.SUBMITTED, gettext_lazy("Submit")),
    Transition("cancel", OPEN_REQUEST_STATES, RS.CANCELLED, gettext_lazy("Cancel"),
               needs_reason=True),
    Transition("unable_to_fill", (RS.SUBMITTED, RS.PARTIALLY_FILLED), RS.UNABLE_TO_FILL,
               gettext_lazy("Unable to fill"), needs_reason=True),
    Transition("escalate", (RS.UNABLE_TO_FILL,), RS.SUBMITTED,
               gettext_lazy("Escalate to the partner nation")),
    Transition("close", (RS.FILLED, RS.PARTIALLY_FILLED), RS.CLOSED, gettext_lazy("Close")),
    may=_may_take_request_step, refused=REFUSED_BY_STATE, reason_field="state_reason",
)


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
        incident=incident, kind=common.kind(kind), quantity=whole(quantity, "quantity", 1),
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
            value = whole(value, "quantity", 1)
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
        void_pending_agreements(user, AidAgreement.objects.filter(request=request))
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
