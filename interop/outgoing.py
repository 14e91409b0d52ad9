"""CAP out: a mutual-aid incident as a CAP 1.2 alert (one info block in en-US, one in es-MX),
and the Atom feed of the incidents' alerts a reader may see. What leaves is read through the
caller's restricted queryset; the writer (interop.cap.write) validates every alert against the
CAP 1.2 schema before it leaves.

Identifiers stay stable across updates: an incident's first alert is
`enlace-incident-<id>`, sent when the incident was recorded; once it has changed, its alert is
an Update (a closed incident's a Cancel) named after the change's time, whose `references`
name the first alert. The same incident in the same state gives the same alert every time.
"""

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from lxml import etree

from border.models import BorderEvent
from interop import cap
from interop.xml import parse, serialize
from response.models import Incident

CAP_MEDIA_TYPE = "application/cap+xml"
ATOM_MEDIA_TYPE = "application/atom+xml"
ATOM = "http://www.w3.org/2005/Atom"
LANGUAGES = (("en", "en-US"), ("es", "es-MX"))
FEED_SIZE = 100
# The saves that record an incident (the record, then its marking) fall within this of its
# creation: a change after it is an Update.
CREATED_WITHIN = dt.timedelta(seconds=5)

CATEGORIES = {
    Incident.Kind.WILDFIRE: "Fire",
    Incident.Kind.EARTHQUAKE: "Geo",
    Incident.Kind.HURRICANE: "Met",
    Incident.Kind.FLOOD: "Met",
    Incident.Kind.HAZMAT: "CBRNE",
    Incident.Kind.BORDER_ZONE: "Security",
    Incident.Kind.OTHER: "Other",
}
URGENCY = {
    Incident.Status.ACTIVE: "Immediate",
    Incident.Status.CONTAINED: "Expected",
    Incident.Status.CLOSED: "Past",
}


def with_exercise(incidents):
    """`incidents` annotated with `from_exercise`: opened from an exercise border event."""
    return incidents.annotate(from_exercise=Exists(BorderEvent.objects.filter(
        incident=OuterRef("pk"), is_exercise=True)))


def sender_of(organization):
    """CAP's sender (no spaces, commas, < or &) for an organization: acronym and nation."""
    return f"{slugify(organization.acronym)}.{organization.nation.code.lower()}@enlace"


def _seconds(moment):
    return moment.replace(microsecond=0)


def first_identifier(incident):
    return f"enlace-incident-{incident.pk}"


def _first(incident):
    return cap.Reference(sender_of(incident.host_agency), first_identifier(incident),
                         _seconds(incident.created_at))


def _where(incident):
    return ", ".join(p for p in (incident.municipality, incident.state_region,
                                 str(incident.country.name)) if p)


def _description(incident):
    where = _where(incident)
    text = _("%(kind)s in %(where)s, %(distance)s km from the border line; requests go "
             "%(channel)s.") % {
        "kind": incident.get_kind_display(), "where": where,
        "distance": number_format(incident.border_distance_km, 1),
        "channel": incident.get_request_channel_display().lower()}
    if incident.ics_number:
        text += " " + _("ICS incident number: %(number)s.") % {"number": incident.ics_number}
    return text


def _polygons(perimeter):
    """The outer ring of each polygon of a GeoJSON perimeter, as CAP's (lat, lon) pairs."""
    if not perimeter:
        return []
    polygons = (perimeter["coordinates"] if perimeter["type"] == "MultiPolygon"
                else [perimeter["coordinates"]])
    return [[(position[1], position[0]) for position in polygon[0]] for polygon in polygons]


