"""Every write of interop (validate → save → history, in one transaction): importing a CAP
alert, changing who may see it, and opening a mutual-aid incident from it. Reads are in
`interop.selectors`."""

import dataclasses
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import acting_as
from core.models import Disclosure
from core.permissions import require, require_role
from core.services import apply_marking, change_marking, check_new_marking
from interop import cap
from interop.messages import describe
from interop.models import ReceivedAlert
from interop.xml import XMLError
from response.models import Incident
from response.services.incidents import create_incident

# CAP's category of the first info block → the kind of incident it opens.
INCIDENT_KINDS = {
    "Fire": Incident.Kind.WILDFIRE,
    "Geo": Incident.Kind.EARTHQUAKE,
    "Met": Incident.Kind.HURRICANE,
    "CBRNE": Incident.Kind.HAZMAT,
    "Security": Incident.Kind.BORDER_ZONE,
}
FLOOD_WORDS = ("flood", "inundac", "inundación")


def _json(value):
    return json.loads(json.dumps(value, default=str))


def info_dicts(alert):
    """The alert's info blocks as JSON (times as ISO 8601 text)."""
    return [_json(dataclasses.asdict(info)) for info in alert.infos]


def first_point(alert):
    """(latitude, longitude) of the first circle's centre, else the first polygon's mean
    (its closing position counted once), else None."""
    areas = [area for info in alert.infos for area in info.areas]
    for area in areas:
        for circle in area.circles:
            return circle.lat, circle.lon
    for area in areas:
        for polygon in area.polygons:
            ring = polygon[:-1] if len(polygon) > 1 and polygon[0] == polygon[-1] else polygon
            return (sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring))
    return None


def _reading(alert, language):
    """The info block a reader of `language` reads: one in that language, else the first."""
    return alert.info(language) or (alert.infos[0] if alert.infos else None)


def read_document(data):
    """The Alert in `data`, or ValidationError on "document" with why, in the reader's
    language (interop.messages)."""
    try:
        return cap.read(data)
    except XMLError as error:
        raise ValidationError({"document": describe(error)}) from None


def _record(user, alert, data):
    en, es = _reading(alert, "en"), _reading(alert, "es")
    point = first_point(alert)
    return ReceivedAlert(
        owner_nation=user.nation, created_by=user, imported_by=user,
        importing_organization=user.organization,
        sender=alert.sender, identifier=alert.identifier, sent=alert.sent,
        version=alert.version, status=alert.status, msg_type=alert.msg_type,
        scope=alert.scope or "", note=alert.note,
        references=" ".join(cap.format_reference(r) for r in alert.references),
        headline_en=(en.headline or en.event)[:500] if en else "",
        headline_es=(es.headline or es.event)[:500] if es else "",
        event_en=en.event[:255] if en else "", event_es=es.event[:255] if es else "",
        severity=en.severity if en else "",
        infos=info_dicts(alert),
        latitude=point[0] if point else None, longitude=point[1] if point else None,
        signed=bool(alert.signatures), document=bytes(data),
        disclosure=Disclosure.NOT_REVIEWED)


def find_duplicate(user, alert):
    """The alert already received by the user's nation with the same sender, identifier and
    sent time, or None."""
    return ReceivedAlert.objects.filter(
        owner_nation=user.nation, sender=alert.sender, identifier=alert.identifier,
        sent=alert.sent).first()


@transaction.atomic
def import_alert(user, data, *, rel_to=(), disclosure=Disclosure.NOT_REVIEWED, tlp=""):
    """Import a CAP 1.2, 1.1 or 1.0 document (its raw bytes) for the user's nation.
    Returns (record, created): an alert the nation already has (same sender, identifier and
    sent) is recognised and returned as it is, nothing stored twice. A document that is unsafe,
    not CAP or fails its schema is refused (ValidationError on "document") and nothing is
    stored."""
    require_role(user, "interop.add_receivedalert")
    alert = read_document(data)
    existing = find_duplicate(user, alert)
    if existing is not None:
        return existing, False
    record = _record(user, alert, data)
    record.disclosure = disclosure
    record.tlp = tlp or ""
    check_new_marking(user, record, disclosure)
    try:
        with transaction.atomic(), acting_as(user):
            apply_marking(record, owner=user.nation, rel_to=rel_to, disclosure=disclosure,
                          tlp=tlp or "")
    except IntegrityError:  # the same alert, imported at the same moment by another request
        return find_duplicate(user, alert), False
    return record, True


def change_alert_marking(user, record, *, rel_to, disclosure, tlp=""):
    return change_marking(record, user, rel_to=rel_to, disclosure=disclosure, tlp=tlp)


def _incident_kind(info):
    categories = info.get("categories") or []
    category = categories[0] if categories else "Other"
    if category == "Met" and any(w in (info.get("event") or "").lower() for w in FLOOD_WORDS):
        return Incident.Kind.FLOOD
    return INCIDENT_KINDS.get(category, Incident.Kind.OTHER)


def _started_at(record):
    """When the incident started: the alert's onset or effective time if given and past,
    else when it was sent."""
    now = timezone.now()
    for info in record.infos:
        for name in ("onset", "effective"):
            if info.get(name):
                moment = cap.parse_time(info[name])
                if moment <= now:
                    return moment
    return min(record.sent, now)


@transaction.atomic
def open_incident(user, record):
    """Open a mutual-aid incident from a received alert in one step, through response's own
    incident service (its guards and history apply): named by the alert's headlines, at the
    first point of its areas, with the alert's marking; the alert links it. Refused once
    opened, and for an alert that gives no point."""
    require(user, record, "change")
    locked = ReceivedAlert.objects.select_for_update().get(pk=record.pk)
    if locked.incident_id is not None:
        raise ValidationError({"incident": _("This alert already opened an incident.")})
    if locked.msg_type == ReceivedAlert.MsgType.CANCEL:
        raise ValidationError({"incident": _("A cancelled alert opens no incident.")})
    if locked.latitude is None or locked.longitude is None:
        raise ValidationError({"incident": _(
            "The alert gives no circle or polygon: it has no point to open an incident at.")})
    if not user.has_perm("response.add_incident"):
        raise PermissionDenied(_("Your role does not allow this action."))
    info = locked.infos[0] if locked.infos else {}
    incident = create_incident(
        user, name_en=(locked.headline_en or locked.identifier)[:200],
        name_es=(locked.headline_es or locked.headline_en or locked.identifier)[:200],
        kind=_incident_kind(info), latitude=locked.latitude, longitude=locked.longitude,
        started_at=_started_at(locked), rel_to=list(locked.rel_to.all()),
        disclosure=locked.disclosure, tlp=locked.tlp)
    locked.incident = incident
    with acting_as(user):
        locked.save(update_fields=["incident", "updated_at"])
    record.incident = incident
    return incident
