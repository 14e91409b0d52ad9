"""Load the binational contact matrix (border/data/contact_matrix.csv, see its README) into
ContactRule rows. Idempotent: rows are updated by (kind, side, chain, level); rows an
administrator added in the admin are left alone."""

import csv
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

MATRIX = Path(__file__).with_name("data") / "contact_matrix.csv"


def matrix_rows(path=MATRIX):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@transaction.atomic
def load_contact_matrix(path=MATRIX):
    """Create or update the matrix's rows; returns how many. An event kind or organization the
    database lacks is an error naming the line, and nothing is stored."""
    from accounts.models import Organization
    from border.models import BorderEventKind, ContactRule

    kinds = {k.code: k for k in BorderEventKind.objects.all()}
    organizations = {o.acronym: o for o in Organization.objects.all()}
    count = 0
    for line, row in enumerate(matrix_rows(path), start=2):
        kind, organization = kinds.get(row["kind"]), organizations.get(row["organization"])
        if kind is None or organization is None:
            missing = row["kind"] if kind is None else row["organization"]
            raise ValidationError(f"{path.name} line {line}: unknown event kind or "
                                  f"organization {missing!r} (run load_reference first).")
        rule, _created = ContactRule.objects.update_or_create(
            kind=kind, side=row["side"], chain=row["chain"], level=int(row["level"]),
            defaults={"organization": organization, "channel": row["channel"],
                      "minutes": int(row["minutes"]), "national": row["national"] == "yes",
                      "duty_role_en": row["duty_role_en"], "duty_role_es": row["duty_role_es"],
                      "contact": row["contact"], "active": True})
        rule.full_clean()
        count += 1
    return count
