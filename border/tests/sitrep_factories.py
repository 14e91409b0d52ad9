"""Joint situation reports for tests, made through the border services."""

from datetime import timedelta

from border.models import SITREP_FIELDS
from border.selectors.sitreps import reports_for, section_for
from border.services import sitreps
from border.tests.factories import report


def filled(nation_code, text="Smoke over Otay"):
    """Every part of a section in both languages, each naming the nation."""
    return {f"{name}_{lang}": f"{text} {nation_code} {name} {lang}"
            for name in SITREP_FIELDS for lang in ("en", "es")}


def make_sitrep(user, event=None, *, hours=(1, 2)):
    """A report of `event` (by default a fire `user` reports, released to Mexico) for the
    period from `hours[0]` to `hours[1]` hours after the event started."""
    event = event or report(user, hours_ago=5)
    return sitreps.open_report(user, event,
                               period_start=event.started_at + timedelta(hours=hours[0]),
                               period_end=event.started_at + timedelta(hours=hours[1]))


def section(user, sitrep, nation_code):
    """The report's section of `nation_code`, as `user` reads it."""
    return section_for(user, reports_for(user).get(pk=sitrep.pk), nation_code)
