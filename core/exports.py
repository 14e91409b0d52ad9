import csv

from django.http import StreamingHttpResponse


class _Echo:
    def write(self, value):
        return value


def csv_response(filename, header, rows):
    """Stream rows as CSV (UTF-8 with a BOM, so spreadsheet programs read the accents)."""
    writer = csv.writer(_Echo())

    def lines():
        yield "\ufeff" + writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
