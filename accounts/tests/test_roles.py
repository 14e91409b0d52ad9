"""What each role may do, decided by least privilege: a partner's liaison reads the partnership
program but does not write it, a user looks up only the organizations of the nations it works
with, and a resource request stays its nation's own until it is submitted."""

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Organization
from partnerships.services import create_partnership
from partnerships.tests.factories import make_partnership
from response.models import ResourceRequest
from response.services.requests import transition_request
from response.tests.factories import make_incident, make_request


def test_a_partner_liaison_cannot_open_a_new_partnership(client_for, persona_of):
    liaison = persona_of("liaison", "MEX")
    assert not any(liaison.has_perm(f"partnerships.{action}_partnership")
                   for action in ("add", "change", "delete"))
    client = client_for(liaison)
    assert client.get("/partnerships/new/").status_code == 403
    assert 'href="/partnerships/new/"' not in client.get("/partnerships/").content.decode()
    with pytest.raises(PermissionDenied):
        create_partnership(liaison, rel_to=[], name_en="x", name_es="x", us_state="AZ",
                           partner_nation=liaison.nation)


def test_the_coordinator_still_opens_partnerships(client_for, persona_of):
    assert client_for(persona_of("coordinator", "USA")).get(
        "/partnerships/new/").status_code == 200


def _organization_nations(client):
    """The nations whose organizations the organizations page and the API list."""
    page = client.get("/organizations/").content.decode()
    api = client.get("/api/v1/organizations", {"limit": 200}).json()["items"]
    listed = {o.nation.code for o in Organization.objects.select_related("nation")
              if o.name_en in page}
    return listed, {o["nation"] for o in api}


def test_organizations_are_listed_only_for_the_nations_a_user_works_with(client_for,
                                                                          persona_of):
    us = persona_of("coordinator", "USA")
    make_partnership(us, partner="MEX", rel_to=["MEX"])
    make_partnership(us, partner="UKR", us_state="AZ", rel_to=["USA"])
    assert _organization_nations(client_for(persona_of("liaison", "MEX"))) == (
        {"USA", "MEX"}, {"USA", "MEX"})
    assert _organization_nations(client_for(us)) == ({"USA", "MEX", "UKR"},) * 2


def test_a_draft_request_reaches_the_partner_only_once_submitted(persona_of):
    duty = persona_of("duty_officer", "USA")
    liaison = persona_of("liaison", "MEX")
    request = make_request(duty, make_incident(duty), state=ResourceRequest.State.DRAFT,
                           rel_to=("MEX",))
    assert {n.code for n in request.rel_to.all()} == {"USA", "MEX"}
    assert not ResourceRequest.objects.restrict(liaison).filter(pk=request.pk).exists()
    assert ResourceRequest.objects.restrict(duty).filter(pk=request.pk).exists()
    transition_request(duty, request, "submit")
    assert ResourceRequest.objects.restrict(liaison).filter(pk=request.pk).exists()
