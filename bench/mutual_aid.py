"""How fast are the mutual-aid reads and writes at the scale of a large response? On a
throwaway SQLite database in a temp dir, aid both ways (Mexican teams at US incidents, US teams
at Mexican ones): D deployments, each under its own agreement in force (three signatures) on
its own offer (one line, one unit) and request, over D/10 incidents; M people on each roster
with 3 check-ins each (default 200 × 50: 10,000 people, 30,000 check-ins); one deployment in
ten US-only and one in twenty closed. Then, as a US coordinator and a Mexican liaison:

- "who is where now": `accountability.who_is_where(user)` read in full, and its `counts()`;
  the API's first page of it (`/api/v1/accountability?limit=50`) and the accountability page,
  which lists every person (median of 3),
- the deployment list page's first page (the test client: middleware, template and all),
- the API's `/api/v1/deployments?limit=50`,
- the map layers `/api/v1/map/deployments` and `/api/v1/map/incidents`,

medians of 7; and the writes, each in a transaction rolled back after it, medians of 7:
`sign_agreement` of each part in turn (the acceptance brings the agreement into force,
accepts the offer and fills the request), and `transition_deployment(..., "arrived")`. The
notices' emails go out on commit, which never comes: they are not in the write figures.

    .venv/bin/python bench/mutual_aid.py [DEPLOYMENTS] [MEMBERS]
"""

import atexit
import logging
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta

D = int(sys.argv[1]) if len(sys.argv) > 1 else 200
M = int(sys.argv[2]) if len(sys.argv) > 2 else 50
CHECK_INS = 3
WORKDIR = tempfile.mkdtemp()
atexit.register(shutil.rmtree, WORKDIR, ignore_errors=True)
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR}/bench.sqlite3"
# Notices run their email task at once (not queued in var/) into a memory outbox.
os.environ["ENLACE_TESTING"] = "1"
os.environ["EMAIL_URL"] = "memorymail://"
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enlace.settings")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import django  # noqa: E402

django.setup()
logging.getLogger("huey").setLevel(logging.WARNING)  # each email task logs twice

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts import demo as accounts_demo  # noqa: E402
from accounts.models import Nation, Organization  # noqa: E402
from accounts.reference import load_reference  # noqa: E402
from core.services import apply_marking  # noqa: E402
from response import accountability  # noqa: E402
from response.agreement_text import agreement_hash  # noqa: E402
from response.models import (  # noqa: E402
    AidAgreement,
    CheckIn,
    Deployment,
    Incident,
    Offer,
    OfferLine,
    PortOfEntry,
    ResourceKind,
    ResourceRequest,
    RosterMember,
    Signature,
    Unit,
)
from response.services import deployments  # noqa: E402
from response.services.agreements import draw_up_agreement, sign_agreement  # noqa: E402

START = datetime(2025, 1, 7, 18, 0, tzinfo=UTC)
DS = Deployment.State
# (state, share): most teams at work, some on the way or going home, a few closed.
STATES = [(DS.ASSIGNED, 10), (DS.ONBOARDING, 2), (DS.ARRIVED, 2), (DS.IN_TRANSIT, 2),
          (DS.MOBILIZING, 1), (DS.DEMOBILIZING, 1), (DS.RETURNED, 1), (DS.CLOSED, 1)]
CHECKLIST_DONE = {f"{item}_at": START for item in deployments.CHECKLIST_ITEMS}


class Rollback(Exception):
    pass


def timed(fn, repeat=7):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs) * 1000


def rolled_back(fn, repeat=7):
    """Median ms of `fn()` (which returns its own timing), each run undone."""
    runs = []
    for _ in range(repeat):
        try:
            with transaction.atomic():
                runs.append(fn())
                raise Rollback
        except Rollback:
            pass
    return statistics.median(runs) * 1000


def release(records, owner_of, rel_to_of):
    """Bulk-insert the releasability links of marked records already saved."""
    model = type(records[0])
    through = model.rel_to.through
    field = f"{model._meta.model_name}_id"
    links = []
    for record in records:
        for nation in {owner_of(record), *rel_to_of(record)}:
            links.append(through(**{field: record.pk, "nation_id": nation.pk}))
    through.objects.bulk_create(links, batch_size=5000)


