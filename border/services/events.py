"""Border events and their timelines: every write (validate → save → history, in one
transaction). An event is owned by the reporting nation; its timeline is written by either
nation that may see it and carries the event's marking. Reads are in `border.selectors.events`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Nation
from border.models import EXERCISE_WORD, BorderEvent, BorderEventKind, Side, TimelineEntry
from border.services.notices import notify_counterparts
from core.audit import acting_as
from core.lifecycle import Lifecycle, Transition, refused_by_state
from core.models import Disclosure
from core.permissions import may, require, require_role
from core.services import (
    apply_marking,
    apply_parent_marking,
    change_marking,
    check_new_marking,
    model_errors,
)
from response import geo
from response.models import CLOCK_SKEW
from response.services.common import check_changeable, moment, organization
from response.services.incidents import check_perimeter, create_incident

ES = BorderEvent.State

EVENT_FIELDS = ("kind", "title_en", "title_es", "description_en", "description_es",
                "latitude", "longitude", "perimeter", "claimed_side", "started_at",
                "ended_at", "severity", "reporting_organization", "is_exercise")
# Whether an event is an exercise is said once, when it is reported.
UPDATE_FIELDS = tuple(f for f in EVENT_FIELDS if f != "is_exercise")
TEXT_FIELDS = ("title_en", "title_es", "description_en", "description_es", "claimed_side")
DERIVED_FIELDS = ["side", "border_distance_km"]
OPEN_STATES = (ES.REPORTED, ES.CONFIRMED, ES.CONTAINED)


def _may_take_event_step(user, event, step):
    return may(user, event, "transition")


EVENT_LIFECYCLE = Lifecycle(
    Transition("confirm", (ES.REPORTED,), ES.CONFIRMED, gettext_lazy("Confirm")),
    Transition("contain", (ES.REPORTED, ES.CONFIRMED), ES.CONTAINED,
               gettext_lazy("Mark contained")),
    Transition("close", OPEN_STATES, ES.CLOSED, gettext_lazy("Close")),
    may=_may_take_event_step, reason_field="state_reason",
    refused=refused_by_state(gettext_lazy("“%(action)s” is not possible: the %(record)s is "
                                          "%(state)s.")),
)


# ---- Guards ----------------------------------------------------------------------------------

def _kind(value):
    """A kind given by code or as itself."""
    if value is None or isinstance(value, BorderEventKind):
        return value
    found = BorderEventKind.objects.filter(code=str(value).strip().lower()).first()
    if found is None:
        raise ValidationError({"kind": _("Unknown kind of border event %(code)s.")
                               % {"code": value}})
    return found


def _assign(event, fields):
    for name, value in fields.items():
        if name in ("started_at", "ended_at"):
            value = moment(value, name)
        elif name == "kind":
            value = _kind(value)
        elif name == "reporting_organization":
            value = organization(value, name)
        elif name == "perimeter" and value in ("", {}):
            value = None
        setattr(event, name, "" if value is None and name in TEXT_FIELDS else value)


def _check_times(errors, event):
    now = timezone.now() + CLOCK_SKEW
    if event.started_at and event.started_at > now:
        errors["started_at"] = _("An event cannot start in the future.")
    if event.ended_at and event.ended_at > now:
        errors["ended_at"] = _("An event cannot end in the future.")
    elif event.ended_at and event.started_at and event.ended_at < event.started_at:
        errors["ended_at"] = _("An event cannot end before it started.")


def _check_side(errors, event):
    """A side the reporter claims must be the side the point lies on, where the line can tell
    (California and the Baja California peninsula)."""
    if not event.claimed_side or "latitude" in errors or "longitude" in errors:
        return
    side = geo.country_of_point(event.latitude, event.longitude)
    if side and side != event.claimed_side:
        errors["claimed_side"] = _(
            "The point lies in %(side)s, not in %(claimed)s: correct the point or the "
            "side.") % {"side": Nation.objects.get(code=side).name,
                        "claimed": Nation.objects.get(code=event.claimed_side).name}


def _clean_event(user, event, *, new):
    errors = {}
    if event.kind_id is None:
        errors["kind"] = _("This field is required.")
    elif new and not event.kind.active:
        errors["kind"] = _("This kind of event is no longer in use: choose another.")
    if not (event.title_en or "").strip() and not (event.title_es or "").strip():
        errors["title_en"] = _("Give the event a title in English or in Spanish.")
    organization_ = event.reporting_organization if event.reporting_organization_id else None
    if organization_ is not None and organization_.nation_id != event.owner_nation_id:
        errors["reporting_organization"] = _(
            "The reporting organization must be one of your nation's organizations.")
    if event.perimeter is not None:
        try:
            event.perimeter = check_perimeter(event.perimeter)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    model_errors(event, errors, exclude=[*DERIVED_FIELDS, "incident"])
    if "started_at" not in errors and "ended_at" not in errors:
        _check_times(errors, event)
    _check_side(errors, event)
    if errors:
        raise ValidationError(errors)


# ---- Events ----------------------------------------------------------------------------------

@transaction.atomic
def report_event(user, *, rel_to=(), disclosure=Disclosure.NOT_REVIEWED, tlp="",
                 lanes_side="", **fields):
    """A new border event owned by the user's nation, reported by one of its organizations (by
    default the user's). The side of the line and the distance to it follow from the point —
    except for a port closure (`lanes_side`, given by border.services.ports only), which is on
    the side of the lanes that closed."""
    require_role(user, "border.add_borderevent")
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown fields: {', '.join(sorted(unknown))}")
    if lanes_side not in ("", *Side.values):
        raise ValueError(f"Unknown side of the line {lanes_side!r}")
    event = BorderEvent(owner_nation=user.nation, reported_by=user, created_by=user,
                        state=ES.REPORTED, disclosure=disclosure, tlp=tlp or "",
                        lanes_side=lanes_side)
    _assign(event, fields)
    if event.reporting_organization_id is None:
        event.reporting_organization = user.organization
    check_new_marking(user, event, disclosure)
    _clean_event(user, event, new=True)
    with acting_as(user):
        apply_marking(event, owner=user.nation, rel_to=rel_to, disclosure=disclosure,
                      tlp=tlp or "")
    # The counterparts the contact matrix names are told at once (refused if they may not see
    # the event: border.services.notices).
    notify_counterparts(event, user=user)
    return event


@transaction.atomic
def update_event(user, event, **fields):
    """Change the fields given; only the reporting nation may. Whether the event is an
    exercise stays as reported."""
    require(user, event, "change", nation_refusal=_(
        "Only the reporting nation may change its border event."))
    if "is_exercise" in fields and bool(fields["is_exercise"]) != event.is_exercise:
        raise ValidationError({"is_exercise": _(
            "Whether an event is an exercise is set when it is reported.")})
    fields.pop("is_exercise", None)
    check_changeable(fields, UPDATE_FIELDS)
    _assign(event, fields)
    _clean_event(user, event, new=False)
    with acting_as(user):
        event.save()
    return event


def change_event_marking(user, event, *, rel_to, disclosure, tlp=""):
    """Change who may see the event; its timeline follows (MARKING_FOLLOWS)."""
    return change_marking(event, user, rel_to=rel_to, disclosure=disclosure, tlp=tlp)


def transitions_for(user, event):
    return EVENT_LIFECYCLE.options(user, event)


@transaction.atomic
def transition_event(user, event, name, *, reason=""):
    """Move the event one step: confirm (reported → confirmed), contain (reported or
    confirmed → contained) or close (any open state → closed; the end is now unless already
    given). Only the reporting nation may. Returns the event as it now is."""
    require(user, event, "transition", nation_refusal=_(
        "Only the reporting nation may move its border event through its lifecycle."))
    EVENT_LIFECYCLE.step(name)
    locked = BorderEvent.objects.select_for_update().get(pk=event.pk)
    changes = {}
    if name == "close" and locked.ended_at is None:
        changes["ended_at"] = max(timezone.now(), locked.started_at)
    EVENT_LIFECYCLE.move(user, locked, name, reason=reason, changes=changes)
    return locked


# ---- Timeline --------------------------------------------------------------------------------

@transaction.atomic
def add_timeline_entry(user, event, *, kind, text, language, at=None):
    """An observation, action or decision on the event's timeline, by a user of either nation
    that may see the event, for their organization; it carries the event's marking. `at`
    (by default now) lies between the event's start and now."""
    require(user, event, "view")
    require_role(user, "border.add_timelineentry")
    event = BorderEvent.objects.select_for_update().get(pk=event.pk)  # not closed meanwhile
    if event.state == ES.CLOSED:
        raise ValidationError(_("The event is closed: its timeline is final."))
    entry = TimelineEntry(event=event, kind=kind, text=(text or "").strip(),
                          language=language, author=user, organization=user.organization,
                          at=moment(at, "at") if at is not None else timezone.now(),
                          owner_nation=event.owner_nation, created_by=user)
    errors = {}
    if entry.at > timezone.now() + CLOCK_SKEW:
        errors["at"] = _("A timeline entry cannot be in the future.")
    elif entry.at < event.started_at:
        errors["at"] = _("A timeline entry cannot be before the event started.")
    model_errors(entry, errors, exclude=["event", "author", "organization"])
    if errors:
        raise ValidationError(errors)
    with acting_as(user):
        apply_parent_marking(entry)
    return entry


