"""CSV and XLSX exports of a filtered action list, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from actionplan.dates import DatePrecision, format_period
from actions.models import Action, side_words


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    wrap: bool = False


COLUMNS = [
    Column("Reference", 10),
    Column("Title", 50, wrap=True),
    Column("Plan", 30, wrap=True),
    Column("Theme", 28, wrap=True),
    Column("Side", 8),
    Column("Police lead", 20),
    Column("CPS lead", 20),
    Column("Lead organisations", 30, wrap=True),
    Column("Start date", 16),
    Column("Target date", 16),
    Column("Revised target date", 16),
    Column("Revision reason", 40, wrap=True),
    Column("Overdue", 10),
    Column("Days overdue", 10),
    Column("Status", 12),
    Column("Completion awaiting confirmation", 30, wrap=True),
    Column("Completion date", 16),
    Column("Closure reason", 14),
    Column("Delivery confidence", 12),
    Column("Latest narrative", 60, wrap=True),
    Column("Latest narrative date", 20),
    Column("Evidence link (latest)", 40, wrap=True),
    Column("Last updated", 20),
    Column("Address", 40),
]
HEADERS = [column.header for column in COLUMNS]

# Dates as the service shows them ("24 March 2021"), and columns wide enough to read without resizing.
DATE_FORMAT = "d mmmm yyyy"
DATETIME_FORMAT = "d mmmm yyyy h:mm"

# A cell starting with one of these is read as a formula by spreadsheet programs (or, for tab and carriage
# return, can be made to start one after the program trims it).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# The longest part of a file name that describes the filters; longer descriptions are cut at a word.
FILENAME_FILTERS_MAX = 80


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


def _local_naive(moment: datetime | None) -> datetime | None:
    """A spreadsheet has no time zones: the time as read in London (TIME_ZONE)."""
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _completion_proposed(action: Action) -> str:
    """A joint action one side has marked completed, awaiting the other's confirmation, in words; "" otherwise."""
    if not action.completion_is_proposed:
        return ""
    when = timezone.localtime(action.completion_proposed_at)
    return (
        f"Proposed by {action.completion_proposed_by} ({side_words(action.completion_proposed_side)}) "
        f"on {when.day} {when:%B %Y}: awaiting the {action.completion_awaited_side_words} lead"
    )


def export_rows(actions: Iterable[Action], *, today: date) -> Iterator[list]:
    """One row per action (queryset from `actions_for_export`); dates as dates, text neutralised.

    Overdue and days overdue follow the action's own rule (`Action.is_overdue`, `Action.days_overdue`) on `today`.
    """
    site = settings.SITE_URL
    for action in actions:
        overdue = action.is_overdue(today)
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
            action.revision_reason,
            "Yes" if overdue else "No",
            action.days_overdue(today) if overdue else None,
            action.get_status_display(),
            _completion_proposed(action),
            action.completed_on,
            action.get_closure_reason_display() if action.closure_reason else "",
            action.get_rag_display(),
            action.latest_narrative or "",
            _local_naive(action.latest_narrative_at),
            action.latest_evidence_url or "",
            _local_naive(action.last_update_at),
            f"{site}{action.get_absolute_url()}",
        ]
        yield [neutralise(value) for value in row]


# -- What the export holds: its name and its description ---------------------------------------------------------


@dataclass(frozen=True)
class ExportScope:
    """The plan, the filters in force as (heading, label) pairs, and the day the export was made."""

    plan_title: str
    plan_slug: str
    filters: list[tuple[str, str]]
    filter_names: list[tuple[str, str]]  # (parameter, label) for the file name
    today: date


def export_filename(scope: ExportScope) -> str:
    """'national-actions-theme-2-rag-red-amber-overdue-2022-06-15': the plan, the filters and the day."""
    grouped: dict[str, list[str]] = {}
    for param, label in scope.filter_names:
        grouped.setdefault(param, []).append(slugify(label).replace("_", "-") or "value")
    described = "-".join(f"{param}-{'-'.join(labels)}" for param, labels in grouped.items()) or "all"
    if len(described) > FILENAME_FILTERS_MAX:
        described = described[:FILENAME_FILTERS_MAX].rsplit("-", 1)[0] + "-and-more"
    return f"{slugify(scope.plan_slug) or 'plan'}-actions-{described}-{scope.today.isoformat()}"


def export_description(scope: ExportScope, *, count: int, made_at: datetime) -> list[tuple[str, str]]:
    """The rows of the XLSX's "About this export" sheet."""
    made = timezone.localtime(made_at)
    rows = [
        ("Plan", scope.plan_title),
        ("Exported on", f"{format_date(made, 'j F Y')} at {format_date(made, 'g:ia')}"),
        ("Overdue as at", format_date(scope.today, "j F Y")),
        ("Actions", str(count)),
    ]
    grouped: dict[str, list[str]] = {}
    for heading, label in scope.filters:
        grouped.setdefault(heading, []).append(label)
    if grouped:
        rows.extend((f"Filter: {heading}", ", ".join(labels)) for heading, labels in grouped.items())
    else:
        rows.append(("Filters", "None: every action of the plan"))
    rows.append(
        (
            "Note",
            "Text that begins with =, +, -, @, a tab or a carriage return starts with an apostrophe, so that a "
            "spreadsheet never runs it as a formula.",
        )
    )
    return rows


# -- Files ----------------------------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def export_csv(actions: Iterable[Action], *, scope: ExportScope) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(scope)}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(HEADERS)
    for row in export_rows(actions, today=scope.today):
        writer.writerow([_text(value) for value in row])
    return response


def export_xlsx(actions: Iterable[Action], *, scope: ExportScope) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Actions"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    wrapped = Alignment(wrap_text=True, vertical="top")
    top = Alignment(vertical="top")
    count = 0
    for row in export_rows(actions, today=scope.today):
        count += 1
        sheet.append(row)
        for cell, column in zip(sheet[sheet.max_row], COLUMNS, strict=True):
            cell.alignment = wrapped if column.wrap else top
            if isinstance(cell.value, str):
                # Stored as a text cell whatever it starts with, so it is never evaluated.
                cell.data_type = "s"
            elif isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{count + 1}"

    about = workbook.create_sheet("About this export")
    for heading, text in export_description(scope, count=count, made_at=timezone.now()):
        about.append([heading, neutralise(text)])
        about.cell(row=about.max_row, column=1).font = Font(bold=True)
        value = about.cell(row=about.max_row, column=2)
        value.data_type = "s"
        value.alignment = Alignment(wrap_text=True, vertical="top")
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 80

    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename(scope)}.xlsx"'
    return response
