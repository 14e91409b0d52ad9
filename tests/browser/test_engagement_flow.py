"""Two nations, two languages, one engagement: the California coordinator (English) plans it,
funds it, is stopped at "ready" by a Mexican participant's pending vetting, clears it and runs
the engagement; the DEFENSA liaison (Spanish browser) writes and submits the after-action
report; the coordinator approves it and records the engagement complete — and the dashboard's
"not yet recorded complete" list drops it."""

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD
from accounts.models import Nation, Organization
from engagements.models import AfterActionReport, Engagement
from partnerships.models import Objective, Partnership

TITLE = "Coordinated-operations staff planning workshop, Tijuana"
PERSON = "Coronel Rogelio Ibarra Quintana"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def login(page, url, username):
    page.goto(url + "/")
    page.fill("#id_login", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_test_id("login").click()
    expect(page.get_by_test_id("logout")).to_be_visible()


def step(page, name):
    page.get_by_test_id(f"transition-{name}").click()
    expect(page.get_by_test_id("state").first).to_have_text(str(Engagement.State(name).label))


def not_recorded_count(page, url):
    page.goto(url + "/engagements/dashboard/")
    return int(page.get_by_test_id("not-recorded-count").inner_text())


def test_plan_run_and_record_an_engagement_in_two_nations_and_languages(
        live_server, demo, open_page):
    url = live_server.url
    today = timezone.localdate()
    start, end = today - timedelta(days=60), today - timedelta(days=55)
    partnership = Partnership.objects.get(us_state="CA", partner_nation__code="MEX")
    objective = Objective.objects.get(code="TRAIN-1", line_of_effort__partnership=partnership)
    defensa = Organization.objects.get(acronym="DEFENSA")
    mex, usa = (str(Nation.objects.get(code=c).pk) for c in ("MEX", "USA"))

    # ---- us.coordinator, English: plan it ----
    us = open_page("en-US")
    login(us, url, "us.coordinator")
    waiting_before = not_recorded_count(us, url)

    us.goto(url + "/engagements/new/")
    form = us.get_by_test_id("engagement-form")
    form.locator("#id_e-partnership").select_option(str(partnership.pk))
    form.locator("#id_e-title_en").fill(TITLE)
    form.locator("#id_e-title_es").fill("Taller de planeación de estado mayor en operaciones "
                                        "coordinadas, Tijuana")
    form.locator("#id_e-type").select_option("workshop")
    form.locator("#id_e-direction").select_option("to_partner")
    form.locator("#id_e-location").fill("Tijuana, Baja California")
    form.locator("#id_e-start_date").fill(start.isoformat())
    form.locator("#id_e-end_date").fill(end.isoformat())
    form.locator(f"input[name='e-objectives'][value='{objective.pk}']").check()
    form.locator("input[name='m-rel_to'][value='MEX']").check()
    form.locator("#id_m-disclosure").select_option("approved")
    form.locator("button[type=submit]").click()
    expect(us.get_by_test_id("state").first).to_have_text("Concept")
    engagement = Engagement.objects.get(title_en=TITLE)
    assert us.url.rstrip("/").endswith(f"/engagements/{engagement.pk}")
    assert set(engagement.rel_to.values_list("code", flat=True)) == {"USA", "MEX"}

    step(us, "nominated")
    step(us, "approved")
    us.get_by_test_id("add-budget-line").click()
    budget = us.get_by_test_id("budget-line-form")
    budget.locator("#id_b-description").fill("Travel and per diem")
    budget.locator("#id_b-amount").fill("12500")
    budget.locator("#id_b-fund_source").fill("SPP (10 U.S.C. 341)")
    budget.locator("#id_b-state").select_option("allotted")
    budget.locator("button[type=submit]").click()
    expect(us.get_by_test_id("budget-lines")).to_contain_text("Travel and per diem")
    step(us, "funded")
    step(us, "preparing")

    # A Mexican security-force member whose Leahy vetting is pending.
    us.get_by_test_id("add-participant").click()
    person = us.get_by_test_id("participant-form")
    person.locator("#id_p-full_name").fill("Rogelio Ibarra Quintana")
    person.locator("#id_p-nation").select_option(mex)
    person.locator("#id_p-organization").select_option(str(defensa.pk))
    person.locator("#id_p-grade").fill("Coronel")
    person.locator("#id_p-role").select_option("partner_military")
    person.locator("#id_p-security_force").check()
    person.locator("#id_g-vetting").select_option("pending")
    person.locator("#id_g-briefing_disclosure").select_option("cleared")
    person.locator("button[type=submit]").click()
    expect(us.get_by_test_id("participants")).to_contain_text(PERSON)

    # "Ready" is refused, and the checklist says why.
    ready = us.get_by_test_id("transition-ready")
    expect(ready).to_be_disabled()
    expect(us.locator("#refusal-ready")).to_contain_text(f"Vetting pending for {PERSON}.")
    us.get_by_test_id("checklist-link").click()
    blocker = us.get_by_test_id("blockers").locator("li[data-gate=vetting]")
    expect(blocker).to_contain_text(f"Vetting pending for {PERSON}.")

    # Clear the vetting on the participant's gates.
    blocker.get_by_role("link").click()
    us.get_by_test_id("record-gates").click()
    gates = us.get_by_test_id("gates-form")
    gates.locator("#id_g-vetting").select_option("approved")
    gates.locator("#id_g-vetting_reference").fill("INVEST-2026-0417")
    gates.locator("button[type=submit]").click()
    expect(us.get_by_test_id("gate-vetting")).to_contain_text("Approved")

    us.goto(url + engagement.get_absolute_url())
    expect(us.get_by_test_id("ready")).to_be_visible()
    step(us, "ready")
    step(us, "in_execution")
    step(us, "executed")
    assert not_recorded_count(us, url) == waiting_before + 1
    expect(us.get_by_test_id("not-recorded")).to_contain_text(TITLE)

    # ---- mx.liaison, Spanish browser: write and submit the report ----
    mx = open_page("es-MX")
    login(mx, url, "mx.liaison")
    expect(mx.locator("html")).to_have_attribute("lang", "es")
    mx.goto(url + f"/engagements/{engagement.pk}/aar/")
    mx.get_by_test_id("start-aar").click()
    aar = mx.get_by_test_id("aar-form")
    aar.locator("#id_aar-summary_es").fill(
        "El taller alineó los procedimientos de planeación de estado mayor de ambas "
        "instituciones y acordó un calendario de ejercicios para 2027.")
    aar.locator("button[type=submit]").click()
    expect(mx.locator("#id_aar-summary_es")).to_have_value(re.compile("El taller alineó"))
    attendance = mx.get_by_test_id("attendance-form")
    attendance.locator("#id_att-0-nation").select_option(mex)
    attendance.locator("#id_att-0-organization").select_option(str(defensa.pk))
    attendance.locator("#id_att-0-count").fill("9")
    attendance.locator("#id_att-1-nation").select_option(usa)
    attendance.locator("#id_att-1-count").fill("5")
    attendance.locator("button[type=submit]").click()
    expect(mx.get_by_test_id("attendance-form").locator("#id_att-0-count")).to_have_value("9")
    mx.get_by_test_id("submit-aar").click()
    expect(mx.get_by_test_id("submit-aar")).to_have_count(0)
    report = AfterActionReport.objects.get(engagement=engagement)
    assert report.state == AfterActionReport.State.SUBMITTED
    assert report.submitted_by.username == "mx.liaison" and report.summary_es

    # ---- us.coordinator: approve, record complete with the tracking reference ----
    us.goto(url + f"/engagements/{engagement.pk}/aar/")
    us.get_by_test_id("approve-aar").click()
    expect(us.get_by_test_id("aar-state")).to_have_text("Approved")
    us.goto(url + engagement.get_absolute_url())
    expect(us.get_by_test_id("state").first).to_have_text("AAR submitted")
    us.fill("#recorded_complete-tracking", "SPP-MEX-27-0042")
    step(us, "recorded_complete")
    us.get_by_test_id("aar-link").click()
    us.get_by_test_id("record-aar").click()
    expect(us.get_by_test_id("aar-state")).to_have_text("Recorded")

    engagement.refresh_from_db()
    assert engagement.state == Engagement.State.RECORDED_COMPLETE
    assert engagement.tracking_reference == "SPP-MEX-27-0042"
    assert not_recorded_count(us, url) == waiting_before
    expect(us.get_by_test_id("not-recorded")).not_to_contain_text(TITLE)

    assert us.console_errors == [], us.console_errors
    assert mx.console_errors == [], mx.console_errors
