"""Allocation proposals: the optimizer's plans for the duty officer.

The optimizer (`allocation/`) is a pure library; this module is its thin adapter. It turns
the open requests and available units a user may see into an allocation instance, saves that
instance with the proposal so the plan can be replayed, solves it in a huey job that records
its progress, and on acceptance makes offers through `response.services.offers` — so every guard,
signature and notice of mutual aid still applies. Enlace proposes; the duty officer decides.

A proposal lists its nation's own units: it is owned by that nation and released to no other.
Ids in the instance and the plan name the records: "unit:12", "request:34", "incident:5",
"organization:3"; ports go by their key ("2504").
"""

import csv
import logging
import re
from collections import defaultdict
from datetime import datetime, timedelta
from functools import lru_cache
from time import perf_counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from allocation import generate
from allocation import instance as instances
from allocation.check import check
from allocation.plan import solve
from core.audit import acting_as, log_bulk
from core.lifecycle import Lifecycle, Transition, refused_by_state
from core.permissions import may, require, require_role
from core.services import apply_marking
from response import port_board, workrest
from response.models import (
    AllocationProposal,
    Incident,
    Offer,
    OfferLine,
    PortOfEntry,
    ResourceRequest,
    Unit,
)
from response.selectors.allocation import SOLVER_PHASES, record_pk, request_id, unit_id
from response.services.agreements import accepted_quantities
from response.services.offers import create_offer
from response.services.requests import OFFERABLE_REQUEST_STATES

logger = logging.getLogger(__name__)

PS = AllocationProposal.State
SOLVERS = ("auto", "flow", "milp", "greedy")
# The request's priority as the objective's weight: an urgent unit a minute late costs as much
# as five routine ones.
PRIORITY_WEIGHTS = {ResourceRequest.Priority.URGENT: 5, ResourceRequest.Priority.HIGH: 3,
                    ResourceRequest.Priority.ROUTINE: 1}
# Objective units per substitute sent, for a substitution the library's curated table
# (allocation/data/substitutions.csv) does not price: its reading of "with the requester's
# approval", which a request that accepts substitutes has given.
SUBSTITUTION_PENALTY = 60
# Minutes added before an international move to check identity documents, agency IDs and
# qualification records (an assumption of this adapter; same-nation moves have none).
CREDENTIAL_DELAY_MINUTES = 120
# Expected minutes at a port the library's planning table does not list.
PORT_WAIT_MINUTES = 60
# Units already named on a live offer are not proposed twice.
LIVE_OFFER_STATES = (Offer.State.OFFERED, Offer.State.UNDER_REVIEW, Offer.State.ACCEPTED)
LANGUAGE = re.compile(r"^[a-z]{2,3}$")

# The steps a proposal's `timings` records, in order, with the seconds each took: building the
# instance from the database and saving the queued proposal (propose), waiting for the job,
# reading and validating the saved instance, solving (its phases as the solver times them,
# SOLVER_PHASES, make it up), the independent check and storing the plan; and their total.
STEPS = ("build", "save", "wait", "read", "solve", "check", "store")

# Progress notes, stored in English and shown in the reader's language.
NOTE_QUEUED = gettext_noop("Waiting for the solver")
NOTE_READING = gettext_noop("Reading the saved instance")
NOTE_SOLVING = gettext_noop("Building the network and solving")
NOTE_CHECKING = gettext_noop("Checking the plan against every constraint")
NOTE_READY = gettext_noop("Plan ready")
NOTE_FAILED = gettext_noop("The solver failed")


# ---- The instance ----------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _port_planning():
    """The library's planning table of ports: {key: row} with `vehicles` and
    `planning_wait_minutes` (an assumption, see allocation/data/README.md)."""
    with (generate.DATA / "ports_of_entry.csv").open(encoding="utf-8", newline="") as f:
        return {row["key"]: row for row in csv.DictReader(f)}


@lru_cache(maxsize=1)
def _substitution_penalties():
    return {(s.kind, s.substitute): s.penalty for s in generate.substitutions()}


