"""Pages of received CAP alerts: the list, the import form (a file), each alert with every
info block, the document as received, its marking, and "open an incident" in one step."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import MarkingForm
from core.permissions import may
from core.related import shown
from core.views import attempt, get_one, list_page, marking_page, record_page, run_service
from interop import selectors, services
from interop.forms import AlertFilterForm, AlertUploadForm
from interop.models import ReceivedAlert


@login_required
def alert_list(request):
    user = request.user
    form = AlertFilterForm(request.GET)
    return list_page(request, "interop/alert_list.html", "interop/_alerts.html", form,
                     selectors.alerts_for(user, **form.filters()),
                     can_add=user.has_perm("interop.add_receivedalert"))


@login_required
@permission_required("interop.add_receivedalert", raise_exception=True)
@require_http_methods(["GET", "POST"])
def alert_import(request):
    """Upload a CAP document; a refusal (unsafe, not CAP, schema-invalid) shows on the form
    in the reader's language and nothing is stored; an alert already received goes to it."""
    user = request.user
    form = AlertUploadForm(request.POST or None, request.FILES or None)
    marking_form = MarkingForm(request.POST or None, prefix="m",
                               initial={"rel_to": [user.nation]})
    if request.method == "POST" and form.is_valid() and marking_form.is_valid():
        result = run_service(form, services.import_alert, user, **marking_form.marking(),
                             **form.service_fields())
        if result is not None:
            record, created = result
            if created:
                messages.success(request, _("Alert received."))
            else:
                messages.info(request, _("Your nation already has this alert (same sender, "
                                         "identifier and time sent): nothing was added."))
            return redirect(record)
    return render(request, "interop/alert_import.html",
                  {"form": form, "marking_form": marking_form})


@login_required
def alert_detail(request, pk):
    user = request.user
    record = get_one(selectors.alerts_for(user), pk)
    return record_page(
        request, "interop/alert_detail.html", record, alert=record,
        incident=shown(user, record.incident) if record.incident_id else None,
        can_open_incident=(record.incident_id is None and record.latitude is not None
                           and record.msg_type != ReceivedAlert.MsgType.CANCEL
                           and may(user, record, "change")
                           and user.has_perm("response.add_incident")))


@login_required
def alert_document(request, pk):
    """The document exactly as received (its signature intact)."""
    try:
        data = selectors.document_of(request.user, pk)
    except (ReceivedAlert.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    response = HttpResponse(data, content_type="application/cap+xml")
    response["Content-Disposition"] = f'attachment; filename="alert-{int(pk)}.xml"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def alert_marking(request, pk):
    record = get_one(selectors.alerts_for(request.user, "change_marking"), pk)
    return marking_page(request, record, services.change_alert_marking, alert=record)


@login_required
@require_POST
def alert_open_incident(request, pk):
    """Open a mutual-aid incident from the alert and go to it; a refusal comes back as a
    message on the alert's page."""
    record = get_one(selectors.alerts_for(request.user), pk)
    if attempt(request, services.open_incident, request.user, record):
        messages.success(request, _("Mutual-aid incident opened from this alert."))
        return redirect(record.incident)
    return redirect(record)
