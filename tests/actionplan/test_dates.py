"""Dates as published plans write them: days, months and quarters, read and shown back as written."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from actionplan.dates import DatePrecision, PeriodDateError, format_period, is_period_end, parse_period


@pytest.mark.parametrize(
    ("text", "day", "precision", "shown"),
    [
        ("24 March 2021", date(2021, 3, 24), DatePrecision.DAY, "24 March 2021"),
        ("2021-03-24", date(2021, 3, 24), DatePrecision.DAY, "24 March 2021"),
        ("24/3/2021", date(2021, 3, 24), DatePrecision.DAY, "24 March 2021"),
        ("1st Sept 2021", date(2021, 9, 1), DatePrecision.DAY, "1 September 2021"),
        ("Dec 2021", date(2021, 12, 31), DatePrecision.MONTH, "December 2021"),
        ("March 2022", date(2022, 3, 31), DatePrecision.MONTH, "March 2022"),
        ("  february   2024 ", date(2024, 2, 29), DatePrecision.MONTH, "February 2024"),
        ("12/2021", date(2021, 12, 31), DatePrecision.MONTH, "December 2021"),
        ("Q1 2022", date(2022, 3, 31), DatePrecision.QUARTER, "Q1 2022"),
        ("q4 2021", date(2021, 12, 31), DatePrecision.QUARTER, "Q4 2021"),
        ("Q1 2022-23", date(2022, 6, 30), DatePrecision.FINANCIAL_QUARTER, "Q1 2022-23"),
        ("Q4 2022/23", date(2023, 3, 31), DatePrecision.FINANCIAL_QUARTER, "Q4 2022-23"),
        ("Q3 2021-2022", date(2021, 12, 31), DatePrecision.FINANCIAL_QUARTER, "Q3 2021-22"),
    ],
)
def test_published_dates_are_read_as_the_last_day_of_their_period_and_shown_as_written(text, day, precision, shown):
    period = parse_period(text)
    assert (period.day, period.precision) == (day, precision)
    assert str(period) == shown
    # What is shown reads back as the same period: a round trip through any page or export.
    assert parse_period(shown) == period
    assert is_period_end(period.day, period.precision)


def test_spreadsheet_date_cells_are_days():
    assert parse_period(datetime(2021, 3, 24, 0, 0)).day == date(2021, 3, 24)
    assert parse_period(date(2021, 3, 24)).precision == DatePrecision.DAY


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter a date such as"),
        ("soon", "Enter a date such as"),
        ("Dec 2021 / March 2022", "Enter a date such as"),
        ("31 February 2022", "does not exist"),
        ("13/2021", "between 1 and 12"),
        ("Q5 2022", "Enter a date such as"),
        ("Q1 2022-24", "financial year"),
        ("March 1850", "between 2000 and 2100"),
        ("2021-13-01", "between 1 and 12"),
        ("x" * 500, "Enter a date such as"),
        (42, "Enter a date such as"),
    ],
)
def test_what_is_not_a_date_month_or_quarter_gets_a_message_for_a_person(text, message):
    with pytest.raises(PeriodDateError, match=message):
        parse_period(text)


def test_blank_dates_show_as_nothing():
    assert format_period(None) == ""
