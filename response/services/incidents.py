"""Incidents and units: every write (validate → save → history, in one transaction). Their
reads are in `response.selectors.incidents`."""

import math

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Nation
from core.audit import acting_as
from core.models import Disclosure
from core.permissions import require, require_role
from core.services import apply_marking, change_marking, check_new_marking, model_errors
from response import geo
from response.models import Incident, Unit
from response.services.common import (
    check_changeable,
    moment,
    parse_languages,
)

INCIDENT_FIELDS = ("name_en", "name_es", "kind", "latitude", "longitude", "perimeter",
                   "country", "state_region", "municipality", "started_at", "status",
                   "ics_number", "host_agency")
UNIT_FIELDS = ("name", "organization", "kind", "home_base", "home_latitude", "home_longitude",
               "headcount", "qualifications", "languages", "availability", "available_from",
               "available_until", "held_for_home_coverage", "cross_border_eligible",
               "air_capable")
# Text fields an empty value (None from a form or a client) clears.
TEXT_FIELDS = ("state_region", "municipality", "ics_number", "qualifications", "languages")
TIME_FIELDS = ("started_at", "available_from", "available_until")
# Derived on every save (Incident.save), never validated as input.
DERIVED_FIELDS = ["border_distance_km", "request_channel"]

# A perimeter is drawn by hand or imported from a fire's mapping; past this it is not a
# perimeter but a data dump, and every map and page would carry it.
MAX_PERIMETER_POSITIONS = 20_000

# ---- Guards and checks -----------------------------------------------------------------------

def _only(fields, allowed):
    """A new record takes only its own fields: any other is the caller's mistake."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")


def _assign(record, fields):
    for name, value in fields.items():
        if name in TIME_FIELDS:
            value = moment(value, name)
        setattr(record, name, "" if value is None and name in TEXT_FIELDS else value)


def _create(user, model, fields, allowed, clean, agency, *, rel_to, disclosure, tlp):
    """A new `model` record of `fields`, owned by the user's nation and marked as given; its
    `agency` (the organization it belongs to) defaults to the user's organization."""
    require_role(user, f"response.add_{model._meta.model_name}")
    _only(fields, allowed)
    record = model(owner_nation=user.nation, disclosure=disclosure, tlp=tlp or "",
                   created_by=user)
    _assign(record, fields)
    if getattr(record, f"{agency}_id") is None:
        setattr(record, agency, user.organization)
    check_new_marking(user, record, disclosure)
    clean(record)
    with acting_as(user):
        apply_marking(record, owner=user.nation, rel_to=rel_to, disclosure=disclosure,
                      tlp=tlp or "")
    return record


def _update(user, record, fields, allowed, clean):
    """Change the `fields` of `record`; only the owning nation may."""
    require(user, record, "change")
    check_changeable(fields, allowed)
    _assign(record, fields)
    clean(record)
    with acting_as(user):
        record.save()
    return record


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_point(errors, latitude, longitude, lat_field, lon_field):
    """Latitude and longitude in range; the errors land on the fields named."""
    if not (_is_number(latitude) and -90 <= latitude <= 90):
        errors[lat_field] = _("Enter a latitude between -90 and 90 degrees.")
    if not (_is_number(longitude) and -180 <= longitude <= 180):
        errors[lon_field] = _("Enter a longitude between -180 and 180 degrees.")


