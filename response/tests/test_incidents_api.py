"""The incidents, units, resource-kinds and ports-of-entry API: create, read, patch and marking
with the border derivation, errors in the one shape with field names (in Spanish for a Spanish
reader), partner and viewer refusals, filters and a bounded number of queries."""

import pytest

from core.testing import error, ok
from response.models import Incident, Unit
from response.tests.factories import make_incident, make_unit

API = "/api/v1"
JSON = "application/json"


def fields_of(body):
    return {e["field"]: e["message"] for e in body["errors"]}


BORDER_FIRE = {"name_en": "Border Fire", "name_es": "Incendio Border", "kind": "wildfire",
               "started_at": "2025-01-10T09:30:00", "latitude": 32.6, "longitude": -116.6,
               "host_agency": "CAL FIRE"}


class TestIncidents:
    def test_create_read_patch_marking_and_history(self, client_for, us_coordinator):
        client = client_for(us_coordinator)
        created = ok(client.post(f"{API}/incidents", {
            **BORDER_FIRE, "perimeter": {"type": "Polygon", "coordinates": [[
                [-116.62, 32.59], [-116.58, 32.59], [-116.58, 32.61], [-116.62, 32.59]]]},
            "marking": {"rel_to": ["MEX"], "disclosure": "not_reviewed"}}, content_type=JSON),
            201)
        assert created["country"] == "USA" and created["side"] == "USA"
        assert created["host_agency"] == "CAL FIRE"
        assert created["request_channel"] == "direct" and created["border_distance_km"] < 16
        assert "neighbouring agencies may ask each other directly" in created[
            "request_channel_explanation"]
        assert created["started_at"] == "2025-01-10T17:30:00Z"  # sent in the user's zone
        assert created["perimeter_summary"]["positions"] == 4
        assert created["related"] == {"requests": 0, "offers": 0, "deployments": 0}
        assert created["marking"] == {"owner": "USA", "rel_to": ["MEX", "USA"],
                                      "disclosure": "not_reviewed", "tlp": None}
        url = f"{API}/incidents/{created['id']}"
        moved = ok(client.patch(url, {"latitude": 31.8667, "longitude": -116.5964,
                                      "country": "MEX", "perimeter": None,
                                      "status": "contained"}, content_type=JSON))
        assert moved["request_channel"] == "national" and moved["side"] == "MEX"
        assert moved["perimeter"] is None and moved["perimeter_summary"] is None
        assert moved["status"] == "contained" and moved["name_en"] == "Border Fire"
        assert "through national channels" in moved["request_channel_explanation"]
        marking = ok(client.put(f"{url}/marking", {"rel_to": ["MEX"],
                                                    "disclosure": "approved"},
                                 content_type=JSON))
        assert marking["disclosure"] == "approved"
        history = ok(client.get(f"{url}/history"))
        assert history[0]["actor"] == us_coordinator.username and len(history) >= 3

    def test_errors_name_the_fields(self, client_for, us_coordinator):
        client = client_for(us_coordinator)
        body = error(client.post(f"{API}/incidents", {
            **BORDER_FIRE, "latitude": 95, "perimeter": {"type": "Point"}}, content_type=JSON),
            422)
        assert set(fields_of(body)) == {"latitude", "perimeter"}
        body = error(client.post(f"{API}/incidents", {**BORDER_FIRE, "host_agency": "PC-BC"},
                                 content_type=JSON), 422)
        assert "your nation's organizations" in fields_of(body)["host_agency"]
        body = error(client.post(f"{API}/incidents", {**BORDER_FIRE, "host_agency": "NOPE"},
                                 content_type=JSON), 422)
        assert "host_agency" in fields_of(body)
        body = error(client.post(f"{API}/incidents", {**BORDER_FIRE, "country": "XXX"},
                                 content_type=JSON), 422)
        assert "country" in fields_of(body)
        body = error(client.post(f"{API}/incidents", {**BORDER_FIRE, "kind": "meteor"},
                                 content_type=JSON), 422)
        assert "kind" in fields_of(body)
        assert not Incident.objects.exists()

    def test_errors_in_spanish(self, client_for, us_coordinator):
        client = client_for(us_coordinator, headers={"Accept-Language": "es"})
        body = error(client.post(f"{API}/incidents", {"name_es": "Incendio"},
                                 content_type=JSON), 422)
        assert body["detail"] == "La solicitud no es válida."
        messages = fields_of(body)
        assert {"name_en", "kind", "started_at", "latitude", "longitude"} <= set(messages)
        assert messages["name_en"] == "Este campo es obligatorio."
        incident = make_incident(us_coordinator)
        body = error(client.patch(f"{API}/incidents/{incident.pk}", {"perimeter": [1, 2]},
                                  content_type=JSON), 422)
        assert fields_of(body) == {"perimeter": "Ingrese un objeto."}
        body = error(client.patch(f"{API}/incidents/{incident.pk}",
                                  {"host_agency": "ZZZ"}, content_type=JSON), 422)
        assert fields_of(body) == {"host_agency": "Organización desconocida ZZZ."}

    def test_partner_and_viewer_refusals(self, client_for, us_coordinator, us_viewer,
                                         mx_liaison):
        incident = make_incident(us_coordinator)
        url = f"{API}/incidents/{incident.pk}"
        mx = client_for(mx_liaison, headers={"Accept-Language": "es"})
        assert ok(mx.get(url))["name"] == "Incendio Palisades Fire"
        body = error(mx.patch(url, {"status": "closed"}, content_type=JSON), 403)
        assert body["detail"] == "Solo el país propietario puede cambiar este registro."
        error(mx.put(f"{url}/marking", {"rel_to": []}, content_type=JSON), 403)
        viewer = client_for(us_viewer)
        error(viewer.post(f"{API}/incidents", BORDER_FIRE, content_type=JSON), 403)
        error(viewer.patch(url, {"status": "closed"}, content_type=JSON), 403)
        hidden = make_incident(us_coordinator, name="US only", rel_to=())
        error(mx.get(f"{API}/incidents/{hidden.pk}"), 404)
        error(mx.patch(f"{API}/incidents/{hidden.pk}", {"status": "closed"},
                       content_type=JSON), 404)
        assert Incident.objects.get(pk=incident.pk).status == "active"

    def test_filters_and_query_count(self, client_for, us_coordinator, mx_liaison,
                                     django_assert_max_num_queries):
        for n in range(12):
            make_incident(us_coordinator, name=f"Fire {n}")
        make_incident(us_coordinator, name="Border Fire", latitude=32.6, longitude=-116.6,
                      status="contained")
        make_incident(mx_liaison, name="Sismo", kind="earthquake", latitude=32.62,
                      longitude=-115.45, country=mx_liaison.nation, rel_to=("USA",))
        client = client_for(us_coordinator)

        def names(**query):
            return sorted(i["name_en"] for i in ok(client.get(f"{API}/incidents",
                                                              query))["items"])

        assert names(channel="direct") == ["Border Fire", "Sismo"]
        assert names(status="contained") == ["Border Fire"]
        assert names(kind="earthquake", country="MEX", nation="MEX") == ["Sismo"]
        assert names(q="border") == ["Border Fire"]
        error(client.get(f"{API}/incidents", {"channel": "sideways"}), 422)
        with django_assert_max_num_queries(8):
            page = ok(client.get(f"{API}/incidents", {"limit": 50}))
        assert page["count"] == 14 and len(page["items"]) == 14
        assert all("request_channel_explanation" in item for item in page["items"])


