"""Deployments: the team sent under an agreement in force, from mobilization through the
crossing (the checklist both nations complete), onboarding and assignment (the 14-day clock,
shifts and the 2:1 work/rest check), to its return home and the closing of its costs.

The sending nation owns the deployment and its roster and costs; the host nation (where the
incident is) sees them, records check-ins, daily status, shifts and its two crossing items
(entry at a designated port or airport, cleared to operate), records arrival and assignment,
and approves an extension. Guards live here so the pages, the API, jobs and the demo share
them."""

import hashlib
import re
import zoneinfo
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import acting_as
from core.lifecycle import EVERYWHERE, Lifecycle, Transition, refused_by_state
from core.models import Disclosure
from core.permissions import may, require, require_role
from core.services import apply_marking, apply_parent_marking
from response import crossing, workrest
from response.models import (
    AidAgreement,
    CheckIn,
    DailyStatus,
    Deployment,
    DeploymentCost,
    Offer,
    OnboardingItem,
    PortOfEntry,
    RosterMember,
    ShiftLog,
)
from response.services.common import (
    check_changeable,
    holders,
    in_range,
    moment,
    notify_in_both,
    parse_languages,
)

DS = Deployment.State
SENDING, HOST = "sending", "host"

# The crossing checklist: (item, label, which nation records it). Each item's time is kept in
# the deployment's `<item>_at` field.
CHECKLIST = (
    ("host_notified", gettext_lazy("Host government notified in advance"), SENDING),
    ("identity_documents", gettext_lazy("Identity documents checked"), SENDING),
    ("visas", gettext_lazy("Visas or diplomatic note in hand"), SENDING),
    ("credentials", gettext_lazy("Agency IDs and qualification records checked"), SENDING),
    ("customs_manifest", gettext_lazy("Customs manifest for equipment, vehicles or aircraft"),
     SENDING),
    ("designated_entry", gettext_lazy("Entry at a designated port of entry or airport"), HOST),
    ("host_cleared", gettext_lazy("Host acknowledgement: cleared to operate"), HOST),
)
CHECKLIST_ITEMS = tuple(name for name, _label, _side in CHECKLIST)
CHECKLIST_OPEN = (DS.MOBILIZING, DS.IN_TRANSIT)  # the checklist closes with the arrival

# Every deployment starts with these onboarding items, in both languages; either nation adds
# more (the host's own course, say).
DEFAULT_ONBOARDING = (
    ("Equipment and PPE fitting", "Entrega y ajuste de equipo y EPP"),
    ("Safety briefing (wildland or structural, as assigned)",
     "Plática de seguridad (incendio forestal o estructural, según la asignación)"),
    ("Radio and communications plan", "Radios y plan de comunicaciones"),
    ("Medical and emergency plan", "Plan médico y de emergencias"),
    ("Host liaison introduced", "Presentación del enlace del anfitrión"),
)
ONBOARDING_OPEN = (DS.MOBILIZING, DS.IN_TRANSIT, DS.ARRIVED, DS.ONBOARDING)

# The host sees the team arrive and puts it to work, so it may record those two steps.
HOST_TRANSITIONS = (DS.ARRIVED, DS.ASSIGNED)
# The time each transition records, in the order they happen.
TIMESTAMPS = {
    DS.IN_TRANSIT: "departed_at",
    DS.ARRIVED: "arrived_at",
    DS.ASSIGNED: "assigned_at",
    DS.DEMOBILIZING: "demobilized_at",
    DS.RETURNED: "returned_at",
}

HOME = (DS.RETURNED, DS.CLOSED)
ROSTER_OPEN = (DS.MOBILIZING, DS.IN_TRANSIT, DS.ARRIVED, DS.ONBOARDING, DS.ASSIGNED)
BEFORE_ARRIVAL = (DS.MOBILIZING, DS.IN_TRANSIT)
CHECK_IN_STATES = (DS.IN_TRANSIT, DS.ARRIVED, DS.ONBOARDING, DS.ASSIGNED, DS.DEMOBILIZING)
DAILY_STATUS_STATES = (DS.ARRIVED, DS.ONBOARDING, DS.ASSIGNED, DS.DEMOBILIZING)
SHIFT_STATES = (DS.ASSIGNED, DS.DEMOBILIZING, DS.RETURNED)  # returned: late entries
MAX_SHIFT = timedelta(hours=24)

DEPLOYMENT_FIELDS = ("name", "transport", "port", "arrival_airport", "planned_crossing_at",
                     "reception_site", "carries_equipment", "departed_at",
                     "assignment_division", "assignment_crew", "supervisor")
