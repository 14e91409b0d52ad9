"""Incident, unit, resource-kind and port pages: releasability on every read path (list, detail,
API, export), the border derivation on the incident page, filters, create/update/marking
through the forms with their refusals, the partner's view, and every page in both languages."""

import pytest
from django.urls import reverse

from core.testing import ReleasabilityCase, assert_releasability
from response.models import Incident, PortOfEntry, ResourceKind, Unit
from response.tests.factories import (
    make_agreement,
    make_deployment,
    make_incident,
    make_offer,
    make_request,
    make_unit,
    organization,
)


def text(response):
    return response.content.decode()


def csv_text(response):
    return b"".join(response.streaming_content).decode("utf-8-sig")


# Releasability on every read path ------------------------------------------------------------

def test_incidents_obey_releasability(us_coordinator, mx_liaison):
    case = ReleasabilityCase(
        make=lambda user: make_incident(user, name="Zaca Ridge Fire"),
        list_url=reverse("response:incidents"),
        detail_url=lambda i: reverse("response:incident", args=[i.pk]),
        api_list_url="/api/v1/incidents",
        api_detail_url=lambda i: f"/api/v1/incidents/{i.pk}",
        export_url=reverse("response:incidents_export"),
        text=lambda i: i.name_en,
    )
    assert_releasability(case, us_user=us_coordinator, mx_user=mx_liaison)


def test_units_obey_releasability(us_coordinator, mx_liaison):
    case = ReleasabilityCase(
        make=lambda user: make_unit(user, name="Quartz Hill Crew 9"),
        list_url=reverse("response:units"),
        detail_url=lambda u: reverse("response:unit", args=[u.pk]),
        api_list_url="/api/v1/units",
        api_detail_url=lambda u: f"/api/v1/units/{u.pk}",
        export_url=reverse("response:units_export"),
        text=lambda u: u.name,
    )
    assert_releasability(case, us_user=us_coordinator, mx_user=mx_liaison)


# Every page in both languages ----------------------------------------------------------------

