"""Quantities as a reader reads them, in their language: durations in days, hours and minutes,
numbers with the locale's grouping, moments in the page's one format, time zones by their
name."""

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import ngettext, pgettext


def duration(minutes):
    """`7506` → "5 d 5 h" ("5 días 5 h"): days and hours from a day on, hours and minutes from
    an hour on, else minutes."""
    minutes = round(minutes)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(count)s d", "%(count)s d", days) % {"count": grouped(days)})
    if hours:
        parts.append(pgettext("duration", "%(count)s h") % {"count": hours})
    if mins and not days or not parts:
        parts.append(pgettext("duration", "%(count)s min") % {"count": mins})
    return " ".join(parts)


def grouped(number, decimals=None):
    """A number with the reader's locale's decimal and thousands separators, rounded to
    `decimals` places (number_format alone cuts the rest off: 2.999 would read 2.99)."""
    if decimals is not None:
        number = round(number, int(decimals))
    return number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def money(amount, currency):
    """An amount with its currency, in the reader's number format: "84,000.00 USD"."""
    return f"{grouped(amount, 2)}\N{NO-BREAK SPACE}{currency}"


def when(moment):
    """A moment in the reader's time zone and short format, as pages show it (07/12/2026 10:34)."""
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def time_zone_name(zone):
    """A time zone by the name users choose it by ("California (Pacific time)"), else its id."""
    return str(dict(settings.USER_TIME_ZONES).get(str(zone), zone))
