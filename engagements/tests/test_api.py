"""The engagements API: create, read, update, the lifecycle's transitions (422 with the
guard's reason in the one error shape, 403 for a partner), participants and their gates, people
registered by a partner's liaison, budget lines and readiness."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.testing import error, ok
from engagements.models import AfterActionReport, Engagement, Participation, Person
from engagements.services import engagements as engagement_services
from engagements.tests.factories import (
    add_budget,
    make_engagement,
    make_objective,
    make_person,
    mexico,
)
from partnerships.tests.factories import make_partnership

API = "/api/v1/engagements"
S = Engagement.State


class TestEngagements:
    def test_create_read_update_and_history(self, client_for, us_coordinator):
        partnership = mexico(us_coordinator)
        objective = make_objective(us_coordinator, partnership)
        client = client_for(us_coordinator)
        created = ok(client.post(API, {
            "partnership": partnership.pk, "title_en": "Cyber exercise",
            "title_es": "Ejercicio cibernético", "type": "exercise", "direction": "to_partner",
            "location": "Mexico City", "start_date": "2025-09-30", "end_date": "2025-10-03",
            "objectives": [objective.pk], "lead": us_coordinator.username,
            "marking": {"rel_to": ["MEX"], "disclosure": "approved"},
        }, content_type="application/json"), 201)
        assert created["fiscal_year"] == 2025 and created["fiscal_quarter"] == 4
        assert created["state"] == "concept" and created["legal_basis"] == "10 U.S.C. 341"
        assert created["objectives"] == [objective.pk]
        assert created["lead"] == us_coordinator.username
        assert created["marking"] == {"owner": "USA", "rel_to": ["MEX", "USA"],
                                      "disclosure": "approved", "tlp": None}
        url = f"{API}/{created['id']}"
        updated = ok(client.patch(url, {"start_date": "2025-10-01", "tracking_reference": "G-9"},
                                  content_type="application/json"))
        assert (updated["fiscal_year"], updated["fiscal_quarter"]) == (2026, 1)
        assert updated["tracking_reference"] == "G-9"
        detail = ok(client.get(url))
        assert detail["readiness"]["blockers"][0]["message"] == "Budget not allotted."
        assert {t["name"] for t in detail["transitions"]} == {
            "nominated", "deferred", "postponed", "cancelled"}
        assert detail["participants"] == [] and detail["budget_lines"] == []
        history = ok(client.get(f"{url}/history"))
        assert history[0]["actor"] == us_coordinator.username

    def test_validation_errors_use_the_one_shape(self, client_for, us_coordinator):
        partnership = mexico(us_coordinator)
        other = make_objective(us_coordinator, make_partnership(us_coordinator, partner="UKR"))
        client = client_for(us_coordinator)
        base = {"partnership": partnership.pk, "title_en": "x", "title_es": "x",
                "type": "exercise", "direction": "virtual", "location": "online",
                "start_date": "2026-01-10", "end_date": "2026-01-01"}
        body = error(client.post(API, base, content_type="application/json"), 422)
        assert body["errors"][0]["field"] == "end_date"
        body = error(client.post(API, {**base, "end_date": "2026-01-11",
                                       "objectives": [other.pk]},
                                 content_type="application/json"), 422)
        assert body["errors"][0]["field"] == "objectives"
        body = error(client.post(API, {**base, "end_date": "2026-01-11",
                                       "partnership": 999999},
                                 content_type="application/json"), 422)
        assert body["errors"][0]["field"] == "partnership"
        assert not Engagement.objects.exists()

    def test_filters(self, client_for, us_coordinator):
        partnership = mexico(us_coordinator)
        make_engagement(us_coordinator, partnership, title="Autumn", start=date(2025, 10, 6))
        make_engagement(us_coordinator, partnership, title="Summer", start=date(2026, 7, 6),
                        type=Engagement.Type.WORKSHOP)
        client = client_for(us_coordinator)

        def titles(**query):
            return [e["title_en"] for e in ok(client.get(API, query))["items"]]

        assert titles() == ["Autumn", "Summer"]
        assert titles(fiscal_year=2026, quarter=1) == ["Autumn"]
        assert titles(quarter=4) == ["Summer"]
        assert titles(type="workshop") == ["Summer"]
        assert titles(q="autu") == ["Autumn"]
        assert titles(partnership=partnership.pk) == ["Autumn", "Summer"]
        assert titles(state="ready") == []
        error(client.get(API, {"quarter": 5}), 422)

    def test_list_does_not_grow_queries(self, client_for, us_coordinator):
        client = client_for(us_coordinator)
        partnership = mexico(us_coordinator)
        objective = make_objective(us_coordinator, partnership)
        make_engagement(us_coordinator, partnership, objectives=[objective])

        def queries():
            with CaptureQueriesContext(connection) as ctx:
                ok(client.get(API))
            return len(ctx)

        before = queries()
        for n in range(4):
            make_engagement(us_coordinator, partnership, title=f"E{n}", objectives=[objective])
        assert queries() == before

    def test_partner_reads_but_cannot_edit(self, client_for, us_coordinator, mx_liaison):
        engagement = make_engagement(us_coordinator)
        client = client_for(mx_liaison)
        assert ok(client.get(f"{API}/{engagement.pk}"))["transitions"] == []
        error(client.patch(f"{API}/{engagement.pk}", {"title_en": "Renamed"},
                           content_type="application/json"), 403)
        error(client.post(API, {}, content_type="application/json"), 422)


class TestTransitions:
    def url(self, engagement, name):
        return f"{API}/{engagement.pk}/transitions/{name}"

    @staticmethod
    def post(client, url, data=None):
        """A transition needs no body; a client sends none."""
        if data is None:
            return client.generic("POST", url)
        return client.post(url, data, content_type="application/json")

    def test_guard_refusals_are_422_with_the_reason(self, client_for, us_coordinator):
        engagement = make_engagement(us_coordinator)
        client = client_for(us_coordinator)
        body = error(self.post(client, self.url(engagement, "approved")), 422)
        assert "cannot go to approved" in body["errors"][0]["message"]
        assert ok(self.post(client, self.url(engagement, "nominated")))["state"] == "nominated"
        ok(self.post(client, self.url(engagement, "approved")))
        body = error(self.post(client, self.url(engagement, "funded")), 422)
        assert body["errors"] == [{"field": "__all__", "message": (
            "An engagement is funded only when at least one budget line is allotted, obligated "
            "or expended.")}]
        add_budget(us_coordinator, engagement)
        assert ok(self.post(client, self.url(engagement, "funded")))["state"] == "funded"
        ok(self.post(client, self.url(engagement, "preparing")))
        engagement_services.add_participant(us_coordinator, engagement,
                                            make_person(us_coordinator, "Juan Pérez", nation="USA"))
        body = error(self.post(client, self.url(engagement, "ready")), 422)
        assert "Country clearance not submitted for Juan Pérez." in body["errors"][0]["message"]

    def test_unknown_transition_is_422(self, client_for, us_coordinator):
        engagement = make_engagement(us_coordinator)
        error(self.post(client_for(us_coordinator), self.url(engagement, "teleported")), 422)

    def test_recorded_complete_takes_the_reference(self, client_for, us_coordinator):
        engagement = make_engagement(us_coordinator)
        Engagement.objects.filter(pk=engagement.pk).update(state=S.AAR_SUBMITTED)
        report = AfterActionReport.objects.create(
            engagement=engagement, owner_nation=engagement.owner_nation,
            state=AfterActionReport.State.SUBMITTED)
        client = client_for(us_coordinator)
        url = self.url(engagement, "recorded_complete")
        body = error(self.post(client, url), 422)
        assert {e["field"] for e in body["errors"]} == {"__all__", "tracking_reference"}
        report.state = AfterActionReport.State.APPROVED
        report.save()
        done = ok(client.post(url, {"tracking_reference": "G-TSC-1"},
                              content_type="application/json"))
        assert done["state"] == "recorded_complete" and done["recorded_complete_at"]
        assert done["tracking_reference"] == "G-TSC-1"

    def test_defer_moves_the_dates_to_the_next_fiscal_year(self, client_for, us_coordinator):
        engagement = make_engagement(us_coordinator, start=date(2026, 3, 2))
        client = client_for(us_coordinator)
        body = error(client.post(self.url(engagement, "deferred"), {"start_date": "2026-08-03"},
                                 content_type="application/json"), 422)
        assert body["errors"][0]["field"] == "start_date"
        done = ok(client.post(self.url(engagement, "deferred"), {"start_date": "2026-10-05"},
                              content_type="application/json"))
        assert done["state"] == "deferred" and done["fiscal_year"] == 2027
        assert done["end_date"] == "2026-10-09"

    def test_partner_may_not_transition(self, client_for, us_coordinator, mx_liaison):
        engagement = make_engagement(us_coordinator)
        error(self.post(client_for(mx_liaison), self.url(engagement, "nominated")), 403)
        error(self.post(client_for(mx_liaison), self.url(engagement, "cancelled")), 403)
        engagement.refresh_from_db()
        assert engagement.state == S.CONCEPT

    def test_not_released_is_404(self, client_for, us_coordinator, mx_liaison):
        engagement = make_engagement(us_coordinator, rel_to=("USA",))
        error(self.post(client_for(mx_liaison), self.url(engagement, "nominated")), 404)

    def test_documented_in_openapi(self, client_for, us_coordinator):
        schema = client_for(us_coordinator).get("/api/v1/openapi.json").json()
        operation = schema["paths"]["/api/v1/engagements/{engagement_id}/transitions/{name}"][
            "post"]
        assert {"200", "401", "403", "404", "422"} <= set(operation["responses"])
        name = next(p for p in operation["parameters"] if p["name"] == "name")
        assert "recorded_complete" in str(name["schema"])


class TestParticipants:
    def test_liaison_registers_its_people_and_records_visas(self, client_for, us_coordinator,
                                                            mx_liaison):
        engagement = make_engagement(us_coordinator, direction=Engagement.Direction.HOSTED)
        client = client_for(mx_liaison)
        person = ok(client.post(f"{API}/people", {
            "full_name": "Capitán Luis López", "nation": "MEX", "organization": "DEFENSA",
            "role": "partner_military", "security_force": True, "engagement": engagement.pk,
        }, content_type="application/json"), 201)
        assert person["marking"] == {"owner": "MEX", "rel_to": ["MEX", "USA"],
                                     "disclosure": "approved", "tlp": None}
        assert person["organization"] == "DEFENSA"
        participant = ok(client.post(f"{API}/{engagement.pk}/participants",
                                     {"person": person["id"], "visa": "pending"},
                                     content_type="application/json"), 201)
        assert participant["marking"]["owner"] == "USA"
        assert {g["gate"]: g["ok"] for g in participant["gates"]} == {
            "vetting": False, "visa": False, "briefing_disclosure": False}
        url = f"{API}/participants/{participant['id']}"
        assert ok(client.patch(url, {"visa": "issued"},
                               content_type="application/json"))["visa"] == "issued"
        error(client.patch(url, {"vetting": "approved"}, content_type="application/json"), 403)
        # The coordinator records the rest.
        coordinator = client_for(us_coordinator)
        done = ok(coordinator.patch(url, {"vetting": "approved", "vetting_reference": "INVEST-1",
                                          "briefing_disclosure": "cleared"},
                                    content_type="application/json"))
        assert all(g["ok"] for g in done["gates"])
        readiness = ok(coordinator.get(f"{API}/{engagement.pk}/readiness"))
        assert [b["gate"] for b in readiness["blockers"]] == ["budget"]

    def test_liaison_cannot_register_others_or_edit_engagement(self, client_for, us_coordinator,
                                                               mx_liaison):
        engagement = make_engagement(us_coordinator)
        american = make_person(us_coordinator, "Juan Pérez", nation="USA")
        client = client_for(mx_liaison)
        error(client.post(f"{API}/{engagement.pk}/participants", {"person": american.pk},
                          content_type="application/json"), 403)
        error(client.post(f"{API}/people", {"full_name": "Mr. Smith", "nation": "USA",
                                            "role": "us_civilian", "engagement": engagement.pk},
                          content_type="application/json"), 403)
        error(client.post(f"{API}/{engagement.pk}/budget-lines",
                          {"description": "x", "amount": "1", "fund_source": "x"},
                          content_type="application/json"), 403)
        assert not Participation.objects.exists()

    def test_guard_member_participant(self, client_for, us_coordinator, make_user):
        from personnel.tests.factories import make_member

        member = make_member("G400", status="t10_active")
        engagement = make_engagement(us_coordinator)
        client = client_for(us_coordinator)
        person = ok(client.post(f"{API}/people", {
            "full_name": "Sgt. Rosa Vega", "nation": "USA", "role": "us_civilian",
            "guard_member": member.pk}, content_type="application/json"), 201)
        assert person["role"] == "guard_member" and person["guard_member"] == member.pk
        participant = ok(client.post(f"{API}/{engagement.pk}/participants",
                                     {"person": person["id"], "country_clearance": "approved"},
                                     content_type="application/json"), 201)
        assert {g["gate"]: g["ok"] for g in participant["gates"]} == {
            "country_clearance": True, "duty_status": True}

    def test_remove(self, client_for, us_coordinator):
        engagement = make_engagement(us_coordinator)
        participation = engagement_services.add_participant(
            us_coordinator, engagement, make_person(us_coordinator, "Juan Pérez", nation="USA"))
        client = client_for(us_coordinator)
        assert client.delete(f"{API}/participants/{participation.pk}").status_code == 204
        error(client.get(f"{API}/participants/{participation.pk}"), 404)


class TestBudgetLines:
    def test_create_and_update(self, client_for, us_coordinator):
        engagement = make_engagement(us_coordinator)
        client = client_for(us_coordinator)
        line = ok(client.post(f"{API}/{engagement.pk}/budget-lines", {
            "description": "Lodging", "amount": "3100.25", "currency": "mxn",
            "fund_source": "SPP O&M"}, content_type="application/json"), 201)
        assert line["currency"] == "MXN" and line["state"] == "planned"
        assert line["marking"]["rel_to"] == ["USA"]
        updated = ok(client.patch(f"{API}/budget-lines/{line['id']}", {"state": "allotted"},
                                  content_type="application/json"))
        assert updated["state"] == "allotted"
        assert [b["id"] for b in ok(client.get(f"{API}/{engagement.pk}/budget-lines"))[
            "items"]] == [line["id"]]
        error(client.post(f"{API}/{engagement.pk}/budget-lines", {
            "description": "x", "amount": "-1", "fund_source": "x"},
            content_type="application/json"), 422)


@pytest.mark.parametrize("days, warned", [(10, True), (30, False)])
def test_readiness_warns_of_the_congressional_notice(client_for, us_coordinator, days, warned):
    engagement = make_engagement(us_coordinator, partner_non_military=True,
                                 start=date.today() + timedelta(days=days))
    readiness = ok(client_for(us_coordinator).get(f"{API}/{engagement.pk}/readiness"))
    gates = [w["gate"] for w in readiness["warnings"]]
    assert ("congressional_notice" in gates) == warned


def test_people_list_filters(client_for, us_coordinator, mx_liaison):
    make_person(us_coordinator, "Juan Pérez", nation="USA")
    engagement_services.create_person(mx_liaison, full_name="Cabo Ruiz",
                                      nation=Person.objects.none().model._meta.get_field("nation")
                                      .related_model.objects.get(code="MEX"),
                                      role=Person.Role.PARTNER_MILITARY)
    client = client_for(mx_liaison)
    names = [p["full_name"] for p in ok(client.get(f"{API}/people"))["items"]]
    assert names == ["Cabo Ruiz", "Juan Pérez"]
    names = [p["full_name"] for p in ok(client.get(f"{API}/people", {"nation": "mex"}))["items"]]
    assert names == ["Cabo Ruiz"]
