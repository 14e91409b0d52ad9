"""The counterpart notification protocol: every write on notices (validate → save → history, in
one transaction). Reporting an event notifies the first contact of every chain the contact
matrix names for its kind and side; a counterpart acknowledges in Enlace; an unacknowledged
notice escalates on schedule (the job `border.tasks.escalate_notices`) to the next contact,
then the national channel. The escalation rule itself is `border.protocol`.

Releasability. A notice carries its event's marking (MARKING_FOLLOWS), and its recipients are
the other nation's organizations: they can act on it only if the event is released to them.
Reporting (or notifying about) an event whose matrix names a nation the event is not released
to — in `rel_to` with foreign disclosure approved — is refused, with an error on the marking
that says which nation and why, rather than notifying nobody or widening the marking behind
the reporter's back: the reporter releases the event, or reports it under another kind.
"""

import zoneinfo
from collections import defaultdict
from functools import reduce
from operator import or_

from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from border import protocol
from border.models import BorderEvent, ContactRule, Notice, Side, exercise_banner
from core.audit import acting_as, log_bulk
from core.humanize import when
from core.permissions import require
from core.services import Message, apply_parent_marking, create_following, notify_each

NS = Notice.State


# ---- The matrix as the protocol reads it ----------------------------------------------------

def reporting_side(event):
    """The side of the line whose matrix rows apply: the side of the nation that reports the
    event (its owner); its counterparts are the other side's organizations. An event owned by
    neither border nation takes the side its point is on."""
    code = event.owner_nation.code
    return code if code in Side.values else event.side


def rules_for(event):
    """The active matrix rows for the event's kind and reporting side."""
    key = (event.kind_id, reporting_side(event))
    return rules_for_keys([key])[key]


def rules_for_keys(keys):
    """{(kind id, reporting side): its active matrix rows, by chain and level} for every key
    given, in one query."""
    keys = set(keys)
    found = {key: [] for key in keys}
    if not keys:
        return found
    wanted = reduce(or_, (Q(kind_id=kind, side=side) for kind, side in keys))
    for rule in (ContactRule.objects.filter(wanted, active=True)
                 .select_related("organization__nation").order_by("chain", "level")):
        found[rule.kind_id, rule.side].append(rule)
    return found


def _step(rule):
    return protocol.Step(rule.chain, rule.level, rule.organization.acronym, rule.channel,
                         rule.minutes, rule.national, rule)


def _sent(notice):
    return protocol.Sent(notice, notice.chain, notice.level, notice.sent_at, notice.due_at,
                         notice.state, notice.acknowledged_at)


def check_released(event, rules):
    """Refuse when a nation the matrix names for this event may not see it."""
    hidden = sorted({rule.organization.nation for rule in rules
                     if rule.organization.nation_id != event.owner_nation_id
                     and not event.releasable_to(rule.organization.nation.code)},
                    key=lambda n: n.code)
    if hidden:
        raise ValidationError({"rel_to": _(
            "The contact matrix says %(nations)s must be notified of a %(kind)s on this side "
            "of the line, but the event is not released to them: release it to %(nations)s "
            "with foreign disclosure approved, or report it under another kind.") % {
                "nations": ", ".join(n.name for n in hidden), "kind": event.kind.name}})


# ---- Telling people -------------------------------------------------------------------------

def acknowledgers(organization_id):
    """The active users of an organization who may acknowledge its notices."""
    return acknowledgers_of([organization_id])[organization_id]


def acknowledgers_of(organization_ids):
    """{organization id: its active users who may acknowledge its notices}, in one query."""
    permission = Permission.objects.filter(content_type__app_label="border",
                                           codename="acknowledge_notice")
    has = (Q(is_superuser=True) | Q(groups__permissions__in=permission)
           | Q(user_permissions__in=permission))
    found = {pk: [] for pk in organization_ids}
    for user in (User.objects.filter(has, is_active=True, organization_id__in=found)
                 .distinct().order_by("pk")):
        found[user.organization_id].append(user)
    return found


def _in(language, user, render):
    zone = zoneinfo.ZoneInfo(user.time_zone) if getattr(user, "time_zone", "") else None
    with translation.override(language), timezone.override(zone):
        return str(render())


def _prefixed(event, language, text):
    return f"{exercise_banner(language)} — {text}" if event.is_exercise else text


def _tell(users, notice, render, key):
    """The messages to each user in both languages (core.services.notify_each sends them), the
    notice's deadline in the user's time zone; an exercise event's notices start with the
    exercise banner."""
    messages = []
    for user in users:
        texts = [_prefixed(notice.event, lang, _in(lang, user, render)) for lang in ("en", "es")]
        messages.append(Message(user, notice, *texts, notice.get_absolute_url(), key))
    return messages


