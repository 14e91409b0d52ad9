"""The US federal fiscal year: FY N runs from 1 October of year N-1 to 30 September of year N."""

from datetime import date

from core.validators import EARLIEST_YEAR, LATEST_YEAR

# The fiscal years of the dates every form and the API accept (core.validators): October to
# December of the last year already belong to the next fiscal year.
FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR = EARLIEST_YEAR, LATEST_YEAR + 1


def fiscal_year(day: date) -> int:
    return day.year + 1 if day.month >= 10 else day.year


def fiscal_quarter(day: date) -> int:
    """Q1 is October–December."""
    return (day.month - 10) % 12 // 3 + 1


def fiscal_year_bounds(year: int) -> tuple[date, date]:
    return date(year - 1, 10, 1), date(year, 9, 30)
