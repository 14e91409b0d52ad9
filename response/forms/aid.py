"""Forms of the request, offer and agreement pages. They shape input; the services
(`response.services.requests`, `offers`, `agreements`) decide what is allowed."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from core.bounds import LONG_TEXT, MAX_PEOPLE, MAX_QUANTITY, REASON
from core.forms import FilterForm
from core.pickers import Picker, register
from personnel.forms import LocalDateTimeInput
from response.forms.common import (
    ServiceFieldsMixin,
    incident_choices,
    nation_choices,
    with_any,
)
from response.models import (
    MAX_OFFER_DAYS,
    AidAgreement,
    Incident,
    Offer,
    ResourceKind,
    ResourceRequest,
    Unit,
)
from response.selectors import aid as selectors
from response.services.offers import MAX_LINES
from response.services.requests import OFFERABLE_REQUEST_STATES


class KindChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


def _kinds():
    return ResourceKind.objects.order_by("code")


class _FilterForm(FilterForm):
    """Filters shared by the lists: incident, state, owner nation."""

    FILTERS = ("incident", "state", "nation")
    STATES = ()

    incident = forms.TypedChoiceField(label=_("Incident"), required=False, coerce=int,
                                      empty_value=None)
    state = forms.ChoiceField(label=_("State"), required=False)
    nation = forms.ChoiceField(label=_("Nation"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].choices = incident_choices(user)
        self.fields["state"].choices = with_any(self.STATES)
        self.fields["nation"].choices = nation_choices()
        if "kind" in self.fields:
            self.fields["kind"].choices = with_any([(k.code, f"{k.code} — {k.name}")
                                                    for k in _kinds()])


class RequestFilterForm(_FilterForm):
    FILTERS = ("incident", "state", "nation", "kind", "priority")
    STATES = ResourceRequest.State.choices

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    priority = forms.ChoiceField(label=_("Priority"), required=False,
                                 choices=with_any(ResourceRequest.Priority.choices))


class OfferFilterForm(_FilterForm):
    FILTERS = ("incident", "state", "nation", "kind")
    STATES = Offer.State.choices

    kind = forms.ChoiceField(label=_("Kind"), required=False)


class AgreementFilterForm(_FilterForm):
    STATES = AidAgreement.State.choices


class RequestForm(ServiceFieldsMixin, forms.ModelForm):
    """The ICS-213RR fields. Incidents are those the user may see and not closed; the
    requesting organization one of the user's nation."""

    class Meta:
        model = ResourceRequest
        fields = ["number", "incident", "requesting_organization", "kind", "quantity",
                  "needed_by", "reporting_location", "priority", "special_instructions",
                  "substitutes_acceptable"]
        field_classes = {"kind": KindChoiceField}
        widgets = {"needed_by": LocalDateTimeInput,
                   "special_instructions": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"number": _("Leave empty to number it automatically (USA-2025-0001).")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["number"].required = False
        self.fields["incident"].queryset = Incident.objects.restrict(user).exclude(
            status=Incident.Status.CLOSED)
        self.fields["requesting_organization"].queryset = Organization.objects.filter(
            nation_id=user.nation_id)
        self.fields["requesting_organization"].initial = user.organization_id
        self.fields["kind"].queryset = _kinds()


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=REASON,
                             widget=forms.Textarea(attrs={"rows": 2}))


def _offerable_requests(user, params=None):
    """Requests the user may see and offer to (submitted or partially filled)."""
    return selectors.requests_for(user).filter(state__in=OFFERABLE_REQUEST_STATES)


# A large choice in a disaster, picked by typing (core.pickers).
OFFERABLE_REQUESTS = register("offerable-requests", _offerable_requests,
                              ("number", "reporting_location", "kind__code", "kind__name_en",
                               "kind__name_es"))