@pytest.mark.parametrize("language,words", [
    ("en", ["Edit", "History", "Change marking"]),
    ("es", ["Editar", "Historial", "Cambiar la marca de divulgación"]),
])
def test_every_page_renders_in_both_languages(client_for, us_coordinator, language, words):
    incident = make_incident(us_coordinator)
    unit = make_unit(us_coordinator)
    client = client_for(us_coordinator, headers={"Accept-Language": language})
    for url in (reverse("response:incidents"), reverse("response:incident_create"),
                incident.get_absolute_url(),
                reverse("response:incident_update", args=[incident.pk]),
                reverse("response:incident_marking", args=[incident.pk]),
                reverse("response:units"), reverse("response:unit_create"),
                unit.get_absolute_url(), reverse("response:unit_update", args=[unit.pk]),
                reverse("response:unit_marking", args=[unit.pk]),
                reverse("response:kinds"), reverse("response:kind", args=["CREW-HAND-T1"]),
                reverse("response:ports"), reverse("response:port", args=["2504"])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language
    for page in (incident.get_absolute_url(), unit.get_absolute_url()):
        body = text(client.get(page))
        assert all(word in body for word in words)


def test_language_cookie_chooses_spanish(client_for, us_coordinator):
    client = client_for(us_coordinator)
    client.cookies["django_language"] = "es"
    response = client.get(reverse("response:incidents"))
    assert response["Content-Language"] == "es"
    assert "Exportar CSV" in text(response)


# Incidents -----------------------------------------------------------------------------------

class TestIncidentPages:
    def test_detail_shows_the_border_derivation_and_perimeter(self, client_for, mx_liaison):
        incident = make_incident(mx_liaison, name="Tijuana River flood", kind="flood",
                                 latitude=32.5149, longitude=-117.0382, rel_to=("USA",),
                                 perimeter={"type": "Polygon", "coordinates": [[
                                     [-117.05, 32.51], [-117.03, 32.51], [-117.03, 32.52],
                                     [-117.05, 32.51]]]})
        body = text(client_for(mx_liaison, headers={"Accept-Language": "en"})
                    .get(incident.get_absolute_url()))
        assert "The incident is 3.0 km from the California–Baja California boundary" in body
        assert "on the Mexican side (south of the line)" in body
        assert "neighbouring agencies may ask each other directly" in body
        assert "16 km (10 miles) each side of the line" in body
        assert "Direct between neighbouring agencies (border zone)" in body
        assert "1 polygon, 1 ring, 4 positions" in body

    def test_detail_of_a_distant_incident_says_national_channels(self, client_for,
                                                                 us_coordinator):
        incident = make_incident(us_coordinator)
        body = text(client_for(us_coordinator).get(incident.get_absolute_url()))
        assert "the request goes through national channels" in body
        assert "No perimeter recorded." in body

    def test_detail_counts_only_the_related_records_the_user_may_see(
            self, client_for, us_coordinator, mx_liaison):
        incident = make_incident(us_coordinator)
        shared = make_request(us_coordinator, incident, number="LA-1")
        us_only = make_request(us_coordinator, incident, number="LA-2", rel_to=())
        make_offer(mx_liaison, shared)
        make_deployment(mx_liaison, make_agreement(us_coordinator, mx_liaison, request=shared))
        us_page = client_for(us_coordinator).get(incident.get_absolute_url())
        mx_page = client_for(mx_liaison).get(incident.get_absolute_url())
        assert us_page.status_code == mx_page.status_code == 200
        us_sections = {s["key"]: s["count"] for s in us_page.context["related"]}
        mx_sections = {s["key"]: s["count"] for s in mx_page.context["related"]}
        assert us_sections == {"requests": 2, "offers": 2, "deployments": 1}
        assert mx_sections == {"requests": 1, "offers": 2, "deployments": 1}
        assert shared.get_absolute_url() in text(mx_page)
        assert us_only.get_absolute_url() not in text(mx_page)
        assert us_only.get_absolute_url() in text(us_page)

    def test_filters(self, client_for, us_coordinator, mx_liaison):
        make_incident(us_coordinator, name="Palisades Fire")
        make_incident(us_coordinator, name="Border Fire", latitude=32.6, longitude=-116.6,
                      status=Incident.Status.CONTAINED)
        make_incident(mx_liaison, name="Sismo Mexicali", kind="earthquake", latitude=32.6245,
                      longitude=-115.4523, country=mx_liaison.nation, rel_to=("USA",),
                      disclosure="approved")
        client = client_for(us_coordinator)

        def names(**query):
            response = client.get(reverse("response:incidents"), query)
            return sorted(i.name_en for i in response.context["page"].object_list)

        assert names() == ["Border Fire", "Palisades Fire", "Sismo Mexicali"]
        assert names(status="contained") == ["Border Fire"]
        assert names(kind="earthquake") == ["Sismo Mexicali"]
        assert names(country="MEX") == ["Sismo Mexicali"]
        assert names(nation="USA") == ["Border Fire", "Palisades Fire"]
        assert names(channel="direct") == ["Border Fire", "Sismo Mexicali"]
        assert names(q="palis") == ["Palisades Fire"]
        assert names(status="smouldering") == ["Border Fire", "Palisades Fire",
                                               "Sismo Mexicali"]  # shown as an error
        empty = client.get(reverse("response:incidents"), {"q": "nothing like it"})
        assert "No incident matches" in text(empty)
        partial = client.get(reverse("response:incidents"), {"kind": "earthquake"},
                             headers={"HX-Request": "true"})
        assert "<html" not in text(partial) and "Sismo Mexicali" in text(partial)

    def test_list_paginates_with_constant_queries(self, client_for, us_coordinator,
                                                  django_assert_max_num_queries):
        for n in range(30):
            make_incident(us_coordinator, name=f"Fire {n:02d}")
        client = client_for(us_coordinator)
        with django_assert_max_num_queries(14):
            first = client.get(reverse("response:incidents"))
        assert len(first.context["page"].object_list) == 25
        second = client.get(reverse("response:incidents"), {"page": 2})
        assert len(second.context["page"].object_list) == 5

    def test_export_follows_the_filters(self, client_for, us_coordinator):
        make_incident(us_coordinator, name="Palisades Fire")
        make_incident(us_coordinator, name="=HYPERLINK(1)", latitude=32.6, longitude=-116.6)
        client = client_for(us_coordinator)
        body = csv_text(client.get(reverse("response:incidents_export"), {"channel": "direct"}))
        assert "Palisades Fire" not in body
        assert "'=HYPERLINK(1)" in body and "Direct between neighbouring agencies" in body

    def test_create_update_and_marking_through_the_forms(self, client_for, us_coordinator):
        client = client_for(us_coordinator)
        response = client.post(reverse("response:incident_create"), {
            "i-name_en": "Border Fire", "i-name_es": "Incendio Border", "i-kind": "wildfire",
            "i-status": "active", "i-started_at": "2025-01-10T09:30", "i-latitude": "32.6",
            "i-longitude": "-116.6", "i-host_agency": organization("CAL FIRE").pk,
            "i-perimeter": "", "m-rel_to": ["MEX"], "m-disclosure": "not_reviewed"})
        incident = Incident.objects.get(name_en="Border Fire")
        assert response.status_code == 302 and response["Location"] == incident.get_absolute_url()
        assert incident.country.code == "USA" and incident.request_channel == "direct"
        assert incident.host_agency.acronym == "CAL FIRE"
        assert incident.started_at.isoformat() == "2025-01-10T17:30:00+00:00"  # Pacific time
        assert {n.code for n in incident.rel_to.all()} == {"USA", "MEX"}

        response = client.post(reverse("response:incident_update", args=[incident.pk]), {
            "i-name_en": "Border Fire", "i-name_es": "Incendio Border", "i-kind": "wildfire",
            "i-status": "contained", "i-started_at": "2025-01-10T09:30", "i-latitude": "34.05",
            "i-longitude": "-118.53", "i-host_agency": organization("CAL FIRE").pk,
            "i-country": "USA"})
        assert response.status_code == 302
        incident.refresh_from_db()
        assert incident.status == "contained" and incident.request_channel == "national"

        response = client.post(reverse("response:incident_marking", args=[incident.pk]),
                               {"rel_to": ["MEX"], "disclosure": "approved"})
        assert response.status_code == 302
        incident.refresh_from_db()
        assert incident.disclosure == "approved"
        history = text(client.get(incident.get_absolute_url()))
        assert us_coordinator.username in history and "contained" in history.lower()

    def test_form_shows_service_refusals_on_the_fields(self, client_for, us_coordinator):
        response = client_for(us_coordinator).post(reverse("response:incident_create"), {
            "i-name_en": "Bad", "i-name_es": "Malo", "i-kind": "wildfire",
            "i-status": "active", "i-started_at": "2025-01-10T09:30", "i-latitude": "32.6",
            "i-longitude": "-116.6", "i-host_agency": organization("CalGuard").pk,
            "i-perimeter": '{"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], '
                           '[0, 1]]]}', "m-disclosure": "not_reviewed"})
        assert response.status_code == 200
        assert "not closed" in " ".join(response.context["form"].errors["perimeter"])
        assert not Incident.objects.filter(name_en="Bad").exists()

    def test_partner_and_viewer_see_no_edit_and_are_refused(self, client_for, us_coordinator,
                                                            us_viewer, mx_liaison):
        incident = make_incident(us_coordinator)
        for user in (mx_liaison, us_viewer):
            client = client_for(user)
            page = client.get(incident.get_absolute_url())
            assert page.status_code == 200
            assert not page.context["can_change"] and not page.context["can_mark"]
            for name in ("incident_update", "incident_marking"):
                assert client.get(reverse(f"response:{name}", args=[incident.pk])
                                  ).status_code == 404
        assert client_for(us_viewer).get(reverse("response:incident_create")).status_code == 403
        assert client_for(mx_liaison).get(reverse("response:incident_create")
                                          ).status_code == 200

    def test_host_agency_choices_are_the_users_nation(self, client_for, mx_liaison):
        form = client_for(mx_liaison).get(reverse("response:incident_create")).context["form"]
        assert {o.nation.code for o in form.fields["host_agency"].queryset} == {"MEX"}


# Units ---------------------------------------------------------------------------------------

class TestUnitPages:
    def test_filters(self, client_for, us_coordinator, mx_liaison):
        make_unit(us_coordinator, name="Crew 7")
        make_unit(us_coordinator, name="Engine 3", kind="ENGINE-T3",
                  organization=organization("CAL FIRE"), held_for_home_coverage=True,
                  cross_border_eligible=False, availability=Unit.Availability.COMMITTED)
        make_unit(mx_liaison, name="Brigada 12", kind="CREW-CONAFOR", rel_to=("USA",),
                  organization=organization("CONAFOR"))
        client = client_for(us_coordinator)

        def names(**query):
            response = client.get(reverse("response:units"), query)
            return sorted(u.name for u in response.context["page"].object_list)

        assert names() == ["Brigada 12", "Crew 7", "Engine 3"]
        assert names(organization="CAL FIRE") == ["Engine 3"]
        assert names(kind="CREW-CONAFOR") == ["Brigada 12"]
        assert names(availability="committed") == ["Engine 3"]
        assert names(cross_border="yes") == ["Brigada 12", "Crew 7"]
        assert names(cross_border="no") == ["Engine 3"]
        assert names(held="yes") == ["Engine 3"]
        assert names(q="brig") == ["Brigada 12"]
        assert "No unit matches" in text(client.get(reverse("response:units"), {"q": "zzz"}))
        body = csv_text(client.get(reverse("response:units_export"), {"held": "yes"}))
        assert "Engine 3" in body and "Crew 7" not in body

    def test_list_has_constant_queries(self, client_for, us_coordinator,
                                       django_assert_max_num_queries):
        for n in range(20):
            make_unit(us_coordinator, name=f"Crew {n}")
        client = client_for(us_coordinator)
        with django_assert_max_num_queries(14):
            response = client.get(reverse("response:units"))
        assert len(response.context["page"].object_list) == 20

    def test_create_update_and_marking_through_the_forms(self, client_for, us_coordinator):
        client = client_for(us_coordinator)
        kind = ResourceKind.objects.get(code="HELO-T2")
        fields = {"u-name": "Helicopter 2", "u-organization": organization("CalGuard").pk,
                  "u-kind": kind.pk, "u-home_base": "Mather", "u-home_latitude": "38.55",
                  "u-home_longitude": "-121.29", "u-headcount": "4", "u-languages": "en, es",
                  "u-availability": "available", "u-available_from": "2025-01-08T08:00",
                  "u-available_until": "2025-01-07T08:00", "u-cross_border_eligible": "on",
                  "m-rel_to": ["MEX"], "m-disclosure": "not_reviewed"}
        refused = client.post(reverse("response:unit_create"), fields)
        assert refused.status_code == 200
        assert "after its start" in " ".join(refused.context["form"].errors["available_until"])
        response = client.post(reverse("response:unit_create"),
                               {**fields, "u-available_until": "2025-01-22T08:00"})
        unit = Unit.objects.get(name="Helicopter 2")
        assert response.status_code == 302 and unit.languages == "en,es"
        assert unit.cross_border_eligible and not unit.held_for_home_coverage
        response = client.post(reverse("response:unit_update", args=[unit.pk]), {
            **fields, "u-available_until": "2025-01-22T08:00", "u-languages": "es",
            "u-held_for_home_coverage": "on"})
        assert response.status_code == 302
        unit.refresh_from_db()
        assert unit.held_for_home_coverage and unit.languages == "es"
        response = client.post(reverse("response:unit_marking", args=[unit.pk]),
                               {"disclosure": "in_review"})
        assert response.status_code == 302
        unit.refresh_from_db()
        assert unit.disclosure == "in_review"
        page = text(client.get(unit.get_absolute_url()))
        assert "Yes: kept at home so the sending jurisdiction is not drawn down" in page

    def test_organization_choices_and_partner_refusals(self, client_for, us_coordinator,
                                                       mx_liaison):
        unit = make_unit(us_coordinator)
        client = client_for(mx_liaison)
        form = client.get(reverse("response:unit_create")).context["form"]
        assert {o.nation.code for o in form.fields["organization"].queryset} == {"MEX"}
        assert client.get(reverse("response:unit_update", args=[unit.pk])).status_code == 404
        assert client.post(reverse("response:unit_marking", args=[unit.pk]),
                           {"disclosure": "approved"}).status_code == 404


# Resource kinds and ports --------------------------------------------------------------------

def test_kind_list_filters_and_shows_both_names(client_for, us_viewer):
    client = client_for(us_viewer)
    aviation = client.get(reverse("response:kinds"), {"category": "Aviation"})
    codes = [k.code for k in aviation.context["page"].object_list]
    assert "HELO-T1" in codes and "AIRTANKER-LARGE" in codes and "CREW-HAND-T1" not in codes
    found = client.get(reverse("response:kinds"), {"q": "CONAFOR"})
    body = text(found)
    assert "CREW-CONAFOR" in body and "Combatientes de incendios forestales de la CONAFOR" in body
    assert "No resource kind matches." in text(client.get(reverse("response:kinds"),
                                                          {"q": "zzzz"}))


def test_kind_detail_shows_substitutes_and_visible_units(client_for, us_coordinator,
                                                         mx_liaison):
    make_unit(us_coordinator, name="US-only crew", rel_to=())
    make_unit(us_coordinator, name="Shared crew")
    response = client_for(mx_liaison).get(reverse("response:kind", args=["CREW-HAND-T2"]))
    body = text(response)
    assert "4-508-1281" in body
    assert reverse("response:kind", args=["CREW-CONAFOR"]) in body  # an acceptable substitute
    assert "Shared crew" in body and "US-only crew" not in body
    assert response.context["unit_count"] == 1
    assert client_for(mx_liaison).get(reverse("response:kind", args=["NOPE"])).status_code == 404


def test_ports_show_parsed_and_published_hours(client_for, us_viewer):
    client = client_for(us_viewer)
    body = text(client.get(reverse("response:ports")))
    assert "San Ysidro" in body and "Open 24 hours" in body and "06:00–22:00" in body
    cargo = PortOfEntry.objects.get(key="2506-C")
    detail = client.get(reverse("response:port", args=[cargo.key]))
    page = text(detail)
    assert "06:00–22:00, monday to friday" in page
    assert cargo.hours_text in page
    assert 'data-testid="provisional-notice"' in page
    assert "Tijuana (Mesa de Otay)" in page
    assert ">Yes<" in page.replace(" ", "")  # commercial
    san_ysidro = text(client.get(reverse("response:port", args=["2504"])))
    assert 'data-testid="provisional-notice"' not in san_ysidro
    assert client.get(reverse("response:port", args=["9999"])).status_code == 404


def test_reference_pages_need_sign_in(client):
    for url in (reverse("response:kinds"), reverse("response:ports"),
                reverse("response:incidents"), reverse("response:units")):
        assert client.get(url).status_code == 302
