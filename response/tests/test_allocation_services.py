"""Allocation proposals through the services: the adapter's instance (what is left to fill,
the user's own nation's available units only, held units flagged, ports and drawdown), the job
that stores a plan the independent checker accepts, pins and exclusions on solving again,
replay, acceptance through the mutual-aid offer services (all or nothing), discarding, and who
may do what."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.models import Organization
from allocation import instance as instances
from allocation.check import check
from allocation.plan import METHOD_REASONS, METHODS
from core.models import Disclosure
from response import tasks
from response.models import (
    AllocationProposal,
    Incident,
    Offer,
    OfferLine,
    ResourceRequest,
    Unit,
)
from response.selectors import allocation as selectors
from response.services import allocation
from response.services.requests import transition_request
from response.tests.factories import (
    make_agreement,
    make_incident,
    make_offer,
    make_request,
    make_unit,
)

PS = AllocationProposal.State
RS = ResourceRequest.State
SAN_DIEGO = {"home_base": "San Diego", "home_latitude": 32.7157, "home_longitude": -117.1611}
RIVERSIDE = {"home_base": "Riverside", "home_latitude": 33.9533, "home_longitude": -117.3962}


def make_scene(duty, mx_liaison):
    """A Tijuana earthquake recorded by Mexico and released to the United States; Mexico asks
    for generators (one already covered by an agreement in force) and water purification;
    the duty officer's organization has generators in San Diego and Riverside."""
    soon = timezone.now() + timedelta(hours=12)
    quake = make_incident(mx_liaison, name="Tijuana earthquake", latitude=32.5149,
                          longitude=-117.0382, rel_to=("USA",), kind=Incident.Kind.EARTHQUAKE,
                          state_region="BC")
    generators = make_request(mx_liaison, quake, number="MEX-2026-0001", kind="GENERATOR",
                              quantity=3, rel_to=("USA",), needed_by=soon,
                              state=RS.PARTIALLY_FILLED)
    make_agreement(mx_liaison, duty, request=generators,
                   offer=make_offer(duty, generators, quantity=1, headcount=2, rel_to=("MEX",)))
    water = make_request(mx_liaison, quake, number="MEX-2026-0002", kind="WATER-PURIFICATION",
                         quantity=1, rel_to=("USA",), needed_by=soon, priority="high",
                         substitutes_acceptable=True)
    units = [make_unit(duty, name=f"Generator team {n}", kind="GENERATOR", headcount=3,
                       languages="en,es" if n == 1 else "en",
                       **(SAN_DIEGO if n < 3 else RIVERSIDE)) for n in range(1, 5)]
    return {"incident": quake, "generators": generators, "water": water, "units": units}


@pytest.fixture
def scene(duty, mx_liaison):
    return make_scene(duty, mx_liaison)


def solved(user, **kwargs):
    proposal = allocation.propose(user, **kwargs)
    allocation.run_proposal(proposal.pk)
    proposal.refresh_from_db()
    return proposal


# ---- The instance ----------------------------------------------------------------------------

