"""Durations, numbers, amounts and time zones as the reader reads them, in both languages."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core import humanize


@pytest.mark.parametrize(("language", "minutes", "shown"), [
    ("en", 7506, "5 d 5 h"), ("es", 7506, "5 días 5 h"),
    ("en", 1440, "1 d"), ("es", 1440, "1 día"),
    ("en", 200, "3 h 20 min"), ("es", 200, "3 h 20 min"),
    ("en", 45, "45 min"), ("es", 0, "0 min"),
])
def test_a_duration_reads_in_days_hours_and_minutes(language, minutes, shown):
    with translation.override(language):
        assert humanize.duration(minutes) == shown


@pytest.mark.parametrize("language", ["en", "es"])
def test_numbers_and_amounts_follow_the_locale_with_their_currency(language):
    with translation.override(language):
        assert humanize.grouped(3590) == "3,590"
        # Rounded to the places shown, never cut off.
        assert humanize.grouped(1234.56789, 2) == "1,234.57"
        assert humanize.grouped(12000000.6, 0) == "12,000,001"
        assert humanize.grouped(Decimal("2.999"), 2) == "3.00"
        assert humanize.money(Decimal("84000"), "USD") == "84,000.00\N{NO-BREAK SPACE}USD"
        rendered = Template("{% load enlace %}{{ cost|money:'MXN' }} · {{ late|duration }}"
                            ).render(Context({"cost": Decimal("1234.5"), "late": 7506}))
    assert rendered.startswith("1,234.50\N{NO-BREAK SPACE}MXN · 5 ")


@pytest.mark.parametrize(("language", "name"), [
    ("en", "California (Pacific time)"), ("es", "California (hora del Pacífico)")])
def test_a_time_zone_reads_by_its_name_not_its_id(language, name):
    with translation.override(language):
        assert humanize.time_zone_name("America/Los_Angeles") == name
        assert humanize.time_zone_name("Europe/Kyiv") == "Europe/Kyiv"
