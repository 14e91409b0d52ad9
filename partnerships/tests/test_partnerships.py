"""Partnerships through the UI and the API: one service path, history, clear errors."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Nation
from partnerships.models import Partnership
from partnerships.services import update_partnership
from partnerships.tests.factories import make_partnership


def test_create_through_the_ui_records_history_with_the_request_id(client_for, us_coordinator):
    client = client_for(us_coordinator)
    response = client.post(reverse("partnerships:create"), {
        "p-name_en": "California – Nigeria", "p-name_es": "California – Nigeria",
        "p-us_state": "CA", "p-partner_nation": Nation.objects.get(code="NGA").pk,
        "p-status": "active", "m-rel_to": ["NGA"], "m-disclosure": "approved",
    }, headers={"X-Request-ID": "req-create-1"})
    partnership = Partnership.objects.get()
    assert response.status_code == 302 and response.url == partnership.get_absolute_url()
    assert {n.code for n in partnership.rel_to.all()} == {"USA", "NGA"}
    created = LogEntry.objects.get_for_object(partnership).get(action=LogEntry.Action.CREATE)
    assert created.actor == us_coordinator and created.cid == "req-create-1"
    detail = client.get(partnership.get_absolute_url())
    assert "req-create" in detail.content.decode()  # the history on the record's page


def test_invalid_form_rerenders_with_errors_and_saves_nothing(client_for, us_coordinator):
    make_partnership(us_coordinator, partner="MEX")
    response = client_for(us_coordinator).post(reverse("partnerships:create"), {
        "p-name_en": "", "p-name_es": "Otra", "p-us_state": "CA",
        "p-partner_nation": Nation.objects.get(code="MEX").pk, "p-status": "active",
        "m-disclosure": "not_reviewed",
    })
    assert response.status_code == 200
    assert "name_en" in response.context["form"].errors
    assert Partnership.objects.count() == 1


def test_a_second_partnership_with_the_same_nation_is_refused(us_coordinator):
    make_partnership(us_coordinator, partner="MEX")
    with pytest.raises(ValidationError):
        make_partnership(us_coordinator, partner="MEX")
    assert Partnership.objects.count() == 1


def test_viewers_and_partners_cannot_write(us_viewer, mx_liaison, us_coordinator):
    partnership = make_partnership(us_coordinator, rel_to=["MEX"])
    with pytest.raises(PermissionDenied):
        make_partnership(us_viewer, partner="NGA")
    with pytest.raises(PermissionDenied):
        update_partnership(mx_liaison, partnership, name_en="Renamed")


def test_partner_gets_404_for_edit_pages_of_records_it_does_not_own(client_for, us_coordinator,
                                                                    mx_liaison):
    partnership = make_partnership(us_coordinator, rel_to=["MEX"])
    client = client_for(mx_liaison)
    assert client.get(partnership.get_absolute_url()).status_code == 200
    assert client.get(reverse("partnerships:update", args=[partnership.pk])).status_code == 404
    assert client.get(reverse("partnerships:marking", args=[partnership.pk])).status_code == 404


def test_marking_form_changes_who_sees_it(client_for, us_coordinator, mx_liaison):
    partnership = make_partnership(us_coordinator, partner="UKR", rel_to=["USA"])
    assert client_for(mx_liaison).get(partnership.get_absolute_url()).status_code == 404
    response = client_for(us_coordinator).post(
        reverse("partnerships:marking", args=[partnership.pk]),
        {"rel_to": ["MEX"], "disclosure": "approved", "tlp": ""})
    assert response.status_code == 302
    assert client_for(mx_liaison).get(partnership.get_absolute_url()).status_code == 200


def test_list_filters_and_htmx_partial(client_for, us_coordinator):
    make_partnership(us_coordinator, partner="MEX")
    make_partnership(us_coordinator, partner="UKR", status="suspended")
    client = client_for(us_coordinator)
    page = client.get(reverse("partnerships:list"), {"partner_nation": "mex"})
    assert [p.partner_nation.code for p in page.context["page"]] == ["MEX"]
    partial = client.get(reverse("partnerships:list"), {"status": "suspended"},
                         headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert [p.partner_nation.code for p in partial.context["page"]] == ["UKR"]


def test_list_page_and_api_list_do_not_grow_queries_per_record(client_for, us_coordinator):
    client = client_for(us_coordinator)
    make_partnership(us_coordinator, partner="MEX")

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    before = (queries(reverse("partnerships:list")), queries("/api/v1/partnerships"))
    for code in ("UKR", "NGA"):
        make_partnership(us_coordinator, partner=code, rel_to=["USA", "MEX"])
    after = (queries(reverse("partnerships:list")), queries("/api/v1/partnerships"))
    assert after == before


def test_export_is_csv_of_what_the_user_may_see(client_for, us_coordinator):
    make_partnership(us_coordinator, partner="MEX", name_en="California – Mexico")
    response = client_for(us_coordinator).get(reverse("partnerships:export"))
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("id,")
    assert "California – Mexico" in text


class TestAPI:
    def test_create_read_update_and_history(self, client_for, us_coordinator):
        client = client_for(us_coordinator)
        created = client.post("/api/v1/partnerships", {
            "name_en": "California – Ukraine", "name_es": "California – Ucrania",
            "partner_nation": "ukr", "established": 1993,
            "marking": {"rel_to": ["UKR"], "disclosure": "approved"},
        }, content_type="application/json")
        assert created.status_code == 201, created.content
        body = created.json()
        assert body["marking"] == {"owner": "USA", "rel_to": ["UKR", "USA"],
                                   "disclosure": "approved", "tlp": None}
        url = f"/api/v1/partnerships/{body['id']}"
        patched = client.patch(url, {"status": "suspended"}, content_type="application/json")
        assert patched.status_code == 200 and patched.json()["status"] == "suspended"
        history = client.get(url + "/history").json()
        assert [h["action"] for h in history][:2] == ["update", "update"] or \
            history[0]["changes"]["status"] == ["active", "suspended"]
        assert history[0]["actor"] == us_coordinator.username

    def test_validation_errors_name_the_field_in_the_users_language(self, client_for,
                                                                     us_coordinator):
        client = client_for(us_coordinator, headers={"Accept-Language": "es"})
        response = client.post("/api/v1/partnerships", {"name_es": "x", "partner_nation": "MEX"},
                               content_type="application/json")
        assert response.status_code == 422
        body = response.json()
        assert body["errors"] == [{"field": "name_en", "message": "Este campo es obligatorio."}]
        assert body["detail"] == "La solicitud no es válida."

    def test_unknown_nation_is_a_field_error(self, client_for, us_coordinator):
        response = client_for(us_coordinator).post(
            "/api/v1/partnerships",
            {"name_en": "x", "name_es": "x", "partner_nation": "XYZ"},
            content_type="application/json")
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == "partner_nation"

    def test_session_writes_need_the_csrf_token(self, us_coordinator):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(us_coordinator)
        response = client.post("/api/v1/partnerships", {"name_en": "x", "name_es": "x",
                                                        "partner_nation": "MEX"},
                               content_type="application/json")
        assert response.status_code == 403
        assert "CSRF" in response.json()["detail"]

    def test_page_size_is_capped(self, client_for, us_coordinator):
        client = client_for(us_coordinator)
        assert client.get("/api/v1/partnerships", {"limit": 201}).status_code == 422
        assert client.get("/api/v1/partnerships", {"limit": 200}).status_code == 200

    def test_outsider_sees_an_empty_list_and_404s(self, client_for, us_coordinator, outsider):
        partnership = make_partnership(us_coordinator)
        client = client_for(outsider)
        assert client.get("/api/v1/partnerships").json() == {"items": [], "count": 0}
        assert client.get(f"/api/v1/partnerships/{partnership.pk}").status_code == 404
