from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.exports import csv_response
from core.forms import MarkingForm
from core.history import history_for
from core.services import change_marking
from core.views import paginate, run_service
from partnerships import services
from partnerships.forms import PartnershipForm
from partnerships.models import Partnership
from partnerships.selectors import partnerships_for


def _visible(request, pk, action="view"):
    try:
        return Partnership.objects.restrict(request.user, action).get(pk=pk)
    except Partnership.DoesNotExist as exc:
        raise Http404 from exc


def _filters(request):
    return {key: request.GET.get(key) or None for key in ("partner_nation", "status", "q")}


@login_required
def partnership_list(request):
    page = paginate(request, partnerships_for(request.user, **_filters(request)))
    template = "partnerships/_table.html" if request.htmx else "partnerships/list.html"
    return render(request, template, {
        "page": page, "filters": _filters(request), "statuses": Partnership.Status.choices,
        "can_add": request.user.has_perm("partnerships.add_partnership"),
    })


@login_required
def partnership_export(request):
    rows = (
        [p.pk, p.name_en, p.name_es, p.us_state, p.partner_nation.code, p.established or "",
         p.get_status_display(), p.owner_nation.code,
         " ".join(sorted(n.code for n in p.rel_to.all())), p.disclosure]
        for p in partnerships_for(request.user, **_filters(request)).iterator(chunk_size=500)
    )
    header = ["id", _("name (English)"), _("name (Spanish)"), _("US state"), _("partner nation"),
              _("year established"), _("status"), _("owner nation"), _("releasable to"),
              _("foreign disclosure")]
    return csv_response("partnerships.csv", header, rows)


@login_required
def partnership_detail(request, pk):
    partnership = _visible(request, pk)
    return render(request, "partnerships/detail.html", {
        "partnership": partnership,
        "history": history_for(partnership),
        "can_change": partnerships_for(request.user, action="change").filter(pk=pk).exists(),
        "can_mark": partnerships_for(request.user, action="change_marking")
        .filter(pk=pk).exists(),
    })


@login_required
@permission_required("partnerships.add_partnership", raise_exception=True)
@require_http_methods(["GET", "POST"])
def partnership_create(request):
    form = PartnershipForm(request.POST or None, prefix="p")
    marking_form = MarkingForm(request.POST or None, prefix="m",
                               initial={"rel_to": [request.user.nation]})
    if request.method == "POST" and form.is_valid() and marking_form.is_valid():
        partnership = run_service(form, services.create_partnership, request.user,
                                  **marking_form.marking(), **form.cleaned_data)
        if partnership is not None:
            messages.success(request, _("Partnership created."))
            return redirect(partnership)
    return render(request, "partnerships/form.html",
                  {"form": form, "marking_form": marking_form, "partnership": None})


@login_required
@require_http_methods(["GET", "POST"])
def partnership_update(request, pk):
    partnership = _visible(request, pk, "change")
    form = PartnershipForm(request.POST or None, instance=partnership, prefix="p")
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.update_partnership, request.user, partnership,
                       **form.cleaned_data):
            messages.success(request, _("Partnership updated."))
            return redirect(partnership)
    return render(request, "partnerships/form.html",
                  {"form": form, "marking_form": None, "partnership": partnership})


@login_required
@require_http_methods(["GET", "POST"])
def partnership_marking(request, pk):
    partnership = _visible(request, pk, "change_marking")
    form = MarkingForm(request.POST or None, initial={
        "rel_to": list(partnership.rel_to.all()), "disclosure": partnership.disclosure,
        "tlp": partnership.tlp,
    })
    if request.method == "POST" and form.is_valid():
        if run_service(form, change_marking, partnership, request.user, **form.marking()):
            messages.success(request, _("Marking changed."))
            return redirect(partnership)
    return render(request, "partnerships/marking.html",
                  {"form": form, "partnership": partnership})
