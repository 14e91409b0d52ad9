"""Test data for interop: the shared conformance corpus (read by path, never copied) and a
bilingual CAP alert built in code."""

import datetime as dt
from pathlib import Path

from interop import cap

ROOT = Path(__file__).resolve().parents[2]
STANDARDS = ROOT / ".." / "shared" / "standards"
PACIFIC = dt.timezone(dt.timedelta(hours=-8))


def bilingual_alert(**changes):
    """An exercise alert with an en-US and an es-MX info block, polygon, circle and geocodes."""
    area = dict(
        polygons=[[(32.55, -117.05), (32.6, -116.9), (32.5, -116.85), (32.55, -117.05)]],
        circles=[cap.Circle(32.5434, -116.9713, 5.0)],
        geocodes=[cap.ValuePair("SAME", "006073"), cap.ValuePair("INEGI", "02004")],
    )
    infos = [
        cap.Info(
            language="en-US", categories=["Fire"], event="Wildfire",
            response_types=["Evacuate"], urgency="Immediate", severity="Severe",
            certainty="Observed", sender_name="Cal OES",
            headline="EXERCISE: wildfire on Otay Mountain",
            description="A wildfire is burning on Otay Mountain near the border.",
            instruction="Leave the area by the routes the authorities give.",
            expires=dt.datetime(2026, 1, 12, 18, 0, tzinfo=PACIFIC),
            parameters=[cap.ValuePair("EnlaceIncident", "7")],
            areas=[cap.Area(desc="Otay Mountain, San Diego County", **area)],
        ),
        cap.Info(
            language="es-MX", categories=["Fire"], event="Incendio forestal",
            response_types=["Evacuate"], urgency="Immediate", severity="Severe",
            certainty="Observed", sender_name="Cal OES",
            headline="EJERCICIO: incendio forestal en la sierra de Otay",
            description="Un incendio forestal arde en la sierra de Otay, cerca de la frontera.",
            instruction="Salga de la zona por las rutas que indiquen las autoridades.",
            expires=dt.datetime(2026, 1, 12, 18, 0, tzinfo=PACIFIC),
            parameters=[cap.ValuePair("EnlaceIncident", "7")],
            areas=[cap.Area(desc="Sierra de Otay, condado de San Diego", **area)],
        ),
    ]
    values = dict(
        identifier="enlace-incident-7", sender="caloes@enlace.example",
        sent=dt.datetime(2026, 1, 11, 9, 30, tzinfo=PACIFIC), status="Exercise",
        msg_type="Alert", scope="Public", note="Los Cabos exercise", infos=infos,
    )
    values.update(changes)
    return cap.Alert(**values)


def alert_bytes(**changes):
    return cap.write(bilingual_alert(**changes))
