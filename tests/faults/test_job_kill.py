"""A huey worker killed with SIGKILL in the middle of a job: solving an allocation proposal
(the long job) and a notification fan-out. Redis does not give back a message whose worker
died; the product finds the unfinished work again (a proposal's lapsed claim, the fan-out's
next run), and the retry finishes it exactly once: one plan stored, each notice and each email
once, none lost."""

import os
import signal
from collections import Counter
from datetime import timedelta

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Nation
from core.models import Notification
from response import tasks, workrest
from response.models import AllocationProposal, Deployment
from response.services import allocation
from response.services.deployments import response_users
from response.tests.factories import make_deployment
from response.tests.test_allocation_services import make_scene
from response.tests.test_deployments_services import us_to_mexico
from tests.faults.conftest import Locked, backend_gone, children, client_of, wait_for

PS = AllocationProposal.State


def kill_job_mid_write(stack, locked):
    """Wait until the job's backend waits for `locked`, kill -9 the worker running it,
    release the lock, and wait until the backend has rolled back and gone. The worker's pid."""
    try:
        pid, query = wait_for(locked.waiting, "the job to wait for the lock")
        worker = client_of(pid, stack.huey.pid)  # a worker, not the scheduler process
        os.kill(worker, signal.SIGKILL)
    finally:
        locked.release()
    wait_for(lambda: backend_gone(pid), "the killed worker's transaction to roll back")
    return worker


def outcomes(proposal):
    return list(LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(AllocationProposal),
        object_id=proposal.pk, action=LogEntry.Action.UPDATE,
        changes__has_key="state").values_list("changes", flat=True))


def test_a_solve_killed_mid_job_is_solved_again_exactly_once(stack, persona_of, mx_liaison):
    duty = persona_of("duty_officer")
    make_scene(duty, mx_liaison)
    proposal = allocation.propose(duty, solver="flow", liaison_rule=False, time_limit=1)
    # The claim lapses 1 + 2 seconds after the job's last step.
    stack.jobs(ALLOCATION_LEASE_MARGIN="2")
    # The plan is stored with its history in one transaction: stop it at the history.
    locked = Locked(f"LOCK TABLE {LogEntry._meta.db_table} IN EXCLUSIVE MODE")
    stack.enqueue(tasks.solve_proposal, proposal.pk)
    killed = kill_job_mid_write(stack, locked)

    proposal.refresh_from_db()
    assert (proposal.state, proposal.attempts, proposal.plan) == (PS.SOLVING, 1, None)
    assert outcomes(proposal) == []
    # The consumer starts a new worker; the message the dead one held is gone from Redis.
    wait_for(lambda: len(children(stack.huey.pid)) == 2 and killed not in children(stack.huey.pid),
             "the consumer to start a new worker")

    # Once the claim lapses, the periodic job (run here rather than at the next minute, which
    # may come first) queues the proposal again and a new attempt solves it.
    solved = AllocationProposal.objects.filter(pk=proposal.pk, state=PS.READY)
    wait_for(lambda: allocation.stalled_proposals() == [proposal.pk] or solved.exists(),
             "the claim to lapse")
    stack.enqueue(tasks.requeue_stalled_proposals)
    wait_for(solved.exists, "the proposal to be solved again")
    proposal.refresh_from_db()
    assert proposal.attempts == 2 and proposal.lease_until is None
    assert proposal.plan["check"]["feasible"]
    assert outcomes(proposal) == [{"state": ["solving", "ready"]}]

    # Another copy of the job (a duplicate message) finds it solved and stores nothing.
    stack.enqueue(tasks.solve_proposal, proposal.pk)
    wait_for(lambda: stack.storage().queue_size() == 0, "the duplicate to be taken")
    stack.enqueue(tasks.requeue_stalled_proposals)  # and a job after it, to know it ran
    wait_for(lambda: stack.storage().queue_size() == 0, "the queue to empty")
    proposal.refresh_from_db()
    assert proposal.attempts == 2 and outcomes(proposal) == [{"state": ["solving", "ready"]}]


def emails(stack):
    """The addresses each email went to, one entry per email sent."""
    sent = []
    for path in stack.mail.iterdir():
        sent += [line[4:].strip() for line in path.read_text().splitlines()
                 if line.startswith("To: ")]
    return sent


def test_a_fan_out_killed_mid_way_tells_everyone_once(stack, us_coordinator, mx_liaison,
                                                     make_user):
    for n in range(4):
        make_user(f"t.us.coordinator{n}", "CalGuard", "coordinator")
    deployment = make_deployment(us_coordinator, us_to_mexico(us_coordinator, mx_liaison),
                    state=Deployment.State.ASSIGNED,
                    assigned_at=timezone.now() - timedelta(days=13, hours=12))
    usa, mex = Nation.objects.get(code="USA"), Nation.objects.get(code="MEX")
    recipients = list(response_users(usa.pk, mex.pk))  # told one by one, in this order
    assert len(recipients) >= 5
    stack.jobs()
    # Each notice commits on its own. Hold the third recipient's notice: an uncommitted row
    # with its key, which the job's insert must wait for (the key is unique per recipient),
    # so the first two are told and the rest are not.
    clock = workrest.clock(deployment.assigned_at, timezone.now(), deployment.extension_days)
    assert clock.status in (workrest.LIMIT, workrest.OVER)
    key = f"workrest:deployment:{deployment.pk}:day:{clock.limit}"
    locked = Locked(f"INSERT INTO {Notification._meta.db_table} (recipient_id, message_en, "
                    "message_es, url, key, created_at) VALUES (%s, '', '', '', %s, now())",
                    (recipients[2].pk, key))
    stack.enqueue(tasks.assignment_limit_notices)
    killed = kill_job_mid_write(stack, locked)

    told = sorted(Notification.objects.values_list("recipient_id", flat=True))
    assert told == [recipients[0].pk, recipients[1].pk]
    wait_for(lambda: len(children(stack.huey.pid)) == 2 and killed not in children(stack.huey.pid),
             "the consumer to start a new worker")

    # The job's next run finishes the fan-out: the two told are not told again.
    stack.enqueue(tasks.assignment_limit_notices)
    wait_for(lambda: Notification.objects.count() >= len(recipients), "everyone to be told")
    expected = sorted(u.email for u in recipients)
    wait_for(lambda: len(emails(stack)) >= len(expected), "every email to be sent")
    stack.enqueue(tasks.assignment_limit_notices)  # once more: nothing new
    wait_for(lambda: stack.storage().queue_size() == 0, "the queue to empty")
    told = Counter(Notification.objects.values_list("recipient_id", "key"))
    assert sorted(recipient for recipient, _ in told) == sorted(u.pk for u in recipients)
    assert set(told.values()) == {1}
    assert sorted(emails(stack)) == expected
