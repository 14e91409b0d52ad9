import zoneinfo

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api import error_body


class UserPreferencesMiddleware:
    """Shows times in the signed-in user's own zone (California, Baja California or BCS)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class RequireMFAForRoleMiddleware:
    """A user whose role requires MFA and who has no authenticator yet may only set one up
    (or log out) until they do. The API is closed to that session too (a JSON 403), or the
    password alone would still read, write and make tokens there."""

    ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and user.mfa_pending()
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(error_body(_(
                    "Your role requires two-factor authentication: set up an authenticator app "
                    "under Your account before using the API.")), status=403)
            return redirect(reverse("mfa_activate_totp") + "?next=" + request.path)
        return self.get_response(request)
