"""Demo port-of-entry status board, dated relative to the day the demo is loaded: every port's
current status on both sides, through the status service as the demo users of each side —
Otay Mesa's cargo crossing closed on the Mexican side two hours ago (its border event reported
with it and confirmed), San Ysidro restricted on the US side with a long wait, the others
open — and a little history: the US lanes of Otay Mesa closed three weeks ago, linked to the
border event already reported about it (border.demo), and reopened four hours later.
Idempotent: nothing is made when any status has been reported."""

from datetime import timedelta

from django.utils import timezone

from border.models import BorderEvent, PortStatusReport
from border.services.events import transition_event
from border.services.ports import report_port_status
from core.demo import happened_at

# The event border.demo reports about the Otay Mesa closure three weeks ago.
OTAY_MESA_EVENT = "Otay Mesa port closed: suspicious package"

# (port key, side, minutes ago, status, passenger wait, commercial wait, passenger lanes,
#  commercial lanes, reason in English, reason in Spanish)
CURRENT = [
    ("2504", "USA", 190, "open", 55, 60, 24, None, "", ""),
    ("2504", "MEX", 70, "open", 25, 30, 20, None, "", ""),
    ("2504", "USA", 40, "restricted", 110, 95, 12, None,
     "Half the northbound vehicle lanes closed for booth repairs; SENTRI lanes open.",
     "La mitad de los carriles vehiculares hacia el norte cerrados por reparación de casetas; "
     "los carriles SENTRI siguen abiertos."),
    ("2506-P", "USA", 75, "open", 45, None, 10, None, "", ""),
    ("2506-P", "MEX", 80, "open", 20, None, 8, None, "", ""),
    ("2506-C", "USA", 150, "open", None, 50, None, 6, "", ""),
    ("2506-C", "MEX", 120, "closed", None, None, None, 0,
     "Carriers' blockade at the access road to the Mexican customs yard.",
     "Bloqueo de transportistas en el acceso al patio de la aduana de Mesa de Otay."),
    ("2505", "USA", 65, "open", 20, 15, 2, 1, "", ""),
    ("2505", "MEX", 95, "open", 15, 10, 2, 1, "", ""),
    ("2503", "USA", 55, "open", 35, None, 10, None, "", ""),
    ("2503", "MEX", 50, "open", 25, None, 8, None, "", ""),
    ("2507", "USA", 85, "open", 30, 45, 8, 4, "", ""),
    ("2507", "MEX", 100, "open", 20, 35, 6, 3, "", ""),
    ("2502", "USA", 110, "open", 10, None, 2, None, "", ""),
]


def load(users):
    if PortStatusReport.objects.exists():
        return
    now = timezone.now().replace(second=0, microsecond=0)
    reporters = {"USA": users["us.duty"], "MEX": users["mx.bc"]}
    _history(reporters["USA"], now)
    for key, side, minutes, status, passenger, commercial, lanes, cargo_lanes, reason_en, \
            reason_es in sorted(CURRENT, key=lambda row: -row[2]):
        at = now - timedelta(minutes=minutes)
        with happened_at(at):
            report = report_port_status(
                reporters[side], key, side, status=status, passenger_wait_minutes=passenger,
                commercial_wait_minutes=commercial, passenger_lanes_open=lanes,
                commercial_lanes_open=cargo_lanes, reason_en=reason_en, reason_es=reason_es,
                reported_at=at)
        if report.event_id is not None:  # the closure's border event, confirmed by its side
            with happened_at(at + timedelta(minutes=15)):
                transition_event(reporters[side], report.event, "confirm")


def _history(duty, now):
    """The US lanes of Otay Mesa closed and reopened three weeks ago, with the border event
    border.demo reported then (none is made when it is missing)."""
    event = BorderEvent.objects.filter(title_en=OTAY_MESA_EVENT).first()
    if event is None:
        return
    closed, reopened = event.started_at + timedelta(minutes=20), event.started_at + \
        timedelta(hours=4)
    with happened_at(closed):
        report_port_status(
            duty, "2506-P", "USA", status="closed", passenger_lanes_open=0,
            reason_en="Lanes closed while CBP examines a suspicious package.",
            reason_es="Carriles cerrados mientras CBP revisa un paquete sospechoso.",
            reported_at=closed, event=event)
    with happened_at(reopened):
        report_port_status(duty, "2506-P", "USA", status="open", passenger_wait_minutes=90,
                           passenger_lanes_open=10, reported_at=reopened)