class Side:
    """One direction of aid: the nation hit (`host`) and the one that helps (`sender`)."""

    def __init__(self, host_user, host_org, sender_user, sender_org, places):
        self.host_user, self.host_org = host_user, host_org
        self.sender_user, self.sender_org = sender_user, sender_org
        self.host, self.sender = host_org.nation, sender_org.nation
        self.places = places
        self.incidents = []


def populate(users):
    rng = random.Random(3)
    usa, mex = Nation.objects.get(code="USA"), Nation.objects.get(code="MEX")
    org = {o.acronym: o for o in Organization.objects.all()}
    kind = ResourceKind.objects.get(code="CREW-HAND-T2")
    port = PortOfEntry.objects.get(key="2506-C")
    south = Side(users["us.coordinator"], org["CalGuard"], users["mx.liaison"], org["DEFENSA"],
                 [(34.05, -118.53), (34.19, -118.13), (33.95, -117.4)])
    north = Side(users["mx.bc"], org["PC-BC"], users["us.coordinator"], org["CalGuard"],
                 [(32.62, -115.45), (32.51, -117.04), (31.87, -116.6)])
    sides = [south, north]

    # Incidents: saved one by one so the border distance and request channel are derived.
    for i in range(max(2, D // 10)):
        side = sides[i % 2]
        lat, lon = side.places[i // 2 % len(side.places)]
        incident = Incident(
            name_en=f"Incident {i}", name_es=f"Incidente {i}", kind=Incident.Kind.WILDFIRE,
            latitude=lat + rng.uniform(-0.05, 0.05), longitude=lon + rng.uniform(-0.05, 0.05),
            country=side.host, started_at=START, host_agency=side.host_org,
            created_by=side.host_user)
        apply_marking(incident, owner=side.host, rel_to=[usa, mex], disclosure="approved")
        side.incidents.append(incident)

    plan = []  # (side, incident, state, us_only) of each deployment
    states = [state for state, share in STATES for _ in range(share)]
    for i in range(D):
        side = sides[i % 2]
        plan.append((side, rng.choice(side.incidents), states[i % len(states)],
                     side is north and i % 10 == 1))

    requests = ResourceRequest.objects.bulk_create([
        ResourceRequest(number=f"R-{i}", incident=incident, requesting_organization=side.host_org,
                        requested_by=side.host_user, kind=kind, quantity=1,
                        needed_by=START + timedelta(days=2), reporting_location="ICP",
                        state=ResourceRequest.State.FILLED, owner_nation=side.host,
                        disclosure="approved", created_by=side.host_user)
        for i, (side, incident, _state, _us_only) in enumerate(plan)], batch_size=1000)
    release(requests, lambda r: r.owner_nation, lambda r: [usa, mex])
    offers = Offer.objects.bulk_create([
        Offer(request=request, incident=request.incident, offering_organization=side.sender_org,
              offered_by=side.sender_user, duration_days=14,
              available_from=START + timedelta(days=1), cost_terms=Offer.CostTerms.DONATED,
              state=Offer.State.ACCEPTED, owner_nation=side.sender, disclosure="approved",
              created_by=side.sender_user)
        for request, (side, _incident, _state, _us_only) in zip(requests, plan, strict=True)],
        batch_size=1000)
    release(offers, lambda o: o.owner_nation, lambda o: [usa, mex])
    units = Unit.objects.bulk_create([
        Unit(name=f"Crew {i}", organization=side.sender_org, kind=kind, home_base="Home",
             home_latitude=side.places[0][0] + 1, home_longitude=side.places[0][1] + 1,
             headcount=M, cross_border_eligible=True, availability=Unit.Availability.DEPLOYED,
             owner_nation=side.sender, disclosure="approved", created_by=side.sender_user)
        for i, (side, _incident, _state, _us_only) in enumerate(plan)], batch_size=1000)
    release(units, lambda u: u.owner_nation, lambda u: [usa, mex])
    OfferLine.objects.bulk_create([
        OfferLine(offer=offer, kind=kind, quantity=1, headcount=M,
                  agency=offer.offering_organization, unit=unit)
        for offer, unit in zip(offers, units, strict=True)], batch_size=2000)

    agreements = []
    for request, offer, (side, _incident, _state, _us_only) in zip(requests, offers, plan,
                                                                    strict=True):
        text = f"Request {request.number}; offer {offer.pk}."
        terms = {"offer": offer.pk, "lines": [{"kind": kind.code, "quantity": 1}]}
        agreements.append(AidAgreement(
            request=request, offer=offer, requesting_organization=side.host_org,
            assisting_organization=side.sender_org, terms=terms, text_en=text, text_es=text,
            text_hash=agreement_hash(terms, text, text), state=AidAgreement.State.IN_FORCE,
            in_force_at=START + timedelta(days=1), owner_nation=side.host,
            disclosure="approved", created_by=side.host_user))
    agreements = AidAgreement.objects.bulk_create(agreements, batch_size=1000)
    release(agreements, lambda a: a.owner_nation, lambda a: [usa, mex])
    Signature.objects.bulk_create([
        Signature(agreement=agreement, part=part, signer=user, signer_name=user.username,
                  signer_role="coordinator", organization=organization,
                  signed_at=START + timedelta(days=1), text_hash=agreement.text_hash)
        for agreement, (side, _incident, _state, _us_only) in zip(agreements, plan, strict=True)
        for part, user, organization in (("request", side.host_user, side.host_org),
                                         ("offer", side.sender_user, side.sender_org),
                                         ("acceptance", side.host_user, side.host_org))],
        batch_size=2000)

    teams = []
    for i, (agreement, (side, incident, state, _us_only)) in enumerate(
            zip(agreements, plan, strict=True)):
        ground = side is north
        teams.append(Deployment(
            agreement=agreement, incident=incident, sending_organization=side.sender_org,
            host_nation=side.host, name=f"Team {i}", state=state,
            transport=Deployment.Transport.GROUND if ground else Deployment.Transport.AIR,
            port=port if ground else None,
            arrival_airport="" if ground else "March Air Reserve Base",
            planned_crossing_at=START + timedelta(days=2), departed_at=START + timedelta(days=2),
            assigned_at=START + timedelta(days=4) if state == DS.ASSIGNED else None,
            owner_nation=side.sender, disclosure="approved", created_by=side.sender_user,
            **(CHECKLIST_DONE if state != DS.MOBILIZING else {})))
    teams = Deployment.objects.bulk_create(teams, batch_size=1000)
    us_only = {team.pk for team, entry in zip(teams, plan, strict=True) if entry[3]}

    def team_rel_to(record):
        return [usa] if getattr(record, "deployment_id", record.pk) in us_only else [usa, mex]

    release(teams, lambda t: t.owner_nation, team_rel_to)
    members = RosterMember.objects.bulk_create([
        RosterMember(deployment=team, full_name=f"Person {team.pk}-{n:03}",
                     organization=team.sending_organization, position="Crew member",
                     languages="es,en", owner_nation=team.owner_nation, disclosure="approved",
                     created_by=team.created_by)
        for team in teams for n in range(M)], batch_size=2000)
    release(members, lambda m: m.owner_nation, team_rel_to)
    hosts = {side.host.pk: side.host_user for side in sides}
    statuses = [CheckIn.Status.CHECKED_IN, CheckIn.Status.AVAILABLE, CheckIn.Status.ASSIGNED]
    CheckIn.objects.bulk_create([
        CheckIn(member=member, status=statuses[k], location=f"Division {member.pk % 7}",
                at=START + timedelta(days=3 + k, minutes=member.pk % 600),
                recorded_by=hosts[member.deployment.host_nation_id])
        for member in members for k in range(CHECK_INS)], batch_size=5000)

    # For the writes: an agreement awaiting its signatures (Mexico helping the US) and a team
    # in transit with its crossing checklist complete (the US convoy).
    side = south
    request = ResourceRequest(
        number="R-SIGN", incident=side.incidents[0], requesting_organization=side.host_org,
        requested_by=side.host_user, kind=kind, quantity=1, needed_by=START + timedelta(days=2),
        reporting_location="ICP", state=ResourceRequest.State.SUBMITTED,
        created_by=side.host_user)
    apply_marking(request, owner=side.host, rel_to=[usa, mex], disclosure="approved")
    offer = Offer(request=request, incident=request.incident,
                  offering_organization=side.sender_org, offered_by=side.sender_user,
                  duration_days=14, available_from=START + timedelta(days=1),
                  cost_terms=Offer.CostTerms.DONATED, created_by=side.sender_user)
    apply_marking(offer, owner=side.sender, rel_to=[usa, mex], disclosure="approved")
    OfferLine.objects.create(offer=offer, kind=kind, quantity=1, headcount=M,
                             agency=side.sender_org)
    pending = draw_up_agreement(side.host_user, offer)
    in_transit = next(t for t in teams if t.state == DS.IN_TRANSIT and t.owner_nation == usa)
    return sides, pending, in_transit, len(members)


def main():
    call_command("migrate", verbosity=0)
    load_reference()
    users = accounts_demo.load()
    start = time.perf_counter()
    sides, pending, in_transit, n_members = populate(users)
    south, north = sides
    print(f"{D} deployments × {M} people = {n_members} people, {n_members * CHECK_INS} "
          f"check-ins, {Incident.objects.count()} incidents, {connection.vendor}; "
          f"built in {time.perf_counter() - start:.1f} s")

    rows = []
    for username in ("us.coordinator", "mx.liaison"):
        user = users[username]
        client = Client()
        client.force_login(user)
        everyone = accountability.who_is_where(user)
        seen = len(everyone)
        deployment_page = client.get(reverse("response:deployments"))
        assert deployment_page.status_code == 200
        rows += [
            (username, f"who is where: all {seen} people",
             timed(lambda u=user: accountability.labelled(accountability.who_is_where(u)))),
            (username, "who is where: counts by nation and status",
             timed(lambda u=user: accountability.counts(accountability.who_is_where(u)))),
            (username, "API /accountability?limit=50",
             timed(lambda c=client: c.get("/api/v1/accountability?limit=50"))),
            (username, f"accountability page (first 100 of {seen})",
             timed(lambda c=client: c.get(reverse("response:accountability")), repeat=3)),
            (username, "deployment list page, first page",
             timed(lambda c=client: c.get(reverse("response:deployments")))),
            (username, "API /deployments?limit=50",
             timed(lambda c=client: c.get("/api/v1/deployments?limit=50"))),
            (username, "API /map/deployments",
             timed(lambda c=client: c.get("/api/v1/map/deployments"))),
            (username, "API /map/incidents",
             timed(lambda c=client: c.get("/api/v1/map/incidents"))),
        ]

    signers = [("request", south.host_user), ("offer", south.sender_user),
               ("acceptance", south.host_user)]

    def sign(k):
        """Sign the parts before part k untimed, then time part k."""
        def run():
            for part, user in signers[:k]:
                sign_agreement(user, pending, part)
            part, user = signers[k]
            start = time.perf_counter()
            sign_agreement(user, pending, part)
            return time.perf_counter() - start
        return run

    def arrive():
        start = time.perf_counter()
        deployments.transition_deployment(north.sender_user, in_transit, DS.ARRIVED)
        elapsed = time.perf_counter() - start
        in_transit.state, in_transit.arrived_at = DS.IN_TRANSIT, None
        return elapsed

    rows += [
        ("us.coordinator", "sign_agreement: request part", rolled_back(sign(0))),
        ("mx.liaison", "sign_agreement: offer part", rolled_back(sign(1))),
        ("us.coordinator", "sign_agreement: acceptance (into force)", rolled_back(sign(2))),
        ("us.coordinator", "transition_deployment: arrived", rolled_back(arrive)),
    ]
    width = max(len(what) for _who, what, _ms in rows)
    print(f"{'user':15} {'what':{width}} {'median ms':>10}")
    for who, what, ms in rows:
        print(f"{who:15} {what:{width}} {ms:10.1f}")


if __name__ == "__main__":
    main()
