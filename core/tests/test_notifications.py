"""Notices: deadline reminders reach the owning nation's personnel officers once a day, never a
user who may not see the order; the notifications page and the header's unread count."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Nation
from core.models import Notification
from core.services import apply_marking, notify
from personnel import services
from personnel.models import DutyStatus, Order, Unit
from personnel.tasks import deadline_notices, notify_deadlines


@pytest.fixture
def people(make_user, persona_of):
    return {
        "j1": persona_of("personnel_officer"),
        "j1_bis": make_user("t.us.j1b", "CalGuard", "personnel_officer", is_active=False),
        "coordinator": persona_of("coordinator"),
        "mx_j1": persona_of("personnel_officer", "MEX"),
        "mx_liaison": persona_of("liaison", "MEX"),
    }


def court_order(officer, *, deadline_in, federal=True, numbers=("T0001",)):
    """A court order covering members who are (or are not) under federal control now, with a
    deadline `deadline_in` from now."""
    now = timezone.now()
    usa = Nation.objects.get(code="USA")
    unit = Unit.objects.filter(code="1-160IN").first()
    if unit is None:
        unit = Unit(code="1-160IN", name="1st Battalion, 160th Infantry Regiment")
        apply_marking(unit, owner=usa, rel_to=[usa])
    members = []
    for number in numbers:
        member = services.create_member(officer, rel_to=[usa], service_number=number,
                                        last_name="Ortiz", first_name="Ana", grade="E-4",
                                        unit=unit)
        status = DutyStatus.T10_12406 if federal else DutyStatus.SAD
        services.add_period(officer, member, status=status, start=now - timedelta(days=90))
        members.append(member)
    return services.create_order(
        officer, members=members, rel_to=[usa], kind=Order.Kind.COURT_ORDER,
        title_en="Return the members to the Governor", title_es="Devolver los miembros al "
        "Gobernador", reference=f"CASE-{numbers[0]}", issued_by="U.S. District Court",
        effective_at=now + deadline_in - timedelta(hours=12), deadline=now + deadline_in,
        target_status=DutyStatus.NONE)


def test_the_deadline_task_notifies_the_owning_personnel_officer_only(
        people, django_capture_on_commit_callbacks):
    order = court_order(people["j1"], deadline_in=timedelta(days=3), numbers=("T1", "T2"))
    with django_capture_on_commit_callbacks(execute=True):
        assert notify_deadlines() == 1
    notice = Notification.objects.get()
    assert notice.recipient == people["j1"]
    assert "2 members" in notice.message_en and "Return the members" in notice.message_en
    assert "Devolver los miembros" in notice.message_es
    assert notice.url == order.get_absolute_url() and notice.read_at is None
    # Not the coordinator (same nation, not a personnel officer), not an inactive officer, not
    # a Mexican personnel officer or liaison (the order is US-only).
    assert not Notification.objects.exclude(recipient=people["j1"]).exists()
    assert [m.to for m in mail.outbox] == [[people["j1"].email]]
    assert "Devolver los miembros" in mail.outbox[0].body


def test_two_runs_the_same_day_make_one_notice(people):
    court_order(people["j1"], deadline_in=timedelta(days=2))
    deadline_notices.call_local()
    deadline_notices.call_local()
    assert Notification.objects.count() == 1
    # The next day it reminds again.
    assert notify_deadlines(timezone.now() + timedelta(days=1)) == 1
    assert Notification.objects.count() == 2


def test_only_due_outstanding_and_binding_orders_are_notified(people):
    j1 = people["j1"]
    court_order(j1, deadline_in=timedelta(days=10), numbers=("F1",))  # not within a week
    court_order(j1, deadline_in=timedelta(days=2), federal=False, numbers=("S1",))  # nobody left
    stayed = court_order(j1, deadline_in=timedelta(days=2), numbers=("F2",))
    stay = services.create_order(
        j1, members=[], rel_to=[], kind=Order.Kind.STAY, stays=stayed, title_en="Stay",
        title_es="Suspensión", effective_at=timezone.now())
    services.apply_order(j1, stay)
    assert notify_deadlines() == 0
    overdue = court_order(j1, deadline_in=timedelta(days=-1), numbers=("F3",))
    assert notify_deadlines() == 1
    notice = Notification.objects.get()
    assert notice.url == overdue.get_absolute_url()
    assert notice.message_en.startswith("Deadline passed")


def test_notify_tells_only_users_who_may_see_the_record(people):
    order = court_order(people["j1"], deadline_in=timedelta(days=2))
    made = notify([people["mx_j1"], people["mx_liaison"], people["coordinator"]], order,
                  "About the order", "Sobre la orden", order.get_absolute_url())
    assert [n.recipient for n in made] == [people["coordinator"]]
    with pytest.raises(ValueError):
        notify([people["j1"]], order, "x", "x", "https://elsewhere.example/")


def test_notifications_page_badge_and_mark_as_read(people, client_for):
    order = court_order(people["j1"], deadline_in=timedelta(days=2))
    notify_deadlines()
    other = notify([people["coordinator"]], order, "For the coordinator", "Para el coordinador")
    client = client_for(people["j1"])

    page = client.get(reverse("web:notifications")).content.decode()
    assert "Return the members" in page and "For the coordinator" not in page
    assert 'data-testid="unread-count">1<' in page

    assert client.post(reverse("web:notifications"),
                       {"notification": other[0].pk}).status_code == 404
    response = client.post(reverse("web:notifications"),
                           {"notification": Notification.objects.get(recipient=people["j1"]).pk})
    assert response.status_code == 302
    assert Notification.objects.get(recipient=people["j1"]).read_at is not None
    assert Notification.objects.get(pk=other[0].pk).read_at is None
    assert 'data-testid="unread-count"' not in client.get(reverse("web:dashboard")).content.decode()

    client = client_for(people["coordinator"])
    assert 'data-testid="unread-count">1<' in client.get("/").content.decode()
    client.post(reverse("web:notifications"), {"all": "1"})
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_the_notifications_page_needs_a_login(client):
    response = client.get(reverse("web:notifications"))
    assert response.status_code == 302 and "login" in response["Location"]
