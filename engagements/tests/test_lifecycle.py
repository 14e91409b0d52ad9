"""The engagement lifecycle through its services: every guard's refusal, the readiness
checklist's blockers and warnings (Leahy vetting, visas, country clearance and its 21 days,
Title 10 duty status from personnel, briefing disclosure, budget, the 15-day congressional
notice), fiscal years, and what a partner's liaison may and may not do."""

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from core.models import Disclosure
from engagements.fiscal import fiscal_quarter, fiscal_year, fiscal_year_bounds
from engagements.models import AfterActionReport, BudgetLine, Engagement, Participation, Person
from engagements.services import engagements as engagement_services
from engagements.services import lifecycle, readiness
from engagements.tests.factories import (
    add_budget,
    make_engagement,
    make_objective,
    make_person,
    mexico,
    nations,
    walk,
)
from partnerships.tests.factories import make_partnership
from personnel.models import DutyStatus
from personnel.tests.factories import at, make_member

S = Engagement.State
START = date(2026, 3, 2)  # engagements below run 2–6 March 2026 (FY2026 Q2)
BEFORE = date(2026, 1, 15)  # a planning day well before the start


def messages(findings, level=None):
    return [f.message for f in findings if level is None or f.level == level]


def blockers(engagement, today=BEFORE):
    return messages(readiness.readiness(engagement, today), "blocker")


def warnings(engagement, today=BEFORE):
    return messages(readiness.readiness(engagement, today), "warning")


def refusal(call):
    with pytest.raises(ValidationError) as caught:
        call()
    return " ".join(caught.value.messages)


@pytest.fixture
def engagement(us_coordinator):
    return make_engagement(us_coordinator, start=START)


def mexican(liaison, engagement, name="Capitán Luis López", **fields):
    """A Mexican participant registered by the liaison, as the liaison does."""
    return engagement_services.register_participant(
        liaison, engagement, full_name=name, nation=nations("MEX")[0],
        role=fields.pop("role", Person.Role.PARTNER_MILITARY), **fields)


# Fiscal years -------------------------------------------------------------------------------

@pytest.mark.parametrize("day, year, quarter", [
    (date(2025, 9, 30), 2025, 4), (date(2025, 10, 1), 2026, 1), (date(2025, 12, 31), 2026, 1),
    (date(2026, 1, 1), 2026, 2), (date(2026, 3, 31), 2026, 2), (date(2026, 4, 1), 2026, 3),
    (date(2026, 6, 30), 2026, 3), (date(2026, 7, 1), 2026, 4), (date(2026, 9, 30), 2026, 4),
])
def test_fiscal_year_and_quarter(day, year, quarter):
    assert (fiscal_year(day), fiscal_quarter(day)) == (year, quarter)


def test_fiscal_year_bounds():
    assert fiscal_year_bounds(2026) == (date(2025, 10, 1), date(2026, 9, 30))


def test_engagement_fiscal_year_follows_the_start_across_30_september(us_coordinator):
    engagement = make_engagement(us_coordinator, start=date(2025, 9, 30),
                                 end=date(2025, 10, 3))
    assert (engagement.fiscal_year, engagement.fiscal_quarter) == (2025, 4)
    engagement_services.update_engagement(us_coordinator, engagement, start_date=date(2025, 10, 1))
    engagement.refresh_from_db()
    assert (engagement.fiscal_year, engagement.fiscal_quarter) == (2026, 1)


# Creating and editing -----------------------------------------------------------------------

def test_create_is_owned_by_the_users_nation_with_history(us_coordinator, engagement):
    assert engagement.owner_nation.code == "USA" and engagement.state == S.CONCEPT
    assert engagement.legal_basis == "10 U.S.C. 341"
    assert {n.code for n in engagement.rel_to.all()} == {"USA", "MEX"}
    created = LogEntry.objects.get_for_object(engagement).get(action=LogEntry.Action.CREATE)
    assert created.actor == us_coordinator


