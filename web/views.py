from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core.history import recent_activity
from partnerships.selectors import partnerships_for


@login_required
def dashboard(request):
    user = request.user
    partnerships = partnerships_for(user)
    return render(request, "web/dashboard.html", {
        "partnerships": partnerships[:10],
        "partnership_count": partnerships.count(),
        "activity": recent_activity(user),
        "mfa_enabled": user.authenticator_set.exists(),
        "active_tokens": user.api_tokens.active().count(),
        "roles": list(user.roles),
    })


@never_cache
@require_GET
def healthz(request):
    """Liveness and database status, for load balancers and `make run`'s wait."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as exc:  # any database failure is reported, not raised
        return JsonResponse({"status": "error", "database": type(exc).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": database,
                         "vendor": connection.vendor})


def _error(request, status, template):
    return render(request, template, status=status)


def permission_denied(request, exception=None):
    return _error(request, 403, "403.html")


def page_not_found(request, exception=None):
    return _error(request, 404, "404.html")


def server_error(request):
    return _error(request, 500, "500.html")