class TestUnits:
    def test_create_read_patch_and_marking(self, client_for, us_coordinator):
        client = client_for(us_coordinator)
        created = ok(client.post(f"{API}/units", {
            "name": "Helicopter 2", "kind": "HELO-T2", "home_base": "Mather",
            "home_latitude": 38.55, "home_longitude": -121.29, "headcount": 4,
            "languages": ["EN", "es"], "available_from": "2025-01-08T08:00:00-08:00",
            "available_until": "2025-01-22T08:00:00-08:00", "cross_border_eligible": True,
            "marking": {"rel_to": ["MEX"]}}, content_type=JSON), 201)
        assert created["organization"] == "CalGuard" and created["kind"] == "HELO-T2"
        assert created["languages"] == ["en", "es"] and created["availability"] == "available"
        url = f"{API}/units/{created['id']}"
        patched = ok(client.patch(url, {"held_for_home_coverage": True, "languages": "es, fr",
                                        "organization": "CAL FIRE"}, content_type=JSON))
        assert patched["held_for_home_coverage"] and patched["languages"] == ["es", "fr"]
        assert patched["organization"] == "CAL FIRE"
        assert ok(client.put(f"{url}/marking", {"rel_to": [], "disclosure": "in_review"},
                              content_type=JSON))["rel_to"] == ["USA"]
        assert ok(client.get(f"{url}/history"))[0]["actor"] == us_coordinator.username

    def test_errors_name_the_fields(self, client_for, us_coordinator, mx_liaison):
        client = client_for(us_coordinator)
        base = {"name": "X", "kind": "HELO-T2", "home_base": "Mather", "home_latitude": 38.5,
                "home_longitude": -121.3}
        for extra, field in (({"kind": "NOPE"}, "kind"), ({"languages": "en,spa"}, "languages"),
                             ({"organization": "CONAFOR"}, "organization"),
                             ({"home_latitude": -91}, "home_latitude"),
                             ({"headcount": -1}, "headcount"),
                             ({"available_from": "2025-01-08T08:00:00Z",
                               "available_until": "2025-01-08T07:00:00Z"}, "available_until")):
            body = error(client.post(f"{API}/units", {**base, **extra}, content_type=JSON), 422)
            assert field in fields_of(body), (extra, body)
        spanish = client_for(us_coordinator, headers={"Accept-Language": "es"})
        body = error(spanish.post(f"{API}/units", {"name": "X"}, content_type=JSON), 422)
        assert fields_of(body)["kind"] == "Este campo es obligatorio."
        unit = make_unit(us_coordinator)
        mx = client_for(mx_liaison, headers={"Accept-Language": "es"})
        body = error(mx.patch(f"{API}/units/{unit.pk}", {"headcount": 1}, content_type=JSON),
                     403)
        assert body["detail"] == "Solo el país propietario puede cambiar este registro."
        assert not Unit.objects.filter(name="X").exists()

    def test_filters_and_query_count(self, client_for, us_coordinator,
                                     django_assert_max_num_queries):
        for n in range(10):
            make_unit(us_coordinator, name=f"Crew {n}")
        make_unit(us_coordinator, name="Engine 3", kind="ENGINE-T3", held_for_home_coverage=True,
                  cross_border_eligible=False, availability="committed")
        client = client_for(us_coordinator)

        def names(**query):
            return sorted(u["name"] for u in ok(client.get(f"{API}/units", query))["items"])

        assert names(held_for_home_coverage=True) == ["Engine 3"]
        assert names(cross_border_eligible=False) == ["Engine 3"]
        assert names(availability="committed", kind="ENGINE-T3",
                     organization="calguard", nation="USA") == ["Engine 3"]
        assert names(q="crew 1") == ["Crew 1"]
        with django_assert_max_num_queries(8):
            page = ok(client.get(f"{API}/units", {"limit": 50}))
        assert page["count"] == 11


