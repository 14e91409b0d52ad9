"""The product path of an allocation proposal, timed: the instance built from the database, the
job that solves it, checks it and stores it — at the scale of a large response.

On a throwaway SQLite database in a temp dir: the `large` generated situation
(`allocation.generate`, seed 7) laid out as records — 5,000 units of the demo's resource
kinds (the generator's United States units: kinds, home bases, availability, crossing
eligibility, languages, held units) across the three US organizations, and 500 open requests
(kinds, quantities, priorities, needed-by times, substitutes) at the generator's eight
incidents, Mexico's released to the United States; one request in ten partially filled by an
agreement in force. Then, as the CalGuard duty officer (`us.duty`), with the liaison rule:

    proposal = allocation.propose(user)          # every active incident
    allocation.run_proposal(proposal.pk)         # what the huey job runs

timed as a whole (wall) and step by step from the proposal's `timings` (the service records
them), median of REPEAT runs (default 3; each proposal discarded before the next, so the next
sees the same units). The goal (issue 16): the whole path ≤ 3 s.

The clock is set to the generator's Wednesday, 08:00 in California (generate.BASE_TIME), moving
on from there at its real pace: the ports' hours make the plan depend on the hour and the day,
so every run plans the same morning.

SOLVER is what the duty officer picks (auto, flow, milp, greedy; default auto). BILINGUAL is
the share of units with a Spanish–English speaker (default 0.25, the generator's; 0.03 makes
the liaison rule bind, so the flow's optimum breaks it and the integer model makes the plan).

    .venv/bin/python bench/allocation/product.py [REPEAT] [SOLVER] [BILINGUAL]
"""

import atexit
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

REPEAT = int(sys.argv[1]) if len(sys.argv) > 1 else 3
SOLVER = sys.argv[2] if len(sys.argv) > 2 else "auto"
BILINGUAL = float(sys.argv[3]) if len(sys.argv) > 3 else 0.25
SEED = 7
WORKDIR = tempfile.mkdtemp()
atexit.register(shutil.rmtree, WORKDIR, ignore_errors=True)
os.environ["DATABASE_URL"] = f"sqlite:///{WORKDIR}/bench.sqlite3"
os.environ["ENLACE_TESTING"] = "1"
os.environ["EMAIL_URL"] = "memorymail://"
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enlace.settings")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import django  # noqa: E402

django.setup()
logging.getLogger("huey").setLevel(logging.WARNING)

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts import demo as accounts_demo  # noqa: E402
from accounts.models import Nation, Organization  # noqa: E402
from accounts.reference import load_reference  # noqa: E402
from allocation import generate  # noqa: E402
from allocation.travel import side_of_boundary  # noqa: E402
from core.services import apply_marking  # noqa: E402
from response.agreement_text import agreement_hash  # noqa: E402
from response.models import (  # noqa: E402
    AidAgreement,
    AllocationProposal,
    Incident,
    Offer,
    ResourceKind,
    ResourceRequest,
    Unit,
)
from response.services import allocation  # noqa: E402

UNITS, REQUESTS = generate.SIZES["large"]
# Drawn from a larger situation so that its United States units alone number 5,000.
DRAWN = 7_700
PRIORITY = {1: "routine", 2: "routine", 3: "high", 5: "urgent", 8: "urgent"}
# The organization of a US unit, by its kind's first word.
ORGANIZATION_OF = {"MIL": "CalGuard", "HELO": "CalGuard", "AIRTANKER": "CAL FIRE",
                   "CREW": "CAL FIRE", "ENGINE": "CAL FIRE", "WATER": "CAL FIRE",
                   "DOZER": "CAL FIRE"}
STEPS = [("build", "build the instance from the database (propose)"),
         ("save", "save the queued proposal (propose)"),
         ("wait", "wait for the job"),
         ("read", "read and validate the saved instance (job)"),
         ("solve", "solve (job)"),
         ("network", "  solver: network"), ("greedy", "  solver: greedy"),
         ("flow", "  solver: flow"), ("milp", "  solver: integer model"),
         ("explain", "  solver: explain"), ("check", "independent check (job)"),
         ("store", "store the plan (job)"), ("total", "total of the steps")]


