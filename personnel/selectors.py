"""Every read of personnel data, through restrict(): the roster as of any moment, timelines,
orders and the deadline tracker."""

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from personnel.models import (
    Authority,
    DutyPeriod,
    DutyStatus,
    Member,
    Order,
    authority_expression,
    authority_of,
)


def members_for(user, action="view"):
    return Member.objects.restrict(user, action).select_related("unit")


def periods_for(user):
    """Duty periods are visible exactly when their member is."""
    return DutyPeriod.objects.filter(member__in=Member.objects.restrict(user).values("pk"))


def status_at_expression(moment):
    return Coalesce(
        Subquery(DutyPeriod.objects.filter(member=OuterRef("pk")).at(moment)
                 .values("status")[:1]),
        Value(DutyStatus.NONE),
    )


def roster(user, moment, *, unit=None, status=None, authority=None, q=None):
    """Members visible to `user` with their duty status and controlling authority at
    `moment`, filtered by unit (code), status, authority or name."""
    members = members_for(user).annotate(status_at=status_at_expression(moment))
    members = members.annotate(authority_at=authority_expression("status_at"))
    if unit:
        members = members.filter(unit__code=unit)
    if status:
        members = members.filter(status_at=status)
    if authority:
        members = members.filter(authority_at=authority)
    if q:
        members = members.filter(Q(last_name__icontains=q) | Q(first_name__icontains=q)
                                 | Q(service_number__icontains=q))
    return members


@dataclass
class RosterCounts:
    total: int
    by_status: dict  # status -> count, every status present (zero when none)
    by_authority: dict  # authority -> count

    def status_rows(self):
        return [(DutyStatus(s), n, authority_of(s)) for s, n in self.by_status.items()]


def roster_counts(user, moment, *, unit=None):
    """Counts by status and authority at `moment` in two aggregate queries."""
    members = Member.objects.restrict(user)
    if unit:
        members = members.filter(unit__code=unit)
    total = members.count()
    in_effect = dict(
        DutyPeriod.objects.at(moment).filter(member__in=members.values("pk"))
        .values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    by_status = {s: in_effect.get(s, 0) for s in DutyStatus.values}
    by_status[DutyStatus.NONE] += total - sum(in_effect.values())
    by_authority = {a: 0 for a in Authority.values}
    for s, n in by_status.items():
        by_authority[authority_of(s)] += n
    return RosterCounts(total=total, by_status=by_status, by_authority=by_authority)


def timeline(member):
    return member.periods.select_related("opened_by").order_by("start")


def orders_for(user, action="view"):
    return Order.objects.restrict(user, action).select_related("stays").annotate(
        member_count=Count("members", distinct=True))


@dataclass
class Deadline:
    order: Order
    outstanding: int  # covered members still under federal control now
    remaining: object  # timedelta until the deadline (negative once passed)

    @property
    def days_left(self):
        return self.remaining.days


def deadlines(user, now=None):
    """Orders that require members back under state control by a date, with how many covered
    members are still under federal control now."""
    now = now or timezone.now()
    tracked = Order.objects.restrict(user).filter(deadline__isnull=False).exclude(
        state__in=[Order.State.REVERSED]).order_by("deadline")
    result = []
    for order in tracked:
        outstanding = federal_members(order, now).count()
        result.append(Deadline(order=order, outstanding=outstanding,
                               remaining=order.deadline - now))
    return result


def federal_members(order, moment):
    """Members covered by `order` who are under federal control at `moment`."""
    return order.members.annotate(status_at=status_at_expression(moment)).annotate(
        authority_at=authority_expression("status_at")).filter(authority_at=Authority.PRESIDENT)
