"""A personnel officer federalizes three members on State Active Duty: the roster counts them
under the governor, the new order's preview lists them moving to Title 10, applying it moves
them under the President — with no console error (the CSP allows no inline script or style)."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Nation, Organization, Role, User
from accounts.reference import load_reference
from personnel import services
from personnel.models import DutyStatus, Unit

PASSWORD = "federal-orders-test"
NAMES = ["Alvarez", "Becerra", "Cardenas"]


@pytest.fixture
def officer_and_members(transactional_db):
    load_reference()
    officer = User.objects.create_user(
        username="t.browser.j1", password=PASSWORD, email="j1@x.test",
        organization=Organization.objects.get(acronym="CalGuard"))
    officer.groups.add(Role.objects.get(code="personnel_officer"))
    usa = Nation.objects.get(code="USA")
    unit = Unit.objects.create(code="T-1-160IN", name="1st Battalion, 160th Infantry",
                               owner_nation=usa)
    unit.rel_to.set([usa])
    since = timezone.now() - timedelta(days=10)
    members = []
    for n, name in enumerate(NAMES):
        member = services.create_member(officer, service_number=f"T9{n:03d}", last_name=name,
                                        first_name="Luis", grade="E-5", unit=unit)
        services.add_period(officer, member, status=DutyStatus.SAD, start=since)
        members.append(member)
    return officer, members


def fill_federalization(page):
    """The new order's own fields: a federalization effective an hour ago."""
    page.select_option("#id_o-kind", "federalization")
    page.fill("#id_o-title_en", "Federalization for border support")
    page.fill("#id_o-title_es", "Federalización para apoyo fronterizo")
    page.fill("#id_o-reference", "FED-T-07")
    page.fill("#id_o-issued_by", "Secretary of Defense")
    effective = timezone.localtime(timezone.now() - timedelta(hours=1))
    page.fill("#id_o-effective_at", effective.strftime("%Y-%m-%dT%H:%M"))
    page.select_option("#id_o-target_status", "t10_12406")
    page.fill("#id_o-legal_basis", "10 U.S.C. 12406")


def test_officer_federalizes_members_and_the_roster_follows(live_server, officer_and_members,
                                                            open_page):
    officer, members = officer_and_members
    page = open_page("en-US")
    page.goto(live_server.url + "/")
    page.fill("#id_login", officer.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_test_id("login").click()
    expect(page.locator("h1")).to_have_text("Dashboard")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Personnel").click()
    expect(page.locator("h1")).to_have_text("Roster")
    expect(page.get_by_test_id("count-total")).to_have_text("3")
    expect(page.get_by_test_id("count-governor")).to_have_text("3")
    expect(page.get_by_test_id("count-president")).to_have_text("0")
    for name in NAMES:
        expect(page.get_by_test_id("roster")).to_contain_text(name)

    page.get_by_role("link", name="New order").first.click()
    expect(page.locator("h1")).to_have_text("New order")
    fill_federalization(page)
    page.fill("#id_o-service_numbers", "\n".join(m.service_number for m in members))
    page.get_by_role("button", name="Save draft").click()

    expect(page.locator("h1")).to_have_text("Federalization for border support")
    expect(page.get_by_test_id("order-state")).to_have_text("Draft")
    expect(page.get_by_test_id("preview-changing")).to_have_text("3")
    expect(page.get_by_test_id("preview-conflicting")).to_have_text("0")
    rows = page.get_by_test_id("preview-table").locator("tbody tr")
    expect(rows).to_have_count(3)
    for name in NAMES:
        row = rows.filter(has_text=name)
        expect(row).to_contain_text("State Active Duty")
        expect(row).to_contain_text("Title 10 federalized (10 U.S.C. 12406)")

    page.get_by_test_id("apply").click()
    expect(page.locator(".messages")).to_contain_text("3 members changed duty status")
    expect(page.get_by_test_id("order-state")).to_have_text("Applied")
    expect(page.get_by_test_id("effects-table").locator("tbody tr")).to_have_count(3)

    page.get_by_role("link", name="Roster", exact=True).click()
    expect(page.get_by_test_id("count-president")).to_have_text("3")
    expect(page.get_by_test_id("count-governor")).to_have_text("0")
    expect(page.get_by_test_id("count-t10_12406")).to_have_text("3")
    expect(page.get_by_test_id("roster")).to_contain_text("President (federal control)")

    # The htmx filter narrows the roster in place.
    page.select_option("select[name=authority]", "governor")
    expect(page.get_by_test_id("roster")).to_have_count(0)
    expect(page.locator("#results")).to_contain_text("No member matches")
    assert page.console_errors == [], page.console_errors
