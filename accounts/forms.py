from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "time_zone"]


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("Where the token is used, e.g. “CAL FIRE sync”."))
    write = forms.BooleanField(label=_("Allow writes"), required=False)
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=366,
                              initial=90)