def _open_requests(user, incident):
    """Submitted or partially filled requests the user may see, of `incident` or of every
    active incident the user may see."""
    found = ResourceRequest.objects.restrict(user).filter(
        state__in=OFFERABLE_REQUEST_STATES,
        incident__in=Incident.objects.restrict(user).values("pk"))
    if incident is not None:
        found = found.filter(incident=incident)
    else:
        found = found.filter(incident__status=Incident.Status.ACTIVE)
    return (found.select_related("incident", "kind").prefetch_related(None)
            .prefetch_related("kind__substitutes").order_by("incident_id", "needed_by", "pk"))


# What the instance takes of a unit, read as plain values: thousands of units are read without
# making a model (and its organization, nation and kind) of each.
UNIT_FIELDS = ("pk", "kind__code", "home_latitude", "home_longitude", "organization_id",
               "organization__acronym", "organization__nation__code", "headcount",
               "available_from", "cross_border_eligible", "languages",
               "held_for_home_coverage", "air_capable")


def _available_units(user, now):
    """The user's own nation's units that are available now or later and on no live offer, as
    dicts of UNIT_FIELDS."""
    busy = OfferLine.objects.filter(unit__isnull=False, offer__state__in=LIVE_OFFER_STATES)
    return (Unit.objects.restrict(user)
            .filter(owner_nation_id=user.nation_id, availability=Unit.Availability.AVAILABLE)
            .exclude(available_until__lte=now)
            .exclude(pk__in=busy.values("unit_id"))
            .prefetch_related(None).order_by("pk").values(*UNIT_FIELDS))


@lru_cache(maxsize=256)
def _languages(value):
    return tuple(dict.fromkeys(c for c in (part.strip().lower() for part in value.split(","))
                               if LANGUAGE.match(c)))


def _ports(user, sources):
    """The ports as the user's status board has them now (response.port_board): one closed
    on either side is left out, a reported commercial wait replaces the planning figure; each
    such port's note is added to `sources` (kept with the proposal, shown on its page)."""
    planning = _port_planning()
    board = port_board.board_by_key(user)
    ports = []
    for port in PortOfEntry.objects.order_by("longitude", "key"):
        row = planning.get(port.key)
        if row and row["vehicles"] != "yes":
            continue  # a pedestrian crossing (Cross Border Xpress): no convoy goes through
        planning_wait = int(row["planning_wait_minutes"]) if row else PORT_WAIT_MINUTES
        wait, note = port_board.planning_figures(board.get(port.key), planning_wait)
        if note is not None:
            sources.append(note)
        if wait is None:
            continue  # closed on a side: no convoy goes through
        daily = port.days == PortOfEntry.Days.DAILY
        ports.append({
            "id": port.key, "name": port.name_en, "lat": port.latitude, "lon": port.longitude,
            "opens": None if port.open_all_day else port.opens.strftime("%H:%M"),
            "closes": None if port.open_all_day else port.closes.strftime("%H:%M"),
            "days": list(instances.DAYS if daily else instances.DAYS[:5]),
            "wait_minutes": wait})
    return ports


