"""The releasability rule: restrict() in SQL agrees with the pure rule for any marking and any
user, and marking changes are permissioned and recorded."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import Nation
from core import markings
from core.services import change_marking
from partnerships.models import Partnership
from partnerships.tests.factories import make_partnership

NATIONS = ["USA", "MEX", "UKR", "NGA"]
ORG_OF = {"USA": "CalGuard", "MEX": "DEFENSA", "UKR": "DSNS", "NGA": "NEMA"}

marking_strategy = st.builds(
    lambda owner, others, disclosure: markings.Marking(
        owner=owner, rel_to=frozenset({owner, *others}), disclosure=disclosure),
    st.sampled_from(NATIONS),
    st.frozensets(st.sampled_from(NATIONS)),
    st.sampled_from(markings.DISCLOSURE_STATES),
)


class _Rollback(Exception):
    pass


@pytest.fixture
def viewers(make_user):
    users = {code: make_user(f"viewer.{code}", ORG_OF[code], "viewer") for code in NATIONS}
    users[None] = make_user("viewer.none", None, "viewer")
    return users


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(marks=st.lists(marking_strategy, min_size=1, max_size=6))
def test_restrict_agrees_with_the_rule(viewers, marks):
    nations = {n.code: n for n in Nation.objects.all()}
    try:
        with transaction.atomic():
            records = {}
            for i, mark in enumerate(marks):
                record = Partnership.objects.create(
                    name_en=f"p{i}", name_es=f"p{i}", us_state=f"S{i}",
                    partner_nation=nations["MEX"], owner_nation=nations[mark.owner],
                    disclosure=mark.disclosure)
                record.rel_to.set([nations[c] for c in mark.rel_to])
                records[record.pk] = mark
            for nation, user in viewers.items():
                seen = set(Partnership.objects.restrict(user).values_list("pk", flat=True))
                expected = {pk for pk, m in records.items() if markings.releasable_to(nation, m)}
                assert seen == expected, (nation, marks)
            raise _Rollback
    except _Rollback:
        pass


def test_a_partner_sees_nothing_it_was_not_released(us_coordinator, mx_liaison, outsider):
    make_partnership(us_coordinator, partner="UKR", rel_to=["USA"])
    make_partnership(us_coordinator, partner="MEX", rel_to=["USA", "MEX"], disclosure="in_review")
    released = make_partnership(us_coordinator, partner="NGA", rel_to=["MEX"])
    assert list(Partnership.objects.restrict(mx_liaison)) == [released]
    assert Partnership.objects.restrict(outsider).count() == 0
    assert Partnership.objects.restrict(us_coordinator).count() == 3


def test_the_owner_is_always_releasable(us_coordinator):
    partnership = make_partnership(us_coordinator, rel_to=["MEX"])
    assert {n.code for n in partnership.rel_to.all()} == {"USA", "MEX"}


def test_partners_read_but_never_edit_a_released_record(us_coordinator, mx_liaison):
    partnership = make_partnership(us_coordinator, rel_to=["MEX"])
    assert Partnership.objects.restrict(mx_liaison, "view").filter(pk=partnership.pk).exists()
    assert not Partnership.objects.restrict(mx_liaison, "change").exists()


def test_role_permission_applies_on_top_of_the_marking(make_user, us_coordinator):
    make_partnership(us_coordinator)
    no_role = make_user("t.norole", "CalGuard", role=None)
    assert Partnership.objects.restrict(no_role).count() == 0


def test_changing_a_marking_is_permissioned_and_recorded(us_coordinator, us_viewer,
                                                         mx_liaison):
    partnership = make_partnership(us_coordinator, rel_to=["USA"])
    mex = Nation.objects.get(code="MEX")
    with pytest.raises(PermissionDenied):
        change_marking(partnership, us_viewer, rel_to=[mex], disclosure="approved")
    # Not released to Mexico: to its liaison the record does not exist.
    with pytest.raises(Http404):
        change_marking(partnership, mx_liaison, rel_to=[mex], disclosure="approved")
    with pytest.raises(ValidationError):
        change_marking(partnership, us_coordinator, rel_to=[mex], disclosure="shared")

    change_marking(partnership, us_coordinator, rel_to=[mex], disclosure="approved", tlp="green")

    partnership.refresh_from_db()
    assert partnership.releasable_to("MEX")
    entries = LogEntry.objects.get_for_object(partnership).filter(actor=us_coordinator)
    changed = [e.changes_dict for e in entries]
    assert any("disclosure" in c and c["disclosure"][1] == "approved" for c in changed)
    assert any(c.get("rel_to", {}).get("operation") == "add" for c in changed)


def test_disclosure_decisions_need_the_review_permission(persona_of, us_coordinator):
    liaison_us = persona_of("liaison")
    partnership = make_partnership(us_coordinator, rel_to=["USA"], disclosure="not_reviewed")
    # A liaison may edit partnerships but holds neither marking permission.
    with pytest.raises(PermissionDenied):
        change_marking(partnership, liaison_us, rel_to=[], disclosure="in_review")


def test_has_perm_of_a_record_is_restrict(us_coordinator, us_viewer, mx_liaison):
    """The authentication backend: user.has_perm(perm, record) means the record is in
    restrict(user, action) — the role's permission, the marking and, to act, the owning
    nation."""
    partnership = make_partnership(us_coordinator, rel_to=["USA"])
    assert us_coordinator.has_perm("partnerships.change_partnership", partnership)
    assert us_viewer.has_perm("partnerships.view_partnership", partnership)
    assert not us_viewer.has_perm("partnerships.change_partnership", partnership)
    assert not mx_liaison.has_perm("partnerships.view_partnership", partnership)
    partnership.rel_to.add(Nation.objects.get(code="MEX"))
    assert mx_liaison.has_perm("partnerships.view_partnership", partnership)
    assert not mx_liaison.has_perm("partnerships.change_partnership", partnership)
    # A permission of another model never answers for this record.
    assert not us_coordinator.has_perm("engagements.change_engagement", partnership)
