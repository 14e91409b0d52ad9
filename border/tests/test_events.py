"""Border events: what Enlace derives from the point, every guard's refusal, the lifecycle,
the timeline (with the event's marking) and the incident an event opens."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation

from border import derivation
from border.models import BorderEvent, BorderEventKind, TimelineEntry
from border.services import events
from border.tests.factories import (
    MEXICALI,
    OTAY_MOUNTAIN,
    SACRAMENTO,
    TIJUANA_RIVER,
    nations,
    report,
)
from core.models import Disclosure
from core.services import change_marking
from response.models import Incident

pytestmark = pytest.mark.django_db


# ---- Kinds -----------------------------------------------------------------------------------

def test_the_seeded_kinds_are_the_border_s_eight(reference):
    codes = set(BorderEventKind.objects.values_list("code", flat=True))
    assert {"wildfire", "river_sewage", "port_hazmat", "port_mass_casualty", "port_closed",
            "migrants_distress", "utility_outage", "earthquake"} <= codes
    with translation.override("es"):
        assert BorderEventKind.objects.get(code="port_closed").name == (
            "Garita cerrada o congestionada")


# ---- Derivations -----------------------------------------------------------------------------

def test_the_side_and_distance_are_derived_and_stored_on_save(us):
    event = report(us)
    assert event.side == "USA" and 0 < event.border_distance_km < 8
    event.latitude, event.longitude = TIJUANA_RIVER
    event.save()
    event.refresh_from_db()
    assert event.side == "MEX" and event.border_distance_km < 2
    event.latitude, event.longitude = SACRAMENTO
    event.save()
    assert event.side == "USA" and event.border_distance_km > 600


def test_the_derivation_names_the_sister_cities_and_nearest_ports(us):
    event = report(us, point=MEXICALI)
    found = derivation.for_event(event)
    assert [a.pair.key for a in found.sister_cities][:1] == ["calexico-mexicali"]
    assert found.sister_cities[0].town == "Mexicali" and found.sister_cities[0].distance_km < 1
    assert "san-diego-tijuana" not in {a.pair.key for a in found.sister_cities}
    assert [p.port.key for p in found.ports][0] == "2503"  # Calexico West, downtown
    assert found.ports[0].distance_km < found.ports[1].distance_km < found.ports[2].distance_km
    assert found.in_border_zone


def test_the_derivation_is_explained_in_both_languages(us):
    event = report(us)
    found = derivation.for_event(event)
    both = found.explanations()
    assert "United States side" in both["en"] and "San Diego–Tijuana" in both["en"]
    assert "lado estadounidense" in both["es"] or "Estados Unidos" in both["es"]
    assert "garita" in both["es"].lower()
    far = derivation.for_event(report(us, point=SACRAMENTO, title="Far"))
    assert far.sister_cities == () and not far.in_border_zone
    assert "national channels" in far.explanations()["en"]


# ---- Guards ----------------------------------------------------------------------------------

def _refused(field, **fields):
    with pytest.raises(ValidationError) as refused:
        events.report_event(**fields)
    assert field in refused.value.message_dict, refused.value.message_dict
    return refused.value.message_dict[field][0]


def _fields(user, **changes):
    return {"user": user, "kind": "wildfire", "title_en": "Fire", "latitude": OTAY_MOUNTAIN[0],
            "longitude": OTAY_MOUNTAIN[1],
            "started_at": timezone.now() - timedelta(hours=1), **changes}


def test_an_event_cannot_start_in_the_future(us):
    report(us)  # the kinds
    message = _refused("started_at", **_fields(
        us, started_at=timezone.now() + timedelta(hours=2)))
    assert message == "An event cannot start in the future."


def test_an_event_cannot_end_before_it_started_nor_in_the_future(us):
    report(us)
    start = timezone.now() - timedelta(hours=5)
    assert _refused("ended_at", **_fields(us, started_at=start,
                                          ended_at=start - timedelta(minutes=1))) == (
        "An event cannot end before it started.")
    assert _refused("ended_at", **_fields(us, ended_at=timezone.now() + timedelta(hours=1)))


def test_a_claimed_side_must_be_the_point_s_side_in_the_user_s_language(us, mx):
    report(us)
    assert "not in" in _refused("claimed_side", **_fields(us, claimed_side="MEX"))
    with translation.override("es"):
        message = _refused("claimed_side", **_fields(
            mx, latitude=TIJUANA_RIVER[0], longitude=TIJUANA_RIVER[1], claimed_side="USA"))
    assert "no en" in message
    # The right side, or none claimed, is accepted.
    assert events.report_event(**_fields(us, claimed_side="USA")).side == "USA"


def test_the_reporting_organization_must_be_of_the_user_s_nation(us):
    report(us)
    assert _refused("reporting_organization", **_fields(us, reporting_organization="DEFENSA"))


def test_an_inactive_kind_or_a_missing_title_or_a_bad_perimeter_is_refused(us):
    report(us)
    BorderEventKind.objects.filter(code="earthquake").update(active=False)
    assert _refused("kind", **_fields(us, kind="earthquake"))
    assert _refused("kind", **_fields(us, kind="meteor"))
    assert _refused("title_en", **_fields(us, title_en=""))
    assert "closed" in _refused("perimeter", **_fields(us, perimeter={
        "type": "Polygon", "coordinates": [[[-116.9, 32.5], [-116.8, 32.5], [-116.8, 32.6],
                                            [-116.85, 32.65]]]}))
    assert _refused("latitude", **_fields(us, latitude=123))


def test_whether_an_event_is_an_exercise_is_said_once(us):
    event = report(us, is_exercise=True)
    with pytest.raises(ValidationError) as refused:
        events.update_event(us, event, is_exercise=False)
    assert "is_exercise" in refused.value.message_dict
    events.update_event(us, event, is_exercise=True, title_en="Same flag")
    assert BorderEvent.objects.get(pk=event.pk).is_exercise


def test_only_the_reporting_nation_changes_its_event(us, mx):
    event = report(us)
    with pytest.raises(PermissionDenied):
        events.update_event(mx, event, title_en="Ours now")
    with pytest.raises(PermissionDenied):
        events.transition_event(mx, event, "confirm")
    hidden = report(us, rel_to=(), title="US only")
    with pytest.raises(Http404):
        events.update_event(mx, hidden, title_en="x")
    updated = events.update_event(us, event, latitude=TIJUANA_RIVER[0],
                                  longitude=TIJUANA_RIVER[1])
    assert updated.side == "MEX"


# ---- Lifecycle -------------------------------------------------------------------------------

def test_the_lifecycle_runs_reported_confirmed_contained_closed(us):
    event = report(us)
    assert [o.name for o in events.transitions_for(us, event)] == ["confirm", "contain",
                                                                    "close"]
    event = events.transition_event(us, event, "confirm")
    assert event.state == BorderEvent.State.CONFIRMED
    with pytest.raises(ValidationError):
        events.transition_event(us, event, "confirm")
    event = events.transition_event(us, event, "contain")
    event = events.transition_event(us, event, "close", reason="Out.")
    event.refresh_from_db()
    assert event.state == BorderEvent.State.CLOSED and event.ended_at is not None
    assert event.state_reason == "Out."
    with pytest.raises(ValidationError):
        events.transition_event(us, event, "nowhere")


# ---- Timeline --------------------------------------------------------------------------------

def test_either_nation_writes_the_timeline_which_follows_the_event_s_marking(us, mx):
    event = report(us)
    ours = events.add_timeline_entry(us, event, kind="observation", language="en",
                                     text="Spot fires south of the fence.")
    theirs = events.add_timeline_entry(mx, event, kind="action", language="es",
                                       text="Dos brigadas en camino.")
    assert theirs.organization.acronym == "DEFENSA" and theirs.author == mx
    assert {e.owner_nation.code for e in (ours, theirs)} == {"USA"}
    assert set(TimelineEntry.objects.restrict(mx).values_list("pk", flat=True)) == {
        ours.pk, theirs.pk}
    # Narrowing the event narrows its timeline with it (MARKING_FOLLOWS).
    change_marking(event, us, rel_to=[], disclosure=Disclosure.APPROVED)
    theirs.refresh_from_db()
    assert not theirs.releasable_to("MEX")
    assert not TimelineEntry.objects.restrict(mx).exists()
    with pytest.raises(Http404):
        events.add_timeline_entry(mx, event, kind="action", language="es", text="¿?")


def test_a_timeline_entry_lies_between_the_start_and_now_and_not_after_closing(us):
    event = report(us, hours_ago=2)
    with pytest.raises(ValidationError) as refused:
        events.add_timeline_entry(us, event, kind="decision", language="en", text="x",
                                  at=timezone.now() + timedelta(hours=1))
    assert "at" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        events.add_timeline_entry(us, event, kind="decision", language="en", text="x",
                                  at=timezone.now() - timedelta(hours=3))
    assert refused.value.message_dict["at"] == [
        "A timeline entry cannot be before the event started."]
    with pytest.raises(ValidationError) as refused:
        events.add_timeline_entry(us, event, kind="decision", language="fr", text="x")
    assert "language" in refused.value.message_dict
    events.transition_event(us, event, "close")
    with pytest.raises(ValidationError):
        events.add_timeline_entry(us, event, kind="decision", language="en", text="late")


# ---- The mutual-aid incident -----------------------------------------------------------------

def test_an_event_opens_its_incident_once_with_the_same_point_perimeter_and_marking(us, mx):
    perimeter = {"type": "Polygon", "coordinates": [[[-116.9, 32.53], [-116.83, 32.53],
                                                     [-116.84, 32.61], [-116.9, 32.53]]]}
    event = report(us, perimeter=perimeter)
    incident = events.open_incident(us, event)
    event.refresh_from_db()
    assert event.incident == incident
    assert (incident.latitude, incident.longitude) == (event.latitude, event.longitude)
    assert incident.perimeter == perimeter and incident.started_at == event.started_at
    assert incident.kind == Incident.Kind.WILDFIRE and incident.country.code == "USA"
    assert incident.marking() == event.marking()
    assert incident.request_channel == Incident.Channel.DIRECT
    with pytest.raises(ValidationError) as refused:
        events.open_incident(us, event)
    assert "already" in refused.value.message_dict["incident"][0]
    assert Incident.objects.count() == 1
    other = report(us, title="Second")
    with pytest.raises(PermissionDenied):
        events.open_incident(mx, other)


def test_an_exercise_event_s_incident_says_exercise_in_both_names(us):
    incident = events.open_incident(us, report(us, is_exercise=True, title="Drill"))
    assert incident.name_en.startswith("EXERCISE — ")
    assert incident.name_es.startswith("EJERCICIO — ")


def test_the_partner_may_not_see_an_unreleased_event_at_all(us, mx):
    hidden = report(us, rel_to=(), title="Hidden")
    assert not BorderEvent.objects.restrict(mx).filter(pk=hidden.pk).exists()
    awaiting = report(us, title="Awaiting", disclosure="in_review")
    assert not BorderEvent.objects.restrict(mx).filter(pk=awaiting.pk).exists()
    released = report(us, title="Released")
    assert BorderEvent.objects.restrict(mx).filter(pk=released.pk).exists()
    assert nations("MEX")[0] in released.rel_to.all()
