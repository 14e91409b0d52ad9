"""Pages of requests, offers and agreements: releasability on every read path, the ICS-213RR
detail, forms, transitions as buttons, the offer form with its lines, drawing up, signing with
the hash confirmation, amending, and the reader's language."""

from datetime import timedelta

import pytest
from django.urls import reverse

from accounts.models import Nation, Organization
from core.models import Disclosure
from core.testing import ReleasabilityCase, assert_releasability
from response.models import AidAgreement, Offer, ResourceKind, ResourceRequest
from response.services.agreements import draw_up_agreement
from response.services.offers import create_offer
from response.tests.factories import START
from response.tests.test_aid_services import (
    in_force,
    line,
    new_offer,
    new_request,
    requester,
    submitted,
)

RS = ResourceRequest.State


def _kind_id(code):
    return ResourceKind.objects.get(code=code).pk


def _org_id(acronym):
    return Organization.objects.get(acronym=acronym).pk


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


# ---- Releasability on every read path ------------------------------------------------------

def test_requests_obey_releasability(duty, mx_liaison, incident):
    case = ReleasabilityCase(
        # Submitted: a draft is its nation's own whatever its marking (HELD_BACK).
        make=lambda user: submitted(user, incident, number="SECRET-REQ-77"),
        list_url=reverse("response:requests"),
        detail_url=lambda r: reverse("response:request", args=[r.pk]),
        api_list_url="/api/v1/resource-requests",
        api_detail_url=lambda r: f"/api/v1/resource-requests/{r.pk}",
        export_url=reverse("response:request_export"),
        text=lambda r: r.number,
        parents=lambda r: [r.incident],
    )
    assert_releasability(case, us_user=duty, mx_user=mx_liaison)


def test_offers_obey_releasability(duty, make_user, mx_liaison, incident):
    caloes = make_user("caloes", "CalOES", "duty_officer")

    def make(user):  # a domestic offer: CalGuard answers a CalOES request released to Mexico
        return create_offer(user, request=submitted(caloes, incident),
                                lines=[line(agency="CalGuard")], duration_days=5,
                                available_from=START, cost_terms="donated")

    case = ReleasabilityCase(
        make=make,
        list_url=reverse("response:offers"),
        detail_url=lambda o: reverse("response:offer", args=[o.pk]),
        api_list_url="/api/v1/offers",
        api_detail_url=lambda o: f"/api/v1/offers/{o.pk}",
        export_url=reverse("response:offer_export"),
        text=lambda o: str(o),
        parents=lambda o: [o.incident, o.request],
        notices=True,
    )
    assert_releasability(case, us_user=duty, mx_user=mx_liaison)


def test_agreements_obey_releasability(duty, make_user, mx_liaison, incident):
    caloes = make_user("caloes", "CalOES", "duty_officer")

    def make(user):  # a domestic agreement: CalOES helps CalGuard
        offer = create_offer(caloes, request=submitted(user, incident, rel_to=[]),
                                 lines=[line(agency="CalOES")], duration_days=5,
                                 available_from=START, cost_terms="donated")
        # The agreement names its offer and request: Mexico sees it only with them.
        for parent in (offer, offer.request):
            parent.rel_to.add(*Nation.objects.filter(code="MEX"))
            type(parent).objects.filter(pk=parent.pk).update(disclosure=Disclosure.APPROVED)
        return draw_up_agreement(user, offer)

    case = ReleasabilityCase(
        make=make,
        list_url=reverse("response:agreements"),
        detail_url=lambda a: reverse("response:agreement", args=[a.pk]),
        api_list_url="/api/v1/aid-agreements",
        api_detail_url=lambda a: f"/api/v1/aid-agreements/{a.pk}",
        export_url=None,
        text=lambda a: a.text_hash[:16],
        parents=lambda a: [a.offer, a.offer.request, a.offer.incident],
    )
    assert_releasability(case, us_user=duty, mx_user=mx_liaison)


# ---- Requests --------------------------------------------------------------------------------

def test_request_list_filters_pagination_and_empty_state(client_for, duty, incident):
    client = client_for(duty)
    assert "No resource request matches" in text(client.get(reverse("response:requests")))
    for n in range(27):
        new_request(duty, incident, priority="urgent" if n % 2 else "routine")
    page = text(client.get(reverse("response:requests")))
    assert "Page 1 of 2" in page and "USA-2025-0027" in page
    urgent = text(client.get(reverse("response:requests"), {"priority": "urgent"}))
    assert "USA-2025-0002" in urgent and "USA-2025-0001<" not in urgent
    none = text(client.get(reverse("response:requests"), {"state": "filled"}))
    assert "No resource request matches" in none
    partial = client.get(reverse("response:requests"), {"kind": "CREW-HAND-T2"},
                         headers={"HX-Request": "true"})
    assert "<html" not in text(partial) and "USA-2025-0027" in text(partial)


