"""A deployment's incident through the one rule for related records (core.related): Mexico's
own deployment to a US fire stays Mexico's to read once the fire is narrowed to the United
States, but its pages, export, API and map no longer name or place the fire — they read "a
record not released to you", a null id, or leave the deployment off the map."""

import pytest
from django.urls import reverse

from accounts.models import Nation
from core.testing import assert_related_hidden, ok
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
def narrowed(duty, mx_liaison):
    """A Mexican deployment to a US fire, released to the United States; then the fire is
    narrowed to the United States."""
    incident = make_incident(duty, name=SECRET, name_es=SECRET)
    request = make_request(duty, incident)
    agreement = make_agreement(duty, mx_liaison, request=request,
                               offer=make_offer(mx_liaison, request))
    deployment = make_deployment(mx_liaison, agreement, name="Brigada Rumorosa")
    change_incident_marking(duty, incident, rel_to=[Nation.objects.get(code="USA")],
                            disclosure="approved")
    return duty, deployment


def test_pages_and_export_withhold_the_incident_name(narrowed, mx_liaison):
    duty, deployment = narrowed
    assert_related_hidden(
        owner=duty, reader=mx_liaison, secret=SECRET,
        paths=[reverse("response:deployments"),
               reverse("response:deployment", args=[deployment.pk])],
        exports=[reverse("response:deployment_export")])


def test_the_export_says_what_it_withholds(narrowed, mx_liaison, client_for):
    _duty, deployment = narrowed
    export = client_for(mx_liaison).get(reverse("response:deployment_export"),
                                        headers={"Accept-Language": "en"})
    rows = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()
    (row,) = [r for r in rows if r.startswith(f"{deployment.pk},")]
    assert "Brigada Rumorosa,Mobilizing,a record not released to you," in row


def test_the_api_gives_no_id_of_the_incident(narrowed, mx_liaison, client_for):
    duty, deployment = narrowed
    for user, incident in ((duty, deployment.incident_id), (mx_liaison, None)):
        client = client_for(user)
        detail = ok(client.get(f"/api/v1/deployments/{deployment.pk}"))
        (listed,) = [d for d in ok(client.get("/api/v1/deployments"))["items"]
                     if d["id"] == deployment.pk]
        assert detail["incident"] == listed["incident"] == incident, user
        assert detail["agreement"] == listed["agreement"] == deployment.agreement_id


def test_the_map_leaves_off_a_deployment_to_an_incident_not_released(narrowed, mx_liaison,
                                                                      client_for):
    duty, deployment = narrowed
    for user, drawn in ((duty, True), (mx_liaison, False)):
        layer = client_for(user).get("/api/v1/map/deployments")
        ids = {feature["id"] for feature in ok(layer)["features"]}
        assert (f"deployment-{deployment.pk}" in ids) == drawn, user
        assert (SECRET in layer.content.decode()) == drawn, user


def test_requests_and_offers_give_no_id_of_the_incident(duty, mx_liaison, client_for):
    """Mexico's own request and offer for a US fire, the fire narrowed since: the API names
    neither the fire's id nor its name to Mexico, while the United States reads both."""
    incident = make_incident(duty, name=SECRET, name_es=SECRET)
    request = make_request(mx_liaison, incident, number="MX-2025-007", rel_to=("USA",))
    offer = make_offer(mx_liaison, make_request(duty, incident))
    change_incident_marking(duty, incident, rel_to=[Nation.objects.get(code="USA")],
                            disclosure="approved")
    for user, shown in ((duty, incident.pk), (mx_liaison, None)):
        client = client_for(user)
        for path, record in (("resource-requests", request), ("offers", offer)):
            detail = ok(client.get(f"/api/v1/{path}/{record.pk}"))
            (listed,) = [r for r in ok(client.get(f"/api/v1/{path}"))["items"]
                         if r["id"] == record.pk]
            assert detail["incident"] == listed["incident"] == shown, (user, path)


def test_an_offer_names_its_request_only_where_the_request_is_released(duty, mx_liaison,
                                                                       client_for):
    """Mexico's offer answering a US request, the request narrowed since: Mexico's offer list,
    export and API no longer name the request or give its id; the United States reads both."""
    from response.services.requests import change_request_marking

    request = make_request(duty, make_incident(duty), number="US-2025-113")
    offer = make_offer(mx_liaison, request)
    change_request_marking(duty, request, rel_to=[Nation.objects.get(code="USA")],
                           disclosure="approved")
    assert_related_hidden(owner=duty, reader=mx_liaison, secret="US-2025-113",
                          paths=[reverse("response:offers")],
                          exports=[reverse("response:offer_export")])
    for user, request_id in ((duty, request.pk), (mx_liaison, None)):
        client = client_for(user)
        (listed,) = [o for o in ok(client.get("/api/v1/offers"))["items"]
                     if o["id"] == offer.pk]
        assert listed["request"] == ok(client.get(f"/api/v1/offers/{offer.pk}"))["request"] \
            == request_id, user
