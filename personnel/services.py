"""Every write on personnel: duty periods and orders. Each runs in one transaction, checks that
no member's periods overlap, and leaves history."""

from dataclasses import dataclass
from datetime import datetime

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import bulk
from core.audit import acting_as, log_bulk
from core.humanize import when
from core.lifecycle import Lifecycle, Transition
from core.models import Disclosure
from core.permissions import may, require, require_role
from core.services import apply_marking, check_new_marking
from personnel.models import DutyPeriod, DutyStatus, Member, Order, OrderEffect

CONFLICTS_SHOWN = 10
IN_CHUNK = 900  # ids per `IN (...)`, under SQLite's oldest limit of 999 parameters


# Duty periods -------------------------------------------------------------------------------

def _check_no_overlap(member, start, end, exclude_pk=None):
    clash = DutyPeriod.objects.filter(member=member).overlapping(start, end)
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    clash = clash.first()
    if clash:
        raise ValidationError({"start": _(
            "This period overlaps %(status)s from %(start)s%(until)s. A member has one duty "
            "status at a time: end that period first.") % {
            "status": clash.get_status_display(), "start": when(clash.start),
            "until": (_(" until %(end)s") % {"end": when(clash.end)}) if clash.end else "",
        }})


def _lock(member):
    # Serializes writers per member on PostgreSQL; SQLite's IMMEDIATE transactions already
    # serialize every writer, so the check-then-insert below cannot race on either.
    Member.objects.select_for_update().filter(pk=member.pk).first()


@transaction.atomic
def add_period(user, member, *, status, start, end=None, **fields):
    require(user, member, "change", perm="personnel.add_dutyperiod")
    period = DutyPeriod(member=member, status=status, start=start, end=end, **fields)
    period.full_clean(validate_constraints=False)
    if end is not None and end <= start:
        raise ValidationError({"end": _("The end must come after the start.")})
    _lock(member)
    _check_no_overlap(member, start, end)
    with acting_as(user):
        period.save()
    return period


@transaction.atomic
def end_period(user, period, *, end):
    require(user, period.member, "change", perm="personnel.change_dutyperiod")
    if end <= period.start:
        raise ValidationError({"end": _("The end must come after the start.")})
    _lock(period.member)
    _check_no_overlap(period.member, period.start, end, exclude_pk=period.pk)
    with acting_as(user):
        period.end = end
        period.save(update_fields=["end"])
    return period


@transaction.atomic
def create_member(user, *, rel_to=(), disclosure=Disclosure.NOT_REVIEWED, **fields):
    require_role(user, "personnel.add_member")
    member = Member(owner_nation=user.nation, disclosure=disclosure, created_by=user, **fields)
    check_new_marking(user, member, disclosure)
    member.full_clean()
    with acting_as(user):
        apply_marking(member, owner=user.nation, rel_to=rel_to, disclosure=disclosure)
    return member


# Orders -------------------------------------------------------------------------------------

@dataclass
class PlannedChange:
    """What an order will do (or did) to one member."""

    member: Member
    from_status: str
    to_status: str
    closes: DutyPeriod | None = None  # the period in effect, to end at the effective time
    opens_until: datetime | None = None  # the new period's end: the member's next period
    reopens_until: datetime | None = None  # for a reversal: the end to restore
    removes: DutyPeriod | None = None  # for a reversal: the period the order had opened
    conflict: str = ""

    @property
    def changes(self):
        return not self.conflict and self.from_status != self.to_status

    def from_label(self):
        return DutyStatus(self.from_status).label

    def to_label(self):
        return DutyStatus(self.to_status).label


def _plan_apply(order):
    members = list(order.members.all())
    ids = [m.pk for m in members]
    moment = order.effective_at
    covering = {p.member_id: p for p in DutyPeriod.objects.filter(member_id__in=ids).at(moment)}
    next_start = dict(DutyPeriod.objects.filter(member_id__in=ids, start__gt=moment)
                      .values("member_id").annotate(first=Min("start"))
                      .values_list("member_id", "first"))
    plan = []
    for member in members:
        current = covering.get(member.pk)
        change = PlannedChange(member=member, to_status=order.target_status,
                               from_status=current.status if current else DutyStatus.NONE,
                               closes=current, opens_until=next_start.get(member.pk))
        if current is not None and current.start == moment:
            change.conflict = _("A duty period already starts at the effective time.")
        plan.append(change)
    return plan


