"""The personnel pages name the reader's time zone as the reader chose it, in their language,
never by its raw identifier."""

import pytest
from django.urls import reverse

from accounts.models import Nation
from personnel import services
from personnel.models import Unit


@pytest.mark.parametrize(("zone", "language", "name"), [
    ("America/Los_Angeles", "en", "California (Pacific time)"),
    ("America/Los_Angeles", "es", "California (hora del Pacífico)"),
    ("America/Mazatlan", "en", "Baja California Sur (Mazatlán)"),
    ("America/Mazatlan", "es", "Baja California Sur (Mazatlán)")])
def test_the_time_zone_reads_by_its_name(client_for, make_user, zone, language, name):
    j1 = make_user("t.j1", "CalGuard", "personnel_officer")
    j1.time_zone = zone
    j1.save(update_fields=["time_zone"])
    usa = Nation.objects.get(code="USA")
    unit = Unit.objects.create(code="1-184IN", name="1st Battalion, 184th Infantry",
                               station="Modesto", owner_nation=usa)
    unit.rel_to.set([usa])
    soldier = services.create_member(j1, service_number="100", last_name="Soto",
                                     first_name="Ana", grade="E-4", unit=unit)
    client = client_for(j1, headers={"Accept-Language": language})
    for url in (reverse("personnel:roster"), soldier.get_absolute_url(),
                reverse("personnel:order_create")):
        page = client.get(url).content.decode()
        assert name in page, url
        assert zone not in page, url
