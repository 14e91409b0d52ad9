"""What belongs to an engagement (its participants, budget lines and after-action report) keeps
its own marking when the engagement's changes: the parent alone hides it (MARKING_PARENTS,
honoured by restrict()). Narrowed through its marking service, the MEX liaison sees none of it on
any page, API or export; released again, all of it is back, the children untouched. A report's
attendance, observations and follow-on proposals have no marking of their own: they carry the
report's (MARKING_FOLLOWS) and are re-marked with it."""

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from accounts.tests.personas import persona
from engagements.models import Engagement, Person
from engagements.services import after_action
from engagements.services import engagements as engagement_services
from engagements.tests.factories import make_engagement, nations

TITLE = "Sierra Lima exchange"
PERSON = "Capitán Sierra López"
BUDGET = "Sierra fuel allowance"
GRADE = "Sierra grade"
TOPIC = "Sierra radios"
FOLLOW_ON = "Sierra follow-on"


@pytest.fixture
def family(reference):
    """An executed engagement released to Mexico with one of each record that belongs to it,
    all released to Mexico too, made through the services."""
    us, mx = persona("coordinator", "USA"), persona("liaison", "MEX")
    engagement = make_engagement(us, title=TITLE, rel_to=("MEX",))
    participation = engagement_services.register_participant(
        mx, engagement, full_name=PERSON, nation=nations("MEX")[0], rel_to=nations("USA"),
        disclosure="approved", role=Person.Role.PARTNER_MILITARY)
    line = engagement_services.create_budget_line(
        us, engagement, rel_to=nations("MEX"), disclosure="approved", description=BUDGET,
        amount="900.00", fund_source="SPP O&M")
    # Straight to the state a report starts from: the lifecycle has tests of its own.
    Engagement.objects.filter(pk=engagement.pk).update(state=Engagement.State.EXECUTED)
    report = after_action.start_aar(us, engagement)
    [attendance] = after_action.set_attendance(us, report, [
        {"nation": nations("USA")[0], "grade": GRADE, "count": 3}])
    observation = after_action.add_observation(us, report, kind="sustain", topic=TOPIC,
                                               text_en="Keep them.")
    proposal = after_action.add_follow_on(us, report, title_en=FOLLOW_ON,
                                          title_es=f"{FOLLOW_ON} (es)", type="workshop")
    return {"engagement": engagement, "participation": participation, "budget line": line,
            "report": report, "attendance": attendance, "observation": observation,
            "proposal": proposal}


def reads(user, family):
    """Where `user` finds each record: its page and API record (found or 404) and the lists and
    exports that show it."""
    e, p, line = family["engagement"], family["participation"], family["budget line"]
    aar_api = f"/api/v1/engagements/{e.pk}/aar"
    client = Client()
    client.force_login(user)

    def found(url):
        status = client.get(url).status_code
        assert status in (200, 404), (url, status)
        return status == 200

    def shows(url, text):
        response = client.get(url)
        assert response.status_code in (200, 404), (url, response.status_code)
        content = response.streaming_content if response.streaming else [response.content]
        return response.status_code == 200 and text in b"".join(content).decode("utf-8-sig")

    def lists(url, record):
        response = client.get(url, {"limit": 200})
        assert response.status_code in (200, 404), (url, response.status_code)
        return response.status_code == 200 and record.pk in {
            item["id"] for item in response.json()["items"]}

    return {
        "engagement": [found(e.get_absolute_url()), shows(reverse("engagements:list"), TITLE),
                       lists("/api/v1/engagements", e),
                       shows(reverse("engagements:export"), TITLE)],
        "participation": [found(reverse("engagements:participant", args=[p.pk])),
                          found(f"/api/v1/engagements/participants/{p.pk}"),
                          lists(f"/api/v1/engagements/{e.pk}/participants", p),
                          shows(reverse("engagements:person", args=[p.person_id]), TITLE)],
        "budget line": [found(reverse("engagements:budget_line", args=[line.pk])),
                        found(f"/api/v1/engagements/budget-lines/{line.pk}"),
                        lists(f"/api/v1/engagements/{e.pk}/budget-lines", line)],
        "report": [found(reverse("engagements:aar", args=[e.pk])), found(aar_api),
                   shows(reverse("engagements:aar_list"), TITLE),
                   lists("/api/v1/after-action-reports", family["report"])],
        "attendance": [shows(reverse("engagements:aar", args=[e.pk]), GRADE),
                       lists(f"{aar_api}/attendance", family["attendance"])],
        "observation": [shows(reverse("engagements:aar", args=[e.pk]), TOPIC),
                        lists(f"{aar_api}/observations", family["observation"])],
        "proposal": [shows(reverse("engagements:aar", args=[e.pk]), FOLLOW_ON),
                     lists(f"{aar_api}/proposals", family["proposal"])],
    }


