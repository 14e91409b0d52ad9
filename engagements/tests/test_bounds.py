"""An engagement that ends before it starts is refused on its end date, in the user's
language, by the form and the API alike, never as the database constraint's name at the top of
the form."""

from django.urls import reverse

from core.testing import error
from engagements.models import Engagement
from engagements.tests.factories import mexico

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

