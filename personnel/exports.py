"""The roster as of a moment, for download: CSV (streamed) and XLSX (openpyxl's write-only
workbook, spooled to disk past a few megabytes). Both read through `selectors.roster`, so a user
exports exactly the members they may see."""

import tempfile
import zoneinfo

from django.db.models import OuterRef, Subquery
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core.exports import csv_response
from personnel.models import Authority, DutyPeriod, DutyStatus
from personnel.selectors import roster

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILTERS = ("unit", "status", "authority", "q")


def _header():
    return [_("Service number"), _("Name"), _("Grade"), _("Unit"), _("Duty status"),
            _("Authority"), _("Since"), _("Orders reference")]


def _rows(user, moment, filters):
    """(service number, name, grade, unit, status, authority, since, orders reference) with
    `since` an aware datetime or None (no period in effect)."""
    filters = {k: v for k, v in (filters or {}).items() if k in FILTERS and v}
    in_effect = DutyPeriod.objects.filter(member=OuterRef("pk")).at(moment)
    members = roster(user, moment, **filters).annotate(
        since=Subquery(in_effect.values("start")[:1]),
        orders_ref=Subquery(in_effect.values("orders_reference")[:1]),
    ).prefetch_related(None).select_related(None).select_related("unit").only(
        "service_number", "last_name", "first_name", "grade", "unit__code")
    for m in members.iterator(chunk_size=2000):
        yield (m.service_number, f"{m.last_name}, {m.first_name}", m.grade, m.unit.code,
               str(DutyStatus(m.status_at).label), str(Authority(m.authority_at).label),
               m.since, m.orders_ref or "")


def _filename(user, moment, extension):
    local = timezone.localtime(moment, zoneinfo.ZoneInfo(user.time_zone))
    return f"roster-{local:%Y%m%d-%H%M}.{extension}"


def roster_csv(user, moment, filters=None):
    """The roster at `moment` as a streamed CSV download; `since` in the user's time zone."""
    tz = zoneinfo.ZoneInfo(user.time_zone)

    def lines():
        for *head, since, reference in _rows(user, moment, filters):
            since = timezone.localtime(since, tz).strftime("%Y-%m-%d %H:%M") if since else ""
            yield [*head, since, reference]

    return csv_response(_filename(user, moment, "csv"), _header(), lines())


def roster_xlsx(user, moment, filters=None):
    """The roster at `moment` as an .xlsx download; `since` is a date-time cell in the user's
    time zone (Excel stores no zone)."""
    tz = zoneinfo.ZoneInfo(user.time_zone)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Roster"))
    sheet.column_dimensions["B"].width = 32
    sheet.column_dimensions["E"].width = 36
    sheet.column_dimensions["F"].width = 28
    sheet.column_dimensions["G"].width = 18
    sheet.append(_header())
    for *head, since, reference in _rows(user, moment, filters):
        cells = []
        for value in head + [reference]:
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"  # text, never a formula, whatever it begins with
            cells.append(cell)
        when = WriteOnlyCell(sheet, timezone.localtime(since, tz).replace(tzinfo=None)
                             if since else None)
        when.number_format = "yyyy-mm-dd hh:mm"
        cells.insert(6, when)
        sheet.append(cells)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 2**20)
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=_filename(user, moment, "xlsx"),
                        content_type=XLSX_TYPE)


def roster_export(user, moment, filters=None, format="csv"):
    """The roster download in `format` ("csv" or "xlsx")."""
    return (roster_xlsx if format == "xlsx" else roster_csv)(user, moment, filters)
