"""CAP (Common Alerting Protocol) in and out. No Django here.

`write(alert)` turns an `Alert` into CAP 1.2 XML bytes and checks them against the OASIS CAP 1.2
schema before they leave (an alert that does not validate raises `XMLError("invalid")`).
`read(data)` takes the bytes of a CAP 1.2, 1.1 or 1.0 document through the safe parser
(`interop.xml.parse`), validates them against their version's schema and returns the same
`Alert`: every info block in every language, every area, and any XML signature kept as the
exact bytes received. `read(write(alert)) == alert` for any alert the writer takes.

Coordinates are WGS 84 decimal degrees as CAP writes them: a polygon is a closed ring of
(latitude, longitude) pairs, a circle a centre and a radius in kilometres.
"""

import datetime as dt
from dataclasses import dataclass, field

from lxml import etree

from interop.xml import (
    CAP_10,
    CAP_11,
    CAP_12,
    XMLDSIG,
    SchemaProblem,
    XMLError,
    parse,
    serialize,
    validate,
)

VERSIONS = {CAP_12: "1.2", CAP_11: "1.1", CAP_10: "1.0"}
CAP_PREFIX = "urn:oasis:names:tc:emergency:cap:"

STATUSES = ("Actual", "Exercise", "System", "Test", "Draft")
MSG_TYPES = ("Alert", "Update", "Cancel", "Ack", "Error")
SCOPES = ("Public", "Restricted", "Private")
CATEGORIES = ("Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env",
              "Transport", "Infra", "CBRNE", "Other")
RESPONSE_TYPES = ("Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess",
                  "AllClear", "None")
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")
CERTAINTY_1_2 = {"Very Likely": "Likely"}


@dataclass
class ValuePair:
    """A CAP valueName/value pair (eventCode, parameter, geocode)."""

    name: str
    value: str


@dataclass
class Circle:
    lat: float
    lon: float
    radius_km: float


@dataclass
class Area:
    desc: str
    polygons: list = field(default_factory=list)   # each a list of (lat, lon), first == last
    circles: list = field(default_factory=list)    # Circle
    geocodes: list = field(default_factory=list)   # ValuePair
    altitude: float | None = None
    ceiling: float | None = None


@dataclass
class Resource:
    desc: str
    mime_type: str = ""
    size: int | None = None
    uri: str = ""
    deref_uri: str = ""
    digest: str = ""


@dataclass
class Info:
    """One info block: the alert in one language."""

    language: str = "en-US"
    categories: list = field(default_factory=list)
    event: str = ""
    response_types: list = field(default_factory=list)
    urgency: str = "Unknown"
    severity: str = "Unknown"
    certainty: str = "Unknown"
    audience: str = ""
    event_codes: list = field(default_factory=list)   # ValuePair
    effective: dt.datetime | None = None
    onset: dt.datetime | None = None
    expires: dt.datetime | None = None
    sender_name: str = ""
    headline: str = ""
    description: str = ""
    instruction: str = ""
    web: str = ""
    contact: str = ""
    parameters: list = field(default_factory=list)    # ValuePair
    resources: list = field(default_factory=list)     # Resource
    areas: list = field(default_factory=list)         # Area


@dataclass
class Reference:
    """An earlier alert this one updates or cancels: CAP's "sender,identifier,sent"."""

    sender: str
    identifier: str
    sent: dt.datetime


@dataclass
class Alert:
    identifier: str
    sender: str
    sent: dt.datetime
    status: str = "Actual"
    msg_type: str = "Alert"
    scope: str = "Public"
    source: str = ""
    restriction: str = ""
    addresses: str = ""
    codes: list = field(default_factory=list)
    note: str = ""
    references: list = field(default_factory=list)    # Reference
    incidents: str = ""
    infos: list = field(default_factory=list)         # Info
    signatures: list = field(default_factory=list)    # bytes of each ds:Signature, untouched
    version: str = "1.2"                              # the version it was read from

    def reference(self):
        """This alert as a Reference, for the Update or Cancel that follows it."""
        return Reference(self.sender, self.identifier, self.sent)

    def info(self, language):
        """The first info block in `language` ("es" matches "es-MX"), or None."""
        for info in self.infos:
            if info.language.lower() == language.lower():
                return info
        for info in self.infos:
            if info.language.lower().partition("-")[0] == language.lower().partition("-")[0]:
                return info
        return None


