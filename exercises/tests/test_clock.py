"""The exercise clock's rule, as a table: the time is an argument, never the wall clock."""

from datetime import UTC, datetime, timedelta

import pytest

from exercises.clock import Clock, held, offset_label

T0 = datetime(2026, 3, 3, 16, 0, tzinfo=UTC)  # STARTEX


def at(minutes, seconds=0):
    return T0 + timedelta(minutes=minutes, seconds=seconds)


def running(held_minutes=0):
    return Clock(state="running", startex=T0, held=timedelta(minutes=held_minutes))


@pytest.mark.parametrize(("clock", "offset", "inject_state", "now", "due"), [
    # Running, nothing held: due from STARTEX + offset on, not a second before.
    (running(), 30, "scheduled", at(29, 59), False),
    (running(), 30, "scheduled", at(30), True),
    (running(), 0, "scheduled", at(0), True),
    (running(), 0, "scheduled", at(-1), False),  # started early: nothing before STARTEX
    # Held 20 minutes (a pause, or a late start): everything moves 20 minutes later.
    (running(20), 30, "scheduled", at(49), False),
    (running(20), 30, "scheduled", at(50), True),
    # Delivered or skipped injects are never due again.
    (running(), 30, "delivered", at(90), False),
    (running(), 30, "skipped", at(90), False),
    # Planned, paused or ended: nothing is due, however late.
    (Clock("planned", T0, timedelta()), 30, "scheduled", at(90), False),
    (Clock("paused", T0, timedelta(), paused_at=at(10)), 30, "scheduled", at(90), False),
    (Clock("ended", T0, timedelta()), 30, "scheduled", at(90), False),
])
def test_what_is_due(clock, offset, inject_state, now, due):
    assert clock.is_due(offset, inject_state, now) is due


@pytest.mark.parametrize(("clock", "now", "last"), [
    (running(), at(-5), None),
    (running(), at(0), 0),
    (running(), at(44, 59), 44),
    (running(15), at(44, 59), 29),
    (Clock("paused", T0, timedelta(), paused_at=at(10)), at(44), None),
])
def test_the_largest_offset_due_agrees_with_is_due(clock, now, last):
    assert clock.due_offset(now) == last
    if last is not None:
        assert clock.is_due(last, "scheduled", now)
        assert not clock.is_due(last + 1, "scheduled", now)


@pytest.mark.parametrize(("since", "until", "expected"), [
    (at(10), at(30), 20),     # a pause during play
    (at(-30), at(-10), 0),    # paused before STARTEX: nothing held
    (at(-10), at(15), 15),    # only the part after STARTEX
    (T0, at(12), 12),         # a start 12 minutes late
    (T0, at(-5), 0),          # an early start holds nothing
])
def test_held_time_counts_only_after_startex(since, until, expected):
    assert held(since, until, T0) == timedelta(minutes=expected)


def test_a_current_pause_moves_the_schedule_and_stops_play_time():
    clock = Clock("paused", T0, timedelta(minutes=5), paused_at=at(40))
    assert clock.held_at(at(55)) == timedelta(minutes=20)
    assert clock.scheduled_for(60, at(55)) == at(80)
    assert clock.play_time(at(55)) == timedelta(minutes=35)
    assert clock.play_time(at(70)) == timedelta(minutes=35)  # stopped while paused


@pytest.mark.parametrize(("minutes", "label"), [(0, "00:00"), (90, "01:30"), (1565, "26:05")])
def test_offsets_read_as_hours_and_minutes(minutes, label):
    assert offset_label(minutes) == label
