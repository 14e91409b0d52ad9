"""Personnel records never leave the owning nation, on any read path."""

from django.urls import reverse

from core.testing import ReleasabilityCase, assert_never_released
from personnel.models import DutyStatus
from personnel.tests.factories import make_member, make_order, make_unit


def test_members_are_never_shown_to_a_partner(persona_of, mx_liaison):
    j1 = persona_of("personnel_officer")
    case = ReleasabilityCase(
        make=lambda user: make_member("555", last_name="Zamorano", status=DutyStatus.SAD),
        list_url=reverse("personnel:roster"),
        detail_url=lambda m: reverse("personnel:member", args=[m.pk]),
        api_list_url="/api/v1/personnel/members",
        api_detail_url=lambda m: f"/api/v1/personnel/members/{m.pk}",
        export_url=reverse("personnel:roster_export"),
        text=lambda m: m.last_name,
    )
    assert_never_released(case, us_user=j1, mx_user=mx_liaison)


def test_orders_are_never_shown_to_a_partner(persona_of, mx_liaison):
    j1 = persona_of("personnel_officer")
    case = ReleasabilityCase(
        make=lambda user: make_order([make_member("556")], user, title_en="Operation Ridgeline"),
        list_url=reverse("personnel:orders"),
        detail_url=lambda o: reverse("personnel:order", args=[o.pk]),
        api_list_url="/api/v1/personnel/orders",
        api_detail_url=lambda o: f"/api/v1/personnel/orders/{o.pk}",
        export_url=None,
        text=lambda o: o.title_en,
    )
    assert_never_released(case, us_user=j1, mx_user=mx_liaison)


def test_units_are_never_shown_to_a_partner(persona_of, mx_liaison):
    """A unit has no page of its own: the roster's unit filter names it."""
    j1 = persona_of("personnel_officer")
    case = ReleasabilityCase(
        make=lambda user: make_unit("1-144FA", "1st Battalion, 144th Field Artillery"),
        list_url=reverse("personnel:roster"),
        detail_url=None,
        api_list_url=None,
        api_detail_url=None,
        export_url=None,
        text=lambda unit: unit.name,
    )
    assert_never_released(case, us_user=j1, mx_user=mx_liaison)
