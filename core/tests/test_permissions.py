"""require(): one query answers whether the record is seen and whether the user's nation may
act on it; the refusal still says which of the two, or the role, is missing."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.permissions import require
from partnerships.tests.factories import make_partnership


@pytest.fixture
def partnership(persona_of):
    return make_partnership(persona_of("coordinator", "USA"), rel_to=("USA", "MEX"))


def test_a_write_check_is_one_query_once_the_role_is_known(
        persona_of, partnership, django_assert_num_queries):
    coordinator = persona_of("coordinator", "USA")
    coordinator.has_perm("partnerships.change_partnership")  # the role's permissions, read once
    with django_assert_num_queries(1):
        require(coordinator, partnership, "change")


def test_each_refusal_says_what_is_missing(persona_of, partnership):
    us_viewer = persona_of("viewer", "USA")
    mx_coordinator = persona_of("coordinator", "MEX")
    with pytest.raises(PermissionDenied, match="role"):
        require(us_viewer, partnership, "change")
    with pytest.raises(PermissionDenied, match="owning nation"):
        require(mx_coordinator, partnership, "change")
    partnership.rel_to.remove(mx_coordinator.nation)
    with pytest.raises(Http404):
        require(mx_coordinator, partnership, "change")