# What the crossing plan is made of: fixed once the team has crossed, and re-notified to the
# host when it changes before.
CROSSING_FIELDS = ("transport", "port", "arrival_airport", "planned_crossing_at",
                   "carries_equipment")
ROSTER_FIELDS = ("full_name", "organization", "position", "credentials", "languages",
                 "agency_id")
COST_FIELDS = ("category", "description", "amount", "currency", "reimbursement")
CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


# ---- Who may -------------------------------------------------------------------------------

def _require_sender(user, deployment, perm="change_deployment"):
    require(user, deployment, "change", perm=f"response.{perm}", nation_refusal=_(
        "Only the sending nation (%(nation)s) may do this.")
        % {"nation": deployment.owner_nation.code})


def _require_host(user, deployment, perm="report_deployment"):
    require(user, deployment, "report", perm=f"response.{perm}")
    if user.nation_id != deployment.host_nation_id:
        raise PermissionDenied(_("Only the host nation (%(nation)s) may do this.")
                               % {"nation": deployment.host_nation.code})


def may_report(user, deployment):
    """Either nation's users who report on teams (check-ins, daily status, shifts,
    onboarding)."""
    return may(user, deployment, "report")


def _require_reporter(user, deployment):
    require(user, deployment, "report", nation_refusal=_(
        "Only the sending or the host nation may report on this deployment."))


def _require_state(deployment, states, message):
    if deployment.state not in states:
        raise ValidationError(message % {"state": deployment.get_state_display().lower()})


def _not_future(moment, field, message):
    if moment > timezone.now():
        raise ValidationError({field: message})


def _to_the_minute(moment):
    """Forms give times to the minute: a time in the same minute as the one before counts as
    after it."""
    return moment.replace(second=0, microsecond=0)


def response_users(*nation_ids):
    """Active users of these nations whose role reports on deployments: the people who answer
    for teams sent and hosted."""
    return holders("report_deployment", nation_id__in=nation_ids)


# ---- The crossing: port hours, the host-government notice, the checklist --------------------

def _port_time(moment):
    local = timezone.localtime(moment, zoneinfo.ZoneInfo(PortOfEntry.TIME_ZONE))
    return formats.date_format(local, "SHORT_DATETIME_FORMAT")


def crossing_warnings(deployment):
    """Warnings about the planned crossing, in the reader's language: a ground crossing
    planned outside its port's hours, or at a port whose hours are unconfirmed."""
    port = deployment.port
    if (deployment.transport != Deployment.Transport.GROUND or port is None
            or deployment.planned_crossing_at is None):
        return []
    found = crossing.port_hours_warning(port.opens, port.closes, port.days,
                                        PortOfEntry.TIME_ZONE, deployment.planned_crossing_at,
                                        provisional=port.hours_provisional)
    values = {"port": port.name, "when": _port_time(deployment.planned_crossing_at),
              "hours": port.hours_text,
              "opens": port.opens.strftime("%H:%M") if port.opens else "",
              "closes": port.closes.strftime("%H:%M") if port.closes else ""}
    if found == crossing.CLOSED_DAY:
        return [_("%(port)s is open Monday to Friday only: the planned crossing (%(when)s, port "
                  "time) falls on a weekend.") % values]
    if found == crossing.OUTSIDE_HOURS:
        return [_("The planned crossing (%(when)s, port time) is outside the hours of %(port)s "
                  "(%(opens)s–%(closes)s).") % values]
    if found == crossing.HOURS_PROVISIONAL:
        return [_("The hours of %(port)s are unconfirmed (%(hours)s): check them with the port "
                  "before crossing.") % values]
    return []


def _crossing_plan(deployment):
    """The values of CROSSING_FIELDS, in order."""
    return (deployment.transport, deployment.port_id, deployment.arrival_airport,
            deployment.planned_crossing_at, deployment.carries_equipment)


def crossing_notice(deployment, tz):
    """The host-government notice of the planned crossing, in the reader's language, with times
    in `tz`: what the host nation's users are sent and what the crossing packet prints."""
    when = formats.date_format(timezone.localtime(deployment.planned_crossing_at, tz),
                               "SHORT_DATETIME_FORMAT")
    values = {"deployment": deployment.name, "organization": deployment.sending_organization,
              "nation": deployment.owner_nation.code, "when": when,
              "place": deployment.port.name if deployment.port else deployment.arrival_airport}
    if deployment.transport == Deployment.Transport.GROUND:
        # The time leads: a time ending in "a.m." would end the sentence with two stops.
        message = _("Crossing planned for %(when)s: %(deployment)s (%(organization)s, "
                    "%(nation)s) will cross at the %(place)s port of entry.") % values
    else:
        message = _("Crossing planned for %(when)s: %(deployment)s (%(organization)s, "
                    "%(nation)s) will arrive by air at %(place)s.") % values
    if deployment.carries_equipment:
        message += " " + _("The team brings equipment, vehicles or aircraft.")
    return " ".join([message, *crossing_warnings(deployment)])


