"""Engagements for download: CSV (streamed) and XLSX (openpyxl's write-only workbook, spooled to
disk past a few megabytes). Both read through `selectors.engagements_to_export`, so a user
exports exactly the engagements they may see, filtered as on the list page."""

import tempfile
from itertools import islice

from django.http import FileResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from core.exports import csv_response, marking_cells
from core.related import with_shown
from engagements.models import AfterActionReport, Engagement
from engagements.selectors import engagements_to_export

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_COLUMNS = (6, 7)  # start, end (0-based)
CHUNK = 500


def _header():
    return [_("ID"), _("Title (English)"), _("Title (Spanish)"), _("Partnership"), _("Type"),
            _("State"), _("Start"), _("End"), _("Fiscal year"), _("Quarter"), _("Location"),
            _("Lead"), _("After-action report"), _("Tracking system reference"),
            _("Owner nation"), _("Releasable to"), _("Foreign disclosure")]


def _engagements(user, filters):
    """The engagements to export, a chunk at a time, each with its partnership shown through
    the rule (`partnership_shown`): one query a chunk, however many rows."""
    engagements = engagements_to_export(user, **(filters or {})).iterator(chunk_size=CHUNK)
    while chunk := list(islice(engagements, CHUNK)):
        yield from with_shown(user, chunk, "partnership")


def _rows(user, filters):
    for e in _engagements(user, filters):
        aar = (str(AfterActionReport.State(e.aar_state).label) if e.aar_state
               else str(AfterActionReport.State.NOT_STARTED.label))
        lead = (e.lead.get_full_name() or e.lead.username) if e.lead else ""
        yield [e.pk, e.title_en, e.title_es, str(e.partnership_shown),
               str(Engagement.Type(e.type).label), str(Engagement.State(e.state).label),
               e.start_date, e.end_date, e.fiscal_year, f"Q{e.fiscal_quarter}", e.location,
               lead, aar, e.tracking_reference, *marking_cells(e)]


def engagements_csv(user, filters=None):
    return csv_response("engagements.csv", _header(), _rows(user, filters))


def engagements_xlsx(user, filters=None):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Engagements"))
    for column, width in (("B", 40), ("C", 40), ("D", 28), ("E", 28), ("F", 20), ("K", 24)):
        sheet.column_dimensions[column].width = width
    sheet.append(_header())
    for row in _rows(user, filters):
        cells = []
        for index, value in enumerate(row):
            cell = WriteOnlyCell(sheet, value)
            if index in DATE_COLUMNS:
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(value, str):
                cell.data_type = "s"  # text, never a formula, whatever it begins with
            cells.append(cell)
        sheet.append(cells)
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 2**20)
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename="engagements.xlsx",
                        content_type=XLSX_TYPE)


def engagements_export(user, filters=None, format="csv"):
    """The engagements download in `format` ("csv" or "xlsx")."""
    return (engagements_xlsx if format == "xlsx" else engagements_csv)(user, filters)