def _rings(perimeter):
    """The perimeter's rings as (label, ring) pairs; ValueError saying why when its shape is
    not a polygon's."""
    if not isinstance(perimeter, dict) or perimeter.get("type") not in ("Polygon",
                                                                          "MultiPolygon"):
        raise ValueError(_("The perimeter must be a GeoJSON Polygon or MultiPolygon."))
    coordinates = perimeter.get("coordinates")
    if perimeter["type"] == "Polygon":
        polygons = [coordinates]
    elif isinstance(coordinates, list) and coordinates:
        polygons = coordinates
    else:
        raise ValueError(_("A MultiPolygon's coordinates must be a list of polygons."))
    rings = []
    for p, polygon in enumerate(polygons, start=1):
        if not isinstance(polygon, list) or not polygon:
            raise ValueError(_("A polygon's coordinates must be a list of rings, the outer "
                               "ring first."))
        for r, ring in enumerate(polygon, start=1):
            label = (_("ring %(ring)d") % {"ring": r} if perimeter["type"] == "Polygon"
                     else _("polygon %(polygon)d, ring %(ring)d") % {"polygon": p, "ring": r})
            if not isinstance(ring, list) or not all(isinstance(pos, list) for pos in ring):
                raise ValueError(_("The perimeter's %(where)s is not a list of [longitude, "
                                   "latitude] positions: check how deeply a %(type)s's "
                                   "coordinates nest.") % {"where": label,
                                                           "type": perimeter["type"]})
            rings.append((label, ring))
    return rings


def check_perimeter(perimeter):
    """A GeoJSON Polygon or MultiPolygon as RFC 7946 draws it: closed rings of at least four
    [longitude, latitude] positions in range. Returns just its type and coordinates; raises
    ValidationError on `perimeter` saying what is wrong and where."""
    def refuse(message):
        raise ValidationError({"perimeter": message})

    try:
        rings = _rings(perimeter)
    except ValueError as exc:
        refuse(str(exc))
    total = 0
    for label, ring in rings:
        if len(ring) < 4:
            refuse(_("The perimeter's %(where)s needs at least 4 positions (a closed ring "
                     "repeats its first position last).") % {"where": label})
        total += len(ring)
        if total > MAX_PERIMETER_POSITIONS:
            refuse(_("The perimeter has more than %(max)s positions.")
                   % {"max": MAX_PERIMETER_POSITIONS})
        for n, position in enumerate(ring, start=1):
            where = {"where": label, "n": n}
            if len(position) not in (2, 3) or not all(_is_number(v) for v in position):
                refuse(_("Position %(n)s of the perimeter's %(where)s is not a [longitude, "
                         "latitude] pair of numbers.") % where)
            if not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90):
                refuse(_("Position %(n)s of the perimeter's %(where)s is out of range: "
                         "longitude comes first, between -180 and 180, then latitude, "
                         "between -90 and 90.") % where)
        if ring[0] != ring[-1]:
            refuse(_("The perimeter's %(where)s is not closed: its last position must repeat "
                     "its first.") % {"where": label})
    return {"type": perimeter["type"], "coordinates": perimeter["coordinates"]}


def _full_clean(record, errors, exclude=()):
    """The model's own checks for what ours did not already refuse; all errors at once."""
    model_errors(record, errors, exclude)
    if errors:
        raise ValidationError(errors)


# ---- Incidents -------------------------------------------------------------------------------

def _clean_incident(incident):
    errors = {}
    if incident.status is None:
        incident.status = Incident.Status.ACTIVE
    _check_point(errors, incident.latitude, incident.longitude, "latitude", "longitude")
    if incident.perimeter in ("", {}):
        incident.perimeter = None
    if incident.perimeter is not None:
        try:
            incident.perimeter = check_perimeter(incident.perimeter)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if incident.host_agency_id and incident.host_agency.nation_id != incident.owner_nation_id:
        errors["host_agency"] = _("The host agency must be one of your nation's "
                                  "organizations.")
    exclude = list(DERIVED_FIELDS)
    if incident.country_id is None:
        if "latitude" in errors or "longitude" in errors:
            exclude.append("country")  # no point, no side of the line to default to
        else:
            # North of the line is the United States, south of it Mexico.
            incident.country = Nation.objects.filter(
                code=geo.side_of_boundary(incident.latitude, incident.longitude)).first()
    _full_clean(incident, errors, exclude=exclude)


