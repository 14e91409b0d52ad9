"""Forms of the allocation proposal pages. They shape input; `response.services.allocation`
decides what is allowed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import FilterForm
from response.forms.common import ServiceFieldsMixin, incident_choices, with_any
from response.models import AllocationProposal, Incident

SOLVER_CHOICES = [("auto", _("Automatic (the integer model with the liaison rule, else the "
                             "exact flow)")),
                  *AllocationProposal.Solver.choices]


class ProposalFilterForm(FilterForm):
    FILTERS = ("incident", "state")

    incident = forms.TypedChoiceField(label=_("Incident"), required=False, coerce=int,
                                      empty_value=None)
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=with_any(AllocationProposal.State.choices))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].choices = incident_choices(user)


class ProposalForm(ServiceFieldsMixin, forms.Form):
    incident = forms.ModelChoiceField(
        label=_("Incident"), queryset=Incident.objects.none(), required=False,
        empty_label=_("All active incidents"))
    solver = forms.ChoiceField(label=_("Solver"), choices=SOLVER_CHOICES, initial="auto")
    liaison_rule = forms.BooleanField(
        label=_("Liaison rule"), required=False, initial=True,
        help_text=AllocationProposal._meta.get_field("liaison_rule").help_text)
    time_limit = forms.FloatField(label=_("Time limit (seconds)"), min_value=0.1,
                                  max_value=300, initial=10)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incident"].queryset = (
            Incident.objects.restrict(user).exclude(status=Incident.Status.CLOSED)
            .prefetch_related(None))


class ResolveForm(forms.Form):
    """The assignments to pin and to exclude when solving again, each named
    "unit:12|request:34" (an exclusion without a request keeps the unit home)."""

    pin = forms.MultipleChoiceField(required=False)
    exclude = forms.MultipleChoiceField(required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pin"].choices = self.fields["exclude"].choices = [(c, c) for c in choices]

    def pairs(self):
        def pair(value):
            resource, _sep, request = value.partition("|")
            return {"resource": resource, **({"request": request} if request else {})}

        return {"pins": [pair(v) for v in self.cleaned_data["pin"]],
                "exclusions": [pair(v) for v in self.cleaned_data["exclude"]]}
