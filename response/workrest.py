"""Work and rest of crews on assignment. Pure (no Django): the page, the service and the daily
job share it.

- The 14-day rule: at most 14 days on assignment, counted from assignment (travel excluded),
  plus at most 14 more by an approved extension. Day 1 is the first 24 hours after assignment.
  A warning two days before the limit (day 12 of 14), then the limit, then over it.
- The 2:1 work/rest ratio: the rest before a shift is at least half the work of the shift
  before it; a shift of more than 16 hours is flagged on its own.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

ASSIGNMENT_DAYS = 14
MAX_EXTENSION_DAYS = 14
WARNING_BEFORE_LIMIT = 2  # day 12 of a 14-day assignment
LONG_SHIFT_HOURS = 16

OK, WARNING, LIMIT, OVER = "ok", "warning", "limit", "over"
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)


def days_on_assignment(assigned_at: datetime, until: datetime) -> int:
    """Which day of the assignment `until` falls on (1 from the moment of assignment; 0 when
    `until` is before it)."""
    if until < assigned_at:
        return 0
    return (until - assigned_at) // DAY + 1


def limit_day(extension_days: int = 0) -> int:
    if not 0 <= extension_days <= MAX_EXTENSION_DAYS:
        raise ValueError(f"An extension is 0 to {MAX_EXTENSION_DAYS} days.")
    return ASSIGNMENT_DAYS + extension_days


def status(day: int, extension_days: int = 0) -> str:
    limit = limit_day(extension_days)
    if day > limit:
        return OVER
    if day == limit:
        return LIMIT
    if day >= limit - WARNING_BEFORE_LIMIT:
        return WARNING
    return OK


@dataclass(frozen=True)
class Clock:
    """Where a crew stands on its assignment: day N of the limit."""

    day: int
    limit: int
    status: str

    @property
    def days_left(self):
        return max(self.limit - self.day, 0)


def clock(assigned_at: datetime, until: datetime, extension_days: int = 0) -> Clock:
    day = days_on_assignment(assigned_at, until)
    return Clock(day, limit_day(extension_days), status(day, extension_days))


@dataclass(frozen=True)
class ShiftFinding:
    """One shift, the rest before it and what the 2:1 ratio asked of that rest."""

    started_at: datetime
    ended_at: datetime
    work_hours: float
    rest_hours: float | None  # since the shift before (None for the first)
    required_rest_hours: float | None

    @property
    def short_rest(self):
        return self.rest_hours is not None and self.rest_hours < self.required_rest_hours

    @property
    def long_shift(self):
        return self.work_hours > LONG_SHIFT_HOURS

    @property
    def ok(self):
        return not (self.short_rest or self.long_shift)


def shift_findings(shifts) -> list[ShiftFinding]:
    """Findings for `shifts` ((start, end) pairs, any order), in order of start."""
    findings, previous = [], None
    for started_at, ended_at in sorted(shifts):
        work = (ended_at - started_at) / HOUR
        rest = required = None
        if previous is not None:
            rest = (started_at - previous[1]) / HOUR
            required = (previous[1] - previous[0]) / HOUR / 2
        findings.append(ShiftFinding(started_at, ended_at, work, rest, required))
        previous = (started_at, ended_at)
    return findings
