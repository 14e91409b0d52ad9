"""Reads of accounts' records."""

from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string

from accounts.models import Organization


def organizations_for(user):
    """The organizations the user may look up, by least privilege: those of the user's own
    nation and of the nations it works with (settings.WORKING_NATIONS) — never those of a
    partnership between other nations."""
    if getattr(user, "nation_id", None) is None:
        return Organization.objects.none()
    working_nations = import_string(settings.WORKING_NATIONS)
    return Organization.objects.filter(
        Q(nation_id=user.nation_id) | Q(nation__in=working_nations(user))
    ).select_related("nation")
