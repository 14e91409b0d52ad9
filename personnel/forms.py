import re
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import MomentField, bounded_dates
from core.pickers import MultiPicker, register
from personnel.models import Authority, DutyStatus, Member, Order, Unit
from personnel.selectors import roster

# What a datetime-local input sends and shows: the user's local time to the minute.
LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=LOCAL_INPUT_FORMAT)


class AsOfForm(forms.Form):
    """The moment a page shows, read in the user's time zone (Django's datetime parsing: ISO
    8601 or the active language's input formats). Empty means now, which the input then
    shows; an invalid value is an error on the field and the page falls back to now."""

    at = MomentField(label=_("As of"), required=False, widget=LocalDateTimeInput,
                     error_messages={"invalid": _(
                         "Enter a date and time such as 2025-06-01 08:00.")})

    def __init__(self, query, *args, **kwargs):
        self.now = timezone.now()
        self.given = (query.get("at") or "").strip()
        if not self.given:
            query = query.copy()
            query["at"] = timezone.localtime(self.now).strftime(LOCAL_INPUT_FORMAT)
        super().__init__(query, *args, **kwargs)

    def moment(self):
        self.is_valid()
        return (self.given and self.cleaned_data.get("at")) or self.now

    def as_of_query(self):
        """The query string that keeps the moment on links: empty when it is now."""
        self.is_valid()
        if self.given and self.cleaned_data.get("at"):
            return urlencode({"at": self.given})
        return ""


def _any(choices):
    return [("", _("any")), *choices]


class RosterFilterForm(AsOfForm):
    unit = forms.ChoiceField(label=_("Unit"), required=False)
    status = forms.ChoiceField(label=_("Duty status"), required=False,
                               choices=_any(DutyStatus.choices))
    authority = forms.ChoiceField(label=_("Authority"), required=False,
                                  choices=_any(Authority.choices))
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _any([(u.code, str(u)) for u in units])

    def filters(self):
        """The filters that passed validation (an invalid one is ignored and shown as an
        error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {key: data.get(key) or None for key in ("unit", "status", "authority", "q")}


class OrderFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=_any(Order.State.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_any(Order.Kind.choices))
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def filters(self):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {key: data.get(key) or None for key in ("state", "kind", "q")}


class OrderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        parts = [p for p in (obj.reference, obj.get_state_display()) if p]
        return f"{obj.title} ({', '.join(parts)})"


SERVICE_NUMBER_SEPARATORS = re.compile(r"[\s,;]+")

# A large choice, picked by typing (core.pickers): the units one may see, by code.
UNITS = register("guard-units", lambda user, params: Unit.objects.restrict(user),
                 ("code", "name", "station"), key="code")


class OrderForm(forms.ModelForm):
    """A new order and the members it covers: whole units, a pasted list of service numbers
    and everyone currently under one duty status, combined. Only members the user may see
    can be chosen."""

    units = forms.ModelMultipleChoiceField(
        label=_("Units"), queryset=Unit.objects.none(), to_field_name="code", required=False,
        widget=MultiPicker(UNITS),
        help_text=_("Every member of the units chosen is covered."))
    service_numbers = forms.CharField(
        label=_("Service numbers"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Paste service numbers separated by spaces, commas or new lines."))
    current_status = forms.ChoiceField(
        label=_("Everyone currently under"), required=False,
        choices=[("", "—"), *DutyStatus.choices],
        help_text=_("Covers every member in this duty status now."))

    class Meta:
        model = Order
        fields = ["kind", "title_en", "title_es", "reference", "issued_by", "issued_on",
                  "effective_at", "target_status", "deadline", "stays", "legal_basis"]
        field_classes = {"stays": OrderChoiceField}
        formfield_callback = bounded_dates
        widgets = {"issued_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "effective_at": LocalDateTimeInput, "deadline": LocalDateTimeInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["units"].queryset = Unit.objects.restrict(user)
        self.fields["stays"].queryset = (
            Order.objects.restrict(user)
            .filter(state__in=[Order.State.DRAFT, Order.State.APPLIED]).order_by("-effective_at"))
        self.fields["stays"].required = False

    def clean_service_numbers(self):
        wanted = [n for n in SERVICE_NUMBER_SEPARATORS.split(self.cleaned_data["service_numbers"])
                  if n]
        found = {m.service_number: m for m in
                 Member.objects.restrict(self.user).filter(service_number__in=wanted)}
        unknown = sorted({n for n in wanted if n not in found})
        if unknown:
            raise forms.ValidationError(
                _("Unknown service numbers: %(numbers)s.") % {"numbers": ", ".join(unknown)},
                code="unknown")
        return list(found.values())

    def clean(self):
        data = super().clean()
        members = {m.pk: m for m in data.get("service_numbers") or []}
        units = data.get("units")
        if units:
            for member in Member.objects.restrict(self.user).filter(unit__in=units):
                members[member.pk] = member
        if data.get("current_status"):
            for member in roster(self.user, timezone.now(), status=data["current_status"]):
                members[member.pk] = member
        self.members = list(members.values())
        return data

    def service_fields(self):
        return {name: self.cleaned_data.get(name) for name in self._meta.fields}

    MEMBER_FIELDS = ("units", "service_numbers", "current_status")

    def order_bound_fields(self):
        return [self[name] for name in self._meta.fields]

    def member_bound_fields(self):
        return [self[name] for name in self.MEMBER_FIELDS]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=[
        ("members", _("Guard members")), ("periods", _("Duty periods"))])
    file = forms.FileField(label=_("CSV file"), help_text=_(
        "UTF-8 CSV with a header row. Nothing is stored unless every row is valid."))
