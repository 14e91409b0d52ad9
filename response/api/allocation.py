"""Allocation proposals: the optimizer's plans for open requests, solved by a job, reviewed,
solved again with pins and exclusions, and accepted (offers made through the mutual-aid
services) or discarded; and the proposed moves as a map layer."""

from datetime import datetime
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from allocation.plan import METHOD_REASONS, METHODS
from core.api import Pagination, error_responses
from core.schemas import MarkingOut
from core.views import get_one
from response import tasks
from response.api.geojson import (
    BOOL,
    INT,
    NUM,
    OPT_STR,
    STR,
    feature,
    feature_collection,
    layer_schema,
    position,
)
from response.models import AllocationProposal, PortOfEntry
from response.selectors import allocation as selectors
from response.services import allocation

router = Router()

ProposalStateCode = Literal[tuple(AllocationProposal.State.values)]
SolverCode = Literal[allocation.SOLVERS]
StoredSolverCode = Literal[tuple(AllocationProposal.Solver.values)]
InstanceId = Annotated[str, Field(min_length=1, max_length=200, examples=["unit:12"])]


class AllocationPairIn(Schema):
    resource: InstanceId = Field(..., description="A unit of the instance", examples=["unit:12"])
    request: InstanceId = Field(..., description="A request of the instance",
                                examples=["request:34"])


class AllocationExclusionIn(Schema):
    resource: InstanceId = Field(..., examples=["unit:12"])
    request: InstanceId | None = Field(None, description="Null: keep the unit home",
                                       examples=["request:34"])


class AllocationResolveIn(Schema):
    pins: list[AllocationPairIn] = Field(default_factory=list, max_length=1000)
    exclusions: list[AllocationExclusionIn] = Field(default_factory=list, max_length=1000)


class AllocationProposalCreate(AllocationResolveIn):
    incident: int | None = Field(None, ge=1, le=2**63 - 1,
                                 description="Incident id; null: every active incident")
    solver: SolverCode = Field("auto", description="auto: milp with the liaison rule, else "
                                                   "flow")
    liaison_rule: bool = True
    time_limit: float = Field(10, ge=0.1, le=300, description="Seconds")


class AllocationAcceptIn(Schema):
    assignments: list[InstanceId] | None = Field(
        None, max_length=5000, description="The units (\"unit:12\") whose assignments to "
                                           "accept; null: every assignment")


class AllocationProposalFilter(Schema):
    incident: int | None = Field(None, ge=1, le=2**63 - 1, description="Incident id")
    state: ProposalStateCode | None = None


class AllocationObjectiveOut(Schema):
    total: int
    lateness: int
    substitution: int
    unmet: int


TimingStep = Literal[(*allocation.STEPS, *selectors.SOLVER_PHASES, "total")]


class AllocationMethodOut(Schema):
    code: Literal[METHODS] = Field(..., description="The method that made the plan")
    name: str = Field(..., description="In your language")
    reason: Literal[METHOD_REASONS] | None = Field(
        ..., description="Why this method made it; null for a plan stored before reasons were "
                         "given")
    explanation: str | None = Field(..., description="The reason in your language")


class AllocationTimingOut(Schema):
    step: TimingStep = Field(..., description="build, save (propose); wait, read, solve, check, "
                                              "store (the job); network, greedy, flow, milp, "
                                              "explain (the solver's phases, within solve); "
                                              "total (of the steps)")
    label: str = Field(..., description="In your language")
    seconds: float
    phase: bool = Field(..., description="A phase of the solver, part of `solve`")


