"""Forms of the incident, unit, resource-kind and port-of-entry pages. The services check
everything again; these forms choose what the user may pick and parse what they typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Nation, Organization
from core.forms import FilterForm, JSONField, NationChoiceField
from personnel.forms import LocalDateTimeInput
from response.forms.common import (
    ServiceFieldsMixin,
    nation_choices,
    search_field,
    with_any,
)
from response.models import Incident, ResourceKind, Unit

YES_NO_ANY = with_any([("yes", _("Yes")), ("no", _("No"))])


class IncidentForm(ServiceFieldsMixin, forms.ModelForm):
    """An incident; the host agency is one of the user's nation's organizations."""

    country = NationChoiceField(
        queryset=Nation.objects.all(), to_field_name="code", required=False, label=_("Country"),
        help_text=_("Left empty: the side of the California–Baja California line the point "
                    "lies on."))
    perimeter = JSONField(
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


class IncidentFilterForm(FilterForm):
    FILTERS = ("status", "kind", "country", "nation", "channel", "q")

    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=with_any(Incident.Status.choices))
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=with_any(Incident.Kind.choices))
    country = forms.ChoiceField(label=_("Country"), required=False)
    nation = forms.ChoiceField(label=_("Owner nation"), required=False)
    channel = forms.ChoiceField(label=_("Request channel"), required=False,
                                choices=with_any(Incident.Channel.choices))
    q = search_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        nations = nation_choices()
        self.fields["country"].choices = nations
        self.fields["nation"].choices = nations


class UnitForm(ServiceFieldsMixin, forms.ModelForm):
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


class UnitFilterForm(FilterForm):
    FILTERS = ("organization", "kind", "availability", "cross_border", "held", "q")

    organization = forms.ChoiceField(label=_("Organization"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    availability = forms.ChoiceField(label=_("Availability"), required=False,
                                     choices=with_any(Unit.Availability.choices))
    cross_border = forms.ChoiceField(label=_("May cross the border"), required=False,
                                     choices=YES_NO_ANY)
    held = forms.ChoiceField(label=_("Held for home coverage"), required=False,
                             choices=YES_NO_ANY)
    q = search_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = with_any(
            [(o.acronym, o.acronym) for o in Organization.objects.select_related("nation")])
        self.fields["kind"].choices = with_any(
            [(k.code, str(k)) for k in ResourceKind.objects.all()])

    def filters(self):
        data = super().filters()
        flag = {"yes": True, "no": False, None: None}
        return {"organization": data["organization"], "kind": data["kind"],
                "availability": data["availability"], "q": data["q"],
                "cross_border_eligible": flag[data["cross_border"]],
                "held_for_home_coverage": flag[data["held"]]}


class KindFilterForm(FilterForm):
    FILTERS = ("category", "q")

    category = forms.ChoiceField(label=_("Category"), required=False)
    q = search_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = (ResourceKind.objects.order_by("category")
                      .values_list("category", flat=True).distinct())
        self.fields["category"].choices = with_any(
            [(c, ResourceKind.CATEGORIES.get(c, c)) for c in categories])