def test_request_create_update_and_detail(client_for, duty, incident):
    client = client_for(duty)
    form_page = text(client.get(reverse("response:request_create")))
    assert 'name="r-needed_by"' in form_page and 'type="datetime-local"' in form_page
    response = client.post(reverse("response:request_create"), {
        "r-incident": incident.pk, "r-requesting_organization": duty.organization_id,
        "r-kind": _kind_id("CREW-HAND-T1"), "r-quantity": 3, "r-needed_by": "2025-01-10T08:00",
        "r-reporting_location": "Malibu staging", "r-priority": "high",
        "r-special_instructions": "Bring chainsaws", "r-substitutes_acceptable": "on",
        "m-rel_to": ["MEX"], "m-disclosure": "approved"})
    created = ResourceRequest.objects.get()
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert created.number == "USA-2025-0001" and created.state == RS.DRAFT
    detail = text(client.get(created.get_absolute_url()))
    for expected in ("ICS-213RR", "USA-2025-0001", "Malibu staging", "Bring chainsaws",
                     "CREW-HAND-T1", "High", 'data-testid="transition-submit"',
                     'data-testid="edit-request"'):
        assert expected in detail, expected
    client.post(reverse("response:request_update", args=[created.pk]), {
        "r-incident": incident.pk, "r-requesting_organization": duty.organization_id,
        "r-kind": _kind_id("CREW-HAND-T1"), "r-quantity": 4, "r-needed_by": "2025-01-10T08:00",
        "r-reporting_location": "Malibu staging", "r-priority": "high", "r-number": "LA-9"})
    created.refresh_from_db()
    assert created.quantity == 4 and created.number == "LA-9"


def test_request_form_shows_service_refusals(client_for, make_user, duty, incident):
    user = requester(make_user)
    response = client_for(user).post(reverse("response:request_create"), {
        "r-incident": incident.pk, "r-requesting_organization": user.organization_id,
        "r-kind": _kind_id("CREW-HAND-T1"), "r-quantity": 3, "r-needed_by": "2025-01-10T08:00",
        "r-reporting_location": "Malibu", "r-priority": "high",
        "m-rel_to": ["MEX"], "m-disclosure": "approved"})
    assert "Only a foreign disclosure reviewer" in text(response)
    assert not ResourceRequest.objects.exists()


def test_transition_buttons_with_reasons(client_for, duty, mx_liaison, incident):
    request = new_request(duty, incident)
    client = client_for(duty)
    url = reverse("response:request_transition", args=[request.pk, "submit"])
    response = client.post(url, follow=True)
    assert "The request is now submitted." in messages_of(response)
    page = text(client.get(request.get_absolute_url()))
    assert 'id="reason-cancel"' in page and 'data-testid="transition-unable_to_fill"' in page
    refused = client.post(reverse("response:request_transition", args=[request.pk, "cancel"]),
                          follow=True)
    assert any("Give the reason" in m for m in messages_of(refused))
    client.post(reverse("response:request_transition", args=[request.pk, "cancel"]),
                {"reason": "Fire contained"})
    request.refresh_from_db()
    assert request.state == RS.CANCELLED and request.state_reason == "Fire contained"
    # The partner sees the request but no button to move it.
    partner = text(client_for(mx_liaison).get(request.get_absolute_url()))
    assert "transition-" not in partner
    assert client_for(mx_liaison).post(url).status_code == 302
    request.refresh_from_db()
    assert request.state == RS.CANCELLED


def test_request_marking_page(client_for, duty, mx_liaison, incident):
    request = submitted(duty, incident, rel_to=[], disclosure=Disclosure.NOT_REVIEWED)
    client = client_for(duty)
    assert "Change marking" in text(client.get(reverse("response:request_marking",
                                                       args=[request.pk])))
    client.post(reverse("response:request_marking", args=[request.pk]),
                {"rel_to": ["MEX"], "disclosure": "approved", "tlp": ""})
    assert ResourceRequest.objects.restrict(mx_liaison).filter(pk=request.pk).exists()
    assert client_for(mx_liaison).get(
        reverse("response:request_marking", args=[request.pk])).status_code == 404


def test_request_export_csv(client_for, duty, incident):
    new_request(duty, incident, reporting_location="=HYPERLINK()")
    response = client_for(duty).get(reverse("response:request_export"))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "USA-2025-0001" in body and "'=HYPERLINK()" in body


# ---- Offers ----------------------------------------------------------------------------------