class AllocationProposalOut(Schema):
    id: int
    incident: int | None = Field(..., description="Incident id; null: every active incident")
    incident_name: str | None = Field(..., description="In your language")
    requested_by: str = Field(..., description="Username")
    solver: StoredSolverCode
    liaison_rule: bool
    time_limit: float
    state: ProposalStateCode
    progress: int = Field(..., description="Percent")
    progress_note: str = Field(..., description="In your language")
    error: str
    resolves: int | None = Field(..., description="The proposal this one solved again")
    objective: AllocationObjectiveOut | None
    bound: int | None
    gap: float | None
    units_requested: int | None
    units_assigned: int | None
    created_at: datetime
    solved_at: datetime | None
    accepted_at: datetime | None
    method: AllocationMethodOut | None = Field(..., description="Which method made the plan "
                                                                 "and why; null until solved")
    timings: list[AllocationTimingOut] = Field(..., description="Where the time went: the "
                                                                "steps taken so far, in order")
    offers: list[int] = Field(..., description="Offers made on acceptance")
    marking: MarkingOut

    resolve_marking = staticmethod(MarkingOut.of)

    @staticmethod
    def resolve_incident(obj):
        return obj.incident_id

    @staticmethod
    def resolve_incident_name(obj):
        return obj.incident.name if obj.incident_id else None

    @staticmethod
    def resolve_requested_by(obj):
        return obj.requested_by.username

    @staticmethod
    def resolve_progress_note(obj):
        return _(obj.progress_note) if obj.progress_note else ""

    @staticmethod
    def resolve_resolves(obj):
        return obj.resolves_id

    @staticmethod
    def resolve_objective(obj):
        return obj.plan["objective"] if obj.plan else None

    @staticmethod
    def resolve_bound(obj):
        return obj.plan["bound"] if obj.plan else None

    @staticmethod
    def resolve_gap(obj):
        return obj.plan["gap"] if obj.plan else None

    @staticmethod
    def resolve_units_requested(obj):
        return obj.plan["stats"]["units_requested"] if obj.plan else None

    @staticmethod
    def resolve_units_assigned(obj):
        return obj.plan["stats"]["units_assigned"] if obj.plan else None

    @staticmethod
    def resolve_method(obj):
        return selectors.method_of(obj.plan)

    @staticmethod
    def resolve_timings(obj):
        return selectors.timing_rows(obj)

    @staticmethod
    def resolve_offers(obj):
        return [offer.pk for offer in obj.offers.all()]


class AllocationProposalDetailOut(AllocationProposalOut):
    pins: list[dict]
    exclusions: list[dict]
    plan: dict | None = Field(..., description="The plan (docs/allocation-plan.schema.json), "
                                                "with `check`: the independent checker's "
                                                "verdict")


def _proposals(request):
    return selectors.proposals_for(request.user).prefetch_related("offers")


def _proposal(request, proposal_id):
    return get_one(_proposals(request), proposal_id)


@router.get("/allocation-proposals",
            response={200: list[AllocationProposalOut], **error_responses(422)})
@paginate(Pagination)
def list_proposals(request, filters: Query[AllocationProposalFilter]):
    """Allocation proposals you may see (your nation's), newest first, filtered by incident or
    state."""
    return selectors.proposals_for(request.user, **filters.dict()).prefetch_related("offers")


@router.post("/allocation-proposals",
             response={201: AllocationProposalDetailOut, **error_responses(403, 422)})
def create_proposal(request, payload: AllocationProposalCreate):
    """Propose a plan for the open requests of an incident (or of every active incident) and
    your nation's available units. The instance is saved with the proposal; a job solves it
    (`state` queued → solving → ready or failed, with `progress`). Pins and exclusions name
    instance ids ("unit:12", "request:34")."""
    data = payload.dict()
    proposal = allocation.propose(
        request.user, incident=data["incident"], solver=data["solver"],
        liaison_rule=data["liaison_rule"], time_limit=data["time_limit"], pins=data["pins"],
        exclusions=data["exclusions"])
    tasks.solve_when_committed(proposal)
    return Status(201, _proposal(request, proposal.pk))


@router.get("/allocation-proposals/{proposal_id}",
            response={200: AllocationProposalDetailOut, **error_responses(404, 422)})
def get_proposal(request, proposal_id: int):
    """The proposal with its plan: assignments (route, port and crossing, ETA, why this one
    over the runner-up), unmet demand with reasons, the objective broken down, the lower
    bound and gap."""
    return _proposal(request, proposal_id)


@router.get("/allocation-proposals/{proposal_id}/instance",
            response={200: dict, **error_responses(404, 422)})
def get_proposal_instance(request, proposal_id: int):
    """The instance the proposal solved (docs/allocation-instance.schema.json): replay it with
    `enlace allocate solve`."""
    return _proposal(request, proposal_id).instance


