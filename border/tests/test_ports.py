"""The port-of-entry status board: who may report which side's lanes, the checks on a report,
its marking (released to both nations unless kept), the border event a closure reports, the
one read of the current board (a fixed number of queries), its pages in Spanish, the API, the
map layer and the optimizer's use of it."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from accounts.models import Nation
from border.models import BorderEvent, PortStatusReport
from border.selectors import ports as port_selectors
from border.services.ports import report_port_status
from border.tests.factories import ensure_kinds
from core.testing import ReleasabilityCase, assert_releasability
from response import geo
from response.models import PortOfEntry

pytestmark = pytest.mark.django_db

SAN_YSIDRO, OTAY_CARGO, TECATE = "2504", "2506-C", "2505"


@pytest.fixture
def us(persona_of):
    ensure_kinds()
    return persona_of("duty_officer", "USA")


@pytest.fixture
def mx(persona_of):
    ensure_kinds()
    return persona_of("liaison", "MEX")


def port(key):
    return PortOfEntry.objects.get(key=key)


def ago(minutes):
    return timezone.now() - timedelta(minutes=minutes)


# ---- Rules -----------------------------------------------------------------------------------

def test_each_side_reports_its_own_lanes_and_the_other_side_is_refused(us, mx):
    report = report_port_status(us, SAN_YSIDRO, "USA", status="open",
                                passenger_wait_minutes=40, commercial_wait_minutes=25,
                                passenger_lanes_open=20)
    assert report.owner_nation.code == "USA" and report.organization == us.organization
    assert report.port.key == SAN_YSIDRO and report.reported_by == us
    assert report_port_status(mx, SAN_YSIDRO, "MEX", status="open").owner_nation.code == "MEX"
    with pytest.raises(ValidationError) as refused:
        report_port_status(mx, SAN_YSIDRO, "USA", status="closed", reason_es="Cierre")
    assert "side" in refused.value.message_dict
    assert "United States" in refused.value.message_dict["side"][0] or \
        "Estados Unidos" in refused.value.message_dict["side"][0]
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        report_port_status(us, SAN_YSIDRO, "MEX", status="open")
    assert refused.value.message_dict["side"][0].startswith("Solo ")
    assert PortStatusReport.objects.count() == 2


@pytest.mark.parametrize(("fields", "field"), [
    ({"status": "restricted"}, "reason_en"),
    ({"status": "closed"}, "reason_en"),
    ({"status": "open", "commercial_wait_minutes": -5}, "commercial_wait_minutes"),
    ({"status": "open", "passenger_wait_minutes": 24 * 60 + 1}, "passenger_wait_minutes"),
    ({"status": "open", "passenger_lanes_open": 150}, "passenger_lanes_open"),
    ({"status": "closed", "reason_en": "x", "commercial_lanes_open": 2},
     "commercial_lanes_open"),
    ({"status": "jammed"}, "status"),
    ({"status": "open", "reported_at": timezone.now() + timedelta(hours=2)}, "reported_at"),
])
def test_each_check_refuses_on_its_field(us, fields, field):
    with pytest.raises(ValidationError) as refused:
        report_port_status(us, TECATE, "USA", **fields)
    assert field in refused.value.message_dict
    assert not PortStatusReport.objects.exists()


def test_a_wait_of_zero_and_of_24_hours_are_taken(us):
    report_port_status(us, TECATE, "USA", status="open", passenger_wait_minutes=0,
                       commercial_wait_minutes=24 * 60)


# ---- Marking ---------------------------------------------------------------------------------

def test_released_to_both_nations_by_default_and_an_owner_only_report_is_absent(us, mx):
    shared = report_port_status(us, SAN_YSIDRO, "USA", status="open", reported_at=ago(30))
    assert {n.code for n in shared.rel_to.all()} == {"USA", "MEX"}
    assert shared.disclosure == "approved"
    assert port_selectors.reports_for(mx).filter(pk=shared.pk).exists()
    kept = report_port_status(us, SAN_YSIDRO, "USA", status="restricted",
                              reason_en="Secondary inspection surge", rel_to=[],
                              disclosure="not_reviewed")
    assert not port_selectors.reports_for(mx).filter(pk=kept.pk).exists()
    assert list(port_selectors.history_for(mx, port(SAN_YSIDRO))) == [shared]
    # The board never passes the older report off as the current one: the side is withheld.
    row = port_selectors.board_by_key(mx)[SAN_YSIDRO]
    assert row.usa.withheld and row.usa.report is None
    assert port_selectors.board_by_key(us)[SAN_YSIDRO].usa.report == kept


# ---- A closure is a border event -------------------------------------------------------------

def test_a_closure_reports_a_port_closed_event_that_reopening_leaves_open(us, mx):
    closed = report_port_status(mx, OTAY_CARGO, "MEX", status="closed",
                                reason_es="Revisión de un paquete sospechoso",
                                reported_at=ago(90))
    event = closed.event
    assert event is not None and event.kind.code == "port_closed"
    assert (event.latitude, event.longitude) == (closed.port.latitude, closed.port.longitude)
    assert event.owner_nation.code == "MEX" and event.reported_by == mx
    assert {n.code for n in event.rel_to.all()} == {"USA", "MEX"}
    assert event.started_at == closed.reported_at
    assert "Otay" in event.title_en and event.description_es.startswith("Revisión")
    # Still closed: the same closure, no second event.
    again = report_port_status(mx, OTAY_CARGO, "MEX", status="closed", reason_es="Sigue",
                               reported_at=ago(60))
    assert again.event == event
    assert BorderEvent.objects.filter(kind__code="port_closed").count() == 1
    reopened = report_port_status(mx, OTAY_CARGO, "MEX", status="open", reported_at=ago(10))
    assert reopened.event is None
    event.refresh_from_db()
    assert event.state == BorderEvent.State.REPORTED
    row = port_selectors.board_by_key(us)[OTAY_CARGO]
    assert row.mex.status == "open" and row.open_events == [event]


def test_a_closure_s_event_is_on_the_side_of_the_lanes_that_closed_and_says_why(us, mx):
    """Every port's point lies a few metres north of the line: the Mexican lanes' closure is
    on the Mexican side all the same, and the event's derivation says so in both languages."""
    from border import derivation
    from border.services.events import transition_event, update_event

    assert port(OTAY_CARGO).latitude and geo.side_of_boundary(
        port(OTAY_CARGO).latitude, port(OTAY_CARGO).longitude) == "USA"
    mexican = report_port_status(mx, OTAY_CARGO, "MEX", status="closed",
                                 reason_es="Revisión", reported_at=ago(30)).event
    american = report_port_status(us, TECATE, "USA", status="closed", reason_en="Flooding",
                                  reported_at=ago(30)).event
    assert (mexican.side, mexican.lanes_side) == ("MEX", "MEX")
    assert (american.side, american.lanes_side) == ("USA", "USA")
    explained = derivation.for_event(mexican).explanations()
    assert "lanes on the Mexican side" in explained["en"]
    assert "(the United States side" in explained["en"]
    assert "lado mexicano" in explained["es"] and "garita" in explained["es"]
    # A later change of the event keeps its lanes' side; so does a step of its lifecycle.
    update_event(mx, mexican, description_es="Sigue la revisión")
    transition_event(mx, mexican, "confirm")
    mexican.refresh_from_db()
    assert mexican.side == "MEX"
    # An event reported at the same point, not a closure, takes the point's side.
    plain = report_event_at_port(us, OTAY_CARGO)
    assert plain.side == "USA" and plain.lanes_side == ""
    assert "lanes" not in derivation.for_event(plain).explanations()["en"]