def test_instance_has_what_is_left_to_fill_and_only_own_available_units(duty, mx_liaison,
                                                                         scene):
    held = make_unit(duty, name="Held generator", kind="GENERATOR", held_for_home_coverage=True,
                     **SAN_DIEGO)
    make_unit(duty, name="Committed generator", kind="GENERATOR",
              availability=Unit.Availability.COMMITTED)
    make_unit(duty, name="Gone tomorrow", kind="GENERATOR",
              available_until=timezone.now() - timedelta(hours=1))
    offered = make_unit(duty, name="Already offered", kind="GENERATOR")
    pending = make_offer(duty, scene["water"], quantity=1, rel_to=("MEX",))
    OfferLine.objects.filter(offer=pending).update(unit=offered)
    make_unit(mx_liaison, name="Planta Tijuana", kind="GENERATOR", rel_to=("USA",))
    make_request(mx_liaison, scene["incident"], number="MEX-2026-0003", kind="GENERATOR",
                 state=RS.DRAFT, rel_to=("USA",))
    make_request(mx_liaison, scene["incident"], number="MEX-2026-0004", kind="GENERATOR",
                 rel_to=())  # not released to the United States

    inst = allocation.build_instance(duty, incident=scene["incident"])

    requests = {q.id: q for q in inst.requests}
    generators = requests[f"request:{scene['generators'].pk}"]
    assert set(requests) == {f"request:{scene['generators'].pk}",
                             f"request:{scene['water'].pk}"}
    assert generators.quantity == 2  # 3 asked, 1 covered by the agreement in force
    assert generators.priority == 5 and generators.incident == f"incident:{scene['incident'].pk}"
    assert (generators.lat, generators.lon) == (32.5149, -117.0382)
    assert generators.substitutes == ()
    water = requests[f"request:{scene['water'].pk}"]
    assert water.priority == 3 and water.substitutes == ("DES-TF",)
    assert inst.substitution_table() == {("WATER-PURIFICATION", "DES-TF"):
                                         allocation.SUBSTITUTION_PENALTY}

    resources = {r.id: r for r in inst.resources}
    assert set(resources) == {f"unit:{u.pk}" for u in [*scene["units"], held]}
    assert resources[f"unit:{held.pk}"].held_for_home_coverage
    first = resources[f"unit:{scene['units'][0].pk}"]
    assert first.nation == "USA" and first.languages == ("en", "es") and first.bilingual
    assert first.credential_delay == allocation.CREDENTIAL_DELAY_MINUTES
    assert first.id == f"unit:{scene['units'][0].pk}"
    assert first.jurisdiction == f"organization:{duty.organization_id}"

    [jurisdiction] = inst.jurisdictions  # the duty officer's organization (CalGuard)
    assert jurisdiction.name == duty.organization.acronym and jurisdiction.keep_share == 0.2
    assert {r.jurisdiction for r in inst.resources} == {jurisdiction.id}


def test_instance_ports_substitute_penalties_and_settings(duty, scene):
    scene["generators"].substitutes_acceptable = True
    scene["generators"].save()
    crew = make_request(scene["generators"].requested_by, scene["incident"],
                        number="MEX-2026-0005", kind="CREW-HAND-T2", rel_to=("USA",),
                        substitutes_acceptable=True,
                        needed_by=timezone.now() + timedelta(days=1))
    with override_settings(ALLOCATION_KEEP_AT_HOME=0.5):
        inst = allocation.build_instance(duty, liaison_rule=False)
    assert inst.jurisdictions[0].keep_share == 0.5 and not inst.liaison
    assert f"request:{crew.pk}" in {q.id for q in inst.requests}  # every active incident
    table = inst.substitution_table()
    assert table[("CREW-HAND-T2", "CREW-HAND-T1")] == 10  # the library's curated penalty
    assert table[("CREW-HAND-T2", "MIL-HAND-CREW")] == 60
    ports = {p.id: p for p in inst.ports}
    assert "2582" not in ports  # Cross Border Xpress: pedestrians only
    assert ports["2504"].opens is None and ports["2504"].wait == 60
    otay = ports["2506-C"]
    assert (otay.opens, otay.closes, otay.days) == ("06:00", "22:00",
                                                    ("mon", "tue", "wed", "thu", "fri"))
    # The instance round-trips through its JSON format.
    assert instances.to_json(instances.from_json(instances.to_json(inst))) == \
        instances.to_json(inst)


