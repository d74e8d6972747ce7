from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

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
    assert sheet.cell(row=2, column=10).value.date().isoformat() == "2022-03-31"


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
    assert sheet.cell(row=2, column=10).number_format == "d mmmm yyyy"
    last_updated = [row for row in sheet.iter_rows(min_row=2) if row[14].value is not None][0][14]
    assert last_updated.number_format == "d mmmm yyyy h:mm"
    assert sheet.column_dimensions["B"].width >= 40
    assert sheet.column_dimensions["N"].width >= 40
