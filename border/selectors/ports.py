"""Reads of the port-of-entry status board. The current status of a port's side is its latest
report; `current_board` is the one read that says what it is, for every page, the API, the map
layer and the optimizer. A side whose latest report the reader may not see is shown as
withheld — never an older report in its place, which would pass a stale status for the current
one. response reads the board through response.port_board (this module is the provider
settings.PORT_STATUS_BOARD names): `board_by_key`, `planning_figures`, `map_properties` and
`status_labels`."""

from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from border.models import BorderEvent, PortStatusReport, Side
from response.models import PortOfEntry

SIDES = (Side.USA, Side.MEX)
OPEN_EVENT_STATES = (BorderEvent.State.REPORTED, BorderEvent.State.CONFIRMED,
                     BorderEvent.State.CONTAINED)


@dataclass
class SideStatus:
    """One side of a port on the board: its latest report (None when there is none, or when
    `withheld`: the latest exists but is not released to the reader)."""
    side: str
    report: PortStatusReport | None = None
    withheld: bool = False

    @property
    def label(self):
        return Side(self.side).label

    @property
    def status(self):
        return self.report.status if self.report is not None else None


@dataclass
class PortRow:
    """A port on the board: each side's current status and the open border events its
    closures reported (an event has its own lifecycle: reopening the lanes does not close it)."""
    port: PortOfEntry
    sides: dict
    open_events: list = field(default_factory=list)

    @property
    def usa(self):
        return self.sides[Side.USA]

    @property
    def mex(self):
        return self.sides[Side.MEX]

    def closed_sides(self):
        return [s for s in self.sides.values() if s.status == PortStatusReport.Status.CLOSED]


def reports_for(user, action="view"):
    """The status reports the user may take `action` on, newest first."""
    return (PortStatusReport.objects.restrict(user, action)
            .select_related("port", "reported_by", "organization", "event"))


def _latest_pks():
    """The id of the latest report of each (port, side), whoever may see it."""
    newest = (PortStatusReport.objects.filter(port=OuterRef("port"), side=OuterRef("side"))
              .order_by("-reported_at", "-pk").values("pk")[:1])
    return (PortStatusReport.objects.filter(pk=Subquery(newest)).order_by()
            .values_list("pk", "port_id", "side"))


def current_board(user, ports=None):
    """Every port of entry (or those of `ports`, a queryset), west to east, with each side's
    current status as the user may see it and the open events its closures reported. A fixed
    number of queries whatever the number of ports and reports."""
    ports = list((ports if ports is not None else PortOfEntry.objects.all())
                 .order_by("longitude", "key"))
    rows = {port.pk: PortRow(port, {side: SideStatus(side) for side in SIDES}) for port in ports}
    latest = [row for row in _latest_pks() if row[1] in rows]
    visible = {report.pk: report for report in reports_for(user).filter(
        pk__in=[pk for pk, _port, _side in latest])}
    for pk, port_id, side in latest:
        slot = rows[port_id].sides[side]
        if pk in visible:
            slot.report = visible[pk]
            slot.report.port = rows[port_id].port
        else:
            slot.withheld = True
    events = (BorderEvent.objects.restrict(user).filter(state__in=OPEN_EVENT_STATES)
              .values("pk"))
    linked = (PortStatusReport.objects.filter(port_id__in=rows, event__in=events)
              .select_related("event__kind").order_by("event__started_at", "event_id"))
    for report in linked:
        row = rows[report.port_id]
        if all(event.pk != report.event_id for event in row.open_events):
            row.open_events.append(report.event)
    return list(rows.values())


def board_by_key(user):
    """The board as {port key: PortRow}."""
    return {row.port.key: row for row in current_board(user)}


def port_row(user, port):
    """One port's row of the board."""
    return current_board(user, PortOfEntry.objects.filter(pk=port.pk))[0]


def history_for(user, port):
    """The reports of `port` the user may see, newest first (both sides)."""
    return reports_for(user).filter(port=port).order_by("-reported_at", "-pk")


# ---- What the optimizer takes of the board ---------------------------------------------------

def planning_figures(row, planning_wait):
    """A port's wait for the optimizer from its row of the board (None: not on it), and the
    note that says so (None when the planning figure stands): a port closed on either side is
    left out (wait None); otherwise the longer of the two sides' current commercial waits
    when any is reported, else `planning_wait`. The note is what a proposal keeps and its page
    explains (response.templatetags.proposal_ports)."""
    if row is None:
        return planning_wait, None
    port = row.port
    note = {"port": port.key, "name": port.name_en, "name_es": port.name_es,
            "source": "status_board", "planning_wait_minutes": planning_wait}
    closed = row.closed_sides()
    if closed:
        return None, {**note, "left_out": True, "wait_minutes": None,
                      "sides": [s.side for s in closed],
                      "reported_at": max(s.report.reported_at for s in closed).isoformat()}
    waits = [s for s in row.sides.values()
             if s.report is not None and s.report.commercial_wait_minutes is not None]
    if not waits:
        return planning_wait, None
    longest = max(waits, key=lambda s: (s.report.commercial_wait_minutes,
                                        s.report.reported_at))
    wait = longest.report.commercial_wait_minutes
    return wait, {**note, "left_out": False, "wait_minutes": wait, "sides": [longest.side],
                  "reported_at": longest.report.reported_at.isoformat()}


# ---- The map's ports layer -------------------------------------------------------------------

# The order a port's status is told by on the map: the worse of its two sides.
SEVERITY = {PortStatusReport.Status.OPEN: 1, PortStatusReport.Status.RESTRICTED: 2,
            PortStatusReport.Status.CLOSED: 3}


def _side_text(side):
    """A side's status in one line of the reader's language: status, waits, time."""
    if side.withheld:
        return _("Not released to you")
    report = side.report
    if report is None:
        return _("No report")
    parts = [str(report.get_status_display())]
    if report.commercial_wait_minutes is not None:
        parts.append(_("commercial wait %(minutes)s min")
                     % {"minutes": report.commercial_wait_minutes})
    if report.passenger_wait_minutes is not None:
        parts.append(_("passenger wait %(minutes)s min")
                     % {"minutes": report.passenger_wait_minutes})
    parts.append(date_format(localtime(report.reported_at), "SHORT_DATETIME_FORMAT"))
    return " · ".join(parts)


def status_labels():
    """{status code: its word in the active language}: the map legend's port colours."""
    return {code: str(label) for code, label in PortStatusReport.Status.choices}


def map_properties(row):
    """The status properties of a port's feature on the map from its row of the board (None:
    nothing reported): each side's status code and line of text, and the worse of the two
    (`status`, None when neither side's status is known to the reader)."""
    known = [s.report.status for s in (row.sides.values() if row else ()) if s.report]
    worst = max(known, key=SEVERITY.get) if known else None
    properties = {"status": worst,
                  "status_label": str(PortStatusReport.Status(worst).label) if worst else None,
                  "board_url": reverse("border:port", args=[row.port.key]) if row else None}
    for side in SIDES:
        slot = row.sides[side] if row else SideStatus(side)
        properties[f"status_{side.lower()}"] = slot.status
        properties[f"status_{side.lower()}_text"] = _side_text(slot)
    return properties