def test_objectives_must_be_visible_and_of_the_same_partnership(us_coordinator, mx_liaison):
    partnership = mexico(us_coordinator)
    ours = make_objective(us_coordinator, partnership)
    engagement = make_engagement(us_coordinator, partnership, objectives=[ours])
    assert list(engagement.objectives.all()) == [ours]

    ukraine = make_partnership(us_coordinator, partner="UKR")
    elsewhere = make_objective(us_coordinator, ukraine, code="UKR-1")
    with pytest.raises(ValidationError) as caught:
        make_engagement(us_coordinator, partnership, objectives=[elsewhere])
    assert "objectives" in caught.value.message_dict

    hidden = make_objective(us_coordinator, partnership, code="HADR-2")
    hidden.rel_to.set(nations("USA"))
    hidden.disclosure = Disclosure.IN_REVIEW
    hidden.save()
    Mexican = type(hidden)  # an objective Mexico owns and has not released
    hidden_mx = Mexican.objects.get(pk=hidden.pk)
    hidden_mx.owner_nation = mx_liaison.nation
    hidden_mx.save()
    hidden_mx.rel_to.set(nations("MEX"))
    with pytest.raises(ValidationError) as caught:
        engagement_services.update_engagement(us_coordinator, engagement, objectives=[hidden_mx])
    assert "objectives" in caught.value.message_dict


def test_partnership_must_be_visible(us_coordinator, persona_of):
    theirs = make_partnership(persona_of("coordinator", "MEX"), partner="UKR", us_state="AZ",
                              rel_to=("MEX",), disclosure="in_review")
    with pytest.raises(ValidationError) as caught:
        make_engagement(us_coordinator, theirs)
    assert "partnership" in caught.value.message_dict


def test_end_before_start_is_refused(us_coordinator):
    with pytest.raises(ValidationError) as caught:
        make_engagement(us_coordinator, start=START, end=START - timedelta(days=1))
    assert "end_date" in caught.value.message_dict


def test_viewer_and_liaison_cannot_create_or_edit(us_viewer, mx_liaison, engagement):
    with pytest.raises(PermissionDenied):
        make_engagement(us_viewer, engagement.partnership)
    with pytest.raises(PermissionDenied):
        make_engagement(mx_liaison, engagement.partnership)
    with pytest.raises(PermissionDenied):
        engagement_services.update_engagement(mx_liaison, engagement, title_en="Renamed")
    with pytest.raises(PermissionDenied):
        engagement_services.create_budget_line(mx_liaison, engagement, description="x", amount=1,
                                               fund_source="x")


# The lifecycle ------------------------------------------------------------------------------

def green_participant(coordinator, engagement):
    """A US civilian travelling to Mexico, country clearance approved a month ahead."""
    person = make_person(coordinator, "Juan Pérez", nation="USA")
    return engagement_services.add_participant(
        coordinator, engagement, person, country_clearance=Participation.Clearance.APPROVED,
        clearance_submitted_on=START - timedelta(days=30))


