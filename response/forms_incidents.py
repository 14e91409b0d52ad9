"""Forms of the incident, unit, resource-kind and port-of-entry pages. The services check
everything again; these forms choose what the user may pick and parse what they typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Nation, Organization
from core.forms import NationChoiceField
from personnel.forms import LocalDateTimeInput
from response.models import Incident, ResourceKind, Unit

YES_NO_ANY = [("", _("any")), ("yes", _("Yes")), ("no", _("No"))]


def _any(choices):
    return [("", _("any")), *choices]


def _filters(form, names):
    """The filters that passed validation (an invalid one is ignored and shown)."""
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    return {name: data.get(name) or None for name in names}


class IncidentForm(forms.ModelForm):
    """An incident; the host agency is one of the user's nation's organizations."""

    country = NationChoiceField(
        queryset=Nation.objects.all(), to_field_name="code", required=False, label=_("Country"),
        help_text=_("Left empty: the side of the California–Baja California line the point "
                    "lies on."))
    perimeter = forms.JSONField(
        required=False, label=_("Perimeter (GeoJSON)"),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_('A GeoJSON Polygon or MultiPolygon, positions as [longitude, latitude]: '
                    '{"type": "Polygon", "coordinates": [[[-118.6, 34.0], [-118.5, 34.0], '
                    '[-118.5, 34.1], [-118.6, 34.0]]]}'))

    class Meta:
        model = Incident
        fields = ["name_en", "name_es", "kind", "status", "started_at", "latitude", "longitude",
                  "perimeter", "country", "state_region", "municipality", "ics_number",
                  "host_agency"]
        widgets = {"started_at": LocalDateTimeInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_agency"].queryset = Organization.objects.filter(
            nation_id=user.nation_id)
        self.fields["host_agency"].initial = user.organization_id
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs["step"] = "any"

    def service_fields(self):
        return {name: self.cleaned_data.get(name) for name in self._meta.fields}


class IncidentFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=_any(Incident.Status.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=_any(Incident.Kind.choices))
    country = forms.ChoiceField(label=_("Country"), required=False)
    nation = forms.ChoiceField(label=_("Owner nation"), required=False)
    channel = forms.ChoiceField(label=_("Request channel"), required=False,
                                choices=_any(Incident.Channel.choices))
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        nations = _any([(n.code, f"{n.code} — {n.name}") for n in Nation.objects.all()])
        self.fields["country"].choices = nations
        self.fields["nation"].choices = nations

    def filters(self):
        return _filters(self, ("status", "kind", "country", "nation", "channel", "q"))


class UnitForm(forms.ModelForm):
    """A unit of one of the user's nation's organizations."""

    class Meta:
        model = Unit
        fields = ["name", "organization", "kind", "home_base", "home_latitude",
                  "home_longitude", "headcount", "qualifications", "languages", "availability",
                  "available_from", "available_until", "held_for_home_coverage",
                  "cross_border_eligible", "air_capable"]
        widgets = {"available_from": LocalDateTimeInput, "available_until": LocalDateTimeInput,
                   "qualifications": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            nation_id=user.nation_id)
        self.fields["organization"].initial = user.organization_id
        self.fields["kind"].queryset = ResourceKind.objects.all()
        for name in ("home_latitude", "home_longitude"):
            self.fields[name].widget.attrs["step"] = "any"

    def service_fields(self):
        return {name: self.cleaned_data.get(name) for name in self._meta.fields}


class UnitFilterForm(forms.Form):
    organization = forms.ChoiceField(label=_("Organization"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    availability = forms.ChoiceField(label=_("Availability"), required=False,
                                     choices=_any(Unit.Availability.choices))
    cross_border = forms.ChoiceField(label=_("May cross the border"), required=False,
                                     choices=YES_NO_ANY)
    held = forms.ChoiceField(label=_("Held for home coverage"), required=False,
                             choices=YES_NO_ANY)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = _any(
            [(o.acronym, o.acronym) for o in Organization.objects.select_related("nation")])
        self.fields["kind"].choices = _any(
            [(k.code, str(k)) for k in ResourceKind.objects.all()])

    def filters(self):
        data = _filters(self, ("organization", "kind", "availability", "cross_border", "held",
                               "q"))
        flag = {"yes": True, "no": False, None: None}
        return {"organization": data["organization"], "kind": data["kind"],
                "availability": data["availability"], "q": data["q"],
                "cross_border_eligible": flag[data["cross_border"]],
                "held_for_home_coverage": flag[data["held"]]}


class KindFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = (ResourceKind.objects.order_by("category")
                      .values_list("category", flat=True).distinct())
        self.fields["category"].choices = _any([(c, c) for c in categories])

    def filters(self):
        return _filters(self, ("category", "q"))