def build_instance(user, *, incident=None, liaison_rule=True, now=None, port_sources=None):
    """The allocation instance of what `user` may see: the open requests (submitted or
    partially filled) of `incident`, or of every active incident, each for what accepted
    offers do not yet cover, at the incident's point, weighted by priority, with the kind's
    substitutes when the request accepts them; and the user's nation's available units, one
    resource each, under their organization's drawdown limit (ALLOCATION_KEEP_AT_HOME).

    Its ids name the records: "unit:12", "request:34" (response.selectors.allocation)."""
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    nation = user.nation.code if getattr(user, "nation_id", None) else None
    if nation not in instances.NATIONS:
        raise ValidationError(_("The optimizer plans moves across the California–Baja "
                                "California border: it takes units of the United States and "
                                "Mexico only."))
    requests, substitutions = [], {}
    penalties = _substitution_penalties()
    found = list(_open_requests(user, incident))
    given = accepted_quantities(found)
    for request in found:
        remaining = request.quantity - given[request.pk]
        if remaining <= 0:
            continue
        kind = request.kind.code
        substitutes = ([k.code for k in request.kind.substitutes.all()]
                       if request.substitutes_acceptable else [])
        for substitute in substitutes:
            substitutions[(kind, substitute)] = penalties.get((kind, substitute),
                                                              SUBSTITUTION_PENALTY)
        requests.append({
            "id": request_id(request.pk), "incident": f"incident:{request.incident_id}",
            "kind": kind,
            "quantity": remaining, "priority": PRIORITY_WEIGHTS[request.priority],
            "lat": request.incident.latitude, "lon": request.incident.longitude,
            "needed_by": instances.iso(request.needed_by), "substitutes": substitutes})
    resources, jurisdictions = [], {}
    reference = instances.iso(now)
    for unit in _available_units(user, now):
        jurisdiction = f"organization:{unit['organization_id']}"
        jurisdictions.setdefault(jurisdiction, {
            "id": jurisdiction, "name": unit["organization__acronym"],
            "nation": unit["organization__nation__code"],
            "keep_share": settings.ALLOCATION_KEEP_AT_HOME})
        start = unit["available_from"]
        resources.append({
            "id": unit_id(unit["pk"]), "kind": unit["kind__code"],
            "lat": unit["home_latitude"], "lon": unit["home_longitude"], "nation": nation,
            "jurisdiction": jurisdiction, "headcount": unit["headcount"],
            "available_from": instances.iso(start) if start and start > now else reference,
            "cross_border_eligible": unit["cross_border_eligible"],
            "credential_delay_minutes": CREDENTIAL_DELAY_MINUTES,
            "languages": list(_languages(unit["languages"])),
            "held_for_home_coverage": unit["held_for_home_coverage"],
            "air_capable": unit["air_capable"]})
    data = {
        "format": instances.FORMAT,
        "name": (f"Enlace {nation} {reference}"
                 + (f" incident:{incident.pk}" if incident is not None else "")),
        "reference_time": reference,
        "rules": {"liaison": bool(liaison_rule)},
        "substitutions": [{"kind": k, "substitute": s, "penalty": p}
                          for (k, s), p in sorted(substitutions.items())],
        "ports": _ports(user, port_sources if port_sources is not None else []),
        "jurisdictions": list(jurisdictions.values()),
        "resources": resources,
        "requests": requests,
    }
    try:
        return instances.from_json(data)
    except instances.InstanceError as exc:
        raise ValidationError(_("The optimizer cannot plan with these records: %(error)s")
                              % {"error": exc}) from exc


# ---- Proposals -------------------------------------------------------------------------------