def test_building_the_instance_takes_as_many_queries_whatever_its_size(duty, mx_liaison,
                                                                      scene):
    """Requests, what agreements in force give them, their substitutes, units of several
    organizations: read in a fixed number of queries, not one (or more) per record."""
    def queries():
        with CaptureQueriesContext(connection) as captured:
            inst = allocation.build_instance(duty)
        return len(captured), inst

    queries()  # the user's nation and permissions, read once and kept
    few, small = queries()
    others = [Organization.objects.get(acronym=a) for a in ("CalOES", "CAL FIRE")]
    for n in range(12):
        request = make_request(mx_liaison, scene["incident"], number=f"MEX-2026-01{n:02}",
                               kind=("CREW-HAND-T2", "ENGINE-T3", "GENERATOR")[n % 3],
                               quantity=3, rel_to=("USA",), substitutes_acceptable=n % 2 == 0,
                               needed_by=timezone.now() + timedelta(days=1),
                               state=RS.PARTIALLY_FILLED if n % 4 == 0 else RS.SUBMITTED)
        if n % 4 == 0:
            make_agreement(mx_liaison, duty, request=request,
                           offer=make_offer(duty, request, quantity=1, rel_to=("MEX",)))
        make_unit(duty, name=f"Unit {n}", kind=("CREW-HAND-T2", "ENGINE-T3")[n % 2],
                  organization=others[n % 2], languages=("en", "es,en", "")[n % 3],
                  available_from=timezone.now() + timedelta(hours=n))
    many, large = queries()
    assert len(large.requests) == len(small.requests) + 12
    assert len(large.resources) == len(small.resources) + 12
    assert len(large.jurisdictions) == 3
    assert many == few, (few, many)
    # What agreements in force give is still taken off: 3 asked, 1 given.
    quantities = {q.quantity for q in large.requests if q.id != f"request:{scene['water'].pk}"}
    assert quantities == {2, 3}


def test_active_incidents_only_without_an_incident(duty, scene):
    Incident.objects.filter(pk=scene["incident"].pk).update(status=Incident.Status.CONTAINED)
    inst = allocation.build_instance(duty)
    assert inst.requests == []
    inst = allocation.build_instance(duty, incident=scene["incident"])
    assert len(inst.requests) == 2


# ---- Proposing and the job -------------------------------------------------------------------