def _info(incident, language, tag, url):
    with translation.override(language):
        where = _where(incident)
        parameters = [cap.ValuePair("EnlaceIncident", str(incident.pk)),
                      cap.ValuePair("EnlaceRequestChannel", incident.request_channel)]
        if incident.ics_number:
            parameters.append(cap.ValuePair("ICSIncidentNumber", incident.ics_number))
        return cap.Info(
            language=tag,
            categories=[CATEGORIES.get(incident.kind, "Other")],
            event=str(incident.get_kind_display()),
            urgency=URGENCY.get(incident.status, "Unknown"),
            severity="Unknown",
            certainty="Observed",
            onset=_seconds(incident.started_at),
            sender_name=(incident.host_agency.name_es if language == "es"
                         else incident.host_agency.name_en),
            headline=getattr(incident, f"name_{language}") or incident.name_en,
            description=_description(incident),
            web=url or "",
            parameters=parameters,
            areas=[cap.Area(
                desc=where,
                polygons=_polygons(incident.perimeter),
                circles=[cap.Circle(incident.latitude, incident.longitude, 0)],
                geocodes=[cap.ValuePair("ISO3166-1-alpha-3", incident.country.code)],
            )],
        )


def incident_alert(incident, *, url=""):
    """The incident as a cap.Alert. `url`: the incident's page, absolute, for `web`."""
    first = _first(incident)
    changed = _seconds(incident.updated_at)
    if incident.status == Incident.Status.CLOSED:
        msg_type = "Cancel"
    elif changed > first.sent + CREATED_WITHIN:
        msg_type = "Update"
    else:
        msg_type = "Alert"
    if msg_type == "Alert":
        identifier, sent, references = first.identifier, first.sent, []
    else:
        identifier = f"{first.identifier}-{int(changed.timestamp())}"
        sent, references = changed, [first]
    exercise = getattr(incident, "from_exercise", None)
    if exercise is None:
        exercise = BorderEvent.objects.filter(incident=incident, is_exercise=True).exists()
    return cap.Alert(
        identifier=identifier, sender=first.sender, sent=sent,
        status="Exercise" if exercise else "Actual", msg_type=msg_type, scope="Restricted",
        restriction=_restriction(incident), references=references,
        incidents=first.identifier,
        infos=[_info(incident, language, tag, url) for language, tag in LANGUAGES],
    )


def _restriction(incident):
    """CAP's restriction for a Restricted alert: the nations it is released to."""
    nations = sorted(n.code for n in incident.rel_to.all())
    return "Releasable to " + ", ".join(nations)


def incident_cap(incident, *, url=""):
    """The incident's CAP 1.2 document (bytes), validated."""
    return cap.write(incident_alert(incident, url=url))


def _atom(parent, name, text=None, **attributes):
    element = etree.SubElement(parent, f"{{{ATOM}}}{name}", attributes)
    if text is not None:
        element.text = str(text)
    return element


def atom_feed(incidents, *, feed_url, cap_url, page_url, language):
    """An Atom feed (bytes) with one entry per incident: its CAP alert embedded as the entry's
    content and linked. `cap_url(incident)` and `page_url(incident)` give absolute URLs."""
    incidents = list(incidents[:FEED_SIZE])
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    with translation.override(language):
        _atom(feed, "id", feed_url)
        _atom(feed, "title", _("Enlace: incident alerts"))
        updated = max((i.updated_at for i in incidents), default=None) or timezone.now()
        _atom(feed, "updated", _seconds(updated).astimezone(dt.UTC).isoformat())
        _atom(feed, "link", rel="self", href=feed_url, type=ATOM_MEDIA_TYPE)
        author = _atom(feed, "author")
        _atom(author, "name", "Enlace")
        for incident in incidents:
            alert = incident_alert(incident, url=page_url(incident))
            data = cap.write(alert)  # validated before it leaves
            entry = _atom(feed, "entry")
            _atom(entry, "id", f"{feed_url}#{alert.identifier}")
            _atom(entry, "title", incident.name)
            _atom(entry, "updated", alert.sent.astimezone(dt.UTC).isoformat())
            _atom(entry, "link", rel="alternate", href=cap_url(incident), type=CAP_MEDIA_TYPE)
            _atom(entry, "link", rel="related", href=page_url(incident), type="text/html")
            content = _atom(entry, "content", type=CAP_MEDIA_TYPE)
            content.append(parse(data))
    return serialize(feed)

