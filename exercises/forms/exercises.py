"""Forms of the exercise pages: the exercise, its objectives, the MSEL, conduct and the players'
responses. The services check everything again; these forms choose what the user may pick and
parse what they typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from border.models import BorderEvent
from core.forms import FilterForm, MomentField
from engagements.models import Engagement
from exercises.models import (
    MAX_OFFSET_MINUTES,
    CoreCapability,
    Exercise,
    ExerciseObjective,
    Inject,
    Language,
    PlayerResponse,
)
from exercises.services.exercises import participant_organizations
from partnerships.models import Objective
from personnel.forms import LocalDateTimeInput
from response.forms.common import ServiceFieldsMixin, search_field, with_any


class ExerciseForm(ServiceFieldsMixin, forms.ModelForm):
    """A new exercise (with the engagement it extends: one of type exercise the user may
    change and that has none yet) or an existing one."""

    engagement = forms.ModelChoiceField(label=_("Engagement"), queryset=Engagement.objects.none(),
                                        help_text=_("An engagement of type exercise."))
    startex = MomentField(label=_("STARTEX"), widget=LocalDateTimeInput,
                          help_text=_("When play starts; injects are scheduled from it."))
    endex = MomentField(label=_("ENDEX"), widget=LocalDateTimeInput,
                        help_text=_("When play is planned to end."))

    class Meta:
        model = Exercise
        fields = ["kind", "scenario_en", "scenario_es", "startex", "endex"]
        widgets = {"scenario_en": forms.Textarea(attrs={"rows": 4}),
                   "scenario_es": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["engagement"].queryset = (
                Engagement.objects.restrict(user, "change")
                .filter(type=Engagement.Type.EXERCISE, exercise__isnull=True))
            self.order_fields(["engagement"])
        else:
            del self.fields["engagement"]

    def _post_clean(self):
        # The service validates the instance (and its engagement) as a whole.
        pass


class ExerciseFilterForm(FilterForm):
    FILTERS = ("state", "kind", "q")

    state = forms.ChoiceField(label=_("State of conduct"), required=False,
                              choices=with_any(Exercise.State.choices))
    kind = forms.ChoiceField(label=_("Exercise type"), required=False,
                             choices=with_any(Exercise.Kind.choices))
    q = search_field()


class CapabilityChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class PartnershipObjectiveField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.code} — {obj}"


class ObjectiveForm(ServiceFieldsMixin, forms.Form):
    text_en = forms.CharField(label=_("Objective (English)"),
                              widget=forms.Textarea(attrs={"rows": 2}),
                              max_length=ExerciseObjective._meta.get_field("text_en").max_length)
    text_es = forms.CharField(label=_("Objective (Spanish)"),
                              widget=forms.Textarea(attrs={"rows": 2}),
                              max_length=ExerciseObjective._meta.get_field("text_es").max_length)
    capabilities = CapabilityChoiceField(
        label=_("Core capabilities"), required=False,
        queryset=CoreCapability.objects.filter(active=True), to_field_name="code",
        widget=forms.CheckboxSelectMultiple)
    partnership_objectives = PartnershipObjectiveField(
        label=_("Partnership objectives"), required=False, queryset=Objective.objects.none(),
        widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, exercise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership_objectives"].queryset = Objective.objects.restrict(user).filter(
            line_of_effort__partnership_id=exercise.engagement.partnership_id)

    def service_fields(self):
        data = dict(self.cleaned_data)
        data["capabilities"] = list(data.get("capabilities") or ())
        data["partnership_objectives"] = list(data.get("partnership_objectives") or ())
        return data


class OrganizationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.acronym} — {obj.name}"


class InjectForm(ServiceFieldsMixin, forms.Form):
    """A row of the MSEL: its receivers are the organizations of the engagement's
    participants, its objectives the exercise's."""

    offset_minutes = forms.IntegerField(
        label=_("Minutes after STARTEX"), min_value=0, max_value=MAX_OFFSET_MINUTES,
        help_text=_("Delivered at STARTEX plus this many minutes (plus any pause)."))
    sender_role = forms.ChoiceField(label=_("Sender"), choices=Inject.SenderRole.choices)
    sender_organization = forms.ModelChoiceField(
        label=_("Sending organization"), required=False, queryset=None,
        help_text=_("When the inject comes from a named organization."))
    receivers = OrganizationChoiceField(label=_("Receiving players"), queryset=None,
                                        widget=forms.CheckboxSelectMultiple)
    text_en = forms.CharField(label=_("Inject (English)"),
                              widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=Inject._meta.get_field("text_en").max_length)
    text_es = forms.CharField(label=_("Inject (Spanish)"),
                              widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=Inject._meta.get_field("text_es").max_length)
    expected_action_en = forms.CharField(
        label=_("Expected action (English)"), widget=forms.Textarea(attrs={"rows": 2}),
        max_length=Inject._meta.get_field("expected_action_en").max_length)
    expected_action_es = forms.CharField(
        label=_("Expected action (Spanish)"), widget=forms.Textarea(attrs={"rows": 2}),
        max_length=Inject._meta.get_field("expected_action_es").max_length)
    objectives = forms.ModelMultipleChoiceField(
        label=_("Objectives addressed"), required=False, queryset=None,
        widget=forms.CheckboxSelectMultiple)
    border_event = forms.ModelChoiceField(
        label=_("Exercise border event"), required=False, queryset=None,
        help_text=_("A border event flagged as an exercise that this inject stands for."))

    def __init__(self, *args, user, exercise, **kwargs):
        from accounts.models import Organization

        super().__init__(*args, **kwargs)
        self.fields["sender_organization"].queryset = Organization.objects.all()
        self.fields["receivers"].queryset = participant_organizations(exercise)
        self.fields["objectives"].queryset = exercise.objectives.all()
        self.fields["border_event"].queryset = BorderEvent.objects.restrict(user).filter(
            is_exercise=True)


class SkipForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2_000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ResponseForm(ServiceFieldsMixin, forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    text = forms.CharField(label=_("Response"), widget=forms.Textarea(attrs={"rows": 3}),
                           max_length=PlayerResponse._meta.get_field("text").max_length)
    at = MomentField(label=_("Time"), required=False, widget=LocalDateTimeInput,
                     help_text=_("Empty: now."))
