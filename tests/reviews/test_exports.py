from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from reviews.exports import HEADERS, neutralise

pytestmark = pytest.mark.django_db


def read_csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Plain text", "Plain text"),
        ("", ""),
        (None, None),
    ],
)
def test_cells_that_a_spreadsheet_would_run_are_neutralised(value, expected):
    assert neutralise(value) == expected


def test_csv_export_lists_every_action_with_its_facts(client, board_member, known, on_today):
    client.force_login(board_member)
    response = client.get(reverse("reviews:export", kwargs={"fmt": "csv"}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == HEADERS
    by_reference = {row[0]: dict(zip(HEADERS, row, strict=True)) for row in rows[1:]}
    assert list(by_reference) == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3"]
    first = by_reference["1.1"]
    assert first["Theme"] == "1. Supporting victims"
    assert (first["Police lead"], first["CPS lead"]) == ("Paula Police", "Carl Crown")
    assert first["Lead organisations"] == "CPS South West; Avon and Somerset Constabulary"
    assert (first["Status"], first["Delivery confidence"]) == ("Completed", "Green")
    assert first["Target date"] == "2022-03-31"
    assert first["Latest narrative"] == "Pathway live in every force."
    assert by_reference["1.2"]["Last updated"] == "2022-05-10 12:00"
    # Formula injection: a title and a narrative that a spreadsheet would evaluate.
    assert by_reference["2.3"]["Title"] == '\'=HYPERLINK("http://evil")'
    assert by_reference["1.2"]["Latest narrative"] == "'-Funding withdrawn; new date needed."


def test_export_follows_the_filters(client, board_member, known, on_today):
    client.force_login(board_member)
    rows = read_csv(client.get(reverse("reviews:export", kwargs={"fmt": "csv"}) + "?rag=red&overdue=yes"))
    assert [row[0] for row in rows[1:]] == ["1.2", "2.3"]


def test_xlsx_export_holds_text_cells_and_real_dates(client, board_member, known, on_today):
    client.force_login(board_member)
    response = client.get(reverse("reviews:export", kwargs={"fmt": "xlsx"}) + "?theme=2")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert [row[0] for row in rows[1:]] == ["2.1", "2.2", "2.3"]
    title_cell = sheet.cell(row=4, column=2)
    assert title_cell.value == '\'=HYPERLINK("http://evil")'
    assert title_cell.data_type == "s"
    assert sheet.cell(row=2, column=HEADERS.index("Target date") + 1).value.date().isoformat() == "2022-03-31"


def test_an_invalid_filter_refuses_the_export_with_a_message(client, board_member, known):
    client.force_login(board_member)
    response = client.get(reverse("reviews:export", kwargs={"fmt": "csv"}) + "?rag=purple")
    assert response.status_code == 400
    assert "Delivery confidence" in response.content.decode()


def test_unknown_export_format_is_404(client, board_member, known):
    client.force_login(board_member)
    assert client.get(reverse("reviews:export", kwargs={"fmt": "pdf"})).status_code == 404


def test_xlsx_dates_read_as_the_service_writes_them_in_readable_columns(client, board_member, known, on_today):
    client.force_login(board_member)
    response = client.get(reverse("reviews:export", kwargs={"fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=HEADERS.index("Target date") + 1).number_format == "d mmmm yyyy"
    column = HEADERS.index("Last updated")
    last_updated = [row for row in sheet.iter_rows(min_row=2) if row[column].value is not None][0][column]
    assert last_updated.number_format == "d mmmm yyyy h:mm"
    assert sheet.column_dimensions["B"].width >= 40
    assert sheet.column_dimensions[get_column_letter(HEADERS.index("Latest narrative") + 1)].width >= 40


def test_export_adds_deadlines_completion_closure_revision_evidence_and_address(
    client, board_member, known, on_today, police_lead
):
    from tests.reviews.builders import at, record_update

    action = known["2.2"]
    action.revised_target_date, action.revision_reason = action.target_date.replace(month=9), "Waiting for guidance"
    action.save()
    # Status updates are append-only: the evidence link is recorded with the update.
    record_update(
        action,
        at(2022, 6, 1),
        author=police_lead,
        status_from="in_progress",
        status_to="in_progress",
        rag_from="green",
        rag_to="green",
        evidence_url="https://example.org/framework.pdf",
    )
    client.force_login(board_member)
    rows = read_csv(client.get(reverse("reviews:export", kwargs={"fmt": "csv"})))
    assert rows[0] == HEADERS
    for header in (
        "Overdue",
        "Days overdue",
        "Completion date",
        "Closure reason",
        "Revision reason",
        "Latest narrative date",
        "Evidence link (latest)",
        "Address",
    ):
        assert header in HEADERS
    by_reference = {row[0]: dict(zip(HEADERS, row, strict=True)) for row in rows[1:]}
    # 1.2's target date was 1 May 2022: 45 days overdue on 15 June 2022.
    assert (by_reference["1.2"]["Overdue"], by_reference["1.2"]["Days overdue"]) == ("Yes", "45")
    assert (by_reference["1.3"]["Overdue"], by_reference["1.3"]["Days overdue"]) == ("No", "")
    assert by_reference["1.1"]["Completion date"] == "2022-01-10"
    assert by_reference["2.1"]["Closure reason"] == "Superseded"
    assert by_reference["2.2"]["Revision reason"] == "Waiting for guidance"
    assert by_reference["2.2"]["Revised target date"] == "2022-09-30"
    assert by_reference["2.2"]["Evidence link (latest)"] == "https://example.org/framework.pdf"
    # The latest narrative and when it was written (an update without one does not replace it).
    assert by_reference["1.2"]["Latest narrative date"] == "2022-05-10 12:00"
    assert by_reference["2.2"]["Latest narrative"] == ""
    assert by_reference["1.1"]["Address"] == f"http://testserver/actions/{known['1.1'].pk}/"


def test_xlsx_has_an_autofilter_wrapped_text_and_a_sheet_describing_the_export(client, board_member, known, on_today):
    client.force_login(board_member)
    response = client.get(reverse("reviews:export", kwargs={"fmt": "xlsx"}) + "?theme=1&rag=red&rag=amber")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Actions", "About this export"]
    sheet = book["Actions"]
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(HEADERS))}3"
    title = sheet.cell(row=2, column=HEADERS.index("Title") + 1)
    assert title.alignment.wrap_text is True
    about = {row[0]: row[1] for row in book["About this export"].iter_rows(values_only=True)}
    assert about["Plan"] == "Joint national action plan"
    assert about["Overdue as at"] == "15 June 2022"
    assert about["Exported on"].startswith("15 June 2022 at ")
    assert about["Filter: Theme"] == "1. Supporting victims"
    assert about["Filter: Delivery confidence"] == "Red, Amber"
    assert about["Actions"] == "2"


def test_an_export_without_filters_says_so(client, board_member, known, on_today):
    client.force_login(board_member)
    response = client.get(reverse("reviews:export", kwargs={"fmt": "xlsx"}))
    about = {row[0]: row[1] for row in load_workbook(io.BytesIO(response.content))["About this export"].values}
    assert about["Filters"] == "None: every action of the plan"
    assert about["Actions"] == "7"


@pytest.mark.parametrize(
    ("query", "filename"),
    [
        ("", "national-actions-all-2022-06-15"),
        ("?theme=2&rag=red&rag=amber&overdue=yes", "national-actions-theme-2-rag-red-amber-overdue-yes-2022-06-15"),
        ("?status=in_progress&side=police", "national-actions-side-police-status-in-progress-2022-06-15"),
    ],
)
def test_file_names_say_the_plan_the_filters_and_the_date(client, board_member, known, on_today, query, filename):
    client.force_login(board_member)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("reviews:export", kwargs={"fmt": fmt}) + query)
        assert response["Content-Disposition"] == f'attachment; filename="{filename}.{fmt}"'


def test_file_names_name_a_lead_and_an_organisation_by_name(
    client, board_member, known, on_today, police_lead, cps_area
):
    client.force_login(board_member)
    response = client.get(
        reverse("reviews:export", kwargs={"fmt": "csv"}) + f"?lead={police_lead.pk}&organisation={cps_area.pk}"
    )
    assert "-organisation-cps-south-west-lead-paula-police-2022-06-15.csv" in response["Content-Disposition"]
