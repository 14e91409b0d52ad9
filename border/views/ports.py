"""Pages of the port-of-entry status board: every port west to east with each side's current
status (border.selectors.ports.current_board, the one read), the form with which a side's users
report their own lanes, and a port's history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from border.forms.ports import PortStatusForm
from border.models import BorderEvent, Side
from border.selectors import ports as selectors
from border.services.ports import report_port_status
from core.related import visible_pks
from core.views import paginate, run_service
from response.models import PortOfEntry


def _may_report(user, side):
    return (getattr(user, "nation_id", None) is not None and user.nation.code == side
            and user.has_perm("border.add_portstatusreport"))


def _forms(user, rows, bound=None):
    """A report form for each side of each row the user may report, keyed by "key:side";
    `bound` replaces the one that was just sent with errors."""
    forms = {}
    for row in rows:
        for side in row.sides:
            name = f"{row.port.key}:{side}"
            if bound and bound[0] == name:
                forms[name] = bound[1]  # with its refusal, whoever sent it
            elif _may_report(user, side):
                forms[name] = PortStatusForm(prefix=f"{row.port.key}-{side}")
    for row in rows:
        for status in row.sides.values():
            status.form = forms.get(f"{row.port.key}:{status.side}")
    return forms


@login_required
def port_board(request, *, bound=None):
    user = request.user
    if not user.has_perm("border.view_portstatusreport"):
        raise Http404
    rows = selectors.current_board(user)
    _forms(user, rows, bound)
    return render(request, "border/port_board.html", {"rows": rows})


@login_required
def port_history(request, key, *, bound=None):
    user = request.user
    if not user.has_perm("border.view_portstatusreport"):
        raise Http404
    port = get_object_or_404(PortOfEntry, key=key)
    row = selectors.port_row(user, port)
    _forms(user, [row], bound)
    page = paginate(request, selectors.history_for(user, port))
    # A closure's event is linked only for a reader who may see it.
    events = visible_pks(user, BorderEvent, [report.event_id for report in page.object_list])
    for report in page.object_list:
        report.event_shown = report.event_id in events
    return render(request, "border/port_history.html", {"port": port, "row": row,
                                                        "page": page})


@login_required
@require_POST
def port_report(request, key, side):
    """A side's report; refused fields show on its form, on the page it was sent from."""
    port = get_object_or_404(PortOfEntry, key=key)
    if side not in Side.values:
        raise Http404
    form = PortStatusForm(request.POST, prefix=f"{port.key}-{side}")
    from_port = request.POST.get("from") == "port"
    if form.is_valid() and run_service(form, report_port_status, request.user, port, side,
                                       **form.service_fields()):
        messages.success(request, _("Status of %(port)s reported.") % {"port": port.name})
        return redirect("border:port", port.key) if from_port else redirect("border:ports")
    bound = (f"{port.key}:{side}", form)
    if from_port:
        return port_history(request, port.key, bound=bound)
    return port_board(request, bound=bound)


urlpatterns = [
    path("ports/", port_board, name="ports"),
    path("ports/<str:key>/", port_history, name="port"),
    path("ports/<str:key>/<str:side>/report/", port_report, name="port_report"),
]
