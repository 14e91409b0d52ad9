"""A coordinator follows an objective: approves it with its button, records a measurement through
the form, and reads its progress — the server-drawn SVG charts and progress bars — with no
console error (the CSP allows no inline script or style)."""

import pytest
from playwright.sync_api import expect

from accounts.models import Organization, Role, User
from accounts.reference import load_reference
from partnerships.tests.factories import make_program

PASSWORD = "program-browser-test"


@pytest.fixture
def coordinator_and_program(transactional_db):
    load_reference()
    coordinator = User.objects.create_user(
        username="t.browser.coordinator", password=PASSWORD, email="c@x.test",
        organization=Organization.objects.get(acronym="CalGuard"))
    coordinator.groups.add(Role.objects.get(code="coordinator"))
    return coordinator, make_program(coordinator)


def test_coordinator_approves_an_objective_and_records_progress(live_server, open_page,
                                                                coordinator_and_program):
    coordinator, (partnership, line, objective, indicator) = coordinator_and_program
    page = open_page("en-US")
    page.goto(live_server.url + "/")
    page.fill("#id_login", coordinator.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_test_id("login").click()
    expect(page.locator("h1")).to_have_text("Dashboard")

    page.goto(live_server.url + partnership.get_absolute_url())
    expect(page.get_by_role("img", name=indicator.name_en)).to_be_visible()
    page.get_by_role("link", name="HADR-1 Interoperable incident command").click()
    expect(page.get_by_test_id("state")).to_have_text("Draft")
    page.get_by_test_id("transition-approved").click()
    expect(page.get_by_test_id("state")).to_have_text("Approved")

    page.get_by_role("link", name="Record a measurement").first.click()
    page.fill("#id_r-value", "30")
    page.fill("#id_r-as_of", "2025-01-01")
    page.fill("#id_r-source", "Exercise roster")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_contain_text("30")

    page.goto(live_server.url + partnership.get_absolute_url())
    page.get_by_test_id("progress-link").click()
    expect(page.locator("h1")).to_contain_text("Objective progress")
    row = page.get_by_test_id(f"indicator-row-{indicator.pk}")
    expect(row.get_by_test_id("latest-value")).to_contain_text("30")
    expect(row.get_by_test_id("percent")).to_contain_text("30%")
    assert page.console_errors == []
