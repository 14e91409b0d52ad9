"""The counterpart notification protocol end to end: the CalGuard duty officer (English)
reports a wildfire crossing the line on Otay Mountain, released to Mexico; the Baja California
civil protection liaison (Spanish browser) finds the notice waiting for her organization and
acknowledges it on the event's page; the duty officer's event page then shows who acknowledged,
when, and the time-to-notify — with no console error (the CSP allows no inline script)."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Organization, Role, User
from accounts.reference import load_reference
from border.contact_matrix import load_contact_matrix
from border.models import BorderEvent, BorderEventKind, Notice
from border.reference import load_event_kinds
from response.reference import load_reference as load_response_reference

PASSWORD = "notify-the-other-side"


@pytest.fixture
def people(transactional_db):
    load_reference()
    load_response_reference()
    load_event_kinds(BorderEventKind)  # a transactional test may run after the migration data
    load_contact_matrix()
    users = {}
    for username, acronym, role, first, last, zone in (
            ("us.duty", "CalGuard", "duty_officer", "Dana", "Whitfield", "America/Los_Angeles"),
            ("mx.bc", "PC-BC", "liaison", "Lucía", "Navarro Peña", "America/Tijuana")):
        users[username] = User.objects.create_user(
            username=username, password=PASSWORD, email=f"{username}@x.test",
            first_name=first, last_name=last, time_zone=zone,
            organization=Organization.objects.get(acronym=acronym))
        users[username].groups.add(Role.objects.get(code=role))
    return users["us.duty"], users["mx.bc"]


def login(page, url, user):
    page.goto(url + "/")
    page.fill("#id_login", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_test_id("login").click()
    expect(page.get_by_test_id("logout")).to_be_visible()


def test_a_fire_reported_by_the_us_is_acknowledged_by_mexico(live_server, people, open_page):
    url = live_server.url
    duty, bc = people
    started = timezone.localtime(timezone.now() - timedelta(minutes=25),
                                 ZoneInfo(duty.time_zone))

    # ---- us.duty, English: reports the fire, released to Mexico with disclosure approved ----
    us = open_page("en-US")
    login(us, url, duty)
    us.goto(url + "/border/new/")
    form = us.get_by_test_id("event-form")
    form.locator("#id_e-kind").select_option(
        str(BorderEventKind.objects.get(code="wildfire").pk))
    form.locator("#id_e-title_en").fill("Otay Mountain fire crossing the line")
    form.locator("#id_e-title_es").fill("Incendio del cerro Otay que cruza la línea")
    form.locator("#id_e-severity").select_option("severe")
    form.locator("#id_e-started_at").fill(started.strftime("%Y-%m-%dT%H:%M"))
    form.locator("#id_e-latitude").fill("32.5851")
    form.locator("#id_e-longitude").fill("-116.8602")
    form.locator("input[name='m-rel_to'][value='MEX']").check()
    form.locator("#id_m-disclosure").select_option("approved")
    form.locator("button[type=submit]").click()
    notices = us.get_by_test_id("notices")
    expect(notices.locator("[data-organization='PC-BC']")).to_have_attribute(
        "data-state", "pending")
    expect(notices.locator("[data-organization='DEFENSA']")).to_be_visible()
    expect(notices.get_by_test_id("acknowledge")).to_have_count(0)  # not the US side's to do
    event = BorderEvent.objects.get(title_en="Otay Mountain fire crossing the line")

    # ---- mx.bc, Spanish: the notice waits for her organization; she acknowledges it ----
    mx = open_page("es-MX")
    login(mx, url, bc)
    expect(mx.locator("html")).to_have_attribute("lang", "es")
    mx.goto(url + "/border/notices/")
    waiting = mx.get_by_test_id("waiting-notices")
    expect(waiting.get_by_test_id("notice")).to_have_count(1)
    expect(waiting).to_contain_text("Incendio del cerro Otay que cruza la línea")
    waiting.get_by_role("link", name="Incendio del cerro Otay que cruza la línea").click()
    row = mx.locator("[data-testid='notice'][data-organization='PC-BC']")
    expect(row).to_contain_text("En espera de acuse de recibo")
    row.get_by_test_id("acknowledge").click()
    row = mx.locator("[data-testid='notice'][data-organization='PC-BC']")
    expect(row).to_have_attribute("data-state", "acknowledged")
    expect(row.get_by_test_id("notice-state")).to_have_text("Recibo acusado")
    expect(mx.locator("[data-organization='DEFENSA']").get_by_test_id("acknowledge")).to_have_count(0)

    notice = Notice.objects.get(event=event, organization__acronym="PC-BC")
    assert notice.acknowledged_by == bc and notice.state == Notice.State.ACKNOWLEDGED

    # ---- us.duty again: who acknowledged, when, and the time-to-notify ----
    us.goto(url + event.get_absolute_url())
    row = us.locator("[data-testid='notice'][data-organization='PC-BC']")
    expect(row.get_by_test_id("acknowledged")).to_contain_text("Lucía Navarro Peña (PC-BC)")
    expect(row.get_by_test_id("notice-state")).to_have_text("Acknowledged")
    expect(us.get_by_test_id("time-to-notify")).to_contain_text("Time to notify")
    # Started 25 minutes before the report (to the minute the form takes).
    expect(us.get_by_test_id("time-to-notify")).to_contain_text("min")
    minutes = (notice.sent_at - event.started_at).total_seconds() / 60
    assert 24 <= minutes <= 27
    expect(us.get_by_test_id("time-to-notify")).to_contain_text(f"{round(minutes)} min")
    assert us.console_errors == [] and mx.console_errors == []