def _tell_recipients(notice, recipients=None):
    """The messages to the notified organization's acknowledgers; `recipients` memoizes them
    by organization over one run."""
    event = notice.event

    def render():
        values = {"organization": notice.organization.acronym, "event": event,
                  "kind": event.kind.name, "side": event.get_side_display(),
                  "due": when(notice.due_at), "channel": notice.get_channel_display()}
        if notice.escalated_from_id:
            return _("Escalated notice for %(organization)s: %(event)s (%(kind)s, "
                     "%(side)s) was not acknowledged in time by the previous contact. "
                     "Acknowledge by %(due)s (also by %(channel)s).") % values
        return _("Notice for %(organization)s: %(event)s (%(kind)s, %(side)s). Acknowledge "
                 "by %(due)s (also by %(channel)s).") % values

    if recipients is None:
        recipients = {}
    if notice.organization_id not in recipients:
        recipients.update(acknowledgers_of([notice.organization_id]))
    return _tell(recipients[notice.organization_id], notice, render,
                 key=f"border:notice:{notice.pk}:sent")


def _tell_reporter(notice, what):
    event = notice.event

    def render():
        values = {"organization": notice.organization.acronym, "event": event,
                  "at": when(notice.acknowledged_at or notice.escalated_at or notice.sent_at)}
        if what == "acknowledged":
            return _("%(organization)s acknowledged the notice of %(event)s at %(at)s.") % values
        if what == "escalated":
            return _("%(organization)s did not acknowledge the notice of %(event)s in time: "
                     "it escalated to the next contact at %(at)s.") % values
        return _("%(organization)s did not acknowledge the notice of %(event)s in time, and "
                 "no contact is left to escalate to.") % values

    return _tell([event.reported_by], notice, render, key=f"border:notice:{notice.pk}:{what}")


# ---- Writes ---------------------------------------------------------------------------------

def _new_notice(event, rule, now, escalated_from=None):
    """A notice of `rule` about `event`, sent `now` (not saved)."""
    return Notice(
        event=event, rule=rule, organization=rule.organization, channel=rule.channel,
        chain=rule.chain, level=rule.level, national=rule.national,
        duty_role_en=rule.duty_role_en, duty_role_es=rule.duty_role_es,
        escalated_from=escalated_from, sent_at=now, due_at=protocol.due_at(now, rule.minutes),
        state=NS.PENDING, owner_nation_id=event.owner_nation_id, created_by=None)


def _send(event, rule, now):
    """A new notice of `rule` about `event`, sent `now`, with the event's marking; its
    recipients are told. None when that level of the chain was already sent (a concurrent
    run)."""
    notice = _new_notice(event, rule, now)
    try:
        with transaction.atomic():
            apply_parent_marking(notice)  # saves the new notice with its event's marking
    except IntegrityError:
        return None
    notify_each(_tell_recipients(notice))
    return notice


@transaction.atomic
def notify_counterparts(event, now=None, *, user=None):
    """Notify the first contact of every chain the contact matrix names for the event's kind
    and reporting side (reporting an event calls this). A chain already notified is not
    notified again. Refused (ValidationError on `rel_to`) when a nation to notify may not see
    the event. Returns the notices made."""
    now = now or timezone.now()
    rules = rules_for(event)
    if not rules:
        return []
    check_released(event, rules)
    chains = set(event.notices.values_list("chain", flat=True))
    by_step = {(r.chain, r.level): r for r in rules}
    made = []
    with acting_as(user or event.reported_by):
        for step in protocol.first_steps([_step(r) for r in rules]):
            if step.chain in chains:
                continue
            notice = _send(event, by_step[(step.chain, step.level)], now)
            if notice is not None:
                made.append(notice)
    return made


@transaction.atomic
def acknowledge(user, notice, now=None):
    """The notified organization acknowledges: only its users (with the acknowledge
    permission) may, once. A notice that escalated or went unanswered may still be acknowledged,
    late. Returns the notice as it now is."""
    require(user, notice, "acknowledge", perm="border.acknowledge_notice")
    locked = Notice.objects.select_for_update(of=("self",)).select_related(
        "organization", "event__reported_by", "event__kind", "acknowledged_by").get(pk=notice.pk)
    if user.organization_id != locked.organization_id:
        raise PermissionDenied(_(
            "Only %(organization)s may acknowledge this notice: it was sent to them, not to "
            "%(yours)s.") % {"organization": locked.organization.name,
                             "yours": user.organization.name if user.organization_id
                             else _("your account")})
    if locked.acknowledged_at is not None:
        raise ValidationError(
            _("This notice was already acknowledged by %(user)s at %(at)s.")
            % {"user": locked.acknowledged_by, "at": when(locked.acknowledged_at)})
    now = now or timezone.now()
    locked.acknowledged_at = max(now, locked.sent_at)
    locked.acknowledged_by = user
    locked.state = NS.ACKNOWLEDGED
    with acting_as(user):
        locked.save(update_fields=["acknowledged_at", "acknowledged_by", "state",
                                   "updated_at"])
        notify_each(_tell_reporter(locked, "acknowledged"))
    return locked


