"""The personnel pages: roster as of any moment, a member's page, orders from draft through
preview to applied — each through the services, in both languages, without leaking a record
(or a passport) to someone who may not see it."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Nation
from personnel import services
from personnel.models import DutyPeriod, DutyStatus, Member, Order, Qualification, Unit

PACIFIC = ZoneInfo("America/Los_Angeles")


def at(*args):
    return datetime(*args, tzinfo=PACIFIC)


@pytest.fixture
def j1(persona_of):
    return persona_of("personnel_officer")


@pytest.fixture
def unit(reference):
    usa = Nation.objects.get(code="USA")
    unit = Unit.objects.create(code="1-184IN", name="1st Battalion, 184th Infantry",
                               station="Modesto", owner_nation=usa)
    unit.rel_to.set([usa])
    return unit


def member(user, unit, number, last_name, *, status=None, since=None, **fields):
    created = services.create_member(user, service_number=number, last_name=last_name,
                                     first_name="Ana", grade="E-4", unit=unit, **fields)
    if status:
        services.add_period(user, created, status=status, start=since or at(2025, 1, 1),
                            orders_reference="SAD-25-001")
    return created


def order(user, members, **fields):
    defaults = {"kind": Order.Kind.FEDERALIZATION, "title_en": "Operation Guardian",
                "title_es": "Operación Guardián", "reference": "FED-1",
                "effective_at": at(2025, 6, 7, 12), "target_status": DutyStatus.T10_12406}
    return services.create_order(user, members=members, **{**defaults, **fields})


def text(response):
    return response.content.decode()


@pytest.mark.parametrize("language, heading", [("en", "Roster"), ("es", None)])
def test_every_page_renders_in_both_languages(client_for, j1, unit, language, heading):
    soldier = member(j1, unit, "100", "Soto", status=DutyStatus.SAD)
    draft = order(j1, [soldier])
    client = client_for(j1, headers={"Accept-Language": language})
    for url in (reverse("personnel:roster"), soldier.get_absolute_url(),
                reverse("personnel:orders"), reverse("personnel:order_create"),
                draft.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Language"] == language
    if heading:
        assert heading in text(client.get(reverse("personnel:roster")))
    assert "Soto" in text(client.get(reverse("personnel:roster")))


def test_nav_shows_personnel_to_those_who_may_view_members(client_for, j1):
    page = text(client_for(j1).get("/"))
    assert reverse("personnel:roster") in page


def test_roster_as_of_shows_the_status_at_that_moment(client_for, j1, unit):
    member(j1, unit, "100", "Soto", status=DutyStatus.SAD, since=at(2025, 6, 1, 8))
    member(j1, unit, "101", "Ruiz")
    client = client_for(j1)
    url = reverse("personnel:roster")

    before = client.get(url, {"at": "2025-06-01T07:59"})
    assert [m.status_at for m in before.context["page"]] == [DutyStatus.NONE, DutyStatus.NONE]
    assert before.context["counts"].by_status[DutyStatus.SAD] == 0

    after = client.get(url, {"at": "2025-06-01T08:00"})
    assert {m.service_number: m.status_at for m in after.context["page"]} == {
        "100": DutyStatus.SAD, "101": DutyStatus.NONE}
    assert after.context["counts"].by_status[DutyStatus.SAD] == 1
    assert after.context["counts"].by_authority == {"governor": 2, "president": 0}
    # Links to a member keep the moment.
    assert "?at=2025-06-01T08%3A00" in text(after)

    only_sad = client.get(url, {"at": "2025-06-01T08:00", "status": DutyStatus.SAD})
    assert [m.service_number for m in only_sad.context["page"]] == ["100"]


def test_roster_as_of_reads_the_users_time_zone(client_for, make_user, unit, j1):
    member(j1, unit, "100", "Soto", status=DutyStatus.SAD, since=at(2025, 1, 15, 8))
    # In winter 08:00 in California is 09:00 in Mazatlán.
    bcs = make_user("t.j1.bcs", "CalGuard", "personnel_officer", time_zone="America/Mazatlan")
    client = client_for(bcs)
    url = reverse("personnel:roster")
    assert client.get(url, {"at": "2025-01-15T08:30"}).context["page"][0].status_at == "none"
    assert client.get(url, {"at": "2025-01-15T09:00"}).context["page"][0].status_at == "sad"


def test_roster_bad_as_of_rerenders_with_an_error(client_for, j1, unit):
    member(j1, unit, "100", "Soto", status=DutyStatus.SAD)
    response = client_for(j1).get(reverse("personnel:roster"), {"at": "yesterday-ish"})
    assert response.status_code == 200
    assert "at" in response.context["form"].errors
    assert 'data-testid="filter-errors"' in text(response)
    assert 'value="yesterday-ish"' in text(response)
    # Falls back to now rather than failing.
    assert [m.status_at for m in response.context["page"]] == [DutyStatus.SAD]


def test_roster_htmx_partial_and_empty_state(client_for, j1, unit):
    member(j1, unit, "100", "Soto", status=DutyStatus.SAD)
    client = client_for(j1)
    partial = client.get(reverse("personnel:roster"), {"q": "nobody"},
                         headers={"HX-Request": "true"})
    body = text(partial)
    assert "<html" not in body
    assert "No member matches" in body


def test_roster_queries_do_not_grow_with_members(client_for, j1, unit):
    client = client_for(j1)
    member(j1, unit, "100", "Soto", status=DutyStatus.SAD)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("personnel:roster"), {"unit": unit.code}).status_code == 200
        return len(ctx)

    before = queries()
    other = Unit.objects.create(code="40ID", name="40th Infantry Division",
                                owner_nation=unit.owner_nation)
    other.rel_to.set([unit.owner_nation])
    for n in range(6):
        member(j1, other if n % 2 else unit, f"2{n}", f"Name{n}", status=DutyStatus.T32_TRAINING)
    assert queries() == before
    assert len(client.get(reverse("personnel:roster")).context["page"].object_list) == 7


def test_order_and_deadline_lists_do_not_grow_queries(client_for, j1, unit):
    client = client_for(j1)
    soldier = member(j1, unit, "100", "Soto", status=DutyStatus.SAD)
    order(j1, [soldier], kind=Order.Kind.COURT_ORDER, deadline=at(2025, 7, 1))

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("personnel:orders")).status_code == 200
        return len(ctx)

    before = queries()
    for n in range(4):
        order(j1, [soldier], kind=Order.Kind.COURT_ORDER, reference=f"C-{n}",
              deadline=at(2025, 7, 2 + n))
    assert queries() == before


def test_member_page_shows_eligibility_timeline_and_qualifications(client_for, j1, unit):
    soldier = member(j1, unit, "100", "Soto", status=DutyStatus.SAD, since=at(2025, 6, 1),
                     languages="en,es")
    Qualification.objects.create(member=soldier, kind=Qualification.Kind.EMT,
                                 expires_on=date(2025, 3, 1))
    Qualification.objects.create(member=soldier, kind=Qualification.Kind.DRIVER,
                                 expires_on=date(2030, 1, 1))
    client = client_for(j1)
    page = client.get(soldier.get_absolute_url(), {"at": "2025-06-02T00:00"})
    body = text(page)
    assert page.context["eligibility"].status == DutyStatus.SAD
    assert len(page.context["verdicts"]) == 4
    assert "Under state control: State Active Duty" in body
    assert "SAD-25-001" in body  # the timeline's orders reference
    assert body.count('data-testid="expired"') == 1  # only the EMT card
    assert "Spanish" in body
    assert 'id="history-heading"' in body

    earlier = client.get(soldier.get_absolute_url(), {"at": "2025-05-01T00:00"})
    assert earlier.context["eligibility"].status == DutyStatus.NONE


def test_passport_is_shown_only_to_passport_readers(client_for, j1, us_coordinator, unit):
    soldier = member(j1, unit, "100", "Soto", status=DutyStatus.AGR_T10,
                     passport_number="X98765432", passport_expires=date(2025, 2, 3))
    officer_page = text(client_for(j1).get(soldier.get_absolute_url()))
    assert "X98765432" in officer_page
    assert 'data-testid="passport-expires"' in officer_page
    assert "passport is not valid on this date" in officer_page  # the abroad verdict

    coordinator_page = text(client_for(us_coordinator).get(soldier.get_absolute_url()))
    assert coordinator_page.count("Soto") > 0
    for leak in ("X98765432", "65432", "passport-number", "passport-expires",
                 "2025-02-03", "Passport"):
        assert leak not in coordinator_page, leak


def test_partner_gets_404_for_member_and_order_pages(client_for, j1, mx_liaison, unit):
    soldier = member(j1, unit, "100", "Soto", status=DutyStatus.SAD)
    draft = order(j1, [soldier])
    client = client_for(mx_liaison)
    assert client.get(soldier.get_absolute_url()).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404
    roster = client.get(reverse("personnel:roster"))
    assert roster.status_code == 200 and "Soto" not in text(roster)
    assert "Operation Guardian" not in text(client.get(reverse("personnel:orders")))


def _order_post(**overrides):
    data = {"o-kind": "federalization", "o-title_en": "Federalization for border support",
            "o-title_es": "Federalización para apoyo fronterizo", "o-reference": "FED-25-07",
            "o-issued_by": "Secretary of Defense", "o-effective_at": "2025-06-07T12:00",
            "o-target_status": "t10_12406", "o-legal_basis": "10 U.S.C. 12406",
            "m-disclosure": "not_reviewed"}
    data.update(overrides)
    return data


def test_order_form_rerenders_with_errors_and_saves_nothing(client_for, j1, unit):
    member(j1, unit, "100", "Soto", status=DutyStatus.SAD)
    client = client_for(j1)
    url = reverse("personnel:order_create")

    missing = client.post(url, _order_post(**{"o-title_en": "", "o-service_numbers": "100"}))
    assert missing.status_code == 200
    assert "title_en" in missing.context["form"].errors

    unknown = client.post(url, _order_post(**{"o-service_numbers": "100, 999\n998"}))
    assert unknown.status_code == 200
    assert "Unknown service numbers: 998, 999." in text(unknown)

    nobody = client.post(url, _order_post())
    assert nobody.status_code == 200
    assert "Choose the members this order covers." in text(nobody)

    bad_time = client.post(url, _order_post(**{"o-effective_at": "soon",
                                                "o-service_numbers": "100"}))
    assert "effective_at" in bad_time.context["form"].errors
    assert Order.objects.count() == 0


def test_order_form_resolves_members_only_among_visible_ones(client_for, j1, mx_liaison, unit):
    member(j1, unit, "100", "Soto", status=DutyStatus.SAD)
    mexico = Nation.objects.get(code="MEX")
    hidden = Member.objects.get(service_number="100")
    # A member the user's nation may not see reads as unknown.
    hidden.rel_to.set([mexico])
    hidden.owner_nation = mexico
    hidden.save()
    response = client_for(j1).post(reverse("personnel:order_create"),
                                   _order_post(**{"o-service_numbers": "100"}))
    assert "Unknown service numbers: 100." in text(response)
    assert Order.objects.count() == 0


def test_order_form_combines_units_service_numbers_and_current_status(client_for, j1, unit):
    other = Unit.objects.create(code="40ID", name="40th Infantry Division",
                                owner_nation=unit.owner_nation)
    other.rel_to.set([unit.owner_nation])
    a = member(j1, unit, "100", "Soto", status=DutyStatus.SAD)
    b = member(j1, unit, "101", "Ruiz")
    c = member(j1, other, "200", "Lima")
    d = member(j1, other, "201", "Vega", status=DutyStatus.SAD)
    member(j1, other, "202", "Paz", status=DutyStatus.T32_TRAINING)
    response = client_for(j1).post(reverse("personnel:order_create"), _order_post(**{
        "o-units": [unit.code], "o-service_numbers": "200", "o-current_status": "sad",
        "m-rel_to": ["USA"]}))
    created = Order.objects.get()
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert set(created.members.all()) == {a, b, c, d}
    assert created.owner_nation.code == "USA" and created.state == Order.State.DRAFT
    assert created.created_by == j1


def test_creating_needs_the_permission(client_for, us_coordinator):
    assert client_for(us_coordinator).get(reverse("personnel:order_create")).status_code == 403


def test_preview_then_apply_through_the_view_changes_the_roster(client_for, j1, unit):
    soldiers = [member(j1, unit, f"10{n}", name, status=DutyStatus.SAD)
                for n, name in enumerate(["Soto", "Ruiz", "Lima"])]
    client = client_for(j1)
    response = client.post(reverse("personnel:order_create"), _order_post(**{
        "o-service_numbers": " ".join(s.service_number for s in soldiers)}))
    created = Order.objects.get()
    preview = client.get(response.url)
    assert preview.context["preview"]["changing"] == 3
    assert preview.context["can_apply"]
    rows = [(c.member.service_number, c.from_status, c.to_status)
            for c in preview.context["page"].object_list]
    assert sorted(rows) == [(s.service_number, "sad", "t10_12406") for s in soldiers]
    assert "State Active Duty" in text(preview)

    roster_url = reverse("personnel:roster")
    later = {"at": "2025-06-08T00:00"}
    assert client.get(roster_url, later).context["counts"].by_authority["president"] == 0

    applied = client.post(reverse("personnel:order_apply", args=[created.pk]), follow=True)
    assert "3 members changed duty status" in text(applied)
    created.refresh_from_db()
    assert created.state == Order.State.APPLIED
    assert len(applied.context["page"].object_list) == 3  # the effects now
    counts = client.get(roster_url, later).context["counts"]
    assert counts.by_authority == {"governor": 0, "president": 3}
    assert counts.by_status[DutyStatus.T10_12406] == 3
    # Before the effective time nothing changed.
    assert client.get(roster_url, {"at": "2025-06-07T11:59"}).context[
        "counts"].by_status[DutyStatus.SAD] == 3
    # The member's timeline links the order that opened the new period.
    assert created.get_absolute_url() in text(client.get(soldiers[0].get_absolute_url()))

    again = client.post(reverse("personnel:order_apply", args=[created.pk]), follow=True)
    assert "Only a draft order can be applied" in text(again)
    assert DutyPeriod.objects.filter(opened_by=created).count() == 3


def test_conflicting_preview_is_shown_and_apply_refuses(client_for, j1, unit):
    soldier = member(j1, unit, "100", "Soto", status=DutyStatus.SAD, since=at(2025, 6, 7, 12))
    draft = order(j1, [soldier])
    client = client_for(j1)
    page = client.get(draft.get_absolute_url())
    assert page.context["preview"]["conflicting"] == 1
    assert "A duty period already starts at the effective time." in text(page)
    refused = client.post(reverse("personnel:order_apply", args=[draft.pk]), follow=True)
    assert "Nothing was changed" in text(refused)
    draft.refresh_from_db()
    assert draft.state == Order.State.DRAFT


def test_apply_needs_the_permission(client_for, j1, us_coordinator, mx_liaison, unit):
    draft = order(j1, [member(j1, unit, "100", "Soto", status=DutyStatus.SAD)])
    url = reverse("personnel:order_apply", args=[draft.pk])
    assert "data-testid=\"apply\"" not in text(client_for(us_coordinator)
                                               .get(draft.get_absolute_url()))
    assert client_for(us_coordinator).post(url).status_code == 403
    assert client_for(j1).get(url).status_code == 405
    draft.refresh_from_db()
    assert draft.state == Order.State.DRAFT


def test_deadline_tracker_counts_members_still_federal(client_for, j1, unit):
    now = timezone.now()
    soldiers = [member(j1, unit, f"10{n}", name, status=DutyStatus.T10_12406,
                       since=now - timedelta(days=30)) for n, name in enumerate(["Soto", "Ruiz"])]
    order(j1, soldiers, kind=Order.Kind.COURT_ORDER, title_en="Return the Guard",
          target_status=DutyStatus.SAD, effective_at=now + timedelta(days=1),
          deadline=now + timedelta(days=10, hours=1))
    page = client_for(j1).get(reverse("personnel:orders"))
    (deadline,) = page.context["deadlines"]
    assert deadline.outstanding == 2
    body = text(page)
    assert "10 days left" in body and "Return the Guard" in body


def test_order_page_queries_do_not_grow_with_members(client_for, j1, unit):
    client = client_for(j1)

    def queries(record):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(record.get_absolute_url()).status_code == 200
        return len(ctx)

    first = member(j1, unit, "100", "Soto", status=DutyStatus.SAD)
    small_applied = order(j1, [first], reference="FED-1", effective_at=at(2025, 6, 1))
    services.apply_order(j1, small_applied)
    small_draft = order(j1, [first], reference="FED-2")
    before = (queries(small_draft), queries(small_applied))

    more = [member(j1, unit, f"2{n}", f"Name{n}", status=DutyStatus.SAD) for n in range(5)]
    big_applied = order(j1, more, reference="FED-3", effective_at=at(2025, 6, 2))
    services.apply_order(j1, big_applied)
    big_draft = order(j1, [first, *more], reference="FED-4")
    assert big_applied.effects.count() == 5
    assert (queries(big_draft), queries(big_applied)) == before


def test_member_history_shows_bulk_written_entries(client_for, j1, unit):
    """Bulk writes (imports, the demo, applying orders) record history through log_bulk, whose
    missing values are None rather than auditlog's "None"; the page still shows them."""
    from auditlog.models import LogEntry

    from core.audit import log_bulk

    soldier = member(j1, unit, "100", "Soto")
    log_bulk([soldier], LogEntry.Action.UPDATE,
             lambda m: {"grade": [None, "E-5"], "passport_number": [None, "**99"]}, j1)
    page = client_for(j1).get(soldier.get_absolute_url())
    assert page.status_code == 200 and "E-5" in text(page)