def report_event_at_port(user, key):
    from border.services.events import report_event

    where = port(key)
    return report_event(user, kind="port_hazmat", title_en="Spill", latitude=where.latitude,
                        longitude=where.longitude, started_at=ago(5),
                        rel_to=list(Nation.objects.filter(code__in=("USA", "MEX"))),
                        disclosure="approved")


def test_a_refused_closure_leaves_no_event(us):
    with pytest.raises(ValidationError):
        report_port_status(us, OTAY_CARGO, "USA", status="closed", commercial_lanes_open=3,
                           reason_en="Lanes closed")
    assert not BorderEvent.objects.exists()


# ---- The board -------------------------------------------------------------------------------

def test_the_board_is_each_port_west_to_east_with_each_side_s_latest_report(us, mx):
    report_port_status(us, TECATE, "USA", status="open", commercial_wait_minutes=10,
                       reported_at=ago(50))
    latest = report_port_status(us, TECATE, "USA", status="restricted",
                                reason_en="One lane", reported_at=ago(5))
    report_port_status(us, TECATE, "USA", status="open", reported_at=ago(500))  # late entry
    mexican = report_port_status(mx, TECATE, "MEX", status="open", commercial_wait_minutes=5)
    board = port_selectors.current_board(mx)
    assert [row.port.longitude for row in board] == sorted(row.port.longitude for row in board)
    assert len(board) == PortOfEntry.objects.count()
    tecate = next(row for row in board if row.port.key == TECATE)
    assert tecate.usa.report == latest and tecate.mex.report == mexican
    san_ysidro = next(row for row in board if row.port.key == SAN_YSIDRO)
    assert san_ysidro.usa.report is None and not san_ysidro.usa.withheld


