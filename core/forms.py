from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TLP, Disclosure, nation_model
from core.validators import JSONDecoder, validate_year


class DayField(forms.DateField):
    """A date within the years every form and the API accept."""

    default_validators = [validate_year]


class MomentField(forms.DateTimeField):
    """A date and time within the years every form and the API accept."""

    default_validators = [validate_year]


class JSONField(forms.JSONField):
    """JSON typed into a form, read as the API reads a body (core.validators.JSONDecoder)."""

    def __init__(self, **kwargs):
        super().__init__(decoder=JSONDecoder, **kwargs)

    def prepare_value(self, value):
        # Nothing yet shows as an empty box, not as the JSON `null`.
        return "" if value is None else super().prepare_value(value)


def bounded_dates(model_field, **kwargs):
    """A record form's `Meta.formfield_callback`: the model's dates and moments become DayField
    and MomentField, unless the form names another class for them."""
    if isinstance(model_field, models.DateTimeField):
        kwargs.setdefault("form_class", MomentField)
    elif isinstance(model_field, models.DateField):
        kwargs.setdefault("form_class", DayField)
    return model_field.formfield(**kwargs)


class FilterForm(forms.Form):
    """A list's filters, read from the query string; `filters()` gives those that passed
    validation (an invalid one is ignored and shown) under the names in FILTERS."""

    FILTERS = ()

    def filters(self):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: data.get(name) or None for name in self.FILTERS}


class NationLabel:
    """Nations read as "MEX — México" in the reader's language."""

    def label_from_instance(self, obj):
        return f"{obj.code} — {obj.name}"


class NationChoiceField(NationLabel, forms.ModelChoiceField):
    pass


class NationMultipleChoiceField(NationLabel, forms.ModelMultipleChoiceField):
    pass


class MarkingForm(forms.Form):
    """Who may see a record. Used on its own (change marking) and inside create forms."""

    rel_to = NationMultipleChoiceField(
        queryset=nation_model().objects.all(), to_field_name="code", required=False,
        widget=forms.CheckboxSelectMultiple, label=_("Releasable to"),
        help_text=_("Your own nation is always included."),
    )
    disclosure = forms.ChoiceField(choices=Disclosure.choices, initial=Disclosure.NOT_REVIEWED,
                                   label=_("Foreign disclosure"))
    tlp = forms.ChoiceField(choices=[("", "—"), *TLP.choices], required=False, label=_("TLP"))

    def marking(self):
        data = self.cleaned_data
        return {"rel_to": list(data["rel_to"]), "disclosure": data["disclosure"],
                "tlp": data.get("tlp") or ""}
