"""Pages of the counterpart notices: the notices waiting for the reader's organization (and
the others the reader may see), acknowledging one, and the time-to-notify and
time-to-acknowledge per quarter. An event's own notices are shown on its page
(`border/_event_notices.html`, through the `event_notices` tag)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from border.selectors import notices as selectors
from border.services import notices as services
from core.views import attempt, get_one, paginate


@login_required
def notice_list(request):
    user = request.user
    return render(request, "border/notice_list.html", {
        "waiting": [selectors.NoticeRow(n, None, n.late, selectors.may_acknowledge(user, n))
                    for n in selectors.waiting_for(user)],
        "page": paginate(request, selectors.notices_for(user)),
    })


@login_required
@require_POST
def notice_acknowledge(request, pk):
    notice = get_one(selectors.notices_for(request.user), pk)
    if attempt(request, services.acknowledge, request.user, notice):
        messages.success(request, _("Notice acknowledged for %(organization)s.")
                         % {"organization": notice.organization.acronym})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = notice.get_absolute_url()
    return redirect(target)


@login_required
def notice_dashboard(request):
    return render(request, "border/notice_dashboard.html", {
        "quarters": selectors.quarterly_figures(request.user)})


urlpatterns = [
    path("notices/", notice_list, name="notices"),
    path("notices/figures/", notice_dashboard, name="notice_dashboard"),
    path("notices/<int:pk>/acknowledge/", notice_acknowledge, name="notice_acknowledge"),
]
