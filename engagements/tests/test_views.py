"""The engagement pages: releasability on every read path, the list with its filters (and a
constant number of queries), the detail with participants, gates and the transitions the user
may take, the readiness checklist, and what a partner's liaison may do through the pages."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.testing import ReleasabilityCase, assert_releasability
from engagements.models import BudgetLine, Engagement, Participation, Person
from engagements.services import engagements as engagement_services
from engagements.services import lifecycle
from engagements.tests.factories import (
    add_budget,
    make_engagement,
    make_person,
    mexico,
    nations,
)
from partnerships.tests.factories import make_partnership
from personnel.models import DutyStatus
from personnel.tests.factories import make_member

S = Engagement.State


def text(response):
    return response.content.decode()


# Releasability on every read path ------------------------------------------------------------

def test_engagements_obey_releasability(us_coordinator, mx_liaison):
    case = ReleasabilityCase(
        make=lambda user: make_engagement(user, title="Sierra Lima exercise"),
        list_url=reverse("engagements:list"),
        detail_url=lambda e: reverse("engagements:detail", args=[e.pk]),
        api_list_url="/api/v1/engagements",
        api_detail_url=lambda e: f"/api/v1/engagements/{e.pk}",
        export_url=None,
        text=lambda e: e.title_en,
        parents=lambda e: [e.partnership],
    )
    assert_releasability(case, us_user=us_coordinator, mx_user=mx_liaison)


def test_people_obey_releasability(us_coordinator, mx_liaison):
    case = ReleasabilityCase(
        make=lambda user: make_person(user, "Zamorano Quintero", nation="USA"),
        list_url=reverse("engagements:people"),
        detail_url=lambda p: reverse("engagements:person", args=[p.pk]),
        api_list_url="/api/v1/engagements/people",
        api_detail_url=lambda p: f"/api/v1/engagements/people/{p.pk}",
        export_url=None,
        text=lambda p: p.full_name,
    )
    assert_releasability(case, us_user=us_coordinator, mx_user=mx_liaison)


def test_participants_obey_releasability(us_coordinator, mx_liaison):
    engagement = make_engagement(us_coordinator)
    case = ReleasabilityCase(
        make=lambda user: engagement_services.add_participant(
            user, engagement, make_person(user, "Zamorano Quintero", nation="USA")),
        list_url=reverse("engagements:detail", args=[engagement.pk]),
        detail_url=lambda p: reverse("engagements:participant", args=[p.pk]),
        api_list_url=f"/api/v1/engagements/{engagement.pk}/participants",
        api_detail_url=lambda p: f"/api/v1/engagements/participants/{p.pk}",
        export_url=None,
        text=lambda p: p.person.full_name,
        parents=lambda p: [p.engagement, p.engagement.partnership],
    )
    assert_releasability(case, us_user=us_coordinator, mx_user=mx_liaison)


def test_budget_lines_obey_releasability(us_coordinator, mx_liaison):
    engagement = make_engagement(us_coordinator)
    case = ReleasabilityCase(
        make=lambda user: engagement_services.create_budget_line(
            user, engagement, description="Sierra fuel allowance", amount="900.00",
            fund_source="SPP O&M"),
        list_url=reverse("engagements:detail", args=[engagement.pk]),
        detail_url=lambda b: reverse("engagements:budget_line", args=[b.pk]),
        api_list_url=f"/api/v1/engagements/{engagement.pk}/budget-lines",
        api_detail_url=lambda b: f"/api/v1/engagements/budget-lines/{b.pk}",
        export_url=None,
        text=lambda b: b.description,
        parents=lambda b: [b.engagement, b.engagement.partnership],
    )
    assert_releasability(case, us_user=us_coordinator, mx_user=mx_liaison)


def test_a_partnership_not_released_is_not_named(client_for, us_coordinator, mx_liaison):
    ukraine = make_partnership(us_coordinator, partner="UKR", name_en="Kilo pairing")
    # The service refuses to release it wider than its partnership; written straight to the
    # database, Mexico still sees neither (the partnership is the engagement's parent).
    engagement = make_engagement(us_coordinator, ukraine, title="Shared event", rel_to=())
    engagement.rel_to.add(*nations("MEX"))
    page = text(client_for(mx_liaison).get(reverse("engagements:list")))
    assert "Shared event" not in page and "Kilo pairing" not in page
    assert client_for(mx_liaison).get(engagement.get_absolute_url()).status_code == 404


# The list ------------------------------------------------------------------------------------

@pytest.fixture
def spread(us_coordinator):
    """Engagements across fiscal years, quarters, states, types and partnerships."""
    partnership = mexico(us_coordinator)
    ukraine = make_partnership(us_coordinator, partner="UKR", rel_to=("MEX",))
    made = {
        "sep": make_engagement(us_coordinator, partnership, title="September seminar",
                               start=date(2025, 9, 30), end=date(2025, 9, 30)),
        "oct": make_engagement(us_coordinator, partnership, title="October workshop",
                               start=date(2025, 10, 1), type=Engagement.Type.WORKSHOP,
                               location="Ensenada"),
        "may": make_engagement(us_coordinator, ukraine, title="May exercise",
                               start=date(2026, 5, 4), type=Engagement.Type.EXERCISE),
    }
    lifecycle.transition(us_coordinator, made["may"], S.NOMINATED)
    return made


@pytest.mark.parametrize("query, expected", [
    ({}, ["September seminar", "October workshop", "May exercise"]),
    ({"fiscal_year": "2026"}, ["October workshop", "May exercise"]),
    ({"fiscal_year": "2025"}, ["September seminar"]),
    ({"fiscal_year": "2026", "quarter": "1"}, ["October workshop"]),
    ({"quarter": "3"}, ["May exercise"]),
    ({"state": "nominated"}, ["May exercise"]),
    ({"type": "workshop"}, ["October workshop"]),
    ({"q": "ensenada"}, ["October workshop"]),
    ({"q": "SEMINAR"}, ["September seminar"]),
])
def test_list_filters(client_for, us_coordinator, spread, query, expected):
    response = client_for(us_coordinator).get(reverse("engagements:list"), query)
    assert [e.title_en for e in response.context["page"]] == expected


def test_list_filters_by_partnership(client_for, us_coordinator, spread):
    partnership = spread["may"].partnership_id
    response = client_for(us_coordinator).get(reverse("engagements:list"),
                                               {"partnership": partnership})
    assert [e.title_en for e in response.context["page"]] == ["May exercise"]


def test_list_htmx_partial_and_empty_state(client_for, us_coordinator, spread):
    partial = client_for(us_coordinator).get(reverse("engagements:list"), {"q": "nothing"},
                                             headers={"HX-Request": "true"})
    body = text(partial)
    assert "<html" not in body and "No engagement matches" in body


def test_list_invalid_filter_is_shown_and_ignored(client_for, us_coordinator, spread):
    response = client_for(us_coordinator).get(reverse("engagements:list"),
                                              {"quarter": "9", "fiscal_year": "x"})
    assert response.status_code == 200
    assert 'data-testid="filter-errors"' in text(response)
    assert len(response.context["page"].object_list) == 3


def test_list_queries_do_not_grow_with_engagements(client_for, us_coordinator):
    client = client_for(us_coordinator)
    partnership = mexico(us_coordinator)
    make_engagement(us_coordinator, partnership)

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    urls = (reverse("engagements:list"), "/api/v1/engagements")
    before = [queries(url) for url in urls]
    ukraine = make_partnership(us_coordinator, partner="UKR", rel_to=("MEX",))
    for n in range(5):
        make_engagement(us_coordinator, ukraine if n % 2 else partnership, title=f"Event {n}",
                        start=date(2026, 1 + n, 5), rel_to=("MEX",))
    assert [queries(url) for url in urls] == before
    assert len(client.get(urls[0]).context["page"].object_list) == 6


def test_nav_shows_engagements(client_for, us_coordinator, mx_liaison):
    for user in (us_coordinator, mx_liaison):
        assert reverse("engagements:list") in text(client_for(user).get("/"))


@pytest.mark.parametrize("language", ["en", "es"])
def test_every_page_renders_in_both_languages(client_for, us_coordinator, language):
    engagement = make_engagement(us_coordinator)
    person = make_person(us_coordinator, "Juan Pérez", nation="USA")
    participation = engagement_services.add_participant(us_coordinator, engagement, person)
    line = add_budget(us_coordinator, engagement)
    client = client_for(us_coordinator, headers={"Accept-Language": language})
    for url in (reverse("engagements:list"), reverse("engagements:create"),
                engagement.get_absolute_url(), reverse("engagements:update", args=[engagement.pk]),
                reverse("engagements:checklist", args=[engagement.pk]),
                reverse("engagements:marking", args=[engagement.pk]),
                reverse("engagements:participant_add", args=[engagement.pk]),
                reverse("engagements:participant", args=[participation.pk]),
                reverse("engagements:participant_update", args=[participation.pk]),
                reverse("engagements:budget_line_add", args=[engagement.pk]),
                reverse("engagements:budget_line", args=[line.pk]),
                reverse("engagements:budget_line_update", args=[line.pk]),
                reverse("engagements:people"), reverse("engagements:person", args=[person.pk]),
                reverse("engagements:person_create"),
                reverse("engagements:person_update", args=[person.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language


# Detail, transitions, checklist --------------------------------------------------------------

def test_detail_shows_participants_gates_budget_and_transitions(client_for, us_coordinator,
                                                                mx_liaison):
    engagement = make_engagement(us_coordinator)
    engagement_services.register_participant(mx_liaison, engagement, full_name="Capitán Luis López",
                                             nation=nations("MEX")[0],
                                             role=Person.Role.PARTNER_MILITARY, security_force=True)
    add_budget(us_coordinator, engagement, state=BudgetLine.State.PLANNED)
    page = text(client_for(us_coordinator).get(engagement.get_absolute_url()))
    assert "Capitán Luis López" in page
    assert 'data-testid="gate-vetting"' in page and "Leahy vetting: Pending" in page
    assert "Vetting pending for Capitán Luis López." in page
    assert "Travel" in page and "Planned" in page
    assert 'data-testid="transition-nominated"' in page
    assert 'data-testid="transition-cancelled"' in page
    assert 'data-testid="transition-ready"' not in page  # not from "concept"
    assert reverse("engagements:update", args=[engagement.pk]) in page


def test_partner_sees_no_transitions_and_cannot_edit(client_for, us_coordinator, mx_liaison):
    engagement = make_engagement(us_coordinator)
    client = client_for(mx_liaison)
    page = text(client.get(engagement.get_absolute_url()))
    assert 'data-testid="transition-' not in page
    assert reverse("engagements:update", args=[engagement.pk]) not in page
    assert client.get(reverse("engagements:update", args=[engagement.pk])).status_code == 404
    assert client.get(reverse("engagements:marking", args=[engagement.pk])).status_code == 404
    assert client.get(reverse("engagements:budget_line_add",
                              args=[engagement.pk])).status_code in (403, 404)
    response = client.post(reverse("engagements:transition", args=[engagement.pk, "nominated"]),
                           follow=True)
    assert "Only the owning nation" in text(response) or "does not allow" in text(response)
    engagement.refresh_from_db()
    assert engagement.state == S.CONCEPT


def test_transition_through_the_page(client_for, us_coordinator):
    engagement = make_engagement(us_coordinator)
    client = client_for(us_coordinator)
    url = reverse("engagements:transition", args=[engagement.pk, "nominated"])
    response = client.post(url, follow=True)
    assert "The engagement is now nominated." in text(response)
    lifecycle.transition(us_coordinator, engagement, S.APPROVED)
    response = client.post(reverse("engagements:transition", args=[engagement.pk, "funded"]),
                           follow=True)
    assert "at least one budget line" in text(response)
    engagement.refresh_from_db()
    assert engagement.state == S.APPROVED
    # A disabled button says why.
    assert 'data-testid="transition-funded" disabled' in text(response)


def test_record_complete_through_the_page_takes_the_reference(client_for, us_coordinator):
    from engagements.models import AfterActionReport

    engagement = make_engagement(us_coordinator)
    Engagement.objects.filter(pk=engagement.pk).update(state=S.AAR_SUBMITTED)
    AfterActionReport.objects.create(engagement=engagement, owner_nation=engagement.owner_nation,
                                     state=AfterActionReport.State.APPROVED)
    client = client_for(us_coordinator)
    url = reverse("engagements:transition", args=[engagement.pk, "recorded_complete"])
    assert "tracking system reference" in text(client.post(url, follow=True))
    client.post(url, {"tracking_reference": "G-77"})
    engagement.refresh_from_db()
    assert engagement.state == S.RECORDED_COMPLETE and engagement.tracking_reference == "G-77"


def test_checklist_page_shows_what_blocks_ready(client_for, us_coordinator, mx_liaison):
    engagement = make_engagement(us_coordinator, start=date.today() + timedelta(days=10),
                                 partner_non_military=True)
    engagement_services.register_participant(mx_liaison, engagement, full_name="Capitán Luis López",
                                             nation=nations("MEX")[0],
                                             role=Person.Role.PARTNER_MILITARY, security_force=True)
    american = make_person(us_coordinator, "Juan Pérez", nation="USA")
    engagement_services.add_participant(us_coordinator, engagement, american,
                                        country_clearance="submitted",
                                        clearance_submitted_on=date.today())
    member = make_member("G300", status=DutyStatus.SAD)
    soldier = make_person(us_coordinator, "Sgt. Rosa Vega", nation="USA", guard_member=member)
    engagement_services.add_participant(us_coordinator, engagement, soldier,
                                        country_clearance="approved")
    url = reverse("engagements:checklist", args=[engagement.pk])
    page = text(client_for(us_coordinator).get(url))
    for expected in ("Vetting pending for Capitán Luis López.", "Budget not allotted.",
                     "Country clearance submitted but not yet approved for Juan Pérez.",
                     "was submitted less than 21 days before the start",
                     "Members abroad must be on Title 10 orders",
                     "requires notice to Congress at least 15 days before"):
        assert expected in page, expected
    # The partner reads whether duty status is cleared, not why; the person is released to
    # Mexico, the personnel record never.
    partner_page = text(client_for(mx_liaison).get(url))
    assert "Duty status not yet cleared for Sgt. Rosa Vega." in partner_page
    assert "Members abroad must be on Title 10 orders" not in partner_page
    assert "State Active Duty" not in partner_page


def test_checklist_counts_what_the_reader_may_not_see(client_for, us_coordinator, mx_liaison):
    engagement = make_engagement(us_coordinator)
    hidden = make_person(us_coordinator, "Zamorano Quintero", nation="USA", rel_to=("USA",))
    engagement_services.add_participant(us_coordinator, engagement, hidden)
    response = client_for(mx_liaison).get(reverse("engagements:checklist", args=[engagement.pk]))
    page = text(response)
    assert "Zamorano" not in page
    assert response.context["checklist"].not_shown == 1
    assert 'data-testid="not-shown"' in page


def test_checklist_says_when_nothing_blocks(client_for, us_coordinator):
    engagement = make_engagement(us_coordinator)
    add_budget(us_coordinator, engagement)
    page = text(client_for(us_coordinator).get(reverse("engagements:checklist",
                                                       args=[engagement.pk])))
    assert 'data-testid="ready"' in page


# Forms ---------------------------------------------------------------------------------------

def test_create_and_edit_through_the_pages(client_for, us_coordinator):
    partnership = mexico(us_coordinator)
    client = client_for(us_coordinator)
    response = client.post(reverse("engagements:create"), {
        "e-partnership": partnership.pk, "e-title_en": "Border medicine exchange",
        "e-title_es": "Intercambio de medicina fronteriza", "e-type": "sme_exchange",
        "e-direction": "hosted", "e-location": "San Diego", "e-start_date": "2025-09-30",
        "e-end_date": "2025-10-02", "e-legal_basis": "", "m-rel_to": ["MEX"],
        "m-disclosure": "approved",
    })
    engagement = Engagement.objects.get()
    assert response.status_code == 302 and response.url == engagement.get_absolute_url()
    assert (engagement.fiscal_year, engagement.fiscal_quarter) == (2025, 4)
    assert engagement.legal_basis == "10 U.S.C. 341"
    assert engagement.owner_nation.code == "USA"
    response = client.post(reverse("engagements:update", args=[engagement.pk]), {
        "e-partnership": partnership.pk, "e-title_en": "Border medicine exchange",
        "e-title_es": "Intercambio", "e-type": "sme_exchange", "e-direction": "hosted",
        "e-location": "San Diego", "e-start_date": "2025-10-01", "e-end_date": "2025-10-02",
        "e-legal_basis": "10 U.S.C. 341", "e-tracking_reference": "G-1",
    })
    assert response.status_code == 302
    engagement.refresh_from_db()
    assert (engagement.fiscal_year, engagement.fiscal_quarter) == (2026, 1)
    assert engagement.tracking_reference == "G-1" and engagement.state == S.CONCEPT


def test_invalid_create_rerenders_and_saves_nothing(client_for, us_coordinator):
    partnership = mexico(us_coordinator)
    response = client_for(us_coordinator).post(reverse("engagements:create"), {
        "e-partnership": partnership.pk, "e-title_en": "x", "e-title_es": "x",
        "e-type": "sme_exchange", "e-direction": "hosted", "e-location": "x",
        "e-start_date": "2026-01-10", "e-end_date": "2026-01-01", "m-disclosure": "approved",
    })
    assert response.status_code == 200 and not Engagement.objects.exists()
    assert response.context["form"].errors


def test_liaison_registers_a_participant_through_the_page(client_for, us_coordinator,
                                                           mx_liaison):
    engagement = make_engagement(us_coordinator)
    client = client_for(mx_liaison)
    url = reverse("engagements:participant_add", args=[engagement.pk])
    form = client.get(url).context["gates_form"]
    assert set(form.fields) == {"visa", "visa_updated_on"}
    response = client.post(url, {
        "p-full_name": "Teniente Carla Ortiz", "p-nation": nations("MEX")[0].pk,
        "p-role": "partner_military", "p-gender": "female", "p-security_force": "on",
        "g-visa": "pending",
    })
    assert response.status_code == 302, response.context and (
        response.context["person_form"].errors, response.context["choose"].errors)
    participation = Participation.objects.get()
    assert participation.person.owner_nation.code == "MEX"
    assert participation.owner_nation.code == "USA"
    assert participation.vetting == "pending"
    # The coordinator sees the person; the liaison records the visa, and only that.
    assert "Teniente Carla Ortiz" in text(client_for(us_coordinator).get(
        engagement.get_absolute_url()))
    edit = reverse("engagements:participant_update", args=[participation.pk])
    assert set(client.get(edit).context["form"].fields) == {"visa", "visa_updated_on"}
    assert client.post(edit, {"g-visa": "issued", "g-vetting": "approved"}).status_code == 302
    participation.refresh_from_db()
    assert participation.visa == "issued" and participation.vetting == "pending"


def test_coordinator_adds_a_registered_person_with_gates(client_for, us_coordinator):
    engagement = make_engagement(us_coordinator)
    person = make_person(us_coordinator, "Juan Pérez", nation="USA")
    client = client_for(us_coordinator)
    response = client.post(reverse("engagements:participant_add", args=[engagement.pk]), {
        "c-person": person.pk, "g-vetting": "not_required", "g-visa": "not_required",
        "g-country_clearance": "submitted", "g-clearance_submitted_on": "2026-01-02",
        "g-duty_status": "", "g-briefing_disclosure": "not_required",
    })
    assert response.status_code == 302
    participation = Participation.objects.get()
    assert participation.country_clearance == "submitted"
    assert participation.clearance_submitted_on == date(2026, 1, 2)
    # Adding the same person again is refused on the form.
    again = client.post(reverse("engagements:participant_add", args=[engagement.pk]), {
        "c-person": person.pk, "g-vetting": "not_required", "g-visa": "not_required",
        "g-country_clearance": "submitted", "g-briefing_disclosure": "not_required",
    })
    assert again.status_code == 200
    assert Participation.objects.count() == 1


def test_budget_line_through_the_pages(client_for, us_coordinator):
    engagement = make_engagement(us_coordinator)
    client = client_for(us_coordinator)
    response = client.post(reverse("engagements:budget_line_add", args=[engagement.pk]), {
        "b-description": "Airfare", "b-amount": "4200.50", "b-currency": "usd",
        "b-fund_source": "SPP O&M", "b-state": "planned", "m-disclosure": "not_reviewed",
    })
    assert response.status_code == 302
    line = BudgetLine.objects.get()
    assert line.currency == "USD" and line.owner_nation.code == "USA"
    response = client.post(reverse("engagements:budget_line_update", args=[line.pk]), {
        "b-description": "Airfare", "b-amount": "4200.50", "b-currency": "USD",
        "b-fund_source": "SPP O&M", "b-state": "allotted",
    })
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.state == "allotted"
