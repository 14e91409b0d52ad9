"""Mutual-aid jobs: the daily 14-day notices, solving allocation proposals, and solving again
those whose job was lost (a worker killed mid-solve, a message the queue lost)."""

import zoneinfo
from functools import partial

from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from core.services import notify
from response import workrest
from response.models import Deployment
from response.services.allocation import run_proposal, stalled_proposals
from response.services.deployments import response_users


def _message(deployment, clock, tz, language):
    with translation.override(language), timezone.override(tz):
        end = deployment.assigned_at + workrest.DAY * clock.limit
        values = {"deployment": deployment.name, "day": clock.day, "limit": clock.limit,
                  "end": formats.date_format(timezone.localtime(end), "SHORT_DATETIME_FORMAT")}
        if clock.status == workrest.WARNING:
            return _("%(deployment)s is on day %(day)d of %(limit)d on assignment: its limit "
                     "ends %(end)s. Plan demobilization, or the host nation approves an "
                     "extension.") % values
        return _("%(deployment)s has reached day %(day)d of %(limit)d on assignment: "
                 "demobilize the team, or the host nation approves an extension.") % values


def notify_assignment_limits(now=None):
    """Tell the sending and host nations' response users about every team on assignment that
    has reached the warning day (two days before its limit: day 12 of 14) or its limit. Each
    user hears of each once: the key names the deployment and the day of the notice, so an
    approved extension (a new limit) brings new notices. Returns how many notices were
    made."""
    now = now or timezone.now()
    made = 0
    assigned = (Deployment.objects.filter(state=Deployment.State.ASSIGNED,
                                          assigned_at__isnull=False)
                .select_related("owner_nation").order_by("pk"))
    for deployment in assigned:
        clock = workrest.clock(deployment.assigned_at, now, deployment.extension_days)
        if clock.status == workrest.OK:
            continue
        notice_day = (clock.limit - workrest.WARNING_BEFORE_LIMIT
                      if clock.status == workrest.WARNING else clock.limit)
        key = f"workrest:deployment:{deployment.pk}:day:{notice_day}"
        for user in response_users(deployment.owner_nation_id, deployment.host_nation_id):
            tz = zoneinfo.ZoneInfo(user.time_zone)
            made += len(notify([user], deployment, _message(deployment, clock, tz, "en"),
                               _message(deployment, clock, tz, "es"),
                               deployment.get_absolute_url(), key=key))
    return made


# Daily at 15:00 UTC: 07:00 in California in winter, 08:00 in summer.
@db_periodic_task(crontab(minute="0", hour="15"))
def assignment_limit_notices():
    return notify_assignment_limits()


# Allocation proposals are solved off the request: the page polls the proposal's progress.
@db_task()
def solve_proposal(proposal_id):
    run_proposal(proposal_id)


# Every minute: a job's worker killed mid-solve leaves its proposal solving under a claim that
# lapses (response.services.allocation.run_proposal); the queue does not give a dequeued
# message back, so this queues the proposal again.
@db_periodic_task(crontab(minute="*"))
def requeue_stalled_proposals():
    stalled = stalled_proposals()
    for pk in stalled:
        solve_proposal(pk)
    return len(stalled)


def solve_when_committed(proposal):
    """Have the job solve a proposal just queued (`allocation.propose` or `resolve`) once the
    transaction that saved it commits, since the job reads it from the database. The pages
    and the API call this after the service; the services never import jobs."""
    transaction.on_commit(partial(solve_proposal, proposal.pk))
