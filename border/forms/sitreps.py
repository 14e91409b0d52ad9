"""Forms of joint situation reports: the operational period of a new report (read in the user's
time zone) and a nation's section, both languages side by side. The services check everything
again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from border.models import SitrepSection
from border.services.sitreps import SECTION_FIELDS
from core.forms import MomentField
from personnel.forms import LocalDateTimeInput


class ReportForm(forms.Form):
    period_start = MomentField(label=_("Operational period start"), widget=LocalDateTimeInput)
    period_end = MomentField(label=_("Operational period end"), widget=LocalDateTimeInput)

    def service_fields(self):
        return dict(self.cleaned_data)


class SectionForm(forms.ModelForm):
    """A nation's section: each part in English and in Spanish. Saving keeps a draft; submitting
    needs every box filled."""

    class Meta:
        model = SitrepSection
        fields = list(SECTION_FIELDS)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in SECTION_FIELDS}

    def service_fields(self):
        return {name: self.cleaned_data.get(name, "") for name in SECTION_FIELDS}

    def pairs(self):
        """(English box, Spanish box) for each part, as the page lays them side by side."""
        return [(self[f"{name}_en"], self[f"{name}_es"])
                for name in dict.fromkeys(f.rsplit("_", 1)[0] for f in SECTION_FIELDS)]
