"""Pages of resource requests (ICS-213RR), offers and the three-part signed agreement. Every
read comes through `response.selectors.aid` (restricted), every write through
`response.services` (`requests`, `offers`, `agreements`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exports import csv_response, marking_cells
from core.forms import MarkingForm
from core.history import history_for
from core.permissions import may
from core.related import shown, shown_many, with_shown
from core.views import (
    attempt,
    create_page,
    get_one,
    list_page,
    marking_page,
    run_service,
    show_refusal,
    update_page,
)
from response.forms.aid import (
    AgreementFilterForm,
    AmendForm,
    OfferFilterForm,
    OfferForm,
    OfferLineFormSet,
    ReasonForm,
    RequestFilterForm,
    RequestForm,
    SignForm,
    offer_lines,
)
from response.models import AidAgreement, ResourceRequest, Signature
from response.selectors import aid as selectors
from response.services.agreements import (
    amend_agreement,
    draw_up_agreement,
    may_draw_up,
    sign_agreement,
    signable_parts,
    verify_agreement,
)
from response.services.offers import (
    OFFER_FIELDS,
    PENDING_OFFER_STATES,
    change_offer_marking,
    create_offer,
    may_update_offer,
    offer_transitions_for,
    transition_offer,
    update_offer,
)
from response.services.requests import (
    OFFERABLE_REQUEST_STATES,
    change_request_marking,
    create_request,
    request_transitions_for,
    transition_request,
    update_request,
)


def _transitions(options, url_name, pk):
    return [{"name": o.name, "label": o.label, "needs_reason": o.needs_reason,
             "url": reverse(f"response:{url_name}", args=[pk, o.name])} for o in options]


def _transition(request, service, record, name, done):
    """One lifecycle step of a request or offer, with the reason given; a refusal comes back as
    a message on the record's page, success as `done` with the new state."""
    form = ReasonForm(request.POST)
    form.is_valid()
    if attempt(request, service, request.user, record, name,
               reason=form.cleaned_data.get("reason", "")):
        messages.success(request, done % {"state": record.get_state_display().lower()})
    return redirect(record)


def _stamp(moment):
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else ""


# ---- Resource requests -----------------------------------------------------------------------

@login_required
def request_list(request):
    user = request.user
    form = RequestFilterForm(request.GET, user=user)
    return list_page(request, "response/request_list.html", "response/_requests.html", form,
                     selectors.requests_for(user, **form.filters()),
                     prepare=lambda rows: with_shown(user, rows, "incident"),
                     can_add=user.has_perm("response.add_resourcerequest"))


@login_required
def request_export(request):
    """The requests on the list (same filters) as CSV."""
    user = request.user
    form = RequestFilterForm(request.GET, user=user)
    header = [_("Request number"), _("Incident"), _("Requesting organization"), _("Kind"),
              _("Quantity"), _("Needed by"), _("Reporting location"), _("Priority"),
              _("Substitutes acceptable"), _("State"), _("Owner nation"), _("Releasable to"),
              _("Foreign disclosure")]
    rows = ([r.number, str(r.incident_shown), r.requesting_organization.acronym, r.kind.code,
             r.quantity, _stamp(r.needed_by), r.reporting_location, r.get_priority_display(),
             _("Yes") if r.substitutes_acceptable else _("No"), r.get_state_display(),
             *marking_cells(r)]
            for r in with_shown(user, selectors.requests_for(user, **form.filters()), "incident"))
    return csv_response("resource-requests.csv", header, rows)


@login_required
def request_detail(request, pk):
    user = request.user
    resource_request = get_one(selectors.requests_for(user), pk)
    state = resource_request.state
    return render(request, "response/request_detail.html", {
        "resource_request": resource_request,
        "offers": selectors.offers_for(user, request=pk),
        "agreements": selectors.agreements_for(user, request=pk),
        "transitions": _transitions(request_transitions_for(user, resource_request),
                                    "request_transition", pk),
        "reason_form": ReasonForm(),
        "can_change": state in (ResourceRequest.State.DRAFT, ResourceRequest.State.SUBMITTED)
        and may(user, resource_request, "change"),
        "can_mark": may(user, resource_request, "change_marking"),
        "can_offer": user.has_perm("response.add_offer")
        and state in OFFERABLE_REQUEST_STATES,
        "history": history_for(resource_request),
    })


