"""The personnel pages name the reader's time zone as the reader chose it, in their language,
never by its raw identifier."""

import pytest
from django.urls import reverse

from personnel.tests.factories import make_member


@pytest.mark.parametrize(("zone", "language", "name"), [
    ("America/Los_Angeles", "en", "California (Pacific time)"),
    ("America/Los_Angeles", "es", "California (hora del Pacífico)"),
    ("America/Mazatlan", "en", "Baja California Sur (Mazatlán)"),
    ("America/Mazatlan", "es", "Baja California Sur (Mazatlán)")])
def test_the_time_zone_reads_by_its_name(client_for, persona_of, zone, language, name):
    j1 = persona_of("personnel_officer")
    j1.time_zone = zone
    j1.save(update_fields=["time_zone"])
    soldier = make_member("100")
    client = client_for(j1, headers={"Accept-Language": language})
    for url in (reverse("personnel:roster"), soldier.get_absolute_url(),
                reverse("personnel:order_create")):
        page = client.get(url).content.decode()
        assert name in page, url
        assert zone not in page, url
