"""The CalGuard duty officer asks the optimizer for a plan for a Tijuana earthquake's generator
request, reviews it (routes through a port of entry, the independent check, the method that
made it and why, where the time went), sees the moves on the map, accepts it and follows the
offers it made — with no console error (the CSP allows no inline script or style)."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Organization, Role, User
from accounts.reference import load_reference
from response.models import Incident, Offer
from response.reference import load_reference as load_response_reference
from response.tests.factories import make_incident, make_request, make_unit

PASSWORD = "who-goes-where"


@pytest.fixture
def duty(transactional_db):
    load_reference()
    load_response_reference()  # a transactional test may run after the migration data is gone
    users = {}
    for username, acronym, role in (("t.plan.us", "CalGuard", "duty_officer"),
                                    ("t.plan.mx", "PC-BC", "liaison")):
        users[acronym] = User.objects.create_user(
            username=username, password=PASSWORD, email=f"{username}@x.test",
            organization=Organization.objects.get(acronym=acronym))
        users[acronym].groups.add(Role.objects.get(code=role))
    quake = make_incident(users["PC-BC"], name="Tijuana earthquake", latitude=32.5149,
                          longitude=-117.0382, rel_to=("USA",), kind=Incident.Kind.EARTHQUAKE)
    make_request(users["PC-BC"], quake, number="MEX-2026-0001", kind="GENERATOR", quantity=2,
                 rel_to=("USA",), needed_by=timezone.now() + timedelta(hours=10))
    for n in range(1, 4):
        make_unit(users["CalGuard"], name=f"Generator team {n}", kind="GENERATOR", headcount=3,
                  languages="en,es" if n == 1 else "en", home_base="San Diego",
                  home_latitude=32.7157, home_longitude=-117.1611)
    return users["CalGuard"], quake


@override_settings(MAP_TILE_URL="")
def test_propose_review_map_and_accept(live_server, duty, open_page):
    user, quake = duty
    url = live_server.url
    page = open_page("en-US")
    page.goto(url + "/")
    page.fill("#id_login", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_test_id("login").click()
    expect(page.get_by_test_id("logout")).to_be_visible()

    page.goto(url + "/response/proposals/")
    expect(page.locator(".empty")).to_contain_text("No proposal yet")
    page.get_by_test_id("add-proposal").click()
    form = page.get_by_test_id("proposal-form")
    form.locator("#id_incident").select_option(str(quake.pk))
    form.locator("#id_time_limit").fill("5")
    page.get_by_test_id("propose").click()

    # The job runs at once in tests: the plan is there when the page opens.
    expect(page.get_by_test_id("state")).to_have_text("Ready for review")
    expect(page.get_by_test_id("check")).to_contain_text("every constraint holds")
    rows = page.get_by_test_id("assignment")
    expect(rows).to_have_count(2)  # one of the three generators stays home (drawdown)
    expect(rows.first).to_contain_text("MEX-2026-0001")
    expect(rows.first).to_contain_text("Crossing at")
    expect(page.get_by_test_id("assignments")).to_contain_text("speaks Spanish and English")
    # Which method made the plan and why, and where the time went.
    expect(page.get_by_test_id("method-reason")).to_contain_text("this plan is optimal")
    expect(page.get_by_test_id("timing-build")).to_contain_text(
        "Building the instance from the records")
    expect(page.get_by_test_id("timing-total")).to_contain_text("Total")

    page.get_by_test_id("proposal-map").click()
    moves = page.locator(".leaflet-overlay-pane svg path.proposal-move")
    expect(moves).to_have_count(2)
    page.get_by_test_id("map-proposal").click()

    page.get_by_test_id("accept").click()
    expect(page.get_by_test_id("state")).to_have_text("Accepted")
    offers = page.get_by_test_id("offers").locator("li")
    expect(offers).to_have_count(1)
    # Each offer links itself and, for a reader who may see it, the request it answers.
    expect(offers.first.locator("a").nth(1)).to_have_text("MEX-2026-0001")
    offers.first.locator("a").first.click()
    expect(page.get_by_test_id("offer-lines")).to_contain_text("Generator team")
    expect(page.get_by_test_id("state").first).to_have_text("Offered")
    offer = Offer.objects.get()
    assert offer.request.number == "MEX-2026-0001" and offer.lines.count() == 2
    assert page.console_errors == []
