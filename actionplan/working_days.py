"""The working-day calendar: days in England and Wales, weekends and bank holidays off. Reminders use it, and
so does the scheduling of review cycles, so it sits in the bottom layer."""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from django.utils import timezone

# Reminders are about days in England and Wales, whatever TIME_ZONE the server runs in.
LONDON = ZoneInfo("Europe/London")

# The longest run of days off in England and Wales is four (Christmas or Easter with a weekend); a margin on top.
SHIFT_SLACK_DAYS = 10


@cache
def bank_holidays() -> frozenset[date]:
    """England and Wales bank holidays, from the data shipped with govuk-bank-holidays (no network)."""
    from govuk_bank_holidays.bank_holidays import BankHolidays

    holidays = BankHolidays(use_cached_holidays=True).get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
    return frozenset(holiday["date"] for holiday in holidays)


def london_today() -> date:
    return timezone.localdate(timezone=LONDON)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays()


def working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def occasion_key(reference: date, offset_days: int) -> str:
    """'2022-03-31-14' is 14 days before 31 March 2022, '2022-03-31+8' 8 days after."""
    return f"{reference.isoformat()}{offset_days:+d}"


def late_reminder_day(day: date, *, late_from: date) -> date:
    """The working day a reminder about something late goes on: the working day before `day` when it falls on a
    day off, as for every reminder, unless nothing is late yet on that working day (it is before `late_from`);
    then the next working day."""
    before = working_day_on_or_before(day)
    return before if before >= late_from else working_day_on_or_after(day)
