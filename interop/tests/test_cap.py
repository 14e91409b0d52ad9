"""CAP in and out: the conformance corpus, every version Enlace reads, the writer's schema check
and the round trip."""

import dataclasses
import datetime as dt

import pytest
from lxml import etree

from interop import cap, xml
from interop.tests.samples import PACIFIC, STANDARDS, alert_bytes, bilingual_alert

VALID = sorted((STANDARDS / "cap/valid").glob("*.xml"))
INVALID = sorted((STANDARDS / "cap/invalid").glob("*"))

SIGNATURE = (
    b'<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo>'
    b'<CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
    b'<SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/>'
    b'<Reference URI=""><DigestValue>q1w2e3r4t5y6u7i8o9p0</DigestValue></Reference>'
    b"</SignedInfo><SignatureValue>c2lnbmVkIGJ5IENhbCBPRVM=</SignatureValue></Signature>")


def test_the_corpus_is_there():
    assert len(VALID) == 4 and len(INVALID) == 1


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_every_valid_sample_is_accepted_and_reads_back_identically(path):
    alert = cap.read(path.read_bytes())
    assert alert.version == "1.2"
    assert alert.identifier and alert.sender and alert.infos
    assert cap.read(cap.write(alert)) == alert


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_every_invalid_sample_is_refused(path):
    with pytest.raises(xml.XMLError) as caught:
        cap.read(path.read_bytes())
    assert caught.value.code == "invalid"
    assert "scope" in str(caught.value)


def test_the_samples_read_what_they_say():
    update = cap.read((STANDARDS / "cap/valid/example3.xml").read_bytes())
    assert update.msg_type == "Update"
    assert update.references == [cap.Reference(
        "trinet@caltech.edu", "TRI13970876.1",
        dt.datetime(2003, 6, 11, 20, 30, tzinfo=dt.timezone(dt.timedelta(hours=-7))))]
    [info] = update.infos
    assert info.language == "en-US"  # absent: CAP's default
    assert info.parameters[2] == cap.ValuePair("Magnitude", "3.4 Ml")
    assert info.areas[0].circles == [cap.Circle(32.9525, -115.5527, 0.0)]

    thunderstorm = cap.read((STANDARDS / "cap/valid/example2.xml").read_bytes())
    area = thunderstorm.infos[0].areas[0]
    assert area.polygons[0][0] == area.polygons[0][-1] == (38.47, -120.14)
    assert cap.ValuePair("SAME", "006109") in area.geocodes

    abduction = cap.read((STANDARDS / "cap/valid/example4.xml").read_bytes())
    assert len(abduction.infos) == 2  # every info block is kept


def test_the_bilingual_alert_round_trips_identically():
    alert = bilingual_alert()
    data = cap.write(alert)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    back = cap.read(data)
    assert back == alert
    assert [i.language for i in back.infos] == ["en-US", "es-MX"]
    assert back.info("es").headline == "EJERCICIO: incendio forestal en la sierra de Otay"
    assert back.info("en-GB").language == "en-US"
    assert back.info("fr") is None


def test_the_writer_validates_against_cap_12():
    root = xml.parse(alert_bytes())
    xml.validate(root, xml.CAP_12)  # raises if not
    assert etree.QName(root).namespace == xml.CAP_12
    assert root.findtext(f"{{{xml.CAP_12}}}sent") == "2026-01-11T09:30:00-08:00"


def test_utc_is_written_with_an_offset_cap_12_accepts():
    sent = dt.datetime(2026, 1, 11, 17, 30, 12, 345678, tzinfo=dt.UTC)
    root = xml.parse(alert_bytes(sent=sent))
    assert root.findtext(f"{{{xml.CAP_12}}}sent") == "2026-01-11T17:30:12+00:00"


def test_the_writer_refuses_an_alert_that_breaks_the_schema():
    with pytest.raises(xml.XMLError) as caught:
        cap.write(bilingual_alert(status="Rehearsal"))
    [problem] = caught.value.problems
    assert (problem.element, problem.value) == ("status", "Rehearsal")
    with pytest.raises(xml.XMLError):
        cap.write(bilingual_alert(infos=[dataclasses.replace(
            bilingual_alert().infos[0], urgency="Soon")]))


def test_the_writer_refuses_a_time_without_zone():
    with pytest.raises(ValueError):
        cap.write(bilingual_alert(sent=dt.datetime(2026, 1, 11, 9, 30)))


def test_update_and_cancel_reference_the_first_alert():
    first = bilingual_alert()
    update = bilingual_alert(
        identifier="enlace-incident-7-2", msg_type="Update",
        sent=dt.datetime(2026, 1, 11, 12, 0, tzinfo=PACIFIC), references=[first.reference()])
    cancel = bilingual_alert(
        identifier="enlace-incident-7-3", msg_type="Cancel",
        sent=dt.datetime(2026, 1, 12, 8, 0, tzinfo=PACIFIC),
        references=[first.reference(), update.reference()])
    root = xml.parse(cap.write(cancel))
    assert root.findtext(f"{{{xml.CAP_12}}}references") == (
        "caloes@enlace.example,enlace-incident-7,2026-01-11T09:30:00-08:00 "
        "caloes@enlace.example,enlace-incident-7-2,2026-01-11T12:00:00-08:00")
    assert cap.read(cap.write(cancel)) == cancel


def test_a_signature_is_kept_untouched():
    alert = bilingual_alert(signatures=[SIGNATURE])
    data = cap.write(alert)
    back = cap.read(data)
    assert back.signatures == [SIGNATURE]
    assert back == alert
    # A received document's signature: the exact bytes of the element.
    received = data.replace(b"</alert>", b"").rstrip() + b"</alert>"
    assert cap.read(received).signatures == [SIGNATURE]


