"""A gunicorn worker killed with SIGKILL in the middle of the longest multi-record writes:
accepting an allocation proposal into many offers, signing the last part of an agreement,
applying a duty-status order to thousands of members. Each stops at its last table (locked
from the test), is killed, and leaves nothing; the same request then completes, once."""

from collections import Counter
from datetime import timedelta

from auditlog.models import LogEntry
from django.utils import timezone

from accounts.models import Nation
from core.models import Notification
from personnel.models import DutyPeriod, DutyStatus, Member, Order, OrderEffect
from personnel.tests.factories import at, make_order
from personnel.tests.factories import make_unit as make_guard_unit
from response.models import AidAgreement, AllocationProposal, Offer, OfferLine, ResourceRequest
from response.services import agreements, allocation
from response.tests.factories import make_agreement, make_incident, make_request, make_unit
from tests.faults.conftest import Locked, kill_mid_write, request, token_for

PS = AllocationProposal.State


def told_twice():
    """(recipient, key) pairs told more than once: none, ever."""
    pairs = Counter(Notification.objects.exclude(key="").values_list("recipient_id", "key"))
    return [pair for pair, count in pairs.items() if count > 1]


def proposal_for_many_requests(duty, mx_liaison, requests=8):
    """Mexico asks for `requests` generator requests of two each; the duty officer's
    organization has two generators per request: the plan makes one offer per request."""
    soon = timezone.now() + timedelta(hours=12)
    quake = make_incident(mx_liaison, name="Mexicali earthquake", latitude=32.62,
                          longitude=-115.45, rel_to=("USA",), state_region="BC")
    for n in range(requests):
        make_request(mx_liaison, quake, number=f"MEX-2026-{n + 1:04}", kind="GENERATOR",
                     quantity=2, rel_to=("USA",), needed_by=soon)
    for n in range(requests * 2):
        make_unit(duty, name=f"Generator team {n + 1}", kind="GENERATOR", headcount=3,
                  home_base="San Diego", home_latitude=32.7157, home_longitude=-117.1611)
    proposal = allocation.propose(duty, incident=quake, solver="flow", liaison_rule=False)
    allocation.run_proposal(proposal.pk)
    proposal.refresh_from_db()
    assert proposal.state == PS.READY
    return proposal


def test_accepting_a_proposal_into_many_offers(stack, persona_of, mx_liaison):
    duty = persona_of("duty_officer")
    proposal = proposal_for_many_requests(duty, mx_liaison)
    requests = len({a["request"] for a in proposal.plan["assignments"]})
    sent = len(proposal.plan["assignments"])
    assert requests >= 4  # some units stay home (drawdown): still an offer per request
    token, history = token_for(duty), LogEntry.objects.count()
    stack.web()
    path = f"/api/v1/allocation-proposals/{proposal.pk}/accept"
    # The proposal's link to its offers is written last, after every offer, line, history
    # entry and notice and the proposal's own state.
    locked = Locked(f"LOCK TABLE {AllocationProposal.offers.through._meta.db_table} "
                    "IN EXCLUSIVE MODE")
    query = kill_mid_write(stack, locked, lambda: request(stack.port, "POST", path,
                                                          token=token, body={}))
    assert "INSERT" in query

    proposal.refresh_from_db()
    assert proposal.state == PS.READY and proposal.accepted_at is None
    assert not Offer.objects.exists() and not OfferLine.objects.exists()
    assert not Notification.objects.exists()
    assert LogEntry.objects.count() == history

    status, _, text = request(stack.port, "POST", path, token=token, body={})
    assert status == 200, text
    proposal.refresh_from_db()
    assert proposal.state == PS.ACCEPTED
    assert proposal.offers.count() == Offer.objects.count() == requests
    units = list(OfferLine.objects.values_list("unit_id", flat=True))
    assert len(units) == len(set(units)) == sent
    assert told_twice() == []
    status, _, text = request(stack.port, "POST", path, token=token, body={})
    assert status == 422 and Offer.objects.count() == requests  # accepted once


