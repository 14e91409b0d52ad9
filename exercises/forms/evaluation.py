"""Forms of evaluation and the improvement plan. The services check everything again; these
forms offer only what the user may choose and parse what they typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization, User
from core.forms import DayField, FilterForm
from exercises.models import EvaluatorObservation, ExerciseObjective, ImprovementItem
from exercises.selectors.evaluation import NOT_OVERDUE, OVERDUE
from partnerships.models import Indicator
from response.forms.common import ServiceFieldsMixin, search_field, with_any


class ObjectiveLabel:
    def label_from_instance(self, obj):
        return f"{obj.number}. {obj.text}"


class ObjectiveChoiceField(ObjectiveLabel, forms.ModelChoiceField):
    pass


def _released_organizations(exercise):
    """The organizations of the nations the exercise is released to (its owner's always)."""
    nations = [n.pk for n in exercise.rel_to.all() if exercise.releasable_to(n.code)]
    return Organization.objects.filter(nation_id__in=nations).order_by("nation", "acronym")


class ObservationForm(ServiceFieldsMixin, forms.Form):
    objective = ObjectiveChoiceField(queryset=ExerciseObjective.objects.none(),
                                     label=_("Objective"))
    kind = forms.ChoiceField(choices=EvaluatorObservation.Kind.choices, label=_("Kind"),
                             widget=forms.RadioSelect)
    text_en = forms.CharField(label=_("Observation (English)"),
                              widget=forms.Textarea(attrs={"rows": 3}))
    text_es = forms.CharField(label=_("Observation (Spanish)"),
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, objectives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = objectives


class RatingForm(ServiceFieldsMixin, forms.Form):
    rating = forms.ChoiceField(choices=[("", _("not rated")),
                                        *ExerciseObjective.Rating.choices],
                               required=False, label=_("Rating"))


class EvaluatorsForm(forms.Form):
    evaluators = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(), required=False, label=_("Evaluators"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Users of the nations the exercise is released to whose role may record "
                    "observations."))

    def __init__(self, *args, exercise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evaluators"].queryset = (
            User.objects.filter(is_active=True,
                                organization__in=_released_organizations(exercise))
            .filter(groups__permissions__codename="add_evaluatorobservation").distinct()
            .select_related("organization").order_by("organization__acronym", "username"))
        self.fields["evaluators"].label_from_instance = (
            lambda u: f"{u.get_full_name() or u.username} ({u.organization.acronym})")


class ItemForm(ServiceFieldsMixin, forms.Form):
    text_en = forms.CharField(label=_("Corrective action (English)"),
                              widget=forms.Textarea(attrs={"rows": 2}))
    text_es = forms.CharField(label=_("Corrective action (Spanish)"),
                              widget=forms.Textarea(attrs={"rows": 2}))
    owner_organization = forms.ModelChoiceField(queryset=Organization.objects.none(),
                                                label=_("Owner organization"))
    due_date = DayField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))
    observation = forms.ModelChoiceField(queryset=EvaluatorObservation.objects.none(),
                                         required=False, label=_("From the observation"))
    indicator = forms.ModelChoiceField(queryset=Indicator.objects.none(), required=False,
                                       label=_("Partnership indicator"),
                                       help_text=_("The indicator this item works towards."))

    def __init__(self, *args, exercise, observations, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organization"].queryset = _released_organizations(exercise)
        self.fields["owner_organization"].label_from_instance = (
            lambda o: f"{o.acronym} — {o.name}")
        self.fields["observation"].queryset = observations
        self.fields["observation"].label_from_instance = (
            lambda o: f"{o.objective.number}. {o.get_kind_display()}: {o.text[:80]}")
        self.fields["indicator"].queryset = indicators


class ItemFilterForm(FilterForm):
    FILTERS = ("state", "overdue", "q")

    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=with_any(ImprovementItem.State.choices))
    overdue = forms.ChoiceField(label=_("Overdue"), required=False, choices=with_any(
        [(OVERDUE, _("overdue only")), (NOT_OVERDUE, _("not overdue"))]))
    q = search_field()


class MeasureForm(forms.Form):
    indicator = forms.ModelChoiceField(queryset=Indicator.objects.none(),
                                       label=_("Partnership indicator"))

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
