"""Related records through the one rule (core.related): once an incident is narrowed to the
United States, a Mexican user's own offer, its agreement, their history and their notices no
longer name the incident — they read "a record not released to you" — while the owner still
reads its name."""

import pytest
from django.urls import reverse

from accounts.models import Nation
from core.services import notify
from core.testing import assert_related_hidden
from response.services.incidents import change_incident_marking
from response.tests.factories import (
    make_agreement,
    make_deployment,
    make_incident,
    make_offer,
    make_request,
)

SECRET = "Zeta Canyon Fire"


@pytest.fixture
def narrowed(persona_of, mx_liaison):
    """A US incident, a request on it and a Mexican offer with its agreement, all made while
    the incident was released to Mexico; then the incident is narrowed to the United States."""
    duty = persona_of("duty_officer")
    incident = make_incident(duty, name=SECRET, name_es=SECRET)
    request = make_request(duty, incident)
    offer = make_offer(mx_liaison, request)
    agreement = make_agreement(duty, mx_liaison, request=request, offer=offer)
    for user in (duty, mx_liaison):
        notify([user], offer, f"Offer accepted for {SECRET}", f"Oferta aceptada para {SECRET}",
               offer.get_absolute_url())
    notify([mx_liaison], request, f"New request for {SECRET}", f"Nueva solicitud: {SECRET}")
    change_incident_marking(duty, incident, rel_to=[Nation.objects.get(code="USA")],
                            disclosure="approved")
    return duty, offer, agreement


def test_a_narrowed_incident_is_not_named_on_the_partners_offer_agreement_history_or_notices(
        narrowed, mx_liaison):
    duty, offer, agreement = narrowed
    assert_related_hidden(
        owner=duty, reader=mx_liaison, secret=SECRET,
        paths=[reverse("response:offer", args=[offer.pk]), f"/api/v1/offers/{offer.pk}/history",
               reverse("response:agreement", args=[agreement.pk]),
               f"/api/v1/aid-agreements/{agreement.pk}", "/api/v1/aid-agreements",
               f"/api/v1/aid-agreements/{agreement.pk}/history",
               reverse("web:notifications")],
        exports=[reverse("response:offer_export")])


def test_a_notice_about_a_record_no_longer_released_shows_neither_text_nor_link(
        narrowed, mx_liaison, client_for):
    page = client_for(mx_liaison).get(reverse("web:notifications"),
                                      headers={"Accept-Language": "es"}).content.decode()
    assert "Un aviso sobre un registro que ya no se le divulga." in page
    assert "Nueva solicitud" not in page and SECRET not in page


def test_a_narrowed_incident_is_not_named_on_the_partners_request_or_deployment(
        persona_of, mx_liaison):
    duty = persona_of("duty_officer")
    incident = make_incident(duty, name=SECRET, name_es=SECRET)
    request = make_request(mx_liaison, incident, number="MX-2025-007", rel_to=("USA",))
    us_request = make_request(duty, incident)
    offer = make_offer(mx_liaison, us_request)
    deployment = make_deployment(mx_liaison, make_agreement(duty, mx_liaison, request=us_request,
                                                            offer=offer))
    change_incident_marking(duty, incident, rel_to=[Nation.objects.get(code="USA")],
                            disclosure="approved")
    assert_related_hidden(
        owner=duty, reader=mx_liaison, secret=SECRET,
        paths=[reverse("response:request", args=[request.pk]),
               f"/api/v1/resource-requests/{request.pk}/history",
               f"/api/v1/resource-requests/{request.pk}", "/api/v1/resource-requests",
               reverse("response:deployment", args=[deployment.pk]),
               reverse("response:requests"), reverse("response:offers")],
        exports=[reverse("response:request_export"), reverse("response:offer_export")])


def test_a_notice_made_after_the_incident_narrowed_does_not_name_it(persona_of, mx_liaison):
    from django.core import mail

    duty = persona_of("duty_officer")
    incident = make_incident(duty, name=SECRET, name_es=SECRET)
    offer = make_offer(mx_liaison, make_request(duty, incident))
    change_incident_marking(duty, incident, rel_to=[Nation.objects.get(code="USA")],
                            disclosure="approved")
    (notice,) = notify([mx_liaison], offer, f"Your offer for {SECRET} was accepted",
                       f"Su ofrecimiento para {SECRET} fue aceptado")
    assert notice.message_en == "Your offer for a record not released to you was accepted"
    assert notice.message_es == ("Su ofrecimiento para un registro que no se le ha divulgado "
                                 "fue aceptado")
    assert not any(SECRET in m.body or SECRET in m.subject for m in mail.outbox)
