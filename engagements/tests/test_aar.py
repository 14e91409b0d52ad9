"""After-action reports: written by both nations, approved and recorded by the owner, each
step guarded with a clear reason; recording makes the engagement recorded complete and turns
indicator values into measurements; follow-on proposals become engagement concepts in one
click."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from accounts.models import Nation, Organization
from core.models import Disclosure
from core.services import apply_parent_marking
from core.testing import ReleasabilityCase, assert_releasability
from engagements.fiscal import fiscal_year
from engagements.models import (
    AfterActionReport,
    Attendance,
    Engagement,
    FollowOnProposal,
    Observation,
)
from engagements.services import after_action
from engagements.tests.aar_factories import (
    make_engagement,
    make_indicator,
    make_report,
    mexico_partnership,
    nations,
)
from partnerships.models import Measurement

State = AfterActionReport.State


@pytest.fixture
def partnership(us_coordinator):
    return mexico_partnership(us_coordinator)


@pytest.fixture
def engagement(us_coordinator, partnership):
    return make_engagement(us_coordinator, partnership)


def fresh(record):
    return type(record).objects.get(pk=record.pk)


def write_complete_draft(user, report):
    after_action.save_aar_draft(user, report, summary_es="Se compartieron lecciones de incendios.")
    after_action.set_attendance(user, report, [
            {"nation": Nation.objects.get(code="MEX"), "count": 12, "gender": "female"},
            {"nation": Nation.objects.get(code="USA"), "count": 4},
    ])


def refusal(exc_info):
    return " ".join(exc_info.value.messages)


# Starting ----------------------------------------------------------------------------------

def test_start_copies_the_engagements_marking_and_owner(us_coordinator, engagement):
    engagement.tlp = "green"
    engagement.save()
    report = after_action.start_aar(us_coordinator, engagement)
    assert report.state == State.NOT_STARTED
    assert report.owner_nation == engagement.owner_nation
    assert {n.code for n in report.rel_to.all()} == {"USA", "MEX"}
    assert (report.disclosure, report.tlp) == ("approved", "green")
    with pytest.raises(ValidationError, match="already has"):
        after_action.start_aar(us_coordinator, engagement)


def test_start_waits_for_the_engagement_to_be_executed(us_coordinator, partnership):
    ready = make_engagement(us_coordinator, partnership, state=Engagement.State.READY)
    with pytest.raises(ValidationError) as exc:
        after_action.start_aar(us_coordinator, ready)
    assert "once the engagement is executed" in refusal(exc)
    assert not AfterActionReport.objects.exists()


def test_a_partner_cannot_start_a_report_of_an_engagement_not_released_to_it(
        us_coordinator, mx_liaison, partnership):
    us_only = make_engagement(us_coordinator, partnership, rel_to=())
    with pytest.raises(Http404):
        after_action.start_aar(mx_liaison, us_only)


# The partner writes and submits; only the owner decides -----------------------------------

def test_partner_liaison_drafts_and_submits_but_cannot_approve_or_record(
        us_coordinator, mx_liaison, engagement):
    report = after_action.start_aar(mx_liaison, engagement)
    write_complete_draft(mx_liaison, report)
    after_action.add_observation(mx_liaison, report, kind="sustain", topic="Radios",
                                 text_es="Interoperabilidad de radios.")
    report = after_action.submit_aar(mx_liaison, report)
    assert report.state == State.SUBMITTED and report.submitted_by == mx_liaison
    # The liaison does not move a US engagement; it stays executed until approval.
    assert fresh(engagement).state == Engagement.State.EXECUTED
    for step in ("approve", "record", "publish"):
        with pytest.raises(PermissionDenied):
            after_action.transition_aar(mx_liaison, report, step)
    with pytest.raises(PermissionDenied):
        after_action.return_aar(mx_liaison, report, "no")
    assert fresh(report).state == State.SUBMITTED
    assert after_action.aar_transitions_for(mx_liaison, fresh(report)) == []
    assert after_action.aar_transitions_for(us_coordinator, fresh(report)) == ["return", "approve"]


def test_partner_liaison_drafts_and_submits_through_the_page(client_for, mx_liaison,
                                                             engagement):
    client = client_for(mx_liaison)
    url = reverse("engagements:aar", args=[engagement.pk])
    page = client.get(url)
    assert page.status_code == 200 and page.context["can_start"]
    assert client.post(reverse("engagements:aar_start", args=[engagement.pk])).status_code == 302
    saved = client.post(url, {"aar-summary_es": "Lecciones de incendios forestales.",
                              "aar-currency": "USD"})
    assert saved.status_code == 302, saved.context["form"].errors
    mex = Nation.objects.get(code="MEX")
    attendance = client.post(reverse("engagements:aar_attendance", args=[engagement.pk]), {
        "att-TOTAL_FORMS": "2", "att-INITIAL_FORMS": "0",
        "att-0-nation": mex.pk, "att-0-organization":
            Organization.objects.filter(nation=mex).first().pk,
        "att-0-grade": "Capitán", "att-0-gender": "male", "att-0-count": "7",
        "att-1-nation": "", "att-1-gender": "undisclosed", "att-1-count": "",
    })
    assert attendance.status_code == 302
    page = client.get(url)
    assert [t.name for t in page.context["transitions"]] == ["submit"]
    submitted = client.post(reverse("engagements:aar_transition",
                                    args=[engagement.pk, "submit"]))
    assert submitted.status_code == 302
    report = AfterActionReport.objects.get(engagement=engagement)
    assert report.state == State.SUBMITTED and report.attendance.get().count == 7
    approve = client.post(reverse("engagements:aar_transition",
                                  args=[engagement.pk, "approve"]))
    assert approve.status_code == 200 and approve.context["step_errors"]
    assert fresh(report).state == State.SUBMITTED


def test_a_partner_report_released_but_awaiting_disclosure_is_not_found(
        client_for, us_coordinator, mx_liaison, engagement):
    report = make_report(engagement)
    report.disclosure = Disclosure.IN_REVIEW
    report.save()
    assert client_for(mx_liaison).get(
        reverse("engagements:aar", args=[engagement.pk])).status_code == 404
    with pytest.raises(Http404):
        after_action.save_aar_draft(mx_liaison, report, summary_en="x")


# Guards ------------------------------------------------------------------------------------

def test_submit_needs_a_summary_in_either_language(us_coordinator, engagement):
    report = make_report(engagement, attendance=3)
    with pytest.raises(ValidationError) as exc:
        after_action.submit_aar(us_coordinator, report)
    assert "summary_en" in exc.value.message_dict
    after_action.save_aar_draft(us_coordinator, report, summary_en="   ")
    with pytest.raises(ValidationError):
        after_action.submit_aar(us_coordinator, report)
    after_action.save_aar_draft(us_coordinator, report, summary_es="Resumen.")
    assert after_action.submit_aar(us_coordinator, report).state == State.SUBMITTED


def test_submit_needs_attendance(us_coordinator, engagement):
    report = make_report(engagement, summary_en="Lessons shared.")
    with pytest.raises(ValidationError) as exc:
        after_action.submit_aar(us_coordinator, report)
    assert exc.value.message_dict == {"attendance": ["Record who attended before submitting."]}


def test_a_report_not_written_yet_cannot_be_submitted(us_coordinator, engagement):
    report = make_report(engagement, state=State.NOT_STARTED)
    with pytest.raises(ValidationError, match="Write the report"):
        after_action.submit_aar(us_coordinator, report)


def test_a_submitted_report_can_no_longer_be_changed(us_coordinator, engagement):
    report = make_report(engagement, state=State.SUBMITTED, summary_en="Done.", attendance=2)
    for write in (lambda: after_action.save_aar_draft(us_coordinator, report, summary_en="Changed"),
                  lambda: after_action.add_observation(us_coordinator, report, kind="improve",
                                                       topic="Visas", text_en="Earlier."),
                  lambda: after_action.set_attendance(us_coordinator, report, [])):
        with pytest.raises(ValidationError, match="can no longer be changed"):
            write()
    with pytest.raises(ValidationError, match="not possible now"):
        after_action.record_aar(us_coordinator, report)
    with pytest.raises(ValidationError, match="not possible now"):
        after_action.publish_aar(us_coordinator, report)


def test_approving_needs_a_submitted_report(us_coordinator, engagement):
    report = make_report(engagement, summary_en="Done.", attendance=2)
    with pytest.raises(ValidationError, match="not possible now"):
        after_action.approve_aar(us_coordinator, report)


def test_return_needs_a_reason_and_the_writers_resubmit(us_coordinator, engagement):
    report = make_report(engagement, state=State.SUBMITTED, summary_en="Done.", attendance=2)
    with pytest.raises(ValidationError) as exc:
        after_action.return_aar(us_coordinator, report, "  ")
    assert "reason" in exc.value.message_dict
    report = after_action.return_aar(us_coordinator, report, "Add the partner's feedback.")
    assert report.state == State.RETURNED
    after_action.save_aar_draft(us_coordinator, report, partner_feedback_es="Muy útil.")
    assert fresh(report).state == State.RETURNED  # still returned until it is resubmitted
    assert after_action.submit_aar(us_coordinator, report).state == State.SUBMITTED


def test_unknown_step_is_a_field_error(us_coordinator, engagement):
    report = make_report(engagement)
    with pytest.raises(ValidationError) as exc:
        after_action.transition_aar(us_coordinator, report, "shred")
    assert "name" in exc.value.message_dict


def test_an_approver_of_another_nation_cannot_approve(persona_of, mx_liaison, engagement):
    mx_admin = persona_of("administrator", "MEX")
    report = make_report(engagement, state=State.SUBMITTED, summary_en="Done.", attendance=2)
    with pytest.raises(PermissionDenied, match="owning nation"):
        after_action.approve_aar(mx_admin, report)


# Approve and record: the engagement follows ------------------------------------------------

def test_approval_moves_the_engagement_to_aar_submitted(us_coordinator, engagement):
    report = make_report(engagement, state=State.SUBMITTED, summary_en="Done.", attendance=2)
    report = after_action.approve_aar(us_coordinator, report)
    assert report.state == State.APPROVED and report.approved_by == us_coordinator
    assert fresh(engagement).state == Engagement.State.AAR_SUBMITTED


def test_recording_needs_the_tracking_reference(us_coordinator, engagement):
    report = make_report(engagement, state=State.APPROVED, summary_en="Done.", attendance=2)
    with pytest.raises(ValidationError) as exc:
        after_action.record_aar(us_coordinator, report)
    assert "tracking_reference" in exc.value.message_dict
    assert fresh(report).state == State.APPROVED
    assert fresh(engagement).state == Engagement.State.EXECUTED  # all or nothing


def test_recording_records_the_engagement_complete_and_creates_measurements(
        us_coordinator, partnership, engagement):
    objective, indicator = make_indicator(us_coordinator, partnership)
    _other, unlinked = make_indicator(us_coordinator, make_partnership_ukr(us_coordinator),
                                      name="Elsewhere")
    engagement.objectives.set([objective])
    engagement.tracking_reference = "G-TSCMIS-4711"
    engagement.save()
    report = make_report(engagement, summary_en="Done.", attendance=2)
    after_action.save_aar_draft(us_coordinator, report, indicator_values={indicator: "24"})
    with pytest.raises(ValidationError, match="not one of this engagement"):
        after_action.save_aar_draft(us_coordinator, report, indicator_values={unlinked.pk: 3})
    after_action.submit_aar(us_coordinator, report)
    assert fresh(engagement).state == Engagement.State.AAR_SUBMITTED
    after_action.approve_aar(us_coordinator, report)
    report = after_action.record_aar(us_coordinator, report)
    assert report.state == State.RECORDED
    engagement = fresh(engagement)
    assert engagement.state == Engagement.State.RECORDED_COMPLETE
    assert engagement.recorded_complete_at is not None
    measurement = Measurement.objects.get()
    assert (measurement.indicator, measurement.value, measurement.as_of) == (
        indicator, Decimal("24.00"), engagement.end_date)
    assert measurement.engagement == engagement
    assert measurement.after_action_report == report


def make_partnership_ukr(user):
    from partnerships.tests.factories import make_partnership

    return make_partnership(user, partner="UKR")


# Publish ----------------------------------------------------------------------------------

def test_publishing_needs_disclosure_approved(us_coordinator, engagement):
    report = make_report(engagement, state=State.RECORDED, summary_en="Done.", attendance=2)
    report.disclosure = Disclosure.IN_REVIEW
    report.save()
    with pytest.raises(ValidationError) as exc:
        after_action.publish_aar(us_coordinator, report)
    assert "foreign disclosure approved" in refusal(exc)
    assert fresh(report).state == State.RECORDED


def test_publishing_needs_the_partner_nation_in_the_marking(us_coordinator, engagement):
    report = make_report(engagement, state=State.RECORDED, summary_en="Done.", attendance=2)
    report.rel_to.set(nations("USA"))
    with pytest.raises(ValidationError) as exc:
        after_action.publish_aar(us_coordinator, report)
    assert "not releasable to" in refusal(exc) and "MEX" in refusal(exc)
    report.rel_to.set(nations("USA", "MEX"))
    assert after_action.publish_aar(us_coordinator, report).state == State.PUBLISHED


def test_publish_refusal_is_shown_on_the_page(client_for, us_coordinator, engagement):
    report = make_report(engagement, state=State.RECORDED, summary_en="Done.", attendance=2)
    report.disclosure = Disclosure.NOT_REVIEWED
    report.save()
    response = client_for(us_coordinator).post(
        reverse("engagements:aar_transition", args=[engagement.pk, "publish"]))
    assert response.status_code == 200
    assert "foreign disclosure approved" in response.content.decode()


# Follow-on --------------------------------------------------------------------------------

def test_follow_on_creates_an_engagement_concept_in_one_click(us_coordinator, mx_liaison,
                                                              partnership, engagement):
    objective, _indicator = make_indicator(us_coordinator, partnership)
    engagement.objectives.set([objective])
    report = make_report(engagement)
    proposal = after_action.add_follow_on(mx_liaison, report, title_en="Urban search and rescue",
                                          title_es="Búsqueda y rescate urbano", type="exercise")
    with pytest.raises(PermissionDenied):
        after_action.propose_follow_on(mx_liaison, proposal)
    concept = after_action.propose_follow_on(us_coordinator, proposal)
    assert concept.state == Engagement.State.CONCEPT
    assert (concept.partnership, concept.type, concept.title_es) == (
        partnership, "exercise", "Búsqueda y rescate urbano")
    assert concept.proposed_in == report and fresh(proposal).engagement == concept
    assert list(concept.objectives.all()) == [objective]
    assert {n.code for n in concept.rel_to.all()} == {"USA", "MEX"}
    start, _end = after_action.placeholder_dates()
    assert concept.start_date == start and start.month == 10 and start.day == 1
    assert concept.fiscal_year == fiscal_year(date.today()) + 1
    with pytest.raises(ValidationError, match="already"):
        after_action.propose_follow_on(us_coordinator, fresh(proposal))


def test_follow_on_from_the_page_opens_the_concept(client_for, us_coordinator, engagement):
    report = make_report(engagement)
    proposal = after_action.add_follow_on(us_coordinator, report, title_en="Aviation",
                                          title_es="Aviación", type="workshop")
    response = client_for(us_coordinator).post(
        reverse("engagements:aar_follow_on", args=[engagement.pk, proposal.pk]),
        {"fo-start_date": "2027-02-01", "fo-end_date": "2027-02-05"})
    concept = Engagement.objects.get(proposed_in=report)
    assert response.status_code == 302 and response.url == concept.get_absolute_url()
    assert (concept.start_date, concept.end_date) == (date(2027, 2, 1), date(2027, 2, 5))


# Rows and their markings ------------------------------------------------------------------

def test_rows_take_the_reports_marking_whenever_it_is_marked(
        client_for, us_coordinator, mx_liaison, engagement):
    """A row has no marking of its own (MARKING_FOLLOWS): even one marked otherwise straight in
    the database takes the report's marking the next time the report's is set."""
    report = make_report(engagement, summary_en="Done.")
    row = after_action.add_observation(us_coordinator, report, kind="improve",
                                       topic="Internal staffing", text_en="US only.")
    row.rel_to.set(nations("USA"))
    after_action.change_aar_marking(us_coordinator, report, rel_to=nations("USA", "MEX"),
                                    disclosure="approved")
    assert {n.code for n in fresh(row).rel_to.all()} == {"USA", "MEX"}
    page = client_for(mx_liaison).get(reverse("engagements:aar", args=[engagement.pk]))
    assert "Internal staffing" in page.content.decode()
    api = client_for(mx_liaison).get(f"/api/v1/engagements/{engagement.pk}/aar/observations")
    assert [o["id"] for o in api.json()["items"]] == [row.pk]


def test_after_action_reports_obey_releasability_on_every_read_path(us_coordinator,
                                                                    mx_liaison, engagement):
    case = ReleasabilityCase(
        make=lambda user: make_report(engagement, summary_en="Sierra lessons learned"),
        list_url=reverse("engagements:aar_list"),
        detail_url=lambda r: reverse("engagements:aar", args=[r.engagement_id]),
        api_list_url="/api/v1/after-action-reports",
        api_detail_url=lambda r: f"/api/v1/engagements/{r.engagement_id}/aar",
        export_url=None,
        text=lambda r: r.summary_en,
        parents=lambda r: [r.engagement, r.engagement.partnership],
    )
    assert_releasability(case, us_user=us_coordinator, mx_user=mx_liaison)


# API ---------------------------------------------------------------------------------------

class TestAPI:
    def test_write_submit_and_approve(self, client_for, us_coordinator, mx_liaison,
                                      engagement):
        mx = client_for(mx_liaison)
        base = f"/api/v1/engagements/{engagement.pk}/aar"
        assert mx.get(base).status_code == 404
        started = mx.post(base)
        assert started.status_code == 201, started.content
        assert started.json()["marking"]["rel_to"] == ["MEX", "USA"]
        assert mx.post(base).status_code == 422
        early = mx.post(base + "/transitions/submit", {}, content_type="application/json")
        assert early.status_code == 422
        patched = mx.patch(base, {"summary_es": "Resumen", "currency": "mxn"},
                           content_type="application/json")
        assert patched.status_code == 200 and patched.json()["currency"] == "MXN"
        missing = mx.post(base + "/transitions/submit", {}, content_type="application/json")
        assert missing.status_code == 422
        assert missing.json()["errors"][0]["field"] == "attendance"
        rows = mx.put(base + "/attendance", {"rows": [
            {"nation": "MEX", "organization": "DEFENSA", "count": 9, "gender": "female"}]},
            content_type="application/json")
        assert rows.status_code == 200 and rows.json()[0]["organization"] == "DEFENSA"
        bad_org = mx.put(base + "/attendance", {"rows": [
            {"nation": "USA", "organization": "DEFENSA", "count": 1}]},
            content_type="application/json")
        assert bad_org.status_code == 422
        observation = mx.post(base + "/observations", {"kind": "improve", "topic": "Visas",
                                                       "text_es": "Antes."},
                              content_type="application/json")
        assert observation.status_code == 201
        submitted = mx.post(base + "/transitions/submit", {}, content_type="application/json")
        assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
        assert submitted.json()["transitions"] == []
        refused = mx.post(base + "/transitions/approve", {}, content_type="application/json")
        assert refused.status_code == 403
        us = client_for(us_coordinator)
        approved = us.post(base + "/transitions/approve", {}, content_type="application/json")
        assert approved.status_code == 200 and approved.json()["state"] == "approved"
        assert us.get(base + "/history").json()[0]["actor"] == us_coordinator.username
        listed = us.get("/api/v1/after-action-reports", {"state": "approved"}).json()
        assert [r["engagement_id"] for r in listed["items"]] == [engagement.pk]

    def test_return_and_follow_on(self, client_for, us_coordinator, engagement):
        us = client_for(us_coordinator)
        report = make_report(engagement, state=State.SUBMITTED, summary_en="x", attendance=1)
        base = f"/api/v1/engagements/{engagement.pk}/aar"
        no_reason = us.post(base + "/transitions/return", {}, content_type="application/json")
        assert no_reason.status_code == 422
        assert no_reason.json()["errors"][0]["field"] == "reason"
        returned = us.post(base + "/transitions/return", {"reason": "More detail."},
                           content_type="application/json")
        assert returned.json()["state"] == "returned"
        assert returned.json()["return_reason"] == "More detail."
        assert us.post(base + "/transitions/shred", {},
                       content_type="application/json").status_code == 422
        proposal = us.post(base + "/proposals", {"title_en": "Next", "title_es": "Siguiente",
                                                 "type": "workshop"},
                           content_type="application/json").json()
        made = us.post(f"{base}/proposals/{proposal['id']}/follow-on", {},
                       content_type="application/json")
        assert made.status_code == 201 and made.json()["state"] == "concept"
        assert FollowOnProposal.objects.get().engagement_id == made.json()["id"]
        assert report.pk == fresh(report).pk


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("state", [None, *State.values])
def test_the_report_page_renders_in_every_state_and_language(client_for, us_coordinator,
                                                             partnership, engagement, state,
                                                             language):
    objective, indicator = make_indicator(us_coordinator, partnership)
    engagement.objectives.set([objective])
    if state:
        report = make_report(engagement, state=state, summary_en="Shared lessons", attendance=2,
                             indicator_values={str(indicator.pk): "5.00"})
        apply_parent_marking(FollowOnProposal(report=report, title_en="Next",
                                              title_es="Siguiente", type="workshop"))
    client = client_for(us_coordinator, headers={"Accept-Language": language})
    page = client.get(reverse("engagements:aar", args=[engagement.pk]))
    assert page.status_code == 200
    if state:
        assert ("Siguiente" if language == "es" else "Next") in page.content.decode()
    for url in (reverse("engagements:aar_list"), reverse("engagements:dashboard"),
                reverse("engagements:calendar"), reverse("engagements:calendar_feeds")):
        assert client.get(url).status_code == 200, url
    if state:
        assert client.get(reverse("engagements:aar_marking",
                                  args=[engagement.pk])).status_code == 200


def _row(model, report, **fields):
    row = model(report=report, **fields)
    apply_parent_marking(row)
    return row


REPORT_ROWS = {
    "attendance": ("attendance", lambda r: _row(Attendance, r, nation=r.owner_nation, count=3,
                                                grade="Sierra grade"),
                   lambda row: row.grade),
    "observation": ("observations", lambda r: _row(Observation, r, kind="sustain",
                                                   topic="Sierra topic"),
                    lambda row: row.topic),
    "proposal": ("proposals", lambda r: _row(FollowOnProposal, r, title_en="Sierra follow-on",
                                             title_es="Sierra (es)", type="workshop"),
                 lambda row: row.title_en),
}


@pytest.mark.parametrize("kind", list(REPORT_ROWS))
def test_report_rows_obey_releasability(us_coordinator, mx_liaison, engagement, kind):
    """Attendance, observations and follow-on proposals have no page of their own: the report's
    page and the API's lists show them, and only with their report and its engagement."""
    api_name, make, text = REPORT_ROWS[kind]
    # Submitted: the page shows the rows as read, not in the draft's form.
    report = make_report(engagement, state=State.SUBMITTED)
    case = ReleasabilityCase(
        make=lambda user: make(report),
        list_url=reverse("engagements:aar", args=[engagement.pk]),
        detail_url=None,
        api_list_url=f"/api/v1/engagements/{engagement.pk}/aar/{api_name}",
        api_detail_url=None,
        export_url=None,
        text=text,
        parents=lambda row: [row.report, row.report.engagement],
    )
    assert_releasability(case, us_user=us_coordinator, mx_user=mx_liaison)
