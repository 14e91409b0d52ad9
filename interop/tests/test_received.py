"""CAP in: received alerts imported from a file upload and from the API's raw body, duplicates
recognised, unsafe and schema-invalid documents refused in the reader's language with nothing
stored, the list and detail pages, releasability for both nations, and an incident opened in
one step."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.testing import ReleasabilityCase, assert_releasability, error, ok
from interop import services
from interop.models import ReceivedAlert
from interop.tests.samples import STANDARDS, alert_bytes, bilingual_alert
from response.models import Incident

pytestmark = pytest.mark.django_db

API = "/api/v1/cap/alerts"
CAP = "application/cap+xml"
XXE = STANDARDS / "edxl-de/2.0/invalid/external-entity.xml"
INVALID = STANDARDS / "cap/invalid/invalid.cap"


def received(user, data=None, **marking):
    record, created = services.import_alert(user, data or alert_bytes(), **marking)
    assert created
    return record


# ---- The service -----------------------------------------------------------------------------

def test_an_import_keeps_the_document_and_every_info_block(us):
    record = received(us)
    assert record.owner_nation == us.nation
    assert [n.code for n in record.rel_to.all()] == ["USA"]
    assert (record.sender, record.identifier) == ("caloes@enlace.example", "enlace-incident-7")
    assert record.status == "Exercise" and record.is_exercise
    assert record.headline_en == "EXERCISE: wildfire on Otay Mountain"
    assert record.headline_es == "EJERCICIO: incendio forestal en la sierra de Otay"
    assert [i["language"] for i in record.infos] == ["en-US", "es-MX"]
    assert record.infos[1]["areas"][0]["geocodes"][1] == {"name": "INEGI", "value": "02004"}
    assert (record.latitude, record.longitude) == (32.5434, -116.9713)  # the circle's centre
    assert bytes(record.document) == alert_bytes()
    assert LogEntry.objects.get_for_object(record).filter(actor=us).exists()


@pytest.mark.parametrize("path", sorted((STANDARDS / "cap/valid").glob("*.xml")),
                         ids=lambda p: p.name)
def test_every_valid_sample_imports(us, path):
    record = received(us, path.read_bytes())
    assert record.version == "1.2"
    assert record.infos


def test_a_duplicate_is_recognised_and_not_stored_twice(us):
    first = received(us)
    again, created = services.import_alert(us, alert_bytes())
    assert (again, created) == (first, False)
    assert ReceivedAlert.objects.count() == 1


def test_the_same_alert_is_a_new_record_for_the_other_nation(us, mx):
    """Each nation keeps its own: a US record is not shown to Mexico, so Mexico's import must
    not be refused by it (that would tell Mexico it exists)."""
    ours = received(us)
    theirs = received(mx)
    assert ours.pk != theirs.pk and theirs.owner_nation == mx.nation


def test_an_update_is_a_new_alert(us):
    first = received(us)
    update = bilingual_alert(identifier="enlace-incident-7-2", msg_type="Update",
                             references=[bilingual_alert().reference()])
    from interop import cap

    record = received(us, cap.write(update))
    assert record.pk != first.pk and record.msg_type == "Update"
    assert record.references.startswith("caloes@enlace.example,enlace-incident-7,")


@pytest.mark.parametrize("data, code_words", [
    (XXE.read_bytes(), "DOCTYPE"),
    (INVALID.read_bytes(), "scope"),
    (alert_bytes()[:500], "well-formed"),
    (alert_bytes().replace(b"cap:1.2", b"cap:1.3"), "version"),
    (b"<feed xmlns='http://www.w3.org/2005/Atom'/>", "root element"),
], ids=["xxe", "schema-invalid", "truncated", "wrong-version", "not-cap"])
def test_a_refused_document_stores_nothing(us, data, code_words):
    with pytest.raises(ValidationError) as caught:
        services.import_alert(us, data)
    assert code_words in " ".join(caught.value.message_dict["document"])
    assert "root:" not in str(caught.value)
    assert not ReceivedAlert.objects.exists()


def test_a_viewer_may_not_import(persona_of):
    with pytest.raises(PermissionDenied):
        services.import_alert(persona_of("viewer", "USA"), alert_bytes())


# ---- Pages -----------------------------------------------------------------------------------

def test_alerts_obey_releasability(persona_of):
    assert_releasability(ReleasabilityCase(
        make=lambda user: received(user),
        list_url=reverse("interop:alerts"),
        detail_url=lambda r: reverse("interop:alert", args=[r.pk]),
        api_list_url=API,
        api_detail_url=lambda r: f"{API}/{r.pk}",
        export_url=None,
        text=lambda r: "EXERCISE: wildfire on Otay Mountain",
        map_feature=lambda r: ("/api/v1/map/cap-alerts", f"cap-alert-{r.pk}"),
    ), us_user=persona_of("duty_officer", "USA"), mx_user=persona_of("liaison", "MEX"))


def _marking_fields(user):
    return {"m-rel_to": [user.nation.code], "m-disclosure": "not_reviewed", "m-tlp": ""}


def test_the_upload_page_imports_and_goes_to_the_alert(us, client_for):
    client = client_for(us)
    assert client.get(reverse("interop:alert_import")).status_code == 200
    response = client.post(reverse("interop:alert_import"), {
        "document": SimpleUploadedFile("alert.xml", alert_bytes()), **_marking_fields(us)})
    record = ReceivedAlert.objects.get()
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    page = client.get(record.get_absolute_url()).content.decode()
    assert "EXERCISE EXERCISE EXERCISE" in page
    assert "sierra de Otay" in page and "Otay Mountain" in page  # both info blocks
    again = client.post(reverse("interop:alert_import"), {
        "document": SimpleUploadedFile("alert.xml", alert_bytes()), **_marking_fields(us)},
        follow=True)
    assert "already has this alert" in again.content.decode()
    assert ReceivedAlert.objects.count() == 1


def test_the_upload_page_shows_the_schema_error_in_spanish(us, client_for):
    client = client_for(us, HTTP_ACCEPT_LANGUAGE="es")
    response = client.post(reverse("interop:alert_import"), {
        "document": SimpleUploadedFile("invalid.cap", INVALID.read_bytes()),
        **_marking_fields(us)})
    assert response.status_code == 200  # the form again, with the error
    page = response.content.decode()
    assert "no sigue su esquema" in page
    assert "scope" in page
    assert not ReceivedAlert.objects.exists()


def test_the_document_is_served_as_received(us, mx, client_for):
    signed = alert_bytes().replace(
        b"</alert>", b'<Signature xmlns="http://www.w3.org/2000/09/xmldsig#">'
        b"<SignedInfo/><SignatureValue>abc=</SignatureValue></Signature></alert>")
    record = received(us, signed)
    assert record.signed
    response = client_for(us).get(reverse("interop:alert_document", args=[record.pk]))
    assert response.content == signed
    assert response["Content-Type"] == CAP
    hidden = client_for(mx).get(reverse("interop:alert_document", args=[record.pk]))
    assert hidden.status_code == 404


def test_the_list_takes_a_fixed_number_of_queries(us, client_for,
                                                  django_assert_max_num_queries):
    from interop import cap

    for n in range(12):
        received(us, cap.write(bilingual_alert(identifier=f"a-{n}")))
    client = client_for(us)
    client.get(reverse("interop:alerts"))
    with django_assert_max_num_queries(12):
        page = client.get(reverse("interop:alerts"))
    assert page.content.decode().count("EXERCISE: wildfire") == 12
    with django_assert_max_num_queries(12):
        body = ok(client.get(API, {"limit": 50}))
    assert body["count"] == 12


# ---- API -------------------------------------------------------------------------------------

def test_the_api_imports_the_raw_body(us, client_for):
    client = client_for(us)
    body = ok(client.post(API, alert_bytes(), content_type=CAP), 201)
    assert body["duplicate"] is False
    alert = body["alert"]
    assert alert["identifier"] == "enlace-incident-7" and alert["status"] == "Exercise"
    assert [i["language"] for i in alert["infos"]] == ["en-US", "es-MX"]
    assert alert["marking"]["rel_to"] == ["USA"]
    again = ok(client.post(API, alert_bytes(), content_type="application/xml"), 200)
    assert again["duplicate"] is True and again["alert"]["id"] == alert["id"]


def test_the_api_takes_only_xml_media_types(us, client_for):
    client = client_for(us, HTTP_ACCEPT_LANGUAGE="es")
    for media in ("application/json", "text/plain", "application/atom+json"):
        body = error(client.post(API, alert_bytes(), content_type=media), 415)
        assert "application/cap+xml" in body["detail"]
    assert not ReceivedAlert.objects.exists()


@pytest.mark.parametrize("data", [
    XXE.read_bytes(), INVALID.read_bytes(), alert_bytes()[:-20],
    alert_bytes().replace(b"urn:oasis:names:tc:emergency:cap:1.2", b"urn:example:other"),
    b"<?xml version='1.0' encoding='UTF-16'?><a/>",
], ids=["xxe", "schema-invalid", "truncated", "wrong-namespace", "wrong-encoding"])
def test_the_api_refuses_bad_documents_with_the_reason(us, client_for, data):
    body = error(client_for(us).post(API, data, content_type=CAP), 422)
    [item] = body["errors"]
    assert item["field"] == "document" and item["message"]
    assert "root:" not in item["message"]
    assert not ReceivedAlert.objects.exists()


def test_the_api_gives_the_schema_error_in_spanish(us, client_for):
    body = error(client_for(us, HTTP_ACCEPT_LANGUAGE="es").post(
        API, INVALID.read_bytes(), content_type=CAP), 422)
    message = body["errors"][0]["message"]
    assert message.startswith("El documento no sigue su esquema")
    assert "«info»" in message or "“info”" in message


def test_a_20_mb_body_is_refused(us, client_for):
    data = alert_bytes().replace(b"<note>", b"<note>" + b"x" * (20 * 1024 * 1024))
    response = client_for(us).post(API, data, content_type=CAP)
    assert response.status_code in (413, 422)
    assert response.json()["detail"]
    assert not ReceivedAlert.objects.exists()


def test_the_openapi_document_declares_the_media_types(us, client_for):
    schema = ok(client_for(us).get("/api/v1/openapi.json"))
    body = schema["paths"][API]["post"]["requestBody"]["content"]
    assert set(body) == {"application/cap+xml", "application/xml"}
    cap_out = schema["paths"]["/api/v1/incidents/{incident_id}/cap"]["get"]["responses"]["200"]
    assert "application/cap+xml" in cap_out["content"]


# ---- An incident from an alert ---------------------------------------------------------------

def test_an_incident_opens_in_one_step(us, client_for):
    record = received(us, rel_to=[])
    response = client_for(us).post(reverse("interop:alert_open_incident", args=[record.pk]))
    record.refresh_from_db()
    incident = record.incident
    assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
    assert incident.name_en == "EXERCISE: wildfire on Otay Mountain"
    assert incident.name_es == "EJERCICIO: incendio forestal en la sierra de Otay"
    assert incident.kind == Incident.Kind.WILDFIRE
    assert (incident.latitude, incident.longitude) == (32.5434, -116.9713)
    assert incident.owner_nation == us.nation
    assert incident.host_agency == us.organization
    assert LogEntry.objects.get_for_object(incident).exists()  # response's own service
    with pytest.raises(ValidationError):
        services.open_incident(us, record)


def test_an_incident_through_the_api(us, mx, client_for):
    record = received(us)
    error(client_for(mx).post(f"{API}/{record.pk}/incident"), 404)
    body = ok(client_for(us).post(f"{API}/{record.pk}/incident"), 201)
    assert Incident.objects.get(pk=body["incident"]).name_en.startswith("EXERCISE")
    assert ok(client_for(us).get(f"{API}/{record.pk}"))["incident"] == body["incident"]


def test_an_alert_without_a_point_opens_no_incident(us, client_for):
    record = received(us, (STANDARDS / "cap/valid/example1.xml").read_bytes())
    with pytest.raises(ValidationError) as caught:
        services.open_incident(us, record)
    assert "no point" in str(caught.value)
    page = client_for(us).get(record.get_absolute_url()).content.decode()
    assert 'data-testid="open-incident"' not in page


def test_the_partner_may_read_but_not_open_an_incident(us, mx):
    record = received(us, rel_to=[mx.nation], disclosure="approved")
    with pytest.raises(PermissionDenied):
        services.open_incident(mx, record)


def test_the_upload_page_refuses_a_20_mb_file(us, client_for):
    data = alert_bytes().replace(b"<note>", b"<note>" + b"x" * (20 * 1024 * 1024))
    response = client_for(us).post(reverse("interop:alert_import"), {
        "document": SimpleUploadedFile("big.xml", data), **_marking_fields(us)})
    assert response.status_code == 200
    assert "larger than" in response.content.decode()
    assert not ReceivedAlert.objects.exists()


def test_the_partner_sees_nothing_of_an_alert_kept_from_it(us, mx, client_for):
    record = received(us)
    client = client_for(mx)
    for url in (record.get_absolute_url(), reverse("interop:alert_marking", args=[record.pk]),
                f"{API}/{record.pk}", f"{API}/{record.pk}/document",
                f"{API}/{record.pk}/history"):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("interop:alert_open_incident", args=[record.pk])).status_code \
        == 404


def test_the_map_layer_draws_the_point_and_the_polygons(us, client_for):
    record = received(us)
    body = ok(client_for(us, HTTP_ACCEPT_LANGUAGE="es").get("/api/v1/map/cap-alerts"))
    features = {f["id"]: f for f in body["features"]}
    point = features[f"cap-alert-{record.pk}"]
    assert point["geometry"] == {"type": "Point", "coordinates": [-116.9713, 32.5434]}
    assert point["properties"]["name"] == "EJERCICIO: incendio forestal en la sierra de Otay"
    assert point["properties"]["exercise"] is True
    area = features[f"cap-alert-{record.pk}-area-1"]["geometry"]
    assert area["coordinates"][0][0] == [-117.05, 32.55] == area["coordinates"][0][-1]
    received(us, (STANDARDS / "cap/valid/example1.xml").read_bytes())  # no point: not drawn
    assert len(ok(client_for(us).get("/api/v1/map/cap-alerts"))["features"]) == 2


def test_an_open_ring_is_refused_in_spanish(us, client_for):
    data = alert_bytes().replace(
        b"<circle>", b"<polygon>32.5,-117.0 32.6,-117.0 32.6,-116.9 32.5,-116.9</polygon>"
        b"<circle>", 1)
    body = error(client_for(us, HTTP_ACCEPT_LANGUAGE="es").post(API, data, content_type=CAP),
                 422)
    message = body["errors"][0]["message"]
    assert "no es un valor válido de “polygon”" in message and "línea" in message
    assert not ReceivedAlert.objects.exists()
