"""Incident and unit services: every validation refusal, the permission and nation guards, the
border-zone derivation on both sides of the line and at the zone's edge, and history."""

from datetime import UTC, datetime, timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from core.models import Disclosure
from response import border, geo
from response.models import Incident, ResourceKind, Unit
from response.services import incidents as services
from response.tests.factories import make_incident, make_unit, nations, organization

START = datetime(2025, 1, 7, 18, 30, tzinfo=UTC)
SQUARE = {"type": "Polygon", "coordinates": [[[-118.6, 34.0], [-118.5, 34.0], [-118.5, 34.1],
                                              [-118.6, 34.1], [-118.6, 34.0]]]}


def incident_fields(**fields):
    return {"name_en": "Palisades Fire", "name_es": "Incendio Palisades", "kind": "wildfire",
            "latitude": 34.0481, "longitude": -118.5265, "started_at": START, **fields}


def unit_fields(**fields):
    return {"name": "Crew 7", "kind": ResourceKind.objects.get(code="CREW-HAND-T2"),
            "home_base": "Sacramento", "home_latitude": 38.58, "home_longitude": -121.49,
            "headcount": 20, **fields}


def refused(call, field):
    """The message a ValidationError puts on `field` (and that it puts one there)."""
    with pytest.raises(ValidationError) as caught:
        call()
    errors = caught.value.message_dict
    assert field in errors, errors
    return " ".join(errors[field])


def point_at(km, side):
    """A point `km` from the line (to a metre), due north ("USA") or south ("MEX") of one of
    its vertices, found by bisection on the distance itself."""
    lon, lat = geo.boundary()[0][8]
    sign = 1 if side == "USA" else -1
    low, high = 0.0, 1.0
    for _ in range(60):
        middle = (low + high) / 2
        if geo.distance_to_boundary_km(lat + sign * middle, lon) < km:
            low = middle
        else:
            high = middle
    return lat + sign * low, lon


# ---- Incidents -------------------------------------------------------------------------------

