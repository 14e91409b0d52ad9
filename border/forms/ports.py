"""The form of the port-of-entry status board: one side's report of its lanes. The service
checks everything again (border.services.ports)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from border.models import PortStatusReport


class PortStatusForm(forms.ModelForm):
    """A side's status, lanes, waits and reason. Released to both nations unless the reporter
    keeps it for their own nation."""

    own_nation_only = forms.BooleanField(
        label=_("Keep this report for my nation only"), required=False,
        help_text=_("By default both nations see the status of every port's lanes."))

    class Meta:
        model = PortStatusReport
        fields = ["status", "passenger_lanes_open", "commercial_lanes_open",
                  "passenger_wait_minutes", "commercial_wait_minutes", "reason_en",
                  "reason_es"]
        widgets = {"reason_en": forms.Textarea(attrs={"rows": 2}),
                   "reason_es": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("passenger_wait_minutes", "commercial_wait_minutes"):
            self.fields[name].widget.attrs.update({"min": 0, "max": 24 * 60})
        for name in ("passenger_lanes_open", "commercial_lanes_open"):
            self.fields[name].widget.attrs.update({"min": 0, "max": 99})

    def service_fields(self):
        data = self.cleaned_data
        fields = {name: data.get(name) for name in self.Meta.fields}
        fields["reason_en"] = fields["reason_en"] or ""
        fields["reason_es"] = fields["reason_es"] or ""
        if data.get("own_nation_only"):
            fields.update(rel_to=[], disclosure="not_reviewed")
        return fields
