"""The fiscal-year calendar and the personal iCalendar feed: only what the user may see, the
feed readable by a calendar program without a session, and gone once revoked."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from engagements.fiscal import FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR
from engagements.models import CalendarFeed, Engagement
from engagements.selectors import current_fiscal_year, fiscal_calendar
from engagements.services import feeds
from engagements.tests.aar_factories import make_engagement, mexico_partnership
from partnerships.tests.factories import make_partnership

ES = Engagement.State


@pytest.fixture
def partnership(us_coordinator):
    return mexico_partnership(us_coordinator)


@pytest.fixture
def year(us_coordinator, partnership):
    """FY 2026 (Oct 2025 – Sep 2026) and one engagement of FY 2025 and FY 2027."""
    return {
        "first": make_engagement(us_coordinator, partnership, title="First day",
                                 start=date(2025, 10, 1), end=date(2025, 10, 3),
                                 state=ES.APPROVED),
        "hidden": make_engagement(us_coordinator, partnership, title="US-only planning",
                                  start=date(2025, 10, 20), state=ES.CONCEPT, rel_to=()),
        "cancelled": make_engagement(us_coordinator, partnership, title="Hurricane drill",
                                     title_es="Simulacro de huracán", start=date(2026, 2, 9),
                                     end=date(2026, 2, 13), state=ES.CANCELLED),
        "last": make_engagement(us_coordinator, partnership, title="Last day",
                                start=date(2026, 9, 30), end=date(2026, 10, 2),
                                state=ES.FUNDED),
        "before": make_engagement(us_coordinator, partnership, title="Previous year",
                                  start=date(2025, 9, 30)),
        "after": make_engagement(us_coordinator, partnership, title="Next year",
                                 start=date(2026, 10, 1), state=ES.CONCEPT),
    }


# The fiscal-year calendar ------------------------------------------------------------------

def test_calendar_groups_the_fiscal_year_by_month(us_coordinator, mx_liaison, year):
    months = fiscal_calendar(us_coordinator, 2026)
    assert [m for m, _items in months][:3] == [date(2025, 10, 1), date(2025, 11, 1),
                                               date(2025, 12, 1)]
    assert months[-1][0] == date(2026, 9, 1) and len(months) == 12
    by_month = {m: [e.title_en for e in items] for m, items in months}
    assert by_month[date(2025, 10, 1)] == ["First day", "US-only planning"]
    assert by_month[date(2026, 2, 1)] == ["Hurricane drill"]
    assert by_month[date(2026, 9, 1)] == ["Last day"]
    assert sum(len(items) for _m, items in months) == 4
    partner = {m: [e.title_en for e in items] for m, items in fiscal_calendar(mx_liaison, 2026)}
    assert partner[date(2025, 10, 1)] == ["First day"]


def test_calendar_page_shows_the_state_and_defaults_to_the_current_year(client_for,
                                                                        us_coordinator,
                                                                        mx_liaison, year):
    page = client_for(mx_liaison).get(reverse("engagements:calendar", args=[2026]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "First day" in text and "Approved" in text and "Cancelled" in text
    assert "US-only planning" not in text and "Next year" not in text
    current = client_for(us_coordinator).get(reverse("engagements:calendar"))
    assert current.context["fy"] == current_fiscal_year()
    for outside in (FIRST_FISCAL_YEAR - 1, LAST_FISCAL_YEAR + 1):
        assert client_for(us_coordinator).get(
            reverse("engagements:calendar", args=[outside])).status_code == 404


def test_calendar_filters_by_partnership(client_for, us_coordinator, partnership, year):
    ukraine = make_partnership(us_coordinator, partner="UKR")
    make_engagement(us_coordinator, ukraine, title="Kyiv workshop", start=date(2025, 11, 3))
    client = client_for(us_coordinator)
    url = reverse("engagements:calendar", args=[2026])
    assert "Kyiv workshop" in client.get(url).content.decode()
    only_mexico = client.get(url, {"partnership": partnership.pk}).content.decode()
    assert "Kyiv workshop" not in only_mexico and "First day" in only_mexico


# The iCalendar feed ------------------------------------------------------------------------

def feed_for(user, partnership, language="en"):
    _feed, key = feeds.create_calendar_feed(user, partnership, language=language)
    return reverse("engagements:calendar_feed", args=[key])


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def events(calendar):
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_is_rfc5545_and_holds_only_what_the_user_may_see(us_coordinator, mx_liaison,
                                                                  partnership, year):
    anonymous = Client()
    mx = events(parse(anonymous.get(feed_for(mx_liaison, partnership))))
    assert "US-only planning" not in mx
    assert {"First day", "Hurricane drill", "Last day", "Previous year", "Next year"} <= set(mx)
    us = events(parse(anonymous.get(feed_for(us_coordinator, partnership))))
    assert "US-only planning" in us

    first = mx["First day"]
    engagement = year["first"]
    assert str(first["UID"]).startswith(f"engagement-{engagement.pk}@")
    assert first.decoded("DTSTART") == date(2025, 10, 1)
    assert first.decoded("DTEND") == date(2025, 10, 3) + timedelta(days=1)  # exclusive
    assert first["DTSTART"].params.get("VALUE") == "DATE"
    assert str(first["LOCATION"]) == "Tijuana, BC"
    assert str(first["STATUS"]) == "CONFIRMED"
    assert str(first["URL"]).endswith(engagement.get_absolute_url())
    assert str(mx["Hurricane drill"]["STATUS"]) == "CANCELLED"
    assert str(mx["Next year"]["STATUS"]) == "TENTATIVE"


def test_the_feed_speaks_the_language_it_was_made_in(mx_liaison, partnership, year):
    spanish = events(parse(Client().get(feed_for(mx_liaison, partnership, language="es"))))
    assert "Simulacro de huracán" in spanish and "Hurricane drill" not in spanish


def test_a_revoked_or_unknown_key_is_not_found(us_coordinator, mx_liaison, partnership, year):
    feed, key = feeds.create_calendar_feed(mx_liaison, partnership)
    url = reverse("engagements:calendar_feed", args=[key])
    assert Client().get(url).status_code == 200
    assert key not in CalendarFeed.objects.values_list("key_hash", flat=True)
    assert feed.key_hash == CalendarFeed.hash_key(key)
    with pytest.raises(PermissionDenied):
        feeds.revoke_calendar_feed(us_coordinator, feed)
    feeds.revoke_calendar_feed(mx_liaison, feed)
    assert Client().get(url).status_code == 404
    unknown = reverse("engagements:calendar_feed", args=[CalendarFeed.new_key()])
    assert Client().get(unknown).status_code == 404


def test_a_feed_of_a_partnership_no_longer_released_is_not_found(us_coordinator, mx_liaison,
                                                                  partnership, year):
    url = feed_for(mx_liaison, partnership)
    partnership.rel_to.set(partnership.rel_to.filter(code="USA"))
    assert Client().get(url).status_code == 404


def test_feeds_are_made_and_revoked_on_their_page(client_for, mx_liaison, us_coordinator,
                                                  partnership, year):
    client = client_for(mx_liaison)
    page = reverse("engagements:calendar_feeds")
    ukraine = make_partnership(us_coordinator, partner="UKR")
    refused = client.post(page, {"partnership": ukraine.pk, "language": "es"})
    assert refused.status_code == 200 and "partnership" in refused.context["form"].errors
    made = client.post(page, {"partnership": partnership.pk, "language": "es"})
    url = made.context["feed_url"]
    assert url.startswith("http://testserver/engagements/calendar/feeds/cal_")
    assert "Simulacro de huracán" in events(parse(Client().get(url)))
    feed = mx_liaison.calendar_feeds.get()
    assert feed.language == "es"
    assert url not in client.get(page).content.decode()  # shown once
    revoked = client.post(reverse("engagements:calendar_feed_revoke", args=[feed.pk]))
    assert revoked.status_code == 302
    assert Client().get(url).status_code == 404
    other = client_for(us_coordinator).post(
        reverse("engagements:calendar_feed_revoke", args=[feed.pk]))
    assert other.status_code == 404