def test_the_whole_lifecycle_with_every_guard(us_coordinator, mx_liaison, engagement):
    user = us_coordinator
    walk(user, engagement, S.NOMINATED, S.APPROVED)

    # funded: at least one budget line allotted or beyond.
    line = add_budget(user, engagement, state=BudgetLine.State.PLANNED)
    assert "at least one budget line" in refusal(
        lambda: lifecycle.transition(user, engagement, S.FUNDED))
    engagement_services.update_budget_line(user, line, state=BudgetLine.State.OBLIGATED)
    walk(user, engagement, S.FUNDED, S.PREPARING)

    # ready: every gate green.
    participation = green_participant(user, engagement)
    them = mexican(mx_liaison, engagement)
    message = refusal(lambda: lifecycle.transition(user, engagement, S.READY, today=BEFORE))
    assert "Vetting pending for Capitán Luis López" not in message  # not security force
    assert "Briefing material not yet cleared for disclosure to Mexico (Capitán Luis López)" \
        in message
    engagement_services.update_participation(user, them, briefing_disclosure="cleared")
    engagement = walk(user, engagement, S.READY, today=BEFORE)
    assert participation.pk and engagement.state == S.READY

    # in execution: not before the start date.
    assert "not before" in refusal(
        lambda: lifecycle.transition(user, engagement, S.IN_EXECUTION, today=BEFORE))
    walk(user, engagement, S.IN_EXECUTION, today=START)

    # executed: only after the end date.
    assert "only after its end date" in refusal(
        lambda: lifecycle.transition(user, engagement, S.EXECUTED, today=engagement.end_date))
    walk(user, engagement, S.EXECUTED, today=engagement.end_date + timedelta(days=1))

    # AAR submitted: the report submitted or later.
    assert "not started" in refusal(lambda: lifecycle.transition(user, engagement,
                                                                 S.AAR_SUBMITTED))
    report = AfterActionReport.objects.create(
        engagement=engagement, owner_nation=engagement.owner_nation,
        state=AfterActionReport.State.DRAFT)
    assert "must be submitted first" in refusal(
        lambda: lifecycle.transition(user, engagement, S.AAR_SUBMITTED))
    report.state = AfterActionReport.State.SUBMITTED
    report.save()
    walk(user, engagement, S.AAR_SUBMITTED)

    # recorded complete: an approved report AND the tracking reference.
    message = refusal(lambda: lifecycle.transition(user, engagement, S.RECORDED_COMPLETE))
    assert "approved after-action report" in message and "tracking system reference" in message
    report.state = AfterActionReport.State.APPROVED
    report.save()
    with pytest.raises(ValidationError) as caught:
        lifecycle.transition(user, engagement, S.RECORDED_COMPLETE)
    assert list(caught.value.message_dict) == ["tracking_reference"]
    engagement = lifecycle.transition(user, engagement, S.RECORDED_COMPLETE,
                                      tracking_reference="G-TSCMIS-4471")
    assert engagement.tracking_reference == "G-TSCMIS-4471"
    assert engagement.recorded_complete_at is not None

    engagement = walk(user, engagement, S.CLOSED)
    assert engagement.state == S.CLOSED
    states = [e.changes_dict.get("state", [None, None])[1]
              for e in LogEntry.objects.get_for_object(engagement).order_by("timestamp", "pk")]
    assert [s for s in states if s] == [
        "concept", "nominated", "approved", "funded", "preparing", "ready", "in_execution",
        "executed", "aar_submitted", "recorded_complete", "closed"]


def test_recorded_published_report_with_reference_already_entered(us_coordinator, engagement):
    Engagement.objects.filter(pk=engagement.pk).update(state=S.AAR_SUBMITTED,
                                                       tracking_reference="G-1")
    AfterActionReport.objects.create(engagement=engagement, owner_nation=engagement.owner_nation,
                                     state=AfterActionReport.State.PUBLISHED)
    engagement = lifecycle.transition(us_coordinator, engagement, S.RECORDED_COMPLETE)
    assert engagement.state == S.RECORDED_COMPLETE


def test_a_transition_from_the_wrong_state_is_refused(us_coordinator, engagement):
    assert "cannot go to" in refusal(
        lambda: lifecycle.transition(us_coordinator, engagement, S.APPROVED))
    with pytest.raises(ValidationError) as caught:
        lifecycle.transition(us_coordinator, engagement, "teleported")
    assert "name" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        lifecycle.transition(us_coordinator, engagement, S.NOMINATED, tracking_reference="X")
    assert "tracking_reference" in caught.value.message_dict


def test_side_exits(us_coordinator, engagement):
    user = us_coordinator
    walk(user, engagement, S.NOMINATED, S.POSTPONED)
    engagement = walk(user, engagement, S.CONCEPT, S.NOMINATED, S.APPROVED)
    # Deferring to the next fiscal year: a new start in the same year is refused.
    with pytest.raises(ValidationError) as caught:
        lifecycle.transition(user, engagement, S.DEFERRED, start_date=date(2026, 9, 1))
    assert "FY 2027" in " ".join(caught.value.message_dict["start_date"])
    engagement = lifecycle.transition(user, engagement, S.DEFERRED, start_date=date(2026, 11, 2))
    assert engagement.state == S.DEFERRED
    assert (engagement.start_date, engagement.end_date) == (date(2026, 11, 2), date(2026, 11, 6))
    assert (engagement.fiscal_year, engagement.fiscal_quarter) == (2027, 1)
    assert Engagement.objects.count() == 1  # deferring creates nothing
    # Deferring without new dates only changes the state; cancelling works from anywhere open.
    engagement = walk(user, engagement, S.CONCEPT, S.DEFERRED, S.CANCELLED)
    assert "cannot go to" in refusal(lambda: lifecycle.transition(user, engagement, S.CONCEPT))
    assert "cannot go to" in refusal(lambda: lifecycle.transition(user, engagement,
                                                                  S.CANCELLED))


