"""Inputs that once answered a 500: deeply nested JSON and bodies over the upload limit. Each
is refused in the one error shape (API) or as a field error (forms)."""

import json

import pytest
from django.urls import reverse

from accounts.models import Organization
from response.models import Incident

NESTED = "[" * 5000 + "]" * 5000


def incident_fields(**overrides):
    return {"i-name_en": "Border Fire", "i-name_es": "Incendio Border", "i-kind": "wildfire",
            "i-status": "active", "i-started_at": "2025-01-10T09:30", "i-latitude": "32.6",
            "i-longitude": "-116.6",
            "i-host_agency": Organization.objects.get(acronym="CAL FIRE").pk,
            "m-disclosure": "not_reviewed", **overrides}


def test_a_deeply_nested_perimeter_is_a_field_error_on_the_form(client_for, us_coordinator):
    response = client_for(us_coordinator).post(
        reverse("response:incident_create"), incident_fields(**{"i-perimeter": NESTED}))
    assert response.status_code == 200
    assert response.context["form"].errors["perimeter"]
    assert not Incident.objects.exists()


def test_a_deeply_nested_body_is_refused_by_the_api(client_for, us_coordinator):
    body = ('{"name_en": "x", "name_es": "x", "kind": "wildfire", "status": "active", '
            '"started_at": "2025-01-10T09:30", "latitude": 32.6, "longitude": -116.6, '
            '"perimeter": {"type": "Polygon", "coordinates": ' + NESTED + "}}")
    response = client_for(us_coordinator).post("/api/v1/incidents", body,
                                               content_type="application/json")
    assert response.status_code == 422
    assert set(response.json()) == {"detail", "errors"}
    assert not Incident.objects.exists()


@pytest.mark.parametrize("language, words", [("en", "larger than 2.5"), ("es", "mayor que 2.5")])
def test_a_body_over_the_upload_limit_is_refused_in_the_error_shape(client_for, us_coordinator,
                                                                    settings, language, words):
    settings.DEBUG = True  # it was a 500 with the debug page, an HTML 400 without
    body = json.dumps({"name_en": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)})
    response = client_for(us_coordinator, headers={"Accept-Language": language}).post(
        "/api/v1/incidents", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["errors"] == []
    assert words in response.json()["detail"]