def test_import_page_reports_bad_rows_and_stores_nothing(client_for, j1, unit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from personnel.models import Member

    csv = ("service_number,last_name,first_name,grade,component,unit_code,specialty,languages\n"
           f"900,Vega,Rosa,E-4,army,{unit.code},12B,\"en,es\"\n"
           "901,Lara,Juan,E-4,army,NO-SUCH-UNIT,12B,en\n")
    client = client_for(j1)
    page = client.post(reverse("personnel:import"), {
        "kind": "members", "file": SimpleUploadedFile("m.csv", csv.encode())})
    assert page.status_code == 200
    assert page.context["report"].error_count == 1 and "NO-SUCH-UNIT" in text(page)
    assert not Member.objects.filter(service_number__in=["900", "901"]).exists()
    good = csv.splitlines()[0] + "\n" + csv.splitlines()[1] + "\n"
    done = client.post(reverse("personnel:import"), {
        "kind": "members", "file": SimpleUploadedFile("m.csv", good.encode())})
    assert done.status_code == 302
    assert Member.objects.filter(service_number="900").exists()


def test_roster_export_follows_the_page(client_for, j1, unit):
    member(j1, unit, "100", "Soto", status=DutyStatus.SAD)
    response = client_for(j1).get(reverse("personnel:roster_export"), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")


@pytest.mark.parametrize("given", ["9999-12-31T23:59:59", "0001-01-01T00:00"])
def test_roster_refuses_moments_outside_the_years_the_api_takes(client_for, j1, unit, given):
    response = client_for(j1).get(reverse("personnel:roster"), {"at": given})
    assert response.status_code == 200
    assert response.context["form"].errors["at"] == ["Enter a date between 1900 and 2200."]
    assert response.context["moment"].year == timezone.now().year


@pytest.mark.parametrize("field, given", [("effective_at", "9999-12-31T23:59"),
                                          ("deadline", "9999-12-31T23:59"),
                                          ("effective_at", "0001-01-01T00:00"),
                                          ("issued_on", "9999-12-31")])
def test_order_form_refuses_dates_outside_the_years_the_api_takes(client_for, j1, unit, field,
                                                                  given):
    member(j1, unit, "100", "Soto", status=DutyStatus.SAD)
    response = client_for(j1).post(reverse("personnel:order_create"),
                                   _order_post(**{f"o-{field}": given,
                                                  "o-service_numbers": "100"}))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == ["Enter a date between 1900 and 2200."]
    assert Order.objects.count() == 0
