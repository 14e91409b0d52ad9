"""The demo's 2025 sequence: federalization, drawdowns, a stayed court order, the return to
state control; loaded twice it changes nothing; Mexico sees none of it."""

from datetime import date

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from core.models import Notification
from personnel import demo, selectors
from personnel.models import DutyPeriod, Member, Order, OrderEffect, Qualification, Unit


def federal_on(user, *when):
    return selectors.roster_counts(user, demo.at(*when)).by_authority["president"]


@pytest.mark.django_db
def test_the_2025_sequence_shows_on_the_roster():
    call_command("load_demo", verbosity=0)
    j1 = User.objects.get(username="us.j1")
    assert Member.objects.count() == 4500
    assert federal_on(j1, 2025, 6, 1, 12) == 0
    assert federal_on(j1, 2025, 6, 8, 12) == 4000
    assert federal_on(j1, 2025, 8, 2, 12) == 2000
    assert federal_on(j1, 2025, 12, 1, 12) == 300
    assert federal_on(j1, 2025, 12, 16, 12) == 200  # the court order was stayed; 100 released
    assert federal_on(j1, 2026, 1, 1, 12) == 0

    # Each order is dated the day it was issued, not the day the demo was loaded.
    federalization = Order.objects.get(reference=demo.REF_FEDERALIZATION)
    assert timezone.localdate(federalization.applied_at) == federalization.issued_on
    assert timezone.localdate(federalization.created_at) == date(2025, 6, 7)
    court = Order.objects.get(reference=demo.REF_COURT)
    assert court.state == Order.State.STAYED and court.members.count() == 300
    assert not court.effects.exists()
    assert Order.objects.get(reference=demo.REF_STAY).stays == court
    assert set(Order.objects.exclude(pk=court.pk).values_list("state", flat=True)) == {"applied"}
    assert Member.objects.filter(languages__contains="es").count() > 1000

    liaison = User.objects.get(username="mx.liaison")
    assert selectors.roster_counts(liaison, demo.at(2025, 12, 1)).total == 0
    for model in (Member, Unit, Order):
        assert not model.objects.restrict(liaison).exists()
        assert set(model.objects.values_list("rel_to__code", flat=True)) == {"USA"}
        assert set(model.objects.values_list("owner_nation__code", flat=True)) == {"USA"}
    assert not Notification.objects.filter(key__startswith="deadline:order:").exists()


@pytest.mark.django_db
def test_load_demo_twice_duplicates_and_reapplies_nothing():
    def snapshot():
        return {model.__name__: model.objects.count()
                for model in (Unit, Member, Qualification, DutyPeriod, Order, OrderEffect)} | {
            "states": sorted(Order.objects.values_list("reference", "state"))}

    call_command("load_demo", verbosity=0)
    first = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == first
    assert first["Order"] == 7 and first["Unit"] == len(demo.UNITS)
