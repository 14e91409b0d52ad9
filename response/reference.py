"""Load the app's reference data — ports of entry and resource kinds — from the curated copies
in `response/data/` (see its README for sources). Idempotent: rows are updated by key. Takes the
model classes so the data migration can pass its historical models."""

import csv
import re
from datetime import time
from pathlib import Path

DATA = Path(__file__).with_name("data")


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _time(value):
    return time.fromisoformat(value) if value else None


def load_ports(PortOfEntry):
    # An earlier data migration passes the model as it was then: its English hours were
    # `hours_text` and it had no Spanish ones.
    columns = {field.name for field in PortOfEntry._meta.fields}
    for row in _rows("ports_of_entry.csv"):
        values = {
            "code": row["code"], "name_en": row["name_en"], "name_es": row["name_es"],
            "us_city": row["us_city"], "mx_city": row["mx_city"],
            "latitude": float(row["latitude"]), "longitude": float(row["longitude"]),
            "commercial": row["commercial"] == "yes", "hours_en": row["hours"],
            "hours_text": row["hours"], "hours_es": row["hours_es"],
            "opens": _time(row["opens"]), "closes": _time(row["closes"]), "days": row["days"],
            "hours_provisional": row["hours_provisional"] == "yes", "notes": row["notes"],
        }
        PortOfEntry.objects.update_or_create(key=row["key"], defaults={
            name: value for name, value in values.items() if name in columns})


SUBSTITUTE = re.compile(r"([A-Z0-9][A-Z0-9-]+[A-Z0-9])(?:\s*\(([^)]*)\))?")


def load_resource_kinds(ResourceKind):
    rows = _rows("resource_types.csv")
    kinds = {}
    for row in rows:
        kinds[row["code"]], _ = ResourceKind.objects.update_or_create(code=row["code"], defaults={
            "rtlt_id": row["rtlt_id"], "category": row["category"], "name_en": row["name_en"],
            "name_es": row["name_es"],
            "typical_personnel": int(row["typical_personnel"]) if row["typical_personnel"]
            else None,
            "typical_equipment": row["typical_equipment"], "substitutes_note": row["substitutes"],
            "notes": row["notes"],
        })
    for row in rows:
        codes = [m.group(1) for m in SUBSTITUTE.finditer(row["substitutes"])
                 if m.group(1) in kinds]
        kinds[row["code"]].substitutes.set([kinds[c] for c in codes])
    return kinds


def load_reference():
    from response.models import PortOfEntry, ResourceKind

    load_ports(PortOfEntry)
    load_resource_kinds(ResourceKind)
