"""The dashboard's "Mutual aid" card: active incidents, deployments in progress and the people
deployed now by sending nation, each counting only what the reader may see."""

import re

import pytest
from django.urls import reverse

from response.models import Deployment, Incident
from response.tests.factories import (
    add_roster_member,
    make_agreement,
    make_deployment,
    make_incident,
    make_request,
)
from web.views import mutual_aid_card


def card(client):
    content = client.get(reverse("web:dashboard")).content.decode()
    found = re.search(r'data-testid="mutual-aid">(.*?)</section>', content, re.S)
    return found and found.group(1)


def value(html, testid):
    return re.search(rf'data-testid="{testid}">\s*(\d+)', html).group(1)


def crew(deployment, size):
    for n in range(size):
        add_roster_member(deployment, f"{deployment.name} {n}")


@pytest.fixture
def picture(us_coordinator, mx_liaison):
    """A fire released to Mexico with a Mexican crew on it, a US-only fire, a contained fire,
    a Mexican flood with a US-only convoy, a US team still mobilizing and one back home."""
    us, mx = us_coordinator, mx_liaison
    palisades = make_incident(us, name="Palisades Fire")
    make_incident(us, name="Airport Fire", rel_to=())
    make_incident(us, name="Kenneth Fire", status=Incident.Status.CONTAINED)
    flood = make_incident(mx, name="Tijuana flood", latitude=32.51, longitude=-117.04,
                          rel_to=("USA",))

    to_la = make_agreement(us, mx, request=make_request(us, palisades))
    crew(make_deployment(mx, to_la, name="CONAFOR crew", state=Deployment.State.ASSIGNED), 3)
    crew(make_deployment(mx, to_la, name="Back home", state=Deployment.State.RETURNED), 5)

    to_bc = make_agreement(mx, us, request=make_request(mx, flood, number="BC-1",
                                                          rel_to=("USA",)))
    crew(make_deployment(us, to_bc, name="US-only convoy", rel_to=("USA",),
                         state=Deployment.State.IN_TRANSIT), 2)
    crew(make_deployment(us, to_bc, name="Mobilizing", state=Deployment.State.MOBILIZING), 4)
    return us, mx


def test_the_mexican_liaison_counts_only_what_is_released_to_mexico(picture, client_for):
    _us, mx = picture
    html = card(client_for(mx, HTTP_ACCEPT_LANGUAGE="es"))
    assert value(html, "active-incidents") == "2"          # not the US-only fire
    assert value(html, "deployments-in-progress") == "2"   # not the US-only convoy
    assert value(html, "people-deployed") == "3"
    assert "México 3" in html and 'data-testid="people-USA"' not in html
    assert "Incendio Palisades Fire" in html and "Airport Fire" not in html


def test_the_us_coordinator_counts_its_own_us_only_records_too(picture, client_for):
    us, _mx = picture
    html = card(client_for(us))
    assert value(html, "active-incidents") == "3"
    assert value(html, "deployments-in-progress") == "3"
    assert value(html, "people-deployed") == "5"
    assert re.search(r'data-testid="people-MEX">Mexico 3<', html)
    assert re.search(r'data-testid="people-USA">United States[^<]* 2<', html)
    assert f'{reverse("response:map")}?incident=' in html


def test_the_card_reads_in_a_few_queries(picture, django_assert_max_num_queries):
    us, _mx = picture
    us.get_all_permissions()  # cached on the user for the request, as every page does
    # active incidents (count and the first five), deployments in progress, people by nation
    with django_assert_max_num_queries(4):
        summary = mutual_aid_card(us)
        assert summary["people_total"] == 5


def test_no_card_for_a_user_who_may_not_see_incidents(make_user, client_for):
    nobody = make_user("t.norole", "CalOES", role=None)
    assert card(client_for(nobody)) is None