def test_no_postponing_an_engagement_already_executed(us_coordinator, engagement):
    Engagement.objects.filter(pk=engagement.pk).update(state=S.EXECUTED)
    assert "cannot go to" in refusal(
        lambda: lifecycle.transition(us_coordinator, engagement, S.POSTPONED))
    assert lifecycle.transition(us_coordinator, engagement, S.CANCELLED).state == S.CANCELLED


def test_only_the_owning_nations_planners_transition(us_viewer, mx_liaison, engagement):
    with pytest.raises(PermissionDenied):
        lifecycle.transition(mx_liaison, engagement, S.NOMINATED)
    with pytest.raises(PermissionDenied):
        lifecycle.transition(us_viewer, engagement, S.NOMINATED)
    assert lifecycle.transitions_for(mx_liaison, engagement) == []
    engagement.refresh_from_db()
    assert engagement.state == S.CONCEPT


def test_transitions_for_shows_the_guards_refusal(us_coordinator, engagement):
    Engagement.objects.filter(pk=engagement.pk).update(state=S.APPROVED)
    engagement.refresh_from_db()
    options = {o.name: o for o in lifecycle.transitions_for(us_coordinator, engagement)}
    assert set(options) == {S.FUNDED, S.DEFERRED, S.POSTPONED, S.CANCELLED}
    assert not options[S.FUNDED].allowed and "budget line" in options[S.FUNDED].refusal
    assert options[S.CANCELLED].allowed


# Readiness ----------------------------------------------------------------------------------

def test_budget_not_allotted_blocks(us_coordinator, engagement):
    assert "Budget not allotted." in blockers(engagement)
    add_budget(us_coordinator, engagement, state=BudgetLine.State.PLANNED)
    assert "Budget not allotted." in blockers(engagement)
    add_budget(us_coordinator, engagement, state=BudgetLine.State.EXPENDED)
    assert blockers(engagement) == []
    assert warnings(engagement) == ["No participant registered yet."]


@pytest.mark.parametrize("vetting, expected", [
    ("pending", "Vetting pending for Capitán Luis López."),
    ("not_required", "Leahy vetting not requested for Capitán Luis López."),
    ("denied", "Leahy vetting denied for Capitán Luis López: they may not take part in this "
               "engagement."),
    ("suspended", "Leahy vetting suspended for Capitán Luis López: they may not take part "
                  "until it is reinstated."),
    ("approved", None),
])
def test_leahy_vetting_of_partner_security_force_members(us_coordinator, mx_liaison, engagement,
                                                         vetting, expected):
    add_budget(us_coordinator, engagement)
    participation = mexican(mx_liaison, engagement, security_force=True)
    assert participation.vetting == "pending"  # applies, so it starts pending
    engagement_services.update_participation(us_coordinator, participation, vetting=vetting,
                                             briefing_disclosure="cleared")
    vetting_blockers = [f.message for f in readiness.readiness(engagement, BEFORE)
                        if f.gate == "vetting"]
    assert vetting_blockers == ([expected] if expected else [])
    if expected:
        assert expected in refusal(lambda: lifecycle.transition(
            us_coordinator, walk(us_coordinator, engagement, S.NOMINATED, S.APPROVED, S.FUNDED,
                                 S.PREPARING), S.READY, today=BEFORE))


def test_vetting_does_not_apply_to_civilians_or_own_nationals(us_coordinator, mx_liaison,
                                                              engagement):
    mexican(mx_liaison, engagement, "Lic. Ana Ruiz", role=Person.Role.PARTNER_CIVILIAN)
    engagement_services.add_participant(us_coordinator, engagement,
                                        make_person(us_coordinator, "Sgt. Kim", nation="USA",
                                                    security_force=True))
    assert not [f for f in readiness.readiness(engagement, BEFORE) if f.gate == "vetting"]