def test_the_board_takes_a_fixed_number_of_queries(us, mx):
    seen = []

    def count():
        with CaptureQueriesContext(connection) as queries:
            board = port_selectors.current_board(mx)
            for row in board:
                for side in row.sides.values():
                    if side.report is not None:
                        seen.append((str(side.report.reported_by),
                                     side.report.organization.acronym, side.report.event_id,
                                     side.report.port.name))
                seen.extend(e.kind.name for e in row.open_events)
        return len(queries)

    report_port_status(us, TECATE, "USA", status="open")
    count()  # the reader's permissions are read once, then cached on the user
    few = count()
    for key in (SAN_YSIDRO, OTAY_CARGO, "2503", "2507", "2502"):
        report_port_status(us, key, "USA", status="closed", reason_en="Closed")
        report_port_status(mx, key, "MEX", status="restricted", reason_es="Un carril")
        report_port_status(mx, key, "MEX", status="open", commercial_wait_minutes=30)
    assert count() == few <= 6


# ---- Pages -----------------------------------------------------------------------------------

def test_the_board_page_in_spanish_shows_status_in_words_and_offers_only_one_s_own_side(
        us, mx, client_for):
    report_port_status(us, SAN_YSIDRO, "USA", status="restricted", passenger_wait_minutes=95,
                       reason_en="Two lanes closed for repairs",
                       reason_es="Dos carriles cerrados por reparaciones")
    report_port_status(mx, OTAY_CARGO, "MEX", status="closed", reason_es="Bloqueo")
    client = client_for(mx, HTTP_ACCEPT_LANGUAGE="es")
    page = client.get("/border/ports/").content.decode()
    assert "Situación de las garitas" in page
    assert 'data-status="restricted"' in page and "Restringida" in page
    assert "Dos carriles cerrados por reparaciones" in page and "Cerrada" in page
    assert 'data-testid="report-2504-MEX"' in page and 'data-testid="report-2504-USA"' not in page
    assert 'data-testid="open-event"' in page
    us_page = client_for(us).get("/border/ports/").content.decode()
    assert 'data-testid="report-2504-USA"' in us_page and "report-2504-MEX" not in us_page


def test_reporting_from_the_board_and_the_other_side_refused_on_the_form(us, mx, client_for):
    client = client_for(mx, HTTP_ACCEPT_LANGUAGE="es")
    response = client.post("/border/ports/2505/MEX/report/", {
        "2505-MEX-status": "open", "2505-MEX-commercial_wait_minutes": "20", "from": "port"})
    assert response.status_code == 302 and response["Location"] == "/border/ports/2505/"
    assert PortStatusReport.objects.get().commercial_wait_minutes == 20
    refused = client.post("/border/ports/2505/USA/report/", {
        "2505-USA-status": "closed", "2505-USA-reason_es": "x"})
    assert refused.status_code == 200
    assert "Solo los usuarios de" in refused.content.decode()
    assert PortStatusReport.objects.count() == 1
    missing_reason = client.post("/border/ports/2505/MEX/report/", {
        "2505-MEX-status": "restricted"})
    assert "Indique por qué" in missing_reason.content.decode()


def test_a_port_s_history_is_paginated_and_hides_what_is_not_released(us, mx, client_for):
    for minutes in range(30, 0, -1):
        report_port_status(us, TECATE, "USA", status="open", passenger_wait_minutes=minutes,
                           reported_at=ago(minutes))
    report_port_status(us, TECATE, "USA", status="closed", reason_en="Kept back", rel_to=[],
                       disclosure="not_reviewed")
    page = client_for(mx, HTTP_ACCEPT_LANGUAGE="es").get("/border/ports/2505/")
    body = page.content.decode()
    assert body.count('data-testid="history-row"') == 25 and "Kept back" not in body
    assert "No se le ha divulgado" in body
    second = client_for(mx).get("/border/ports/2505/?page=2").content.decode()
    assert second.count('data-testid="history-row"') == 5
    assert "Kept back" in client_for(us).get("/border/ports/2505/").content.decode()


