"""The map page: it hands Leaflet the layer endpoints, the labels in the reader's language and
the tile URL (none: the offline outline only), runs no inline script, and with `?incident=`
shows one incident the reader may see (another is a 404)."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains

from response.models import Deployment
from response.tests.factories import make_incident

TILES = "https://tiles.example.test/{z}/{x}/{y}.png"


def map_config(response):
    content = response.content.decode()
    start = content.index('<script id="map-config" type="application/json">')
    body = content[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def test_map_needs_a_signed_in_user(db):
    response = Client().get(reverse("response:map"))
    assert response.status_code == 302 and "login" in response["Location"]


@override_settings(MAP_TILE_URL="")
def test_map_without_tiles_for_a_mexican_reader_in_spanish(mx_liaison, client_for):
    response = client_for(mx_liaison, HTTP_ACCEPT_LANGUAGE="es").get(reverse("response:map"))
    assert response.status_code == 200
    assertContains(response, 'data-tile-url=""')
    assertContains(response, "vendor/leaflet/leaflet.js")
    assertContains(response, "response/map.js")
    # The only scripts are files and the non-executed JSON (the CSP allows no inline script).
    content = response.content.decode()
    assert content.count("<script") == content.count('<script src="') + 1
    config = map_config(response)
    assert config["endpoints"]["boundary"] == "/api/v1/map/boundary"
    assert config["endpoints"]["outline"] == "/api/v1/map/outline"
    assert set(config["order"]) == set(config["endpoints"]) == set(config["labels"]["layers"])
    assert config["order"][0] == "outline"  # drawn underneath everything
    # The view stays about the outline's extent, which covers Los Cabos.
    west, south, east, north = config["region"]
    assert west < -117 and south < 22.8 and east > -106 and north > 38
    assert config["labels"]["legend"] == "Simbología"
    with translation.override("es"):
        assert config["labels"]["states"]["assigned"] == str(Deployment.State.ASSIGNED.label)
        assert config["labels"]["layers"]["deployments"] == translation.gettext(
            "Deployments by state")


@override_settings(MAP_TILE_URL=TILES, MAP_TILE_ATTRIBUTION="© OpenStreetMap <contributors>")
def test_map_with_tiles_hands_the_url_to_leaflet(us_coordinator, client_for):
    response = client_for(us_coordinator).get(reverse("response:map"))
    assertContains(response, f'data-tile-url="{TILES}"')
    assertContains(response, 'data-tile-attribution="© OpenStreetMap &lt;contributors&gt;"')
    assertNotContains(response, "offline outline")


def test_the_tile_server_joins_the_csp_image_sources():
    """settings.py adds MAP_TILE_URL's origin to img-src (a `{s}` subdomain as a wildcard);
    without a tile server img-src stays 'self' and data:."""

    def img_src(tile_url):
        env = {**os.environ, "MAP_TILE_URL": tile_url, "ENLACE_TESTING": "1"}
        code = ("import json; from enlace import settings; "
                "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))")
        result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                text=True, check=True, cwd=settings.BASE_DIR)
        return json.loads(result.stdout)

    assert img_src("") == ["'self'", "data:"]
    assert img_src("https://{s}.tiles.example.test:8443/{z}/{x}/{y}.png") == [
        "'self'", "data:", "https://*.tiles.example.test:8443"]
    assert img_src("/tiles/{z}/{x}/{y}.png") == ["'self'", "data:"]


@pytest.mark.parametrize("language", ["en", "es"])
def test_map_of_one_incident(us_coordinator, mx_liaison, client_for, language):
    incident = make_incident(us_coordinator)
    client = client_for(mx_liaison, HTTP_ACCEPT_LANGUAGE=language)
    response = client.get(reverse("response:map"), {"incident": incident.pk})
    assert response.status_code == 200
    with translation.override(language):
        assertContains(response, incident.name)
    assertContains(response, f'data-incident="{incident.pk}"')
    endpoints = map_config(response)["endpoints"]
    assert endpoints["incidents"] == f"/api/v1/map/incidents?incident={incident.pk}"
    assert endpoints["deployments"] == f"/api/v1/map/deployments?incident={incident.pk}"
    assert endpoints["units"] == "/api/v1/map/units"


def test_map_of_an_incident_the_reader_may_not_see_is_a_404(us_coordinator, mx_liaison,
                                                           client_for):
    us_only = make_incident(us_coordinator, rel_to=())
    url = reverse("response:map")
    assert client_for(mx_liaison).get(url, {"incident": us_only.pk}).status_code == 404
    assert client_for(mx_liaison).get(url, {"incident": "abc"}).status_code == 404
    assert client_for(us_coordinator).get(url, {"incident": us_only.pk}).status_code == 200


def test_vendored_leaflet_is_served_from_here():
    vendor = settings.BASE_DIR / "web" / "static" / "vendor" / "leaflet"
    assert '"1.9.4"' in (vendor / "leaflet.js").read_text(encoding="utf-8")
    for name in ("leaflet.css", "LICENSE", "images/layers.png", "images/marker-icon.png"):
        assert (vendor / name).is_file()