# ---- The mutual-aid incident -----------------------------------------------------------------

def _incident_name(event, language):
    title = getattr(event, f"title_{language}") or event.title_en or event.title_es
    if not event.is_exercise:
        return title
    return f"{EXERCISE_WORD[language]} — {title}"[:200]


@transaction.atomic
def open_incident(user, event):
    """Open the mutual-aid incident of the event in one step: the same point, perimeter, start
    and marking, through response's own incident service (its guards and history apply), its
    host agency the reporting organization; the event links it. Refused once opened."""
    require(user, event, "change", nation_refusal=_(
        "Only the reporting nation may open an incident for its border event."))
    locked = BorderEvent.objects.select_for_update().get(pk=event.pk)
    if locked.incident_id is not None:
        raise ValidationError({"incident": _(
            "This event already opened an incident.")})
    if locked.state == ES.CLOSED:
        raise ValidationError({"incident": _(
            "The event is closed: open no incident for it.")})
    if not user.has_perm("response.add_incident"):
        raise PermissionDenied(_("Your role does not allow this action."))
    incident = create_incident(
        user, name_en=_incident_name(locked, "en"), name_es=_incident_name(locked, "es"),
        kind=locked.kind.incident_kind, latitude=locked.latitude, longitude=locked.longitude,
        perimeter=locked.perimeter, started_at=locked.started_at,
        host_agency=locked.reporting_organization,
        ics_number="", rel_to=list(locked.rel_to.all()), disclosure=locked.disclosure,
        tlp=locked.tlp)
    locked.incident = incident
    with acting_as(user):
        locked.save(update_fields=["incident", "updated_at"])
    event.incident = incident
    return incident

