"""The partnership program: agreements and objectives through their lifecycles (every guard's
refusal), records marked like their parents, measurements with evidence and verification,
progress from baseline to target in either direction, and the pages and API that show it —
without N+1 queries and without revealing a record to a nation it is not released to."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Nation
from core.services import change_marking
from engagements.models import AfterActionReport, Engagement
from partnerships import selectors, services
from partnerships.models import Agreement, Indicator, Measurement, Objective
from partnerships.tests.factories import (
    make_agreement,
    make_assessment,
    make_indicator,
    make_line,
    make_measurement,
    make_objective,
    make_partnership,
    make_program,
)


def nations(*codes):
    return list(Nation.objects.filter(code__in=codes))


def refusal(exc_info, field):
    """The message a refused write gives for `field`."""
    return " ".join(exc_info.value.message_dict[field])


def make_engagement(user, partnership, *, rel_to=("USA", "MEX"), title="Wildfire exchange",
                    start=date(2025, 3, 3)):
    """An engagement written straight to the database: its lifecycle belongs to engagements."""
    engagement = Engagement.objects.create(
        owner_nation=user.nation, partnership=partnership, title_en=title,
        title_es=f"{title} (es)", type=Engagement.Type.SME_EXCHANGE,
        direction=Engagement.Direction.TO_PARTNER, location="Tijuana, BC", start_date=start,
        end_date=start + timedelta(days=4), disclosure="approved")
    engagement.rel_to.set(nations(*rel_to))
    return engagement


def make_report(engagement):
    report = AfterActionReport.objects.create(
        engagement=engagement, owner_nation=engagement.owner_nation, disclosure="approved",
        state=AfterActionReport.State.RECORDED)
    report.rel_to.set(engagement.rel_to.all())
    return report


@pytest.fixture
def program(us_coordinator):
    return make_program(us_coordinator)


@pytest.fixture
def second_coordinator(make_user):
    return make_user("t.us.coordinator2", "CalOES", "coordinator")


# Agreements ---------------------------------------------------------------------------------

class TestAgreementLifecycle:
    def test_from_draft_to_in_force_and_superseded(self, us_coordinator, program):
        partnership = program[0]
        old = make_agreement(us_coordinator, partnership)
        assert old.state == Agreement.State.DRAFT
        for agreement in (old, new := make_agreement(us_coordinator, partnership,
                                                     kind="mou", title_en="MOU")):
            services.update_agreement(us_coordinator, agreement, signed_on=date(2025, 10, 28),
                                      signatories="Gen. A, TAG\nGen. B, SEDENA")
            for state in ("in_coordination", "signed", "in_force"):
                services.transition_agreement(us_coordinator, agreement, state)
        old = services.transition_agreement(us_coordinator, old, "superseded",
                                            superseded_by=new)
        assert (old.state, old.superseded_by) == (Agreement.State.SUPERSEDED, new)

    def test_signing_needs_the_date_and_the_signatories(self, us_coordinator, program):
        agreement = make_agreement(us_coordinator, program[0])
        services.transition_agreement(us_coordinator, agreement, "in_coordination")
        with pytest.raises(ValidationError) as exc:
            services.transition_agreement(us_coordinator, agreement, "signed")
        assert "date it was signed" in refusal(exc, "signed_on")
        assert "signatories" in refusal(exc, "signatories")
        services.update_agreement(us_coordinator, agreement, signed_on=date(2025, 10, 28))
        with pytest.raises(ValidationError) as exc:
            services.transition_agreement(us_coordinator, agreement, "signed")
        assert set(exc.value.message_dict) == {"signatories"}
        agreement.refresh_from_db()
        assert agreement.state == Agreement.State.IN_COORDINATION

    def test_signing_comes_after_coordination(self, us_coordinator, program):
        agreement = make_agreement(us_coordinator, program[0], signed_on=date(2025, 1, 1),
                                   signatories="A")
        with pytest.raises(ValidationError) as exc:
            services.transition_agreement(us_coordinator, agreement, "signed")
        assert "cannot move from Draft to Signed" in refusal(exc, "state")

    def test_in_force_only_after_signed(self, us_coordinator, program):
        agreement = make_agreement(us_coordinator, program[0])
        services.transition_agreement(us_coordinator, agreement, "in_coordination")
        with pytest.raises(ValidationError) as exc:
            services.transition_agreement(us_coordinator, agreement, "in_force")
        assert "only after it is signed" in refusal(exc, "state")

    def test_superseding_needs_a_replacement_in_force(self, us_coordinator, program):
        partnership = program[0]
        agreement = self._in_force(us_coordinator, partnership)
        with pytest.raises(ValidationError) as exc:
            services.transition_agreement(us_coordinator, agreement, "superseded")
        assert "Name the agreement" in refusal(exc, "superseded_by")
        draft = make_agreement(us_coordinator, partnership, title_en="Draft MOU")
        with pytest.raises(ValidationError) as exc:
            services.transition_agreement(us_coordinator, agreement, "superseded",
                                          superseded_by=draft)
        assert "must be in force; it is Draft" in refusal(exc, "superseded_by")
        with pytest.raises(ValidationError) as exc:
            services.transition_agreement(us_coordinator, agreement, "superseded",
                                          superseded_by=agreement)
        assert "itself" in refusal(exc, "superseded_by")
        elsewhere = self._in_force(us_coordinator, make_partnership(us_coordinator, "UKR"))
        with pytest.raises(ValidationError) as exc:
            services.transition_agreement(us_coordinator, agreement, "superseded",
                                          superseded_by=elsewhere)
        assert "same partnership" in refusal(exc, "superseded_by")
        agreement.refresh_from_db()
        assert agreement.state == Agreement.State.IN_FORCE

    def test_superseded_and_expired_only_from_in_force(self, us_coordinator, program):
        agreement = make_agreement(us_coordinator, program[0])
        for state in ("superseded", "expired"):
            with pytest.raises(ValidationError) as exc:
                services.transition_agreement(us_coordinator, agreement, state)
            assert "cannot move from Draft" in refusal(exc, "state")

    def test_expiry_waits_for_the_expiry_date(self, us_coordinator, program):
        later = timezone.localdate() + timedelta(days=30)
        agreement = self._in_force(us_coordinator, program[0], expires_on=later)
        with pytest.raises(ValidationError) as exc:
            services.transition_agreement(us_coordinator, agreement, "expired")
        assert "in force until" in refusal(exc, "expires_on")
        services.update_agreement(us_coordinator, agreement, expires_on=date(2026, 1, 1))
        assert services.transition_agreement(us_coordinator, agreement, "expired").state == \
            Agreement.State.EXPIRED

    def test_a_signed_agreement_keeps_its_signature(self, us_coordinator, program):
        agreement = self._in_force(us_coordinator, program[0])
        with pytest.raises(ValidationError) as exc:
            services.update_agreement(us_coordinator, agreement, signed_on=None)
        assert "keeps its signature date" in refusal(exc, "signed_on")
        with pytest.raises(ValidationError) as exc:
            services.update_agreement(us_coordinator, agreement, signatories=" ")
        assert "keeps its signatories" in refusal(exc, "signatories")

    def test_dates_are_checked(self, us_coordinator, program):
        with pytest.raises(ValidationError) as exc:
            make_agreement(us_coordinator, program[0],
                           signed_on=timezone.localdate() + timedelta(days=1))
        assert "future" in refusal(exc, "signed_on")
        with pytest.raises(ValidationError) as exc:
            make_agreement(us_coordinator, program[0], signed_on=date(2025, 1, 1),
                           expires_on=date(2024, 1, 1))
        assert "expire after" in refusal(exc, "expires_on")

    def test_unknown_state_and_other_nations_are_refused(self, us_coordinator, mx_liaison,
                                                         program):
        agreement = make_agreement(us_coordinator, program[0])
        with pytest.raises(ValidationError) as exc:
            services.transition_agreement(us_coordinator, agreement, "ratified")
        assert "Unknown step" in refusal(exc, "state")
        with pytest.raises(PermissionDenied):
            services.transition_agreement(mx_liaison, agreement, "in_coordination")
        with pytest.raises(PermissionDenied):
            services.update_agreement(mx_liaison, agreement, title_en="Changed")

    def test_in_coordination_may_return_to_draft(self, us_coordinator, program):
        agreement = make_agreement(us_coordinator, program[0])
        agreement = services.transition_agreement(us_coordinator, agreement, "in_coordination")
        assert [t.name for t in services.AGREEMENT_LIFECYCLE.options(us_coordinator, agreement)] \
            == ["draft", "signed"]
        assert services.transition_agreement(us_coordinator, agreement, "draft").state == \
            Agreement.State.DRAFT

    @staticmethod
    def _in_force(user, partnership, **fields):
        agreement = make_agreement(user, partnership, signed_on=date(2025, 10, 28),
                                   signatories="Gen. A\nGen. B", **fields)
        for state in ("in_coordination", "signed", "in_force"):
            agreement = services.transition_agreement(user, agreement, state)
        return agreement


# Objectives ---------------------------------------------------------------------------------

class TestObjectiveLifecycle:
    def test_approval_needs_an_indicator(self, us_coordinator, program):
        line = program[1]
        objective = make_objective(us_coordinator, line, code="HADR-2")
        with pytest.raises(ValidationError) as exc:
            services.transition_objective(us_coordinator, objective, "approved")
        assert "at least one indicator" in refusal(exc, "state")
        make_indicator(us_coordinator, objective)
        assert services.transition_objective(us_coordinator, objective, "approved").state == \
            Objective.State.APPROVED

    @pytest.mark.parametrize("outcome", ["achieved", "partially_achieved", "not_achieved"])
    def test_outcomes_only_from_in_progress(self, us_coordinator, program, outcome):
        objective = program[2]
        for state in ("draft", "approved"):
            with pytest.raises(ValidationError) as exc:
                services.transition_objective(us_coordinator, objective, outcome)
            assert "Only an objective in progress" in refusal(exc, "state")
            if state == "draft":
                services.transition_objective(us_coordinator, objective, "approved")
        services.transition_objective(us_coordinator, objective, "in_progress")
        assert services.transition_objective(us_coordinator, objective, outcome).state == outcome

    @pytest.mark.parametrize("reached", ["draft", "approved", "in_progress"])
    def test_cancelled_from_any_state_not_final(self, us_coordinator, program, reached):
        objective = program[2]
        for state in ("approved", "in_progress")[:["draft", "approved",
                                                    "in_progress"].index(reached)]:
            services.transition_objective(us_coordinator, objective, state)
        assert services.transition_objective(us_coordinator, objective, "cancelled").state == \
            Objective.State.CANCELLED

    @pytest.mark.parametrize("final", ["achieved", "cancelled"])
    def test_a_closed_objective_cannot_be_cancelled(self, us_coordinator, program, final):
        objective = program[2]
        for state in ("approved", "in_progress", final):
            services.transition_objective(us_coordinator, objective, state)
        with pytest.raises(ValidationError) as exc:
            services.transition_objective(us_coordinator, objective, "cancelled")
        assert "only an objective not yet closed" in refusal(exc, "state")

    def test_no_skipping_and_no_going_back(self, us_coordinator, program):
        objective = program[2]
        with pytest.raises(ValidationError) as exc:
            services.transition_objective(us_coordinator, objective, "in_progress")
        assert "cannot move from Draft to In progress" in refusal(exc, "state")
        services.transition_objective(us_coordinator, objective, "approved")
        with pytest.raises(ValidationError):
            services.transition_objective(us_coordinator, objective, "draft")

    def test_objective_codes_are_unique_in_the_partnership(self, us_coordinator, program):
        other_line = make_line(us_coordinator, program[0], code="cyber")
        with pytest.raises(ValidationError) as exc:
            make_objective(us_coordinator, other_line, code="HADR-1")
        assert "already has the code HADR-1" in refusal(exc, "code")


# Markings, ownership, validation -----------------------------------------------------------

class TestChildren:
    def test_children_are_marked_like_their_parent(self, us_coordinator, program):
        partnership, line, objective, indicator = program
        measurement = make_measurement(us_coordinator, indicator, 5, date(2025, 2, 1))
        for record in (line, objective, indicator, measurement,
                       make_agreement(us_coordinator, partnership),
                       make_assessment(us_coordinator, partnership)):
            assert record.owner_nation.code == "USA"
            assert {n.code for n in record.rel_to.all()} == {"USA", "MEX"}
            assert record.disclosure == "approved"

    def test_a_given_marking_is_kept_but_never_wider_than_the_parent(self, us_coordinator):
        partnership = make_partnership(us_coordinator, partner="UKR", rel_to=("USA", "UKR"))
        line = make_line(us_coordinator, partnership, rel_to=nations("USA"),
                         disclosure="in_review", tlp="amber")
        assert ({n.code for n in line.rel_to.all()}, line.disclosure, line.tlp) == (
            {"USA"}, "in_review", "amber")
        with pytest.raises(ValidationError) as exc:
            make_objective(us_coordinator, line, rel_to=nations("UKR"))
        assert "cannot be released to UKR" in refusal(exc, "rel_to")
        with pytest.raises(ValidationError) as exc:
            change_marking(line, us_coordinator, rel_to=nations("MEX"), disclosure="approved")
        assert "MEX" in refusal(exc, "rel_to")

    def test_approving_disclosure_anew_needs_the_reviewer(self, make_user):
        # No built-in role adds program records without reviewing disclosure: a user granted
        # only the add and view permissions.
        planner = make_user("t.mx.planner", "DEFENSA", role=None)
        planner.user_permissions.set(Permission.objects.filter(
            content_type__app_label="partnerships",
            codename__in=["add_partnership", "add_lineofeffort", "view_partnership",
                          "view_lineofeffort"]))
        planner = type(planner).objects.get(pk=planner.pk)
        partnership = make_partnership(planner, partner="UKR", us_state="AZ",
                                       rel_to=("MEX",), disclosure="not_reviewed")
        with pytest.raises(ValidationError) as exc:
            make_line(planner, partnership, disclosure="approved")
        assert "disclosure" in exc.value.message_dict
        assert make_line(planner, partnership).disclosure == "not_reviewed"

    def test_only_the_owning_nation_adds_and_only_with_the_role(self, us_coordinator,
                                                                mx_liaison, us_viewer, program):
        partnership, line, objective, indicator = program
        with pytest.raises(PermissionDenied):
            make_line(mx_liaison, partnership, code="cyber")
        with pytest.raises(PermissionDenied):
            make_measurement(mx_liaison, indicator, 1, date(2025, 1, 1))
        with pytest.raises(PermissionDenied):
            make_agreement(us_viewer, partnership)

    def test_line_codes_are_unique_in_the_partnership(self, us_coordinator, program):
        with pytest.raises(ValidationError) as exc:
            make_line(us_coordinator, program[0], code="hadr")
        assert "already has the code hadr" in refusal(exc, "code")

    @pytest.mark.parametrize("fields, field, message", [
        ({"target_date": date(2023, 1, 1)}, "target_date", "after the baseline date"),
        ({"target_value": Decimal(-1)}, "target_value", "above the baseline"),
        ({"direction": "decrease", "baseline_value": Decimal(10), "target_value": Decimal(20)},
         "target_value", "below the baseline"),
    ])
    def test_indicator_targets_follow_the_direction(self, us_coordinator, program, fields,
                                                    field, message):
        with pytest.raises(ValidationError) as exc:
            make_indicator(us_coordinator, program[2], **fields)
        assert message in refusal(exc, field)

    def test_assessment_scope_and_date(self, us_coordinator, program):
        other = make_line(us_coordinator, make_partnership(us_coordinator, "UKR"))
        with pytest.raises(ValidationError) as exc:
            make_assessment(us_coordinator, program[0], line_of_effort=other)
        assert "assessed partnership" in refusal(exc, "line_of_effort")
        with pytest.raises(ValidationError) as exc:
            make_assessment(us_coordinator, program[0],
                            assessed_on=timezone.localdate() + timedelta(days=1))
        assert "future" in refusal(exc, "assessed_on")


class TestMeasurements:
    def test_dates_are_refused_in_the_future_and_before_the_baseline(self, us_coordinator,
                                                                     program):
        indicator = program[3]
        with pytest.raises(ValidationError) as exc:
            make_measurement(us_coordinator, indicator, 1,
                             timezone.localdate() + timedelta(days=1))
        assert "future" in refusal(exc, "as_of")
        with pytest.raises(ValidationError) as exc:
            make_measurement(us_coordinator, indicator, 1, date(2023, 12, 31))
        assert "baseline date" in refusal(exc, "as_of")

    def test_evidence_is_an_engagement_of_the_same_partnership_and_its_report(
            self, us_coordinator, program):
        partnership, *_rest, indicator = program
        engagement = make_engagement(us_coordinator, partnership)
        report = make_report(engagement)
        measurement = make_measurement(us_coordinator, indicator, 12, date(2025, 3, 7),
                                       after_action_report=report)
        assert (measurement.engagement, measurement.after_action_report) == (engagement, report)
        elsewhere = make_engagement(us_coordinator, make_partnership(us_coordinator, "UKR"))
        with pytest.raises(ValidationError) as exc:
            make_measurement(us_coordinator, indicator, 1, date(2025, 3, 7),
                             engagement=elsewhere)
        assert "indicator's partnership" in refusal(exc, "engagement")
        other = make_engagement(us_coordinator, partnership, title="Cyber workshop")
        with pytest.raises(ValidationError) as exc:
            make_measurement(us_coordinator, indicator, 1, date(2025, 3, 7), engagement=other,
                             after_action_report=report)
        assert "another engagement" in refusal(exc, "after_action_report")

    def test_evidence_must_be_visible(self, us_coordinator, make_user, program):
        partnership, *_rest, indicator = program
        hidden = make_engagement(us_coordinator, partnership)
        hidden.owner_nation = Nation.objects.get(code="MEX")
        hidden.save()
        hidden.rel_to.set(nations("MEX"))
        with pytest.raises(ValidationError) as exc:
            make_measurement(us_coordinator, indicator, 1, date(2025, 3, 7), engagement=hidden)
        assert "you may see" in refusal(exc, "engagement")

    def test_verification_by_someone_else_once(self, us_coordinator, second_coordinator,
                                               program):
        measurement = make_measurement(us_coordinator, program[3], 10, date(2025, 2, 1))
        with pytest.raises(PermissionDenied, match="someone other than"):
            services.verify_measurement(us_coordinator, measurement)
        measurement = services.verify_measurement(second_coordinator, measurement)
        assert measurement.verified_by == second_coordinator and measurement.verified_at
        with pytest.raises(ValidationError) as exc:
            services.verify_measurement(second_coordinator, measurement)
        assert "already verified" in refusal(exc, "verified_at")

    def test_correcting_the_value_takes_the_verification_away(self, us_coordinator,
                                                              second_coordinator, program):
        measurement = make_measurement(us_coordinator, program[3], 10, date(2025, 2, 1))
        services.verify_measurement(second_coordinator, measurement)
        measurement.refresh_from_db()
        services.update_measurement(us_coordinator, measurement, source="Roster, corrected")
        measurement.refresh_from_db()
        assert measurement.verified_at is None and measurement.verified_by is None


# Progress -----------------------------------------------------------------------------------

def indicator(direction, baseline, target, start=date(2025, 1, 1), end=date(2026, 1, 1)):
    return Indicator(direction=direction, baseline_value=Decimal(baseline),
                     target_value=Decimal(target), baseline_date=start, target_date=end)


class TestProgressArithmetic:
    def test_percent_of_the_way_respects_the_direction(self):
        assert selectors.percent_of_way(indicator("increase", 10, 50), 30) == Decimal(50)
        # Lower is better: 40 hours to respond, target 10; 25 is half way.
        assert selectors.percent_of_way(indicator("decrease", 40, 10), 25) == Decimal(50)
        assert selectors.percent_of_way(indicator("decrease", 40, 10), 45) == Decimal("-16.7")
        assert selectors.percent_of_way(indicator("decrease", 40, 10), 4) == Decimal(120)
        assert selectors.percent_of_way(indicator("maintain", 95, 95), 90) is None

    def test_expected_percent_is_the_straight_line(self):
        rule = indicator("increase", 0, 100, date(2025, 1, 1), date(2025, 1, 11))
        assert selectors.expected_percent(rule, date(2025, 1, 6)) == Decimal(50)
        assert selectors.expected_percent(rule, date(2024, 6, 1)) == Decimal(0)
        assert selectors.expected_percent(rule, date(2030, 1, 1)) == Decimal(100)

    def test_on_track_within_ten_points_of_the_line(self):
        rule = indicator("decrease", 40, 10, date(2025, 1, 1), date(2025, 1, 11))
        halfway = date(2025, 1, 6)  # expected 50%
        judged = [selectors.judge(rule, Measurement(value=Decimal(v), as_of=halfway))[2:]
                  for v in (25, 28, 29, 10, 41)]
        # 25 → 50%, 28 → 40%, 29 → 36.7%, 10 → 100%, 41 → -3.3%
        assert judged == [(True, "on_track"), (True, "on_track"), (False, "off_track"),
                          (True, "met"), (False, "off_track")]
        assert selectors.judge(rule, None) == (None, None, None, "no_data")

    def test_kept_at_target_within_five_percent(self):
        rule = indicator("maintain", 95, 95)
        on = date(2025, 6, 1)
        assert selectors.judge(rule, Measurement(value=Decimal("91"), as_of=on))[2:] == (
            True, "on_track")
        assert selectors.judge(rule, Measurement(value=Decimal("90"), as_of=on))[2:] == (
            False, "off_track")


class TestObjectiveProgress:
    def test_rolled_up_per_line_objective_and_indicator_with_evidence(self, us_coordinator,
                                                                      mx_liaison, program):
        partnership, line, objective, trained = program
        response = make_indicator(us_coordinator, objective, name_en="Hours to deploy",
                                  direction="decrease", baseline_value=Decimal(72),
                                  target_value=Decimal(24), unit="hours")
        unmeasured = make_objective(us_coordinator, make_line(us_coordinator, partnership,
                                                              code="cyber", position=2),
                                    code="CYB-1")
        shared = make_engagement(us_coordinator, partnership)
        report = make_report(shared)
        us_only = make_engagement(us_coordinator, partnership, rel_to=("USA",),
                                  title="Staff talks")
        make_measurement(us_coordinator, trained, 20, date(2024, 7, 1))
        make_measurement(us_coordinator, trained, 60, date(2025, 1, 1), engagement=shared,
                         after_action_report=report)
        make_measurement(us_coordinator, response, 48, date(2025, 1, 1), engagement=us_only)

        lines = selectors.objective_progress(us_coordinator, partnership)
        assert [lp.line for lp in lines] == [line, unmeasured.line_of_effort]
        first, second = lines
        assert [op.objective for op in first.objectives] == [objective]
        by_name = {ip.indicator.name_en: ip for ip in first.objectives[0].indicators}
        people, hours = by_name["People trained in incident command"], by_name["Hours to deploy"]
        assert (people.latest.value, people.percent, people.status) == (
            Decimal(60), Decimal(60), "on_track")
        # 72 → 48 of the way to 24 is half way; a year into two (2024 has 366 days) the
        # straight line is just past half way.
        assert (hours.percent, hours.expected_percent, hours.on_track) == (
            Decimal(50), Decimal("50.1"), True)
        assert [(e.engagement and e.engagement.record, e.report and e.report.record)
                for e in people.evidence] == [(shared, report), (None, None)]
        assert first.percent == Decimal(55) and first.indicator_count == 2
        assert (second.objectives[0].objective, second.indicator_count, second.percent) == (
            unmeasured, 0, None)

        # Mexico sees the released records, and the US-only engagement behind a value only as
        # a record not released to it.
        mexican = selectors.objective_progress(mx_liaison, partnership)
        hours_mx = {ip.indicator.name_en: ip for ip in mexican[0].objectives[0].indicators}[
            "Hours to deploy"]
        assert hours_mx.latest.value == Decimal(48)
        (evidence,) = hours_mx.evidence
        assert (evidence.engagement.visible, evidence.engagement.record, evidence.report) == (
            False, None, None)

    def test_records_not_released_are_left_out(self, us_coordinator, mx_liaison, program):
        partnership, line, objective, trained = program
        change_marking(objective, us_coordinator, rel_to=nations("USA"), disclosure="approved")
        make_measurement(us_coordinator, trained, 20, date(2024, 7, 1))
        lines = selectors.objective_progress(mx_liaison, partnership)
        assert [lp.line for lp in lines] == [line] and lines[0].objectives == []
        # The indicator is released, but its objective is not: hidden everywhere.
        assert not selectors.indicators_for(mx_liaison).exists()
        assert not selectors.measurements_for(mx_liaison).exists()
        hidden = make_partnership(us_coordinator, partner="UKR")
        assert selectors.objective_progress(mx_liaison, hidden) == []

    def test_a_fixed_number_of_queries(self, us_coordinator, program):
        partnership, line, objective, trained = program
        make_measurement(us_coordinator, trained, 20, date(2024, 7, 1),
                         engagement=make_engagement(us_coordinator, partnership))

        def queries():
            with CaptureQueriesContext(connection) as ctx:
                selectors.objective_progress(us_coordinator, partnership)
            return len(ctx)

        before = queries()
        for n in range(3):
            more = make_objective(us_coordinator, make_line(us_coordinator, partnership,
                                                            code=f"l{n}"), code=f"O-{n}")
            extra = make_indicator(us_coordinator, more)
            engagement = make_engagement(us_coordinator, partnership, title=f"E{n}")
            make_measurement(us_coordinator, extra, 10 + n, date(2024, 7, 1),
                             engagement=engagement, after_action_report=make_report(engagement))
        assert queries() <= before + 1  # the first report adds the reports' one query
        assert before <= 10


# Pages --------------------------------------------------------------------------------------

def text(response):
    return response.content.decode()


class TestPages:
    @pytest.mark.parametrize("language", ["en", "es"])
    def test_every_page_renders(self, client_for, us_coordinator, second_coordinator, program,
                                language):
        partnership, line, objective, trained = program
        agreement = make_agreement(us_coordinator, partnership)
        assessment = make_assessment(us_coordinator, partnership, line_of_effort=line)
        engagement = make_engagement(us_coordinator, partnership)
        measurement = make_measurement(us_coordinator, trained, 20, date(2024, 7, 1),
                                       after_action_report=make_report(engagement))
        client = client_for(second_coordinator, headers={"Accept-Language": language})
        urls = [partnership.get_absolute_url(), reverse("partnerships:progress",
                                                        args=[partnership.pk])]
        for kind, record in (("agreement", agreement), ("line", line),
                             ("objective", objective), ("indicator", trained),
                             ("measurement", measurement), ("assessment", assessment)):
            urls += [record.get_absolute_url(), reverse(f"partnerships:{kind}_update",
                                                        args=[record.pk]),
                     reverse(f"partnerships:{kind}_marking", args=[record.pk])]
        urls += [reverse(f"partnerships:{name}") for name in (
            "agreements", "lines", "objectives", "indicators", "measurements", "assessments")]
        urls += [reverse("partnerships:agreement_create", args=[partnership.pk]),
                 reverse("partnerships:line_create", args=[partnership.pk]),
                 reverse("partnerships:assessment_create", args=[partnership.pk]),
                 reverse("partnerships:objective_create", args=[line.pk]),
                 reverse("partnerships:indicator_create", args=[objective.pk]),
                 reverse("partnerships:measurement_create", args=[trained.pk])]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response["Content-Language"] == language

    def test_partnership_page_shows_the_program(self, client_for, us_coordinator, program):
        partnership, line, objective, trained = program
        make_agreement(us_coordinator, partnership, title_en="Letter of intent 2025")
        make_assessment(us_coordinator, partnership, findings_en="Strong start.")
        make_measurement(us_coordinator, trained, 42, date(2025, 1, 1))
        page = text(client_for(us_coordinator).get(partnership.get_absolute_url()))
        for expected in ("Letter of intent 2025", line.name_en, "HADR-1", trained.name_en,
                         "Strong start.", "<svg", 'role="img"', ">42<",
                         reverse("partnerships:progress", args=[partnership.pk]),
                         reverse("partnerships:agreement_create", args=[partnership.pk])):
            assert expected in page, expected

    def test_empty_states(self, client_for, us_coordinator):
        partnership = make_partnership(us_coordinator, partner="MEX")
        client = client_for(us_coordinator)
        page = text(client.get(partnership.get_absolute_url()))
        assert "No line of effort yet" in page and "No agreement matches" in page
        progress = text(client.get(reverse("partnerships:progress", args=[partnership.pk])))
        assert "No line of effort yet" in progress
        line = make_line(us_coordinator, partnership)
        assert "No objective yet" in text(client.get(line.get_absolute_url()))
        objective = make_objective(us_coordinator, line)
        assert "No indicator yet" in text(client.get(objective.get_absolute_url()))
        indicator = make_indicator(us_coordinator, objective)
        assert "No measurement yet" in text(client.get(indicator.get_absolute_url()))

    def test_progress_page_links_the_evidence(self, client_for, us_coordinator, program):
        partnership, _line, _objective, trained = program
        engagement = make_engagement(us_coordinator, partnership, title="Border wildfire drill")
        make_measurement(us_coordinator, trained, 30, date(2025, 3, 7), engagement=engagement,
                         after_action_report=make_report(engagement))
        page = text(client_for(us_coordinator).get(
            reverse("partnerships:progress", args=[partnership.pk])))
        assert "Border wildfire drill" in page
        assert f'href="{reverse("engagements:detail", args=[engagement.pk])}"' in page
        assert reverse("engagements:aar", args=[engagement.pk]) in page

    def test_create_through_the_ui_starts_with_the_parents_marking(self, client_for,
                                                                   us_coordinator, program):
        partnership = program[0]
        client = client_for(us_coordinator)
        url = reverse("partnerships:agreement_create", args=[partnership.pk])
        form = client.get(url).context["marking_form"]
        assert {n.code for n in form.initial["rel_to"]} == {"USA", "MEX"}
        response = client.post(url, {
            "r-kind": "mou", "r-title_en": "MOU on wildfire", "r-title_es": "MOU incendios",
            "r-parties": "CalGuard\nSEDENA", "m-rel_to": ["MEX"], "m-disclosure": "approved"})
        agreement = Agreement.objects.get(title_en="MOU on wildfire")
        assert response.status_code == 302 and response.url == agreement.get_absolute_url()
        assert agreement.state == "draft"

    def test_invalid_forms_rerender_with_errors(self, client_for, us_coordinator, program):
        partnership, line, objective, trained = program
        client = client_for(us_coordinator)
        response = client.post(reverse("partnerships:indicator_create", args=[objective.pk]), {
            "r-name_en": "Exercises", "r-name_es": "Ejercicios", "r-kind": "output",
            "r-unit": "exercises", "r-direction": "decrease", "r-baseline_value": "1",
            "r-baseline_date": "2025-01-01", "r-target_value": "5",
            "r-target_date": "2026-01-01", "r-frequency": "annual",
            "m-rel_to": ["MEX"], "m-disclosure": "approved"})
        assert response.status_code == 200
        assert "below the baseline" in " ".join(response.context["form"].errors["target_value"])
        response = client.post(reverse("partnerships:measurement_create", args=[trained.pk]), {
            "r-value": "", "r-as_of": "2025-01-01", "r-source": "x", "m-disclosure": "approved"})
        assert response.status_code == 200 and "value" in response.context["form"].errors
        assert Indicator.objects.count() == 1 and Measurement.objects.count() == 0

    def test_transition_buttons_and_history(self, client_for, us_coordinator, program):
        objective = program[2]
        client = client_for(us_coordinator)
        page = text(client.get(objective.get_absolute_url()))
        assert 'data-testid="transition-approved"' in page
        assert 'data-testid="transition-cancelled"' in page
        response = client.post(reverse("partnerships:objective_transition",
                                       args=[objective.pk, "approved"]),
                               headers={"X-Request-ID": "req-approve"})
        assert response.status_code == 302
        objective.refresh_from_db()
        assert objective.state == "approved"
        page = text(client.get(objective.get_absolute_url()))
        assert "req-approve" in page and 'data-testid="transition-in_progress"' in page

    def test_a_refused_transition_says_why(self, client_for, us_coordinator, program):
        agreement = make_agreement(us_coordinator, program[0])
        client = client_for(us_coordinator)
        client.post(reverse("partnerships:agreement_transition",
                            args=[agreement.pk, "in_coordination"]))
        response = client.post(reverse("partnerships:agreement_transition",
                                       args=[agreement.pk, "signed"]), follow=True)
        assert "Name the signatories" in text(response)
        assert client.post(reverse("partnerships:agreement_transition",
                                   args=[agreement.pk, "ratified"])).status_code == 404

    def test_supersede_from_the_page(self, client_for, us_coordinator, program):
        partnership = program[0]
        old, new = (TestAgreementLifecycle._in_force(us_coordinator, partnership,
                                                     title_en=title) for title in ("Old", "New"))
        client = client_for(us_coordinator)
        assert "superseded_by" in text(client.get(old.get_absolute_url()))
        client.post(reverse("partnerships:agreement_transition", args=[old.pk, "superseded"]),
                    {"superseded_by": new.pk})
        old.refresh_from_db()
        assert (old.state, old.superseded_by) == ("superseded", new)

    def test_verify_button(self, client_for, us_coordinator, second_coordinator, program):
        measurement = make_measurement(us_coordinator, program[3], 10, date(2025, 2, 1))
        assert 'data-testid="verify"' not in text(
            client_for(us_coordinator).get(measurement.get_absolute_url()))
        client = client_for(second_coordinator)
        assert 'data-testid="verify"' in text(client.get(measurement.get_absolute_url()))
        client.post(reverse("partnerships:measurement_verify", args=[measurement.pk]))
        measurement.refresh_from_db()
        assert measurement.verified_by == second_coordinator

    def test_partners_get_404_for_pages_that_write(self, client_for, us_coordinator,
                                                   mx_liaison, program):
        partnership, line, objective, trained = program
        client = client_for(mx_liaison)
        assert client.get(objective.get_absolute_url()).status_code == 200
        for url in (reverse("partnerships:agreement_create", args=[partnership.pk]),
                    reverse("partnerships:objective_create", args=[line.pk]),
                    reverse("partnerships:measurement_create", args=[trained.pk]),
                    reverse("partnerships:objective_update", args=[objective.pk]),
                    reverse("partnerships:objective_marking", args=[objective.pk])):
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("partnerships:objective_transition",
                                   args=[objective.pk, "approved"])).status_code == 404
        assert 'data-testid="transitions"' not in text(client.get(objective.get_absolute_url()))

    def test_lists_filter_and_answer_htmx_with_the_table(self, client_for, us_coordinator,
                                                         program):
        partnership = program[0]
        make_agreement(us_coordinator, partnership, title_en="Draft letter")
        other = make_partnership(us_coordinator, partner="UKR")
        make_agreement(us_coordinator, other, title_en="Ukrainian letter")
        client = client_for(us_coordinator)
        page = client.get(reverse("partnerships:agreements"), {"partnership": other.pk})
        assert [a.title_en for a in page.context["page"]] == ["Ukrainian letter"]
        partial = client.get(reverse("partnerships:agreements"), {"state": "in_force"},
                             headers={"HX-Request": "true"})
        assert "<html" not in text(partial) and "No agreement matches" in text(partial)


def test_pages_and_lists_do_not_grow_queries_per_record(client_for, us_coordinator, program):
    partnership, line, objective, trained = program
    client = client_for(us_coordinator)
    engagement = make_engagement(us_coordinator, partnership)
    make_measurement(us_coordinator, trained, 5, date(2024, 3, 1), engagement=engagement,
                     after_action_report=make_report(engagement))
    make_agreement(us_coordinator, partnership)
    make_assessment(us_coordinator, partnership, line_of_effort=line)
    urls = [partnership.get_absolute_url(),
            reverse("partnerships:progress", args=[partnership.pk]),
            objective.get_absolute_url(), trained.get_absolute_url(), line.get_absolute_url()]
    urls += [reverse(f"partnerships:{name}") for name in (
        "agreements", "lines", "objectives", "indicators", "measurements", "assessments")]
    urls += [f"/api/v1/{name}" for name in (
        "agreements", "lines-of-effort", "objectives", "indicators", "measurements",
        "assessments")]
    urls.append(f"/api/v1/partnerships/{partnership.pk}/progress")

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200, url
        return len(ctx)

    before = [queries(url) for url in urls]
    more = make_objective(us_coordinator, line, code="HADR-2")
    for n in range(3):
        extra = make_indicator(us_coordinator, more if n else objective, name_en=f"I{n}")
        event = make_engagement(us_coordinator, partnership, title=f"E{n}")
        make_measurement(us_coordinator, extra, 10 + n, date(2024, 7, 1), engagement=event,
                         after_action_report=make_report(event))
        make_measurement(us_coordinator, trained, 20 + n, date(2024, 8, 1 + n))
        make_agreement(us_coordinator, partnership, title_en=f"A{n}")
        make_assessment(us_coordinator, partnership, findings_en=f"F{n}")
    assert [queries(url) for url in urls] == before


# API ----------------------------------------------------------------------------------------

class TestAPI:
    def test_create_with_the_parents_marking_and_move_through_states(self, client_for,
                                                                     us_coordinator, program):
        partnership = program[0]
        client = client_for(us_coordinator)
        created = client.post("/api/v1/agreements", {
            "partnership": partnership.pk, "kind": "letter_of_intent",
            "title_en": "Letter of intent", "title_es": "Carta de intención",
            "parties": "CalGuard\nSEDENA"}, content_type="application/json")
        assert created.status_code == 201, created.content
        body = created.json()
        assert body["marking"] == {"owner": "USA", "rel_to": ["MEX", "USA"],
                                   "disclosure": "approved", "tlp": None}
        url = f"/api/v1/agreements/{body['id']}"
        assert client.post(url + "/transitions/in_coordination").json()["state"] == \
            "in_coordination"
        refused = client.post(url + "/transitions/signed")
        assert refused.status_code == 422
        assert {e["field"] for e in refused.json()["errors"]} == {"signed_on", "signatories"}
        client.patch(url, {"signed_on": "2025-10-28", "signatories": "Gen. A"},
                     content_type="application/json")
        assert client.post(url + "/transitions/signed").json()["state"] == "signed"
        assert client.post(url + "/transitions/nonsense").status_code == 422
        history = client.get(url + "/history").json()
        assert history[0]["changes"]["state"] == ["in_coordination", "signed"]
        assert history[0]["actor"] == us_coordinator.username

    def test_superseding_through_the_api(self, client_for, us_coordinator, program):
        partnership = program[0]
        old, new = (TestAgreementLifecycle._in_force(us_coordinator, partnership,
                                                     title_en=title) for title in ("Old", "New"))
        client = client_for(us_coordinator)
        url = f"/api/v1/agreements/{old.pk}/transitions/superseded"
        assert client.post(url).json()["errors"][0]["field"] == "superseded_by"
        done = client.post(f"{url}?superseded_by={new.pk}")
        assert done.status_code == 200 and done.json()["superseded_by"] == new.pk

    def test_the_whole_chain_and_progress(self, client_for, us_coordinator, program):
        partnership = program[0]
        client = client_for(us_coordinator)

        def post(path, body):
            response = client.post(path, body, content_type="application/json")
            assert response.status_code == 201, response.content
            return response.json()

        line = post("/api/v1/lines-of-effort", {"partnership": partnership.pk, "code": "cyber",
                                                "name_en": "Cyber", "name_es": "Ciber",
                                                "marking": {"rel_to": [],
                                                            "disclosure": "approved"}})
        assert line["marking"]["rel_to"] == ["USA"]
        objective = post("/api/v1/objectives", {
            "line_of_effort": line["id"], "code": "CYB-1", "statement_en": "Shared indicators",
            "statement_es": "Indicadores compartidos", "owner": "calguard"})
        assert objective["owner"] == "CalGuard" and objective["partnership"] == partnership.pk
        refused = client.post(f"/api/v1/objectives/{objective['id']}/transitions/approved")
        assert refused.status_code == 422 and "indicator" in refused.json()["errors"][0]["message"]
        indicator = post("/api/v1/indicators", {
            "objective": objective["id"], "name_en": "Hours to share", "name_es": "Horas",
            "kind": "outcome", "unit": "hours", "direction": "decrease", "baseline_value": 48,
            "baseline_date": "2025-01-01", "target_value": "12.5", "target_date": "2026-01-01"})
        assert indicator["target_value"] == 12.5
        measurement = post("/api/v1/measurements", {
            "indicator": indicator["id"], "value": 30.25, "as_of": "2025-07-02",
            "source": "Exercise log"})
        assert (measurement["value"], measurement["verified_by"]) == (30.25, None)
        progress = client.get(f"/api/v1/partnerships/{partnership.pk}/progress").json()
        cyber = next(lp for lp in progress["lines_of_effort"] if lp["code"] == "cyber")
        row = cyber["objectives"][0]["indicators"][0]
        assert (row["latest"]["value"], row["percent"], row["status"]) == (
            30.25, 50.0, "on_track")
        assert row["evidence"][0]["measurement"] == measurement["id"]
        assert cyber["summary"]["indicators"] == 1 and "marking" in row

    def test_filters_and_field_errors(self, client_for, us_coordinator, program):
        partnership, line, objective, trained = program
        client = client_for(us_coordinator)
        other = make_partnership(us_coordinator, partner="UKR")
        make_line(us_coordinator, other, code="other")
        ids = [item["id"] for item in client.get("/api/v1/lines-of-effort",
                                                 {"partnership": partnership.pk}).json()["items"]]
        assert ids == [line.pk]
        assert client.get("/api/v1/objectives", {"state": "approved"}).json()["count"] == 0
        assert client.get("/api/v1/objectives", {"state": "bogus"}).status_code == 422
        missing = client.post("/api/v1/objectives", {
            "line_of_effort": 10**9, "code": "X", "statement_en": "x", "statement_es": "x",
            "owner": "CalGuard"}, content_type="application/json")
        assert missing.status_code == 422
        assert missing.json()["errors"][0]["field"] == "line_of_effort"
        unknown = client.post("/api/v1/objectives", {
            "line_of_effort": line.pk, "code": "X", "statement_en": "x", "statement_es": "x",
            "owner": "NOPE"}, content_type="application/json")
        assert unknown.json()["errors"][0]["field"] == "owner"

    def test_partners_read_released_records_and_may_not_write_them(self, client_for,
                                                                   us_coordinator, mx_liaison,
                                                                   program):
        partnership, line, objective, trained = program
        client = client_for(mx_liaison)
        assert client.get(f"/api/v1/objectives/{objective.pk}").status_code == 200
        assert client.patch(f"/api/v1/objectives/{objective.pk}", {"code": "X"},
                            content_type="application/json").status_code == 403
        assert client.post(f"/api/v1/objectives/{objective.pk}/transitions/approved"
                           ).status_code == 403
        assert client.post("/api/v1/measurements", {
            "indicator": trained.pk, "value": 1, "as_of": "2025-01-01", "source": "x"},
            content_type="application/json").status_code == 403
        hidden = make_partnership(us_coordinator, partner="UKR")
        assert client.get(f"/api/v1/partnerships/{hidden.pk}/progress").status_code == 404

    def test_verify_and_markings(self, client_for, us_coordinator, second_coordinator,
                                 program):
        measurement = make_measurement(us_coordinator, program[3], 10, date(2025, 2, 1))
        url = f"/api/v1/measurements/{measurement.pk}"
        assert client_for(us_coordinator).post(url + "/verify").status_code == 403
        verified = client_for(second_coordinator).post(url + "/verify").json()
        assert verified["verified_by"] == second_coordinator.username
        client = client_for(us_coordinator)
        narrowed = client.put(url + "/marking", {"rel_to": [], "disclosure": "approved"},
                              content_type="application/json")
        assert narrowed.json()["rel_to"] == ["USA"]
        wider = client.put(f"/api/v1/lines-of-effort/{program[1].pk}/marking",
                           {"rel_to": ["UKR"], "disclosure": "approved"},
                           content_type="application/json")
        assert wider.status_code == 422 and wider.json()["errors"][0]["field"] == "rel_to"