def _plan_reversal(order):
    """Undo an applied order: remove the periods it opened and give back the ends it cut."""
    effects = list(order.effects.select_related("member", "opened_period", "closed_period"))
    later = set(OrderEffect.objects.filter(
        closed_period_id__in=[e.opened_period_id for e in effects if e.opened_period_id])
        .exclude(order=order).values_list("closed_period_id", flat=True))
    plan = []
    for effect in effects:
        change = PlannedChange(member=effect.member, from_status=effect.to_status,
                               to_status=effect.from_status, removes=effect.opened_period,
                               closes=effect.closed_period,
                               reopens_until=effect.closed_period_end)
        if effect.opened_period_id in later:
            change.conflict = _("A later order has changed this member since.")
        plan.append(change)
    return plan


def plan_order(order):
    """The preview: what applying `order` would change, member by member. `apply_order` carries
    out exactly this plan."""
    if order.kind == Order.Kind.STAY:
        stayed = order.stays
        return _plan_reversal(stayed) if stayed and stayed.state == Order.State.APPLIED else []
    return _plan_apply(order)


def _stays_an_open_order(order, **context):
    if order.kind != Order.Kind.STAY:
        return []
    if order.stays is None:
        return [("stays", _("Name the order this stay suspends."))]
    if order.stays.state not in (Order.State.DRAFT, Order.State.APPLIED):
        return [("stays", _("That order is already %(state)s.") % {
            "state": order.stays.get_state_display()})]
    return []


def _target_status_chosen(order, **context):
    if order.kind == Order.Kind.STAY or order.target_status:
        return []
    return [("target_status", _("Choose the duty status the members move to."))]


def _order_refused(order, step):
    if step.name == "apply":
        return "state", _("Only a draft order can be applied; this one is %(state)s.") % {
            "state": order.get_state_display()}
    return "stays", _("That order is already %(state)s.") % {
        "state": order.get_state_display()}


# Applying an order is the one step a person takes; a stay, when applied, reverses the order it
# suspends (already applied) or stays it (still a draft).
OS = Order.State
ORDER_LIFECYCLE = Lifecycle(
    Transition("apply", (OS.DRAFT,), OS.APPLIED, gettext_lazy("Apply order"),
               guards=(_stays_an_open_order, _target_status_chosen)),
    Transition("reverse", (OS.APPLIED,), OS.REVERSED, OS.REVERSED.label),
    Transition("stay", (OS.DRAFT,), OS.STAYED, OS.STAYED.label),
    may=lambda user, order, step: step.name == "apply" and may(user, order, "apply"),
    refused=_order_refused,
    also_saves=("updated_at",),
)


def _refuse_conflicts(plan):
    conflicts = [c for c in plan if c.conflict]
    if conflicts:
        names = "; ".join(f"{c.member} ({c.conflict})" for c in conflicts[:CONFLICTS_SHOWN])
        more = len(conflicts) - CONFLICTS_SHOWN
        raise ValidationError({"members": _(
            "The order cannot be applied to %(count)d member(s): %(names)s%(more)s. Nothing "
            "was changed.") % {"count": len(conflicts), "names": names,
                               "more": _(" and %(n)d more") % {"n": more} if more > 0 else ""}})


def _period_repr(period):
    return f"{period.member_id}: {period.status} from {period.start:%Y-%m-%d %H:%M}"


def _carry_out(order, plan, actor):
    moment = order.effective_at
    changing = [c for c in plan if c.changes]
    closed = []
    for change in changing:
        if change.closes is not None:
            change.closed_end_before = change.closes.end
            change.closes.end = moment
            closed.append(change.closes)
    # Every closed period ends at the same moment: one UPDATE per chunk of ids (bulk_update
    # would send a CASE with a branch per row, which dominated large orders).
    closed_ids = [p.pk for p in closed]
    for start in range(0, len(closed_ids), IN_CHUNK):
        DutyPeriod.objects.filter(pk__in=closed_ids[start:start + IN_CHUNK]).update(end=moment)
    opened = [
        DutyPeriod(member=c.member, status=c.to_status, start=moment, end=c.opens_until,
                   orders_reference=order.reference, legal_basis=order.legal_basis,
                   opened_by=order)
        for c in changing
    ]
    bulk.insert(opened)
    # The order opens at most one period per member: read the new ids back by member.
    ids = dict(DutyPeriod.objects.filter(opened_by=order).values_list("member_id", "pk"))
    for period in opened:
        period.pk = ids[period.member_id]
        period._state.adding = False
    bulk.insert([
        OrderEffect(order=order, member=c.member, from_status=c.from_status,
                    to_status=c.to_status, closed_period=c.closes,
                    closed_period_end=getattr(c, "closed_end_before", None), opened_period=p)
        for c, p in zip(changing, opened, strict=True)
    ])
    log_bulk(closed, LogEntry.Action.UPDATE,
             lambda p: {"end": [None, p.end.isoformat()], "order": [None, str(order.pk)]},
             actor, _period_repr)
    log_bulk(opened, LogEntry.Action.CREATE,
             lambda p: {"status": [None, p.status], "start": [None, p.start.isoformat()],
                        "order": [None, str(order.pk)]}, actor, _period_repr)