@router.post("/allocation-proposals/{proposal_id}/resolve",
             response={201: AllocationProposalDetailOut, **error_responses(403, 404, 422)})
def resolve_proposal(request, proposal_id: int, payload: AllocationResolveIn):
    """Solve a proposal that is ready again — the same saved instance — with these pins and
    exclusions (the whole set). Returns the new proposal, which names this one in
    `resolves`."""
    data = payload.dict()
    new = allocation.resolve(request.user, _proposal(request, proposal_id), pins=data["pins"],
                             exclusions=data["exclusions"])
    tasks.solve_when_committed(new)
    return Status(201, _proposal(request, new.pk))


@router.post("/allocation-proposals/{proposal_id}/accept",
             response={200: AllocationProposalDetailOut, **error_responses(403, 404, 422)})
def accept_proposal(request, proposal_id: int, payload: AllocationAcceptIn):
    """Accept the plan (or the assignments of the units named): one offer per request through
    the mutual-aid services, all or nothing. A proposal gone out of date is refused with the
    request named."""
    allocation.accept(request.user, _proposal(request, proposal_id),
                      assignment_ids=payload.assignments)
    return _proposal(request, proposal_id)


@router.post("/allocation-proposals/{proposal_id}/discard",
             response={200: AllocationProposalDetailOut, **error_responses(403, 404, 422)})
def discard_proposal(request, proposal_id: int):
    """Set the proposal aside; a queued or solving one is never stored as ready."""
    allocation.discard(request.user, _proposal(request, proposal_id))
    return _proposal(request, proposal_id)


# ---- The map layer ---------------------------------------------------------------------------

MOVE_PROPERTIES = {
    "proposal": INT, "unit": STR, "unit_id": STR, "request": STR, "request_id": STR,
    "kind": STR, "mode": STR, "port": OPT_STR, "crossing_at": OPT_STR, "eta": STR,
    "needed_by": STR, "late_minutes": INT, "distance_km": NUM, "international": BOOL,
    "pinned": BOOL, "url": OPT_STR,
}


@router.get("/map/proposals/{proposal_id}", url_name="map_proposal",
            response=error_responses(404, 422),
            openapi_extra=layer_schema(
                "The moves a proposal makes: home base → port of entry (ground crossings) → "
                "incident", ["LineString"], MOVE_PROPERTIES))
def proposal_layer(request, proposal_id: int):
    """The proposal's moves, one LineString each, from the unit's home base through the port
    of entry (a ground move across the border) to the incident, with the unit, the request
    and the ETA. Empty until the plan is ready."""
    proposal = get_one(selectors.proposals_for(request.user), proposal_id)
    plan, data = proposal.plan or {}, proposal.instance or {}
    homes = {r["id"]: (r["lon"], r["lat"]) for r in data.get("resources", [])}
    sites = {q["id"]: (q["lon"], q["lat"]) for q in data.get("requests", [])}
    crossings = {p["id"]: (p["lon"], p["lat"]) for p in data.get("ports", [])}
    ports = {p.key: p.name for p in PortOfEntry.objects.all()}
    records = selectors.labels(request.user, proposal)
    features = []
    for a in plan.get("assignments", []):
        crossing = a["route"]["crossing"]
        via = [crossings[crossing["port"]]] if crossing else []
        unit, resource_request = records.get(a["resource"]), records.get(a["request"])
        features.append(feature(
            {"type": "LineString", "coordinates": [position(*v) for v in (
                homes[a["resource"]], *via, sites[a["request"]])]},
            {"proposal": proposal.pk, "unit": unit.name if unit else a["resource"],
             "unit_id": a["resource"],
             "request": resource_request.number if resource_request else a["request"],
             "request_id": a["request"], "kind": a["kind"], "mode": a["route"]["mode"],
             "port": ports.get(crossing["port"], crossing["port_name"]) if crossing else None,
             "crossing_at": crossing["start"] if crossing else None, "eta": a["eta"],
             "needed_by": a["needed_by"], "late_minutes": a["late_minutes"],
             "distance_km": a["route"]["distance_km"], "international": a["international"],
             "pinned": a["pinned"], "url": unit.get_absolute_url() if unit else None},
            f"proposal-{proposal.pk}-{a['resource']}"))
    return feature_collection(features)
