"""A border event as a CAP 1.2 alert (interop.cap writes and validates it): one info block in
English (en-US) and one in Spanish (es-MX), the area from the event's perimeter or point.

The alert of an event keeps one identifier (`enlace-border-event-<id>`) and is sent when the
event was reported. Once the event has a published joint situation report, the alert is an
Update with its own identifier (…`-sitrep-<number>`), sent when that report was published and
referencing the first alert, and each info block's description carries the report's
situation in its language. An exercise event's alert has status Exercise. The scope is
Restricted: the restriction says which nations the event is released to. The caller reads
the event and the report through `restrict()`; nothing here decides who may see them."""

from urllib.parse import urlsplit

from django.conf import settings
from django.utils import translation
from django.utils.text import slugify

from border.models import exercise_banner
from core.models import localized
from interop import cap

LANGUAGES = (("en", "en-US"), ("es", "es-MX"))

# CAP categories of each seeded kind (an administrator's new kind is "Other").
CATEGORIES = {
    "wildfire": ["Fire"], "river_sewage": ["Env", "Health"], "port_hazmat": ["CBRNE"],
    "port_mass_casualty": ["Rescue", "Health"], "port_closed": ["Transport"],
    "migrants_distress": ["Rescue"], "utility_outage": ["Infra"], "earthquake": ["Geo"],
}
CERTAINTY = {"reported": "Likely"}  # confirmed, contained and closed: Observed


def site_host():
    """The host the alerts' senders are addresses at: SITE_URL's, else enlace.local."""
    return urlsplit(getattr(settings, "SITE_URL", "") or "").hostname or "enlace.local"


def sender_of(organization):
    """The reporting organization as a CAP sender (no spaces, commas or reserved characters)."""
    return f"{slugify(organization.acronym) or 'org'}@{site_host()}"


def identifier_of(event, report=None):
    base = f"enlace-border-event-{event.pk}"
    return base if report is None else f"{base}-sitrep-{report.number}"


def _ring(ring):
    """A GeoJSON ring ([lon, lat] positions) as CAP's closed list of (lat, lon)."""
    points = [(float(lat), float(lon)) for lon, lat, *_rest in ring]
    if points and points[0] != points[-1]:
        points.append(points[0])
    return points


def _polygons(perimeter):
    if not perimeter:
        return []
    if perimeter.get("type") == "Polygon":
        rings = [perimeter["coordinates"][0]]
    elif perimeter.get("type") == "MultiPolygon":
        rings = [polygon[0] for polygon in perimeter["coordinates"]]
    else:
        return []
    return [points for points in map(_ring, rings) if len(points) >= 4]


def _area(event, language):
    polygons = _polygons(event.perimeter)
    return cap.Area(desc=localized(event, "title"), polygons=polygons,
                    circles=[] if polygons else [cap.Circle(event.latitude, event.longitude,
                                                            0.0)])


def _situation(report, sections, language):
    return "\n\n".join(f"{localized(s.nation, 'name')}: {getattr(s, f'situation_{language}')}"
                       for s in sections if getattr(s, f"situation_{language}"))


def _info(event, report, sections, language, cap_language, web):
    with translation.override(language):
        title = localized(event, "title")
        headline = f"{exercise_banner(language)} — {title}" if event.is_exercise else title
        description = localized(event, "description")
        if report is not None:
            situation = _situation(report, sections, language)
            heading = translation.gettext("Situation report %(number)s") % {
                "number": report.number}
            description = "\n\n".join(filter(None, [description, f"{heading}:\n{situation}"]))
        return cap.Info(
            language=cap_language, categories=CATEGORIES.get(event.kind.code, ["Other"]),
            event=event.kind.name, urgency="Past" if event.state == "closed" else "Immediate",
            severity=event.severity.capitalize(),
            certainty=CERTAINTY.get(event.state, "Observed"), onset=event.started_at,
            sender_name=localized(event.reporting_organization, "name"),
            headline=headline[:160], description=description, web=web,
            areas=[_area(event, language)])


def alert_for(event, report=None, sections=(), web=""):
    """The event's CAP alert; with `report` (its latest published situation report, whose
    visible `sections` the caller gives) an Update referencing the first alert."""
    sender = sender_of(event.reporting_organization)
    first = cap.Reference(sender, identifier_of(event), event.created_at)
    nations = ", ".join(sorted(n.code for n in event.rel_to.all()))
    return cap.Alert(
        identifier=identifier_of(event, report), sender=sender,
        sent=event.created_at if report is None else report.published_at,
        status="Exercise" if event.is_exercise else "Actual",
        msg_type="Alert" if report is None else "Update",
        scope="Restricted", restriction=f"REL TO {nations}",
        references=[] if report is None else [first],
        infos=[_info(event, report, sections, language, cap_language, web)
               for language, cap_language in LANGUAGES])


def write(alert):
    """The alert as CAP 1.2 XML (bytes), validated against the CAP 1.2 schema."""
    return cap.write(alert)
