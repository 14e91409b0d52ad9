"""What web forms and the API alike refuse: years outside one range, JSON nested too deep."""

import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Wide enough for any real record, narrow enough that moving a moment between time zones or a
# day along never leaves the years Python and the databases hold (year 9999 overflows).
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200


def in_year_range(value):
    return EARLIEST_YEAR <= value.year <= LATEST_YEAR


def year_range_message():
    return _("Enter a date between %(first)d and %(last)d.") % {
        "first": EARLIEST_YEAR, "last": LATEST_YEAR}


def validate_year(value):
    """A date or datetime within the range; a ValidationError on the field otherwise."""
    if value is not None and not in_year_range(value):
        raise ValidationError(year_range_message(), code="year_range")


class JSONDecoder(json.JSONDecoder):
    """json's decoder, except that a document nested deeper than Python recurses (thousands of
    brackets) is malformed JSON like any other instead of a RecursionError."""

    def decode(self, s, *args, **kwargs):
        try:
            return super().decode(s, *args, **kwargs)
        except RecursionError:
            raise json.JSONDecodeError("Nested too deeply", s, 0) from None