def notify_crossing_planned(deployment):
    """The host-government notice: tell the host nation's response users where and when the
    team will cross, each in their own time zone. Sent once per crossing plan."""
    if deployment.planned_crossing_at is None:
        return []
    plan = "|".join(str(v) for v in _crossing_plan(deployment))
    key = (f"crossing:deployment:{deployment.pk}:"
           f"{hashlib.sha256(plan.encode()).hexdigest()[:16]}")
    made = []
    for user in response_users(deployment.host_nation_id):
        tz = zoneinfo.ZoneInfo(user.time_zone)
        made += notify_in_both([user], deployment,
                               lambda tz=tz: crossing_notice(deployment, tz), key)
    return made


@dataclass(frozen=True)
class ChecklistItem:
    name: str
    label: str
    side: str  # SENDING or HOST: which nation records it
    done_at: object  # datetime or None
    required: bool

    @property
    def done(self):
        return self.done_at is not None


def crossing_checklist(deployment):
    """The crossing checklist, item by item; the customs manifest is required only when the
    team brings equipment, vehicles or aircraft."""
    return [ChecklistItem(name, str(label), side, getattr(deployment, f"{name}_at"),
                          name != "customs_manifest" or deployment.carries_equipment)
            for name, label, side in CHECKLIST]


def missing_checklist_items(deployment):
    return [item for item in crossing_checklist(deployment) if item.required and not item.done]


def checklist_complete(deployment):
    return not missing_checklist_items(deployment)


def may_record_checklist_item(user, deployment, side):
    if deployment.state not in CHECKLIST_OPEN or getattr(user, "nation_id", None) is None:
        return False
    if side == SENDING:
        return may(user, deployment, "change")
    return user.nation_id == deployment.host_nation_id and may_report(user, deployment)


@transaction.atomic
def record_checklist_item(user, deployment, item, done=True, at=None):
    """Record (or, with done=False, undo) one crossing checklist item. The sending nation
    records host_notified, identity_documents, visas, credentials and customs_manifest; the
    host nation records designated_entry and host_cleared. Only before arrival."""
    sides = {name: side for name, _label, side in CHECKLIST}
    if item not in sides:
        raise ValidationError({"item": _("Unknown checklist item %(item)s: choose one of "
                                         "%(items)s.") % {"item": item,
                                                          "items": ", ".join(CHECKLIST_ITEMS)}})
    if sides[item] == SENDING:
        _require_sender(user, deployment)
    else:
        _require_host(user, deployment)
    _require_state(deployment, CHECKLIST_OPEN, _(
        "The crossing checklist closes when the team arrives (this deployment is %(state)s)."))
    at = moment(at, "at") or timezone.now()
    if done:
        _not_future(at, "at", _("A checklist item cannot be done in the future."))
    setattr(deployment, f"{item}_at", at if done else None)
    with acting_as(user):
        deployment.save(update_fields=[f"{item}_at", "updated_at"])
    return deployment


# ---- Deployments ----------------------------------------------------------------------------

def _check_transport(deployment):
    deployment.arrival_airport = (deployment.arrival_airport or "").strip()
    if deployment.transport == Deployment.Transport.GROUND:
        deployment.arrival_airport = ""
        if deployment.port_id is None:
            raise ValidationError({"port": _("A ground deployment crosses at a port of entry: "
                                             "choose one.")})
    elif deployment.transport == Deployment.Transport.AIR:
        deployment.port = None
        if not deployment.arrival_airport:
            raise ValidationError({"arrival_airport": _("An air deployment arrives at an "
                                                        "airport or base: name it.")})


