from django.urls import reverse

from core.testing import ReleasabilityCase, assert_releasability
from partnerships.tests.factories import make_partnership


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
