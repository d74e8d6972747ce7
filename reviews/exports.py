"""CSV and XLSX exports of a filtered action list, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from actionplan.dates import DatePrecision, format_period
from actions.models import Action

HEADERS = [
    "Reference",
    "Title",
    "Plan",
    "Theme",
    "Side",
    "Police lead",
    "CPS lead",
    "Lead organisations",
    "Start date",
    "Target date",
    "Revised target date",
    "Status",
    "Delivery confidence",
    "Latest narrative",
    "Last updated",
]

# Dates as the service shows them ("24 March 2021"), and columns wide enough to read without resizing.
DATE_FORMAT = "d mmmm yyyy"
DATETIME_FORMAT = "d mmmm yyyy h:mm"
COLUMN_WIDTHS = [10, 50, 30, 28, 8, 20, 20, 30, 16, 16, 16, 12, 12, 60, 20]
COLUMN_LETTERS = [chr(ord("A") + index) for index in range(len(HEADERS))]

# A cell starting with one of these is read as a formula by spreadsheet programs (or, for tab and carriage
# return, can be made to start one after the program trims it).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Text that a spreadsheet would run as a formula, prefixed with a quote so it stays text."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def period_cell(day: date | None, precision: str):
    """A day as a date; a month or a quarter as the plan wrote it ("December 2021", "Q1 2022"), which the import
    reads back as the same period."""
    if day is None or precision == DatePrecision.DAY:
        return day
    return format_period(day, precision)


def export_rows(actions: Iterable[Action]) -> Iterator[list]:
    """One row per action (queryset from `actions_for_export`); dates as dates, text neutralised."""
    for action in actions:
        last_update = timezone.localtime(action.last_update_at) if action.last_update_at else None
        row = [
            action.reference,
            action.title,
            action.plan.title,
            f"{action.theme.number}. {action.theme.title}",
            action.get_side_display(),
            str(action.police_lead) if action.police_lead else "",
            str(action.cps_lead) if action.cps_lead else "",
            "; ".join(organisation.name for organisation in action.lead_organisations.all()),
            period_cell(action.start_date, action.start_date_precision),
            period_cell(action.target_date, action.target_date_precision),
            period_cell(action.revised_target_date, action.revised_target_date_precision),
            action.get_status_display(),
            action.get_rag_display(),
            action.latest_narrative or "",
            last_update.replace(tzinfo=None) if last_update else None,
        ]
        yield [neutralise(value) for value in row]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def export_csv(actions: Iterable[Action], *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(HEADERS)
    for row in export_rows(actions):
        writer.writerow([_text(value) for value in row])
    return response


def export_xlsx(actions: Iterable[Action], *, filename: str) -> HttpResponse:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "Actions"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export_rows(actions):
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                # Stored as a text cell whatever it starts with, so it is never evaluated.
                cell.data_type = "s"
            elif isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    for letter, width in zip(COLUMN_LETTERS, COLUMN_WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
