"""Indicators, measurements and assessments take the years every form and the API take
(core.validators): year 0001 and 9999 are refused on the page and in the API alike."""

import pytest
from django.urls import reverse

from partnerships.models import Assessment, Indicator
from partnerships.tests.factories import make_program

MESSAGE = "Enter a date between 1900 and 2200."
INDICATOR = {"name_en": "Exercises", "name_es": "Ejercicios", "kind": "output",
             "unit": "exercises", "direction": "increase", "baseline_value": "1",
             "baseline_date": "2025-01-01", "target_value": "5", "target_date": "2026-01-01",
             "frequency": "annual"}
ASSESSMENT = {"kind": "periodic", "assessed_on": "2025-06-01", "rating": "not_rated",
              "findings_en": "On track.", "findings_es": "En curso."}


@pytest.fixture
def program(us_coordinator):
    return make_program(us_coordinator)


def prefixed(data):
    return {f"r-{k}": v for k, v in data.items()} | {"m-rel_to": ["MEX"],
                                                      "m-disclosure": "approved"}


@pytest.mark.parametrize("field", ["baseline_date", "target_date"])
@pytest.mark.parametrize("given", ["0001-01-01", "9999-12-31"])
def test_indicator_dates(client_for, us_coordinator, program, field, given):
    objective = program[2]
    client = client_for(us_coordinator)
    page = client.post(reverse("partnerships:indicator_create", args=[objective.pk]),
                       prefixed({**INDICATOR, field: given}))
    assert page.status_code == 200
    assert page.context["form"].errors[field] == [MESSAGE]
    api = client.post("/api/v1/indicators", {**INDICATOR, field: given,
                                             "objective": objective.pk},
                      content_type="application/json")
    assert api.status_code == 422
    assert api.json()["errors"] == [{"field": field, "message": MESSAGE}]
    assert Indicator.objects.count() == 1  # the program's own


@pytest.mark.parametrize("given", ["0001-01-01", "9999-12-31"])
def test_assessment_and_measurement_dates(client_for, us_coordinator, program, given):
    partnership, indicator = program[0], program[3]
    client = client_for(us_coordinator)
    page = client.post(reverse("partnerships:assessment_create", args=[partnership.pk]),
                       prefixed({**ASSESSMENT, "assessed_on": given}))
    assert page.context["form"].errors["assessed_on"] == [MESSAGE]
    api = client.post("/api/v1/assessments", {**ASSESSMENT, "assessed_on": given,
                                              "partnership": partnership.pk},
                      content_type="application/json")
    assert api.json()["errors"] == [{"field": "assessed_on", "message": MESSAGE}]
    assert not Assessment.objects.exists()
    page = client.post(reverse("partnerships:measurement_create", args=[indicator.pk]),
                       prefixed({"value": "3", "as_of": given, "source": "Log"}))
    assert page.context["form"].errors["as_of"] == [MESSAGE]
    api = client.post("/api/v1/measurements", {"indicator": indicator.pk, "value": 3,
                                               "as_of": given, "source": "Log"},
                      content_type="application/json")
    assert api.json()["errors"] == [{"field": "as_of", "message": MESSAGE}]
