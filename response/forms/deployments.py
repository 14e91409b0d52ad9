"""Forms of the deployment pages: the deployment, its roster, check-ins, daily status, shifts,
costs and extension, and the list and accountability filters. The services validate; these
only shape the input."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from core.forms import FilterForm
from personnel.forms import LocalDateTimeInput
from response import accountability, workrest
from response.forms.common import (
    ServiceFieldsMixin,
    incident_choices,
    nation_choices,
    with_any,
)
from response.models import (
    CheckIn,
    DailyStatus,
    Deployment,
    DeploymentCost,
    OnboardingItem,
    RosterMember,
)

DATE_INPUT = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}


class DeploymentForm(ServiceFieldsMixin, forms.ModelForm):
    """The team's name, transport and crossing plan; on edit also its assignment. The
    service checks that a ground crossing names a port and an air one an airport or base."""

    class Meta:
        model = Deployment
        fields = ["name", "transport", "port", "arrival_airport", "planned_crossing_at",
                  "reception_site", "carries_equipment", "departed_at",
                  "assignment_division", "assignment_crew", "supervisor"]
        widgets = {"planned_crossing_at": LocalDateTimeInput, "departed_at": LocalDateTimeInput,
                   "transport": forms.RadioSelect}
        help_texts = {"planned_crossing_at": _("Your local time. The host nation is told of "
                                               "the planned crossing."),
                      "departed_at": _("Planned departure, if known.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            for name in ("assignment_division", "assignment_crew", "supervisor"):
                del self.fields[name]
        self.fields["port"].label_from_instance = (
            lambda p: f"{p.name} ({p.hours_label})")


class DeploymentFilterForm(FilterForm):
    FILTERS = ("incident", "state", "nation", "transport")

    incident = forms.TypedChoiceField(label=_("Incident"), required=False, coerce=int,
                                      empty_value=None)
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=with_any(Deployment.State.choices))
    nation = forms.ChoiceField(label=_("Sending nation"), required=False)
    transport = forms.ChoiceField(label=_("Transport"), required=False,
                                  choices=with_any(Deployment.Transport.choices))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].choices = incident_choices(user)
        self.fields["nation"].choices = nation_choices()


class AccountabilityFilterForm(DeploymentFilterForm):
    FILTERS = ("incident", "deployment", "nation")
    field_order = FILTERS

    deployment = forms.TypedChoiceField(label=_("Deployment"), required=False, coerce=int,
                                        empty_value=None)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["state"], self.fields["transport"]
        teams = accountability.teams_away(user).prefetch_related(None).select_related(None)
        self.fields["deployment"].choices = with_any([(d.pk, d.name) for d in teams])


class TransitionForm(forms.Form):
    at = forms.DateTimeField(label=_("When"), required=False, widget=LocalDateTimeInput,
                             help_text=_("Empty: now."))


class ChecklistItemForm(forms.Form):
    # "1" records the item, "0" undoes it (a hidden field: the button says which).
    done = forms.NullBooleanField(required=False, widget=forms.HiddenInput)
    at = forms.DateTimeField(label=_("When"), required=False, widget=LocalDateTimeInput)


class OnboardingItemForm(forms.ModelForm):
    class Meta:
        model = OnboardingItem
        fields = ["text_en", "text_es"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class RosterMemberForm(ServiceFieldsMixin, forms.ModelForm):
    """A person of the sending nation's organizations."""

    class Meta:
        model = RosterMember
        fields = ["full_name", "organization", "position", "credentials", "languages",
                  "agency_id"]
        widgets = {"credentials": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, deployment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            nation_id=deployment.owner_nation_id)
        self.fields["organization"].initial = deployment.sending_organization_id


class CheckInForm(ServiceFieldsMixin, forms.ModelForm):
    class Meta:
        model = CheckIn
        fields = ["status", "location", "at", "note"]
        widgets = {"at": LocalDateTimeInput}
        help_texts = {"at": _("Empty: now.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["at"].required = False


class DailyStatusForm(ServiceFieldsMixin, forms.ModelForm):
    class Meta:
        model = DailyStatus
        fields = ["day", "summary_en", "summary_es", "personnel_on_duty", "injuries"]
        widgets = {"day": forms.DateInput(**DATE_INPUT),
                   "summary_en": forms.Textarea(attrs={"rows": 3}),
                   "summary_es": forms.Textarea(attrs={"rows": 3})}


class ShiftForm(ServiceFieldsMixin, forms.Form):
    # A plain form: the service words the refusals (end before start, overlaps, 24 h).
    started_at = forms.DateTimeField(label=_("Shift start"), widget=LocalDateTimeInput)
    ended_at = forms.DateTimeField(label=_("Shift end"), widget=LocalDateTimeInput)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class CostForm(ServiceFieldsMixin, forms.ModelForm):
    class Meta:
        model = DeploymentCost
        fields = ["category", "description", "amount", "currency", "reimbursement"]


class ExtensionForm(ServiceFieldsMixin, forms.Form):
    days = forms.IntegerField(label=_("Extension (days in all)"), min_value=1,
                              max_value=workrest.MAX_EXTENSION_DAYS,
                              help_text=_("At most 14 more days on assignment."))