class TestCreateIncident:
    def test_records_with_defaults_marking_and_history(self, us_coordinator):
        incident = services.create_incident(us_coordinator, rel_to=nations("MEX"),
                                            **incident_fields(perimeter=SQUARE))
        assert incident.owner_nation.code == "USA" and incident.created_by == us_coordinator
        assert incident.host_agency == us_coordinator.organization
        assert incident.country.code == "USA"  # north of the line
        assert incident.status == Incident.Status.ACTIVE
        assert {n.code for n in incident.rel_to.all()} == {"USA", "MEX"}
        assert incident.disclosure == Disclosure.NOT_REVIEWED
        assert incident.request_channel == Incident.Channel.NATIONAL
        entry = LogEntry.objects.get_for_object(incident).first()
        assert entry.actor == us_coordinator

    def test_country_defaults_to_the_side_of_the_line(self, mx_liaison):
        tijuana = services.create_incident(
            mx_liaison, **incident_fields(name_en="Tijuana flood", kind="flood",
                                          latitude=32.5149, longitude=-117.0382))
        assert tijuana.country.code == "MEX"
        # Beside Arizona the line cannot tell the country: the one given stands.
        given = services.create_incident(
            mx_liaison, **incident_fields(latitude=31.34, longitude=-110.94,
                                          country=nations("USA")[0]))
        assert given.country.code == "USA"

    @pytest.mark.parametrize("field,value", [
        ("latitude", 91), ("latitude", -90.5), ("longitude", 180.01), ("longitude", -200),
        ("latitude", float("nan")), ("longitude", float("inf")), ("latitude", True)])
    def test_refuses_coordinates_out_of_range(self, us_coordinator, field, value):
        message = refused(lambda: services.create_incident(
            us_coordinator, **incident_fields(**{field: value})), field)
        assert "between" in message

    @pytest.mark.parametrize("perimeter,words", [
        ({"type": "Point", "coordinates": [-118.5, 34.0]}, "Polygon or MultiPolygon"),
        ("not geojson", "Polygon or MultiPolygon"),
        ({"type": "Polygon", "coordinates": []}, "list of rings"),
        ({"type": "Polygon", "coordinates": [[[-118.6, 34.0], [-118.5, 34.0], [-118.6, 34.0]]]},
         "ring 1 needs at least 4 positions"),
        ({"type": "Polygon", "coordinates": [[[-118.6, 34.0], [-118.5, 34.0], [-118.5, 34.1],
                                              [-118.6, 34.1]]]}, "ring 1 is not closed"),
        ({"type": "Polygon", "coordinates": [[[-118.6, 34.0], ["a", 34.0], [-118.5, 34.1],
                                              [-118.6, 34.0]]]},
         "Position 2 of the perimeter's ring 1 is not a [longitude, latitude] pair"),
        ({"type": "Polygon", "coordinates": [[[-118.6, 34.0], [34.0, -218.5], [-118.5, 34.1],
                                              [-118.6, 34.0]]]}, "Position 2"),
        ({"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"],
                                                  [[[0, 0], [1, 0], [1, 1], [0, 1]]]]},
         "polygon 2, ring 1 is not closed"),
        ({"type": "MultiPolygon", "coordinates": SQUARE["coordinates"]},
         "polygon 1, ring 1 is not a list of [longitude, latitude] positions"),
        ({"type": "Polygon", "coordinates": [[-118.6, 34.0, 1.0, 2.0]]}, "how deeply"),
        ({"type": "MultiPolygon", "coordinates": "x"}, "list of polygons"),
    ])
    def test_refuses_perimeters_that_are_not_closed_polygons(self, us_coordinator, perimeter,
                                                             words):
        message = refused(lambda: services.create_incident(
            us_coordinator, **incident_fields(perimeter=perimeter)), "perimeter")
        assert words in message

    def test_refuses_a_perimeter_too_large_to_carry(self, us_coordinator):
        ring = [[-118.5 + i * 1e-5, 34.0] for i in range(services.MAX_PERIMETER_POSITIONS)]
        ring.append(ring[0])
        message = refused(lambda: services.create_incident(us_coordinator, **incident_fields(
            perimeter={"type": "Polygon", "coordinates": [ring]})), "perimeter")
        assert "more than" in message

    def test_keeps_only_the_geometry_of_a_valid_perimeter(self, us_coordinator):
        multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]],
                 "properties": {"junk": "x" * 100}}
        incident = services.create_incident(us_coordinator, **incident_fields(perimeter=multi))
        assert incident.perimeter == {"type": "MultiPolygon",
                                      "coordinates": [SQUARE["coordinates"]]}

    def test_refuses_a_host_agency_of_another_nation(self, us_coordinator):
        message = refused(lambda: services.create_incident(
            us_coordinator, **incident_fields(host_agency=organization("PC-BC"))), "host_agency")
        assert "your nation's organizations" in message

    def test_refuses_missing_fields_all_at_once(self, us_coordinator):
        with pytest.raises(ValidationError) as caught:
            services.create_incident(us_coordinator, **incident_fields(name_en="", kind="storm",
                                                                       latitude=100))
        assert {"name_en", "kind", "latitude"} <= set(caught.value.message_dict)

    def test_refuses_approving_disclosure_without_the_review_permission(self, make_user):
        recorder = make_user("t.recorder", "PC-BC", role=None)
        recorder.user_permissions.add(Permission.objects.get(
            content_type__app_label="response", codename="add_incident"))
        message = refused(lambda: services.create_incident(
            recorder, disclosure=Disclosure.APPROVED, rel_to=nations("USA"),
            **incident_fields(latitude=32.5, longitude=-117.0)), "disclosure")
        assert "reviewer" in message
        assert not Incident.objects.exists()

    def test_refuses_roles_and_users_without_a_nation(self, us_viewer, outsider):
        for user in (us_viewer, outsider):
            with pytest.raises(PermissionDenied):
                services.create_incident(user, **incident_fields())
        assert not Incident.objects.exists()

    def test_refuses_unknown_fields(self, us_coordinator):
        with pytest.raises(TypeError):
            services.create_incident(us_coordinator, **incident_fields(owner_nation=None))