def release(records, owner_of, rel_to_of):
    """Bulk-insert the releasability links of marked records already saved."""
    model = type(records[0])
    through = model.rel_to.through
    field = f"{model._meta.model_name}_id"
    through.objects.bulk_create(
        [through(**{field: record.pk, "nation_id": nation.pk})
         for record in records for nation in {owner_of(record), *rel_to_of(record)}],
        batch_size=5000)


def set_the_clock(moment):
    """timezone.now() reads `moment` now, and moves on at the real pace."""
    real_now = timezone.now
    shift = moment - real_now()
    timezone.now = lambda: real_now() + shift


def populate(users):
    usa, mex = Nation.objects.get(code="USA"), Nation.objects.get(code="MEX")
    org = {o.acronym: o for o in Organization.objects.all()}
    kinds = {k.code: k for k in ResourceKind.objects.all()}
    drawn = generate.generate("large", seed=SEED, resources=DRAWN, requests=REQUESTS,
                              bilingual_share=BILINGUAL)
    now = timezone.now().replace(second=0, microsecond=0)

    # The incidents: one per generated incident, at its first request's site, owned by the
    # nation it is in; Mexico's released to the United States.
    sites = {}
    for q in drawn.requests:
        sites.setdefault(q.incident, (q.lat, q.lon))
    incidents = {}
    for name, (lat, lon) in sites.items():
        mexican = side_of_boundary(lat, lon) == "MEX"
        host, user = ((mex, users["mx.bc"]) if mexican else (usa, users["us.caloes"]))
        incident = Incident(
            name_en=name, name_es=name,
            kind=Incident.Kind.EARTHQUAKE if "earthquake" in name else Incident.Kind.WILDFIRE,
            latitude=lat, longitude=lon, country=host, started_at=now - timedelta(hours=6),
            host_agency=user.organization, created_by=user)
        apply_marking(incident, owner=host, rel_to=[usa, mex], disclosure="approved")
        incidents[name] = (incident, user)

    requests = ResourceRequest.objects.bulk_create([
        ResourceRequest(
            number=f"BENCH-{i:04d}", incident=incidents[q.incident][0],
            requesting_organization=incidents[q.incident][1].organization,
            requested_by=incidents[q.incident][1], kind=kinds[q.kind], quantity=q.quantity,
            needed_by=now + timedelta(minutes=q.needed_by), reporting_location="Staging",
            priority=PRIORITY[q.priority], substitutes_acceptable=q.substitutes is None,
            state=(ResourceRequest.State.PARTIALLY_FILLED if i % 10 == 0 and q.quantity > 1
                   else ResourceRequest.State.SUBMITTED),
            owner_nation=incidents[q.incident][0].owner_nation, disclosure="approved",
            created_by=incidents[q.incident][1])
        for i, q in enumerate(drawn.requests)], batch_size=1000)
    release(requests, lambda r: r.owner_nation, lambda r: [usa, mex])

    us = [r for r in drawn.resources if r.nation == "USA"][:UNITS]
    assert len(us) == UNITS, len(us)
    units = Unit.objects.bulk_create([
        Unit(name=f"Unit {i:04d}", kind=kinds[r.kind], home_base="Home",
             organization=org[ORGANIZATION_OF.get(r.kind.split("-")[0], "CalOES")],
             home_latitude=r.lat, home_longitude=r.lon, headcount=r.headcount,
             languages=",".join(r.languages), cross_border_eligible=r.cross_border_eligible,
             held_for_home_coverage=r.held_for_home_coverage, air_capable=r.air_capable,
             available_from=now + timedelta(minutes=r.available_from) if r.available_from
             else None,
             availability=Unit.Availability.AVAILABLE, owner_nation=usa,
             disclosure="approved", created_by=users["us.duty"])
        for i, r in enumerate(us)], batch_size=1000)
    release(units, lambda u: u.owner_nation, lambda u: [usa])

    # One request in ten is partially filled: an agreement in force gives it one unit, from
    # Mexico (so no US unit is on the offer).
    filled = [r for r in requests if r.state == ResourceRequest.State.PARTIALLY_FILLED]
    offers = Offer.objects.bulk_create([
        Offer(request=r, incident=r.incident, offering_organization=org["DEFENSA"],
              offered_by=users["mx.liaison"], duration_days=14, available_from=now,
              cost_terms=Offer.CostTerms.DONATED, state=Offer.State.ACCEPTED,
              owner_nation=mex, disclosure="approved", created_by=users["mx.liaison"])
        for r in filled])
    release(offers, lambda o: o.owner_nation, lambda o: [usa, mex])
    agreements = []
    for request, offer in zip(filled, offers, strict=True):
        terms = {"offer": offer.pk, "lines": [{"kind": request.kind.code, "quantity": 1}]}
        text = f"Request {request.number}; offer {offer.pk}."
        agreements.append(AidAgreement(
            request=request, offer=offer, requesting_organization=request.requesting_organization,
            assisting_organization=org["DEFENSA"], terms=terms, text_en=text, text_es=text,
            text_hash=agreement_hash(terms, text, text), state=AidAgreement.State.IN_FORCE,
            in_force_at=now, owner_nation=request.owner_nation, disclosure="approved",
            created_by=request.requested_by))
    agreements = AidAgreement.objects.bulk_create(agreements)
    release(agreements, lambda a: a.owner_nation, lambda a: [usa, mex])
    return len(units), len(requests), len(filled), len(incidents)


