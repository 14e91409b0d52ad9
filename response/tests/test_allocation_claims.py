"""The solving job's claim on a proposal (issue 15, crash safety): a job that finds the
proposal claimed by a live job leaves it alone; a claim that lapsed (its worker died) is taken
by a new attempt, which a slow original can no longer overwrite; a proposal whose workers died
too often is failed; the periodic job finds what to solve again. The kill -9 runs are in
tests/faults."""

from datetime import timedelta

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from response import tasks
from response.models import AllocationProposal
from response.services import allocation
from response.tests.test_allocation_services import make_scene

PS = AllocationProposal.State


def queued(duty, mx_liaison):
    make_scene(duty, mx_liaison)
    return allocation.propose(duty, solver="flow", liaison_rule=False)


def outcomes(proposal):
    return list(LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(AllocationProposal),
        object_id=proposal.pk, action=LogEntry.Action.UPDATE,
        changes__has_key="state").values_list("changes", flat=True))


def test_a_live_claim_is_left_alone_and_a_lapsed_one_is_solved_again_once(duty, mx_liaison):
    proposal = queued(duty, mx_liaison)
    # A worker claimed it and is still within its lease: another copy of the job does nothing.
    AllocationProposal.objects.filter(pk=proposal.pk).update(
        state=PS.SOLVING, attempts=1, lease_until=timezone.now() + timedelta(minutes=5))
    assert allocation.stalled_proposals() == []
    assert allocation.run_proposal(proposal.pk) is None
    proposal.refresh_from_db()
    assert (proposal.state, proposal.attempts, proposal.plan) == (PS.SOLVING, 1, None)

    # Its worker died: the lease lapses, the periodic job queues it again, and attempt 2 solves it.
    AllocationProposal.objects.filter(pk=proposal.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1))
    assert allocation.stalled_proposals() == [proposal.pk]
    assert tasks.requeue_stalled_proposals.call_local() == 1  # the job runs it (immediate)
    proposal.refresh_from_db()
    assert (proposal.state, proposal.attempts, proposal.lease_until) == (PS.READY, 2, None)
    assert proposal.plan["check"]["feasible"]
    assert outcomes(proposal) == [{"state": ["solving", "ready"]}]
    # Attempt 1's writes are guarded by its number: nothing of the original lands now.
    assert not AllocationProposal.objects.filter(pk=proposal.pk, state=PS.SOLVING,
                                                 attempts=1).exists()
    assert allocation.run_proposal(proposal.pk) is None
    assert allocation.stalled_proposals() == []


def test_a_queued_proposal_no_job_picked_up_is_queued_again(duty, mx_liaison):
    proposal = queued(duty, mx_liaison)
    assert allocation.stalled_proposals() == []
    AllocationProposal.objects.filter(pk=proposal.pk).update(
        updated_at=timezone.now() - allocation.QUEUED_PATIENCE - timedelta(seconds=1))
    assert allocation.stalled_proposals() == [proposal.pk]


def test_a_proposal_whose_workers_kept_dying_is_failed(duty, mx_liaison):
    proposal = queued(duty, mx_liaison)
    AllocationProposal.objects.filter(pk=proposal.pk).update(
        state=PS.SOLVING, attempts=allocation.MAX_ATTEMPTS,
        lease_until=timezone.now() - timedelta(seconds=1))
    assert allocation.run_proposal(proposal.pk) is None
    proposal.refresh_from_db()
    assert proposal.state == PS.FAILED and proposal.lease_until is None
    assert "stopped 3 times" in proposal.error
    assert outcomes(proposal) == [{"state": ["solving", "failed"]}]
    assert allocation.stalled_proposals() == []