class OfferForm(forms.Form):
    """An offer's terms; against a request (chosen from those the user may offer to) or
    unsolicited for an incident."""

    request = forms.ModelChoiceField(label=_("Resource request"), required=False,
                                     queryset=ResourceRequest.objects.none(),
                                     widget=Picker(OFFERABLE_REQUESTS))
    incident = forms.ModelChoiceField(label=_("Incident"), required=False,
                                      queryset=Incident.objects.none(),
                                      help_text=_("For an unsolicited offer."))
    self_sustaining = forms.BooleanField(
        label=_("Self-sustaining"), required=False,
        help_text=_("Brings its own food, water, shelter and fuel for the duration."))
    duration_days = forms.IntegerField(label=_("Duration (days)"), min_value=1,
                                       max_value=MAX_OFFER_DAYS, initial=14)
    available_from = forms.DateTimeField(label=_("Available from"), widget=LocalDateTimeInput)
    cost_terms = forms.ChoiceField(label=_("Cost terms"), choices=Offer.CostTerms.choices)
    estimated_cost = forms.DecimalField(label=_("Estimated cost"), required=False,
                                        min_value=0, max_digits=12, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    conditions_en = forms.CharField(label=_("Conditions (English)"), required=False,
                                    max_length=LONG_TEXT,
                                    widget=forms.Textarea(attrs={"rows": 3, "lang": "en"}))
    conditions_es = forms.CharField(label=_("Conditions (Spanish)"), required=False,
                                    max_length=LONG_TEXT,
                                    widget=forms.Textarea(attrs={"rows": 3, "lang": "es"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["request"].queryset = _offerable_requests(user)
        self.fields["incident"].queryset = Incident.objects.restrict(user).exclude(
            status=Incident.Status.CLOSED)

    def service_fields(self):
        data = dict(self.cleaned_data)
        if data.get("request") is not None:
            data["incident"] = None
        return data


def _units_to_offer(user, params=None):
    """Units of the user's nation, not held for home coverage, that the user may see."""
    return Unit.objects.restrict(user).filter(owner_nation_id=user.nation_id,
                                              held_for_home_coverage=False)


# A large choice, picked by typing (core.pickers).
UNITS_TO_OFFER = register("units-to-offer", _units_to_offer, ("name", "home_base"))


class OfferLineForm(forms.Form):
    kind = KindChoiceField(label=_("Kind"), queryset=ResourceKind.objects.none())
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY)
    headcount = forms.IntegerField(label=_("Headcount"), min_value=0, max_value=MAX_PEOPLE,
                                   required=False, help_text=_("People; empty for none."))
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Organization.objects.none())
    unit = forms.ModelChoiceField(label=_("Unit"), required=False,
                                  queryset=Unit.objects.none(), widget=Picker(UNITS_TO_OFFER))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = _kinds()
        self.fields["agency"].queryset = Organization.objects.filter(nation_id=user.nation_id)
        self.fields["unit"].queryset = _units_to_offer(user)


OfferLineFormSet = forms.formset_factory(OfferLineForm, extra=3, max_num=MAX_LINES,
                                         validate_max=True, can_delete=True)


def offer_lines(formset):
    """The filled rows of a valid line formset, as `create_offer` takes them."""
    return [{**{k: form.cleaned_data[k] for k in ("kind", "quantity", "agency", "unit")},
             "headcount": form.cleaned_data["headcount"] or 0}
            for form in formset if form.cleaned_data and not form.cleaned_data.get("DELETE")]


class SignForm(forms.Form):
    """What the signer saw: the hash shown must still be the agreement's when they sign."""

    text_hash = forms.CharField(widget=forms.HiddenInput, max_length=64)


class AmendForm(forms.Form):
    """The amendable terms, prefilled with the agreement's; a quantity and a headcount per
    agreed line."""

    reason = forms.CharField(label=_("Reason for the amendment"), max_length=REASON,
                             widget=forms.Textarea(attrs={"rows": 2}))
    duration_days = forms.IntegerField(label=_("Duration (days)"), min_value=1,
                                       max_value=MAX_OFFER_DAYS)
    self_sustaining = forms.BooleanField(label=_("Self-sustaining"), required=False)
    cost_terms = forms.ChoiceField(label=_("Cost terms"), choices=Offer.CostTerms.choices)
    estimated_cost = forms.DecimalField(label=_("Estimated cost"), required=False,
                                        min_value=0, max_digits=12, decimal_places=2)
    currency = forms.CharField(label=_("Currency"), max_length=3)
    conditions_en = forms.CharField(label=_("Conditions (English)"), required=False,
                                    max_length=LONG_TEXT,
                                    widget=forms.Textarea(attrs={"rows": 3, "lang": "en"}))
    conditions_es = forms.CharField(label=_("Conditions (Spanish)"), required=False,
                                    max_length=LONG_TEXT,
                                    widget=forms.Textarea(attrs={"rows": 3, "lang": "es"}))

    def __init__(self, *args, agreement, **kwargs):
        terms = agreement.terms
        initial = {name: terms[name] for name in ("duration_days", "self_sustaining",
                                                  "cost_terms", "estimated_cost", "currency",
                                                  "conditions_en", "conditions_es")}
        self.line_count = len(terms["lines"])
        for index, line in enumerate(terms["lines"]):
            initial[f"line_{index}_quantity"] = line["quantity"]
            initial[f"line_{index}_headcount"] = line["headcount"]
        super().__init__(*args, initial=initial, **kwargs)
        for index, line in enumerate(terms["lines"]):
            name = f"{line['kind']} ({line['agency']})"
            self.fields[f"line_{index}_quantity"] = forms.IntegerField(
                label=_("%(line)s: quantity") % {"line": name}, min_value=1, max_value=MAX_QUANTITY)
            self.fields[f"line_{index}_headcount"] = forms.IntegerField(
                label=_("%(line)s: headcount") % {"line": name}, min_value=0,
                max_value=MAX_PEOPLE)
        self.terms = terms

    def changes(self):
        """The terms that differ from the agreement's, as `amend_agreement` takes them."""
        data = self.cleaned_data
        changes = {}
        for name in ("duration_days", "self_sustaining", "cost_terms", "currency",
                     "conditions_en", "conditions_es"):
            if data[name] != self.terms[name]:
                changes[name] = data[name]
        cost, agreed = data["estimated_cost"], self.terms["estimated_cost"]
        if (cost is None) != (agreed is None) or (cost is not None and cost != Decimal(agreed)):
            changes["estimated_cost"] = cost
        lines = [{"quantity": data[f"line_{i}_quantity"],
                  "headcount": data[f"line_{i}_headcount"]} for i in range(self.line_count)]
        if any(new["quantity"] != old["quantity"] or new["headcount"] != old["headcount"]
               for new, old in zip(lines, self.terms["lines"], strict=True)):
            changes["lines"] = lines
        return changes
