"""The DEFENSA liaison opens the map in Spanish with no tile server configured: the offline
outline and the boundary are drawn as SVG, the incident released to Mexico is on the map and
the US-only one is not — with no console error (the CSP allows no inline script or style)."""

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from accounts.models import Organization, Role, User
from accounts.reference import load_reference
from border.contact_matrix import load_contact_matrix
from border.tests.factories import ensure_kinds
from border.tests.factories import report as report_border_event
from response.reference import load_reference as load_response_reference
from response.tests.factories import (
    make_agreement,
    make_deployment,
    make_incident,
    make_offer,
    make_request,
    make_unit,
)

PASSWORD = "common-operating-picture"


@pytest.fixture
def liaison(transactional_db):
    load_reference()
    load_response_reference()  # a transactional test may run after the migration data is gone
    users = {}
    for username, acronym, role in (("t.map.us", "CalOES", "duty_officer"),
                                    ("t.map.mx", "DEFENSA", "liaison")):
        users[acronym] = User.objects.create_user(
            username=username, password=PASSWORD, email=f"{username}@x.test",
            organization=Organization.objects.get(acronym=acronym))
        users[acronym].groups.add(Role.objects.get(code=role))
    released = make_incident(users["CalOES"], name="Palisades Fire")
    make_incident(users["CalOES"], name="Airport Fire", latitude=33.66, longitude=-117.55,
                  rel_to=())
    return users["DEFENSA"], released


def expect_legend(page):
    """A legend in Spanish for every symbol: incidents by status and the perimeter, border
    events and their perimeter, border events by their counterpart notices' status,
    deployments by state (each with its step number), units by availability, ports by their
    status on the status board, the line and the zone."""
    legend = page.locator(".map-legend")
    expect(legend.locator("summary")).to_have_text("Simbología")
    if legend.get_attribute("open") is None:  # closed on a small map: the reader opens it
        legend.locator("summary").click()
    expect(legend.locator("li").first).to_be_visible()
    expect(legend.locator("h3")).to_have_count(8)
    expect(legend.locator("li")).to_have_count(3 + 1 + 2 + 2 + 5 + 8 + 4 + 3 + 1 + 2)
    expect(legend.locator(".deployment-step")).to_have_text([str(n) for n in range(1, 9)])
    for text in ("Activo", "Perímetro", "Eventos fronterizos (reales)", "Evento fronterizo",
                 "En tránsito", "Disponible", "Garitas (puertos fronterizos)", "Restringida",
                 "Sin situación reportada", "Frontera", "Zona fronteriza (16 km)",
                 "Avisos a la contraparte", "Vencido", "Escalado",
                 "En espera (dentro del plazo)", "Todos con acuse de recibo",
                 "Sin aviso a la contraparte", "Alertas CAP recibidas", "Alerta CAP",
                 "Área de la alerta"):
        expect(legend).to_contain_text(text)
    # Each notice status its own sign inside the border event's diamond (none: no sign).
    statuses = legend.locator("li").filter(has=page.locator("svg.border-event-symbol"))
    signs = [s.get_attribute("d") for s in statuses.locator(".symbol-sign").all()]
    assert len(signs) == len(set(signs)) == 4


