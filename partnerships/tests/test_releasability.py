from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Nation
from core.testing import ReleasabilityCase, assert_releasability
from partnerships.tests.factories import (
    make_agreement,
    make_assessment,
    make_indicator,
    make_line,
    make_measurement,
    make_objective,
    make_partnership,
    make_program,
)


def test_partnerships_obey_releasability_on_every_read_path(us_coordinator, mx_liaison):
    case = ReleasabilityCase(
        make=lambda user: make_partnership(user, partner="NGA", name_en="Sierra Lima pairing"),
        list_url=reverse("partnerships:list"),
        detail_url=lambda p: reverse("partnerships:detail", args=[p.pk]),
        api_list_url="/api/v1/partnerships",
        api_detail_url=lambda p: f"/api/v1/partnerships/{p.pk}",
        export_url=reverse("partnerships:export"),
        text=lambda p: p.name_en,
    )
    assert_releasability(case, us_user=us_coordinator, mx_user=mx_liaison)


# The partnership program: every record under a partnership released to Mexico, on every read
# path (list page, detail page, API list, API detail; none of them has an export).

PROGRAM = {
    "agreement": ("agreements", "agreements",
                  lambda user, tree: make_agreement(user, tree[0], title_en="Sierra Lima letter"),
                  lambda a: a.title_en),
    "line": ("lines", "lines-of-effort",
             lambda user, tree: make_line(user, tree[0], code="sl", name_en="Sierra Lima line"),
             lambda line: line.name_en),
    "objective": ("objectives", "objectives",
                  lambda user, tree: make_objective(user, tree[1], code="SL-1",
                                                    statement_en="Sierra Lima objective"),
                  lambda o: o.statement_en),
    "indicator": ("indicators", "indicators",
                  lambda user, tree: make_indicator(user, tree[2],
                                                    name_en="Sierra Lima indicator"),
                  lambda i: i.name_en),
    "measurement": ("measurements", "measurements",
                    lambda user, tree: make_measurement(user, tree[3], 7, date(2025, 5, 5),
                                                        source="Sierra Lima roster"),
                    lambda m: m.source),
    "assessment": ("assessments", "assessments",
                   lambda user, tree: make_assessment(user, tree[0],
                                                      findings_en="Sierra Lima findings"),
                   lambda a: a.findings_en),
}


def _ancestors(record):
    """Every record above `record` in the program, nearest first."""
    parents = record.marking_parents()
    return [*parents, *(a for parent in parents for a in _ancestors(parent))]


@pytest.mark.parametrize("kind", list(PROGRAM))
def test_program_records_obey_releasability_on_every_read_path(us_coordinator, mx_liaison,
                                                               kind):
    list_name, api_name, make, text = PROGRAM[kind]
    tree = make_program(us_coordinator)  # released to Mexico, disclosure approved
    case = ReleasabilityCase(
        make=lambda user: make(user, tree),
        list_url=reverse(f"partnerships:{list_name}"),
        detail_url=lambda record: record.get_absolute_url(),
        api_list_url=f"/api/v1/{api_name}",
        api_detail_url=lambda record: f"/api/v1/{api_name}/{record.pk}",
        export_url=None,
        text=text,
        parents=_ancestors,
    )
    assert_releasability(case, us_user=us_coordinator, mx_user=mx_liaison)


@pytest.mark.parametrize("kind", list(PROGRAM))
def test_program_records_are_hidden_with_their_partnership(client_for, us_coordinator,
                                                           mx_liaison, kind):
    """Released to Mexico itself, a record stays hidden while its partnership is not."""
    list_name, api_name, make, text = PROGRAM[kind]
    tree = make_program(us_coordinator)
    record = make(us_coordinator, tree)
    partnership = tree[0]
    partnership.rel_to.set(Nation.objects.filter(code="USA"))
    client = client_for(mx_liaison)
    assert client.get(record.get_absolute_url()).status_code == 404
    assert client.get(f"/api/v1/{api_name}/{record.pk}").status_code == 404
    assert text(record) not in client.get(reverse(f"partnerships:{list_name}")).content.decode()