@login_required
@permission_required("response.add_resourcerequest", raise_exception=True)
@require_http_methods(["GET", "POST"])
def request_create(request):
    user = request.user
    initial = {}
    if request.GET.get("incident", "").isdigit():
        initial["incident"] = request.GET["incident"]
    form = RequestForm(request.POST or None, user=user, prefix="r", initial=initial)
    return create_page(request, form, create_request, "response/request_form.html",
                       _("Request %(number)s saved as a draft."), resource_request=None)


@login_required
@require_http_methods(["GET", "POST"])
def request_update(request, pk):
    user = request.user
    resource_request = get_one(selectors.requests_for(user, "change"), pk)
    form = RequestForm(request.POST or None, instance=resource_request, user=user, prefix="r")
    return update_page(request, resource_request, form, update_request,
                       "response/request_form.html", _("Request updated."),
                       resource_request=resource_request)


@login_required
@require_http_methods(["GET", "POST"])
def request_marking(request, pk):
    resource_request = get_one(selectors.requests_for(request.user, "change_marking"), pk)
    return marking_page(request, resource_request, change_request_marking,
                        "response/request_marking.html")


@login_required
@require_POST
def request_transition(request, pk, name):
    """One lifecycle step; a refusal comes back as a message on the request's page."""
    resource_request = get_one(selectors.requests_for(request.user), pk)
    return _transition(request, transition_request, resource_request, name,
                       _("The request is now %(state)s."))


# ---- Offers ----------------------------------------------------------------------------------

@login_required
def offer_list(request):
    user = request.user
    form = OfferFilterForm(request.GET, user=user)
    return list_page(request, "response/offer_list.html", "response/_offers.html", form,
                     selectors.offers_for(user, **form.filters()),
                     prepare=lambda rows: selectors.with_offer_links(user, rows),
                     can_add=user.has_perm("response.add_offer"))


@login_required
def offer_export(request):
    """The offers on the list (same filters) as CSV, one row per offer."""
    user = request.user
    form = OfferFilterForm(request.GET, user=user)
    header = [_("Offer"), _("Request number"), _("Incident"), _("Offering organization"),
              _("Resources"), _("Headcount"), _("Self-sustaining"), _("Duration (days)"),
              _("Available from"), _("Cost terms"), _("Estimated cost"), _("Currency"),
              _("State"), _("Owner nation"), _("Releasable to"), _("Foreign disclosure")]
    offers = selectors.with_offer_links(user, selectors.offers_for(user, **form.filters()))
    rows = ([str(o), o.request.number if o.request_shown and o.request_shown.visible else "",
             str(o.incident_shown),
             o.offering_organization.acronym,
             "; ".join(f"{line.quantity} × {line.kind.code} ({line.agency.acronym})"
                       for line in o.lines.all()),
             sum(line.headcount for line in o.lines.all()),
             _("Yes") if o.self_sustaining else _("No"), o.duration_days,
             _stamp(o.available_from), o.get_cost_terms_display(), o.estimated_cost, o.currency,
             o.get_state_display(), *marking_cells(o)]
            for o in offers)
    return csv_response("offers.csv", header, rows)


@login_required
def offer_detail(request, pk):
    user = request.user
    offer = get_one(selectors.offers_for(user), pk)
    lines = list(offer.lines.select_related("unit", "kind", "agency"))
    units = iter(shown_many(user, [line.unit for line in lines]))
    return render(request, "response/offer_detail.html", {
        "offer": offer,
        "incident": shown(user, offer.incident),
        "resource_request": shown(user, offer.request),
        "lines": [{"line": line, "unit": next(units) if line.unit_id else None}
                  for line in lines],
        "headcount": sum(line.headcount for line in lines),
        "agreements": selectors.agreements_for(user, offer=pk),
        "transitions": _transitions(offer_transitions_for(user, offer),
                                    "offer_transition", pk),
        "reason_form": ReasonForm(),
        "can_draw_up": offer.state in PENDING_OFFER_STATES and may_draw_up(user, offer),
        "can_mark": may(user, offer, "change_marking"),
        "can_update": may_update_offer(user, offer),
        "history": history_for(offer),
    })


def _line_initial(user, resource_request):
    kind = resource_request.kind
    return [{"kind": kind, "quantity": resource_request.quantity,
             "headcount": (kind.typical_personnel or 0) * resource_request.quantity,
             "agency": user.organization}]


