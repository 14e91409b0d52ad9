"""The CAP 1.2 alert of a border event at /api/v1/border/events/{id}/cap: valid against the
OASIS CAP 1.2 schema (loaded from the shared standards by path), read back by the codec, en-US
and es-MX info blocks, an Update once a joint report is published, Exercise for an exercise
event, and a 404 where the event is not released."""

from pathlib import Path

import pytest
from django.conf import settings
from lxml import etree

from border.services import sitreps
from border.tests.factories import report
from border.tests.sitrep_factories import filled, make_sitrep, section
from interop import cap

pytestmark = pytest.mark.django_db

XSD = Path(settings.BASE_DIR).parent / "shared" / "standards" / "cap" / "xsd" / "cap12.xsd"
PERIMETER = {"type": "Polygon", "coordinates": [[
    [-116.905, 32.530], [-116.835, 32.530], [-116.820, 32.575], [-116.905, 32.530]]]}


def _valid(body):
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    document = etree.fromstring(body, parser)
    schema.assertValid(document)
    return cap.read(body)


def _cap(client, event):
    response = client.get(f"/api/v1/border/events/{event.pk}/cap")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/cap+xml"
    return _valid(response.content)


def test_an_event_s_alert_validates_and_carries_both_languages(us, mx, client_for):
    event = report(us, perimeter=PERIMETER, severity="severe")
    alert = _cap(client_for(mx), event)
    assert alert.identifier == f"enlace-border-event-{event.pk}" and alert.msg_type == "Alert"
    assert alert.status == "Actual" and alert.sender.startswith("calguard@")
    assert alert.scope == "Restricted" and alert.restriction == "REL TO MEX, USA"
    en, es = alert.info("en"), alert.info("es")
    assert (en.language, es.language) == ("en-US", "es-MX")
    assert en.headline == "Otay Mountain Fire" and es.headline == "Incendio Otay Mountain Fire"
    assert en.categories == ["Fire"] and en.severity == "Severe" and en.certainty == "Likely"
    assert (en.event, es.event) == (event.kind.name_en, event.kind.name_es)
    (polygon,) = en.areas[0].polygons
    assert polygon[0] == polygon[-1] == (32.53, -116.905)
    again = _cap(client_for(us), event)  # the identifier is the event's, whoever reads it
    assert (again.identifier, again.sent) == (alert.identifier, alert.sent)


def test_a_published_report_makes_it_an_update_with_the_situation(us, mx, client_for):
    event = report(us, hours_ago=6)
    first = _cap(client_for(us), event)
    make_sitrep(us, event)  # still a draft: the alert is unchanged
    assert _cap(client_for(us), event).identifier == first.identifier
    sitrep = make_sitrep(us, event, hours=(2, 3))
    sitreps.submit_section(us, section(us, sitrep, "USA"), **filled("USA", "Spot fires"))
    sitreps.submit_section(mx, section(mx, sitrep, "MEX"), **filled("MEX", "Focos"))
    alert = _cap(client_for(mx), event)
    assert alert.msg_type == "Update" and alert.identifier.endswith(f"-sitrep-{sitrep.number}")
    (reference,) = alert.references
    assert (reference.sender, reference.identifier) == (first.sender, first.identifier)
    assert "Spot fires USA situation en" in alert.info("en").description
    assert "Focos MEX situation es" in alert.info("es").description
    assert "situation es" not in alert.info("en").description
    assert alert.info("en").areas[0].circles  # no perimeter: the point


def test_an_exercise_event_s_alert_is_an_exercise(us, client_for):
    event = report(us, is_exercise=True)
    alert = _cap(client_for(us), event)
    assert alert.status == "Exercise"
    assert alert.info("es").headline.startswith("EJERCICIO EJERCICIO EJERCICIO")
    page = client_for(us).get(event.get_absolute_url()).content.decode()
    assert 'data-testid="exercise-banner"' in page


def test_an_event_not_released_answers_404(us, mx, make_user, client_for):
    event = report(us, rel_to=())
    assert client_for(mx).get(f"/api/v1/border/events/{event.pk}/cap").status_code == 404
    ua = make_user("t.ua.coordinator", "ZSU", "coordinator")
    shared = report(us)
    response = client_for(ua).get(f"/api/v1/border/events/{shared.pk}/cap")
    assert response.status_code == 404 and response.json()["detail"]
