"""The agreed text as each reader reads it: a Mexican signatory whose agreement names a US fire
narrowed to the United States reads "a record not released to you" in its place on every path
that shows the text — the agreement page in either language (each text withholding in its own
language), the signing page, the API's texts and terms in its detail and its list — while the
requesting nation still reads the fire's name. One function (response.selectors.aid.agreed_text)
gives the text to all of them."""

import json

import pytest
from django.urls import reverse

from accounts.models import Nation
from core.related import NOT_RELEASED
from core.testing import ok
from response.services.incidents import change_incident_marking
from response.tests.factories import make_agreement, make_incident, make_offer, make_request

SECRET = "Zeta Canyon Fire"


@pytest.fixture
def agreement(duty, mx_liaison):
    """An agreement awaiting signatures on a Mexican offer for a US fire, the fire narrowed to
    the United States after it was drawn up."""
    incident = make_incident(duty, name=SECRET, name_es=SECRET)
    request = make_request(duty, incident)
    agreement = make_agreement(duty, mx_liaison, request=request,
                               offer=make_offer(mx_liaison, request), signed=False)
    change_incident_marking(duty, incident, rel_to=[Nation.objects.get(code="USA")],
                            disclosure="approved")
    agreement.duty = duty
    return agreement


def _api_texts(client, agreement):
    """The texts and terms the API's detail and list give, as (language, text) pairs."""
    detail = ok(client.get(f"/api/v1/aid-agreements/{agreement.pk}",
                           headers={"Accept-Language": "en"}))
    (listed,) = [a for a in ok(client.get("/api/v1/aid-agreements",
                                          headers={"Accept-Language": "en"}))["items"]
                 if a["id"] == agreement.pk]
    return [pair for item in (detail, listed) for pair in (
        ("en", item["text_en"]), ("es", item["text_es"]),
        ("en", json.dumps(item["terms"], ensure_ascii=False)))]


def test_the_owner_reads_the_name_on_every_path(agreement, client_for):
    client = client_for(agreement.duty)
    assert SECRET in agreement.text_en and SECRET in agreement.text_es
    for language in ("en", "es"):
        page = client.get(reverse("response:agreement", args=[agreement.pk]),
                          {"text": language}).content.decode()
        assert SECRET in page, language
    sign = client.get(reverse("response:agreement_sign", args=[agreement.pk, "request"]))
    assert sign.status_code == 200 and SECRET in sign.content.decode()
    assert all(SECRET in text for _language, text in _api_texts(client, agreement))


def test_the_partner_reads_the_name_withheld_on_every_path(agreement, mx_liaison, client_for):
    client = client_for(mx_liaison)
    withheld = {"en": str(NOT_RELEASED), "es": "un registro que no se le ha divulgado"}
    for language in ("en", "es"):  # the Spanish text withholds in Spanish, whatever the page's
        page = client.get(reverse("response:agreement", args=[agreement.pk]), {"text": language},
                          headers={"Accept-Language": "en"}).content.decode()
        assert SECRET not in page and withheld[language] in page, language
    sign = client.get(reverse("response:agreement_sign", args=[agreement.pk, "offer"]),
                      headers={"Accept-Language": "en"})
    assert sign.status_code == 200
    assert SECRET not in sign.content.decode() and withheld["en"] in sign.content.decode()
    for language, text in _api_texts(client, agreement):
        assert SECRET not in text and withheld[language] in text, language