def test_the_job_stores_a_plan_the_checker_accepts(duty, scene,
                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        proposal = allocation.propose(duty, incident=scene["incident"])
        assert not callbacks  # the service only queues; the caller has the job solve it
        tasks.solve_when_committed(proposal)
    assert len(callbacks) == 1  # the huey job, run at once in tests
    proposal.refresh_from_db()
    assert proposal.state == PS.READY and proposal.progress == 100
    assert proposal.progress_note == allocation.NOTE_READY and proposal.solved_at
    assert proposal.solver == AllocationProposal.Solver.MILP and proposal.liaison_rule
    assert proposal.owner_nation.code == "USA"
    assert [n.code for n in proposal.rel_to.all()] == ["USA"]
    assert proposal.disclosure == Disclosure.NOT_REVIEWED

    inst = instances.from_json(proposal.instance)
    verdict = check(inst, proposal.plan)
    assert verdict["feasible"], verdict["violations"]
    assert proposal.plan["check"]["feasible"]
    assert verdict["objective"] == proposal.plan["objective"]["total"]
    sent = [a for a in proposal.plan["assignments"]
            if a["request"] == f"request:{scene['generators'].pk}"]
    assert len(sent) == 2  # what is left of the request
    # Cal OES has four generators: at least one (20 %) stays home, so water purification,
    # whose only substitute no one has, is unmet with its reason.
    [unmet] = proposal.plan["unmet"]
    assert unmet["request"] == f"request:{scene['water'].pk}"
    assert "no resource" in unmet["reason"]
    for assignment in sent:
        assert assignment["route"]["crossing"]["port"] in {"2504", "2506-P", "2506-C"}
        assert assignment["international"] and assignment["why"]["text"]
    # The liaison rule: a Spanish–English speaker goes across.
    assert any(a["bilingual"] for a in sent)

    assert allocation.replay(proposal)["assignments"] == proposal.plan["assignments"]


def test_a_proposal_records_where_the_time_went(duty, scene):
    proposal = solved(duty, incident=scene["incident"])
    timings = proposal.timings
    steps = {"build", "save", "wait", "read", "solve", "check", "store"}
    assert steps | {"network", "flow", "explain", "total"} <= set(timings)
    assert all(isinstance(v, float) and v >= 0 for v in timings.values()), timings
    # The job's steps follow one another: they add up to the total; the solver's phases are
    # the solver's own figures, within its step.
    assert timings["total"] == pytest.approx(sum(timings[s] for s in steps), abs=1e-3)
    assert timings["network"] + timings["flow"] + timings["explain"] <= timings["solve"]
    assert {k: v for k, v in proposal.plan["timings"].items()
            if k in allocation.SOLVER_PHASES} == {
        k: v for k, v in timings.items() if k in allocation.SOLVER_PHASES}

    # Solving again builds nothing: the saved instance is read again.
    again = allocation.resolve(duty, proposal)
    assert set(again.timings) == {"save"}
    allocation.run_proposal(again.pk)
    again.refresh_from_db()
    assert "build" not in again.timings and {"save", "read", "solve", "total"} <= set(
        again.timings)


def test_the_plan_says_which_method_made_it_and_why(duty, scene):
    proposal = solved(duty, incident=scene["incident"])
    assert proposal.plan["method"] == "flow"
    assert proposal.plan["method_reason"] == "flow_exact"
    assert selectors.method_of(proposal.plan) == {
        "code": "flow", "name": "exact min-cost flow", "reason": "flow_exact",
        "explanation": "The flow optimum obeys every rule: this plan is optimal."}
    greedy = solved(duty, incident=scene["incident"], solver="greedy")
    assert selectors.method_of(greedy.plan)["reason"] == "greedy_asked"
    with translation.override("es"):
        spanish = selectors.method_of(greedy.plan)
    assert spanish["name"] == "la más cercana disponible, en orden de prioridad (voraz)"
    assert spanish["explanation"] == "Se solicitó la línea base voraz."
    # A plan stored before reasons were given: the method alone.
    del greedy.plan["method_reason"]
    assert selectors.method_of(greedy.plan) == {
        "code": "greedy", "name": "closest available in priority order (greedy)",
        "reason": None, "explanation": None}
    assert selectors.method_of(None) is None


def test_every_method_and_reason_the_library_gives_reads_in_both_languages():
    english = (selectors.method_names(), selectors.method_reasons())
    with translation.override("es"):
        spanish = (selectors.method_names(), selectors.method_reasons())
    for codes, en, es in ((METHODS, english[0], spanish[0]),
                          (METHOD_REASONS, english[1], spanish[1])):
        assert set(en) == set(es) == set(codes)
        assert all(es[code] != en[code] for code in codes), es
    with translation.override("es"):
        escalated = selectors.method_of({"method": "milp", "method_reason": "escalated"})
    assert escalated["name"] == "programa entero mixto (MILP)"
    assert escalated["explanation"].startswith("El óptimo del flujo incumplía la regla de enlace")


def test_auto_solver_without_the_liaison_rule_is_the_flow(duty, scene):
    proposal = solved(duty, incident=scene["incident"], liaison_rule=False, solver="auto")
    assert proposal.solver == AllocationProposal.Solver.FLOW
    assert proposal.plan["method"] == "flow" and not proposal.instance["rules"]["liaison"]
    greedy = solved(duty, incident=scene["incident"].pk, solver="greedy", time_limit=1)
    assert greedy.solver == "greedy" and greedy.plan["method"] == "greedy"


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"solver": "fastest"}, "solver"),
    ({"time_limit": 0}, "time_limit"),
    ({"time_limit": "soon"}, "time_limit"),
    ({"pins": [{"resource": "unit:999999", "request": "request:1"}]}, "pins"),
    ({"exclusions": [{"resource": "nope"}]}, "exclusions"),
])
def test_propose_refuses_bad_input(duty, scene, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        allocation.propose(duty, incident=scene["incident"], **kwargs)
    assert field in caught.value.message_dict
    assert not AllocationProposal.objects.exists()


def test_propose_refuses_an_incident_not_visible_or_with_nothing_to_plan(duty, scene):
    hidden = make_incident(scene["generators"].requested_by, name="Hidden", rel_to=())
    for incident in (hidden, 999999):
        with pytest.raises(ValidationError) as caught:
            allocation.propose(duty, incident=incident)
        assert "incident" in caught.value.message_dict
    empty = make_incident(duty, name="Quiet fire")
    with pytest.raises(ValidationError, match="nothing to plan"):
        allocation.propose(duty, incident=empty)


def test_who_may_propose(us_viewer, outsider, scene):
    for user in (us_viewer, outsider):
        with pytest.raises(PermissionDenied):
            allocation.propose(user, incident=scene["incident"])


def test_a_failure_is_recorded_not_raised(duty, scene):
    proposal = allocation.propose(duty, incident=scene["incident"])
    AllocationProposal.objects.filter(pk=proposal.pk).update(instance={"requests": "none"})
    assert allocation.run_proposal(proposal.pk) is None
    proposal.refresh_from_db()
    assert proposal.state == PS.FAILED and proposal.error
    assert proposal.progress_note == allocation.NOTE_FAILED and proposal.plan is None
    # The time spent until the failure is kept; the steps never reached are not.
    assert {"build", "save", "wait", "total"} <= set(proposal.timings)
    assert not {"solve", "check", "store"} & set(proposal.timings)
    assert allocation.run_proposal(proposal.pk) is None  # not queued any more


# ---- Solving again ---------------------------------------------------------------------------

def test_solving_again_honours_pins_and_exclusions(duty, scene):
    first = solved(duty, incident=scene["incident"])
    speaker, *others = [f"unit:{u.pk}" for u in scene["units"]]  # only the first is bilingual
    sent = {a["resource"] for a in first.plan["assignments"]}
    assert speaker in sent  # the liaison rule needs it across
    dropped = next(r for r in others if r in sent)
    left = next(r for r in others if r not in sent)
    request = f"request:{scene['generators'].pk}"
    pins = [{"resource": speaker, "request": request}, {"resource": left, "request": request}]
    second = allocation.resolve(duty, first, pins=pins, exclusions=[{"resource": dropped}])
    allocation.run_proposal(second.pk)
    second.refresh_from_db()

    assert second.resolves == first and second.instance == first.instance
    assert second.pins == pins and second.exclusions == [{"resource": dropped}]
    assignments = {a["resource"]: a for a in second.plan["assignments"]}
    assert set(assignments) == {speaker, left}
    assert all(a["pinned"] and a["request"] == request for a in assignments.values())
    assert not second.plan["rejected_pins"]
    assert check(instances.from_json(second.instance), second.plan)["feasible"]
    assert allocation.replay(second)["assignments"] == second.plan["assignments"]

    # A pin the rules forbid comes back rejected with its reason, not as an error.
    third = allocation.resolve(duty, first, pins=[pins[1]], exclusions=[{"resource": speaker}])
    allocation.run_proposal(third.pk)
    third.refresh_from_db()
    [rejected] = third.plan["rejected_pins"]
    assert rejected["resource"] == left and "liaison" in rejected["reason"]

    with pytest.raises(ValidationError, match="both pinned and excluded"):
        allocation.resolve(duty, first, pins=pins, exclusions=[pins[0]])
    allocation.discard(duty, first)
    with pytest.raises(ValidationError, match="discarded"):
        allocation.resolve(duty, first)


# ---- Accepting -------------------------------------------------------------------------------

def test_accepting_makes_offers_through_the_aid_services(duty, scene):
    proposal = solved(duty, incident=scene["incident"])
    before = Offer.objects.count()
    allocation.accept(duty, proposal)

    proposal.refresh_from_db()
    assert proposal.state == PS.ACCEPTED and proposal.accepted_at
    [offer] = proposal.offers.all()
    assert Offer.objects.count() == before + 1
    assert offer.request == scene["generators"] and offer.state == Offer.State.OFFERED
    assert offer.offering_organization == duty.organization and offer.duration_days == 14
    assert offer.cost_terms == Offer.CostTerms.REIMBURSABLE
    assert {n.code for n in offer.rel_to.all()} == {"USA", "MEX"}  # released to the requester
    assert offer.disclosure == Disclosure.APPROVED
    lines = list(offer.lines.order_by("unit_id"))
    sent = sorted(a["resource"] for a in proposal.plan["assignments"])
    assert [f"unit:{line.unit_id}" for line in lines] == sent
    assert all(line.quantity == 1 and line.headcount == 3 and line.kind.code == "GENERATOR"
               for line in lines)
    etas = sorted(a["eta"] for a in proposal.plan["assignments"])
    assert offer.available_from.isoformat().startswith(etas[0][:16])
    # Accepted units are on an offer now: the next plan leaves them out.
    inst = allocation.build_instance(duty, incident=scene["incident"])
    assert not {r.id for r in inst.resources} & set(sent)
    with pytest.raises(ValidationError, match="accepted"):
        allocation.accept(duty, proposal)


def test_accepting_some_assignments(duty, scene):
    proposal = solved(duty, incident=scene["incident"])
    chosen = proposal.plan["assignments"][0]["resource"]
    with pytest.raises(ValidationError) as caught:
        allocation.accept(duty, proposal, assignment_ids=["unit:0"])
    assert "assignments" in caught.value.message_dict
    with pytest.raises(ValidationError, match="nothing to offer"):
        allocation.accept(duty, proposal, assignment_ids=[])
    allocation.accept(duty, proposal, assignment_ids=[chosen])
    [offer] = proposal.offers.all()
    assert [f"unit:{line.unit_id}" for line in offer.lines.all()] == [chosen]


@pytest.mark.parametrize("change", ["held", "committed", "offered", "cancelled", "filled"])
def test_an_out_of_date_or_refused_acceptance_stores_nothing(duty, mx_liaison, scene, change):
    proposal = solved(duty, incident=scene["incident"])
    unit = Unit.objects.get(pk=selectors.record_pk(proposal.plan["assignments"][-1]["resource"]))
    if change == "held":  # refused by create_offer itself
        Unit.objects.filter(pk=unit.pk).update(held_for_home_coverage=True)
        expected = "held for home coverage"
    elif change == "committed":
        Unit.objects.filter(pk=unit.pk).update(availability=Unit.Availability.COMMITTED)
        expected = "committed now"
    elif change == "offered":
        other = make_offer(duty, scene["water"], quantity=1, rel_to=("MEX",))
        OfferLine.objects.filter(offer=other).update(unit=unit)
        expected = "already on another offer"
    elif change == "cancelled":
        transition_request(mx_liaison, scene["generators"], "cancel", reason="Power back.")
        expected = "cancelled now"
    else:
        make_agreement(mx_liaison, duty, request=scene["generators"],
                       offer=make_offer(duty, scene["generators"], quantity=2,
                                        rel_to=("MEX",)))
        expected = "0 still to fill, 2 proposed"
    offers = Offer.objects.count()
    with pytest.raises(ValidationError) as caught:
        allocation.accept(duty, proposal)
    message = " ".join(caught.value.messages)
    assert "MEX-2026-0001" in message and expected in message, message
    assert Offer.objects.count() == offers
    proposal.refresh_from_db()
    assert proposal.state == PS.READY and not proposal.offers.exists()


def test_a_proposal_is_its_own_nations_to_act_on(duty, mx_liaison, us_viewer, scene):
    proposal = solved(duty, incident=scene["incident"])
    assert not selectors.proposals_for(mx_liaison).filter(pk=proposal.pk).exists()
    # Mexico does not see the proposal at all; a US viewer sees it but may not act.
    for user, service, refusal in ((mx_liaison, allocation.accept, Http404),
                                   (mx_liaison, allocation.discard, Http404),
                                   (us_viewer, allocation.accept, PermissionDenied),
                                   (mx_liaison, allocation.resolve, Http404)):
        with pytest.raises(refusal):
            service(user, proposal)
    with pytest.raises(Http404):
        allocation.propose(mx_liaison, incident=scene["incident"], resolves=proposal)
    proposal.refresh_from_db()
    assert proposal.state == PS.READY


# ---- Discarding ------------------------------------------------------------------------------

def test_a_discarded_proposal_is_never_stored_as_ready(duty, scene):
    proposal = allocation.propose(duty, incident=scene["incident"])
    allocation.discard(duty, proposal)
    assert allocation.run_proposal(proposal.pk) is None
    proposal.refresh_from_db()
    assert proposal.state == PS.DISCARDED and proposal.plan is None
    with pytest.raises(ValidationError, match="discarded"):
        allocation.discard(duty, proposal)
    ready = solved(duty, incident=scene["incident"])
    with pytest.raises(ValidationError, match="discarded"):
        allocation.discard(duty, proposal)
    allocation.discard(duty, ready)
    with pytest.raises(ValidationError, match="Accept"):
        allocation.accept(duty, ready)
