"""The ICS ↔ SCI terms the printed forms show beside each other (`data/ics_sci_terms.csv`, a
curated copy of the project's glossary: see `data/README.md`). Each term reads in the
language active when it is shown, so a form rendered once per language (core.pdf) names the
ICS form on its English half and the SCI equivalent on its Spanish half."""

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import get_language

DATA = Path(__file__).parent / "data" / "ics_sci_terms.csv"


@dataclass(frozen=True)
class Term:
    kind: str
    code: str
    en: str
    es: str
    confidence: str

    def __str__(self):
        return self.es if (get_language() or "en").startswith("es") else self.en

    @property
    def other(self):
        """The term in the other system: the SCI term to an English reader, the ICS one to a
        Spanish reader."""
        return self.en if (get_language() or "en").startswith("es") else self.es


@functools.cache
def _terms():
    with DATA.open(encoding="utf-8", newline="") as f:
        return {(row["kind"], row["code"]): Term(row["kind"], row["code"], row["en"], row["es"],
                                                 row["confidence"])
                for row in csv.DictReader(f)}


def term(kind, code):
    """The term of `kind` ("form", "status", "position", "term") and `code` (ICS-211…)."""
    return _terms()[(kind, code)]


# The check-in statuses (response.models.CheckIn.Status) and their SCI resource statuses.
CHECK_IN_STATUS = {"checked_in": "CHECKED-IN", "available": "AVAILABLE",
                   "assigned": "ASSIGNED", "out_of_service": "OUT-OF-SERVICE",
                   "demobilized": "RELEASED"}


def status_term(status):
    code = CHECK_IN_STATUS.get(status)
    return term("status", code) if code else None