def _as_version(data, namespace):
    return data.replace(xml.CAP_12.encode(), namespace.encode())


def test_cap_11_reads_into_the_same_alert():
    data = _as_version(alert_bytes(), xml.CAP_11)
    alert = cap.read(data)
    assert alert.version == "1.1"
    assert dataclasses.replace(alert, version="1.2") == bilingual_alert()


def test_cap_11_with_z_times_reads():
    data = (STANDARDS / "cap/valid/example1.xml").read_bytes()
    data = _as_version(data, xml.CAP_11).replace(b"-05:00</sent>", b"Z</sent>")
    alert = cap.read(data)
    assert alert.sent.utcoffset() == dt.timedelta(0)


CAP_10 = """<?xml version="1.0" encoding="UTF-8"?>
<alert xmlns="http://www.incident.com/cap/1.0">
  <identifier>SASMEX-2004-001</identifier>
  <sender>alerta@sasmex.example</sender>
  <sent>2004-09-15T10:02:00-06:00</sent>
  <status>Actual</status>
  <msgType>Alert</msgType>
  <scope>Public</scope>
  <info>
    <language>es-MX</language>
    <category>Geo</category>
    <event>Sismo</event>
    <urgency>Immediate</urgency>
    <severity>Severe</severity>
    <certainty>Very Likely</certainty>
    <eventCode>SAME=EQW</eventCode>
    <headline>Alerta sísmica</headline>
    <parameter>Magnitud=6.1</parameter>
    <area>
      <areaDesc>Ciudad de México</areaDesc>
      <geocode>INEGI=09</geocode>
    </area>
  </info>
</alert>
""".encode()


def test_cap_10_reads_into_the_same_shape():
    alert = cap.read(CAP_10)
    assert alert.version == "1.0"
    [info] = alert.infos
    assert info.language == "es-MX"
    assert info.certainty == "Likely"  # CAP 1.2's word for 1.0's "Very Likely"
    assert info.event_codes == [cap.ValuePair("SAME", "EQW")]
    assert info.parameters == [cap.ValuePair("Magnitud", "6.1")]
    assert info.areas[0].geocodes == [cap.ValuePair("INEGI", "09")]
    # And out again as CAP 1.2.
    assert cap.read(cap.write(alert)) == dataclasses.replace(alert, version="1.2")


def test_cap_10_that_breaks_its_schema_is_refused():
    with pytest.raises(xml.XMLError) as caught:
        cap.read(CAP_10.replace(b"<urgency>Immediate</urgency>", b""))
    assert caught.value.code == "invalid"


def test_a_wrong_namespace_is_not_cap():
    with pytest.raises(xml.XMLError) as caught:
        cap.read(_as_version(alert_bytes(), "urn:example:not-cap"))
    assert caught.value.code == "unknown_document"
    with pytest.raises(xml.XMLError) as caught:
        cap.read(alert_bytes().replace(b' xmlns="urn:oasis:names:tc:emergency:cap:1.2"', b""))
    assert caught.value.code == "unknown_document"


def test_a_version_enlace_does_not_read_is_refused():
    with pytest.raises(xml.XMLError) as caught:
        cap.read(_as_version(alert_bytes(), "urn:oasis:names:tc:emergency:cap:1.3"))
    assert caught.value.code == "unsupported_version"
    assert "cap:1.3" in str(caught.value)


def test_another_root_is_not_cap():
    data = (STANDARDS / "edxl-de/1.0/bushfire_valid.edxlde").read_bytes()
    with pytest.raises(xml.XMLError) as caught:
        cap.read(data)
    assert caught.value.code == "unknown_document"


def test_alerts_inside_an_envelope_read_through_from_element():
    root = xml.parse((STANDARDS / "edxl-de/1.0/bushfire_valid.edxlde").read_bytes())
    alerts = [cap.from_element(e) for e in root.iter(f"{{{xml.CAP_12}}}alert")]
    assert len(alerts) == 7
    assert all(cap.is_cap(e) for e in root.iter(f"{{{xml.CAP_12}}}alert"))


@pytest.mark.parametrize("polygon", [
    "32.5,-117.0 32.6,-117.0 32.6,-116.9",                  # three pairs
    "32.5,-117.0 32.6,-117.0 32.6,-116.9 32.5,-116.9",      # not closed
    "32.5,-117.0 32.6 -117.0 32.6,-116.9 32.5,-117.0",      # a pair without its comma
    "32.5,-117.0 32.6,-117.0 95.0,-116.9 32.5,-117.0",      # latitude out of range
], ids=["three-pairs", "open-ring", "no-comma", "out-of-range"])
def test_a_polygon_that_is_not_a_closed_ring_is_refused_where_it_is(polygon):
    data = alert_bytes().replace(b"<circle>", f"<polygon>{polygon}</polygon><circle>".encode(),
                                 1)
    with pytest.raises(xml.XMLError) as caught:
        cap.read(data)
    [problem] = caught.value.problems
    assert (problem.kind, problem.element) == ("bad_value", "polygon")
    assert problem.value == polygon and problem.line > 1


def test_a_reference_without_its_time_is_refused():
    data = alert_bytes(references=[bilingual_alert().reference()]).replace(
        b",2026-01-11T09:30:00-08:00</references>", b"</references>")
    with pytest.raises(xml.XMLError) as caught:
        cap.read(data)
    assert caught.value.problems[0].element == "references"


def test_the_writer_refuses_an_open_ring():
    alert = bilingual_alert()
    alert.infos[0].areas[0].polygons = [[(32.5, -117.0), (32.6, -117.0), (32.6, -116.9),
                                         (32.5, -116.9)]]
    with pytest.raises(ValueError):
        cap.write(alert)