def overdue_notices(now):
    """Notices still waiting past their deadline in a chain nobody acknowledged yet: what one
    escalation run looks at."""
    acknowledged = Notice.objects.filter(event=OuterRef("event"), chain=OuterRef("chain"),
                                         acknowledged_at__isnull=False)
    return Notice.objects.filter(state=NS.PENDING, due_at__lte=now).filter(~Exists(acknowledged))


# Events escalated per transaction: a failure leaves the chunks before it done.
EVENTS_PER_RUN_CHUNK = 500


def escalate_overdue(now=None, *, event=None):
    """One escalation run: every overdue notice (of `event` only, if given) escalates to the
    next contact of its chain, then the national channel; with nobody left it is unanswered
    (border.protocol). Done in bulk, a few queries for a chunk of events whatever their number
    of notices: the notices of the chunk's events read and locked at once, their escalations
    written with one UPDATE per new state, the new notices with one INSERT (core's
    `create_following`), the history and the notices to people likewise (core's `log_bulk`,
    `notify_each`). One transaction per chunk of events, so a failure leaves the chunks before
    it done. Returns (escalated, unanswered, sent)."""
    now = now or timezone.now()
    overdue = overdue_notices(now)
    if event is not None:
        overdue = overdue.filter(event=event)
    event_ids = sorted(set(overdue.values_list("event_id", flat=True)))
    counts = [0, 0, 0]
    recipients, rules = {}, {}  # by organization and by (kind, side), for the whole run
    for start in range(0, len(event_ids), EVENTS_PER_RUN_CHUNK):
        done = _escalate_events(event_ids[start:start + EVENTS_PER_RUN_CHUNK], now,
                                recipients, rules)
        counts = [a + b for a, b in zip(counts, done, strict=True)]
    return tuple(counts)


def _notice_repr(notice):
    return f"{notice.organization} — {notice.event}"


@transaction.atomic
def _escalate_events(event_ids, now, recipients, rules_by_key):
    notices = list(Notice.objects.select_for_update().filter(event_id__in=event_ids)
                   .select_related("organization").order_by("event_id", "chain", "level", "pk"))
    if not notices:
        return 0, 0, 0
    # The events read once, their nations with them (every new notice takes its marking).
    events = BorderEvent.objects.prefetch_related("rel_to").select_related(
        "owner_nation", "kind", "reported_by").in_bulk({n.event_id for n in notices})
    by_event, by_pk = defaultdict(list), {n.pk: n for n in notices}
    for notice in notices:
        notice.event = events[notice.event_id]
        if notice.escalated_from_id in by_pk:
            notice.escalated_from = by_pk[notice.escalated_from_id]
        by_event[notice.event_id].append(notice)
    keys = {(e.kind_id, reporting_side(e)) for e in events.values()}
    rules_by_key.update(rules_for_keys(keys - rules_by_key.keys()))
    changed, new = {NS.ESCALATED: [], NS.UNANSWERED: []}, []
    for event_id, its_notices in by_event.items():
        event = events[event_id]
        steps = [_step(r) for r in rules_by_key[event.kind_id, reporting_side(event)]]
        for escalation in protocol.escalations(steps, [_sent(n) for n in its_notices], now):
            notice = escalation.notice
            notice.state, notice.escalated_at, notice.updated_at = escalation.state, now, now
            changed[notice.state].append(notice)
            if escalation.send:
                new.append(_new_notice(event, escalation.next.rule, now, escalated_from=notice))
    for state, rows in changed.items():
        Notice.objects.filter(pk__in=[n.pk for n in rows]).update(
            state=state, escalated_at=now, updated_at=now)
    escalated = changed[NS.ESCALATED] + changed[NS.UNANSWERED]
    log_bulk(escalated, LogEntry.Action.UPDATE,
             lambda n: {"state": [NS.PENDING, n.state], "escalated_at": [None, now]},
             None, _notice_repr)
    create_following(new)  # the new notices with their events' marking, and their history
    missing = {n.organization_id for n in new} - recipients.keys()
    if missing:
        recipients.update(acknowledgers_of(missing))
    messages = []
    for notice in escalated:
        messages += _tell_reporter(notice, "escalated" if notice.state == NS.ESCALATED
                                   else "unanswered")
    for notice in new:
        messages += _tell_recipients(notice, recipients)
    notify_each(messages)
    return len(changed[NS.ESCALATED]), len(changed[NS.UNANSWERED]), len(new)