def test_visa_for_partner_people_visiting_california(us_coordinator, mx_liaison):
    engagement = make_engagement(us_coordinator, start=START,
                                 direction=Engagement.Direction.HOSTED, location="Sacramento")
    participation = mexican(mx_liaison, engagement, briefing_disclosure=None)
    assert "Visa or diplomatic note pending for Capitán Luis López." in blockers(engagement)
    engagement_services.update_participation(mx_liaison, participation, visa="refused")
    assert "Visa refused for Capitán Luis López." in blockers(engagement)
    engagement_services.update_participation(mx_liaison, participation, visa="issued")
    assert not [f for f in readiness.readiness(engagement, BEFORE) if f.gate == "visa"]
    # No country clearance for a hosted event, and no visa when travelling to Mexico.
    assert not [f for f in readiness.readiness(engagement, BEFORE)
                if f.gate == "country_clearance"]


def test_country_clearance_for_us_people_travelling(us_coordinator, engagement):
    person = make_person(us_coordinator, "Juan Pérez", nation="USA")
    participation = engagement_services.add_participant(us_coordinator, engagement, person)
    assert "Country clearance not submitted for Juan Pérez." in blockers(engagement)

    late = START - timedelta(days=10)
    engagement_services.update_participation(us_coordinator, participation,
                                             country_clearance="submitted",
                                             clearance_submitted_on=late)
    assert "Country clearance submitted but not yet approved for Juan Pérez." in \
        blockers(engagement)
    assert ("Country clearance for Juan Pérez was submitted less than 21 days before the "
            "start.") in warnings(engagement)

    engagement_services.update_participation(us_coordinator, participation,
                                             country_clearance="approved",
                                             clearance_submitted_on=START - timedelta(days=21))
    assert not [f for f in readiness.readiness(engagement, BEFORE)
                if f.gate == "country_clearance"]

    engagement_services.update_participation(us_coordinator, participation,
                                             country_clearance="denied")
    assert "Country clearance denied for Juan Pérez." in blockers(engagement)


def test_country_clearance_not_submitted_21_days_out_warns(us_coordinator, engagement):
    engagement_services.add_participant(us_coordinator, engagement,
                                        make_person(us_coordinator, "Juan Pérez", nation="USA"))
    message = ("Country clearance for Juan Pérez is due 21 days before the start and has not "
               "been submitted.")
    assert message not in warnings(engagement, today=START - timedelta(days=21))
    assert message in warnings(engagement, today=START - timedelta(days=20))


def test_submitting_a_clearance_records_the_day(us_coordinator, engagement):
    participation = engagement_services.add_participant(
        us_coordinator, engagement, make_person(us_coordinator, "Juan Pérez", nation="USA"))
    assert participation.country_clearance == "not_submitted"
    engagement_services.update_participation(us_coordinator, participation,
                                             country_clearance="submitted")
    participation.refresh_from_db()
    assert participation.clearance_submitted_on is not None


def guard_member(us_coordinator, engagement, status, since=None):
    member = make_member("G100", status=status, since=since or at(2025, 1, 1),
                         last_name="Vega")
    person = make_person(us_coordinator, "Sgt. Rosa Vega", nation="USA", rel_to=("USA",),
                         guard_member=member)
    assert person.role == Person.Role.GUARD_MEMBER
    return engagement_services.add_participant(us_coordinator, engagement, person,
                                               country_clearance="approved",
                                               clearance_submitted_on=START - timedelta(days=60))


def test_guard_member_abroad_must_be_on_title_10_from_personnel(us_coordinator, engagement):
    guard_member(us_coordinator, engagement, DutyStatus.SAD)
    [duty] = [f.message for f in readiness.readiness(engagement, BEFORE) if f.gate == "duty_status"]
    assert duty.startswith("Duty status for Sgt. Rosa Vega: Members abroad must be on Title 10 "
                           "orders")


def test_guard_member_on_title_10_at_the_start_is_green(us_coordinator, engagement):
    guard_member(us_coordinator, engagement, DutyStatus.T10_ACTIVE)
    assert not [f for f in readiness.readiness(engagement, BEFORE) if f.gate == "duty_status"]


