from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from core.models import Notification


def navigation(request):
    """The navigation shows what exists and what the user's role may see."""
    user = getattr(request, "user", None)
    items = []
    unread = 0
    if user is not None and user.is_authenticated:
        # One COUNT, run only when a template shows it (the header does; fragments do not).
        unread = SimpleLazyObject(lambda: Notification.objects.filter(
            recipient=user, read_at__isnull=True).count())
        items.append((reverse("web:dashboard"), _("Dashboard"), "dashboard"))
        if user.has_perm("partnerships.view_partnership"):
            items.append((reverse("partnerships:list"), _("Partnerships"), "partnerships"))
        if user.has_perm("engagements.view_engagement"):
            items.append((reverse("engagements:list"), _("Engagements"), "engagements"))
        if user.has_perm("response.view_incident"):
            items.append((reverse("response:incidents"), _("Mutual aid"), "response"))
            items.append((reverse("response:map"), _("Map"), "map"))
        if user.has_perm("border.view_borderevent"):
            items.append((reverse("border:events"), _("Border"), "border"))
        if user.has_perm("interop.view_receivedalert"):
            items.append((reverse("interop:alerts"), _("CAP alerts"), "interop"))
        if user.has_perm("exercises.view_exercise"):
            items.append((reverse("exercises:list"), _("Exercises"), "exercises"))
        if user.has_perm("personnel.view_member"):
            items.append((reverse("personnel:roster"), _("Personnel"), "personnel"))
        items.append((reverse("accounts:organizations"), _("Organizations"), "organizations"))
        if user.is_staff:
            items.append((reverse("admin:index"), _("Administration"), "admin"))
    return {"nav_items": items, "LANGUAGES": settings.LANGUAGES,
            "unread_notifications": unread}
