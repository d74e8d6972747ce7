"""Dates as published plans write them: a day, a month ("Dec 2021", "March 2022") or a quarter ("Q1 2022", or a
financial year's "Q1 2022-23").

A period is stored as its last day with its precision next to it, so every rule that compares dates (overdue,
due soon, start before target) works on a real date, and the pages show the period as it was written.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.db import models

EARLIEST_YEAR = 2000
LATEST_YEAR = 2100


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    FINANCIAL_QUARTER = "financial_quarter", "Quarter of a financial year"


@dataclass(frozen=True)
class PeriodDate:
    """A date and how precisely it was given: for a month or a quarter, the date is the period's last day."""

    day: date
    precision: str = DatePrecision.DAY

    def __str__(self) -> str:
        return format_period(self.day, self.precision)


class PeriodDateError(ValueError):
    """The text is not a date, a month or a quarter; the message says what is expected."""


MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9

EXPECTED = 'Enter a date such as "24 March 2021", a month such as "Dec 2021" or a quarter such as "Q1 2022"'

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_SLASHED = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$")
_WORDED = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})$")
_MONTH = re.compile(r"^([a-z]+)\.?,?\s+(\d{4})$")
_MONTH_NUMBER = re.compile(r"^(\d{1,2})[/-](\d{4})$")
_QUARTER = re.compile(r"^q([1-4])\s*(\d{4})$")
_FINANCIAL_QUARTER = re.compile(r"^q([1-4])\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})$")


def last_day_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year(value: str) -> int:
    year = int(value)
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise PeriodDateError(f"The year must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
    return year


def _day(year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise PeriodDateError("The month must be between 1 and 12")
    try:
        return date(year, month, day)
    except ValueError:
        raise PeriodDateError("That date does not exist: check the day and the month") from None


def parse_period(value) -> PeriodDate:
    """Read a date, a month or a quarter as people type them and spreadsheets hold them.

    Accepts a date or datetime (a spreadsheet's date cell), "2021-03-24", "24/3/2021", "24 March 2021",
    "March 2021", "Dec 2021", "12/2021", "Q1 2022" (January to March 2022) and "Q1 2022-23" (April to June 2022,
    the first quarter of the financial year). Raises PeriodDateError with a message for a person.
    """
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise PeriodDateError(f"The year must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
        return PeriodDate(value, DatePrecision.DAY)
    if not isinstance(value, str):
        raise PeriodDateError(EXPECTED)
    text = " ".join(value.strip().lower().split())
    if not text or len(text) > 40:
        raise PeriodDateError(EXPECTED)
    if match := _ISO.match(text):
        year, month, day = match.groups()
        return PeriodDate(_day(_year(year), int(month), int(day)), DatePrecision.DAY)
    if match := _SLASHED.match(text):
        day, month, year = match.groups()
        return PeriodDate(_day(_year(year), int(month), int(day)), DatePrecision.DAY)
    if match := _WORDED.match(text):
        day, month_name, year = match.groups()
        if month_name not in MONTHS:
            raise PeriodDateError(EXPECTED)
        return PeriodDate(_day(_year(year), MONTHS[month_name], int(day)), DatePrecision.DAY)
    if match := _MONTH.match(text):
        month_name, year = match.groups()
        if month_name not in MONTHS:
            raise PeriodDateError(EXPECTED)
        return PeriodDate(last_day_of_month(_year(year), MONTHS[month_name]), DatePrecision.MONTH)
    if match := _MONTH_NUMBER.match(text):
        month, year = match.groups()
        if not 1 <= int(month) <= 12:
            raise PeriodDateError("The month must be between 1 and 12")
        return PeriodDate(last_day_of_month(_year(year), int(month)), DatePrecision.MONTH)
    if match := _QUARTER.match(text):
        quarter, year = match.groups()
        return PeriodDate(last_day_of_month(_year(year), 3 * int(quarter)), DatePrecision.QUARTER)
    if match := _FINANCIAL_QUARTER.match(text):
        quarter, first, second = match.groups()
        start = _year(first)
        if int(second[-2:]) != (start + 1) % 100:
            raise PeriodDateError(
                f'A financial year runs over two years in a row, such as "{start}-{(start + 1) % 100:02d}"'
            )
        # The financial year starts in April: Q1 is April to June, Q4 January to March of the next year.
        end_month = 3 * int(quarter) + 3
        year = start if end_month <= 12 else start + 1
        return PeriodDate(last_day_of_month(year, (end_month - 1) % 12 + 1), DatePrecision.FINANCIAL_QUARTER)
    raise PeriodDateError(EXPECTED)


def format_period(day: date | None, precision: str = DatePrecision.DAY) -> str:
    """A date as the service shows it: "24 March 2021", "December 2021", "Q1 2022" or "Q1 2022-23"."""
    if day is None:
        return ""
    if precision == DatePrecision.MONTH:
        return f"{day:%B %Y}"
    if precision == DatePrecision.QUARTER:
        return f"Q{(day.month - 1) // 3 + 1} {day.year}"
    if precision == DatePrecision.FINANCIAL_QUARTER:
        start = day.year if day.month >= 4 else day.year - 1
        quarter = ((day.month - 4) % 12) // 3 + 1
        return f"Q{quarter} {start}-{(start + 1) % 100:02d}"
    return f"{day.day} {day:%B %Y}"


def is_period_end(day: date, precision: str) -> bool:
    """True when the date is the last day of a period of that precision (what a stored period must be)."""
    if precision == DatePrecision.DAY:
        return True
    if day != last_day_of_month(day.year, day.month):
        return False
    if precision == DatePrecision.MONTH:
        return True
    return day.month % 3 == 0