@transaction.atomic
def create_deployment(user, agreement, *, name, transport, port=None, arrival_airport="",
                      planned_crossing_at=None, reception_site="", carries_equipment=False,
                      departed_at=None):
    """A team sent under `agreement` (in force, visible to the user) by its assisting
    organization; the user must be of that organization's nation. Owned by the sending nation
    and released, disclosure approved, to the host nation (the incident's country). Starts
    mobilizing with the default onboarding items; the host nation is told of the planned
    crossing. See `crossing_warnings` for the port-hours warnings."""
    require_role(user, "response.add_deployment")
    if not may(user, agreement):
        raise ValidationError({"agreement": _("Choose an agreement you may see.")})
    if agreement.state != AidAgreement.State.IN_FORCE:
        raise ValidationError({"agreement": _(
            "A team is sent only under an agreement in force (this one is %(state)s).")
            % {"state": agreement.get_state_display().lower()}})
    sending = agreement.assisting_organization
    if sending.nation_id != user.nation_id:
        raise PermissionDenied(_("Only the assisting nation (%(nation)s) sends a team under "
                                 "this agreement.") % {"nation": sending.nation.code})
    incident = agreement.offer.incident
    deployment = Deployment(
        agreement=agreement, incident=incident, sending_organization=sending,
        host_nation=incident.country, name=(name or "").strip(), transport=transport,
        port=port, arrival_airport=arrival_airport or "",
        planned_crossing_at=moment(planned_crossing_at, "planned_crossing_at"),
        reception_site=(reception_site or "").strip(),
        carries_equipment=bool(carries_equipment),
        departed_at=moment(departed_at, "departed_at"),
        owner_nation=user.nation, disclosure=Disclosure.APPROVED, created_by=user)
    _check_transport(deployment)
    deployment.full_clean()
    with acting_as(user):
        apply_marking(deployment, owner=user.nation, rel_to=[incident.country],
                      disclosure=Disclosure.APPROVED)
        for text_en, text_es in DEFAULT_ONBOARDING:
            OnboardingItem.objects.create(deployment=deployment, text_en=text_en,
                                          text_es=text_es)
    notify_crossing_planned(deployment)
    return deployment


@transaction.atomic
def update_deployment(user, deployment, **fields):
    """Change the fields given (not the state: see `transition_deployment`). The sending
    nation only, until the team is home; the crossing plan only until the team arrives. A
    changed plan is notified to the host again."""
    _require_sender(user, deployment)
    check_changeable(fields, DEPLOYMENT_FIELDS)
    if deployment.state in HOME:
        raise ValidationError(_("This deployment is %(state)s: it can no longer be changed.")
                              % {"state": deployment.get_state_display().lower()})
    before = dict(zip(CROSSING_FIELDS, _crossing_plan(deployment), strict=True))
    for name, value in fields.items():
        if name in ("name", "arrival_airport", "reception_site", "assignment_division",
                    "assignment_crew", "supervisor"):
            value = (value or "").strip()
        elif name in ("planned_crossing_at", "departed_at"):
            value = moment(value, name)
        setattr(deployment, name, value)
    after = dict(zip(CROSSING_FIELDS, _crossing_plan(deployment), strict=True))
    changed = [name for name in CROSSING_FIELDS if after[name] != before[name]]
    if changed and deployment.state not in BEFORE_ARRIVAL:
        raise ValidationError({name: _("The team has crossed already: the crossing plan can "
                                       "no longer change.") for name in changed})
    _check_transport(deployment)
    deployment.full_clean()
    with acting_as(user):
        deployment.save()
    if changed:
        notify_crossing_planned(deployment)
    return deployment


def _text_pair(text_en, text_es):
    text_en, text_es = (text_en or "").strip(), (text_es or "").strip()
    if not (text_en or text_es):
        raise ValidationError({"text_en": _("Write the item in English or Spanish.")})
    return text_en or text_es, text_es or text_en


@transaction.atomic
def add_onboarding_item(user, deployment, text_en, text_es):
    """Another thing to do on arrival; either nation may add one until the team is assigned.
    Written in one language only, it reads the same in the other."""
    _require_reporter(user, deployment)
    _require_state(deployment, ONBOARDING_OPEN, _(
        "Onboarding is over once the team is assigned (this deployment is %(state)s)."))
    text_en, text_es = _text_pair(text_en, text_es)
    item = OnboardingItem(deployment=deployment, text_en=text_en, text_es=text_es)
    item.full_clean()
    with acting_as(user):
        item.save()
    return item


@transaction.atomic
def complete_onboarding_item(user, deployment, item, done=True):
    """Mark an onboarding item (instance or id) done, or not done again; either nation, until
    the team is assigned."""
    _require_reporter(user, deployment)
    found = deployment.onboarding_items.filter(pk=getattr(item, "pk", item)).first()
    if found is None:
        raise ValidationError({"item": _("This item is not on the deployment's onboarding "
                                         "list.")})
    _require_state(deployment, ONBOARDING_OPEN, _(
        "Onboarding is over once the team is assigned (this deployment is %(state)s)."))
    found.done_at, found.done_by = (timezone.now(), user) if done else (None, None)
    with acting_as(user):
        found.save(update_fields=["done_at", "done_by"])
    if isinstance(item, OnboardingItem):
        item.done_at, item.done_by = found.done_at, found.done_by
    return found