class TestReference:
    def test_resource_kinds(self, client_for, us_viewer, django_assert_max_num_queries):
        client = client_for(us_viewer, headers={"Accept-Language": "es"})
        with django_assert_max_num_queries(8):
            page = ok(client.get(f"{API}/resource-kinds", {"limit": 100}))
        assert page["count"] >= 40
        aviation = ok(client.get(f"{API}/resource-kinds", {"category": "Aviation"}))["items"]
        assert {k["category"] for k in aviation} == {"Aviation"}
        crew = ok(client.get(f"{API}/resource-kinds/CREW-HAND-T2"))
        assert crew["rtlt_id"] == "4-508-1281" and crew["typical_personnel"] == 20
        assert "CREW-CONAFOR" in crew["substitutes"]
        assert crew["name"] == crew["name_es"]  # in the reader's language
        conafor = ok(client.get(f"{API}/resource-kinds/CREW-CONAFOR"))
        assert "CREW-HAND-T2" in conafor["substitute_for"]
        assert [k["code"] for k in ok(client.get(f"{API}/resource-kinds",
                                                 {"q": "conafor"}))["items"]] == ["CREW-CONAFOR"]
        error(client.get(f"{API}/resource-kinds/NOPE"), 404)

    def test_ports_of_entry(self, client_for, us_viewer):
        client = client_for(us_viewer)
        ports = ok(client.get(f"{API}/ports-of-entry"))["items"]
        longitudes = [p["longitude"] for p in ports]
        assert longitudes == sorted(longitudes)  # west to east
        cargo = ok(client.get(f"{API}/ports-of-entry/2506-C"))
        assert cargo["commercial"] and cargo["opens"] == "06:00"
        assert cargo["closes"] == "22:00" and cargo["days"] == "mon-fri"
        assert cargo["hours_provisional"] and not cargo["open_all_day"]
        assert cargo["time_zone"] == "America/Los_Angeles" and "Mon-Fri" in cargo["hours_text"]
        san_ysidro = ok(client.get(f"{API}/ports-of-entry/2504"))
        assert san_ysidro["open_all_day"] and san_ysidro["opens"] is None
        commercial = ok(client.get(f"{API}/ports-of-entry", {"commercial": True}))["items"]
        assert commercial and all(p["commercial"] for p in commercial)
        error(client.get(f"{API}/ports-of-entry/0000"), 404)

    @pytest.mark.parametrize("path", ["/incidents", "/units", "/resource-kinds",
                                      "/ports-of-entry"])
    def test_needs_authentication(self, client, path):
        error(client.get(f"{API}{path}"), 401)
