"""Printed forms of mutual aid (response.views.forms): each PDF's text has its fields in
English and in Spanish, with the SCI names beside the ICS ones, and a user of the other nation
gets 404 for a record not released to them."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.testing import pdf_pages
from response.models import CheckIn, Deployment, PortOfEntry, ResourceKind
from response.tests.factories import (
    START,
    add_roster_member,
    make_agreement,
    make_deployment,
    make_incident,
    make_offer,
    make_request,
    make_unit,
)


def flat(text):
    """The text without whitespace: a long value (a hash) may wrap inside its column."""
    return "".join(text.split())


def pdf(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return pdf_pages(response)


@pytest.fixture
def story(duty, mx_liaison):
    """A US request for the Palisades Fire released to Mexico, Mexico's offer, the agreement in
    force and the Mexican contingent crossing at Otay Mesa with one firefighter checked in."""
    request = make_request(duty, special_instructions="Bring radios on the fire frequencies.")
    offer = make_offer(mx_liaison, request, headcount=30)
    agreement = make_agreement(duty, mx_liaison, request=request, offer=offer)
    deployment = make_deployment(
        mx_liaison, agreement, name="CONAFOR contingent", transport=Deployment.Transport.GROUND,
        port=PortOfEntry.objects.get(key="2506-C"), arrival_airport="", carries_equipment=True,
        planned_crossing_at=START + timedelta(days=4), host_notified_at=START + timedelta(days=1))
    member = add_roster_member(deployment, "Luis Pérez")
    member.credentials, member.agency_id = "Wildland firefighter CNF-II", "CNF-0042"
    member.save()
    CheckIn.objects.create(member=member, status=CheckIn.Status.CHECKED_IN, location="Beaumont",
                           at=START + timedelta(days=4, hours=3), recorded_by=duty)
    return {"request": request, "offer": offer, "agreement": agreement,
            "deployment": deployment, "member": member}


def test_ics_213rr_in_both_languages_on_one_page(story, duty, client_for):
    request = story["request"]
    pages = pdf(client_for(duty), reverse("response:request_pdf", args=[request.pk]))
    assert len(pages) == 1
    text = pages[0]
    kind = ResourceKind.objects.get(code="CREW-HAND-T2")
    for expected in (
            "ICS-213RR Resource Request Message", "Solicitud de Recursos (ICS 213RR)",
            "Resource request number", "Número de solicitud de recursos",
            "LA-2025-001", "Palisades Fire", "Incendio Palisades Fire", "CREW-HAND-T2",
            "Requested delivery or reporting location", "Palisades Fire ICP",
            "Priority", "Prioridad", "Urgent", "Urgente", "Bring radios on the fire frequencies.",
            "Logistics Section Chief", "Jefe de la Sección de Logística (JSL)",
            story["offer"].offering_organization.acronym, kind.name_en, kind.name_es,
            "REL TO", "DIVULGABLE A"):
        assert flat(expected) in flat(text), expected


def test_agreement_with_its_text_hash_and_signatures(story, duty, mx_liaison, client_for):
    agreement = story["agreement"]
    url = reverse("response:agreement_pdf", args=[agreement.pk])
    for user in (duty, mx_liaison):  # both parties print it
        text = "\n".join(pdf(client_for(user), url))
        for expected in ("MUTUAL AID AGREEMENT — version 1", "ACUERDO DE AYUDA MUTUA — versión 1",
                         "Signatures", "Firmas", "Acceptance", "Aceptación",
                         "The stored text and terms still hash to this value.",
                         "El texto y los términos guardados siguen dando este valor de hash."):
            assert flat(expected) in flat(text), expected
        assert agreement.text_hash in flat(text)
        assert flat(duty.get_full_name() or duty.username) in flat(text)


def test_ics_211_check_in_list(story, duty, mx_liaison, client_for):
    deployment = story["deployment"]
    text = "\n".join(pdf(client_for(duty),
                         reverse("response:deployment_ics211_pdf", args=[deployment.pk])))
    for expected in ("ICS-211 Incident Check-In List", "SCI-211 Registro y Control de Recursos",
                     "CONAFOR contingent", "Luis Pérez", "CNF-0042", "Beaumont",
                     "Palisades Fire", "Incendio Palisades Fire",
                     "Checked in", "Registrado (registro de llegada)",
                     "Check-ins and status changes",
                     "Registros de llegada y cambios de situación"):
        assert flat(expected) in flat(text), expected


def test_crossing_packet(story, duty, mx_liaison, client_for):
    deployment = story["deployment"]
    port = deployment.port
    pages = pdf(client_for(mx_liaison),
                reverse("response:deployment_packet_pdf", args=[deployment.pk]))
    assert len(pages) == 3  # the crossing; the roster; the equipment manifest
    crossing, roster, manifest = pages
    for expected in ("Crossing packet", "Paquete de cruce", port.name_en, port.name_es,
                     "Time of entry", "Hora de entrada",
                     "Crossing planned for", "CONAFOR contingent (", "Cruce previsto para el",
                     "Host government notified in advance",
                     "Aviso al gobierno anfitrión"):
        assert flat(expected) in flat(crossing), expected
    # 11 Jan 2025 18:30 UTC is 10:30 at the port (Pacific standard time), in each format.
    assert "01/11/202510:30a.m." in flat(crossing) and "11/01/202510:30" in flat(crossing)
    for expected in ("Luis Pérez", "CNF-0042", "Wildland firefighter CNF-II",
                     "Roster and credentials", "Lista de personal y credenciales"):
        assert flat(expected) in flat(roster), expected
    for expected in ("Equipment manifest", "Manifiesto de equipo", "CREW-HAND-T2",
                     "Customs manifest filed", "Manifiesto aduanal presentado"):
        assert flat(expected) in flat(manifest), expected


def test_other_nation_gets_404_for_records_not_released(duty, make_user, mx_liaison,
                                                        client_for):
    caloes = make_user("t.caloes", "CalOES", "duty_officer")
    incident = make_incident(duty, name="Sierra Fire", rel_to=())
    request = make_request(duty, incident, number="CA-ONLY-1", rel_to=())
    offer = make_offer(caloes, request, rel_to=())
    agreement = make_agreement(duty, caloes, request=request, offer=offer)
    deployment = make_deployment(caloes, agreement, name="Cal OES strike team", rel_to=("USA",))
    add_roster_member(deployment, "Ana Smith")
    urls = [reverse("response:request_pdf", args=[request.pk]),
            reverse("response:agreement_pdf", args=[agreement.pk]),
            reverse("response:deployment_ics211_pdf", args=[deployment.pk]),
            reverse("response:deployment_packet_pdf", args=[deployment.pk])]
    us, mx = client_for(duty), client_for(mx_liaison)
    for url in urls:
        assert us.get(url).status_code == 200, url
        assert mx.get(url).status_code == 404, url


def test_record_pages_link_their_printed_forms(story, duty, client_for):
    client = client_for(duty)
    pages = {"response:request": ("request", ["response:request_pdf"]),
             "response:agreement": ("agreement", ["response:agreement_pdf"]),
             "response:deployment": ("deployment", ["response:deployment_ics211_pdf",
                                                    "response:deployment_packet_pdf"])}
    for page, (record, forms) in pages.items():
        pk = story[record].pk
        html = client.get(reverse(page, args=[pk])).content.decode()
        for form in forms:
            assert reverse(form, args=[pk]) in html, (page, form)


def test_check_in_list_queries_do_not_grow_with_the_roster(story, duty, client_for,
                                                           django_assert_max_num_queries):
    deployment = story["deployment"]
    client = client_for(duty)
    url = reverse("response:deployment_ics211_pdf", args=[deployment.pk])
    client.get(url)  # warm the session and the caches
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for n in range(10):
        member = add_roster_member(deployment, f"Integrante {n}")
        CheckIn.objects.create(member=member, status=CheckIn.Status.AVAILABLE,
                               location="Beaumont", at=START + timedelta(days=5), recorded_by=duty)
    with django_assert_max_num_queries(len(one)):
        assert client.get(url).status_code == 200


def test_crossing_packet_withholds_a_unit_not_released_to_the_reader(story, duty, mx_liaison,
                                                                    client_for):
    deployment = story["deployment"]
    unit = make_unit(mx_liaison, name="Brigada Rayo 7", rel_to=())  # Mexico's eyes only
    story["offer"].lines.update(unit=unit)
    url = reverse("response:deployment_packet_pdf", args=[deployment.pk])
    mine = pdf(client_for(mx_liaison), url)[2]
    assert "BrigadaRayo7" in flat(mine)
    theirs = pdf(client_for(duty), url)[2]
    assert "Rayo" not in theirs
    assert flat("a record not released to you") in flat(theirs)
    assert flat("un registro que no se le ha divulgado") in flat(theirs)