def test_signing_the_last_part_of_an_agreement(stack, persona_of):
    us_duty, mx_duty = persona_of("duty_officer"), persona_of("duty_officer", "MEX")
    agreement = make_agreement(us_duty, mx_duty, signed=False)
    agreements.sign_agreement(us_duty, agreement, "request")
    agreements.sign_agreement(mx_duty, agreement, "offer")
    notices = set(Notification.objects.values_list("pk", flat=True))
    token = token_for(us_duty)
    stack.web()
    path = f"/api/v1/aid-agreements/{agreement.pk}/signatures/acceptance"
    # The notices that it is in force are written last, after the signature, the agreement,
    # the offer and the request.
    locked = Locked(f"LOCK TABLE {Notification._meta.db_table} IN EXCLUSIVE MODE")
    kill_mid_write(stack, locked, lambda: request(stack.port, "POST", path, token=token))

    agreement.refresh_from_db()
    assert agreement.state == AidAgreement.State.AWAITING_SIGNATURES
    assert agreement.in_force_at is None
    assert set(agreement.signatures.values_list("part", flat=True)) == {"request", "offer"}
    assert Offer.objects.get(pk=agreement.offer_id).state != Offer.State.ACCEPTED
    assert ResourceRequest.objects.get(pk=agreement.request_id).state == \
        ResourceRequest.State.SUBMITTED
    assert set(Notification.objects.values_list("pk", flat=True)) == notices

    status, _, text = request(stack.port, "POST", path, token=token)
    assert status == 201, text
    agreement.refresh_from_db()
    assert agreement.state == AidAgreement.State.IN_FORCE
    assert agreement.signatures.filter(part="acceptance").count() == 1
    assert Offer.objects.get(pk=agreement.offer_id).state == Offer.State.ACCEPTED
    accepted = Notification.objects.filter(key=f"aidagreement:{agreement.pk}:accepted")
    assert accepted.exists()
    assert told_twice() == []
    status, _, _ = request(stack.port, "POST", path, token=token)
    assert status == 422 and agreement.signatures.filter(part="acceptance").count() == 1


MEMBERS = 2000


def guard_members(count):
    """`count` US members on state active duty since January, written in bulk."""
    usa, unit = Nation.objects.get(code="USA"), make_guard_unit()
    members = Member.objects.bulk_create([
        Member(service_number=f"F{n:05}", last_name=f"Soto {n}", first_name="Ana",
               grade="E-4", unit=unit, owner_nation=usa) for n in range(count)])
    link = Member.rel_to.field
    through = link.remote_field.through
    through.objects.bulk_create([
        through(**{f"{link.m2m_field_name()}_id": m.pk,
                   f"{link.m2m_reverse_field_name()}_id": usa.pk}) for m in members])
    DutyPeriod.objects.bulk_create([DutyPeriod(member=m, status=DutyStatus.SAD,
                                               start=at(2025, 1, 1)) for m in members])
    return members


def test_applying_an_order_to_thousands_of_members(stack, persona_of):
    officer = persona_of("personnel_officer")
    order = make_order(guard_members(MEMBERS), officer, effective=at(2025, 6, 7))
    token, history = token_for(officer), LogEntry.objects.count()
    stack.web()
    path = f"/api/v1/personnel/orders/{order.pk}/transitions/apply"
    # The order's effects are written after every period is closed and every new one opened.
    locked = Locked(f"LOCK TABLE {OrderEffect._meta.db_table} IN EXCLUSIVE MODE")
    kill_mid_write(stack, locked, lambda: request(stack.port, "POST", path, token=token))

    order.refresh_from_db()
    assert order.state == Order.State.DRAFT and order.applied_at is None
    assert DutyPeriod.objects.count() == MEMBERS
    assert not DutyPeriod.objects.filter(end__isnull=False).exists()
    assert not OrderEffect.objects.exists()
    assert LogEntry.objects.count() == history

    status, _, text = request(stack.port, "POST", path, token=token)
    assert status == 200, text[:2000]
    order.refresh_from_db()
    assert order.state == Order.State.APPLIED
    assert OrderEffect.objects.filter(order=order).count() == MEMBERS
    assert DutyPeriod.objects.count() == 2 * MEMBERS
    open_now = Counter(DutyPeriod.objects.filter(end__isnull=True)
                       .values_list("member_id", "status"))
    assert len(open_now) == MEMBERS and set(open_now.values()) == {1}
    assert {status for _, status in open_now} == {order.target_status}
    status, _, _ = request(stack.port, "POST", path, token=token)
    assert status == 422 and OrderEffect.objects.count() == MEMBERS  # applied once