# ---- Roster ---------------------------------------------------------------------------------

def _check_member(user, member, deployment):
    if member.organization_id and member.organization.nation_id != deployment.owner_nation_id:
        raise ValidationError({"organization": _(
            "Choose an organization of the sending nation (%(nation)s).")
            % {"nation": deployment.owner_nation.code}})
    member.full_name = (member.full_name or "").strip()
    member.agency_id = (member.agency_id or "").strip()
    member.languages = parse_languages(member.languages)
    member.full_clean(exclude=["owner_nation"])
    _check_one_place(user, member)


def _check_one_place(user, member):
    """A person is in one place at a time: not on two teams that are not yet home. The same
    person is the same agency ID in the same organization, or without an ID the same name."""
    same = (RosterMember.objects.filter(organization_id=member.organization_id)
            .exclude(deployment__state__in=HOME).exclude(pk=member.pk))
    field = "agency_id" if member.agency_id else "full_name"
    same = (same.filter(agency_id=member.agency_id) if member.agency_id
            else same.filter(full_name__iexact=member.full_name))
    other = same.select_related("deployment").first()
    if other is None:
        return
    if may(user, other.deployment):
        raise ValidationError({field: _("%(name)s is already on the deployment "
                                        "“%(deployment)s”: a person is in one place at a time.")
                               % {"name": other.full_name, "deployment": other.deployment.name}})
    raise ValidationError({field: _("This person is already on another deployment that is not "
                                    "yet home: a person is in one place at a time.")})


@transaction.atomic
def add_roster_member(user, deployment, *, full_name, organization, position="",
                      credentials="", languages="", agency_id=""):
    """A person on the team, of an organization of the sending nation; released like the
    deployment. Until the team demobilizes."""
    _require_sender(user, deployment, "add_rostermember")
    _require_state(deployment, ROSTER_OPEN, _(
        "People join a team only until it demobilizes (this deployment is %(state)s)."))
    member = RosterMember(deployment=deployment, full_name=full_name,
                          organization=organization, position=position or "",
                          credentials=credentials or "", languages=languages or "",
                          agency_id=agency_id or "", owner_nation=deployment.owner_nation,
                          created_by=user)
    _check_member(user, member, deployment)
    with acting_as(user):
        apply_parent_marking(member)
    return member


@transaction.atomic
def update_roster_member(user, member, **fields):
    """Change the fields given; the sending nation, until the team is home."""
    deployment = member.deployment
    _require_sender(user, deployment, "change_rostermember")
    check_changeable(fields, ROSTER_FIELDS)
    if deployment.state in HOME:
        raise ValidationError(_("This team is home: its roster can no longer change."))
    for name, value in fields.items():
        setattr(member, name, value if value is not None else "")
    _check_member(user, member, deployment)
    with acting_as(user):
        member.save()
    return member


@transaction.atomic
def remove_roster_member(user, member):
    """Take a person off the roster before the team arrives; after that the record stays (it
    is who was there). Editing the roster is the permission needed."""
    deployment = member.deployment
    _require_sender(user, deployment, "change_rostermember")
    _require_state(deployment, BEFORE_ARRIVAL, _(
        "People leave the roster only before the team arrives (this deployment is "
        "%(state)s)."))
    with acting_as(user):
        member.delete()


# ---- Accountability and work/rest -----------------------------------------------------------

@transaction.atomic
def check_in(user, member, *, status, location, at=None, note=""):
    """An ICS-211 (SCI-211) check-in or status update of one person, by either nation, from
    the crossing until the team is home."""
    deployment = member.deployment
    _require_reporter(user, deployment)
    require(user, member, "view")
    _require_state(deployment, CHECK_IN_STATES, _(
        "Check-ins are recorded from departure until the team is home (this deployment is "
        "%(state)s)."))
    at = moment(at, "at") or timezone.now()
    _not_future(at, "at", _("A check-in cannot be in the future."))
    entry = CheckIn(member=member, status=status, location=(location or "").strip(), at=at,
                    note=(note or "").strip(), recorded_by=user)
    entry.full_clean()
    with acting_as(user):
        entry.save()
    return entry


