"""Forms of the border event pages. The services check everything again; these forms choose
what the user may pick and parse what they typed."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Organization
from border.models import BorderEvent, BorderEventKind, Side, TimelineEntry
from border.selectors.events import ALL, EXERCISE
from core.forms import FilterForm, JSONField, MomentField
from personnel.forms import LocalDateTimeInput
from response.forms.common import ServiceFieldsMixin, search_field, with_any


class EventForm(ServiceFieldsMixin, forms.ModelForm):
    """A border event; the reporting organization is one of the user's nation's. A new event
    offers only the kinds in use and says whether it is an exercise; an existing one keeps
    that."""

    perimeter = JSONField(
        required=False, label=_("Perimeter (GeoJSON)"),
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_('A GeoJSON Polygon or MultiPolygon, positions as [longitude, latitude]: '
                    '{"type": "Polygon", "coordinates": [[[-116.9, 32.55], [-116.8, 32.55], '
                    '[-116.8, 32.6], [-116.9, 32.55]]]}'))
    started_at = MomentField(label=_("Started"), widget=LocalDateTimeInput)
    ended_at = MomentField(label=_("Ended"), required=False, widget=LocalDateTimeInput)

    class Meta:
        model = BorderEvent
        fields = ["kind", "is_exercise", "title_en", "title_es", "description_en",
                  "description_es", "severity", "started_at", "ended_at", "latitude",
                  "longitude", "claimed_side", "perimeter", "reporting_organization"]
        widgets = {"description_en": forms.Textarea(attrs={"rows": 3}),
                   "description_es": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = BorderEventKind.objects.all()
        if self.instance.pk is None:
            kinds = kinds.filter(active=True)
        else:
            del self.fields["is_exercise"]
        self.fields["kind"].queryset = kinds
        self.fields["reporting_organization"].queryset = Organization.objects.filter(
            nation_id=user.nation_id)
        self.fields["reporting_organization"].initial = user.organization_id
        for name in ("latitude", "longitude"):
            self.fields[name].widget.attrs["step"] = "any"


class EventFilterForm(FilterForm):
    FILTERS = ("kind", "state", "side", "exercise", "q")

    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=with_any(BorderEvent.State.choices))
    side = forms.ChoiceField(label=_("Side of the line"), required=False,
                             choices=with_any(Side.choices))
    exercise = forms.ChoiceField(
        label=_("Real or exercise"), required=False,
        choices=[("", pgettext_lazy("border events", "Real events")),
                 (EXERCISE, pgettext_lazy("border events", "Exercises")),
                 (ALL, pgettext_lazy("border events", "Real events and exercises"))])
    q = search_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = with_any([(k.code, k.name)
                                                for k in BorderEventKind.objects.all()])


class TimelineEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=TimelineEntry.Kind.choices)
    language = forms.ChoiceField(label=_("Language"), choices=TimelineEntry.Language.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=TimelineEntry._meta.get_field("text").max_length)
    at = MomentField(label=_("Time"), required=False, widget=LocalDateTimeInput,
                     help_text=_("Empty: now."))

    def service_fields(self):
        return dict(self.cleaned_data)


class TransitionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2_000,
                             widget=forms.Textarea(attrs={"rows": 2}))