# ---- API -------------------------------------------------------------------------------------

def test_the_api_board_history_and_report_with_errors_in_the_user_s_language(us, mx,
                                                                            client_for):
    api = client_for(mx, HTTP_ACCEPT_LANGUAGE="es")
    made = api.post("/api/v1/border/ports/2506-C/reports", {
        "side": "MEX", "status": "closed", "reason_es": "Bloqueo de transportistas"},
        content_type="application/json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["status"] == "closed" and body["status_label"] == "Cerrada"
    assert body["marking"]["rel_to"] == ["MEX", "USA"] and body["event"] is not None
    refused = api.post("/api/v1/border/ports/2504/reports", {
        "side": "USA", "status": "open"}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "side"
    assert refused.json()["errors"][0]["message"].startswith("Solo los usuarios de")
    negative = api.post("/api/v1/border/ports/2504/reports", {
        "side": "MEX", "status": "open", "commercial_wait_minutes": -3},
        content_type="application/json")
    assert negative.status_code == 422
    assert negative.json()["errors"][0]["field"] == "commercial_wait_minutes"
    kept = client_for(us).post("/api/v1/border/ports/2506-C/reports", {
        "side": "USA", "status": "restricted", "reason_en": "Inspection surge",
        "marking": {"rel_to": [], "disclosure": "not_reviewed"}},
        content_type="application/json")
    assert kept.status_code == 201 and kept.json()["marking"]["rel_to"] == ["USA"]
    board = {row["key"]: row for row in api.get("/api/v1/border/ports").json()}
    otay = board["2506-C"]
    assert otay["mex"]["status"] == "closed" and otay["usa"]["withheld"] is True
    assert otay["usa"]["report"] is None and otay["open_events"][0]["id"] == body["event"]
    assert api.get("/api/v1/border/ports/2506-C").json()["mex"]["report"]["id"] == body["id"]
    history = api.get("/api/v1/border/ports/2506-C/history").json()
    assert [r["id"] for r in history["items"]] == [body["id"]] and history["count"] == 1
    us_history = client_for(us).get("/api/v1/border/ports/2506-C/history").json()
    assert us_history["count"] == 2
    assert api.get("/api/v1/border/ports/nope/history").status_code == 404


# ---- The optimizer ---------------------------------------------------------------------------

def _crossings(proposal):
    return [a["route"]["crossing"] for a in proposal.plan["assignments"]
            if a["route"]["crossing"]]


def test_a_proposal_leaves_a_closed_port_out_takes_the_reported_wait_and_says_so(
        us, mx_liaison, client_for):
    from response.services import allocation
    from response.tests.test_allocation_services import make_scene

    make_scene(us, mx_liaison)

    def solved():
        proposal = allocation.propose(us)
        allocation.run_proposal(proposal.pk)
        proposal.refresh_from_db()
        return proposal

    before = solved()
    used = {c["port"] for c in _crossings(before)}
    assert used and "port_sources" not in before.instance
    planning = {p["id"]: p["wait_minutes"] for p in before.instance["ports"]}
    # The port the plan crossed at closes on the Mexican side; San Ysidro reports a long wait.
    closed_key = sorted(used)[0]
    report_port_status(mx_liaison, closed_key, "MEX", status="closed",
                       reason_es="Cierre por revisión", reported_at=ago(20))
    report_port_status(us, closed_key, "USA", status="open", commercial_wait_minutes=5)
    open_key = next(k for k in ("2504", "2505", "2503") if k != closed_key)
    report_port_status(us, open_key, "USA", status="open", commercial_wait_minutes=95)
    report_port_status(mx_liaison, open_key, "MEX", status="open", commercial_wait_minutes=30)
    after = solved()
    ports = {p["id"]: p["wait_minutes"] for p in after.instance["ports"]}
    assert closed_key not in ports and ports[open_key] == 95
    assert all(c["port"] != closed_key for c in _crossings(after))
    assert after.plan["check"]["feasible"]
    notes = {n["port"]: n for n in after.instance["port_sources"]}
    assert notes[closed_key]["left_out"] and notes[closed_key]["sides"] == ["MEX"]
    assert notes[open_key]["wait_minutes"] == 95
    assert notes[open_key]["planning_wait_minutes"] == planning[open_key]
    page = client_for(us).get(after.get_absolute_url()).content.decode()
    assert "closed on the Mexican side (status board," in page and "— left out" in page
    assert ("wait 95 min from the status board" in page
            and f"instead of the planning figure {planning[open_key]}" in page)
    spanish = client_for(us, HTTP_ACCEPT_LANGUAGE="es").get(after.get_absolute_url())
    assert "cerrada del lado mexicano" in spanish.content.decode()
    # Solving again keeps the same instance and so the same notes.
    again = allocation.resolve(us, after)
    assert again.instance["port_sources"] == after.instance["port_sources"]


# ---- The map ---------------------------------------------------------------------------------

def test_the_ports_layer_carries_each_side_s_current_status_as_the_reader_may_see_it(
        us, mx, client_for):
    report_port_status(mx, OTAY_CARGO, "MEX", status="closed", reason_es="Bloqueo")
    report_port_status(us, OTAY_CARGO, "USA", status="open", commercial_wait_minutes=40)
    report_port_status(us, SAN_YSIDRO, "USA", status="restricted", reason_en="Kept",
                       rel_to=[], disclosure="not_reviewed")
    features = client_for(mx, HTTP_ACCEPT_LANGUAGE="es").get(
        "/api/v1/map/ports-of-entry").json()["features"]
    props = {f["properties"]["key"]: f["properties"] for f in features}
    otay = props[OTAY_CARGO]
    assert (otay["status"], otay["status_mex"], otay["status_usa"]) == ("closed", "closed",
                                                                        "open")
    assert otay["status_label"] == "Cerrada" and otay["status_mex_text"].startswith("Cerrada")
    assert "espera de carga 40 min" in otay["status_usa_text"]
    assert otay["board_url"] == "/border/ports/2506-C/"
    san_ysidro = props[SAN_YSIDRO]  # the US report is kept from Mexico
    assert san_ysidro["status"] is None and san_ysidro["status_usa"] is None
    assert san_ysidro["status_usa_text"] == "No se le ha divulgado"
    assert props[TECATE]["status"] is None and props[TECATE]["status_mex_text"] == "Sin reporte"
    mine = {f["properties"]["key"]: f["properties"]
            for f in client_for(us).get("/api/v1/map/ports-of-entry").json()["features"]}
    assert mine[SAN_YSIDRO]["status"] == "restricted"
    page = client_for(mx, HTTP_ACCEPT_LANGUAGE="es").get("/response/map/").content.decode()
    assert "Restringida" in page and "Carriles de EUA" in page  # the legend and popup


def test_status_reports_obey_releasability(us, mx):
    """Every read path of a report (the port's history page and the API's history) follows
    its marking: the other nation sees it only once released with disclosure approved."""
    assert_releasability(ReleasabilityCase(
        make=lambda user: report_port_status(user, TECATE, "USA", status="restricted",
                                             reason_en="One lane"),
        list_url=f"/border/ports/{TECATE}/", detail_url=None,
        api_list_url=f"/api/v1/border/ports/{TECATE}/history", api_detail_url=None,
        export_url=None, text=lambda report: f'data-report="{report.pk}"',
    ), us_user=us, mx_user=mx)


def test_the_board_shows_times_in_the_reader_s_time_zone_and_format(us, mx, client_for):
    from datetime import UTC, datetime

    at = datetime(2026, 12, 7, 20, 5, tzinfo=UTC)
    report_port_status(us, TECATE, "USA", status="open", reported_at=at)
    mx.time_zone = "America/Mazatlan"  # Baja California Sur: UTC-7
    mx.save()
    us.time_zone = "America/Los_Angeles"  # UTC-8 in December
    us.save()
    spanish = client_for(mx, HTTP_ACCEPT_LANGUAGE="es").get("/border/ports/").content.decode()
    assert "07/12/2026 13:05" in spanish
    english = client_for(us, HTTP_ACCEPT_LANGUAGE="en").get("/border/ports/").content.decode()
    assert "12:05" in english and "13:05" not in english
