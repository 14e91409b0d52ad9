"""The daily 14-day notices: at the warning day and at the limit, to the sending and host
nations' response users, each once."""

from datetime import timedelta

from django.utils import timezone

from core.models import Notification
from response.models import Deployment
from response.services import deployments as services
from response.tasks import notify_assignment_limits
from response.tests.factories import make_deployment
from response.tests.test_deployments_services import us_to_mexico


def test_warning_then_limit_each_once(us_coordinator, us_viewer, mx_liaison):
    now = timezone.now()
    deployment = make_deployment(us_coordinator, us_to_mexico(us_coordinator, mx_liaison),
                                 state=Deployment.State.ASSIGNED,
                                 assigned_at=now - timedelta(days=10, hours=12))
    assert notify_assignment_limits(now) == 0  # day 11

    day_12 = now + timedelta(days=1)
    assert notify_assignment_limits(day_12) == 2
    assert notify_assignment_limits(day_12) == 0
    assert notify_assignment_limits(day_12 + timedelta(days=1)) == 0  # day 13: already told
    notices = Notification.objects.order_by("recipient__username")
    assert [n.recipient for n in notices] == [mx_liaison, us_coordinator]  # not the viewer
    assert "day 12 of 14" in notices[0].message_en
    assert notices[0].url == deployment.get_absolute_url()

    limit = now + timedelta(days=3)  # day 14
    assert notify_assignment_limits(limit) == 2
    assert notify_assignment_limits(limit + timedelta(days=1)) == 0  # over: already told
    assert "reached day 14 of 14" in Notification.objects.latest("pk").message_en


def test_an_extension_brings_new_notices(us_coordinator, mx_liaison):
    now = timezone.now()
    deployment = make_deployment(us_coordinator, us_to_mexico(us_coordinator, mx_liaison),
                                 state=Deployment.State.ASSIGNED,
                                 assigned_at=now - timedelta(days=13, hours=1))
    assert notify_assignment_limits(now) == 2  # the limit
    services.approve_extension(mx_liaison, deployment, 4)  # limit 18: warning from day 16
    assert notify_assignment_limits(now) == 0
    assert notify_assignment_limits(now + timedelta(days=2)) == 2
    assert notify_assignment_limits(now + timedelta(days=4)) == 2


def test_only_teams_on_assignment(us_coordinator, mx_liaison):
    agreement = us_to_mexico(us_coordinator, mx_liaison)
    long_ago = timezone.now() - timedelta(days=30)
    make_deployment(us_coordinator, agreement, state=Deployment.State.DEMOBILIZING,
                    assigned_at=long_ago)
    make_deployment(us_coordinator, agreement, state=Deployment.State.RETURNED,
                    assigned_at=long_ago)
    assert notify_assignment_limits() == 0
