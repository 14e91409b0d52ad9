"""CSV imports: everything is validated before anything is stored, and the report names each
row and column at fault."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied

from personnel.imports import MAX_ERRORS, import_members, import_periods
from personnel.models import DutyPeriod, Member
from personnel.tests.factories import at, make_member, make_unit

MEMBERS_HEADER = "service_number,last_name,first_name,grade,component,unit_code,specialty," \
                 "languages\n"
PERIODS_HEADER = "service_number,status,start,end,pay_source,orders_reference,mission," \
                 "legal_basis\n"


@pytest.fixture
def j1(persona_of):
    return persona_of("personnel_officer")


@pytest.fixture
def units(db, reference):
    return make_unit(), make_unit("1-184IN", "1st Battalion, 184th Infantry Regiment")


def errors(report):
    return [(e.row, e.column) for e in report.errors]


class TestMembers:
    def test_creates_and_updates_with_history(self, j1, units):
        existing = make_member("A1", units[0], last_name="Soto")
        csv_text = (MEMBERS_HEADER
                    + "A1,Soto,Ana,e-6,army,1-184IN,11B,en\n"  # promoted and moved
                    + "A2,Núñez,José,E-4,air,1-185AR,3E7X1,\"es, en\"\n"
                    + "\n"  # blank lines are skipped
                    + "A3,Vega,Luz,O-2,,1-185AR,,\n")
        report = import_members(j1, ("\ufeff" + csv_text).encode())  # UTF-8 with a BOM
        assert report.ok, report.errors
        assert (report.rows, report.created, report.updated, report.unchanged) == (3, 2, 1, 0)
        existing.refresh_from_db()
        assert (existing.grade, existing.unit.code, existing.languages) == (
            "E-6", "1-184IN", "en")
        nunez = Member.objects.get(service_number="A2")
        assert nunez.last_name == "Núñez" and nunez.languages == "es,en"
        assert nunez.owner_nation.code == "USA" and [n.code for n in nunez.rel_to.all()] == [
            "USA"]
        assert Member.objects.get(service_number="A3").component == "army"
        created = LogEntry.objects.get_for_object(nunez).get()
        assert created.action == LogEntry.Action.CREATE and created.actor == j1
        update = LogEntry.objects.get_for_object(existing).get(actor=j1)
        assert update.action == LogEntry.Action.UPDATE
        assert update.changes_dict["grade"] == ["E-5", "E-6"]
        assert update.changes_dict["unit"] == ["1-185AR", "1-184IN"]
        # The same file again changes nothing.
        again = import_members(j1, csv_text.encode())
        assert (again.created, again.updated, again.unchanged) == (0, 0, 3)

    def test_one_bad_row_stores_nothing_and_is_reported(self, j1, units):
        rows = [f"N{i},Apellido{i},Nombre,E-3,army,1-185AR,,es\n" for i in range(20)]
        rows[5] = "N5,Apellido5,Nombre,E-3,navy,NO-SUCH-UNIT,,english\n"
        report = import_members(j1, (MEMBERS_HEADER + "".join(rows)).encode())
        assert not report.ok and report.created == 0
        assert errors(report) == [(7, "unit_code"), (7, "component"), (7, "languages")]
        assert {e.field for e in report.errors} == {
            "row 7: unit_code", "row 7: component", "row 7: languages"}
        assert not Member.objects.exists()
        assert not LogEntry.objects.filter(content_type__model="member").exists()

    def test_wrong_header_names_the_missing_columns(self, j1, units):
        report = import_members(j1, b"service_number,surname,first_name,grade\nA1,X,Y,E-1\n")
        assert errors(report) == [(1, None)]
        message = report.errors[0].message
        for column in ("last_name", "component", "unit_code", "specialty", "languages"):
            assert column in message
        assert "surname" in message

    @pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n", b" , ,\n"])
    def test_empty_file(self, j1, units, content):
        report = import_members(j1, content)
        assert not report.ok and report.errors[0].row is None
        assert "empty" in report.errors[0].message

    def test_header_without_rows(self, j1, units):
        report = import_members(j1, MEMBERS_HEADER.encode())
        assert not report.ok and "no rows" in report.errors[0].message

    def test_windows_1252_and_semicolons(self, j1, units):
        content = (MEMBERS_HEADER.replace(",", ";") + "A9;Peña;Iñaki;E-2;army;1-185AR;;es\n")
        report = import_members(j1, content.encode("cp1252"))
        assert report.ok, report.errors
        assert Member.objects.get(service_number="A9").last_name == "Peña"

    def test_duplicates_and_members_of_another_nation(self, j1, units):
        from accounts.models import Nation

        foreign = make_member("M1", units[0])
        foreign.owner_nation = Nation.objects.get(code="MEX")
        foreign.save()
        report = import_members(j1, (MEMBERS_HEADER + "B1,A,B,E-1,army,1-185AR,,\n"
                                     + "B1,A,B,E-1,army,1-185AR,,\n"
                                     + "M1,A,B,E-1,army,1-185AR,,\n"
                                     + "B2,A,B,E-1,army,1-185AR\n").encode())
        assert errors(report) == [(5, None), (3, "service_number"), (4, "service_number")]

    def test_field_lengths_come_from_the_model(self, j1, units):
        report = import_members(j1, (MEMBERS_HEADER + f"B1,{'x' * 101},B,,army,1-185AR,,\n")
                                .encode())
        assert set(errors(report)) == {(2, "last_name"), (2, "grade")}

    def test_a_viewer_may_not_import(self, us_viewer, units):
        with pytest.raises(PermissionDenied):
            import_members(us_viewer, MEMBERS_HEADER.encode())

    def test_many_rows(self, j1, units):
        rows = "".join(f"S{i:05d},Apellido,Nombre,E-3,army,1-185AR,,es\n" for i in range(10500))
        report = import_members(j1, (MEMBERS_HEADER + rows).encode())
        assert report.ok and report.created == 10500
        assert Member.objects.count() == 10500
        assert LogEntry.objects.filter(content_type__model="member").count() == 10500


class TestPeriods:
    def test_creates_periods_in_the_users_time_zone(self, j1, units):
        soto = make_member("A1", units[0])
        make_member("A2", units[0], status="sad", since=at(2025, 1, 1))
        DutyPeriod.objects.filter(member__service_number="A2").update(end=at(2025, 3, 1))
        report = import_periods(j1, (
            PERIODS_HEADER
            + "A1,sad,2025-06-01,2025-06-10 18:00,State,SAD-1,Fire,EO N-1\n"
            + "A1,t10_12406,2025-06-10T18:00,,Federal,EO-7,,10 USC 12406\n"
            + "A2,t32_training,2025-03-01,2025-03-03T00:00:00+00:00,,,,\n").encode())
        assert report.ok, report.errors
        assert report.created == 3
        periods = list(DutyPeriod.objects.filter(member=soto).order_by("start"))
        pacific = ZoneInfo("America/Los_Angeles")
        assert periods[0].start == datetime(2025, 6, 1, tzinfo=pacific)
        assert periods[0].end == periods[1].start == datetime(2025, 6, 10, 18, tzinfo=pacific)
        assert periods[1].end is None and periods[1].legal_basis == "10 USC 12406"
        entry = LogEntry.objects.get_for_object(periods[0]).get()
        assert entry.actor == j1 and entry.changes_dict["status"][1] == "sad"

    def test_a_user_in_baja_california_imports_in_their_zone(self, make_user, units):
        tijuana = make_user("t.j1.bc", "CalGuard", "personnel_officer",
                            time_zone="America/Tijuana")
        member = make_member("A1", units[0])
        assert import_periods(tijuana, (PERIODS_HEADER + "A1,sad,2025-06-01 08:00,,,,,\n")
                              .encode()).ok
        assert DutyPeriod.objects.get(member=member).start == datetime(
            2025, 6, 1, 8, tzinfo=ZoneInfo("America/Tijuana"))

    def test_overlap_inside_the_file_stores_nothing(self, j1, units):
        make_member("A1", units[0])
        make_member("A2", units[0])
        report = import_periods(j1, (
            PERIODS_HEADER
            + "A2,sad,2025-01-01,2025-02-01,,,,\n"
            + "A1,sad,2025-06-01,,,,,\n"
            + "A1,t32_training,2025-07-01,2025-07-15,,,,\n").encode())
        assert errors(report) == [(4, "start")]
        assert "row 3" in report.errors[0].message
        assert not DutyPeriod.objects.exists()

    def test_overlap_with_periods_on_record(self, j1, units):
        make_member("A1", units[0], status="sad", since=at(2025, 1, 1))
        DutyPeriod.objects.update(end=at(2025, 2, 1))
        make_member("A2", units[0], status="sad", since=at(2025, 5, 1))
        report = import_periods(j1, (
            PERIODS_HEADER
            + "A1,t32_training,2025-02-01,2025-03-01,,,,\n"  # starts as the other ends: fine
            + "A1,t32_training,2024-12-01,2025-01-02,,,,\n"  # runs into January's SAD
            + "A2,t32_training,2025-04-01,,,,,\n").encode())  # open, runs into May's SAD
        assert errors(report) == [(3, "start"), (4, "start")]
        assert "State Active Duty" in report.errors[0].message
        assert DutyPeriod.objects.count() == 2

    def test_row_errors(self, j1, units):
        make_member("A1", units[0])
        report = import_periods(j1, (
            PERIODS_HEADER
            + "Z9,sad,2025-01-01,,,,,\n"
            + "A1,vacation,2025-01-01,,,,,\n"
            + "A1,sad,01/06/2025,,,,,\n"
            + "A1,sad,2025-06-01,2025-05-01,,,,\n"
            + "A1,sad,2025-02-30,,,,,\n"
            + f"A1,sad,2026-01-01,,{'p' * 65},,,\n").encode())
        assert errors(report) == [(2, "service_number"), (3, "status"), (4, "start"),
                                  (5, "end"), (6, "start"), (7, "pay_source")]
        assert not DutyPeriod.objects.exists()

    def test_errors_are_capped_but_counted(self, j1, units):
        rows = "".join(f"Z{i},sad,2025-01-01,,,,,\n" for i in range(MAX_ERRORS + 50))
        report = import_periods(j1, (PERIODS_HEADER + rows).encode())
        assert len(report.errors) == MAX_ERRORS and report.error_count == MAX_ERRORS + 50
        assert "50 more" in report.as_validation_error().message_dict["file"][0]

    def test_members_of_another_nation_are_refused(self, j1, units, mx_liaison):
        from accounts.models import Nation

        member = make_member("M1", units[0])
        member.owner_nation = Nation.objects.get(code="MEX")
        member.save()
        report = import_periods(j1, (PERIODS_HEADER + "M1,sad,2025-01-01,,,,,\n").encode())
        assert errors(report) == [(2, "service_number")]

    def test_not_text(self, j1, units):
        report = import_periods(j1, b"\x00\x01\x02PK\x03\x04")
        assert not report.ok and report.errors[0].row is None