def _incident(user, incident):
    if incident is None or incident == "":
        return None
    pk = incident.pk if isinstance(incident, Incident) else incident
    found = Incident.objects.restrict(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise ValidationError({"incident": _("Choose an incident you may see.")})
    return found


def _solver(solver, liaison_rule):
    """The solver to store: "auto" is the integer model when the liaison rule applies (the
    flow first; the integer model when the flow's optimum breaks the rule), else the exact
    flow. The plan's `method` and `method_reason` say which made it."""
    if solver not in SOLVERS:
        raise ValidationError({"solver": _("Choose one of: %(choices)s.")
                               % {"choices": ", ".join(SOLVERS)}})
    if solver == "auto":
        return AllocationProposal.Solver.MILP if liaison_rule else AllocationProposal.Solver.FLOW
    return solver


def _time_limit(value):
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        seconds = None
    if seconds is None or not 0.1 <= seconds <= 300:
        raise ValidationError({"time_limit": _("Give a time limit from 0.1 to 300 seconds.")})
    return seconds


def _pairs(data, pins, exclusions):
    """Pins and exclusions checked against the instance: each names one of its units and (for
    a pin always, for an exclusion optionally) one of its requests. Duplicates are dropped; a
    unit cannot be both pinned to and excluded from a request."""
    resources = {r["id"] for r in data["resources"]}
    requests = {q["id"] for q in data["requests"]}

    def pair(item, field, need_request):
        if not isinstance(item, dict):
            raise ValidationError({field: _("Give each as a unit and a request.")})
        resource, request = item.get("resource"), item.get("request")
        if resource not in resources:
            raise ValidationError({field: _("%(unit)s is not a unit of this proposal.")
                                   % {"unit": resource}})
        if (need_request or request is not None) and request not in requests:
            raise ValidationError({field: _("%(request)s is not a request of this proposal.")
                                   % {"request": request}})
        return {"resource": resource, **({"request": request} if request is not None else {})}

    pins = list({str(p): p for p in (pair(i, "pins", True) for i in pins or ())}.values())
    exclusions = list({str(e): e for e in (pair(i, "exclusions", False)
                                           for i in exclusions or ())}.values())
    excluded = {(e["resource"], e.get("request")) for e in exclusions}
    for pin in pins:
        if (pin["resource"], pin["request"]) in excluded or (pin["resource"], None) in excluded:
            raise ValidationError({"pins": _("%(unit)s cannot be both pinned and excluded.")
                                   % {"unit": pin["resource"]}})
    return pins, exclusions


def _seconds(since):
    return round(perf_counter() - since, 4)


def _queue(user, *, incident, solver, liaison_rule, time_limit, data, pins, exclusions,
           resolves, timings):
    started = perf_counter()
    pins, exclusions = _pairs(data, pins, exclusions)
    proposal = AllocationProposal(
        incident=incident, requested_by=user, solver=solver, liaison_rule=liaison_rule,
        time_limit=time_limit, state=PS.QUEUED, progress=0, progress_note=NOTE_QUEUED,
        instance=data, pins=pins, exclusions=exclusions, resolves=resolves, created_by=user)
    with acting_as(user):
        # It lists the nation's own units: for that nation only.
        apply_marking(proposal, owner=user.nation, rel_to=())
    # Saving is timed once saved: its time is added by a small update of its own.
    proposal.timings, proposal.updated_at = {**timings, "save": _seconds(started)}, timezone.now()
    AllocationProposal.objects.filter(pk=proposal.pk).update(timings=proposal.timings,
                                                             updated_at=proposal.updated_at)
    return proposal


@transaction.atomic
def propose(user, *, incident=None, solver="auto", liaison_rule=True, time_limit=10, pins=(),
            exclusions=(), resolves=None):
    """A proposal for the open requests of `incident` (an incident the user may see; None:
    every active incident) and the user's nation's available units. The instance is built
    now and saved with the proposal, queued: the caller has the job solve it
    (`response.tasks.solve_when_committed`). `solver`: auto (milp with the liaison rule, else
    flow), flow, milp or greedy; `time_limit` in seconds (0.1–300); `pins` and `exclusions` as
    [{"resource": "unit:…", "request": "request:…"}] (an exclusion without a request keeps
    the unit home); `resolves`: the proposal this one follows."""
    require_role(user, "response.add_allocationproposal")
    if resolves is not None:
        require(user, resolves, "change", perm="response.add_allocationproposal")
    incident = _incident(user, incident)
    stored = _solver(solver, liaison_rule)
    seconds = _time_limit(time_limit)
    started = perf_counter()
    sources = []  # the ports whose figures came from the status board
    instance = build_instance(user, incident=incident, liaison_rule=liaison_rule,
                              port_sources=sources)
    if not instance.requests:
        raise ValidationError({"incident": _(
            "No submitted or partially filled request with anything left to fill is visible "
            "to you there: there is nothing to plan.")})
    data = instances.to_json(instance)
    if sources:
        data["port_sources"] = sources
    return _queue(user, incident=incident, solver=stored, liaison_rule=bool(liaison_rule),
                  time_limit=seconds, data=data, pins=pins, exclusions=exclusions,
                  resolves=resolves, timings={"build": _seconds(started)})


def _own(user, proposal, codename):
    """The proposal, locked, if the user's role and nation may act on it."""
    require(user, proposal, "change", perm=f"response.{codename}")
    return AllocationProposal.objects.select_for_update().get(pk=proposal.pk)


def may_act(user, proposal, codename="change_allocationproposal"):
    return may(user, proposal, "change", perm=f"response.{codename}")


# Solving moves a proposal from queued to ready (or failed) as a job; a person accepts it or
# discards it.
PROPOSAL_LIFECYCLE = Lifecycle(
    Transition("accept", (PS.READY,), PS.ACCEPTED, gettext_lazy("Accept")),
    Transition("discard", tuple(s for s in PS.values if s not in (PS.ACCEPTED, PS.DISCARDED)),
               PS.DISCARDED, gettext_lazy("Discard")),
    may=lambda user, proposal, step: may_act(user, proposal),
    refused=refused_by_state(gettext_lazy("“%(action)s” is not possible: the proposal is "
                                          "%(state)s.")),
    also_saves=("updated_at",),  # the solving job writes its progress meanwhile
)

# Solving again leaves the proposal as it is (a new one is queued): not a step of the
# lifecycle, but refused from any other state in the lifecycle's words.
SOLVE_AGAIN = Transition("resolve", (PS.READY,), PS.READY, gettext_lazy("Solve again"))


@transaction.atomic
def resolve(user, proposal, *, pins=(), exclusions=()):
    """Solve a proposal ready for review again — the same saved instance, not today's records
    — with these pins and exclusions (the whole set, replacing the proposal's own). A new
    proposal that names this one in `resolves`."""
    require_role(user, "response.add_allocationproposal")
    proposal = _own(user, proposal, "add_allocationproposal")
    if proposal.state not in SOLVE_AGAIN.sources:
        _everywhere, message = PROPOSAL_LIFECYCLE.refused(proposal, SOLVE_AGAIN)
        raise ValidationError(message)
    return _queue(user, incident=proposal.incident, solver=proposal.solver,
                  liaison_rule=proposal.liaison_rule, time_limit=proposal.time_limit,
                  data=proposal.instance, pins=pins, exclusions=exclusions, resolves=proposal,
                  timings={})


def _solve(instance, proposal):
    return solve(instance, solver=proposal.solver, time_limit=proposal.time_limit,
                 pins=proposal.pins or None, exclusions=proposal.exclusions or None)


def replay(proposal):
    """Solve the proposal's saved instance again with its solver, time limit, pins and
    exclusions, and return the plan (not stored)."""
    return _solve(instances.from_json(proposal.instance), proposal)


# A job solving a proposal claims it for its time limit and this many seconds more (building
# the network, the check, a loaded machine); a claim not renewed by then is a dead worker's.
LEASE_MARGIN = 120
# A proposal whose worker died this many times (a crash the solve itself causes) is failed.
MAX_ATTEMPTS = 3
# A queued proposal no job has picked up for this long is queued again (a message lost).
QUEUED_PATIENCE = timedelta(minutes=5)


def _lease(proposal, now):
    margin = getattr(settings, "ALLOCATION_LEASE_MARGIN", LEASE_MARGIN)
    return now + timedelta(seconds=proposal.time_limit + margin)


def _stalled(now):
    """Proposals a job should be solving and none is: queued past QUEUED_PATIENCE, or
    solving with a lapsed claim."""
    return (Q(state=PS.QUEUED, updated_at__lt=now - QUEUED_PATIENCE)
            | Q(state=PS.SOLVING, lease_until__lt=now)
            | Q(state=PS.SOLVING, lease_until__isnull=True))


def _log_outcome(proposal, state):
    from auditlog.models import LogEntry

    log_bulk([proposal], LogEntry.Action.UPDATE, lambda r: {"state": [PS.SOLVING, state]},
             None)


@transaction.atomic
def _claim(proposal_id, now):
    """Claim a proposal for this job: queued, or solving under a lapsed claim (its worker
    died). Locked rows are skipped: another job is claiming it. Returns the proposal with
    this attempt's number, or None (solved, discarded, or another job's)."""
    proposal = (AllocationProposal.objects.select_for_update(skip_locked=True)
                .filter(pk=proposal_id).filter(Q(state=PS.QUEUED) | _stalled(now)).first())
    if proposal is None:
        return None
    if proposal.attempts >= MAX_ATTEMPTS:
        AllocationProposal.objects.filter(pk=proposal.pk).update(
            state=PS.FAILED, progress=100, progress_note=NOTE_FAILED, lease_until=None,
            updated_at=now, error=f"The job solving it stopped {proposal.attempts} times "
                                  "without finishing.")
        _log_outcome(proposal, PS.FAILED)
        return None
    proposal.attempts += 1
    AllocationProposal.objects.filter(pk=proposal.pk).update(
        state=PS.SOLVING, attempts=proposal.attempts, lease_until=_lease(proposal, now),
        progress=10, progress_note=NOTE_READING)  # updated_at stays: the wait is timed from it
    return proposal


def run_proposal(proposal_id):
    """The job's work: solve a queued proposal, recording progress as it goes, and store the
    plan with the independent checker's verdict and the seconds each step took (`timings`,
    added to what propose recorded). Any failure is recorded on the proposal (state failed,
    the error), never raised. A proposal discarded meanwhile is left alone. Returns the plan,
    or None.

    Safe to run twice and after a crash: the job claims the proposal (`_claim`) and writes
    only while its claim is the latest (the attempt's number), renewing it at each step; the
    plan is stored, with its history, in one statement's transaction. A worker killed
    mid-solve leaves the proposal solving until its claim lapses; `requeue_stalled` then
    has it solved again, and a slow original finding a newer attempt stores nothing."""
    started, begun = perf_counter(), timezone.now()
    proposal = _claim(proposal_id, begun)
    if proposal is None:
        return None  # solved already, discarded, or another job's
    active = AllocationProposal.objects.filter(pk=proposal_id, state=PS.SOLVING,
                                               attempts=proposal.attempts)
    # Each step runs from the end of the one before, so together they are the job's time.
    timings = {**(proposal.timings or {}),
               "wait": round(max((begun - proposal.updated_at).total_seconds(), 0), 4)}

    def lap(name, since):
        timings[name] = _seconds(since)
        return perf_counter()

    def step(progress, note, **fields):
        now = timezone.now()
        return active.update(progress=progress, progress_note=note, updated_at=now,
                             lease_until=_lease(proposal, now), **fields)

    def finish(state, progress, note, **fields):
        with transaction.atomic():
            if not active.update(state=state, progress=progress, progress_note=note,
                                 lease_until=None, updated_at=timezone.now(), **fields):
                return False  # discarded meanwhile, or a newer attempt holds it
            _log_outcome(proposal, state)
        return True

    def total():
        return round(sum(timings.get(name, 0) for name in STEPS), 4)

    now = started
    try:
        instance = instances.from_json(proposal.instance)
        now = lap("read", now)
        step(30, NOTE_SOLVING)
        plan = _solve(instance, proposal)
        now = lap("solve", now)
        timings.update({name: plan["timings"][name] for name in SOLVER_PHASES
                        if name in plan.get("timings", {})})
        if not step(90, NOTE_CHECKING):
            return None
        verdict = check(instance, plan)
        plan["check"] = {"feasible": verdict["feasible"],
                         "violations": verdict["violations"][:20],
                         "objective": verdict["objective"]}
        now = lap("check", now)
        if not finish(PS.READY, 100, NOTE_READY, plan=plan, solved_at=timezone.now()):
            return None
        lap("store", now)
    except Exception as exc:  # the job must record any failure, not lose it
        logger.exception("allocation proposal %s failed", proposal_id)
        finish(PS.FAILED, 100, NOTE_FAILED, error=(str(exc) or exc.__class__.__name__)[:2000],
               timings={**timings, "total": total()})
        return None
    # Storing is timed once stored: the timings follow in a small update of their own.
    AllocationProposal.objects.filter(pk=proposal_id).update(
        timings={**timings, "total": total()})
    return plan


def stalled_proposals(now=None):
    """The ids of proposals to solve again (`_stalled`), oldest first."""
    return list(AllocationProposal.objects.filter(_stalled(now or timezone.now()))
                .order_by("pk").values_list("pk", flat=True))


def _eta(assignment):
    return datetime.fromisoformat(assignment["eta"])


@transaction.atomic
def accept(user, proposal, *, assignment_ids=None):
    """Make the plan's offers: for each request with assignments (all, or those whose unit
    is in `assignment_ids` — an assignment is named by its unit's id, "unit:12"), one offer
    through `create_offer` with a line per unit, for the standard 14-day assignment from
    the earliest arrival, reimbursable. All or nothing: if the proposal is out of date (a
    request no longer open or already covered, a unit no longer available or already
    offered) or an offer is refused, nothing is stored and the error names the request."""
    proposal = _own(user, proposal, "change_allocationproposal")
    PROPOSAL_LIFECYCLE.check_state(proposal, "accept")
    plan = proposal.plan or {}
    if not plan.get("check", {}).get("feasible", False):
        raise ValidationError(_("The checker did not confirm this plan: solve again."))
    chosen = plan.get("assignments", [])
    if assignment_ids is not None:
        wanted = set(assignment_ids)
        unknown = sorted(wanted - {a["resource"] for a in chosen})
        if unknown:
            raise ValidationError({"assignments": _("Not assigned in this plan: %(ids)s.")
                                   % {"ids": ", ".join(unknown)}})
        chosen = [a for a in chosen if a["resource"] in wanted]
    if not chosen:
        raise ValidationError({"assignments": _("The plan sends no unit: there is nothing to "
                                                "offer.")})
    by_request = defaultdict(list)
    for assignment in chosen:
        by_request[record_pk(assignment["request"])].append(assignment)
    requests = (ResourceRequest.objects.restrict(user).select_related("incident", "kind")
                .prefetch_related("kind__substitutes").in_bulk(list(by_request)))
    given = accepted_quantities(requests.values())
    unit_pks = [record_pk(a["resource"]) for a in chosen]
    units = Unit.objects.restrict(user).select_related("organization", "kind").in_bulk(unit_pks)
    busy = set(OfferLine.objects.filter(unit_id__in=unit_pks, offer__state__in=LIVE_OFFER_STATES)
               .values_list("unit_id", flat=True))
    offers = []
    for pk, assignments in by_request.items():
        request = requests.get(pk)
        number = request.number if request else request_id(pk)

        def refuse(problem, number=number):
            raise ValidationError(_("Request %(number)s: %(problem)s Solve again.")
                                  % {"number": number, "problem": problem})

        if request is None:
            refuse(_("it is no longer visible to you."))
        if request.state not in OFFERABLE_REQUEST_STATES:
            refuse(_("it is %(state)s now, no longer open for offers.")
                   % {"state": request.get_state_display().lower()})
        remaining = request.quantity - given[request.pk]
        if len(assignments) > remaining:
            refuse(_("%(left)s still to fill, %(count)s proposed.")
                   % {"left": max(remaining, 0), "count": len(assignments)})
        lines = []
        for assignment in assignments:
            unit = units.get(record_pk(assignment["resource"]))
            if unit is None:
                refuse(_("unit %(unit)s is no longer visible to you.")
                       % {"unit": assignment["resource"]})
            if unit.availability != Unit.Availability.AVAILABLE:
                refuse(_("%(unit)s is %(availability)s now.") % {
                    "unit": unit, "availability": unit.get_availability_display().lower()})
            if unit.pk in busy:
                refuse(_("%(unit)s is already on another offer.") % {"unit": unit})
            lines.append({"kind": unit.kind, "quantity": 1, "headcount": unit.headcount,
                          "agency": unit.organization, "unit": unit})
        try:
            offers.append(create_offer(
                user, request=request, lines=lines, duration_days=workrest.ASSIGNMENT_DAYS,
                available_from=min(_eta(a) for a in assignments),
                cost_terms=Offer.CostTerms.REIMBURSABLE))
        except ValidationError as exc:
            refuse(" ".join(exc.messages))
    PROPOSAL_LIFECYCLE.move(user, proposal, "accept", changes={"accepted_at": timezone.now()})
    with acting_as(user):
        proposal.offers.set(offers)
    return proposal


@transaction.atomic
def discard(user, proposal):
    """Set a proposal aside (any state but accepted or discarded); a queued or solving one is
    then never stored as ready."""
    proposal = _own(user, proposal, "change_allocationproposal")
    PROPOSAL_LIFECYCLE.move(user, proposal, "discard")
    return proposal
