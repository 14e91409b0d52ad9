"""A measurement's evidence through the one rule (core.related): a Mexican user reading a
measurement released to Mexico never reads the title of its US-only evidence engagement, on
its page or in its history (page and API)."""

from datetime import date

from django.urls import reverse

from core.testing import assert_related_hidden
from engagements.tests.factories import make_engagement
from partnerships.tests.factories import make_measurement, make_program


def test_a_us_only_evidence_engagement_is_not_named(client_for, us_coordinator, mx_liaison):
    partnership, _line, _objective, indicator = make_program(us_coordinator)
    engagement = make_engagement(us_coordinator, partnership, rel_to=("USA",),
                                 title="Zulu drill")
    measurement = make_measurement(us_coordinator, indicator, 5, date(2025, 5, 5),
                                   engagement=engagement)
    assert_related_hidden(
        owner=us_coordinator, reader=mx_liaison, secret="Zulu drill",
        paths=[reverse("partnerships:measurement", args=[measurement.pk]),
               f"/api/v1/measurements/{measurement.pk}/history"])
    # The page's evidence itself says what it withholds, not only the history below it.
    page = client_for(mx_liaison).get(measurement.get_absolute_url()).content.decode()
    assert ('<span data-testid="evidence-engagement"><span class="not-released">'
            "a record not released to you</span></span>") in page


def test_progress_names_no_evidence_engagement_the_reader_may_not_see(us_coordinator,
                                                                     mx_liaison):
    """The progress page and API, the indicator's page and the measurement list show the
    measurement and, for its US-only engagement, "a record not released to you"."""
    partnership, _line, _objective, indicator = make_program(us_coordinator)
    engagement = make_engagement(us_coordinator, partnership, rel_to=("USA",),
                                 title="Zulu drill")
    make_measurement(us_coordinator, indicator, 5, date(2025, 5, 5), engagement=engagement)
    assert_related_hidden(
        owner=us_coordinator, reader=mx_liaison, secret="Zulu drill",
        paths=[reverse("partnerships:progress", args=[partnership.pk]),
               f"/api/v1/partnerships/{partnership.pk}/progress",
               indicator.get_absolute_url(),
               reverse("partnerships:measurements")])