def seen(user, family):
    return {name: all(found) for name, found in reads(user, family).items()}


def hidden(user, family):
    return {name for name, found in reads(user, family).items() if not any(found)}


def markings(family):
    return {name: (record.__class__.objects.get(pk=record.pk).disclosure,
                   {n.code for n in record.__class__.objects.get(pk=record.pk).rel_to.all()})
            for name, record in family.items()}


def test_a_narrowed_engagement_hides_all_that_belongs_to_it(family):
    us, mx = persona("coordinator", "USA"), persona("liaison", "MEX")
    everything = dict.fromkeys(family, True)
    assert seen(mx, family) == everything
    before = markings(family)

    engagement_services.change_engagement_marking(
        us, family["engagement"], rel_to=nations("USA"), disclosure="approved")
    assert hidden(mx, family) == set(family)
    assert seen(us, family) == everything
    children = {name for name in family if name != "engagement"}
    assert {n: m for n, m in markings(family).items() if n in children} == {
        n: m for n, m in before.items() if n in children}, "the children were re-marked"

    engagement_services.change_engagement_marking(
        us, family["engagement"], rel_to=nations("USA", "MEX"), disclosure="approved")
    assert seen(mx, family) == everything
    assert markings(family) == before


ROWS = ("attendance", "observation", "proposal")


def test_a_narrowed_report_hides_its_rows_and_nothing_else(family):
    us, mx = persona("coordinator", "USA"), persona("liaison", "MEX")
    before = markings(family)
    report_and_rows = {"report", *ROWS}

    after_action.change_aar_marking(us, family["report"], rel_to=nations("USA"),
                                    disclosure="approved")
    assert hidden(mx, family) == report_and_rows
    assert {name for name, all_found in seen(mx, family).items() if all_found} == (
        set(family) - report_and_rows)
    after = markings(family)
    assert {name: after[name] for name in report_and_rows} == dict.fromkeys(
        report_and_rows, ("approved", {"USA"})), (
        "the rows were not re-marked with their report")
    assert {n: m for n, m in after.items() if n not in report_and_rows} == {
        n: m for n, m in before.items() if n not in report_and_rows}, (
        "records with a marking of their own were re-marked")

    after_action.change_aar_marking(us, family["report"], rel_to=nations("USA", "MEX"),
                                    disclosure="approved")
    assert seen(mx, family) == dict.fromkeys(family, True)
    assert markings(family) == before


def test_rows_written_while_the_report_is_us_only_are_released_with_it(family):
    """Attendance recorded while the report is US-only reaches Mexico once the report is
    released to it for publishing (page and API), with history of the change, and is withdrawn
    again when the report is narrowed."""
    us, mx = persona("coordinator", "USA"), persona("liaison", "MEX")
    report = family["report"]
    after_action.change_aar_marking(us, report, rel_to=nations("USA"), disclosure="approved")
    [family["attendance"]] = after_action.set_attendance(us, report, [
        {"nation": nations("MEX")[0], "grade": GRADE, "count": 2}])
    assert markings(family)["attendance"] == ("approved", {"USA"})
    history = LogEntry.objects.get_for_object(family["attendance"]).filter(actor=us).count()

    after_action.change_aar_marking(us, report, rel_to=nations("USA", "MEX"),
                                    disclosure="approved")
    assert seen(mx, family) == dict.fromkeys(family, True)
    assert markings(family)["attendance"] == ("approved", {"USA", "MEX"})
    assert LogEntry.objects.get_for_object(family["attendance"]).filter(
        actor=us).count() > history, "the re-marking left no history"

    after_action.change_aar_marking(us, report, rel_to=nations("USA"), disclosure="approved")
    assert hidden(mx, family) == {"report", *ROWS}
    assert markings(family)["attendance"] == ("approved", {"USA"})