def test_offer_form_prefills_from_the_request_and_creates(client_for, duty, mx_liaison,
                                                          incident):
    request = submitted(duty, incident, quantity=2)
    client = client_for(mx_liaison)
    page = text(client.get(reverse("response:offer_create") + f"?request={request.pk}"))
    assert request.number in page and 'name="l-0-quantity"' in page
    assert 'name="l-0-quantity" value="2"' in page and 'value="40"' in page  # 2 × 20 people
    response = client.post(reverse("response:offer_create"), {
        "o-request": request.pk, "o-duration_days": 14, "o-available_from": "2025-01-09T10:00",
        "o-cost_terms": "donated", "o-currency": "MXN", "o-conditions_en": "PPE needed",
        "o-conditions_es": "Se necesita EPP",
        "l-TOTAL_FORMS": 2, "l-INITIAL_FORMS": 0, "l-MIN_NUM_FORMS": 0,
        "l-MAX_NUM_FORMS": 50,
        "l-0-kind": _kind_id("CREW-CONAFOR"), "l-0-quantity": 1, "l-0-headcount": 30,
        "l-0-agency": _org_id("CONAFOR"),
        "l-1-kind": _kind_id("CREW-HAND-T2"), "l-1-quantity": 1, "l-1-headcount": 42,
        "l-1-agency": _org_id("DEFENSA")})
    offer = Offer.objects.get()
    assert response.status_code == 302 and response.url == offer.get_absolute_url()
    assert offer.lines.count() == 2 and offer.disclosure == Disclosure.APPROVED
    assert {n.code for n in offer.rel_to.all()} == {"MEX", "USA"}

    spanish = text(client_for(duty, headers={"Accept-Language": "es"}).get(
        offer.get_absolute_url()))
    assert 'data-testid="conditions">Se necesita EPP<' in spanish
    english = text(client_for(duty).get(offer.get_absolute_url()))
    assert 'data-testid="conditions">PPE needed<' in english
    assert 'data-testid="draw-up"' in english
    assert 'data-testid="transition-review"' in english
    assert 'data-testid="draw-up"' not in text(client.get(offer.get_absolute_url()))
    assert 'data-testid="transition-withdraw"' in text(client.get(offer.get_absolute_url()))


def test_offer_form_shows_line_refusals(client_for, duty, mx_liaison, incident):
    request = submitted(duty, incident)
    response = client_for(mx_liaison).post(reverse("response:offer_create"), {
        "o-request": request.pk, "o-duration_days": 14, "o-available_from": "2025-01-09T10:00",
        "o-cost_terms": "donated", "o-currency": "MXN",
        "l-TOTAL_FORMS": 1, "l-INITIAL_FORMS": 0, "l-MIN_NUM_FORMS": 0, "l-MAX_NUM_FORMS": 50})
    assert "Offer at least one resource." in text(response)
    assert not Offer.objects.exists()


def test_offer_list_filters(client_for, duty, mx_liaison, incident):
    request = submitted(duty, incident)
    offer = new_offer(mx_liaison, request, [line(kind="CREW-CONAFOR", agency="CONAFOR")])
    client = client_for(duty)
    assert str(offer) in text(client.get(reverse("response:offers"), {"kind": "CREW-CONAFOR"}))
    assert "No offer matches" in text(client.get(reverse("response:offers"),
                                                 {"kind": "ENGINE-T1"}))
    assert "No offer matches" in text(client.get(reverse("response:offers"),
                                                 {"state": "accepted"}))
    assert str(offer) in text(client.get(reverse("response:offers"),
                                         {"nation": "MEX", "incident": incident.pk}))
    body = b"".join(client.get(reverse("response:offer_export")).streaming_content)
    assert "CREW-CONAFOR (CONAFOR)" in body.decode("utf-8-sig")


def test_offer_transitions_and_draw_up(client_for, persona_of, duty, mx_liaison, incident):
    offer = new_offer(mx_liaison, submitted(duty, incident))
    client = client_for(duty)
    client.post(reverse("response:offer_transition", args=[offer.pk, "review"]))
    offer.refresh_from_db()
    assert offer.state == Offer.State.UNDER_REVIEW
    draw_up = reverse("response:offer_agreement", args=[offer.pk])
    refused = client_for(mx_liaison).post(draw_up, follow=True)
    assert any("Only a user of the requesting organization" in m for m in messages_of(refused))
    mx_duty = persona_of("duty_officer", "MEX")
    refused = client_for(mx_duty).post(draw_up, follow=True)
    assert any("requesting organization" in m for m in messages_of(refused))
    response = client.post(reverse("response:offer_agreement", args=[offer.pk]))
    agreement = AidAgreement.objects.get()
    assert response.url == agreement.get_absolute_url()


# ---- Agreements ------------------------------------------------------------------------------

@pytest.fixture
def drawn(duty, mx_liaison, incident):
    return draw_up_agreement(duty, new_offer(mx_liaison, submitted(duty, incident)))


