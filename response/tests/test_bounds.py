"""Every mutual-aid field has sensible bounds, refused on the field in the user's language by
the form and by the API alike (one definition: core.bounds and the models' checks); the
database constraints stay as the last line. A request for 999,999,999,999 units, an incident
starting in 2099, a point in San Diego in "Nigeria", a request needed before its incident, and
unlimited text are each refused."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Nation
from core.bounds import LONG_TEXT, MAX_QUANTITY
from core.testing import error
from core.validators import year_range_message
from response.models import Deployment, Incident, ResourceKind, ResourceRequest
from response.services import deployments as services
from response.tests.factories import make_deployment
from response.tests.test_deployments_services import us_to_mexico

API = "/api/v1"
JSON = "application/json"
SAN_DIEGO = {"latitude": 32.7157, "longitude": -117.1611}


def api_errors(body):
    return {e["field"]: e["message"] for e in body["errors"]}


def form_errors(response, field):
    assert response.status_code == 200, response.status_code  # re-rendered, not saved
    return " ".join(response.context["form"].errors[field])


@pytest.fixture
def nigeria(reference):
    return Nation.objects.get_or_create(code="NGA", defaults={"name_en": "Nigeria",
                                                               "name_es": "Nigeria"})[0]


# ---- Incidents -------------------------------------------------------------------------------

def incident_form(user, **fields):
    data = {"i-name_en": "Harbor Fire", "i-name_es": "Incendio Harbor", "i-kind": "wildfire",
            "i-status": "active", "i-started_at": "2025-01-10T09:30", "i-latitude": "32.7157",
            "i-longitude": "-117.1611", "i-host_agency": user.organization_id,
            "i-perimeter": "", "m-disclosure": "not_reviewed"}
    return {**data, **{f"i-{k}": v for k, v in fields.items()}}


def incident_api(**fields):
    return {"name_en": "Harbor Fire", "name_es": "Incendio Harbor", "kind": "wildfire",
            "started_at": "2025-01-10T09:30:00", **SAN_DIEGO, "host_agency": "CAL FIRE",
            **fields}


class TestIncidentBounds:
    def test_an_active_incident_cannot_start_in_the_future(self, client_for, us_coordinator):
        client = client_for(us_coordinator)
        later = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
        response = client.post(reverse("response:incident_create"),
                               incident_form(us_coordinator, started_at=later))
        assert "cannot start in the future" in form_errors(response, "started_at")
        body = error(client.post(f"{API}/incidents", incident_api(
            started_at="2099-06-01T00:00:00"), content_type=JSON), 422)
        assert "cannot start in the future" in api_errors(body)["started_at"]
        # Spanish, on the field.
        response = client.post(reverse("response:incident_create"),
                               incident_form(us_coordinator, started_at="2099-06-01T00:00"),
                               HTTP_ACCEPT_LANGUAGE="es")
        assert "no puede comenzar en el futuro" in form_errors(response, "started_at")
        assert not Incident.objects.exists()

    def test_the_point_and_the_country_agree(self, client_for, us_coordinator, nigeria):
        client = client_for(us_coordinator)
        response = client.post(reverse("response:incident_create"),
                               incident_form(us_coordinator, country="NGA"))
        assert "The point lies in" in form_errors(response, "country")
        body = error(client.post(f"{API}/incidents", incident_api(country="MEX"),
                                 content_type=JSON, HTTP_ACCEPT_LANGUAGE="es"), 422)
        assert "El punto está en" in api_errors(body)["country"]
        # Tijuana is south of the line: not in the United States.
        body = error(client.post(f"{API}/incidents", incident_api(
            latitude=32.5149, longitude=-117.0382, country="USA"), content_type=JSON), 422)
        assert "country" in api_errors(body)
        # Far from the line the country given stands (the line cannot tell).
        client.post(reverse("response:incident_create"), incident_form(
            us_coordinator, name_en="Lagos flood", latitude="6.5244", longitude="3.3792",
            country="NGA"))
        assert Incident.objects.get(name_en="Lagos flood").country == nigeria
        # Left empty, the side of the line decides.
        client.post(reverse("response:incident_create"), incident_form(us_coordinator))
        assert Incident.objects.get(name_en="Harbor Fire").country.code == "USA"

    def test_text_is_bounded(self, client_for, us_coordinator):
        client = client_for(us_coordinator)
        response = client.post(reverse("response:incident_create"),
                               incident_form(us_coordinator, name_en="x" * 201))
        assert "at most 200 characters" in form_errors(response, "name_en")
        body = error(client.post(f"{API}/incidents", incident_api(name_en="x" * 201),
                                 content_type=JSON), 422)
        assert "name_en" in api_errors(body)


# ---- Resource requests -----------------------------------------------------------------------

def request_form(user, incident, **fields):
    data = {"r-incident": incident.pk, "r-requesting_organization": user.organization_id,
            "r-kind": ResourceKind.objects.get(code="CREW-HAND-T1").pk, "r-quantity": 3,
            "r-needed_by": "2025-01-10T08:00", "r-reporting_location": "Malibu staging",
            "r-priority": "high", "m-disclosure": "not_reviewed"}
    return {**data, **{f"r-{k}": v for k, v in fields.items()}}


def request_api(incident, **fields):
    return {"incident": incident.pk, "kind": "CREW-HAND-T1", "quantity": 3,
            "needed_by": "2025-01-10T08:00:00", "reporting_location": "Malibu staging",
            **fields}


class TestRequestBounds:
    def test_quantity_is_bounded(self, client_for, duty, incident):
        client = client_for(duty)
        response = client.post(reverse("response:request_create"),
                               request_form(duty, incident, quantity=999_999_999_999))
        assert f"{MAX_QUANTITY}" in form_errors(response, "quantity").replace(",", "")
        response = client.post(reverse("response:request_create"),
                               request_form(duty, incident, quantity=MAX_QUANTITY + 1),
                               HTTP_ACCEPT_LANGUAGE="es")
        assert "menor o igual a" in form_errors(response, "quantity")
        body = error(client.post(f"{API}/resource-requests", request_api(
            incident, quantity=999_999_999_999), content_type=JSON), 422)
        assert "quantity" in api_errors(body)
        assert not ResourceRequest.objects.exists()

    def test_needed_no_earlier_than_the_incident_started(self, client_for, duty, incident):
        client = client_for(duty)
        response = client.post(reverse("response:request_create"),
                               request_form(duty, incident, needed_by="2020-03-01T08:00"))
        assert "before its incident started" in form_errors(response, "needed_by")
        body = error(client.post(f"{API}/resource-requests", request_api(
            incident, needed_by="2020-03-01T08:00:00"), content_type=JSON,
            HTTP_ACCEPT_LANGUAGE="es"), 422)
        assert "antes de que comenzara su incidente" in api_errors(body)["needed_by"]
        assert not ResourceRequest.objects.exists()

    def test_text_is_bounded(self, client_for, duty, incident):
        client = client_for(duty)
        long = "x" * (LONG_TEXT + 1)
        page = client.get(reverse("response:request_create")).content.decode()
        assert f'maxlength="{LONG_TEXT}"' in page
        response = client.post(reverse("response:request_create"),
                               request_form(duty, incident, special_instructions=long))
        assert f"at most {LONG_TEXT}" in form_errors(response, "special_instructions")
        body = error(client.post(f"{API}/resource-requests", request_api(
            incident, special_instructions=long), content_type=JSON), 422)
        assert "special_instructions" in api_errors(body)
        assert not ResourceRequest.objects.exists()


# ---- Times and days given to the services: core.validators' one range ------------------------

class TestOneDateRange:
    """A service takes a time or a day in the one range of core.validators (the forms' and the
    API's), refused on the field in its words: a crossing planned for 2150 is kept, one after
    2200 and a daily status for 1899 are refused."""

    def test_a_time_outside_the_range_is_refused_on_its_field(self, us_coordinator,
                                                               mx_liaison):
        deployment = make_deployment(us_coordinator, us_to_mexico(us_coordinator, mx_liaison))
        later = datetime(2150, 6, 1, 12, tzinfo=UTC)
        services.update_deployment(us_coordinator, deployment, planned_crossing_at=later)
        deployment.refresh_from_db()
        assert deployment.planned_crossing_at == later
        with pytest.raises(ValidationError) as refused:
            services.update_deployment(us_coordinator, deployment,
                                       planned_crossing_at=datetime(2201, 1, 1, tzinfo=UTC))
        assert refused.value.message_dict == {"planned_crossing_at": [year_range_message()]}

    def test_a_day_outside_the_range_is_refused_on_its_field(self, us_coordinator, mx_liaison):
        deployment = make_deployment(us_coordinator, us_to_mexico(us_coordinator, mx_liaison),
                                     state=Deployment.State.ARRIVED)
        with pytest.raises(ValidationError) as refused:
            services.record_daily_status(us_coordinator, deployment, day=date(1899, 12, 31))
        assert refused.value.message_dict == {"day": [year_range_message()]}
