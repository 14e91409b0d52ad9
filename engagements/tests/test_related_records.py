"""Records an engagement or a person names — objectives, a Guard member record — through the
one rule (core.related): a Mexican user reading a released engagement or person never reads
the name of a US-only objective or a Guard member, on the page, in its history (page and API)
or in the export; they read "a record not released to you" instead."""

from django.urls import reverse

from accounts.models import Nation, Role
from core.testing import assert_related_hidden
from engagements.tests.factories import make_engagement, make_objective, make_person, mexico
from personnel.tests.factories import make_member


def test_a_us_only_objective_of_a_released_engagement_is_not_named(us_coordinator,
                                                                     mx_liaison):
    partnership = mexico(us_coordinator)
    objective = make_objective(us_coordinator, partnership, code="ZULU-9")
    objective.rel_to.set([Nation.objects.get(code="USA")])
    engagement = make_engagement(us_coordinator, partnership)
    engagement.objectives.add(objective, make_objective(us_coordinator, partnership, "HADR-2"))
    assert_related_hidden(
        owner=us_coordinator, reader=mx_liaison, secret="ZULU-9",
        paths=[reverse("engagements:detail", args=[engagement.pk]),
               f"/api/v1/engagements/{engagement.pk}/history"],
        exports=[reverse("engagements:export")])


def test_a_guard_member_record_of_a_released_person_is_not_named(us_coordinator, mx_liaison):
    us_coordinator.groups.add(Role.objects.get(code="personnel_officer"))
    member = make_member("G900", last_name="Zubizarreta")
    person = make_person(us_coordinator, "Rosa Vega", nation="USA", rel_to=("MEX",),
                         guard_member=member)
    assert_related_hidden(owner=us_coordinator, reader=mx_liaison, secret="Zubizarreta",
                          paths=[reverse("engagements:person", args=[person.pk])])
