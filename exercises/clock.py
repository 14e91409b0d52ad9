"""The exercise clock, as pure functions of the time they are given (no database, no "now"):
when an inject is due, how long play has run, what a late start or a pause adds.

The rule, decided once:
- Play time is the time since STARTEX during which the exercise was running. Time held after
  STARTEX — before a late start, and every pause — does not count.
- An inject is scheduled for STARTEX + its offset + the time held so far; it is due once the
  exercise is running and that moment has come. So a pause of 20 minutes moves every inject
  not yet delivered 20 minutes later, and a start 10 minutes after STARTEX moves the whole MSEL
  10 minutes (nothing piles up to be delivered at once).
- Paused, planned or ended, nothing is due. A skipped or delivered inject is never due again.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

RUNNING, PAUSED, PLANNED, ENDED = "running", "paused", "planned", "ended"
SCHEDULED = "scheduled"


def held(since: datetime, until: datetime, startex: datetime) -> timedelta:
    """The time between `since` and `until` that falls after STARTEX: what a pause (or a late
    start, `since` = STARTEX) adds to the held time. Never negative."""
    return max(until - max(since, startex), timedelta())


def scheduled_for(startex: datetime, offset_minutes: int, held_time: timedelta) -> datetime:
    """When an inject `offset_minutes` after STARTEX is delivered, the clock having been held
    `held_time` so far."""
    return startex + timedelta(minutes=offset_minutes) + held_time


@dataclass(frozen=True)
class Clock:
    """An exercise's clock as its record holds it."""

    state: str
    startex: datetime
    held: timedelta  # the pauses and late start already ended
    paused_at: datetime | None = None  # while paused: since when

    def held_at(self, now: datetime) -> timedelta:
        """The held time at `now`, the current pause included."""
        if self.state == PAUSED and self.paused_at is not None:
            return self.held + held(self.paused_at, now, self.startex)
        return self.held

    def play_time(self, now: datetime) -> timedelta:
        """How long play has run at `now` (zero before STARTEX or before it started)."""
        if self.state == PLANNED:
            return timedelta()
        return max(now - self.startex - self.held_at(now), timedelta())

    def scheduled_for(self, offset_minutes: int, now: datetime) -> datetime:
        """When the inject is delivered as the clock stands at `now`."""
        return scheduled_for(self.startex, offset_minutes, self.held_at(now))

    def is_due(self, offset_minutes: int, inject_state: str, now: datetime) -> bool:
        """Whether an inject at `offset_minutes` in `inject_state` is to be delivered at
        `now`."""
        return (self.state == RUNNING and inject_state == SCHEDULED
                and scheduled_for(self.startex, offset_minutes, self.held) <= now)

    def due_offset(self, now: datetime) -> int | None:
        """The largest offset (minutes) due at `now`: every scheduled inject at or before it is
        due; None when nothing is (not running, or before the first minute of play)."""
        if self.state != RUNNING:
            return None
        elapsed = now - self.startex - self.held
        if elapsed < timedelta():
            return None
        return int(elapsed.total_seconds() // 60)


def offset_label(offset_minutes: int) -> str:
    """An offset as the MSEL writes it after "STARTEX +": hours and minutes ("02:30"), days
    counted as hours ("26:00")."""
    hours, minutes = divmod(int(offset_minutes), 60)
    return f"{hours:02d}:{minutes:02d}"
