"""A Mexican liaison opens Enlace in a Spanish browser, works in Spanish, switches to English
and signs out — and sees only what is releasable to Mexico."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", verbosity=0)


def test_spanish_browser_login_switch_to_english_and_logout(live_server, demo, open_page):
    page = open_page("es-MX")
    page.goto(live_server.url + "/")

    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text("Iniciar sesión en Enlace")
    page.fill("#id_login", "mx.liaison")
    page.fill("#id_password", DEMO_PASSWORD)
    page.get_by_test_id("login").click()

    expect(page.locator("h1")).to_have_text("Tablero")
    expect(page.get_by_test_id("welcome")).to_contain_text("Secretaría de la Defensa Nacional")
    partnerships = page.locator("#partnerships-heading").locator("..")
    expect(partnerships).to_contain_text("California – México")
    # Ukraine's and Nigeria's partnerships are not releasable to Mexico.
    expect(partnerships).not_to_contain_text("Ucrania")
    expect(partnerships).not_to_contain_text("Nigeria")

    page.get_by_test_id("language-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_have_text("Dashboard")
    expect(partnerships).to_contain_text("California – Mexico")

    page.get_by_test_id("logout").click()
    expect(page.locator("h1")).to_have_text("Sign in to Enlace")
    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/accounts/login/?next=/")
    assert page.console_errors == [], page.console_errors