@transaction.atomic
def record_daily_status(user, deployment, *, day, summary_en="", summary_es="",
                        personnel_on_duty=0, injuries=0):
    """The day's status report, by either nation, from arrival to demobilization; recording a
    day again replaces its report."""
    _require_reporter(user, deployment)
    _require_state(deployment, DAILY_STATUS_STATES, _(
        "Daily status is reported from arrival until demobilization (this deployment is "
        "%(state)s)."))
    if in_range(day, "day") > timezone.localdate():
        raise ValidationError({"day": _("A daily status cannot be for a day still to come.")})
    report = (DailyStatus.objects.filter(deployment=deployment, day=day).first()
              or DailyStatus(deployment=deployment, day=day))
    report.summary_en, report.summary_es = (summary_en or "").strip(), (summary_es or "").strip()
    report.personnel_on_duty, report.injuries = personnel_on_duty, injuries
    report.recorded_by = user
    report.full_clean(validate_unique=False)
    with acting_as(user):
        report.save()
    return report


def shifts_with_findings(deployment):
    """The deployment's shifts, each with its work/rest finding, in order of start."""
    shifts = list(deployment.shifts.select_related("recorded_by"))
    findings = workrest.shift_findings((s.started_at, s.ended_at) for s in shifts)
    return list(zip(shifts, findings, strict=True))


@transaction.atomic
def record_shift(user, deployment, *, started_at, ended_at, note=""):
    """One operational period worked on assignment, by either nation; returns its work/rest
    finding (the rest before it against half the shift before, and whether it ran over 16
    hours). Shifts of one deployment do not overlap."""
    _require_reporter(user, deployment)
    _require_state(deployment, SHIFT_STATES, _(
        "Shifts are recorded once the team is assigned (this deployment is %(state)s)."))
    started_at, ended_at = moment(started_at, "started_at"), moment(ended_at, "ended_at")
    if ended_at <= started_at:
        raise ValidationError({"ended_at": _("A shift ends after it starts.")})
    if ended_at - started_at > MAX_SHIFT:
        raise ValidationError({"ended_at": _("A shift is at most 24 hours: record a longer "
                                             "period as separate shifts.")})
    if deployment.assigned_at and started_at < _to_the_minute(deployment.assigned_at):
        raise ValidationError({"started_at": _("A shift starts after the assignment (%(when)s).")
                               % {"when": formats.date_format(
                                   timezone.localtime(deployment.assigned_at),
                                   "SHORT_DATETIME_FORMAT")}})
    _not_future(ended_at, "ended_at", _("A shift cannot end in the future."))
    if deployment.shifts.filter(started_at__lt=ended_at, ended_at__gt=started_at).exists():
        raise ValidationError({"started_at": _("This shift overlaps one already recorded.")})
    shift = ShiftLog(deployment=deployment, started_at=started_at, ended_at=ended_at,
                     note=(note or "").strip(), recorded_by=user)
    shift.full_clean()
    with acting_as(user):
        shift.save()
    return next(f for s, f in shifts_with_findings(deployment) if s.pk == shift.pk)


def assignment_clock(deployment, now=None):
    """Day N of the limit on assignment, or None before assignment; the clock stops when
    demobilization starts."""
    if deployment.assigned_at is None:
        return None
    until = deployment.demobilized_at or now or timezone.now()
    return workrest.clock(deployment.assigned_at, until, deployment.extension_days)


def may_extend(user, deployment):
    return (deployment.state == DS.ASSIGNED and getattr(user, "nation_id", None) is not None
            and user.nation_id == deployment.host_nation_id
            and may(user, deployment, "report", perm="response.transition_deployment"))


@transaction.atomic
def approve_extension(user, deployment, days):
    """The host nation, which asked for the help, extends the assignment: `days` is the whole
    extension (1 to 14), only while the team is assigned, and not ending before today."""
    _require_host(user, deployment, "transition_deployment")
    _require_state(deployment, (DS.ASSIGNED,), _(
        "An extension is approved only while the team is on assignment (this deployment is "
        "%(state)s)."))
    if not isinstance(days, int) or not 1 <= days <= workrest.MAX_EXTENSION_DAYS:
        raise ValidationError({"days": _("An extension is 1 to 14 days in all.")})
    clock = assignment_clock(deployment)
    day = clock.day if clock else 0
    if day > workrest.limit_day(days):
        raise ValidationError({"days": _("The team is on day %(day)d already: an extension "
                                         "of %(days)d days would end before today.")
                               % {"day": day, "days": days}})
    deployment.extension_days, deployment.extension_approved_by = days, user
    with acting_as(user):
        deployment.save(update_fields=["extension_days", "extension_approved_by",
                                       "updated_at"])
    return deployment