def within(inner, outer):
    return (inner["x"] >= outer["x"] and inner["y"] >= outer["y"]
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"]
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"])


def open_map(live_server, open_page, user, locale="es-MX"):
    page = open_page(locale)
    page.goto(live_server.url + "/")
    page.fill("#id_login", user.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_test_id("login").click()
    expect(page.get_by_test_id("logout")).to_be_visible()
    page.goto(live_server.url + "/response/map/")
    return page


@override_settings(MAP_TILE_URL="")
def test_liaison_sees_the_offline_map_in_spanish(live_server, liaison, open_page):
    liaison, released = liaison
    # A fire on Otay Mountain reported by Cal OES: Baja California civil protection and
    # DEFENSA are notified, and neither has acknowledged yet.
    ensure_kinds()  # the matrix names the kinds; a flushed database lacks the migration's
    load_contact_matrix()
    fire = report_border_event(User.objects.get(username="t.map.us"))
    page = open_map(live_server, open_page, liaison)
    overlay = page.locator(".leaflet-overlay-pane svg")
    expect(overlay.locator("path.boundary")).to_have_count(1)
    expect(overlay.locator("path.outline-land")).to_have_count(2)  # the USA and Mexico
    expect(overlay.locator("path.outline-coast_and_borders")).to_have_count(1)
    expect(overlay.locator("path.border-zone")).to_have_count(1)
    assert overlay.locator("path.boundary").get_attribute("d").startswith("M")
    # No tile layer: nothing asked of a tile server.
    expect(page.locator(".leaflet-tile-pane img")).to_have_count(0)

    # The incident released to Mexico, not the US-only one; its popup in Spanish, linked.
    incidents = page.locator(".incident-marker")
    expect(incidents).to_have_count(1)
    # Told by its shape and sign, and its status in words, not by its colour.
    expect(incidents).to_have_attribute("title", "Incendio Palisades Fire — Activo")
    expect(incidents.locator("svg.incident-symbol.status-active path.symbol-sign")) \
        .to_have_count(1)
    incidents.first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    expect(popup).to_contain_text("Incendio Palisades Fire")
    expect(popup.locator("a")).to_have_attribute("href", released.get_absolute_url())
    expect(page.locator(".leaflet-control-layers")).to_be_visible()
    # Leaflet's own controls speak the reader's language too.
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("title", "Acercar")
    expect(page.locator(".leaflet-control-layers-toggle")).to_have_attribute("title", "Capas")
    expect_legend(page)

    # The border event: its notices' status by its sign, and in words in its popup.
    event = page.locator(".border-event-marker")
    expect(event).to_have_count(1)
    expect(event.locator("svg.border-event-symbol.notice-waiting path.symbol-sign")) \
        .to_have_count(1)
    expect(event).to_have_attribute(
        "title", "Incendio Otay Mountain Fire — Reportado — En espera (dentro del plazo)")
    page.keyboard.press("Escape")  # the incident's popup closes
    event.first.click(force=True)
    popup = page.locator(".leaflet-popup-content").filter(has_text="Otay Mountain")
    expect(popup.locator("a")).to_have_attribute("href", fire.get_absolute_url())
    expect(popup).to_contain_text("Avisos a la contraparte")
    expect(popup).to_contain_text("En espera (dentro del plazo) (2 contrapartes en espera)")
    assert page.locator("#map-error").is_hidden()
    assert page.console_errors == []


# A tile server that answers nothing but errors: the outline and the boundary are still drawn.
@override_settings(MAP_TILE_URL="/no-tiles-here/{z}/{x}/{y}.png",
                   MAP_TILE_ATTRIBUTION="Tiles <b>Test</b>")
def test_when_tiles_fail_the_outline_stays(live_server, liaison, open_page):
    page = open_map(live_server, open_page, liaison[0])
    # The attribution is shown as text, never as markup.
    expect(page.locator(".leaflet-control-attribution")).to_contain_text("Tiles <b>Test</b>")
    overlay = page.locator(".leaflet-overlay-pane svg")
    expect(page.locator(".leaflet-tile-pane img").first).to_be_attached()
    expect(overlay.locator("path.outline-land")).to_have_count(2)
    expect(overlay.locator("path.boundary")).to_have_count(1)
    assert not [e for e in page.console_errors if "Content Security Policy" in e]


@override_settings(MAP_TILE_URL="")
def test_the_default_view_shows_the_border_and_every_active_incident(
        live_server, liaison, open_page):
    """Los Cabos, 1,000 km south of the line, is in view with the whole border (San Ysidro at
    its west end) and the fire in Los Angeles; the view never leaves the outline's land."""
    liaison, _released = liaison
    odile = make_incident(liaison, name="Hurricane Odile", kind="hurricane", latitude=22.8905,
                          longitude=-109.9167, state_region="BCS", rel_to=("USA",))
    us_user = User.objects.get(username="t.map.us")
    request = make_request(liaison, odile, number="BCS-2025-001", rel_to=("USA",))
    make_deployment(us_user, make_agreement(
        liaison, us_user, request=request, offer=make_offer(us_user, request, rel_to=("MEX",))),
        name="Cal OES USAR", state="in_transit",
        arrival_airport="Los Cabos International Airport (SJD)")
    page = open_map(live_server, open_page, liaison)
    overlay = page.locator(".leaflet-overlay-pane svg")
    expect(page.locator(".incident-marker")).to_have_count(2)
    map_box = page.get_by_test_id("map").bounding_box()
    # The view settles on every active incident once their layer has arrived.
    page.wait_for_function(
        """() => [...document.querySelectorAll('.incident-marker')].every(p => {
             const r = p.getBoundingClientRect(), m = document.getElementById('map')
               .getBoundingClientRect();
             return r.left >= m.left && r.right <= m.right && r.top >= m.top
               && r.bottom <= m.bottom; })""")
    for incident in page.locator(".incident-marker").all():
        assert within(incident.bounding_box(), map_box)
    assert within(overlay.locator("path.boundary").bounding_box(), map_box)

    # The deployment in transit: its step in the lifecycle on the badge, its state in words on
    # hover, its route dashed (on the way) — not a colour alone.
    badge = page.locator(".deployment-marker")
    expect(badge).to_have_count(1)
    expect(badge).to_have_text("2")
    expect(overlay.locator("path.deployment.route.state-in_transit")).to_have_count(1)
    badge.hover()
    expect(page.locator(".leaflet-tooltip")).to_have_text("Cal OES USAR — 2. En tránsito")
    assert page.console_errors == []


@pytest.mark.parametrize("locale, words", [
    ("en-US", {"incident": ["Active", "Contained", "Closed"],
               "unit": ["Available", "Committed", "Deployed", "Out of service"],
               "title": "Tecate search team — Out of service"}),
    ("es-MX", {"incident": ["Activo", "Controlado", "Cerrado"],
               "unit": ["Disponible", "Comprometida", "Desplegada", "Fuera de servicio"],
               "title": "Tecate search team — Fuera de servicio"}),
])
@override_settings(MAP_TILE_URL="")
def test_incidents_and_units_are_told_apart_without_colour(live_server, liaison, open_page,
                                                           locale, words):
    """Incidents are triangles and units squares, each status or availability with its own sign
    inside, on the map and in the legend, which names each in the reader's language."""
    liaison, _released = liaison
    make_unit(liaison, name="Tecate search team", home_base="Tecate", home_latitude=32.57,
              home_longitude=-116.63, availability="out_of_service", rel_to=())
    page = open_map(live_server, open_page, liaison, locale)
    legend = page.locator(".map-legend")
    if legend.get_attribute("open") is None:
        legend.locator("summary").click()
    for kind, shape in (("incident", "path:first-child"), ("unit", "rect")):
        symbols = legend.locator(f"svg.{kind}-symbol")
        expect(symbols).to_have_count(len(words[kind]))
        expect(symbols.locator(shape)).to_have_count(len(words[kind]))
        signs = [sign.get_attribute("d") for sign in symbols.locator(".symbol-sign").all()]
        assert len(set(signs)) == len(words[kind])  # a different sign for each
        expect(legend.locator("li").filter(has=page.locator(f"svg.{kind}-symbol"))) \
            .to_have_text(words[kind])

    unit = page.locator(".unit-marker")
    expect(unit).to_have_count(1)
    expect(unit).to_have_attribute("title", words["title"])
    expect(unit.locator("svg.unit-symbol.availability-out_of_service rect")).to_have_count(1)
    expect(page.locator(".incident-marker svg.incident-symbol.status-active")).to_have_count(1)
    assert page.console_errors == []
