"""The bounds of what a user may enter, one definition each. The models carry them as
validators (so every service's `full_clean` refuses what is out of bounds, and a record form
inherits them with the field's message in the user's language); the API schemas name the
same constants. Dates and moments take the years of `core.validators`."""

from django.core.validators import MaxLengthValidator
from django.db import models

LONG_TEXT = 5_000  # characters of a free text: instructions, conditions, findings, notes
REPORT_TEXT = 20_000  # characters of a report's part: an after-action report's summary
REASON = 2_000  # characters of the reason given for a step (declining, cancelling, returning)
MAX_QUANTITY = 10_000  # of one resource kind in a request or an offer line
MAX_PEOPLE = 100_000  # people in a team, a line or a count


class LongTextField(models.TextField):
    """A free text of at most `max_length` characters (LONG_TEXT unless given): a form's text
    box says so, and `full_clean` refuses more (a plain TextField checks only in forms)."""

    def __init__(self, *args, max_length=LONG_TEXT, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)
        self.validators.append(MaxLengthValidator(self.max_length))