# ---- Costs ----------------------------------------------------------------------------------

def _check_cost(cost):
    try:
        cost.amount = Decimal(str(cost.amount))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({"amount": _("Enter an amount.")}) from None
    if not cost.amount.is_finite():
        raise ValidationError({"amount": _("Enter an amount.")})
    cost.currency = (cost.currency or "").strip().upper()
    if not CURRENCY_CODE.match(cost.currency):
        raise ValidationError({"currency": _("Enter a three-letter currency code (USD, MXN).")})
    cost.description = (cost.description or "").strip()
    cost.full_clean(exclude=["owner_nation"])


def default_reimbursement(deployment):
    """Donated when the offer was donated, else not claimed yet."""
    if deployment.agreement.offer.cost_terms == Offer.CostTerms.DONATED:
        return DeploymentCost.Reimbursement.DONATED
    return DeploymentCost.Reimbursement.NOT_CLAIMED


@transaction.atomic
def add_cost(user, deployment, *, category, description, amount, currency="USD",
             reimbursement=None):
    """An actual cost, recorded by the sending nation and released like the deployment. The
    reimbursement status starts as donated when the offer was donated, else not claimed."""
    _require_sender(user, deployment, "add_deploymentcost")
    if deployment.state == DS.CLOSED:
        raise ValidationError(_("This deployment is closed: its costs are final."))
    if reimbursement is None:
        reimbursement = default_reimbursement(deployment)
    cost = DeploymentCost(deployment=deployment, category=category, description=description,
                          amount=amount, currency=currency, reimbursement=reimbursement,
                          owner_nation=deployment.owner_nation, created_by=user)
    _check_cost(cost)
    with acting_as(user):
        apply_parent_marking(cost)
    return cost


@transaction.atomic
def update_cost(user, cost, **fields):
    """Change the fields given (the reimbursement status as it moves: claimed, approved,
    paid); the sending nation, until the deployment is closed."""
    _require_sender(user, cost.deployment, "change_deploymentcost")
    check_changeable(fields, COST_FIELDS)
    if cost.deployment.state == DS.CLOSED:
        raise ValidationError(_("This deployment is closed: its costs are final."))
    for name, value in fields.items():
        setattr(cost, name, value)
    _check_cost(cost)
    with acting_as(user):
        cost.save()
    return cost


def cost_totals(costs):
    """Totals of `costs` by category and by reimbursement status, each per currency: lists of
    (label, {currency: amount})."""
    by_category, by_status = {}, {}
    for cost in costs:
        for table, key in ((by_category, cost.get_category_display()),
                           (by_status, cost.get_reimbursement_display())):
            sums = table.setdefault(str(key), {})
            sums[cost.currency] = sums.get(cost.currency, Decimal(0)) + cost.amount
    return sorted(by_category.items()), sorted(by_status.items())


# ---- The lifecycle --------------------------------------------------------------------------

def _mover_refusal(user, deployment, name):
    """Why the user may not take transition `name` (their role or nation), or ""."""
    if getattr(user, "nation_id", None) is None or not user.has_perm(
            "response.transition_deployment"):
        return _("Your role does not allow this action.")
    if deployment.owner_nation_id == user.nation_id:
        return ""
    if name in HOST_TRANSITIONS and user.nation_id == deployment.host_nation_id \
            and may_report(user, deployment):
        return ""
    return _("Only the sending nation moves its team through the lifecycle; the host nation "
             "records arrival and assignment.")


def _previous_time(deployment, name):
    """The latest time recorded by an earlier step, as (field, time), or None."""
    earlier = list(TIMESTAMPS)[:list(TIMESTAMPS).index(name)] if name in TIMESTAMPS \
        else list(TIMESTAMPS)
    for step in reversed(earlier):
        value = getattr(deployment, TIMESTAMPS[step])
        if value is not None:
            return step, value
    return None


def _roster_and_notice(deployment, **context):
    reasons = []
    if not deployment.roster.exists():
        reasons.append((EVERYWHERE, _("Put at least one person on the roster before the team "
                                      "leaves.")))
    if deployment.host_notified_at is None:
        reasons.append((EVERYWHERE, _("Record that the host government was notified before the "
                                      "team leaves.")))
    return reasons