def test_agreement_detail_parts_hash_and_language_toggle(client_for, duty, mx_liaison, drawn):
    page = text(client_for(duty).get(drawn.get_absolute_url()))
    assert drawn.text_hash in page and "Text and signatures verified" in page
    assert 'data-testid="sign-request"' in page and 'data-testid="sign-offer"' not in page
    assert "1. Request: USA-2025-0001" in page and "Leer en español" in page
    toggled = text(client_for(duty).get(drawn.get_absolute_url() + "?text=es"))
    assert "1. Solicitud: USA-2025-0001" in toggled and "Read in English" in toggled
    partner = client_for(mx_liaison, headers={"Accept-Language": "es"})
    spanish = text(partner.get(drawn.get_absolute_url()))
    assert "1. Solicitud: USA-2025-0001" in spanish
    assert 'data-testid="sign-offer"' in spanish and 'data-testid="sign-request"' not in spanish


def test_signing_through_the_confirmation(client_for, duty, mx_liaison, drawn):
    client = client_for(duty)
    url = reverse("response:agreement_sign", args=[drawn.pk, "request"])
    confirm = text(client.get(url))
    assert drawn.text_hash in confirm and 'data-testid="confirm-sign"' in confirm
    stale = client.post(url, {"text_hash": "0" * 64})
    assert "not the one you read" in text(stale)
    assert not drawn.signatures.exists()
    assert client.post(url, {"text_hash": drawn.text_hash}).status_code == 302
    assert drawn.signatures.get().part == "request"
    # Not the user's part, or not yet: back to the agreement with a message.
    refused = client.get(reverse("response:agreement_sign", args=[drawn.pk, "offer"]),
                         follow=True)
    assert any("may not sign" in m for m in messages_of(refused))
    partner = client_for(mx_liaison)
    partner.post(reverse("response:agreement_sign", args=[drawn.pk, "offer"]),
                 {"text_hash": drawn.text_hash})
    client.post(reverse("response:agreement_sign", args=[drawn.pk, "acceptance"]),
                {"text_hash": drawn.text_hash})
    drawn.refresh_from_db()
    assert drawn.state == AidAgreement.State.IN_FORCE
    page = text(client.get(drawn.get_absolute_url()))
    assert page.count("Duty officer") >= 2 and "Liaison officer" in page
    assert 'data-testid="amend"' in page


def test_amend_form_and_version_history(client_for, duty, mx_liaison, incident):
    agreement = in_force(duty, mx_liaison, submitted(duty, incident))
    client = client_for(duty)
    url = reverse("response:agreement_amend", args=[agreement.pk])
    form = text(client.get(url))
    assert 'name="line_0_quantity"' in form and 'value="14"' in form
    unchanged = client.post(url, {"reason": "none", "duration_days": 14,
                                  "cost_terms": "donated", "currency": "USD",
                                  "conditions_en": "Bring PPE.", "conditions_es": "Traer EPP.",
                                  "line_0_quantity": 2, "line_0_headcount": 40})
    assert "changes none" in text(unchanged)
    response = client.post(url, {"reason": "A week more", "duration_days": 21,
                                 "cost_terms": "donated", "currency": "USD",
                                 "conditions_en": "Bring PPE.", "conditions_es": "Traer EPP.",
                                 "line_0_quantity": 2, "line_0_headcount": 40})
    amendment = AidAgreement.objects.get(version=2)
    assert response.url == amendment.get_absolute_url()
    assert amendment.terms["duration_days"] == 21 and amendment.amends == agreement
    page = text(client.get(amendment.get_absolute_url()))
    assert "A week more" in page and agreement.get_absolute_url() in page
    old = text(client.get(agreement.get_absolute_url()))
    assert amendment.get_absolute_url() in old and 'data-testid="amend"' not in old
    assert client_for(mx_liaison).get(url).status_code == 200  # may read the form…
    client_for(mx_liaison).post(url, {"reason": "x", "duration_days": 20,
                                      "cost_terms": "donated", "currency": "USD",
                                      "line_0_quantity": 2, "line_0_headcount": 40})
    assert AidAgreement.objects.count() == 2  # …but not amend


def test_agreement_list_filters(client_for, duty, mx_liaison, drawn):
    client = client_for(mx_liaison)
    assert drawn.text_hash[:16] in text(client.get(reverse("response:agreements"),
                                                   {"state": "awaiting"}))
    assert "No agreement matches" in text(client.get(reverse("response:agreements"),
                                                     {"state": "in_force"}))


def test_needed_by_is_shown_in_the_readers_zone(client_for, duty, mx_liaison, incident):
    request = submitted(duty, incident, needed_by=START + timedelta(hours=1))
    us = text(client_for(duty).get(request.get_absolute_url()))
    assert 'datetime="2025-01-07T11:30:00-08:00"' in us
