"""What the mutual-aid forms share: the "any" choice of a filter, the nation and incident
choices and the search box. Their list filters are core.forms.FilterForm."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Nation
from response.models import Incident


def with_any(choices):
    """A filter's choices, led by "any" (no filter)."""
    return [("", _("any")), *choices]


def nation_choices():
    return with_any([(n.code, f"{n.code} — {n.name}") for n in Nation.objects.all()])


def incident_choices(user):
    """The incidents the user may see, to filter by."""
    incidents = Incident.objects.restrict(user).prefetch_related(None).select_related(None)
    return with_any([(i.pk, i.name) for i in incidents])


def search_field():
    return forms.CharField(label=_("Search"), required=False, max_length=100,
                           widget=forms.SearchInput)


class ServiceFieldsMixin:
    """A form's cleaned fields, as the write service takes them."""

    def service_fields(self):
        return {name: self.cleaned_data.get(name) for name in self.fields}
