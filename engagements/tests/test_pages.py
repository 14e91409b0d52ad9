"""The engagements pages on the shared views (core.views with core/list.html, core/form.html and
core/marking.html): where each form leads once it is saved, what a new record's marking starts
as, who may change a marking, the lists' filters, and a partnership named through core.related
wherever a page names it."""

from datetime import date

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import Nation
from engagements.models import AfterActionReport, BudgetLine, Person
from engagements.services import engagements as engagement_services
from engagements.services import feeds
from engagements.tests import aar_factories
from engagements.tests.factories import make_engagement, make_person, mexico, nations


def text(response):
    return response.content.decode()


def said(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def codes(record):
    return sorted(record.rel_to.values_list("code", flat=True))


# Forms: where each leads, and what a new record starts with -----------------------------------

def test_a_budget_line_starts_released_to_the_users_nation_only_and_leads_back(
        client_for, us_coordinator):
    engagement = make_engagement(us_coordinator)  # released to Mexico
    client = client_for(us_coordinator)
    url = reverse("engagements:budget_line_add", args=[engagement.pk])
    page = client.get(url)
    assert list(page.context["marking_form"]["rel_to"].initial) == [us_coordinator.nation]
    assert 'data-testid="budget-line-form"' in text(page)
    added = client.post(url, {
        "b-description": "Lodging", "b-amount": "800.00", "b-currency": "USD",
        "b-fund_source": "SPP O&M", "b-state": "planned", "m-rel_to": ["USA"],
        "m-disclosure": "not_reviewed"})
    line = BudgetLine.objects.get()
    assert added.status_code == 302 and added.url == engagement.get_absolute_url()
    assert said(added) == ["Budget line added."] and codes(line) == ["USA"]
    edited = client.post(reverse("engagements:budget_line_update", args=[line.pk]), {
        "b-description": "Lodging", "b-amount": "900.00", "b-currency": "USD",
        "b-fund_source": "SPP O&M", "b-state": "planned"})
    assert edited.url == reverse("engagements:budget_line", args=[line.pk])
    line.refresh_from_db()
    assert str(line.amount) == "900.00"


def test_a_person_registered_or_edited_leads_to_their_page(client_for, us_coordinator):
    client = client_for(us_coordinator)
    registered = client.post(reverse("engagements:person_create"), {
        "p-full_name": "Marta Ruiz", "p-nation": nations("USA")[0].pk,
        "p-role": Person.Role.US_CIVILIAN, "p-gender": "female", "m-rel_to": ["MEX"],
        "m-disclosure": "approved"})
    person = Person.objects.get()
    assert registered.status_code == 302
    assert registered.url == reverse("engagements:person", args=[person.pk])
    assert said(registered) == ["Person registered."] and codes(person) == ["MEX", "USA"]
    edited = client.post(reverse("engagements:person_update", args=[person.pk]), {
        "p-full_name": "Marta Ruiz Soto", "p-nation": nations("USA")[0].pk,
        "p-role": Person.Role.US_CIVILIAN, "p-gender": "female"})
    assert edited.url == reverse("engagements:person", args=[person.pk])
    person.refresh_from_db()
    assert person.full_name == "Marta Ruiz Soto"


def test_gates_recorded_lead_to_the_participant_and_a_refusal_stays_on_the_form(
        client_for, us_coordinator, mx_liaison):
    engagement = make_engagement(us_coordinator)
    participation = engagement_services.add_participant(
        us_coordinator, engagement, make_person(us_coordinator, "Juan Pérez", nation="USA"))
    url = reverse("engagements:participant_update", args=[participation.pk])
    recorded = client_for(us_coordinator).post(url, {
        "g-vetting": "approved", "g-visa": "not_required", "g-country_clearance": "not_required",
        "g-briefing_disclosure": "not_required"})
    assert recorded.url == reverse("engagements:participant", args=[participation.pk])
    assert said(recorded) == ["Gates recorded for Juan Pérez."]
    participation.refresh_from_db()
    assert participation.vetting == "approved"
    # A partner records gates only for its own nation's people: not this one.
    assert client_for(mx_liaison).get(url).status_code == 404


# Markings -----------------------------------------------------------------------------------

def test_the_engagement_marking_page_changes_it_and_leads_back(client_for, us_coordinator,
                                                                 mx_liaison):
    engagement = make_engagement(us_coordinator)
    url = reverse("engagements:marking", args=[engagement.pk])
    client = client_for(us_coordinator)
    page = client.get(url)
    assert 'data-testid="marking-form"' in text(page)
    assert "The engagement's participants follow its marking." in text(page)
    changed = client.post(url, {"rel_to": ["USA"], "disclosure": "approved"})
    assert changed.url == engagement.get_absolute_url() and said(changed) == ["Marking changed."]
    assert codes(engagement) == ["USA"]
    assert client_for(mx_liaison).get(url).status_code == 404


def test_the_report_marking_page_changes_it_and_leads_to_the_report(client_for, us_coordinator,
                                                                      mx_liaison):
    partnership = aar_factories.mexico_partnership(us_coordinator)
    engagement = aar_factories.make_engagement(us_coordinator, partnership)
    url = reverse("engagements:aar_marking", args=[engagement.pk])
    client = client_for(us_coordinator)
    assert client.get(url).status_code == 404  # no report yet
    report = aar_factories.make_report(engagement)
    page = client.get(url)
    assert "The report's attendance, observations and proposals take the same marking." in (
        text(page))
    changed = client.post(url, {"rel_to": ["USA"], "disclosure": "approved"})
    assert changed.url == reverse("engagements:aar", args=[engagement.pk])
    assert codes(AfterActionReport.objects.get(pk=report.pk)) == ["USA"]
    assert client_for(mx_liaison).get(url).status_code == 404


# Lists --------------------------------------------------------------------------------------

def test_people_filter_by_nation_and_name_and_show_an_invalid_filter(client_for,
                                                                       us_coordinator):
    make_person(us_coordinator, "Ana Soto", nation="USA")
    make_person(us_coordinator, "Luis López", nation="MEX")
    client = client_for(us_coordinator)
    url = reverse("engagements:people")

    def names(**query):
        return sorted(p.full_name for p in client.get(url, query).context["page"])

    assert names() == ["Ana Soto", "Luis López"]
    assert names(nation="mex") == ["Luis López"]
    assert names(q="soto") == ["Ana Soto"]
    wrong = client.get(url, {"nation": "MEXICO"})
    assert 'data-testid="filter-errors"' in text(wrong) and len(wrong.context["page"]) == 2
    partial = client.get(url, {"q": "nobody"}, headers={"HX-Request": "true"})
    assert "<html" not in text(partial) and "No person matches" in text(partial)


def test_reports_filter_by_state_and_flag_the_overdue(client_for, us_coordinator):
    partnership = aar_factories.mexico_partnership(us_coordinator)
    late = aar_factories.make_engagement(us_coordinator, partnership, title="Late exchange",
                                         start=date(2024, 1, 8))
    aar_factories.make_report(late)
    submitted = aar_factories.make_engagement(us_coordinator, partnership, title="On time",
                                              start=timezone.localdate())
    aar_factories.make_report(submitted, state=AfterActionReport.State.SUBMITTED)
    client = client_for(us_coordinator)
    url = reverse("engagements:aar_list")
    every = client.get(url)
    assert {r.engagement.title_en for r in every.context["page"]} == {"Late exchange",
                                                                      "On time"}
    assert text(every).count('data-testid="overdue"') == 1
    drafts = client.get(url, {"state": "draft"}, headers={"HX-Request": "true"})
    assert [r.engagement.title_en for r in drafts.context["page"]] == ["Late exchange"]
    assert "<html" not in text(drafts)


# A partnership named through core.related ---------------------------------------------------

def test_a_feed_of_a_partnership_no_longer_released_does_not_name_it(client_for, us_coordinator,
                                                                       mx_liaison):
    partnership = mexico(us_coordinator)
    partnership.name_en = partnership.name_es = "Sierra Quebec pairing"
    partnership.save()
    feeds.create_calendar_feed(mx_liaison, partnership)
    page = reverse("engagements:calendar_feeds")
    assert "Sierra Quebec pairing" in text(client_for(mx_liaison).get(page))
    partnership.rel_to.set(Nation.objects.filter(code="USA"))
    narrowed = text(client_for(mx_liaison).get(page))
    assert "Sierra Quebec pairing" not in narrowed
    assert "a record not released to you" in narrowed


def test_the_list_engagement_page_and_export_name_the_partnership(client_for, us_coordinator):
    partnership = mexico(us_coordinator)
    engagement = make_engagement(us_coordinator, partnership)
    client = client_for(us_coordinator)
    link = f'<a href="{partnership.get_absolute_url()}">{partnership.name_en}</a>'
    assert f"<td>{link}</td>" in text(client.get(reverse("engagements:list")))
    assert link in text(client.get(engagement.get_absolute_url()))
    exported = b"".join(client.get(reverse("engagements:export")).streaming_content).decode()
    assert partnership.name_en in exported
