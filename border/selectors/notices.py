"""Every read of the counterpart notices, restricted (`restrict(user, "view")`): an event's
notices with what its page shows of each, the notices waiting for the reader's organization,
and the time-to-notify and time-to-acknowledge per quarter — of real events only
(`border.selectors.events.real_events`), never exercises."""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

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


# ---- An event's notice status: one rule for the event page, the map and the API ------------
# Per chain of counterpart contacts (the counterpart told), worst first: nobody acknowledged and
# its current contact's deadline passed (or nobody is left to escalate to); it escalated and
# its current contact still has time; its first contact still has time; somebody of it
# acknowledged. An event's status is its worst chain's; an event with no notice the reader may
# see has none.
OVERDUE, ESCALATED, WAITING, ACKNOWLEDGED, NO_NOTICE = (
    "overdue", "escalated", "waiting", "acknowledged", "none")
CHAIN_STATUSES = (OVERDUE, ESCALATED, WAITING, ACKNOWLEDGED)  # worst first
STATUS_LABELS = {
    OVERDUE: pgettext_lazy("notice status", "Overdue"),
    ESCALATED: pgettext_lazy("notice status", "Escalated"),
    WAITING: pgettext_lazy("notice status", "Waiting (within the deadline)"),
    ACKNOWLEDGED: pgettext_lazy("notice status", "All acknowledged"),
    NO_NOTICE: pgettext_lazy("notice status", "No counterpart notice"),
}


def _chain_status(notices, now):
    if any(n.acknowledged_at is not None for n in notices):
        return ACKNOWLEDGED
    current = max(notices, key=lambda n: (n.level, n.sent_at, n.pk))
    if current.state == NS.UNANSWERED or (current.state == NS.PENDING
                                          and current.due_at <= now):
        return OVERDUE
    if current.state == NS.ESCALATED or len(notices) > 1 or current.escalated_from_id:
        return ESCALATED
    return WAITING


@dataclass
class NoticeStatus:
    """An event's notice status as the reader may see it: the worst of its chains' and how
    many chains are in each."""
    status: str
    counts: dict = field(default_factory=dict)  # {chain status: chains}

    @property
    def label(self):
        return str(STATUS_LABELS[self.status])

    @property
    def summary(self):
        """The counts in words, worst first: "1 overdue · 1 acknowledged"."""
        words = {
            OVERDUE: lambda n: ngettext("%(n)s counterpart overdue",
                                        "%(n)s counterparts overdue", n),
            ESCALATED: lambda n: ngettext("%(n)s counterpart escalated",
                                          "%(n)s counterparts escalated", n),
            WAITING: lambda n: ngettext("%(n)s counterpart waiting",
                                        "%(n)s counterparts waiting", n),
            ACKNOWLEDGED: lambda n: ngettext("%(n)s counterpart acknowledged",
                                             "%(n)s counterparts acknowledged", n),
        }
        parts = [words[s](self.counts[s]) % {"n": self.counts[s]}
                 for s in CHAIN_STATUSES if self.counts.get(s)]
        return " · ".join(parts) if parts else _("none sent")


def notice_status(notices, now=None):
    """The notice status of one event from the notices of it the reader may see."""
    now = now or timezone.now()
    chains = {}
    for notice in notices:
        chains.setdefault(notice.chain, []).append(notice)
    counts = dict.fromkeys(CHAIN_STATUSES, 0)
    for chain in chains.values():
        counts[_chain_status(chain, now)] += 1
    worst = next((s for s in CHAIN_STATUSES if counts[s]), NO_NOTICE)
    return NoticeStatus(worst, counts)


def map_labels():
    """The map legend's words for a border event's notice status (settings.MAP_LABELS)."""
    return {"notice_status": _("Counterpart notices"),
            "notice_statuses": {code: str(STATUS_LABELS[code])
                                for code in (*CHAIN_STATUSES, NO_NOTICE)}}


STATUS_FIELDS = ("pk", "event_id", "chain", "level", "state", "sent_at", "due_at",
                 "acknowledged_at", "escalated_from_id")


def notice_statuses(user, event_ids, now=None):
    """{event id: NoticeStatus} for the events given, from the notices of them the user may see,
    in one query whatever their number (the map layer, lists)."""
    now = now or timezone.now()
    by_event = {pk: [] for pk in event_ids}
    if by_event:
        notices = (Notice.objects.restrict(user).filter(event_id__in=list(by_event))
                   .prefetch_related(None).select_related(None).order_by().only(*STATUS_FIELDS))
        for notice in notices:
            by_event[notice.event_id].append(notice)
    return {pk: notice_status(notices, now) for pk, notices in by_event.items()}


@dataclass
class EventNotices:
    rows: list
    time_to_notify: float | None  # minutes from the event's start to its first notice
    acknowledged: int
    waiting: int
    status: NoticeStatus | None = None


def event_notices(user, event, now=None):
    """What the event page shows of its notices: each with its deadline, who acknowledged and
    when, the event's time-to-notify (from its start to its first notice) and its notice
    status (`notice_status`, which the map shows too)."""
    notices = list(notices_for(user, event=event.pk).order_by("chain", "level", "pk"))
    answered = protocol.satisfied_chains(notices)
    rows = [NoticeRow(n, protocol.minutes_between(n.sent_at, n.acknowledged_at), n.late,
                      may_acknowledge(user, n),
                      n.acknowledged_at is None and n.chain in answered) for n in notices]
    return EventNotices(
        rows=rows,
        time_to_notify=protocol.time_to_notify(event.started_at, notices),
        acknowledged=sum(1 for n in notices if n.acknowledged_at is not None),
        waiting=sum(1 for n in notices if n.acknowledged_at is None),
        status=notice_status(notices, now))


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