def _undo(order, plan, actor):
    removed = [c.removes for c in plan if c.removes is not None]
    restored = []
    for change in plan:
        if change.closes is not None:
            change.closes.end = change.reopens_until
            restored.append(change.closes)
    log_bulk(removed, LogEntry.Action.DELETE,
             lambda p: {"status": [p.status, None], "order": [str(order.pk), None]},
             actor, _period_repr)
    DutyPeriod.objects.filter(pk__in=[p.pk for p in removed]).delete()
    DutyPeriod.objects.bulk_update(restored, ["end"], batch_size=1000)
    log_bulk(restored, LogEntry.Action.UPDATE,
             lambda p: {"end": [None, p.end.isoformat() if p.end else None]}, actor, _period_repr)


@transaction.atomic
def apply_order(user, order):
    """Apply an order: all its members change in one transaction, or none do."""
    require(user, order, "apply")
    order = Order.objects.select_for_update().get(pk=order.pk)
    ORDER_LIFECYCLE.check(order, "apply")
    plan = plan_order(order)
    _refuse_conflicts(plan)
    stayed = order.stays if order.kind == Order.Kind.STAY else None
    # Moved first: its guard reads the stayed order's state, which the stay then changes.
    ORDER_LIFECYCLE.move(user, order, "apply", changes={"applied_at": timezone.now()})
    if stayed is not None and stayed.state == Order.State.APPLIED:
        with acting_as(user):
            _undo(stayed, plan, user)
        ORDER_LIFECYCLE.move(user, stayed, "reverse")
    elif stayed is not None:
        ORDER_LIFECYCLE.move(user, stayed, "stay")
    else:
        with acting_as(user):
            _carry_out(order, plan, user)
    return plan


ORDER_FIELDS = ("kind", "title_en", "title_es", "reference", "issued_by", "issued_on",
                "effective_at", "target_status", "deadline", "stays", "legal_basis")


def _check_order(user, order, members):
    errors = {}
    if order.kind == Order.Kind.STAY:
        if order.stays is None:
            errors["stays"] = _("Name the order this stay suspends.")
        elif order.stays.state not in (Order.State.DRAFT, Order.State.APPLIED):
            errors["stays"] = _("That order is already %(state)s.") % {
                "state": order.stays.get_state_display()}
        elif not Order.objects.restrict(user).filter(pk=order.stays_id).exists():
            errors["stays"] = _("Choose an order you may see.")
    else:
        if order.stays_id is not None:
            errors["stays"] = _("Only a stay suspends another order.")
        if not order.target_status:
            errors["target_status"] = _("Choose the duty status the members move to.")
        if not members:
            errors["members"] = _("Choose the members this order covers.")
    if order.deadline and order.effective_at and order.deadline <= order.effective_at:
        errors["deadline"] = _("The deadline must come after the effective time.")
    ids = {m.pk for m in members}
    if ids and Member.objects.restrict(user).filter(pk__in=ids).count() != len(ids):
        errors["members"] = _("Some of these members are not visible to you.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_order(user, *, members, rel_to=(), disclosure=Disclosure.NOT_REVIEWED, tlp="",
                 **fields):
    """A new draft order owned by the user's nation, covering `members` (records the user may
    see). It changes nothing until `apply_order`."""
    require_role(user, "personnel.add_order")
    members = list(members)
    order = Order(**{k: fields[k] for k in ORDER_FIELDS if k in fields},
                  owner_nation=user.nation, disclosure=disclosure, tlp=tlp,
                  state=Order.State.DRAFT, created_by=user)
    check_new_marking(user, order, disclosure)
    order.full_clean()
    _check_order(user, order, members)
    with acting_as(user):
        apply_marking(order, owner=user.nation, rel_to=rel_to, disclosure=disclosure, tlp=tlp)
        order.members.set(members)
    return order
