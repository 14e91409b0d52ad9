"""Every read of personnel data, through restrict(): the roster as of any moment, timelines,
orders and the deadline tracker."""

from dataclasses import dataclass

from django.db.models import Case, Count, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from personnel.models import (
    FEDERAL_STATUSES,
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
    """A member's duty status at `moment` ("none" without a period in effect). A member's
    periods never overlap, so the one in effect, if any, is the latest starting at or before
    `moment`: one backward seek on the (member, start) index per member, however long their
    history, instead of scanning every earlier period."""
    latest = (DutyPeriod.objects.filter(member=OuterRef("pk"), start__lte=moment)
              .order_by("-start")
              .annotate(in_effect=Case(When(Q(end__isnull=True) | Q(end__gt=moment),
                                            then=F("status"))))
              .values("in_effect")[:1])
    return Coalesce(Subquery(latest), Value(DutyStatus.NONE))


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
    """Counts by status and authority at `moment` in one aggregate query."""
    members = Member.objects.restrict(user)
    if unit:
        members = members.filter(unit__code=unit)
    counts = dict(
        members.annotate(status_at=status_at_expression(moment)).order_by()
        .values("status_at").annotate(n=Count("pk")).values_list("status_at", "n")
    )
    total = sum(counts.values())
    by_status = {s: counts.get(s, 0) for s in DutyStatus.values}
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
    members are still under federal control now (one query, however many orders)."""
    now = now or timezone.now()
    federal_now = DutyPeriod.objects.at(now).filter(
        status__in=list(FEDERAL_STATUSES)).values("member_id")
    outstanding = Subquery(
        Order.members.through.objects.filter(order_id=OuterRef("pk"),
                                             member_id__in=federal_now)
        .values("order_id").annotate(n=Count("member_id")).values("n")[:1])
    tracked = (Order.objects.restrict(user).prefetch_related(None)
               .filter(deadline__isnull=False).exclude(state__in=[Order.State.REVERSED])
               .annotate(outstanding=Coalesce(outstanding, Value(0))).order_by("deadline"))
    return [Deadline(order=order, outstanding=order.outstanding,
                     remaining=order.deadline - now) for order in tracked]


def federal_members(order, moment):
    """Members covered by `order` who are under federal control at `moment`."""
    return order.members.annotate(status_at=status_at_expression(moment)).annotate(
        authority_at=authority_expression("status_at")).filter(authority_at=Authority.PRESIDENT)
