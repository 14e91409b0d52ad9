"""Whether a planned crossing falls within a port of entry's hours. Pure (no Django): the
deployment page, the service's warnings and the host-government notice share it, and it is
tested at the edges of the hours.

A port is open every day or Monday to Friday, from `opens` to `closes` on the port's clock
(empty `opens` or `closes`: 24 hours). Hours that pass midnight (22:00–06:00) are understood.
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

DAILY, MON_FRI = "daily", "mon-fri"

# What the warning is about; the service turns each into a sentence in the reader's language.
CLOSED_DAY = "closed_day"  # a Monday-to-Friday port on a Saturday or Sunday
OUTSIDE_HOURS = "outside_hours"
HOURS_PROVISIONAL = "hours_provisional"  # within the hours, but the source marks them unconfirmed


def within_hours(opens: time | None, closes: time | None, clock: time) -> bool:
    if opens is None or closes is None or opens == closes:
        return True
    if opens < closes:
        return opens <= clock < closes
    return clock >= opens or clock < closes  # open across midnight


def port_hours_warning(opens: time | None, closes: time | None, days: str, tz_name: str,
                       moment: datetime, *, provisional: bool = False) -> str | None:
    """The warning for crossing at `moment` (an aware datetime), or None when the port is
    open then and its hours are confirmed."""
    if moment.tzinfo is None:
        raise ValueError("The crossing time must carry its time zone.")
    local = moment.astimezone(ZoneInfo(tz_name))
    if days == MON_FRI and local.weekday() >= 5:
        return CLOSED_DAY
    if not within_hours(opens, closes, local.time()):
        return OUTSIDE_HOURS
    return HOURS_PROVISIONAL if provisional else None
