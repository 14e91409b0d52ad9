"""Pickers from the keyboard. A personnel officer picks an order's units by typing: Enter in
the search box adds the highlighted unit to the chosen list instead of submitting the form, a
unit is removed with its button, and the order saved covers the members of the units left
chosen. In a single picker (a person's Guard member record) Enter chooses the first match."""

from playwright.sync_api import expect

from accounts.models import Nation
from accounts.reference import load_reference
from accounts.tests.personas import persona
from personnel.models import Order, Unit
from personnel.tests.factories import make_member

# The personnel order test's officer and members, a fixture shared by import.
from tests.browser.test_personnel_order import (  # noqa: F401
    PASSWORD,
    fill_federalization,
    officer_and_members,
)


def test_enter_in_the_search_box_chooses_and_never_submits(live_server, request, open_page):
    officer, members = request.getfixturevalue("officer_and_members")
    usa = Nation.objects.get(code="USA")
    other = Unit.objects.create(code="T-1-161IN", name="1st Battalion, 161st Infantry",
                                owner_nation=usa)
    other.rel_to.set([usa])
    page = open_page("en-US")
    page.goto(live_server.url + "/")
    page.fill("#id_login", officer.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_test_id("login").click()
    expect(page.locator("h1")).to_have_text("Dashboard")
    page.goto(live_server.url + "/personnel/orders/new/")
    expect(page.locator("h1")).to_have_text("New order")
    page.evaluate("window.stillHere = true")  # gone if the form were submitted

    search = page.get_by_label("Units")
    chosen = page.get_by_test_id("chosen-o-units")
    matches = page.locator("#id_o-units")
    search.fill("infantry")
    expect(matches.locator("option")).to_have_count(2)
    search.press("ArrowDown")
    search.press("ArrowDown")  # the second match: 161st
    search.press("Enter")
    expect(chosen.locator("li")).to_have_text(["T-1-161IN 1st Battalion, 161st Infantry ×"])
    search.fill("160")
    expect(matches.locator("option")).to_have_count(1)
    search.press("Enter")  # nothing highlighted: the first match
    expect(chosen.locator("li")).to_have_count(2)
    search.press("Enter")  # chosen once only
    expect(chosen.locator("input[type=hidden]")).to_have_count(2)
    assert page.evaluate("window.stillHere") is True
    assert not Order.objects.exists()

    # Removed from the keyboard; the search box has the focus back.
    remove = chosen.get_by_role("button", name="Remove T-1-161IN 1st Battalion, 161st Infantry")
    remove.focus()
    page.keyboard.press("Enter")
    expect(chosen.locator("li")).to_have_text(["T-1-160IN 1st Battalion, 160th Infantry ×"])
    expect(search).to_be_focused()

    fill_federalization(page)
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("h1")).to_have_text("Federalization for border support")
    assert set(Order.objects.get().members.all()) == set(members)
    assert page.console_errors == []


def test_enter_in_a_single_pickers_search_box_chooses_the_first_match(live_server, open_page,
                                                                      transactional_db):
    load_reference()
    coordinator = persona("coordinator", "USA")
    soto = make_member("T70001", last_name="Sotomayor")
    make_member("T70002", last_name="Sotelo")
    page = open_page("en-US")
    page.goto(live_server.url + "/")
    page.fill("#id_login", coordinator.username)
    page.fill("#id_password", "correct horse battery")
    page.get_by_test_id("login").click()
    expect(page.locator("h1")).to_have_text("Dashboard")
    page.goto(live_server.url + "/engagements/people/new/")
    page.evaluate("window.stillHere = true")
    picker = page.get_by_test_id("picker-p-guard_member")
    search = picker.locator("input[type=search]")
    search.fill("sotomayor")
    expect(picker.locator("option[value]:not([value=''])")).to_have_count(1)
    search.press("Enter")
    expect(page.locator("#id_p-guard_member")).to_have_value(str(soto.pk))
    assert page.evaluate("window.stillHere") is True
    assert page.console_errors == []
