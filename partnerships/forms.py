from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from core.forms import NationChoiceField, bounded_dates
from core.pickers import Picker, register
from partnerships.models import (
    Agreement,
    Assessment,
    Indicator,
    LineOfEffort,
    Measurement,
    Objective,
    Partnership,
)
from partnerships.selectors import agreements_for, lines_for, partnerships_for


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["name_en", "name_es", "us_state", "partner_nation", "established",
                  "combatant_command", "status", "description_en", "description_es"]
        field_classes = {"partner_nation": NationChoiceField}
        widgets = {"description_en": forms.Textarea(attrs={"rows": 4}),
                   "description_es": forms.Textarea(attrs={"rows": 4})}


# The partnership program ---------------------------------------------------------------------

class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _text(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class OrganizationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.acronym} — {obj.name}"


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["kind", "title_en", "title_es", "parties", "signatories", "signed_on",
                  "signed_at_place", "focus_areas_en", "focus_areas_es", "expires_on"]
        widgets = {"parties": _text(), "signatories": _text(), "signed_on": DateInput,
                   "expires_on": DateInput, "focus_areas_en": _text(),
                   "focus_areas_es": _text()}
        formfield_callback = bounded_dates


class LineOfEffortForm(forms.ModelForm):
    class Meta:
        model = LineOfEffort
        fields = ["code", "name_en", "name_es", "description_en", "description_es", "position"]
        widgets = {"description_en": _text(), "description_es": _text()}


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["code", "statement_en", "statement_es", "owner", "target_date"]
        field_classes = {"owner": OrganizationChoiceField}
        widgets = {"statement_en": _text(), "statement_es": _text(), "target_date": DateInput}
        formfield_callback = bounded_dates

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organization.objects.select_related("nation")


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name_en", "name_es", "kind", "unit", "unit_es", "direction", "baseline_value",
                  "baseline_date", "target_value", "target_date", "frequency"]
        widgets = {"baseline_date": DateInput, "target_date": DateInput}
        formfield_callback = bounded_dates


def _evidence(model, partnership_path, order):
    """A picker's source: records of `model` the user may see in the partnership the request
    names (`partnership`), newest first."""
    def choices(user, params):
        partnership = str(params.get("partnership", ""))
        if not partnership.isdigit():
            return model.objects.none()
        visible = partnerships_for(user).filter(pk=partnership).values("pk")
        return (model.objects.restrict(user).prefetch_related(None)
                .filter(**{f"{partnership_path}__in": visible}).order_by(*order))
    return choices


# A partnership's engagements and reports add up over the years: picked by typing.
_engagements = _evidence(Measurement.evidence_model("engagement"), "partnership",
                         ("-start_date", "pk"))
_reports = _evidence(Measurement.evidence_model("after_action_report"), "engagement__partnership",
                     ("-engagement__start_date", "pk"))
ENGAGEMENTS = register("partnership-engagements", _engagements,
                       ("title_en", "title_es", "location"))
REPORTS = register("partnership-reports", _reports,
                   ("engagement__title_en", "engagement__title_es"))


class MeasurementForm(forms.ModelForm):
    """A value of an indicator with its evidence: an engagement of the same partnership and
    its after-action report, among those the user may see."""

    class Meta:
        model = Measurement
        fields = ["value", "as_of", "source", "engagement", "after_action_report"]
        widgets = {"as_of": DateInput, "engagement": Picker(ENGAGEMENTS),
                   "after_action_report": Picker(REPORTS)}
        formfield_callback = bounded_dates

    def __init__(self, *args, user, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        params = {"partnership": partnership.pk}
        self.fields["engagement"].queryset = _engagements(user, params)
        self.fields["after_action_report"].queryset = _reports(user, params).select_related(
            "engagement")
        for name in ("engagement", "after_action_report"):
            self.fields[name].widget.params = params
        self.fields["after_action_report"].help_text = _(
            "The engagement is taken from the report when only the report is chosen.")


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["kind", "assessed_on", "line_of_effort", "rating", "findings_en",
                  "findings_es"]
        widgets = {"assessed_on": DateInput, "findings_en": _text(5), "findings_es": _text(5)}
        formfield_callback = bounded_dates

    def __init__(self, *args, user, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["line_of_effort"]
        field.queryset = lines_for(user, partnership=partnership).prefetch_related(None)
        field.empty_label = _("The whole partnership")


class SupersedeForm(forms.Form):
    """The agreement in force that replaces this one."""

    superseded_by = forms.ModelChoiceField(queryset=Agreement.objects.none(),
                                           label=_("Superseded by"))

    def __init__(self, *args, user, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["superseded_by"].queryset = (
            agreements_for(user, partnership=agreement.partnership_id,
                           state=Agreement.State.IN_FORCE)
            .exclude(pk=agreement.pk).prefetch_related(None))


# List filters --------------------------------------------------------------------------------

def _any(choices):
    return [("", _("any")), *choices]


class FilterForm(forms.Form):
    """A list's filters; an invalid value is ignored (and shown as an error)."""

    def filters(self):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or None for name in self.fields}


class PartnershipFilterForm(FilterForm):
    """The partnership list's filters (also its CSV export's)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.SearchInput)
    partner_nation = forms.CharField(
        label=_("Partner nation"), required=False, max_length=3,
        widget=forms.TextInput(attrs={"size": 4, "placeholder": "MEX"}))
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=_any(Partnership.Status.choices))


class ProgramFilterForm(FilterForm):
    """A program list's filters: the partnership, and each kind's own."""

    partnership = forms.ModelChoiceField(queryset=Partnership.objects.none(), required=False,
                                         label=_("Partnership"), empty_label=_("any"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"].queryset = partnerships_for(user).prefetch_related(None)


class AgreementFilterForm(ProgramFilterForm):
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=_any(Agreement.State.choices))
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class LineOfEffortFilterForm(ProgramFilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class ObjectiveFilterForm(ProgramFilterForm):
    state = forms.ChoiceField(label=_("State"), required=False,
                              choices=_any(Objective.State.choices))
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class IndicatorFilterForm(ProgramFilterForm):
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=_any(Indicator.Kind.choices))
    q = forms.CharField(label=_("Search"), required=False, max_length=100)


class MeasurementFilterForm(ProgramFilterForm):
    verified = forms.ChoiceField(label=_("Verified"), required=False, choices=_any([
        ("yes", _("Verified")), ("no", _("Not verified"))]))

    def filters(self):
        filters = super().filters()
        filters["verified"] = {"yes": True, "no": False}.get(filters["verified"])
        return filters


class AssessmentFilterForm(ProgramFilterForm):
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=_any(Assessment.Kind.choices))
    rating = forms.ChoiceField(label=_("Rating"), required=False,
                               choices=_any(Assessment.Rating.choices))