class TestUpdateIncident:
    def test_moving_the_point_moves_the_derivation(self, us_coordinator):
        incident = make_incident(us_coordinator)
        assert incident.request_channel == Incident.Channel.NATIONAL
        services.update_incident(us_coordinator, incident, latitude=32.792, longitude=-115.5631,
                                 municipality="El Centro", status="contained", ics_number=None)
        incident.refresh_from_db()
        assert incident.request_channel == Incident.Channel.DIRECT
        assert incident.municipality == "El Centro" and incident.ics_number == ""
        assert incident.status == Incident.Status.CONTAINED
        assert LogEntry.objects.get_for_object(incident).first().actor == us_coordinator

    def test_validates_as_on_creation(self, us_coordinator):
        incident = make_incident(us_coordinator)
        refused(lambda: services.update_incident(us_coordinator, incident, perimeter={
            "type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]}), "perimeter")
        refused(lambda: services.update_incident(us_coordinator, incident,
                                                 host_agency=organization("CONAFOR")),
                "host_agency")

    def test_only_the_owning_nation_with_the_role_may(self, us_coordinator, us_viewer,
                                                      mx_liaison):
        incident = make_incident(us_coordinator)
        with pytest.raises(PermissionDenied, match="owning nation"):
            services.update_incident(mx_liaison, incident, municipality="Tijuana")
        with pytest.raises(PermissionDenied, match="role"):
            services.update_incident(us_viewer, incident, municipality="Malibu")
        incident.refresh_from_db()
        assert incident.municipality == ""

    def test_partner_liaison_updates_its_own_incidents(self, mx_liaison):
        incident = make_incident(mx_liaison, name="Sismo Mexicali", kind="earthquake",
                                 latitude=32.6245, longitude=-115.4523, rel_to=("USA",))
        services.update_incident(mx_liaison, incident, status="closed")
        assert Incident.objects.get(pk=incident.pk).status == "closed"


class TestIncidentMarking:
    def test_owner_changes_the_marking(self, us_coordinator):
        incident = make_incident(us_coordinator, rel_to=(), disclosure="not_reviewed")
        services.change_incident_marking(us_coordinator, incident, rel_to=nations("MEX"),
                                         disclosure="approved")
        incident.refresh_from_db()
        assert incident.disclosure == "approved"
        assert {n.code for n in incident.rel_to.all()} == {"USA", "MEX"}

    def test_refused_to_partners_and_roles_without_marking_permission(self, us_coordinator,
                                                                      us_viewer, mx_liaison):
        incident = make_incident(us_coordinator)
        for user in (us_viewer, mx_liaison):
            with pytest.raises(PermissionDenied):
                services.change_incident_marking(user, incident, rel_to=[],
                                                 disclosure="not_reviewed")
        own = make_incident(mx_liaison, rel_to=())
        with pytest.raises(PermissionDenied):  # a liaison never changes markings
            services.change_incident_marking(mx_liaison, own, rel_to=nations("USA"),
                                             disclosure="in_review")


# ---- The border derivation -------------------------------------------------------------------

class TestBorderDerivation:
    @pytest.mark.parametrize("place,latitude,longitude,side,channel,km", [
        ("Tijuana", 32.5149, -117.0382, "MEX", "direct", (2.5, 3.5)),
        ("El Centro", 32.7920, -115.5631, "USA", "direct", (14.0, 16.0)),
        ("Ensenada", 31.8667, -116.5964, "MEX", "national", (75.0, 82.0)),
        ("Pacific Palisades", 34.0481, -118.5265, "USA", "national", (200.0, 230.0)),
    ])
    def test_places_on_both_sides_of_the_line(self, us_coordinator, mx_liaison, place,
                                              latitude, longitude, side, channel, km):
        user = mx_liaison if side == "MEX" else us_coordinator
        incident = services.create_incident(user, **incident_fields(
            name_en=place, latitude=latitude, longitude=longitude))
        derivation = border.for_incident(incident)
        assert derivation.side == side and incident.country.code == side
        assert incident.request_channel == channel == derivation.request_channel
        assert km[0] <= incident.border_distance_km <= km[1]

    @pytest.mark.parametrize("side", ["USA", "MEX"])
    @pytest.mark.parametrize("km,channel", [(16.0, "direct"), (16.04, "direct"),
                                            (16.1, "national"), (17.0, "national")])
    def test_the_zone_ends_at_16_km_on_either_side(self, us_coordinator, side, km, channel):
        latitude, longitude = point_at(km, side)
        incident = make_incident(us_coordinator, latitude=latitude, longitude=longitude)
        assert incident.request_channel == channel
        assert border.for_incident(incident).side == side

    def test_explains_the_direct_channel(self, mx_liaison):
        incident = make_incident(mx_liaison, latitude=32.5149, longitude=-117.0382)
        with translation.override("en"):
            text = border.for_incident(incident).explanation
        assert text.startswith("The incident is 3.0 km from the California–Baja California "
                               "boundary, on the Mexican side (south of the line).")
        assert "within the 16 km (10 mile) border zone of the 1999" in text
        assert "neighbouring agencies may ask each other directly" in text

    def test_explains_the_national_channel(self, us_coordinator):
        incident = make_incident(us_coordinator)
        derivation = border.for_incident(incident)
        with translation.override("en"):
            text = derivation.explanation
        assert "on the United States side (north of the line)" in text
        assert "beyond the 16 km (10 mile) border zone" in text
        assert text.endswith("so the request goes through national channels.")
        both = derivation.explanations()
        assert set(both) == {"en", "es"} and both["en"] == text


# ---- Perimeter summary -----------------------------------------------------------------------

def test_perimeter_summary_counts_and_measures():
    summary = services.perimeter_summary(SQUARE)
    assert summary["polygons"] == 1 and summary["rings"] == 1 and summary["positions"] == 5
    assert summary["bbox"] == [-118.6, 34.0, -118.5, 34.1]
    # 0.1° × 0.1° at 34° N: about 9.2 km × 11.1 km
    assert 100 < summary["area_km2"] < 104
    hole = [[-118.58, 34.02], [-118.52, 34.02], [-118.52, 34.08], [-118.58, 34.02]]
    holed = services.perimeter_summary({"type": "MultiPolygon",
                                        "coordinates": [[SQUARE["coordinates"][0], hole]]})
    assert holed["rings"] == 2 and holed["area_km2"] < summary["area_km2"]
    assert services.perimeter_summary(None) is None


# ---- Units -----------------------------------------------------------------------------------

class TestUnits:
    def test_creates_with_parsed_languages_and_history(self, us_coordinator):
        unit = services.create_unit(us_coordinator, rel_to=nations("MEX"),
                                    **unit_fields(languages="EN; es, en fr"))
        assert unit.languages == "en,es,fr"
        assert unit.organization == us_coordinator.organization
        assert unit.owner_nation.code == "USA"
        assert unit.availability == Unit.Availability.AVAILABLE
        assert {n.code for n in unit.rel_to.all()} == {"USA", "MEX"}
        assert LogEntry.objects.get_for_object(unit).first().actor == us_coordinator
        listed = services.create_unit(us_coordinator, **unit_fields(languages=["es", "EN"]))
        assert listed.languages == "es,en"

    def test_refuses_codes_that_are_not_iso_639_1(self, us_coordinator):
        message = refused(lambda: services.create_unit(
            us_coordinator, **unit_fields(languages="en, spa, xx")), "languages")
        assert "spa, xx" in message

    def test_refuses_another_nations_organization(self, us_coordinator, mx_liaison):
        message = refused(lambda: services.create_unit(
            us_coordinator, **unit_fields(organization=organization("CONAFOR"))),
            "organization")
        assert "own nation's organizations" in message
        refused(lambda: services.create_unit(
            mx_liaison, **unit_fields(organization=organization("CAL FIRE"))), "organization")
        own = services.create_unit(mx_liaison, **unit_fields(
            organization=organization("CONAFOR"), name="Brigada 12"))
        assert own.owner_nation.code == "MEX"

    def test_refuses_a_window_that_ends_before_it_starts(self, us_coordinator):
        for until in (START, START - timedelta(hours=1)):
            message = refused(lambda until=until: services.create_unit(
                us_coordinator, **unit_fields(available_from=START, available_until=until)),
                "available_until")
            assert "after its start" in message
        unit = services.create_unit(us_coordinator, **unit_fields(
            available_from=START, available_until=START + timedelta(days=14)))
        assert unit.available_until - unit.available_from == timedelta(days=14)

    def test_refuses_a_negative_headcount_and_bad_home_coordinates(self, us_coordinator):
        assert "negative" in refused(lambda: services.create_unit(
            us_coordinator, **unit_fields(headcount=-1)), "headcount")
        refused(lambda: services.create_unit(us_coordinator, **unit_fields(home_latitude=95)),
                "home_latitude")
        refused(lambda: services.create_unit(us_coordinator,
                                             **unit_fields(home_longitude=-181)),
                "home_longitude")

    def test_refuses_missing_kind(self, us_coordinator):
        refused(lambda: services.create_unit(us_coordinator, **unit_fields(kind=None)), "kind")

    def test_permission_and_nation_guards(self, us_coordinator, us_viewer, mx_liaison):
        with pytest.raises(PermissionDenied):
            services.create_unit(us_viewer, **unit_fields())
        unit = make_unit(us_coordinator)
        with pytest.raises(PermissionDenied, match="owning nation"):
            services.update_unit(mx_liaison, unit, headcount=5)
        with pytest.raises(PermissionDenied):
            services.update_unit(us_viewer, unit, headcount=5)
        with pytest.raises(PermissionDenied):
            services.change_unit_marking(mx_liaison, unit, rel_to=[], disclosure="approved")
        assert Unit.objects.get(pk=unit.pk).headcount == 20

    def test_update_validates_and_records(self, us_coordinator):
        unit = make_unit(us_coordinator)
        services.update_unit(us_coordinator, unit, held_for_home_coverage=True,
                             availability="committed", languages="ES")
        unit.refresh_from_db()
        assert unit.held_for_home_coverage and unit.availability == "committed"
        assert unit.languages == "es"
        refused(lambda: services.update_unit(us_coordinator, unit,
                                             available_from=START + timedelta(days=1),
                                             available_until=START), "available_until")
        services.change_unit_marking(us_coordinator, unit, rel_to=[], disclosure="in_review")
        unit.refresh_from_db()
        assert [n.code for n in unit.rel_to.all()] == ["USA"]
        assert unit.disclosure == "in_review"