@login_required
@permission_required("response.add_offer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def offer_create(request):
    """A new offer; `?request=<id>` offers against that request, prefilled with what it asks
    for; `?incident=<id>` starts an unsolicited offer."""
    user = request.user
    data = request.POST or None
    initial = {"currency": "MXN" if user.nation_id and user.nation.code == "MEX" else "USD"}
    for name in ("request", "incident"):
        if request.GET.get(name, "").isdigit():
            initial[name] = request.GET[name]
    form = OfferForm(data, user=user, prefix="o", initial=initial)
    chosen = str(form["request"].value() or "")
    resource_request = (form.fields["request"].queryset.filter(pk=chosen).first()
                        if chosen.isdigit() else None)
    lines = OfferLineFormSet(data, prefix="l", form_kwargs={"user": user}, initial=(
        _line_initial(user, resource_request) if resource_request and data is None else None))
    # Against a request the marking follows from it (released to the requester).
    marking_form = None if resource_request else MarkingForm(
        data, prefix="m", initial={"rel_to": [user.nation]})
    if data is not None and form.is_valid() and lines.is_valid() and (
            marking_form is None or marking_form.is_valid()):
        marking = marking_form.marking() if marking_form else {}
        offer = run_service(form, create_offer, user, lines=offer_lines(lines),
                            **form.service_fields(), **marking)
        if offer is not None:
            messages.success(request, _("Offer made."))
            return redirect(offer)
    return render(request, "response/offer_form.html", {
        "form": form, "lines": lines, "marking_form": marking_form,
        "resource_request": resource_request})


@login_required
@permission_required("response.change_offer", raise_exception=True)
@require_http_methods(["GET", "POST"])
def offer_update(request, pk):
    """Change an offer's terms and lines while it is offered or under review."""
    user = request.user
    offer = get_one(selectors.offers_for(user, "change"), pk)
    data = request.POST or None
    form = OfferForm(data, user=user, prefix="o", initial={
        name: getattr(offer, name) for name in OFFER_FIELDS})
    for name in ("request", "incident"):
        del form.fields[name]
    lines = OfferLineFormSet(data, prefix="l", form_kwargs={"user": user}, initial=[
        {"kind": line.kind, "quantity": line.quantity, "headcount": line.headcount,
         "agency": line.agency, "unit": line.unit} for line in offer.lines.all()])
    if data is not None and form.is_valid() and lines.is_valid():
        if run_service(form, update_offer, user, offer, lines=offer_lines(lines),
                       **form.cleaned_data) is not None:
            messages.success(request, _("Offer changed."))
            return redirect(offer)
    return render(request, "response/offer_form.html", {
        "form": form, "lines": lines, "offer": offer, "resource_request": offer.request})


@login_required
@require_http_methods(["GET", "POST"])
def offer_marking(request, pk):
    offer = get_one(selectors.offers_for(request.user, "change_marking"), pk)
    return marking_page(request, offer, change_offer_marking, "response/offer_marking.html")


@login_required
@require_POST
def offer_transition(request, pk, name):
    offer = get_one(selectors.offers_for(request.user), pk)
    return _transition(request, transition_offer, offer, name,
                       _("The offer is now %(state)s."))


@login_required
@require_POST
def offer_agreement(request, pk):
    """Draw up the agreement on the offer and go to it."""
    user = request.user
    offer = get_one(selectors.offers_for(user), pk)
    try:
        agreement = draw_up_agreement(user, offer)
    except (ValidationError, PermissionDenied) as exc:
        show_refusal(request, exc)
        return redirect(offer)
    messages.success(request, _("Agreement drawn up: it now awaits the three signatures."))
    return redirect(agreement)


# ---- Agreements ------------------------------------------------------------------------------

@login_required
def agreement_list(request):
    user = request.user
    form = AgreementFilterForm(request.GET, user=user)
    return list_page(request, "response/agreement_list.html", "response/_agreements.html", form,
                     selectors.agreements_for(user, **form.filters()).select_related(
                         "offer__incident"))


def _reading_language(request):
    """The language the agreement text is shown in: the reader's, or the other one when they
    toggle to it."""
    current = "es" if (translation.get_language() or "en").startswith("es") else "en"
    wanted = request.GET.get("text")
    return wanted if wanted in ("en", "es") else current


@login_required
def agreement_detail(request, pk):
    user = request.user
    agreement = get_one(selectors.agreements_for(user).select_related("offer__incident"), pk)
    language = _reading_language(request)
    amendment = getattr(agreement, "amended_by", None)
    return render(request, "response/agreement_detail.html", {
        "agreement": agreement,
        "parts": selectors.agreement_parts(agreement),
        "signable": signable_parts(user, agreement),
        "verified": verify_agreement(agreement),
        "language": language,
        "other_language": "es" if language == "en" else "en",
        "text": selectors.agreed_text(user, agreement, language),
        "incident": shown(user, agreement.offer.incident),
        "versions": selectors.agreements_for(user, offer=agreement.offer_id).order_by("version"),
        "offer_visible": may(user, agreement.offer),
        "request_visible": agreement.request_id is not None
        and may(user, agreement.request),
        "can_amend": agreement.state == AidAgreement.State.IN_FORCE and amendment is None
        and user.has_perm("response.add_aidagreement")
        and user.organization_id == agreement.requesting_organization_id,
        # The assisting nation sends the team (response.services.deployments decides again).
        "can_deploy": agreement.state == AidAgreement.State.IN_FORCE
        and user.has_perm("response.add_deployment")
        and user.nation_id == agreement.assisting_organization.nation_id,
        "history": history_for(agreement),
    })


@login_required
@require_http_methods(["GET", "POST"])
def agreement_sign(request, pk, part):
    """Confirm, then sign: the page shows the exact text and its hash, and the signature is
    made only if the hash is still the one shown."""
    user = request.user
    agreement = get_one(selectors.agreements_for(user), pk)
    if part not in signable_parts(user, agreement):
        messages.error(request, _("You may not sign this part of the agreement now."))
        return redirect(agreement)
    form = SignForm(request.POST or None, initial={"text_hash": agreement.text_hash})
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["text_hash"] != agreement.text_hash:
            form.add_error(None, _("The agreement is not the one you read: read it again "
                                   "before signing."))
        elif run_service(form, sign_agreement, user, agreement, part) is not None:
            messages.success(request, _("You signed the %(part)s part.")
                             % {"part": Signature.Part(part).label.lower()})
            return redirect(agreement)
    language = _reading_language(request)
    return render(request, "response/agreement_sign.html", {
        "agreement": agreement, "form": form, "part": part,
        "part_label": Signature.Part(part).label,
        "text": selectors.agreed_text(user, agreement, language),
        "language": language, "other_language": "es" if language == "en" else "en"})


@login_required
@require_http_methods(["GET", "POST"])
def agreement_amend(request, pk):
    user = request.user
    agreement = get_one(selectors.agreements_for(user), pk)
    form = AmendForm(request.POST or None, agreement=agreement)
    if request.method == "POST" and form.is_valid():
        amendment = run_service(form, amend_agreement, user, agreement,
                                reason=form.cleaned_data["reason"], **form.changes())
        if amendment is not None:
            messages.success(request, _("Amendment drawn up as version %(version)s: it awaits "
                                        "the three signatures.")
                             % {"version": amendment.version})
            return redirect(amendment)
    return render(request, "response/agreement_amend.html",
                  {"agreement": agreement, "form": form})


urlpatterns = [
    path("requests/", request_list, name="requests"),
    path("requests/export/", request_export, name="request_export"),
    path("requests/new/", request_create, name="request_create"),
    path("requests/<int:pk>/", request_detail, name="request"),
    path("requests/<int:pk>/edit/", request_update, name="request_update"),
    path("requests/<int:pk>/marking/", request_marking, name="request_marking"),
    path("requests/<int:pk>/transitions/<slug:name>/", request_transition,
         name="request_transition"),
    path("offers/", offer_list, name="offers"),
    path("offers/export/", offer_export, name="offer_export"),
    path("offers/new/", offer_create, name="offer_create"),
    path("offers/<int:pk>/", offer_detail, name="offer"),
    path("offers/<int:pk>/edit/", offer_update, name="offer_update"),
    path("offers/<int:pk>/marking/", offer_marking, name="offer_marking"),
    path("offers/<int:pk>/transitions/<slug:name>/", offer_transition, name="offer_transition"),
    path("offers/<int:pk>/agreement/", offer_agreement, name="offer_agreement"),
    path("agreements/", agreement_list, name="agreements"),
    path("agreements/<int:pk>/", agreement_detail, name="agreement"),
    path("agreements/<int:pk>/sign/<slug:part>/", agreement_sign, name="agreement_sign"),
    path("agreements/<int:pk>/amend/", agreement_amend, name="agreement_amend"),
]