def test_duty_status_is_read_at_the_start_of_the_engagement(us_coordinator, engagement):
    # Title 10 orders that begin the day after the start do not cover the event.
    guard_member(us_coordinator, engagement, DutyStatus.T10_ACTIVE, since=at(2026, 3, 3))
    assert [f for f in readiness.readiness(engagement, BEFORE) if f.gate == "duty_status"]


def test_federalized_members_need_separate_title_10_orders(us_coordinator, engagement):
    guard_member(us_coordinator, engagement, DutyStatus.T10_12406)
    [duty] = [f.message for f in readiness.readiness(engagement, BEFORE) if f.gate == "duty_status"]
    assert "12406" in duty


def test_duty_status_not_required_at_home(us_coordinator):
    engagement = make_engagement(us_coordinator, start=START,
                                 direction=Engagement.Direction.HOSTED)
    guard_member(us_coordinator, engagement, DutyStatus.SAD)
    assert not [f for f in readiness.readiness(engagement, BEFORE) if f.gate == "duty_status"]


@pytest.mark.parametrize("recorded, expected", [
    ("", "Duty status not recorded for Sgt. Kim: members abroad must be on Title 10 orders."),
    ("sad", "Sgt. Kim is not on Title 10 orders (State Active Duty): members abroad must be on "
            "Title 10 orders."),
    ("t10_active", None),
    ("agr_t10", None),
])
def test_recorded_duty_status_without_a_personnel_record(us_coordinator, engagement, recorded,
                                                         expected):
    person = make_person(us_coordinator, "Sgt. Kim", nation="USA",
                         role=Person.Role.GUARD_MEMBER)
    engagement_services.add_participant(us_coordinator, engagement, person, duty_status=recorded)
    duty = [f.message for f in readiness.readiness(engagement, BEFORE) if f.gate == "duty_status"]
    assert duty == ([expected] if expected else [])


def test_unknown_recorded_duty_status_is_refused(us_coordinator, engagement):
    person = make_person(us_coordinator, "Sgt. Kim", nation="USA")
    with pytest.raises(ValidationError) as caught:
        engagement_services.add_participant(us_coordinator, engagement, person,
                                            duty_status="vacation")
    assert "duty_status" in caught.value.message_dict


def test_briefing_disclosure_for_the_participants_nation(us_coordinator, mx_liaison,
                                                         engagement):
    participation = mexican(mx_liaison, engagement)
    assert participation.briefing_disclosure == "pending"
    message = "Briefing material not yet cleared for disclosure to Mexico (Capitán Luis López)."
    assert message in blockers(engagement)
    engagement_services.update_participation(us_coordinator, participation,
                                             briefing_disclosure="not_required")
    assert message not in blockers(engagement)


@pytest.mark.parametrize("flag, days, warned", [
    (True, 10, True), (True, 14, True), (True, 15, False), (True, 40, False), (False, 5, False),
])
def test_fifteen_day_congressional_notice(us_coordinator, flag, days, warned):
    engagement = make_engagement(us_coordinator, start=START, partner_non_military=flag)
    found = [f for f in readiness.readiness(engagement, START - timedelta(days=days))
             if f.gate == "congressional_notice"]
    assert bool(found) == warned
    if warned:
        assert found[0].level == "warning" and "15 days" in found[0].message


def test_ready_once_everything_is_green(us_coordinator, mx_liaison, engagement):
    add_budget(us_coordinator, engagement)
    green_participant(us_coordinator, engagement)
    them = mexican(mx_liaison, engagement, security_force=True)
    engagement_services.update_participation(us_coordinator, them, vetting="approved",
                                             briefing_disclosure="cleared")
    assert blockers(engagement) == []
    walk(us_coordinator, engagement, S.NOMINATED, S.APPROVED, S.FUNDED, S.PREPARING)
    assert walk(us_coordinator, engagement, S.READY, today=BEFORE).state == S.READY


# A partner's liaison ------------------------------------------------------------------------

