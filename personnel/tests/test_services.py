"""Duty periods never overlap; orders change exactly what their preview says, all at once;
the roster is right on both sides of each transition; eligibility follows the status."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from personnel import services
from personnel.eligibility import eligibility
from personnel.models import Authority, DutyPeriod, DutyStatus, Member, Order
from personnel.selectors import deadlines, roster, roster_counts
from personnel.tests.factories import at, make_member, make_order


@pytest.fixture
def j1(persona_of):
    return persona_of("personnel_officer")


def statuses(user, moment):
    return {m.service_number: m.status_at for m in roster(user, moment)}


class TestPeriods:
    def test_overlapping_periods_are_refused(self, j1):
        member = make_member("100", status=DutyStatus.SAD, since=at(2025, 1, 1))
        with pytest.raises(ValidationError) as refused:
            services.add_period(j1, member, status=DutyStatus.T32_TRAINING,
                                start=at(2025, 3, 1), end=at(2025, 3, 15))
        assert "overlaps State Active Duty" in str(refused.value)
        assert DutyPeriod.objects.filter(member=member).count() == 1

    def test_adjacent_periods_are_fine(self, j1):
        member = make_member("101")
        services.add_period(j1, member, status=DutyStatus.SAD, start=at(2025, 1, 1),
                            end=at(2025, 2, 1))
        services.add_period(j1, member, status=DutyStatus.T32_TRAINING, start=at(2025, 2, 1))
        assert statuses(j1, at(2025, 1, 31)) == {"101": DutyStatus.SAD}
        assert statuses(j1, at(2025, 2, 1)) == {"101": DutyStatus.T32_TRAINING}

    def test_an_open_period_blocks_any_later_one(self, j1):
        member = make_member("102", status=DutyStatus.AGR_T32, since=at(2024, 1, 1))
        with pytest.raises(ValidationError):
            services.add_period(j1, member, status=DutyStatus.SAD, start=at(2030, 1, 1))

    def test_end_before_start_is_refused(self, j1):
        member = make_member("103")
        with pytest.raises(ValidationError):
            services.add_period(j1, member, status=DutyStatus.SAD, start=at(2025, 2, 1),
                                end=at(2025, 1, 1))

    def test_only_the_personnel_role_writes_periods(self, us_coordinator):
        with pytest.raises(PermissionDenied):
            services.add_period(us_coordinator, make_member("104"), status=DutyStatus.SAD,
                                start=at(2025, 1, 1))


class TestOrders:
    def test_preview_equals_the_applied_result(self, j1):
        members = [make_member(f"2{i:02}", status=DutyStatus.SAD) for i in range(5)]
        already = make_member("299", status=DutyStatus.T10_12406)
        order = make_order([*members, already], j1)
        preview = [(c.member.pk, c.from_status, c.to_status, c.changes)
                   for c in services.plan_order(order)]

        services.apply_order(j1, order)

        effects = {(e.member_id, e.from_status, e.to_status)
                   for e in order.effects.all()}
        assert effects == {(m, f, t) for m, f, t, changes in preview if changes}
        assert (already.pk, DutyStatus.T10_12406, DutyStatus.T10_12406, False) in preview
        order.refresh_from_db()
        assert order.state == Order.State.APPLIED

    def test_roster_on_both_sides_of_the_effective_time(self, j1):
        members = [make_member(f"3{i:02}", status=DutyStatus.SAD) for i in range(3)]
        services.apply_order(j1, make_order(members, j1, effective=at(2025, 6, 7, 6, 0)))
        before, after = at(2025, 6, 7, 5, 59), at(2025, 6, 7, 6, 0)
        assert set(statuses(j1, before).values()) == {DutyStatus.SAD}
        assert set(statuses(j1, after).values()) == {DutyStatus.T10_12406}
        counts = roster_counts(j1, after)
        assert counts.by_authority == {Authority.GOVERNOR: 0, Authority.PRESIDENT: 3}
        assert roster_counts(j1, before).by_status[DutyStatus.SAD] == 3

    def test_members_without_a_period_count_as_no_status(self, j1):
        make_member("400")
        make_member("401", status=DutyStatus.SAD)
        counts = roster_counts(j1, at(2025, 6, 1))
        assert counts.total == 2
        assert counts.by_status[DutyStatus.NONE] == 1 and counts.by_status[DutyStatus.SAD] == 1

    def test_a_conflict_applies_nothing(self, j1):
        fine = make_member("500", status=DutyStatus.SAD, since=at(2025, 1, 1))
        clash = make_member("501", status=DutyStatus.SAD, since=at(2025, 6, 7))
        order = make_order([fine, clash], j1, effective=at(2025, 6, 7))
        with pytest.raises(ValidationError) as refused:
            services.apply_order(j1, order)
        assert "Nothing was changed" in str(refused.value)
        assert statuses(j1, at(2025, 6, 8)) == {"500": DutyStatus.SAD, "501": DutyStatus.SAD}
        order.refresh_from_db()
        assert order.state == Order.State.DRAFT

    def test_the_new_period_stops_where_the_next_one_starts(self, j1):
        member = make_member("600")
        services.add_period(j1, member, status=DutyStatus.SAD, start=at(2025, 1, 1),
                            end=at(2025, 7, 1))
        services.add_period(j1, member, status=DutyStatus.T32_TRAINING, start=at(2025, 9, 1),
                            end=at(2025, 9, 15))
        services.apply_order(j1, make_order([member], j1, effective=at(2025, 6, 1)))
        assert statuses(j1, at(2025, 8, 1)) == {"600": DutyStatus.T10_12406}
        assert statuses(j1, at(2025, 9, 2)) == {"600": DutyStatus.T32_TRAINING}

    def test_an_order_is_applied_once(self, j1):
        order = make_order([make_member("700", status=DutyStatus.SAD)], j1)
        services.apply_order(j1, order)
        with pytest.raises(ValidationError):
            services.apply_order(j1, order)

    def test_applying_is_recorded_in_the_history(self, j1):
        member = make_member("800", status=DutyStatus.SAD)
        order = make_order([member], j1)
        services.apply_order(j1, order)
        opened = DutyPeriod.objects.get(member=member, opened_by=order)
        entry = LogEntry.objects.get_for_object(opened).get()
        assert entry.actor == j1 and entry.action == LogEntry.Action.CREATE
        assert LogEntry.objects.get_for_object(order).filter(actor=j1).exists()

    def test_only_the_personnel_role_applies_orders(self, us_coordinator, j1):
        order = make_order([make_member("900", status=DutyStatus.SAD)], j1)
        with pytest.raises(PermissionDenied):
            services.apply_order(us_coordinator, order)


class TestStays:
    def test_a_stay_reverses_an_applied_order_exactly(self, j1):
        members = [make_member(f"10{i}", status=DutyStatus.T10_12406, since=at(2025, 6, 7))
                   for i in range(3)]
        court = make_order(members, j1, kind=Order.Kind.COURT_ORDER, target=DutyStatus.NONE,
                           effective=at(2025, 12, 15), deadline=at(2025, 12, 15))
        services.apply_order(j1, court)
        court.refresh_from_db()
        assert set(statuses(j1, at(2025, 12, 16)).values()) == {DutyStatus.NONE}
        stay = make_order([], j1, kind=Order.Kind.STAY, target="", stays=court,
                          effective=at(2025, 12, 15, 18))
        preview = services.plan_order(stay)
        assert {(c.from_status, c.to_status) for c in preview} == {
            (DutyStatus.NONE, DutyStatus.T10_12406)}

        services.apply_order(j1, stay)

        court.refresh_from_db()
        assert court.state == Order.State.REVERSED
        assert set(statuses(j1, at(2025, 12, 16)).values()) == {DutyStatus.T10_12406}
        assert DutyPeriod.objects.filter(member__in=members).count() == 3
        assert all(p.end is None for p in DutyPeriod.objects.filter(member__in=members))

    def test_a_stay_before_the_order_is_applied_keeps_it_from_applying(self, j1):
        court = make_order([make_member("110", status=DutyStatus.T10_12406)], j1,
                           kind=Order.Kind.COURT_ORDER, target=DutyStatus.NONE)
        services.apply_order(j1, make_order([], j1, kind=Order.Kind.STAY, target="",
                                            stays=court))
        court.refresh_from_db()
        assert court.state == Order.State.STAYED
        with pytest.raises(ValidationError):
            services.apply_order(j1, court)

    def test_a_later_order_blocks_the_reversal(self, j1):
        member = make_member("120", status=DutyStatus.SAD)
        first = make_order([member], j1, effective=at(2025, 6, 7))
        services.apply_order(j1, first)
        services.apply_order(j1, make_order([member], j1, kind=Order.Kind.RELEASE,
                                            target=DutyStatus.NONE, effective=at(2025, 8, 1)))
        stay = make_order([], j1, kind=Order.Kind.STAY, target="", stays=first)
        with pytest.raises(ValidationError):
            services.apply_order(j1, stay)


class TestEligibility:
    @pytest.mark.parametrize("status, state, law, abroad, aid", [
        (DutyStatus.NONE, True, False, False, True),
        (DutyStatus.SAD, True, False, False, True),
        (DutyStatus.T32_502F, True, False, False, True),
        (DutyStatus.AGR_T32, True, False, False, True),
        (DutyStatus.T10_ACTIVE, False, True, True, False),
        (DutyStatus.AGR_T10, False, True, True, False),
        (DutyStatus.T10_12406, False, True, False, False),
    ])
    def test_rules(self, reference, status, state, law, abroad, aid):
        member = make_member("130", status=None if status == DutyStatus.NONE else status)
        result = eligibility(member, at(2025, 6, 1))
        assert (result.available_to_state.ok, result.law_enforcement_restricted.ok,
                result.partnership_event_abroad.ok, result.state_mutual_aid.ok) == (
            state, law, abroad, aid)
        assert all(v.reason for v in (result.available_to_state, result.state_mutual_aid))

    def test_an_expired_passport_keeps_a_title_10_member_home(self, reference):
        from datetime import date

        member = make_member("131", status=DutyStatus.T10_ACTIVE,
                             passport_expires=date(2025, 1, 1))
        verdict = eligibility(member, at(2025, 6, 1)).partnership_event_abroad
        assert not verdict.ok and "passport is not valid" in verdict.reason

    def test_the_reason_names_the_orders(self, j1):
        member = make_member("132")
        services.add_period(j1, member, status=DutyStatus.T10_12406, start=at(2025, 6, 7),
                            orders_reference="EO-2025-0607")
        assert "EO-2025-0607" in eligibility(member, at(2025, 7, 1)).available_to_state.reason


class TestReleasability:
    def test_partners_never_see_personnel_records(self, j1, mx_liaison):
        member = make_member("140", status=DutyStatus.SAD)
        services.apply_order(j1, make_order([member], j1))
        assert not Member.objects.restrict(mx_liaison).exists()
        assert not Order.objects.restrict(mx_liaison).exists()
        assert list(roster(mx_liaison, at(2025, 7, 1))) == []
        assert roster_counts(mx_liaison, at(2025, 7, 1)).total == 0
        assert deadlines(mx_liaison) == []

    def test_the_passport_number_is_encrypted_at_rest(self, reference):
        from django.db import connection

        member = make_member("150", passport_number="X1234567")
        with connection.cursor() as cursor:
            cursor.execute("SELECT passport_number FROM personnel_member WHERE id = %s",
                           [member.pk])
            stored = cursor.fetchone()[0]
        assert "X1234567" not in stored
        assert Member.objects.get(pk=member.pk).passport_number == "X1234567"


def test_personnel_records_cannot_be_marked_for_partners(j1):
    from accounts.models import Nation

    with pytest.raises(ValidationError):
        services.create_member(j1, rel_to=[Nation.objects.get(code="MEX")],
                               service_number="160", last_name="Ruiz", first_name="Luis",
                               grade="E-4", unit=make_member("161").unit)


def test_even_a_forged_marking_does_not_release_personnel(j1, mx_liaison):
    member = make_member("170")
    member.rel_to.add(*Member.rel_to.field.related_model.objects.filter(code="MEX"))
    Member.objects.filter(pk=member.pk).update(disclosure="approved")
    assert not Member.objects.restrict(mx_liaison).exists()
    assert Member.objects.restrict(j1).filter(pk=member.pk).exists()
