"""Personal calendar feeds of a partnership's engagements: created with a key shown once,
revoked by their owner."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import acting_as
from core.permissions import require
from engagements.models import CalendarFeed


@transaction.atomic
def create_calendar_feed(user, partnership, *, language="en"):
    """A personal calendar feed of one partnership's engagements, titled in `language`.
    Returns (feed, key); the key is shown once and never stored."""
    require(user, partnership, "view", perm="engagements.view_engagement")
    key = CalendarFeed.new_key()
    with acting_as(user):
        feed = CalendarFeed.objects.create(
            user=user, partnership=partnership, key_hash=CalendarFeed.hash_key(key),
            hint=key[: len(CalendarFeed.PREFIX) + 4],
            language=language if language in dict(settings.LANGUAGES) else "en")
    return feed, key


@transaction.atomic
def revoke_calendar_feed(user, feed):
    if feed.user_id != user.pk:
        raise PermissionDenied(_("You may revoke only your own calendar feeds."))
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        with acting_as(user):
            feed.save(update_fields=["revoked_at"])
    return feed