def test_liaison_registers_its_participants(us_coordinator, mx_liaison, engagement):
    participation = mexican(mx_liaison, engagement, security_force=True,
                            gates={"visa": "issued"})
    person = participation.person
    assert person.owner_nation.code == "MEX" and person.nation.code == "MEX"
    assert {n.code for n in person.rel_to.all()} == {"MEX", "USA"}
    assert person.disclosure == Disclosure.APPROVED
    assert participation.owner_nation.code == "USA"  # the engagement's owner
    assert participation.visa == "issued" and participation.vetting == "pending"
    # The engagement's owner sees the person and the participation.
    assert Person.objects.restrict(us_coordinator).filter(pk=person.pk).exists()
    assert Participation.objects.restrict(us_coordinator).filter(pk=participation.pk).exists()
    assert Participation.objects.restrict(mx_liaison).filter(pk=participation.pk).exists()
    assert LogEntry.objects.get_for_object(participation).get(
        action=LogEntry.Action.CREATE).actor == mx_liaison


def test_liaison_records_only_its_peoples_visa(us_coordinator, mx_liaison, engagement):
    participation = mexican(mx_liaison, engagement, security_force=True)
    engagement_services.update_participation(mx_liaison, participation, visa="pending")
    with pytest.raises(PermissionDenied):
        engagement_services.update_participation(mx_liaison, participation, vetting="approved")
    with pytest.raises(PermissionDenied):
        mexican(mx_liaison, engagement, "Otro", gates={"country_clearance": "approved"})
    ours = engagement_services.add_participant(
        us_coordinator, engagement, make_person(us_coordinator, "Juan Pérez", nation="USA"))
    with pytest.raises(PermissionDenied):
        engagement_services.update_participation(mx_liaison, ours, visa="issued")
    participation.refresh_from_db()
    assert participation.vetting == "pending"


def test_liaison_cannot_add_other_nations_people(us_coordinator, mx_liaison, engagement):
    american = make_person(us_coordinator, "Juan Pérez", nation="USA")
    with pytest.raises(PermissionDenied):
        engagement_services.add_participant(mx_liaison, engagement, american)
    with pytest.raises(PermissionDenied):
        engagement_services.register_participant(
            mx_liaison, engagement, full_name="Mr. Smith", nation=nations("USA")[0],
            role=Person.Role.US_CIVILIAN)
    assert not Participation.objects.exists()


def test_liaison_cannot_register_for_an_engagement_not_released_to_it(us_coordinator,
                                                                       mx_liaison):
    engagement = make_engagement(us_coordinator, rel_to=("USA",))
    with pytest.raises(Http404):
        mexican(mx_liaison, engagement)
    assert not Person.objects.exists()


def test_liaison_adds_a_person_it_registered_earlier(us_coordinator, mx_liaison, engagement):
    person = engagement_services.create_person(mx_liaison, full_name="Cabo Ruiz",
                                               nation=nations("MEX")[0],
                                               role=Person.Role.PARTNER_MILITARY)
    assert not Person.objects.restrict(us_coordinator).filter(pk=person.pk).exists()
    engagement_services.add_participant(mx_liaison, engagement, person)
    # Adding them released them to the engagement's owner.
    assert Person.objects.restrict(us_coordinator).filter(pk=person.pk).exists()


def test_a_person_takes_part_once(us_coordinator, engagement):
    person = make_person(us_coordinator, "Juan Pérez", nation="USA")
    engagement_services.add_participant(us_coordinator, engagement, person)
    with pytest.raises(ValidationError) as caught:
        engagement_services.add_participant(us_coordinator, engagement, person)
    assert "person" in caught.value.message_dict


def test_remove_participant(us_coordinator, mx_liaison, engagement):
    participation = mexican(mx_liaison, engagement)
    with pytest.raises(PermissionDenied):
        engagement_services.remove_participant(mx_liaison, participation)
    engagement_services.remove_participant(us_coordinator, participation)
    assert not Participation.objects.exists()


def test_guard_member_record_must_be_visible_and_of_the_persons_nation(us_coordinator,
                                                                       mx_liaison):
    member = make_member("G200")
    with pytest.raises(ValidationError) as caught:
        engagement_services.create_person(mx_liaison, full_name="x", nation=nations("MEX")[0],
                                          role=Person.Role.PARTNER_MILITARY, guard_member=member)
    assert "guard_member" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        engagement_services.create_person(us_coordinator, full_name="x", nation=nations("MEX")[0],
                                          role=Person.Role.GUARD_MEMBER, guard_member=member)
    assert "guard_member" in caught.value.message_dict
