"""No N+1 on any mutual-aid list: every list page, CSV export, API list, map layer, the pages
that list a record's sub-records, the forms that offer records to choose, and the dashboard's
card read in as many queries with five times the rows — for a US and a Mexican reader, in a
world of aid both ways (a Mexican team at a US fire, a US convoy at a Mexican earthquake)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.services import apply_marking
from response.models import (
    CheckIn,
    DailyStatus,
    Deployment,
    DeploymentCost,
    OfferLine,
    OnboardingItem,
    PortOfEntry,
    ShiftLog,
)
from response.tests.factories import (
    START,
    add_roster_member,
    make_agreement,
    make_deployment,
    make_incident,
    make_offer,
    make_request,
    make_unit,
)
from web.views import mutual_aid_card

API = "/api/v1"


class Direction:
    """Aid one way: `host` asks, `sender` sends. One focus chain (incident, request, offer,
    deployment, person) collects sub-records as the world grows; every step also adds a whole
    new chain, so the top-level lists grow too."""

    def __init__(self, host, sender, *, tag, incident_fields, deployment_fields):
        self.host, self.sender, self.tag = host, sender, tag
        self.incident_fields, self.deployment_fields = incident_fields, deployment_fields
        self.steps = self.chains = 0
        self.incident, self.request, self.offer, self.deployment, self.member = self._chain()

    def _chain(self, incident=None):
        n = self.chains
        self.chains += 1
        host, sender = self.host, self.sender
        incident = incident or make_incident(
            host, name=f"{self.tag} incident {n}", rel_to=(sender.nation.code,),
            perimeter={"type": "Polygon", "coordinates": [self._square()]},
            **self.incident_fields)
        request = make_request(host, incident, number=f"{self.tag}-{n}",
                               rel_to=(sender.nation.code,))
        offer = make_offer(sender, request, rel_to=(host.nation.code,))
        unit = make_unit(sender, name=f"{self.tag} crew {n}", rel_to=(host.nation.code,))
        OfferLine.objects.filter(offer=offer).update(unit=unit)
        agreement = make_agreement(host, sender, request=request, offer=offer)
        deployment = make_deployment(sender, agreement, name=f"{self.tag} team {n}",
                                     state=Deployment.State.ASSIGNED,
                                     assigned_at=START + timedelta(days=5),
                                     **self.deployment_fields)
        member = add_roster_member(deployment, f"{self.tag} person {n}")
        self._check_in(member, n)
        return incident, request, offer, deployment, member

    def _square(self):
        lon, lat = self.incident_fields["longitude"], self.incident_fields["latitude"]
        return [[lon, lat], [lon + 0.02, lat], [lon + 0.02, lat + 0.02], [lon, lat + 0.02],
                [lon, lat]]

    def _check_in(self, member, n):
        CheckIn.objects.create(member=member, status=CheckIn.Status.ASSIGNED,
                               location=f"Division {n}", at=START + timedelta(days=5, hours=n),
                               recorded_by=self.host)

    def grow(self):
        self.steps += 1
        n = self.steps
        self._chain()
        # More of everything under the focus records.
        make_offer(self.sender, self.request, quantity=1, headcount=n,
                   rel_to=(self.host.nation.code,))
        OfferLine.objects.create(offer=self.offer, kind=self.request.kind, quantity=1,
                                 headcount=n, agency=self.sender.organization)
        deployment = self.deployment
        self._check_in(add_roster_member(deployment, f"{self.tag} extra {n}"), n)
        self._check_in(self.member, n)
        OnboardingItem.objects.create(deployment=deployment, text_en=f"Item {n}",
                                      text_es=f"Punto {n}", done_at=START,
                                      done_by=self.sender)
        DailyStatus.objects.create(deployment=deployment, day=(START + timedelta(days=n)).date(),
                                   summary_en=f"Day {n}", recorded_by=self.host)
        started = START + timedelta(days=5 + n)
        ShiftLog.objects.create(deployment=deployment, started_at=started,
                                ended_at=started + timedelta(hours=12), recorded_by=self.host)
        cost = DeploymentCost(deployment=deployment, category="travel",
                              description=f"Fuel {n}", amount=10 * n, created_by=self.sender)
        apply_marking(cost, owner=deployment.owner_nation, rel_to=list(deployment.rel_to.all()),
                      disclosure=deployment.disclosure)
        # The same incident also gets another team, so its page and layer have more to show.
        self._chain(incident=self.incident)


def urls(d):
    """The lists to watch, with the focus records of direction `d`."""
    member, deployment = d.member.pk, d.deployment.pk
    r = "response:"
    return [
        reverse(f"{r}incidents"), reverse(f"{r}incidents_export"),
        reverse(f"{r}incident", args=[d.incident.pk]),
        reverse(f"{r}units"), reverse(f"{r}units_export"),
        reverse(f"{r}kind", args=[d.request.kind.code]),
        reverse(f"{r}requests"), reverse(f"{r}request_export"),
        reverse(f"{r}request", args=[d.request.pk]),
        reverse(f"{r}offers"), reverse(f"{r}offer_export"),
        reverse(f"{r}offer", args=[d.offer.pk]),
        reverse(f"{r}agreements"),
        # Forms whose choices list records (incidents, units), and the search-as-you-type
        # pickers that list the requests and units an offer may name
        reverse(f"{r}request_create"), reverse(f"{r}offer_create"),
        reverse("web:pick", args=["offerable-requests"]),
        reverse("web:pick", args=["units-to-offer"]),
        reverse(f"{r}deployments"), reverse(f"{r}deployment_export"),
        reverse(f"{r}deployment", args=[deployment]),
        reverse(f"{r}roster_export", args=[deployment]),
        reverse(f"{r}cost_export", args=[deployment]),
        reverse(f"{r}roster_member", args=[member]),
        reverse(f"{r}accountability"),
        reverse("web:dashboard"),
        f"{API}/incidents", f"{API}/incidents/{d.incident.pk}", f"{API}/units",
        f"{API}/resource-requests", f"{API}/resource-requests/{d.request.pk}",
        f"{API}/offers", f"{API}/offers/{d.offer.pk}", f"{API}/aid-agreements",
        f"{API}/deployments", f"{API}/deployments/{deployment}",
        f"{API}/deployments/{deployment}/roster",
        f"{API}/deployments/{deployment}/daily-status",
        f"{API}/deployments/{deployment}/shifts", f"{API}/deployments/{deployment}/costs",
        f"{API}/roster-members/{member}/check-ins",
        f"{API}/accountability", f"{API}/accountability/counts",
        f"{API}/map/incidents", f"{API}/map/units", f"{API}/map/deployments",
    ]


@pytest.fixture
def world(us_coordinator, mx_liaison):
    """Aid both ways: a Mexican team at a US fire (south), a US convoy at a Mexican earthquake
    (north); `grow(k)` adds k steps to each."""
    directions = [
        Direction(us_coordinator, mx_liaison, tag="south",
                  incident_fields={"latitude": 34.05, "longitude": -118.53},
                  deployment_fields={"transport": Deployment.Transport.AIR}),
        Direction(mx_liaison, us_coordinator, tag="north",
                  incident_fields={"latitude": 32.62, "longitude": -115.45,
                                   "country": mx_liaison.nation, "kind": "earthquake"},
                  deployment_fields={"transport": Deployment.Transport.GROUND,
                                     "port": PortOfEntry.objects.get(key="2506-C")}),
    ]

    def grow(k):
        for _step in range(k):
            for direction in directions:
                direction.grow()

    return directions, grow


def read(client, url_list):
    """{url: (queries, bytes)} of one GET each."""
    found = {}
    for url in url_list:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
            # A CSV export streams: its rows are read as it is sent.
            body = (b"".join(response.streaming_content) if response.streaming
                    else response.content)
        assert response.status_code == 200, (url, response.status_code)
        found[url] = (len(ctx.captured_queries), len(body))
    return found


@pytest.mark.parametrize("reader", ["us_coordinator", "mx_liaison"])
def test_no_list_reads_more_queries_with_more_rows(world, reader, request, client_for):
    directions, grow = world
    user = request.getfixturevalue(reader)
    client = client_for(user)
    url_list = list(dict.fromkeys(url for d in directions for url in urls(d)))
    grow(1)
    read(client, url_list)  # warm the per-process caches (content types, ...)
    small = read(client, url_list)
    grow(4)
    large = read(client, url_list)
    # Each of these lists shows more now (else the comparison proves nothing) ...
    assert [u for u in url_list if large[u][1] <= small[u][1]] == []
    # ... in the same number of queries.
    grown = {u: (small[u][0], large[u][0]) for u in url_list if large[u][0] != small[u][0]}
    assert grown == {}


def test_the_dashboard_card_reads_in_as_many_queries_with_more_rows(world, us_coordinator,
                                                                    mx_liaison):
    _directions, grow = world
    for user in (us_coordinator, mx_liaison):
        user.get_all_permissions()  # cached on the user, as for every request
    grow(1)
    counts = []
    for _round in range(2):
        for user in (us_coordinator, mx_liaison):
            with CaptureQueriesContext(connection) as ctx:
                card = mutual_aid_card(user)
            counts.append((user.username, len(ctx.captured_queries), card["people_total"]))
        grow(4)
    (us_small, mx_small), (us_large, mx_large) = counts[:2], counts[2:]
    assert us_large[2] > us_small[2] and mx_large[2] > mx_small[2]
    assert (us_small[1], mx_small[1]) == (us_large[1], mx_large[1])


@pytest.mark.parametrize(("few", "all_"), [
    (f"{reverse('response:kinds')}?q=CREW-CONAFOR", reverse("response:kinds")),
    (f"{API}/resource-kinds?q=CREW-CONAFOR", f"{API}/resource-kinds?limit=100"),
    (f"{API}/ports-of-entry?commercial=true", f"{API}/ports-of-entry"),
])
def test_reference_lists_read_as_many_queries_for_one_row_as_for_all(few, all_, client_for,
                                                                      us_viewer):
    """The resource kinds (with their substitutes) and the ports of entry are the same for
    everyone: a filter narrowing them to a row or two reads as many queries as the whole."""
    client = client_for(us_viewer)
    read(client, [few, all_])
    counts = read(client, [few, all_])
    assert counts[all_][1] > counts[few][1]
    assert counts[all_][0] == counts[few][0]
