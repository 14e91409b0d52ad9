"""Reference data and the map's controls read in the reader's language.

Resource-kind categories and port hours come from the shipped data in English, indicator units
are typed by the program's coordinators, and Leaflet labels its own controls in English; a
Spanish reader must see each in Spanish.
"""

from django.urls import reverse

from partnerships.tests.factories import make_program
from response.models import PortOfEntry, ResourceKind
from response.tests.test_map_page import map_config


def page(client, url):
    return client.get(url).content.decode()


def test_resource_kind_categories_in_both_languages(us_coordinator, client_for):
    kind = ResourceKind.objects.get(code="CREW-HAND-T1")
    assert kind.category == "Fire/HazMat"
    spanish = client_for(us_coordinator, HTTP_ACCEPT_LANGUAGE="es")
    english = client_for(us_coordinator, HTTP_ACCEPT_LANGUAGE="en")
    for url in (reverse("response:kinds"), reverse("response:kind", args=[kind.code])):
        assert "Incendios y materiales peligrosos" in page(spanish, url)
        assert "Fire/HazMat" in page(english, url)
    # The list's filter offers the categories by their Spanish names, filtering by the key.
    filtered = page(spanish, reverse("response:kinds") + "?category=Fire%2FHazMat")
    assert '<option value="Fire/HazMat" selected>Incendios y materiales peligrosos</option>' \
        in filtered


def test_port_hours_in_spanish(us_coordinator, client_for):
    cargo = PortOfEntry.objects.get(key="2506-C")
    spanish = client_for(us_coordinator, HTTP_ACCEPT_LANGUAGE="es")
    assert f"{cargo.opens:%H:%M}–{cargo.closes:%H:%M}, de lunes a viernes" in page(
        spanish, reverse("response:port", args=[cargo.key]))
    assert "Abierta las 24 horas, todos los días" in page(spanish, reverse("response:ports"))
    # The published hours read in the reader's language, from the curated data's Spanish text.
    english = client_for(us_coordinator, HTTP_ACCEPT_LANGUAGE="en")
    url = reverse("response:port", args=[cargo.key])
    assert ('<dd data-testid="published-hours">De 06:00 a 22:00, de lunes a viernes (reportado '
            'en 2026); horario reducido los sábados (sin confirmar)</dd>') in page(spanish, url)
    assert ('<dd data-testid="published-hours">06:00-22:00 Mon-Fri (reported 2026); Saturday '
            'reduced hours (unconfirmed)</dd>') in page(english, url)
    # The map's popups read them from the API in the reader's language too.
    ports = spanish.get(reverse("api:map_ports")).json()["features"]
    assert next(p["properties"]["hours_text"] for p in ports
                if p["properties"]["key"] == "2582") == ("24 h (sin confirmar); solo pasajeros "
                                                         "con boleto del aeropuerto de Tijuana")
    # Every port has its Spanish hours.
    assert not PortOfEntry.objects.filter(hours_es="").exists()


def test_indicator_unit_in_the_readers_language(us_coordinator, client_for):
    _partnership, _line, _objective, indicator = make_program(us_coordinator)
    indicator.unit_es = "personas"
    indicator.save()
    spanish = client_for(us_coordinator, HTTP_ACCEPT_LANGUAGE="es")
    english = client_for(us_coordinator, HTTP_ACCEPT_LANGUAGE="en")
    assert "(personas, " in page(spanish, reverse("partnerships:indicators"))
    assert "(people, " in page(english, reverse("partnerships:indicators"))
    # Without a Spanish unit, Spanish readers see the English one rather than nothing.
    indicator.unit_es = ""
    indicator.save()
    assert "(people, " in page(spanish, reverse("partnerships:indicators"))


def test_leaflet_controls_are_labelled_in_spanish(mx_liaison, client_for):
    labels = map_config(client_for(mx_liaison, HTTP_ACCEPT_LANGUAGE="es").get(
        reverse("response:map")))["labels"]
    assert (labels["zoom_in"], labels["zoom_out"], labels["layers_control"],
            labels["close_popup"]) == ("Acercar", "Alejar", "Capas", "Cerrar la ventana emergente")
