"""Personnel jobs: the daily deadline notices."""

import zoneinfo
from datetime import timedelta

from django.urls import NoReverseMatch
from django.utils import formats, timezone, translation
from django.utils.translation import ngettext
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from accounts.models import User
from core.services import notify
from personnel import selectors
from personnel.models import Order

NOTICE_WINDOW = timedelta(days=7)


def _message(order, outstanding, now, tz, language):
    with translation.override(language), timezone.override(tz):
        deadline = formats.date_format(timezone.localtime(order.deadline),
                                       "SHORT_DATETIME_FORMAT")
        values = {"count": outstanding, "order": order.title, "deadline": deadline}
        if order.deadline <= now:
            return ngettext(
                "Deadline passed (%(deadline)s): %(count)d member covered by “%(order)s” is "
                "still under federal control and must be returned to state control.",
                "Deadline passed (%(deadline)s): %(count)d members covered by “%(order)s” are "
                "still under federal control and must be returned to state control.",
                outstanding) % values
        return ngettext(
            "Deadline %(deadline)s: %(count)d member covered by “%(order)s” is still under "
            "federal control and must be back under state control by then.",
            "Deadline %(deadline)s: %(count)d members covered by “%(order)s” are still under "
            "federal control and must be back under state control by then.",
            outstanding) % values


def _url(order):
    try:
        return order.get_absolute_url()
    except NoReverseMatch:  # the order pages are not routed: the notice goes without a link
        return ""


def notify_deadlines(now=None):
    """Tell the owning nation's personnel officers about every order whose deadline is within
    `NOTICE_WINDOW` or has passed while members it covers are still under federal control.
    A stayed or reversed order binds no one and is left out. Each officer hears about an order
    at most once a day (California's day): the notice's key records what was sent. Returns how
    many notices were made."""
    now = now or timezone.now()
    today = timezone.localdate(now, zoneinfo.ZoneInfo("America/Los_Angeles"))
    due = (Order.objects.filter(deadline__isnull=False, deadline__lte=now + NOTICE_WINDOW)
           .exclude(state__in=[Order.State.STAYED, Order.State.REVERSED])
           .order_by("deadline", "pk"))
    made = 0
    for order in due:
        outstanding = selectors.federal_members(order, now).count()
        if not outstanding:
            continue
        officers = (User.objects.filter(is_active=True, nation_id=order.owner_nation_id,
                                        groups__role__code="personnel_officer")
                    .distinct().order_by("pk"))
        key = f"deadline:order:{order.pk}:{today.isoformat()}"
        for officer in officers:
            tz = zoneinfo.ZoneInfo(officer.time_zone)
            made += len(notify([officer], order, _message(order, outstanding, now, tz, "en"),
                               _message(order, outstanding, now, tz, "es"), _url(order),
                               key=key))
    return made


# Daily at 14:00 UTC: 06:00 in California in winter, 07:00 in summer.
@db_periodic_task(crontab(minute="0", hour="14"))
def deadline_notices():
    return notify_deadlines()
