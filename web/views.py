import sys

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from huey.contrib.djhuey import HUEY

from accounts.models import Nation
from border.selectors.notices import dashboard_card as border_notices_card
from core.history import recent_activity
from core.middleware import database_unavailable, unavailable_response
from core.models import Notification
from core.related import readable_notices
from core.views import paginate
from engagements.selectors import not_yet_recorded
from partnerships.selectors import partnerships_for
from response.models import Deployment, Incident, RosterMember

# Deployments not yet home, and of them those whose people are away from home now.
DEPLOYMENT_DONE = (Deployment.State.RETURNED, Deployment.State.CLOSED)
DEPLOYED_NOW = (Deployment.State.IN_TRANSIT, Deployment.State.ARRIVED,
                Deployment.State.ONBOARDING, Deployment.State.ASSIGNED,
                Deployment.State.DEMOBILIZING)


def mutual_aid_card(user):
    """The "Mutual aid" card: active incidents, deployments in progress, and the people deployed
    now by sending nation — each counted through restrict(), so only what the user may see.
    None for users who may not see incidents."""
    if not user.has_perm("response.view_incident"):
        return None
    incidents = Incident.objects.restrict(user).filter(status=Incident.Status.ACTIVE)
    in_progress = Deployment.objects.restrict(user).exclude(state__in=DEPLOYMENT_DONE)
    prefix = "deployment__sending_organization__nation__"
    deployed = (RosterMember.objects.restrict(user)
                .filter(deployment__in=in_progress.filter(state__in=DEPLOYED_NOW).values("pk"))
                .values(f"{prefix}code", f"{prefix}name_en", f"{prefix}name_es")
                .annotate(people=Count("pk"))
                .order_by(f"{prefix}code"))
    by_nation = [(Nation(code=row[f"{prefix}code"], name_en=row[f"{prefix}name_en"],
                         name_es=row[f"{prefix}name_es"]), row["people"]) for row in deployed]
    return {
        # The card shows no markings: no need for restrict()'s prefetch of rel_to.
        "active_incidents": list(incidents.prefetch_related(None)[:5]),
        "active_incident_count": incidents.count(),
        "deployments_in_progress": in_progress.count(),
        "people_by_nation": by_nation,
        "people_total": sum(people for _nation, people in by_nation),
    }


@login_required
def dashboard(request):
    user = request.user
    partnerships = partnerships_for(user)
    # Engagements that took place and still wait to be recorded complete, for those who may
    # see engagements.
    not_recorded = (not_yet_recorded(user).count()
                    if user.has_perm("engagements.view_engagement") else None)
    return render(request, "web/dashboard.html", {
        "not_recorded_count": not_recorded,
        "mutual_aid": mutual_aid_card(user),
        "border_notices": border_notices_card(user),
        "partnerships": partnerships[:10],
        "partnership_count": partnerships.count(),
        "activity": recent_activity(user),
        "mfa_enabled": user.mfa_enabled(),
        "active_tokens": user.api_tokens.active().count(),
        "roles": list(user.roles),
    })


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request):
    """The user's own notices, newest first. POST `notification=<id>` marks one as read,
    POST `all` marks every unread one."""
    mine = Notification.objects.filter(recipient=request.user)
    if request.method == "POST":
        unread = mine.filter(read_at__isnull=True)
        if "all" in request.POST:
            unread.update(read_at=timezone.now())
        else:
            pk = request.POST.get("notification", "")
            if not pk.isdigit() or not mine.filter(pk=pk).exists():
                raise Http404
            unread.filter(pk=pk).update(read_at=timezone.now())
        return redirect("web:notifications")
    page = paginate(request, mine)
    page.object_list = readable_notices(request.user, page.object_list)
    return render(request, "web/notifications.html", {"page": page})


@never_cache
@require_GET
def healthz(request):
    """Liveness for load balancers and `make run`'s wait: the database (503 without it), and
    the cache and the job queue (Redis at scale), which only degrade the site: pages still
    serve, jobs wait."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database failure is reported, not raised
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    parts = {"database": "ok", "cache": _health(_cache_round_trip),
             "queue": _health(HUEY.storage.queue_size)}
    degraded = any(state != "ok" for state in parts.values())
    return JsonResponse({"status": "degraded" if degraded else "ok", **parts,
                         "vendor": connection.vendor})


def _cache_round_trip():
    cache.set("healthz", "ok", 10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not keep a value")


def _health(check):
    try:
        check()
    except Exception as exc:  # a broken cache or queue is reported, not raised
        return type(exc).__name__
    return "ok"


def _error(request, status, template):
    return render(request, template, status=status)


def permission_denied(request, exception=None):
    return _error(request, 403, "403.html")


def page_not_found(request, exception=None):
    return _error(request, 404, "404.html")


def server_error(request):
    # Called while the exception is handled: one met before the view (a middleware reading the
    # user) when the database cannot be reached is a 503 too (core.middleware).
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return _error(request, 500, "500.html")
