"""Forms of the interop pages. The services check everything again."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import FilterForm
from interop.models import ReceivedAlert
from interop.xml import MAX_BYTES
from response.forms.common import search_field, with_any


class AlertFilterForm(FilterForm):
    FILTERS = ("status", "msg_type", "version", "q")

    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=with_any(ReceivedAlert.Status.choices))
    msg_type = forms.ChoiceField(label=_("Message type"), required=False,
                                 choices=with_any(ReceivedAlert.MsgType.choices))
    version = forms.ChoiceField(label=_("CAP version"), required=False,
                                choices=with_any(ReceivedAlert.Version.choices))
    q = search_field()


class AlertUploadForm(forms.Form):
    """A CAP document (1.2, 1.1 or 1.0) as a file."""

    document = forms.FileField(
        label=_("CAP document"),
        help_text=_("An XML file holding one CAP 1.2, 1.1 or 1.0 alert."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xml,.cap,application/xml,"
                                               "application/cap+xml"}))

    def clean_document(self):
        upload = self.cleaned_data["document"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The document is larger than %(limit)s bytes.") % {"limit": MAX_BYTES})
        return upload

    def service_fields(self):
        upload = self.cleaned_data["document"]
        upload.seek(0)
        return {"data": upload.read()}
