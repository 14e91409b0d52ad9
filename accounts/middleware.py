import zoneinfo

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone


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
    (or log out) until they do."""

    ALLOWED_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/healthz", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and user.mfa_required
            and not user.authenticator_set.exists()
        ):
            return redirect(reverse("mfa_activate_totp") + "?next=" + request.path)
        return self.get_response(request)
