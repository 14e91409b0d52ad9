import csv

from django.http import StreamingHttpResponse

# What a spreadsheet would run as a formula if a cell began with it.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Echo:
    def write(self, value):
        return value


def safe_cell(value):
    """`value` as a spreadsheet should read it: dates and times in ISO 8601, and text that
    begins like a formula quoted ("'=…"), so opening an export never runs what a record says."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def marking_cells(record, *, owner=True):
    """The record's marking as cells: the owner nation (unless `owner` is false), the nations
    it is releasable to, and its foreign disclosure."""
    cells = [" ".join(sorted(n.code for n in record.rel_to.all())),
             record.get_disclosure_display()]
    return [record.owner_nation.code, *cells] if owner else cells


def csv_response(filename, header, rows):
    """Stream rows as CSV (UTF-8 with a BOM, so spreadsheet programs read the accents); every
    cell goes through `safe_cell`."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
