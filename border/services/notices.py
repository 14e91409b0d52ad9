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

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from border import protocol
from border.models import BorderEvent, ContactRule, Notice, Side, exercise_banner
from core.audit import acting_as
from core.humanize import when
from core.permissions import require
from core.services import apply_parent_marking, notify

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
    return list(ContactRule.objects.filter(kind_id=event.kind_id, side=reporting_side(event),
                                           active=True)
                .select_related("organization__nation").order_by("chain", "level"))


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
    permission = Permission.objects.filter(content_type__app_label="border",
                                           codename="acknowledge_notice")
    has = (Q(is_superuser=True) | Q(groups__permissions__in=permission)
           | Q(user_permissions__in=permission))
    return (User.objects.filter(has, is_active=True, organization_id=organization_id)
            .distinct().order_by("pk"))


def _in(language, user, render):
    zone = zoneinfo.ZoneInfo(user.time_zone) if getattr(user, "time_zone", "") else None
    with translation.override(language), timezone.override(zone):
        return str(render())


def _prefixed(event, language, text):
    return f"{exercise_banner(language)} — {text}" if event.is_exercise else text


def _tell(users, notice, render, key):
    """Notify each user in both languages, the notice's deadline in the user's time zone; an
    exercise event's notices start with the exercise banner."""
    made = 0
    for user in users:
        texts = [_prefixed(notice.event, lang, _in(lang, user, render)) for lang in ("en", "es")]
        made += len(notify([user], notice, *texts, notice.get_absolute_url(), key=key))
    return made


def _tell_recipients(notice, recipients=None):
    """Tell the notified organization's acknowledgers; `recipients` memoizes them by
    organization over one run."""
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
        recipients[notice.organization_id] = list(acknowledgers(notice.organization_id))
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

def _send(event, rule, now, *, escalated_from=None, recipients=None):
    """A new notice of `rule` about `event`, sent `now`, with the event's marking; its
    recipients are told. None when that level of the chain was already sent (a concurrent
    run)."""
    notice = Notice(
        event=event, rule=rule, organization=rule.organization, channel=rule.channel,
        chain=rule.chain, level=rule.level, national=rule.national,
        duty_role_en=rule.duty_role_en, duty_role_es=rule.duty_role_es,
        escalated_from=escalated_from, sent_at=now, due_at=protocol.due_at(now, rule.minutes),
        state=NS.PENDING, owner_nation_id=event.owner_nation_id, created_by=None)
    try:
        with transaction.atomic():
            apply_parent_marking(notice)  # saves the new notice with its event's marking
    except IntegrityError:
        return None
    _tell_recipients(notice, recipients)
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
        _tell_reporter(locked, "acknowledged")
    return locked


def overdue_notices(now):
    """Notices still waiting past their deadline in a chain nobody acknowledged yet: what one
    escalation run looks at."""
    acknowledged = Notice.objects.filter(event=OuterRef("event"), chain=OuterRef("chain"),
                                         acknowledged_at__isnull=False)
    return Notice.objects.filter(state=NS.PENDING, due_at__lte=now).filter(~Exists(acknowledged))


def escalate_overdue(now=None, *, event=None):
    """One escalation run: every overdue notice (of `event` only, if given) escalates to the
    next contact of its chain, then the national channel; with nobody left it is unanswered
    (border.protocol). One transaction per event, so a failure leaves the others done. Returns
    (escalated, unanswered, sent)."""
    now = now or timezone.now()
    counts = [0, 0, 0]
    overdue = overdue_notices(now)
    if event is not None:
        overdue = overdue.filter(event=event)
    event_ids = sorted(set(overdue.values_list("event_id", flat=True)))
    recipients, rules = {}, {}  # by organization and by (kind, side), for the whole run
    for event_id in event_ids:
        escalated, unanswered, sent = _escalate_event(event_id, now, recipients, rules)
        counts[0] += escalated
        counts[1] += unanswered
        counts[2] += sent
    return tuple(counts)


@transaction.atomic
def _escalate_event(event_id, now, recipients, rules_by_key):
    notices = list(Notice.objects.select_for_update().filter(event_id=event_id)
                   .select_related("organization"))
    if not notices:
        return 0, 0, 0
    # The event read once, its nations with it (every new notice takes its marking).
    event = BorderEvent.objects.prefetch_related("rel_to").select_related(
        "owner_nation", "kind", "reported_by").get(pk=event_id)
    for notice in notices:
        notice.event = event
    key = (event.kind_id, reporting_side(event))
    if key not in rules_by_key:
        rules_by_key[key] = rules_for(event)
    steps = [_step(r) for r in rules_by_key[key]]
    escalated = unanswered = sent = 0
    with acting_as(None):
        for escalation in protocol.escalations(steps, [_sent(n) for n in notices], now):
            notice = escalation.notice
            notice.state = escalation.state
            notice.escalated_at = now
            notice.save(update_fields=["state", "escalated_at", "updated_at"])
            if notice.state == NS.ESCALATED:
                escalated += 1
                _tell_reporter(notice, "escalated")
            else:
                unanswered += 1
                _tell_reporter(notice, "unanswered")
            if escalation.send and _send(event, escalation.next.rule, now,
                                         escalated_from=notice,
                                         recipients=recipients) is not None:
                sent += 1
    return escalated, unanswered, sent
