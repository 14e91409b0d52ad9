"""An engagement that ends before it starts is refused on its end date, in the user's
language, by the form and the API alike, never as the database constraint's name at the top of
the form. Its dates, and the dates its participants' gates were updated, take the years every
form and the API accept (core.validators), with the one message."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.testing import error
from core.validators import EARLIEST_YEAR, LATEST_YEAR, year_range_message
from engagements.models import Engagement
from engagements.services import engagements as engagement_services
from engagements.services import lifecycle
from engagements.tests.factories import make_engagement, make_person, mexico

API = "/api/v1/engagements"


def form_data(partnership, **fields):
    data = {"e-partnership": partnership.pk, "e-title_en": "Cyber exercise",
            "e-title_es": "Ejercicio cibernético", "e-type": "exercise",
            "e-direction": "to_partner", "e-location": "Mexico City",
            "e-start_date": "2025-10-03", "e-end_date": "2025-09-30",
            "m-disclosure": "not_reviewed"}
    return {**data, **{f"e-{k}": v for k, v in fields.items()}}


def test_an_end_before_the_start_is_refused_on_the_end_date(client_for, us_coordinator):
    partnership = mexico(us_coordinator)
    client = client_for(us_coordinator)
    for language, words in (("en", "The end cannot be before the start."),
                            ("es", "El fin no puede ser anterior al inicio.")):
        response = client.post(reverse("engagements:create"), form_data(partnership),
                               HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        form = response.context["form"]
        assert form.errors["end_date"] == [words]
        assert not form.non_field_errors()
        assert "engagement_ends_on_or_after_start" not in response.content.decode()
    body = error(client.post(API, {
        "partnership": partnership.pk, "title_en": "Cyber exercise",
        "title_es": "Ejercicio cibernético", "type": "exercise", "direction": "to_partner",
        "location": "Mexico City", "start_date": "2025-10-03", "end_date": "2025-09-30",
    }, content_type="application/json", HTTP_ACCEPT_LANGUAGE="es"), 422)
    assert {e["field"]: e["message"] for e in body["errors"]} == {
        "end_date": "El fin no puede ser anterior al inicio."}
    assert not Engagement.objects.exists()



FIRST, LAST = date(EARLIEST_YEAR, 1, 1), date(LATEST_YEAR, 12, 31)


def test_dates_outside_the_years_are_refused_with_the_one_message(client_for, us_coordinator):
    partnership = mexico(us_coordinator)
    client = client_for(us_coordinator)
    before = FIRST.replace(year=EARLIEST_YEAR - 1, month=12, day=31).isoformat()
    response = client.post(reverse("engagements:create"), form_data(
        partnership, start_date=before, end_date=FIRST.isoformat()))
    assert response.status_code == 200
    assert response.context["form"].errors["start_date"] == [year_range_message()]
    after = date(LATEST_YEAR + 1, 1, 1).isoformat()
    body = error(client.post(API, {
        "partnership": partnership.pk, "title_en": "Cyber exercise",
        "title_es": "Ejercicio cibernético", "type": "exercise", "direction": "to_partner",
        "location": "Mexico City", "start_date": FIRST.isoformat(), "end_date": after,
    }, content_type="application/json"), 422)
    assert {e["field"]: e["message"] for e in body["errors"]} == {
        "end_date": year_range_message()}
    assert not Engagement.objects.exists()


def test_the_first_and_last_days_of_the_years_are_accepted(us_coordinator):
    engagement = make_engagement(us_coordinator, start=FIRST, end=FIRST)
    lifecycle.transition(us_coordinator, engagement, "postponed", start_date=LAST,
                         end_date=LAST)
    engagement.refresh_from_db()
    assert (engagement.start_date, engagement.end_date) == (LAST, LAST)
    with pytest.raises(ValidationError) as caught:
        lifecycle.transition(us_coordinator, engagement, "postponed",
                             start_date=date(LATEST_YEAR + 1, 1, 1))
    assert caught.value.message_dict == {"start_date": [year_range_message()],
                                         "end_date": [year_range_message()]}


def test_gate_dates_take_the_same_years(us_coordinator):
    engagement = make_engagement(us_coordinator)
    participation = engagement_services.add_participant(
        us_coordinator, engagement, make_person(us_coordinator, "Juan Pérez", nation="USA"),
        clearance_submitted_on=FIRST)
    with pytest.raises(ValidationError) as caught:
        engagement_services.update_participation(
            us_coordinator, participation, country_clearance="submitted",
            clearance_submitted_on=date(EARLIEST_YEAR - 1, 12, 31))
    assert caught.value.message_dict == {"clearance_submitted_on": [year_range_message()]}
