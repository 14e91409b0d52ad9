"""The mutual-aid demo: the January 2025 Mexican deployment to the Palisades Fire told as it
happened, the Los Cabos hurricane exercise live now, every lifecycle state, signed agreements
that verify, and each nation's view differing; loaded twice it duplicates nothing."""

from datetime import UTC, datetime

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from accounts.models import User
from core.models import Notification
from response import accountability
from response.models import (
    AidAgreement,
    Deployment,
    Incident,
    Offer,
    ResourceRequest,
    RosterMember,
    Unit,
)
from response.services.agreements import verify_agreement


@pytest.mark.django_db
def test_the_demo_tells_both_stories_in_every_state():
    call_command("load_demo", verbosity=0)
    models = (Incident, Unit, ResourceRequest, Offer, AidAgreement, Deployment, RosterMember)
    counts = {model: model.objects.count() for model in models}
    call_command("load_demo", verbosity=0)
    assert {model: model.objects.count() for model in models} == counts

    for model in (ResourceRequest, Offer, Deployment):
        assert set(model.objects.values_list("state", flat=True)) == set(model.State.values)

    cehui = Deployment.objects.get(incident__name_en="Palisades Fire")
    assert cehui.state == Deployment.State.CLOSED and cehui.transport == "air"
    assert cehui.roster.count() == 72
    assert cehui.arrived_at.date() == datetime(2025, 1, 11, tzinfo=UTC).date()
    assert cehui.returned_at.date() == datetime(2025, 1, 25, tzinfo=UTC).date()
    assert cehui.owner_nation.code == "MEX"
    assert not cehui.onboarding_items.filter(done_at__isnull=True).exists()
    assert cehui.agreement.signatures.count() == 3
    for agreement in AidAgreement.objects.all():
        assert verify_agreement(agreement)

    convoy = Deployment.objects.get(name="Cal OES water purification convoy")
    assert convoy.state == Deployment.State.ASSIGNED and convoy.port.key == "2506-C"

    # A person is in one place at a time: nobody is on two teams not yet home, and who is
    # where now counts only those teams (the returned delivery flight's three are home).
    away = RosterMember.objects.exclude(deployment__state__in=("returned", "closed"))
    assert away.values("full_name").distinct().count() == away.count()
    assert away.values("organization", "agency_id").distinct().count() == away.count()
    duty = User.objects.get(username="us.duty")
    assert accountability.who_is_where(duty).count() == away.count() == 52

    us, mx = User.objects.get(username="us.duty"), User.objects.get(username="mx.liaison")
    us_only = ResourceRequest.objects.get(kind__code="USAR-TF-T1")
    mexico_only = Incident.objects.get(name_en="Shelter census, La Paz")
    assert ResourceRequest.objects.restrict(us).filter(pk=us_only.pk).exists()
    assert not ResourceRequest.objects.restrict(mx).filter(pk=us_only.pk).exists()
    assert Incident.objects.restrict(mx).filter(pk=mexico_only.pk).exists()
    assert not Incident.objects.restrict(us).filter(pk=mexico_only.pk).exists()
    assert Unit.objects.restrict(mx).count() < Unit.objects.count()


@pytest.mark.django_db
def test_the_demo_dates_each_step_when_it_happened():
    call_command("load_demo", verbosity=0)
    january_2025 = (datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 2, 1, tzinfo=UTC))
    palisades = Incident.objects.get(name_en="Palisades Fire")
    assert january_2025[0] < palisades.created_at < january_2025[1]
    agreement = AidAgreement.objects.get(request__incident=palisades)
    assert agreement.in_force_at == datetime(2025, 1, 10, 18, tzinfo=UTC)
    signed = [s.signed_at for s in agreement.signatures.order_by("signed_at")]
    assert len(signed) == 3 and all(january_2025[0] < at < january_2025[1] for at in signed)
    assert signed[-1] == agreement.in_force_at
    history = list(LogEntry.objects.get_for_object(agreement))
    assert history and all(january_2025[0] < e.timestamp < january_2025[1] for e in history)
    in_force = next(e for e in history if "in_force_at" in e.changes)
    assert in_force.changes["in_force_at"][1].startswith("2025-01-10 18:00")
    cehui = Deployment.objects.get(agreement=agreement)
    assert january_2025[0] < cehui.created_at < cehui.departed_at

    # The exercise stays relative to now: each agreement is signed before its teams leave.
    hurricane = Incident.objects.get(ics_number="BCS-2026-ODX")
    for deployment in Deployment.objects.filter(incident=hurricane).exclude(departed_at=None):
        in_force = deployment.agreement.in_force_at
        assert hurricane.started_at < in_force < deployment.departed_at
        assert deployment.agreement.signatures.filter(signed_at__gt=in_force).count() == 0
    assert not Notification.objects.filter(created_at__lt=datetime(2024, 12, 1, tzinfo=UTC))
    old = Notification.objects.filter(created_at__lt=datetime(2025, 3, 1, tzinfo=UTC))
    assert old.exists() and not old.filter(read_at=None).exists()
    assert Notification.objects.filter(read_at=None).exists()  # the exercise's latest news
