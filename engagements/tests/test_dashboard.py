"""What waits to be recorded complete, the share recorded complete within 30 days of the end
per fiscal year and quarter, and the engagement exports — each only of what the user may
see."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from engagements.models import AfterActionReport, Engagement
from engagements.selectors import describe_not_recorded, not_yet_recorded, recorded_within_shares
from engagements.tests.aar_factories import make_engagement, make_report, mexico_partnership

PACIFIC = ZoneInfo("America/Los_Angeles")
ES = Engagement.State


@pytest.fixture
def partnership(us_coordinator):
    return mexico_partnership(us_coordinator)


def recorded(engagement, *args):
    """Recorded complete at a Pacific wall-clock moment."""
    engagement.state = ES.RECORDED_COMPLETE
    engagement.recorded_complete_at = datetime(*args, tzinfo=PACIFIC)
    engagement.save()
    return engagement


def cell(shares, year, quarter=None):
    row = next(r for r in shares if r.fiscal_year == year)
    share = row.total if quarter is None else row.quarters[quarter]
    return share.counted, share.on_time, share.open, share.percent


# Not yet recorded complete -----------------------------------------------------------------

def test_not_yet_recorded_lists_executed_and_submitted_engagements_with_their_report(
        us_coordinator, mx_liaison, partnership):
    today = date(2025, 6, 1)
    late = make_engagement(us_coordinator, partnership, title="Late", start=date(2025, 3, 1),
                           end=date(2025, 3, 5))
    submitted = make_engagement(us_coordinator, partnership, title="Submitted",
                                state=ES.AAR_SUBMITTED, start=date(2025, 5, 1),
                                end=date(2025, 5, 20))
    make_report(submitted, state=AfterActionReport.State.SUBMITTED)
    draft = make_engagement(us_coordinator, partnership, title="Draft overdue",
                            start=date(2025, 4, 1), end=date(2025, 4, 10))
    make_report(draft)
    us_only = make_engagement(us_coordinator, partnership, title="US only",
                              start=date(2025, 4, 2), rel_to=())
    for state in (ES.IN_EXECUTION, ES.CANCELLED, ES.CLOSED):
        make_engagement(us_coordinator, partnership, title=str(state), state=state)
    recorded(make_engagement(us_coordinator, partnership, title="Recorded",
                             state=ES.AAR_SUBMITTED), 2025, 3, 20, 12)

    rows = describe_not_recorded(not_yet_recorded(us_coordinator), today)
    assert [r.engagement for r in rows] == [late, us_only, draft, submitted]  # by end
    by_title = {r.engagement.title_en: r for r in rows}
    assert by_title["Late"].days_since_end == (today - date(2025, 3, 5)).days
    assert by_title["Late"].aar_state is None
    assert str(by_title["Late"].aar_state_label) == "Not started"
    assert by_title["Late"].due_date == date(2025, 4, 4) and by_title["Late"].overdue
    assert by_title["Draft overdue"].aar_state == "draft" and by_title["Draft overdue"].overdue
    assert by_title["Submitted"].aar_state == "submitted"
    assert not by_title["Submitted"].overdue  # due 19 June, and submitted anyway
    assert by_title["Late"].engagement.lead == us_coordinator
    assert us_only not in not_yet_recorded(mx_liaison)
    assert not_yet_recorded(mx_liaison).count() == 3


def test_report_state_is_shown_only_when_the_report_is_visible(us_coordinator, mx_liaison,
                                                               partnership):
    engagement = make_engagement(us_coordinator, partnership)
    report = make_report(engagement, state=AfterActionReport.State.RETURNED)
    report.disclosure = "in_review"
    report.save()
    assert not_yet_recorded(us_coordinator).get().aar_state == "returned"
    assert not_yet_recorded(mx_liaison).get().aar_state is None


def test_the_dashboard_page_does_not_grow_queries_per_engagement(client_for, us_coordinator,
                                                                  partnership):
    client = client_for(us_coordinator)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("engagements:dashboard")).status_code == 200
        return len(ctx)

    make_engagement(us_coordinator, partnership, title="One")
    before = queries()
    for n, start in enumerate((date(2024, 11, 4), date(2025, 2, 3), date(2025, 8, 4))):
        engagement = make_engagement(us_coordinator, partnership, title=f"More {n}",
                                     start=start)
        make_report(engagement, attendance=3)
    recorded(make_engagement(us_coordinator, partnership, title="Done",
                             start=date(2023, 1, 9)), 2023, 1, 20, 9)
    assert queries() == before


def test_dashboard_page_shows_both_figures(client_for, us_coordinator, partnership):
    make_engagement(us_coordinator, partnership, title="Border medical exchange",
                    start=date(2024, 1, 8))
    response = client_for(us_coordinator).get(reverse("engagements:dashboard"))
    text = response.content.decode()
    assert "Border medical exchange" in text and "overdue" in text
    assert response.context["page"].paginator.count == 1
    assert [y.fiscal_year for y in response.context["shares"]] == [2024]


# The share recorded complete within 30 days ------------------------------------------------

def test_share_within_30_days_at_fiscal_year_and_quarter_boundaries(us_coordinator,
                                                                    mx_liaison, partnership):
    today = date(2025, 12, 15)
    # FY 2024 Q4 (30 Sep): recorded at 23:30 Pacific on the 30th day — on time, although it is
    # already the 31st day in UTC.
    recorded(make_engagement(us_coordinator, partnership, start=date(2024, 9, 30),
                             end=date(2024, 9, 30)), 2024, 10, 30, 23, 30)
    # FY 2025 Q1 (1 Oct): recorded early on the 31st day — late.
    recorded(make_engagement(us_coordinator, partnership, start=date(2024, 10, 1),
                             end=date(2024, 10, 3)), 2024, 11, 3, 0, 30)
    # FY 2025 Q1 (31 Dec), ending in the next quarter: on time.
    recorded(make_engagement(us_coordinator, partnership, start=date(2024, 12, 31),
                             end=date(2025, 1, 2)), 2025, 1, 10, 9)
    # FY 2025 Q2 (1 Jan): executed, never recorded — counted, not on time.
    make_engagement(us_coordinator, partnership, start=date(2025, 1, 1), end=date(2025, 1, 2))
    # FY 2025 Q2: US-only, on time — not for Mexico's eyes.
    recorded(make_engagement(us_coordinator, partnership, start=date(2025, 3, 3), rel_to=()),
             2025, 3, 10, 9)
    # Cancelled and planned engagements did not take place.
    make_engagement(us_coordinator, partnership, state=ES.CANCELLED, start=date(2025, 2, 3))
    make_engagement(us_coordinator, partnership, state=ES.READY, start=date(2025, 2, 3))
    # FY 2026 Q1: ended 10 days ago, still inside its window — open, not counted yet.
    make_engagement(us_coordinator, partnership, start=date(2025, 12, 1), end=date(2025, 12, 5))
    # FY 2026 Q1: ended 5 days ago and already recorded — counted, on time.
    recorded(make_engagement(us_coordinator, partnership, start=date(2025, 12, 8),
                             end=date(2025, 12, 10)), 2025, 12, 12, 9)
    # Not ended yet: nothing to count.
    make_engagement(us_coordinator, partnership, state=ES.IN_EXECUTION,
                    start=date(2025, 12, 14), end=date(2025, 12, 20))

    shares = recorded_within_shares(us_coordinator, today=today)
    assert [y.fiscal_year for y in shares] == [2026, 2025, 2024]
    assert cell(shares, 2024, 4) == (1, 1, 0, 100)
    assert cell(shares, 2024, 1) == (0, 0, 0, None)
    assert cell(shares, 2025, 1) == (2, 1, 0, 50)
    assert cell(shares, 2025, 2) == (2, 1, 0, 50)
    assert cell(shares, 2025) == (4, 2, 0, 50)
    assert cell(shares, 2026, 1) == (1, 1, 1, 100)

    partner = recorded_within_shares(mx_liaison, today=today)
    assert cell(partner, 2025, 2) == (1, 0, 0, 0)
    assert cell(partner, 2025) == (3, 1, 0, 33)


def test_the_window_is_one_aggregate_query(us_coordinator, partnership):
    for start in (date(2024, 10, 7), date(2025, 1, 6), date(2025, 4, 7), date(2025, 7, 7)):
        make_engagement(us_coordinator, partnership, start=start)
    with CaptureQueriesContext(connection) as ctx:
        shares = recorded_within_shares(us_coordinator, today=date(2025, 12, 1))
    assert len(ctx) == 1 and cell(shares, 2025) == (4, 0, 0, 0)


# The web dashboard and the API -------------------------------------------------------------

def test_web_dashboard_links_to_it_only_for_those_who_see_engagements(client_for, make_user,
                                                                      us_coordinator,
                                                                      partnership):
    make_engagement(us_coordinator, partnership)
    page = client_for(us_coordinator).get(reverse("web:dashboard"))
    assert page.context["not_recorded_count"] == 1
    assert reverse("engagements:dashboard") in page.content.decode()
    nobody = make_user("t.no.role", "CalGuard", role=None)
    page = client_for(nobody).get(reverse("web:dashboard"))
    assert page.context["not_recorded_count"] is None
    assert reverse("engagements:dashboard") not in page.content.decode()
    assert client_for(nobody).get(reverse("engagements:dashboard")).status_code == 403


def test_api_dashboard_figures(client_for, us_coordinator, mx_liaison, partnership):
    make_engagement(us_coordinator, partnership, title="Shared", start=date(2024, 2, 5))
    make_engagement(us_coordinator, partnership, title="Ours", start=date(2024, 2, 12),
                    rel_to=())
    body = client_for(us_coordinator).get("/api/v1/dashboards/engagements").json()
    assert body["not_recorded_count"] == 2 and body["window_days"] == 30
    assert body["not_recorded"][0]["aar_state"] == "not_started"
    assert body["not_recorded"][0]["overdue"] is True
    assert body["recorded_within"][0]["fiscal_year"] == 2024
    assert body["recorded_within"][0]["q2"] == {"counted": 2, "on_time": 0, "open": 0,
                                                "percent": 0}
    partner = client_for(mx_liaison).get("/api/v1/dashboards/engagements").json()
    assert [r["title_en"] for r in partner["not_recorded"]] == ["Shared"]


# Exports -----------------------------------------------------------------------------------

@pytest.fixture
def three(us_coordinator, partnership):
    return (
        make_engagement(us_coordinator, partnership, title="Shared FY25",
                        start=date(2024, 11, 4)),
        make_engagement(us_coordinator, partnership, title="US-only FY25",
                        start=date(2025, 2, 3), rel_to=()),
        make_engagement(us_coordinator, partnership, title="=Shared FY26 concept",
                        start=date(2025, 11, 3), state=ES.CONCEPT),
    )


def csv_text(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_csv_export_is_restricted_and_filtered(client_for, us_coordinator, mx_liaison, three):
    url = reverse("engagements:export")
    us = csv_text(client_for(us_coordinator).get(url))
    assert "Shared FY25" in us and "US-only FY25" in us
    assert "'=Shared FY26 concept" in us  # never a formula
    mx = csv_text(client_for(mx_liaison).get(url))
    assert "Shared FY25" in mx and "US-only FY25" not in mx
    filtered = csv_text(client_for(us_coordinator).get(url, {"fiscal_year": 2025,
                                                             "state": "executed"}))
    assert len(filtered.splitlines()) == 3
    assert "FY26" not in filtered
    by_type = csv_text(client_for(us_coordinator).get(url, {"type": "exercise"}))
    assert len(by_type.splitlines()) == 1


def test_xlsx_export_is_restricted(client_for, us_coordinator, mx_liaison, three):
    def rows(user, **params):
        response = client_for(user).get(reverse("engagements:export"),
                                        {"format": "xlsx", **params})
        assert response["Content-Type"].startswith(
            "application/vnd.openxmlformats-officedocument.spreadsheetml")
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        return [row for row in sheet.iter_rows(values_only=True)][1:]

    us = rows(us_coordinator)
    assert [r[1] for r in us] == ["Shared FY25", "US-only FY25", "=Shared FY26 concept"]
    assert us[0][6].date() == date(2024, 11, 4)
    assert [r[1] for r in rows(mx_liaison)] == ["Shared FY25", "=Shared FY26 concept"]
    assert [r[1] for r in rows(mx_liaison, quarter=1, fiscal_year=2026)] == [
        "=Shared FY26 concept"]


def test_api_export(client_for, us_coordinator, mx_liaison, three):
    mx = client_for(mx_liaison).get("/api/v1/exports/engagements", {"fiscal_year": 2025})
    text = csv_text(mx)
    assert "Shared FY25" in text and "US-only" not in text and "FY26" not in text
    xlsx = client_for(us_coordinator).get("/api/v1/exports/engagements", {"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx["Content-Disposition"].endswith('.xlsx"')
    bad = client_for(us_coordinator).get("/api/v1/exports/engagements", {"quarter": 5})
    assert bad.status_code == 422


def test_dates_in_the_not_recorded_rows_use_the_due_setting(settings, us_coordinator,
                                                            partnership):
    settings.AAR_DUE_DAYS = 45
    engagement = make_engagement(us_coordinator, partnership, end=date(2025, 3, 7))
    row = describe_not_recorded(not_yet_recorded(us_coordinator), date(2025, 4, 15))[0]
    assert row.due_date == engagement.end_date + timedelta(days=45) and not row.overdue
