from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """The navigation shows what exists and what the user's role may see."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append((reverse("web:dashboard"), _("Dashboard"), "dashboard"))
        if user.has_perm("partnerships.view_partnership"):
            items.append((reverse("partnerships:list"), _("Partnerships"), "partnerships"))
        items.append((reverse("accounts:organizations"), _("Organizations"), "organizations"))
        if user.is_staff:
            items.append((reverse("admin:index"), _("Administration"), "admin"))
    return {"nav_items": items, "LANGUAGES": settings.LANGUAGES}
