from django import forms

from core.forms import NationChoiceField
from partnerships.models import Partnership


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["name_en", "name_es", "us_state", "partner_nation", "established",
                  "combatant_command", "status", "description_en", "description_es"]
        field_classes = {"partner_nation": NationChoiceField}
        widgets = {"description_en": forms.Textarea(attrs={"rows": 4}),
                   "description_es": forms.Textarea(attrs={"rows": 4})}