# ---- writing --------------------------------------------------------------------------------

def format_time(value):
    """CAP's date-time: seconds, and an explicit offset (CAP 1.2 refuses "Z")."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("CAP date-times need a time zone")
    return value.replace(microsecond=0).isoformat()


def _number(value):
    return repr(float(value)) if float(value) != int(value) else str(int(value))


def format_polygon(points):
    check_ring([(float(lat), float(lon)) for lat, lon in points])
    return " ".join(f"{_number(lat)},{_number(lon)}" for lat, lon in points)


def format_circle(circle):
    return f"{_number(circle.lat)},{_number(circle.lon)} {_number(circle.radius_km)}"


def format_reference(reference):
    return f"{reference.sender},{reference.identifier},{format_time(reference.sent)}"


def _add(parent, name, text):
    if text in (None, ""):
        return None
    child = etree.SubElement(parent, f"{{{CAP_12}}}{name}")
    child.text = str(text)
    return child


def _pairs(parent, name, pairs):
    for pair in pairs:
        element = etree.SubElement(parent, f"{{{CAP_12}}}{name}")
        _add(element, "valueName", pair.name)
        _add(element, "value", pair.value)


def _info_element(parent, info):
    element = etree.SubElement(parent, f"{{{CAP_12}}}info")
    _add(element, "language", info.language)
    for category in info.categories:
        _add(element, "category", category)
    _add(element, "event", info.event)
    for response in info.response_types:
        _add(element, "responseType", response)
    _add(element, "urgency", info.urgency)
    _add(element, "severity", info.severity)
    _add(element, "certainty", info.certainty)
    _add(element, "audience", info.audience)
    _pairs(element, "eventCode", info.event_codes)
    for name in ("effective", "onset", "expires"):
        value = getattr(info, name)
        if value is not None:
            _add(element, name, format_time(value))
    _add(element, "senderName", info.sender_name)
    _add(element, "headline", info.headline)
    _add(element, "description", info.description)
    _add(element, "instruction", info.instruction)
    _add(element, "web", info.web)
    _add(element, "contact", info.contact)
    _pairs(element, "parameter", info.parameters)
    for resource in info.resources:
        item = etree.SubElement(element, f"{{{CAP_12}}}resource")
        _add(item, "resourceDesc", resource.desc)
        _add(item, "mimeType", resource.mime_type)
        _add(item, "size", resource.size)
        _add(item, "uri", resource.uri)
        _add(item, "derefUri", resource.deref_uri)
        _add(item, "digest", resource.digest)
    for area in info.areas:
        item = etree.SubElement(element, f"{{{CAP_12}}}area")
        _add(item, "areaDesc", area.desc)
        for polygon in area.polygons:
            _add(item, "polygon", format_polygon(polygon))
        for circle in area.circles:
            _add(item, "circle", format_circle(circle))
        _pairs(item, "geocode", area.geocodes)
        if area.altitude is not None:
            _add(item, "altitude", _number(area.altitude))
        if area.ceiling is not None:
            _add(item, "ceiling", _number(area.ceiling))


def to_element(alert):
    """The alert as a CAP 1.2 `alert` element (not yet validated)."""
    root = etree.Element(f"{{{CAP_12}}}alert", nsmap={None: CAP_12})
    _add(root, "identifier", alert.identifier)
    _add(root, "sender", alert.sender)
    _add(root, "sent", format_time(alert.sent))
    _add(root, "status", alert.status)
    _add(root, "msgType", alert.msg_type)
    _add(root, "source", alert.source)
    _add(root, "scope", alert.scope)
    _add(root, "restriction", alert.restriction)
    _add(root, "addresses", alert.addresses)
    for code in alert.codes:
        _add(root, "code", code)
    _add(root, "note", alert.note)
    _add(root, "references", " ".join(format_reference(r) for r in alert.references))
    _add(root, "incidents", alert.incidents)
    for info in alert.infos:
        _info_element(root, info)
    for signature in alert.signatures:
        root.append(parse(signature))
    return root


def write(alert):
    """CAP 1.2 XML bytes (UTF-8), validated against the CAP 1.2 schema: XMLError otherwise."""
    root = to_element(alert)
    validate(root, CAP_12)
    return serialize(root)


# ---- reading --------------------------------------------------------------------------------

def parse_time(text):
    """A CAP date-time; one without an offset (CAP 1.0/1.1 allow it) is taken as UTC."""
    value = dt.datetime.fromisoformat(text.strip())
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def check_ring(points):
    """A CAP polygon is a closed ring: at least four pairs, the last repeating the first
    (CAP 1.2, section 3.2.4). ValueError otherwise."""
    if len(points) < 4 or points[0] != points[-1]:
        raise ValueError("a polygon must be a closed ring of at least four points")
    for lat, lon in points:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError("a polygon's points must be latitude,longitude in range")
    return points


def parse_polygon(text):
    points = []
    for pair in text.split():
        lat, comma, lon = pair.partition(",")
        if not comma:
            raise ValueError(f"{pair!r} is not a latitude,longitude pair")
        points.append((float(lat), float(lon)))
    return check_ring(points)


def parse_circle(text):
    centre, _space, radius = text.strip().partition(" ")
    lat, _comma, lon = centre.partition(",")
    return Circle(float(lat), float(lon), float(radius))


def parse_references(text):
    references = []
    for item in text.split():
        sender, identifier, sent = item.split(",", 2)
        references.append(Reference(sender, identifier, parse_time(sent)))
    return references


class _Reader:
    def __init__(self, namespace):
        self.ns = namespace

    def name(self, local):
        return f"{{{self.ns}}}{local}"

    def text(self, element, local, default=""):
        child = element.find(self.name(local))
        return (child.text or "").strip() if child is not None else default

    def texts(self, element, local):
        return [(child.text or "").strip() for child in element.iterfind(self.name(local))]

    def each(self, element, local, read):
        """`read` of the text of each `local` child: a value the schema let through but CAP's
        rules do not (a polygon of odd pairs, a reference without its time) is refused with
        where it is and what it holds."""
        values = []
        for child in element.iterfind(self.name(local)):
            text = (child.text or "").strip()
            try:
                values.append(read(text) if text else None)
            except (ValueError, TypeError):
                problem = SchemaProblem(line=child.sourceline or 0, path="", element=local,
                                        kind="bad_value", value=text[:80],
                                        message=f"'{text[:80]}' is not a valid {local}")
                raise XMLError("invalid", {"detail": str(problem)}, [problem]) from None
        return values

    def one(self, element, local, read):
        values = self.each(element, local, read)
        return values[0] if values else None

    def time(self, element, local):
        return self.one(element, local, parse_time)

    def number(self, element, local):
        return self.one(element, local, float)

    def pairs(self, element, local):
        pairs = []
        for child in element.iterfind(self.name(local)):
            if self.ns == CAP_10:  # CAP 1.0: "valueName=value" as the element's text
                name, _eq, value = (child.text or "").strip().partition("=")
                pairs.append(ValuePair(name, value))
            else:
                pairs.append(ValuePair(self.text(child, "valueName"), self.text(child, "value")))
        return pairs

    def area(self, element):
        return Area(
            desc=self.text(element, "areaDesc"),
            polygons=self.each(element, "polygon", parse_polygon),
            circles=self.each(element, "circle", parse_circle),
            geocodes=self.pairs(element, "geocode"),
            altitude=self.number(element, "altitude"),
            ceiling=self.number(element, "ceiling"),
        )

    def resource(self, element):
        return Resource(
            desc=self.text(element, "resourceDesc"),
            mime_type=self.text(element, "mimeType"),
            size=self.one(element, "size", int),
            uri=self.text(element, "uri"),
            deref_uri=self.text(element, "derefUri"),
            digest=self.text(element, "digest"),
        )

    def info(self, element):
        return Info(
            language=self.text(element, "language") or "en-US",
            categories=self.texts(element, "category"),
            event=self.text(element, "event"),
            response_types=self.texts(element, "responseType"),
            urgency=self.text(element, "urgency"),
            severity=self.text(element, "severity"),
            # CAP 1.0 and 1.1's "Very Likely" is CAP 1.2's "Likely" (1.2, section 3.2.2).
            certainty=CERTAINTY_1_2.get(self.text(element, "certainty"),
                                        self.text(element, "certainty")),
            audience=self.text(element, "audience"),
            event_codes=self.pairs(element, "eventCode"),
            effective=self.time(element, "effective"),
            onset=self.time(element, "onset"),
            expires=self.time(element, "expires"),
            sender_name=self.text(element, "senderName"),
            headline=self.text(element, "headline"),
            description=self.text(element, "description"),
            instruction=self.text(element, "instruction"),
            web=self.text(element, "web"),
            contact=self.text(element, "contact"),
            parameters=self.pairs(element, "parameter"),
            resources=[self.resource(e) for e in element.iterfind(self.name("resource"))],
            areas=[self.area(e) for e in element.iterfind(self.name("area"))],
        )

    def alert(self, root):
        return Alert(
            identifier=self.text(root, "identifier"),
            sender=self.text(root, "sender"),
            sent=self.time(root, "sent"),
            status=self.text(root, "status"),
            msg_type=self.text(root, "msgType"),
            scope=self.text(root, "scope"),
            source=self.text(root, "source"),
            restriction=self.text(root, "restriction"),
            addresses=self.text(root, "addresses"),
            codes=self.texts(root, "code"),
            note=self.text(root, "note"),
            references=self.one(root, "references", parse_references) or [],
            incidents=self.text(root, "incidents"),
            infos=[self.info(e) for e in root.iterfind(self.name("info"))],
            signatures=[etree.tostring(e) for e in root.iterfind(f"{{{XMLDSIG}}}Signature")],
            version=VERSIONS[self.ns],
        )


def version_of(root):
    """"1.2", "1.1" or "1.0" for a CAP alert element; XMLError otherwise."""
    qname = etree.QName(root)
    if qname.localname == "alert" and qname.namespace in VERSIONS:
        return VERSIONS[qname.namespace]
    if qname.localname == "alert" and (qname.namespace or "").startswith(CAP_PREFIX):
        raise XMLError("unsupported_version", {"root": qname.text})
    raise XMLError("unknown_document", {"root": qname.text})


def is_cap(root):
    qname = etree.QName(root)
    return qname.localname == "alert" and (qname.namespace or "").startswith(
        (CAP_PREFIX, CAP_10))


def from_element(root):
    """An already parsed `alert` element (say, inside an EDXL-DE envelope) as an Alert,
    validated against its version's schema first."""
    version_of(root)
    validate(root)
    namespace = etree.QName(root).namespace
    try:
        return _Reader(namespace).alert(root)
    except XMLError:
        raise
    except ValueError as error:  # a value the schema lets through but CAP's rules do not
        raise XMLError("invalid", {"detail": str(error)}) from None


def read(data, *, max_bytes=None):
    """The Alert in a CAP 1.2, 1.1 or 1.0 document's raw bytes; XMLError when it is unsafe,
    malformed, not CAP, or fails its schema."""
    root = parse(data) if max_bytes is None else parse(data, max_bytes=max_bytes)
    return from_element(root)