def main():
    set_the_clock(generate.BASE_TIME)
    call_command("migrate", verbosity=0)
    load_reference()
    users = accounts_demo.load()
    start = time.perf_counter()
    n_units, n_requests, n_filled, n_incidents = populate(users)
    print(f"{n_units} units × {n_requests} requests ({n_filled} partially filled) at "
          f"{n_incidents} incidents, {connection.vendor}; built in "
          f"{time.perf_counter() - start:.1f} s; solver {SOLVER}, liaison rule on, "
          f"{BILINGUAL:.0%} of units bilingual")
    user = users["us.duty"]
    walls, cpus, propose_walls, job_walls, timings, plans = [], [], [], [], [], []
    for _ in range(REPEAT):
        cpu = time.process_time()
        start = time.perf_counter()
        proposal = allocation.propose(user, solver=SOLVER)
        proposed = time.perf_counter()
        allocation.run_proposal(proposal.pk)
        done = time.perf_counter()
        cpus.append(time.process_time() - cpu)
        proposal = AllocationProposal.objects.get(pk=proposal.pk)
        assert proposal.state == AllocationProposal.State.READY, proposal.error
        propose_walls.append(proposed - start)
        job_walls.append(done - proposed)
        walls.append(done - start)
        timings.append(proposal.timings)
        plans.append(proposal.plan)
        allocation.discard(user, proposal)
    plan = plans[-1]
    print(f"plan: method {plan['method']} ({plan.get('method_reason', '-')}), status "
          f"{plan['status']}, gap {plan['gap']:.4%}, {plan['stats']['units_assigned']} of "
          f"{plan['stats']['units_requested']} units sent, {plan['stats']['arcs']} arcs, "
          f"check {'feasible' if plan['check']['feasible'] else 'VIOLATED'}")
    print(f"\n{'step':52} {'median s':>9}")
    for key, label in STEPS:
        values = [t[key] for t in timings if key in t]
        if values:
            print(f"{label:52} {statistics.median(values):9.3f}")
    print(f"{'propose() wall':52} {statistics.median(propose_walls):9.3f}")
    print(f"{'run_proposal() wall':52} {statistics.median(job_walls):9.3f}")
    print(f"{'whole path wall (goal ≤ 3 s)':52} {statistics.median(walls):9.3f}  "
          f"(runs: {', '.join(f'{w:.2f}' for w in walls)})")
    print(f"{'whole path CPU time of this process':52} {statistics.median(cpus):9.3f}")
    print("methods:", Counter(p["method"] for p in plans))
    print(f"load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
