"""Every read of the counterpart notices, restricted (`restrict(user, "view")`): an event's
notices with what its page shows of each, the notices waiting for the reader's organization,
and the time-to-notify and time-to-acknowledge per quarter — of real events only
(`border.selectors.events.real_events`), never exercises."""

from dataclasses import dataclass

from django.db.models import Prefetch

from border import protocol
from border.models import BorderEvent, Notice
from border.selectors.events import real_events
from response.selectors.common import filtered

NS = Notice.State
WAITING_STATES = (NS.PENDING, NS.ESCALATED, NS.UNANSWERED)


def notices_for(user, *, event=None, organization=None, state=None, waiting=None):
    """Notices the user may see, newest first, filtered by event (id), organization notified
    (acronym), state, and `waiting` (True: not yet acknowledged)."""
    notices = filtered(
        Notice.objects.restrict(user).select_related(
            "event__kind", "organization", "acknowledged_by__organization"),
        event_id=event, organization__acronym=organization, state=state)
    if waiting is not None:
        notices = notices.filter(acknowledged_at__isnull=waiting)
    return notices.order_by("-sent_at", "-pk")


def waiting_for(user):
    """The notices sent to the user's organization that nobody has acknowledged yet, the
    soonest deadline first."""
    if user.organization_id is None:
        return Notice.objects.none()
    return (notices_for(user, waiting=True).filter(organization_id=user.organization_id)
            .order_by("due_at", "pk"))


def may_acknowledge(user, notice):
    """Whether to offer the Acknowledge button (the service decides again)."""
    return (notice.acknowledged_at is None and user.organization_id == notice.organization_id
            and user.has_perm("border.acknowledge_notice"))


@dataclass
class NoticeRow:
    notice: Notice
    time_to_acknowledge: float | None  # minutes from sent to acknowledged
    late: bool
    can_acknowledge: bool
    # Still unacknowledged, but another contact of its chain acknowledged: nothing escalates.
    answered_by_chain: bool = False


@dataclass
class EventNotices:
    rows: list
    time_to_notify: float | None  # minutes from the event's start to its first notice
    acknowledged: int
    waiting: int


def event_notices(user, event):
    """What the event page shows of its notices: each with its deadline, who acknowledged and
    when, and the event's time-to-notify (from its start to its first notice)."""
    notices = list(notices_for(user, event=event.pk).order_by("chain", "level", "pk"))
    answered = protocol.satisfied_chains(notices)
    rows = [NoticeRow(n, protocol.minutes_between(n.sent_at, n.acknowledged_at), n.late,
                      may_acknowledge(user, n),
                      n.acknowledged_at is None and n.chain in answered) for n in notices]
    return EventNotices(
        rows=rows,
        time_to_notify=protocol.time_to_notify(event.started_at, notices),
        acknowledged=sum(1 for n in notices if n.acknowledged_at is not None),
        waiting=sum(1 for n in notices if n.acknowledged_at is None))


def _sent(notice):
    return protocol.Sent(notice.pk, notice.chain, notice.level, notice.sent_at, notice.due_at,
                         notice.state, notice.acknowledged_at)


def quarterly_figures(user):
    """Time-to-notify and time-to-acknowledge per calendar quarter of the events' start, newest
    first, over the real events the user may see (exercises never count) and their notices the
    user may see (`border.protocol.per_quarter`)."""
    visible = Notice.objects.restrict(user).prefetch_related(None).select_related(None).only(
        "pk", "event_id", "chain", "level", "sent_at", "due_at", "state", "acknowledged_at")
    events = (real_events(BorderEvent.objects.restrict(user)).prefetch_related(None)
              .select_related(None).filter(notices__isnull=False).distinct()
              .only("pk", "started_at")
              .prefetch_related(Prefetch("notices", queryset=visible, to_attr="seen")))
    return protocol.per_quarter(
        (e.started_at, [_sent(n) for n in e.seen]) for e in events)


def dashboard_card(user):
    """The main dashboard's "Counterpart notices" card: how many notices wait for the reader's
    organization and the latest quarter's figures (real events only). None for users who may
    not see notices."""
    if not user.has_perm("border.view_notice"):
        return None
    quarters = quarterly_figures(user)
    return {"waiting": waiting_for(user).count(), "quarter": quarters[0] if quarters else None}
