from datetime import datetime
from zoneinfo import ZoneInfo

from accounts.models import Nation
from personnel.models import DutyPeriod, Member, Order, Unit

PACIFIC = ZoneInfo("America/Los_Angeles")


def at(*args):
    """A moment in California time: at(2025, 6, 7) or at(2025, 6, 7, 12, 30)."""
    return datetime(*args, tzinfo=PACIFIC)


def make_unit(code="1-185AR", name="1st Battalion, 185th Armor Regiment"):
    unit, created = Unit.objects.get_or_create(
        code=code, defaults={"name": name, "owner_nation": Nation.objects.get(code="USA")})
    if created:
        unit.rel_to.set([unit.owner_nation])
    return unit


def make_member(number, unit=None, status=None, since=None, last_name="Soto", **fields):
    """A US-only member; with `status`, on that status from `since` (open-ended)."""
    usa = Nation.objects.get(code="USA")
    member = Member.objects.create(
        service_number=number, last_name=last_name, first_name="Ana", grade="E-5",
        unit=unit or make_unit(), owner_nation=usa, **fields)
    member.rel_to.set([usa])
    if status:
        DutyPeriod.objects.create(member=member, status=status, start=since or at(2025, 1, 1))
    return member


def make_order(members, owner, *, kind=Order.Kind.FEDERALIZATION, target="t10_12406",
               effective=None, **fields):
    order = Order.objects.create(
        kind=kind, title_en=fields.pop("title_en", "Order"), title_es="Orden",
        effective_at=effective or at(2025, 6, 7), target_status=target,
        owner_nation=owner.nation, **fields)
    order.rel_to.set([owner.nation])
    order.members.set(members)
    return order