def _checklist_complete(deployment, **context):
    missing = missing_checklist_items(deployment)
    if not missing:
        return []
    return [(EVERYWHERE, _("The team is arrived and cleared only with the crossing checklist "
                           "complete. Missing: %(items)s.")
             % {"items": "; ".join(i.label for i in missing)})]


def _onboarding_done(deployment, **context):
    open_items = [i.text for i in deployment.onboarding_items.filter(done_at__isnull=True)]
    if not open_items:
        return []
    return [(EVERYWHERE, _("Onboarding is not complete. Still to do: %(items)s.")
             % {"items": "; ".join(open_items)})]


def _costs_claimed(deployment, **context):
    unclaimed = list(deployment.costs.filter(
        reimbursement=DeploymentCost.Reimbursement.NOT_CLAIMED))
    if not unclaimed:
        return []
    return [(EVERYWHERE, _(
        "Every cost needs its reimbursement claimed, or marked donated, before the deployment "
        "closes. Not claimed: %(costs)s.")
        % {"costs": "; ".join(f"{c.description} ({c.amount} {c.currency})"
                              for c in unclaimed)})]


def _after_the_previous_step(name):
    """A guard: the time the step is recorded at (`at`) is not before an earlier step's."""
    def guard(deployment, *, at=None, **context):
        previous = _previous_time(deployment, name) if at is not None else None
        if previous is None or at >= _to_the_minute(previous[1]):
            return []
        return [("at", _("This step cannot come before the previous one (%(step)s, "
                         "%(when)s).") % {
            "step": DS(previous[0]).label.lower(),
            "when": formats.date_format(timezone.localtime(previous[1]),
                                        "SHORT_DATETIME_FORMAT")})]
    return guard


def _step(source, target, label, *guards):
    return Transition(target, (source,), target, label,
                      guards=(*guards, _after_the_previous_step(target)))


# Each transition is named after the state it leads to.
LIFECYCLE = Lifecycle(
    _step(DS.MOBILIZING, DS.IN_TRANSIT, gettext_lazy("Depart (in transit)"), _roster_and_notice),
    _step(DS.IN_TRANSIT, DS.ARRIVED, gettext_lazy("Record arrived and cleared"),
          _checklist_complete),
    _step(DS.ARRIVED, DS.ONBOARDING, gettext_lazy("Start onboarding")),
    _step(DS.ONBOARDING, DS.ASSIGNED, gettext_lazy("Record assignment"), _onboarding_done),
    _step(DS.ASSIGNED, DS.DEMOBILIZING, gettext_lazy("Demobilize")),
    _step(DS.DEMOBILIZING, DS.RETURNED, gettext_lazy("Record return home")),
    _step(DS.RETURNED, DS.CLOSED, gettext_lazy("Close"), _costs_claimed),
    may=lambda user, deployment, step: not _mover_refusal(user, deployment, step.name),
    refused=refused_by_state(gettext_lazy("A deployment that is %(state)s cannot go to "
                                          "%(target)s.")),
    also_saves=("updated_at",),  # the host records its checklist items meanwhile
)


def transitions_for(user, deployment):
    """The next step, if the user's role and nation may take it, with the guard's refusal if
    it refuses now."""
    return LIFECYCLE.options(user, deployment, at=timezone.now())


@transaction.atomic
def transition_deployment(user, deployment, name, *, at=None):
    """Move the deployment to state `name`, recording when (`at`, default now): in_transit
    (from mobilizing: a roster and the host notified), arrived (from in_transit: the whole
    crossing checklist), onboarding (from arrived), assigned (from onboarding: every
    onboarding item done; starts the 14-day clock), demobilizing (from assigned), returned
    (from demobilizing), closed (from returned: no cost left not claimed). The sending nation
    moves its team; the host nation may record arrived and assigned."""
    LIFECYCLE.step(name)
    given = deployment
    deployment = Deployment.objects.select_for_update(of=("self",)).select_related(
        "owner_nation", "host_nation").get(pk=deployment.pk)
    require(user, deployment, "view")  # a team not released to the user is not there at all
    refusal = _mover_refusal(user, deployment, name)
    if refusal:
        raise PermissionDenied(refusal)
    LIFECYCLE.check_state(deployment, name)
    at = moment(at, "at") or timezone.now()
    _not_future(at, "at", _("A step cannot be recorded in the future."))
    changes = {TIMESTAMPS[name]: at} if name in TIMESTAMPS else {}
    LIFECYCLE.move(user, deployment, name, changes=changes, at=at)
    for field in ("state", "updated_at", *changes):  # the caller's instance reads it too
        setattr(given, field, getattr(deployment, field))
    return deployment