@transaction.atomic
def create_incident(user, *, rel_to=(), disclosure=Disclosure.NOT_REVIEWED, tlp="", **fields):
    """A new incident owned by the user's nation. The host agency defaults to the user's
    organization and must be of the user's nation; the country defaults to the side of the
    California–Baja California line the point lies on. The distance to the line and the
    request channel follow from the point (Incident.save)."""
    return _create(user, Incident, fields, INCIDENT_FIELDS, _clean_incident, "host_agency",
                   rel_to=rel_to, disclosure=disclosure, tlp=tlp)


@transaction.atomic
def update_incident(user, incident, **fields):
    """Change the fields given; only the owning nation may. Moving the point moves the
    derived distance and channel with it."""
    return _update(user, incident, fields, INCIDENT_FIELDS, _clean_incident)


def change_incident_marking(user, incident, *, rel_to, disclosure, tlp=""):
    """Change who may see the incident (core.services.change_marking). Its requests, offers
    and deployments keep their own markings."""
    return change_marking(incident, user, rel_to=rel_to, disclosure=disclosure, tlp=tlp)


# ---- Perimeter summary (for the incident page and the API) -----------------------------------

def perimeter_summary(perimeter):
    """Polygons, rings, positions, bounding box [west, south, east, north] and approximate
    area in km² (outer rings less holes, on a local flat projection: good to a percent or so
    at a fire's scale). None without a perimeter."""
    if not perimeter:
        return None
    polygons = (perimeter["coordinates"] if perimeter["type"] == "MultiPolygon"
                else [perimeter["coordinates"]])
    positions = [p for polygon in polygons for ring in polygon for p in ring]
    lons, lats = [p[0] for p in positions], [p[1] for p in positions]
    ky = math.radians(1) * geo.EARTH_RADIUS_KM
    kx = ky * math.cos(math.radians((min(lats) + max(lats)) / 2))

    def ring_area(ring):
        return abs(sum((a[0] * b[1] - b[0] * a[1]) for a, b in zip(ring, ring[1:],
                                                                     strict=False))) / 2 * kx * ky

    area = sum(ring_area(polygon[0]) - sum(ring_area(hole) for hole in polygon[1:])
               for polygon in polygons)
    return {"polygons": len(polygons), "rings": sum(len(p) for p in polygons),
            "positions": len(positions), "bbox": [min(lons), min(lats), max(lons), max(lats)],
            "area_km2": round(area, 2)}


# ---- Units -----------------------------------------------------------------------------------

def _clean_unit(unit):
    errors = {}
    if unit.availability is None:
        unit.availability = Unit.Availability.AVAILABLE
    _check_point(errors, unit.home_latitude, unit.home_longitude, "home_latitude",
                 "home_longitude")
    if unit.organization_id and unit.organization.nation_id != unit.owner_nation_id:
        errors["organization"] = _("You record only your own nation's organizations' units.")
    if unit.headcount is not None and (not isinstance(unit.headcount, int)
                                       or unit.headcount < 0):
        errors["headcount"] = _("The headcount cannot be negative.")
    try:
        unit.languages = parse_languages(unit.languages)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if (unit.available_from and unit.available_until
            and unit.available_until <= unit.available_from):
        errors["available_until"] = _("The end of the availability window must be after its "
                                      "start.")
    _full_clean(unit, errors)


@transaction.atomic
def create_unit(user, *, rel_to=(), disclosure=Disclosure.NOT_REVIEWED, tlp="", **fields):
    """A new unit of one of the user's nation's organizations (by default the user's own),
    owned by the user's nation."""
    return _create(user, Unit, fields, UNIT_FIELDS, _clean_unit, "organization",
                   rel_to=rel_to, disclosure=disclosure, tlp=tlp)


@transaction.atomic
def update_unit(user, unit, **fields):
    """Change the fields given; only the owning nation may."""
    return _update(user, unit, fields, UNIT_FIELDS, _clean_unit)


def change_unit_marking(user, unit, *, rel_to, disclosure, tlp=""):
    """Change who may see the unit (core.services.change_marking)."""
    return change_marking(unit, user, rel_to=rel_to, disclosure=disclosure, tlp=tlp)
