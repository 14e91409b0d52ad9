"""The pure rules of a deployment: a port's hours against the planned crossing (at the edges of
the hours and on a weekend), the 14-day clock with its warning, limit and extension, and the
2:1 work/rest check."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from response import crossing, workrest

BORDER = "America/Los_Angeles"
TZ = ZoneInfo(BORDER)
OTAY_COMMERCIAL = (time(6), time(22), crossing.MON_FRI)  # 06:00–22:00, Monday to Friday


def at(day, hour, minute=0):
    """A moment on the border's clock: 4 March 2026 is a Wednesday, 7 March a Saturday."""
    return datetime(2026, 3, day, hour, minute, tzinfo=TZ)


class TestPortHours:
    @pytest.mark.parametrize(("moment", "expected"), [
        (at(4, 6, 0), None),  # opens
        (at(4, 21, 59), None),  # the last minute open
        (at(4, 22, 0), crossing.OUTSIDE_HOURS),  # closes
        (at(4, 5, 59), crossing.OUTSIDE_HOURS),  # a minute before it opens
        (at(4, 23, 30), crossing.OUTSIDE_HOURS),
        (at(7, 10, 0), crossing.CLOSED_DAY),  # Saturday, within the hours
        (at(8, 21, 59), crossing.CLOSED_DAY),  # Sunday
        (at(9, 6, 0), None),  # Monday
    ])
    def test_monday_to_friday_port(self, moment, expected):
        assert crossing.port_hours_warning(*OTAY_COMMERCIAL, BORDER, moment) == expected

    def test_the_port_clock_decides_not_the_callers(self):
        # 05:30 UTC on a Thursday is 21:30 on Wednesday at the border: open.
        assert crossing.port_hours_warning(*OTAY_COMMERCIAL, BORDER,
                                           datetime(2026, 3, 5, 5, 30, tzinfo=UTC)) is None
        # 14:00 in Mexico City on Saturday is Saturday at the border too: closed.
        assert crossing.port_hours_warning(
            *OTAY_COMMERCIAL, BORDER,
            datetime(2026, 3, 7, 14, 0, tzinfo=ZoneInfo("America/Mexico_City"))
        ) == crossing.CLOSED_DAY

    def test_daily_port_is_open_on_weekends(self):
        assert crossing.port_hours_warning(time(6), time(22), crossing.DAILY, BORDER,
                                           at(7, 10)) is None
        assert crossing.port_hours_warning(time(6), time(22), crossing.DAILY, BORDER,
                                           at(7, 22)) == crossing.OUTSIDE_HOURS

    def test_open_all_day_and_provisional_hours(self):
        assert crossing.port_hours_warning(None, None, crossing.DAILY, BORDER, at(7, 3)) is None
        assert crossing.port_hours_warning(None, None, crossing.DAILY, BORDER, at(7, 3),
                                           provisional=True) == crossing.HOURS_PROVISIONAL
        # Outside the hours says so, provisional or not.
        assert crossing.port_hours_warning(*OTAY_COMMERCIAL, BORDER, at(4, 23),
                                           provisional=True) == crossing.OUTSIDE_HOURS

    def test_hours_across_midnight(self):
        night = (time(22), time(6), crossing.DAILY)
        assert crossing.port_hours_warning(*night, BORDER, at(4, 23)) is None
        assert crossing.port_hours_warning(*night, BORDER, at(4, 5, 59)) is None
        assert crossing.port_hours_warning(*night, BORDER, at(4, 6)) == crossing.OUTSIDE_HOURS

    def test_a_time_without_zone_is_refused(self):
        with pytest.raises(ValueError):
            crossing.port_hours_warning(*OTAY_COMMERCIAL, BORDER, datetime(2026, 3, 4, 12))


T0 = datetime(2025, 1, 13, 15, 0, tzinfo=UTC)


