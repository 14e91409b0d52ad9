"""The personnel API: lists and details as of a moment, what a Mexican user sees (nothing),
passport data by role, preview equal to the applied result, imports and roster exports."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from personnel.models import DutyPeriod, Order, Qualification
from personnel.tests.factories import at, make_member, make_order, make_unit

API = "/api/v1/personnel"


@pytest.fixture
def j1(persona_of):
    return persona_of("personnel_officer")


@pytest.fixture
def roster_data(db, reference):
    unit = make_unit()
    other = make_unit("1-184IN", "1st Battalion, 184th Infantry Regiment")
    soto = make_member("A100", unit, status="sad", since=at(2025, 1, 1), last_name="Soto",
                       languages="en,es", passport_number="X1234567",
                       passport_expires=at(2030, 1, 1).date())
    DutyPeriod.objects.filter(member=soto).update(orders_reference="SAD-25-001")
    Qualification.objects.create(member=soto, kind=Qualification.Kind.EMT)
    ruiz = make_member("A200", other, status="t10_12406", since=at(2025, 3, 1),
                       last_name="Ruiz")
    vega = make_member("A300", unit, last_name="Vega")
    return {"soto": soto, "ruiz": ruiz, "vega": vega, "unit": unit}


def items(response):
    assert response.status_code == 200, response.content
    return response.json()["items"]


class TestMembers:
    def test_list_shows_status_and_authority_as_of_the_moment(self, client_for, us_coordinator,
                                                              roster_data):
        client = client_for(us_coordinator)
        now = {m["service_number"]: m for m in items(client.get(f"{API}/members"))}
        assert now["A100"]["status_at"] == "sad" and now["A100"]["authority_at"] == "governor"
        assert now["A200"]["authority_at"] == "president"
        assert now["A300"]["status_at"] == "none"
        assert now["A100"]["languages"] == ["en", "es"] and now["A100"]["unit"] == "1-185AR"
        assert now["A100"]["marking"] == {"owner": "USA", "rel_to": ["USA"],
                                          "disclosure": "not_reviewed", "tlp": None}
        assert "passport_number" not in now["A100"] and "passport_expires" not in now["A100"]
        # Before Ruiz was federalized; a moment without an offset is in the user's zone.
        before = {m["service_number"]: m["status_at"]
                  for m in items(client.get(f"{API}/members", {"at": "2025-02-01T00:00"}))}
        assert before == {"A100": "sad", "A200": "none", "A300": "none"}

    def test_filters(self, client_for, us_coordinator, roster_data):
        client = client_for(us_coordinator)

        def numbers(**query):
            return [m["service_number"] for m in items(client.get(f"{API}/members", query))]

        assert numbers(unit="1-184IN") == ["A200"]
        assert numbers(authority="president") == ["A200"]
        assert numbers(status="sad") == ["A100"]
        assert numbers(q="veg") == ["A300"]
        assert client.get(f"{API}/members", {"status": "bogus"}).status_code == 422
        assert client.get(f"{API}/members", {"at": "0001-01-01T00:00"}).status_code == 422

    @pytest.mark.parametrize("given", ["0001-01-01T00:00", "9999-12-31T23:59:59",
                                       "2201-01-01T00:00:00+14:00"])
    def test_a_moment_outside_the_years_the_forms_take_is_refused(self, client_for,
                                                                  us_coordinator, roster_data,
                                                                  given):
        response = client_for(us_coordinator).get(f"{API}/members", {"at": given})
        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"field": "at", "message": "Enter a date between 1900 and 2200."}]

    def test_a_moment_with_an_offset_no_zone_has_is_refused(self, client_for, us_coordinator,
                                                            roster_data):
        # ISO 8601 allows ±23:59; PostgreSQL stores only real offsets (-12:00 to +14:00).
        client = client_for(us_coordinator)
        response = client.get(f"{API}/members", {"at": "2175-01-04T19:15:45-16:04"})
        assert response.status_code == 422
        assert response.json()["errors"] == [
            {"field": "at", "message": "Enter a UTC offset between -12:00 and +14:00."}]
        assert items(client.get(f"{API}/members", {"at": "2025-06-01T08:00:00+14:00"}))

    def test_list_does_not_grow_queries_per_member(self, client_for, us_coordinator,
                                                   roster_data):
        client = client_for(us_coordinator)

        def queries():
            with CaptureQueriesContext(connection) as ctx:
                assert len(items(client.get(f"{API}/members"))) >= 3
            return len(ctx)

        before = queries()
        for n in range(5):
            make_member(f"B{n}", status="t32_training")
        assert queries() == before

    def test_detail_periods_eligibility_and_history(self, client_for, us_coordinator,
                                                    roster_data):
        client = client_for(us_coordinator)
        ruiz = roster_data["ruiz"]
        detail = client.get(f"{API}/members/{ruiz.pk}").json()
        assert detail["status_at"] == "t10_12406" and detail["unit_name"].startswith("1st")
        periods = items(client.get(f"{API}/members/{ruiz.pk}/periods"))
        assert [(p["status"], p["authority"], p["end"]) for p in periods] == [
            ("t10_12406", "president", None)]
        verdicts = client.get(f"{API}/members/{ruiz.pk}/eligibility").json()
        assert verdicts["authority"] == "president"
        assert verdicts["available_to_state"]["ok"] is False
        assert verdicts["state_mutual_aid"]["ok"] is False
        assert verdicts["available_to_state"]["reason"]
        earlier = client.get(f"{API}/members/{ruiz.pk}/eligibility",
                             {"at": "2025-02-01T00:00:00-08:00"}).json()
        assert earlier["status"] == "none" and earlier["available_to_state"]["ok"] is True
        assert client.get(f"{API}/members/{ruiz.pk}/history").status_code == 200

    def test_passport_only_for_the_personnel_officer(self, client_for, us_coordinator, j1,
                                                     roster_data):
        url = f"{API}/members/{roster_data['soto'].pk}"
        coordinator = client_for(us_coordinator).get(url).json()
        assert coordinator["passport_number"] is None
        assert coordinator["passport_expires"] is None
        officer = client_for(j1).get(url).json()
        assert officer["passport_number"] == "X1234567"
        assert officer["passport_expires"] == "2030-01-01"
        assert officer["qualifications"][0]["kind"] == "emt"
        listed = items(client_for(j1).get(f"{API}/members"))
        assert all("passport_number" not in m for m in listed)

    def test_mexican_user_sees_nothing(self, client_for, mx_liaison, us_coordinator,
                                       roster_data):
        client = client_for(mx_liaison)
        soto = roster_data["soto"]
        order = make_order([soto], us_coordinator)
        assert items(client.get(f"{API}/members")) == []
        assert items(client.get(f"{API}/orders")) == []
        for path in (f"members/{soto.pk}", f"members/{soto.pk}/periods",
                     f"members/{soto.pk}/eligibility", f"members/{soto.pk}/history",
                     f"orders/{order.pk}", f"orders/{order.pk}/preview",
                     f"orders/{order.pk}/history"):
            response = client.get(f"{API}/{path}")
            assert response.status_code == 404, path
            assert response.json()["detail"]
        assert client.post(f"{API}/orders/{order.pk}/transitions/apply").status_code == 404
        counts = client.get(f"{API}/roster").json()
        assert counts["total"] == 0 and set(counts["by_status"].values()) == {0}
        export = client.get(f"{API}/roster/export")
        assert len(b"".join(export.streaming_content).decode("utf-8-sig").splitlines()) == 1


def test_roster_counts(client_for, us_coordinator, roster_data):
    client = client_for(us_coordinator)
    counts = client.get(f"{API}/roster").json()
    assert counts["total"] == 3
    assert counts["by_status"]["sad"] == 1 and counts["by_status"]["none"] == 1
    assert counts["by_authority"] == {"governor": 2, "president": 1}
    one_unit = client.get(f"{API}/roster", {"unit": "1-184IN",
                                            "at": "2025-02-01T00:00"}).json()
    assert one_unit["total"] == 1 and one_unit["by_authority"] == {"governor": 1, "president": 0}


class TestOrders:
    def test_list_and_detail(self, client_for, us_coordinator, roster_data):
        order = make_order([roster_data["soto"], roster_data["vega"]], us_coordinator,
                           reference="EO-25-1")
        client = client_for(us_coordinator)
        listed = items(client.get(f"{API}/orders"))
        assert [(o["id"], o["member_count"], o["state"]) for o in listed] == [
            (order.pk, 2, "draft")]
        assert listed[0]["marking"]["owner"] == "USA"
        detail = client.get(f"{API}/orders/{order.pk}").json()
        assert sorted(m["service_number"] for m in detail["members"]) == ["A100", "A300"]
        assert detail["members_not_shown"] == 0
        assert items(client.get(f"{API}/orders", {"state": "applied"})) == []

    def test_preview_equals_the_applied_result(self, client_for, j1, roster_data):
        soto, ruiz, vega = roster_data["soto"], roster_data["ruiz"], roster_data["vega"]
        order = make_order([soto, ruiz, vega], j1, effective=at(2025, 6, 7),
                           reference="EO-25-7")
        client = client_for(j1)
        preview = client.get(f"{API}/orders/{order.pk}/preview").json()
        assert preview["applicable"] is True and preview["state"] == "draft"
        assert preview["totals"] == {"members": 3, "changing": 2, "unchanged": 1,
                                     "conflicts": 0, "to_federal": 2, "to_state": 0}
        by_number = {c["member"]["service_number"]: c for c in preview["changes"]}
        assert (by_number["A100"]["from_status"], by_number["A100"]["to_status"]) == (
            "sad", "t10_12406")
        assert by_number["A200"]["changes"] is False

        applied = client.post(f"{API}/orders/{order.pk}/transitions/apply")
        assert applied.status_code == 200, applied.content
        result = applied.json()
        assert result["changes"] == preview["changes"] and result["totals"] == preview["totals"]
        assert result["state"] == "applied" and result["applicable"] is False
        # And the roster agrees with the preview, member by member.
        after = {m["service_number"]: m["status_at"] for m in items(
            client.get(f"{API}/members", {"at": "2025-06-08T00:00"}))}
        assert after == {c["member"]["service_number"]: c["to_status"]
                         for c in preview["changes"]}
        assert DutyPeriod.objects.get(member=soto, start=at(2025, 6, 7)).orders_reference == \
            "EO-25-7"
        history = client.get(f"{API}/orders/{order.pk}/history").json()
        assert history and history[0]["actor"] == j1.username

    def test_orders_and_preview_do_not_grow_queries_per_record(self, client_for, j1,
                                                               roster_data):
        client = client_for(j1)
        order = make_order([roster_data["soto"]], j1)

        def queries():
            counts = []
            for url in (f"{API}/orders", f"{API}/orders/{order.pk}",
                        f"{API}/orders/{order.pk}/preview"):
                with CaptureQueriesContext(connection) as ctx:
                    assert client.get(url).status_code == 200
                counts.append(len(ctx))
            return counts

        before = queries()
        more = [make_member(f"B{n}", status="sad") for n in range(5)]
        order.members.add(*more)
        make_order(more, j1, title_en="Second")
        assert queries() == before

    def test_apply_refusals_use_the_one_error_shape(self, client_for, j1, us_coordinator,
                                                    roster_data):
        order = make_order([roster_data["soto"]], j1)
        response = client_for(us_coordinator).post(f"{API}/orders/{order.pk}/transitions/apply")
        assert response.status_code == 403 and response.json()["detail"]
        client = client_for(j1)
        assert client.post(f"{API}/orders/{order.pk}/transitions/apply").status_code == 200
        again = client.post(f"{API}/orders/{order.pk}/transitions/apply")
        assert again.status_code == 422
        assert again.json()["errors"][0]["field"] == "state"

    def test_conflict_is_shown_in_preview_and_refused_on_apply(self, client_for, j1,
                                                               roster_data):
        soto = roster_data["soto"]
        order = make_order([soto], j1, effective=at(2025, 1, 1))  # Soto's SAD starts then
        client = client_for(j1)
        preview = client.get(f"{API}/orders/{order.pk}/preview").json()
        assert preview["applicable"] is False and preview["totals"]["conflicts"] == 1
        assert preview["changes"][0]["conflict"]
        refused = client.post(f"{API}/orders/{order.pk}/transitions/apply")
        assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "members"
        assert Order.objects.get(pk=order.pk).state == Order.State.DRAFT


class TestImportsAPI:
    def test_upload_members_then_periods(self, client_for, j1, roster_data):
        client = client_for(j1)
        members = io.BytesIO(
            "service_number,last_name,first_name,grade,component,unit_code,specialty,"
            "languages\nC1,Núñez,José,E-4,army,1-185AR,11B,\"es,en\"\n".encode())
        members.name = "members.csv"
        response = client.post(f"{API}/imports/members", {"file": members})
        assert response.status_code == 200, response.content
        assert response.json() == {"kind": "members", "rows": 1, "created": 1, "updated": 0,
                                   "unchanged": 0}
        periods = io.BytesIO(b"service_number,status,start,end,pay_source,orders_reference,"
                             b"mission,legal_basis\nC1,sad,2025-06-01,,,SAD-1,Fire,\n"
                             b"C1,sad,2025-05-01,2025-06-15,,,,\n")
        periods.name = "periods.csv"
        refused = client.post(f"{API}/imports/periods", {"file": periods})
        assert refused.status_code == 422
        assert refused.json()["errors"] == [
            {"field": "row 2: start", "message": "This period overlaps the one on row 3."}]
        assert not DutyPeriod.objects.filter(member__service_number="C1").exists()

    def test_a_viewer_may_not_import(self, client_for, us_viewer):
        upload = io.BytesIO(b"service_number\n")
        upload.name = "x.csv"
        response = client_for(us_viewer).post(f"{API}/imports/members", {"file": upload})
        assert response.status_code == 403


class TestExport:
    def test_csv(self, client_for, us_coordinator, roster_data):
        response = client_for(us_coordinator).get(f"{API}/roster/export",
                                                  {"at": "2025-06-01T12:00", "format": "csv"})
        assert response["Content-Type"].startswith("text/csv")
        assert 'filename="roster-20250601-1200.csv"' in response["Content-Disposition"]
        rows = list(csv.reader(io.StringIO(
            b"".join(response.streaming_content).decode("utf-8-sig"))))
        assert rows[0] == ["Service number", "Name", "Grade", "Unit", "Duty status",
                           "Authority", "Since", "Orders reference"]
        by_number = {r[0]: r for r in rows[1:]}
        assert by_number["A100"] == ["A100", "Soto, Ana", "E-5", "1-185AR", "State Active Duty",
                                     "Governor (state control)", "2025-01-01 00:00",
                                     "SAD-25-001"]
        assert by_number["A200"][5] == "President (federal control)"
        assert by_number["A300"][4:8] == ["No duty status", "Governor (state control)", "", ""]

    def test_xlsx_with_filters(self, client_for, us_coordinator, roster_data):
        response = client_for(us_coordinator).get(
            f"{API}/roster/export", {"format": "xlsx", "authority": "governor"})
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[0][0] == "Service number"
        assert sorted(r[0] for r in rows[1:]) == ["A100", "A300"]
        soto = next(r for r in rows if r[0] == "A100")
        assert soto[6] == at(2025, 1, 1).replace(tzinfo=None) and soto[7] == "SAD-25-001"

    def test_xlsx_never_writes_a_formula(self, j1, roster_data):
        from personnel.exports import roster_xlsx
        from personnel.tests.factories import make_member as member

        member("=HYPERLINK(1)", last_name="=1+1")
        response = roster_xlsx(j1, at(2025, 6, 1), {"q": "HYPERLINK"})
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        row = list(sheet.iter_rows(min_row=2, values_only=True))[0]
        assert row[0] == "=HYPERLINK(1)" and row[1] == "=1+1, Ana"
