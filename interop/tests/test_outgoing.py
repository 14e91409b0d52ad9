"""CAP out: an incident as a CAP 1.2 alert (validated, en-US and es-MX, point and perimeter,
the owning organization as sender, identifiers stable across updates), served for a visible
incident only, and the Atom feed of what the reader's nation may see; out → in is identical."""

import datetime as dt

import pytest
from lxml import etree

from border.tests.factories import report as report_border_event
from interop import cap, outgoing, services, xml
from response.models import Incident
from response.services import incidents as incident_services
from response.tests.factories import make_incident

pytestmark = pytest.mark.django_db

PERIMETER = {"type": "Polygon", "coordinates": [[
    [-118.56, 34.04], [-118.50, 34.04], [-118.50, 34.08], [-118.56, 34.08], [-118.56, 34.04]]]}


def _url(incident):
    return f"/api/v1/incidents/{incident.pk}/cap"


def test_an_incident_is_a_bilingual_cap_12_alert(us):
    incident = make_incident(us, perimeter=PERIMETER, municipality="Los Angeles",
                             ics_number="CA-LFD-000123")
    data = outgoing.incident_cap(incident, url="https://enlace.example/response/1/")
    root = xml.parse(data)
    xml.validate(root, xml.CAP_12)
    alert = cap.read(data)
    assert alert.identifier == f"enlace-incident-{incident.pk}"
    assert alert.sender == "calguard.usa@enlace"
    assert alert.msg_type == "Alert" and alert.status == "Actual" and not alert.references
    en, es = alert.infos
    assert (en.language, es.language) == ("en-US", "es-MX")
    assert en.headline == "Palisades Fire" and es.headline == "Incendio Palisades Fire"
    assert (en.event, es.event) == ("Wildfire", "Incendio forestal")
    assert en.categories == ["Fire"] and en.urgency == "Immediate"
    assert "Los Angeles" in en.description and "km" in es.description
    assert "CA-LFD-000123" in en.description
    area = en.areas[0]
    assert area.circles == [cap.Circle(34.0481, -118.5265, 0.0)]
    assert area.polygons == [[(34.04, -118.56), (34.04, -118.5), (34.08, -118.5),
                              (34.08, -118.56), (34.04, -118.56)]]
    assert cap.ValuePair("ISO3166-1-alpha-3", "USA") in area.geocodes
    assert en.web == "https://enlace.example/response/1/"


def test_identifiers_stay_stable_across_updates(us):
    incident = make_incident(us)
    Incident.objects.filter(pk=incident.pk).update(updated_at=incident.created_at)
    incident.refresh_from_db()
    first = outgoing.incident_alert(incident)
    assert first.msg_type == "Alert"
    assert outgoing.incident_alert(incident) == first  # the same state, the same alert

    incident_services.update_incident(us, incident, municipality="Pacific Palisades")
    incident.refresh_from_db()
    incident.updated_at = incident.created_at + dt.timedelta(hours=2)
    update = outgoing.incident_alert(incident)
    assert update.msg_type == "Update"
    assert update.identifier != first.identifier
    assert update.identifier.startswith(first.identifier + "-")
    assert update.references == [first.reference()]

    incident.status = Incident.Status.CLOSED
    incident.updated_at += dt.timedelta(days=3)
    cancel = outgoing.incident_alert(incident)
    assert cancel.msg_type == "Cancel" and cancel.references == [first.reference()]
    assert cap.read(cap.write(cancel)) == cancel


def test_an_exercise_incident_says_so(us):
    event = report_border_event(us, title="Laguna Salada drill", is_exercise=True)
    from border.services import events

    incident = events.open_incident(us, event)
    assert outgoing.incident_alert(incident).status == "Exercise"
    listed = outgoing.with_exercise(Incident.objects.filter(pk=incident.pk)).get()
    assert outgoing.incident_alert(listed).status == "Exercise"


def test_the_api_serves_a_visible_incident_only(us, mx, client_for):
    secret = make_incident(us, name="Secret fire", rel_to=())
    shared = make_incident(us, name="Shared fire", rel_to=("MEX",))
    response = client_for(us).get(_url(secret))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/cap+xml"
    assert cap.read(response.content).infos[0].headline == "Secret fire"
    assert client_for(mx).get(_url(secret)).status_code == 404
    assert client_for(mx).get(_url(shared)).status_code == 200
    assert client_for(mx).get("/api/v1/incidents/999999/cap").status_code == 404


def test_out_then_in_is_identical(us, client_for):
    incident = make_incident(us, perimeter=PERIMETER)
    data = client_for(us).get(_url(incident)).content
    record, created = services.import_alert(us, data)
    assert created
    assert cap.read(bytes(record.document)) == cap.read(data)
    back = cap.read(data)
    assert [i["language"] for i in record.infos] == ["en-US", "es-MX"]
    assert record.headline_es == back.info("es").headline
    # And what the import kept writes back to the same alert.
    assert cap.read(cap.write(back)) == back


def test_the_feed_holds_what_the_reader_may_see(us, mx, client_for):
    make_incident(us, name="Secret fire", rel_to=())
    shared = make_incident(us, name="Shared fire", rel_to=("MEX",))
    for user, expected in ((us, {"Secret fire", "Shared fire"}), (mx, {"Shared fire"})):
        response = client_for(user).get("/api/v1/cap/feed")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/atom+xml"
        feed = xml.parse(response.content)
        entries = feed.findall(f"{{{outgoing.ATOM}}}entry")
        alerts = [cap.from_element(e.find(f"{{{outgoing.ATOM}}}content")[0]) for e in entries]
        assert {a.infos[0].headline for a in alerts} == expected
    [link] = [e for e in feed.iter(f"{{{outgoing.ATOM}}}link")
              if e.get("type") == "application/cap+xml"]
    assert link.get("href").endswith(f"/api/v1/incidents/{shared.pk}/cap")


def test_the_feed_title_is_in_the_readers_language(mx, client_for):
    response = client_for(mx, HTTP_ACCEPT_LANGUAGE="es").get("/api/v1/cap/feed")
    title = xml.parse(response.content).findtext(f"{{{outgoing.ATOM}}}title")
    assert title == "Enlace: alertas de incidentes"


def test_the_feed_takes_a_fixed_number_of_queries(us, client_for,
                                                  django_assert_max_num_queries):
    for n in range(8):
        make_incident(us, name=f"Fire {n}")
    client = client_for(us)
    client.get("/api/v1/cap/feed")
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/cap/feed")
    assert len(etree.fromstring(response.content).findall(f"{{{outgoing.ATOM}}}entry")) == 8