class TestFourteenDays:
    @pytest.mark.parametrize(("elapsed", "day", "status"), [
        (timedelta(0), 1, workrest.OK),
        (timedelta(hours=23, minutes=59), 1, workrest.OK),
        (timedelta(days=1), 2, workrest.OK),
        (timedelta(days=10, hours=23), 11, workrest.OK),
        (timedelta(days=11), 12, workrest.WARNING),  # day 12: the warning
        (timedelta(days=12, hours=5), 13, workrest.WARNING),
        (timedelta(days=13), 14, workrest.LIMIT),  # day 14: the limit
        (timedelta(days=14), 15, workrest.OVER),
    ])
    def test_days_counted_from_assignment(self, elapsed, day, status):
        clock = workrest.clock(T0, T0 + elapsed)
        assert (clock.day, clock.limit, clock.status) == (day, 14, status)

    def test_before_assignment_is_day_zero(self):
        assert workrest.days_on_assignment(T0, T0 - timedelta(minutes=1)) == 0

    @pytest.mark.parametrize(("extension", "day", "status"), [
        (3, 12, workrest.OK),  # the warning moves with the limit: two days before it
        (3, 15, workrest.WARNING),
        (3, 17, workrest.LIMIT),
        (3, 18, workrest.OVER),
        (14, 28, workrest.LIMIT),
    ])
    def test_extension_moves_the_limit(self, extension, day, status):
        assert workrest.limit_day(extension) == 14 + extension
        assert workrest.status(day, extension) == status

    @pytest.mark.parametrize("extension", [-1, 15])
    def test_extension_is_at_most_fourteen_days(self, extension):
        with pytest.raises(ValueError):
            workrest.limit_day(extension)

    @given(st.integers(0, 60), st.integers(0, 60), st.integers(0, 14))
    def test_status_never_goes_back_as_days_pass(self, a, b, extension):
        order = [workrest.OK, workrest.WARNING, workrest.LIMIT, workrest.OVER]
        first, second = sorted((a, b))
        assert (order.index(workrest.status(first, extension))
                <= order.index(workrest.status(second, extension)))

    def test_days_left(self):
        assert workrest.clock(T0, T0 + timedelta(days=11)).days_left == 2
        assert workrest.clock(T0, T0 + timedelta(days=20)).days_left == 0


def shift(start_hours, hours):
    start = T0 + timedelta(hours=start_hours)
    return start, start + timedelta(hours=hours)


class TestWorkRest:
    def test_rest_of_half_the_work_before_is_enough(self):
        first, second = workrest.shift_findings([shift(0, 12), shift(18, 12)])
        assert first.rest_hours is None and first.ok
        assert (second.rest_hours, second.required_rest_hours) == (6, 6)
        assert not second.short_rest and second.ok

    def test_less_rest_is_flagged(self):
        findings = workrest.shift_findings([shift(0, 12), shift(17.5, 8)])
        assert findings[1].short_rest and not findings[1].ok
        assert findings[1].rest_hours == 5.5 and findings[1].required_rest_hours == 6

    def test_shifts_over_sixteen_hours_are_flagged(self):
        sixteen, longer = workrest.shift_findings([shift(0, 16), shift(40, 16.5)])
        assert not sixteen.long_shift
        assert longer.long_shift and not longer.short_rest

    def test_order_of_input_does_not_matter(self):
        shifts = [shift(30, 8), shift(0, 12), shift(14, 10)]
        findings = workrest.shift_findings(shifts)
        assert [f.started_at for f in findings] == sorted(s[0] for s in shifts)
        assert [f.short_rest for f in findings] == [False, True, False]

    @given(st.lists(st.tuples(st.integers(1, 24), st.integers(0, 24)), min_size=1,
                    max_size=8))
    def test_short_rest_is_exactly_less_than_half_the_work_before(self, plan):
        shifts, clock = [], T0
        for work, rest in plan:
            shifts.append((clock, clock + timedelta(hours=work)))
            clock += timedelta(hours=work + rest)
        findings = workrest.shift_findings(shifts)
        for (before, after), finding in zip(zip(plan, plan[1:], strict=False), findings[1:],
                                            strict=True):
            assert finding.short_rest == (before[1] < before[0] / 2)
            assert finding.long_shift == (after[0] > 16)
