"""The port-of-entry status board's one write: a side reports its own lanes at a port. Only a
user of the side's nation reports for it (the United States side for the US lanes, the Mexican
side for the Mexican lanes). A closure also reports a border event ("port closed or jammed")
through the events service, in the same transaction, and the report links it; reopening the
lanes leaves that event to its own lifecycle. Reads are in `border.selectors.ports`."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Nation
from border.models import BorderEvent, PortStatusReport, Side
from border.services import events
from core.audit import acting_as
from core.models import Disclosure
from core.permissions import may, require_role
from core.services import apply_marking, check_new_marking, model_errors
from response.models import CLOCK_SKEW, PortOfEntry
from response.services.common import moment

PS = PortStatusReport.Status
CLOSED_EVENT_KIND = "port_closed"
MAX_WAIT_MINUTES = 24 * 60
MAX_LANES = 99
REPORT_FIELDS = ("status", "passenger_lanes_open", "commercial_lanes_open",
                 "passenger_wait_minutes", "commercial_wait_minutes", "reason_en", "reason_es",
                 "reported_at")


def _port(value):
    """A port given by key or as itself."""
    if isinstance(value, PortOfEntry):
        return value
    found = PortOfEntry.objects.filter(key=str(value or "").strip()).first()
    if found is None:
        raise ValidationError({"port": _("Unknown port of entry %(key)s.") % {"key": value}})
    return found


def _check_side(user, side):
    if side not in Side.values:
        raise ValidationError({"side": _("Choose the United States side or the Mexican "
                                         "side.")})
    if user.nation.code != side:
        raise ValidationError({"side": _(
            "Only users of %(nation)s may report the status of its lanes at a port.")
            % {"nation": Nation.objects.get(code=side).name}})


def _check_numbers(errors, report):
    for name in ("passenger_wait_minutes", "commercial_wait_minutes"):
        value = getattr(report, name)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            errors[name] = _("Give the wait as a whole number of minutes.")
        elif value < 0:
            errors[name] = _("A wait cannot be negative.")
        elif value > MAX_WAIT_MINUTES:
            errors[name] = _("A wait of more than 24 hours (1,440 minutes) is not plausible: "
                             "check the figure.")
    for name in ("passenger_lanes_open", "commercial_lanes_open"):
        value = getattr(report, name)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            errors[name] = _("Give the lanes open as a whole number, 0 or more.")
        elif value > MAX_LANES:
            errors[name] = _("No port has more than %(lanes)s lanes: check the figure.") \
                % {"lanes": MAX_LANES}
        elif report.status == PS.CLOSED and value > 0:
            errors[name] = _("A closed side has no lanes open.")


def _clean(report):
    errors = {}
    if report.status not in PS.values:
        errors["status"] = _("Choose open, restricted or closed.")
    _check_numbers(errors, report)
    if report.status in (PS.RESTRICTED, PS.CLOSED) and not (
            report.reason_en.strip() or report.reason_es.strip()):
        errors["reason_en"] = _("Say why the lanes are restricted or closed, in English or in "
                                "Spanish.")
    if report.reported_at > timezone.now() + CLOCK_SKEW:
        errors["reported_at"] = _("A status cannot be reported for the future.")
    model_errors(report, errors, exclude=["port", "event", "reported_by", "organization"])
    if errors:
        raise ValidationError(errors)


def _latest(port, side, before):
    """The report that was current for (port, side) at `before`, locked rows aside."""
    return (PortStatusReport.objects.filter(port=port, side=side, reported_at__lte=before)
            .order_by("-reported_at", "-pk").select_related("event").first())


def _event_title(port, side, language):
    names = {"en": {Side.USA: "US lanes", Side.MEX: "Mexican lanes"},
             "es": {Side.USA: "carriles de EUA", Side.MEX: "carriles de México"}}
    if language == "en":
        return f"{port.name_en} port closed ({names['en'][side]})"
    return f"Garita {port.name_es} cerrada ({names['es'][side]})"


def _closure_event(user, report, marking):
    """The border event of a closure: a port closed or jammed, at the port's point but on the
    side of the lanes that closed (the report's side, not the side the port's point falls on),
    started when the lanes closed, reported by the user's organization with the report's
    marking."""
    port = report.port
    return events.report_event(
        user, kind=CLOSED_EVENT_KIND, title_en=_event_title(port, report.side, "en"),
        title_es=_event_title(port, report.side, "es"),
        description_en=report.reason_en or report.reason_es,
        description_es=report.reason_es or report.reason_en,
        latitude=port.latitude, longitude=port.longitude, started_at=report.reported_at,
        severity=BorderEvent.Severity.MODERATE, reporting_organization=user.organization,
        lanes_side=report.side, **marking)


def _check_event(user, event):
    """An event named for the closure: a "port closed" event the user's nation reported."""
    if not may(user, event, "change") or event.kind.code != CLOSED_EVENT_KIND:
        raise ValidationError({"event": _(
            "Link a “port closed or jammed” border event your nation reported.")})
    return event


@transaction.atomic
def report_port_status(user, port, side, *, status, passenger_lanes_open=None,
                       commercial_lanes_open=None, passenger_wait_minutes=None,
                       commercial_wait_minutes=None, reason_en="", reason_es="",
                       reported_at=None, event=None, rel_to=None,
                       disclosure=Disclosure.APPROVED, tlp=""):
    """The status of `side`'s lanes at `port` (a PortOfEntry or its key), reported by a user of
    that side's nation, owned by that nation. Released to both nations unless `rel_to` says
    otherwise (then `disclosure` as given; approving it needs the review permission).

    When the lanes close (the side was not closed before), a border event of the kind "port
    closed or jammed" is reported at the port's point with the same marking — or `event`, one
    the user's nation already reported, is linked instead; while they stay closed, each new
    report links the same event."""
    require_role(user, "border.add_portstatusreport")
    port = _port(port)
    _check_side(user, side)
    when = moment(reported_at, "reported_at") if reported_at is not None else timezone.now()
    report = PortStatusReport(
        port=port, side=side, status=status, passenger_lanes_open=passenger_lanes_open,
        commercial_lanes_open=commercial_lanes_open,
        passenger_wait_minutes=passenger_wait_minutes,
        commercial_wait_minutes=commercial_wait_minutes,
        reason_en=(reason_en or "").strip(), reason_es=(reason_es or "").strip(),
        reported_at=when, reported_by=user, organization=user.organization,
        owner_nation=user.nation, disclosure=disclosure, tlp=tlp or "", created_by=user)
    if rel_to is None:
        rel_to = list(Nation.objects.filter(code__in=Side.values))
    else:
        check_new_marking(user, report, disclosure)
    _clean(report)
    marking = {"rel_to": rel_to, "disclosure": disclosure, "tlp": tlp or ""}
    # One report at a time per port and side: the one before is read under the port's lock.
    PortOfEntry.objects.select_for_update().filter(pk=port.pk).first()
    before = _latest(port, side, when)
    if event is not None:
        report.event = _check_event(user, event)
    elif status == PS.CLOSED:
        if before is not None and before.status == PS.CLOSED and before.event_id:
            report.event = before.event  # still closed: the same closure
        else:
            report.event = _closure_event(user, report, marking)
    with acting_as(user):
        apply_marking(report, owner=user.nation, **marking)
    return report
