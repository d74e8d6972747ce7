"""The spreadsheet import: a preview that writes nothing, then all or nothing on confirmation, with the importer as
author; the dashboard's export imports back unchanged; every kind of bad file gets a message and changes nothing."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from html import unescape

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from actionplan.dates import DatePrecision
from actions.models import Action, ActionImport, Status, StatusUpdate
from tests.factories import PlanFactory, ThemeFactory
from tests.reviews.builders import TODAY, build_known_plan
from themes.models import Plan

pytestmark = pytest.mark.django_db

HEADINGS = [
    "Reference",
    "Theme",
    "Title",
    "Side",
    "Police lead",
    "CPS lead",
    "Start date",
    "Target date",
    "Status",
    "Delivery confidence",
]


def csv_file(rows: list[list], name: str = "actions.csv", headings: list[str] = HEADINGS) -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headings)
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


def xlsx_file(rows: list[list], name: str = "actions.xlsx", headings: list[str] = HEADINGS) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headings)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client, plan, file, joined: str = "today"):
    return client.post(reverse("themes:import", kwargs={"slug": plan.slug}), {"file": file, "joined": joined})


def preview_of(client, plan, file, joined: str = "today"):
    response = upload(client, plan, file, joined)
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response["Location"])
    assert page.status_code == 200
    return ActionImport.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1]), page.content.decode()


def confirm(client, record):
    return client.post(
        reverse("themes:import_preview", kwargs={"slug": record.plan.slug, "pk": record.pk}), {"confirm": "yes"}
    )


def counts(body: str) -> dict[str, int]:
    return {name: int(value) for name, value in re.findall(r'data-count="(\w+)">(\d+)<', body)}


def errors(body: str) -> list[tuple[str, str, str]]:
    rows = re.findall(
        r'data-error-row="\d+"><td class="govuk-table__cell">(.*?)</td><td class="govuk-table__cell">(.*?)</td>'
        r'<td class="govuk-table__cell">(.*?)</td>',
        body,
    )
    return [(row, column, unescape(message)) for row, column, message in rows]


@pytest.fixture
def signed_in_admin(client, admin_user):
    client.force_login(admin_user)
    return client


# -- Preview, confirm, history ---------------------------------------------------------------------------------------


def test_the_preview_shows_creates_updates_and_errors_and_writes_nothing(
    signed_in_admin, national_plan, police_action, police_lead, cps_lead
):
    rows = [
        [
            "1.1",
            "1",
            "Police-only action, reworded",
            "Police",
            "police.lead",
            "",
            "",
            "31 March 2022",
            "In progress",
            "Green",
        ],
        [
            "",
            "2",
            "Letters explaining no further action",
            "Joint",
            "Paula Police",
            "cps.lead@example.org",
            "Dec 2021",
            "Q1 2022",
            "Not started",
            "Green",
        ],
        ["3.1", "9", "Unknown theme", "Joint", "", "", "", "March 2022", "", "Green"],
        ["3.2", "3", "Unknown lead", "Police", "Nobody Known", "", "", "someday", "", "Green"],
    ]
    before = Action.objects.count(), StatusUpdate.objects.count(), Action.history.count()
    record, body = preview_of(signed_in_admin, national_plan, csv_file(rows))
    assert counts(body) == {"create": 1, "update": 1, "unchanged": 0, "errors": 3}
    assert errors(body) == [
        ("4", "Theme", "The plan has no theme 9 (its themes are 1, 2, 3, 4, 5)"),
        (
            "5",
            "Police lead",
            "Nobody on the service is called “Nobody Known”: give their username, email address or full name",
        ),
        (
            "5",
            "Target date",
            'Enter a date such as "24 March 2021", a month such as "Dec 2021" or a quarter such as "Q1 2022"',
        ),
    ]
    assert "The file cannot be imported" in body
    assert "Import 2 actions" not in body  # no confirmation while there are errors
    assert 'data-create="2.1"' in body and "Suggested" in body
    assert 'data-change="Title"' in body
    assert (Action.objects.count(), StatusUpdate.objects.count(), Action.history.count()) == before
    assert record.state == ActionImport.State.PENDING


def test_confirming_applies_it_all_with_the_importer_as_author(
    signed_in_admin, admin_user, national_plan, police_action, police_lead, cps_lead
):
    rows = [
        [
            "1.1",
            "1",
            "Police-only action, reworded",
            "Police",
            "police.lead",
            "",
            "",
            "2022-03-31",
            "In progress",
            "Amber",
        ],
        [
            "",
            "2",
            "Letters explaining no further action",
            "Joint",
            "Paula Police",
            "cps.lead",
            "Dec 2021",
            "Q1 2022",
            "Not started",
            "Green",
        ],
    ]
    headings = [*HEADINGS, "Narrative"]
    rows[0].append("Pilot slowed by staffing.")
    rows[1].append("")
    record, body = preview_of(signed_in_admin, national_plan, csv_file(rows, headings=headings))
    assert counts(body) == {"create": 1, "update": 1, "unchanged": 0, "errors": 0}
    assert "Import 2 actions" in body
    response = confirm(signed_in_admin, record)
    assert response.status_code == 302
    assert response["Location"] == national_plan.get_absolute_url()
    assert "1 actions created, 1 updated" in signed_in_admin.get(response["Location"]).content.decode()

    police_action.refresh_from_db()
    assert police_action.title == "Police-only action, reworded"
    assert (police_action.rag, police_action.version) == ("amber", 2)
    update = police_action.updates.get()
    assert (update.author, update.narrative) == (admin_user, "Pilot slowed by staffing.")
    edit = police_action.history.first()
    assert (edit.history_user, edit.history_change_reason) == (admin_user, "Imported from actions.csv")
    created = Action.objects.get(plan=national_plan, reference="2.1")
    assert (created.start_date, created.start_date_precision) == (date(2021, 12, 31), DatePrecision.MONTH)
    assert (created.target_date, created.target_date_precision) == (date(2022, 3, 31), DatePrecision.QUARTER)
    assert (created.police_lead, created.cps_lead) == (police_lead, cps_lead)
    assert created.history.get().history_user == admin_user
    record.refresh_from_db()
    assert (record.state, record.created_count, record.updated_count) == ("applied", 1, 1)

    again = confirm(signed_in_admin, record)
    assert again.status_code == 409
    assert "already been imported" in again.content.decode()
    assert Action.objects.filter(plan=national_plan).count() == 2


def test_a_failure_part_way_leaves_nothing_written(
    signed_in_admin, national_plan, police_action, police_lead, monkeypatch
):
    from actions import imports

    rows = [
        ["", "1", "First new action", "Police", "police.lead", "", "", "2022-03-31", "", "Green"],
        ["", "2", "Second new action", "Police", "police.lead", "", "", "2022-03-31", "", "Green"],
    ]
    record, _body = preview_of(signed_in_admin, national_plan, csv_file(rows))
    applied = []
    real_apply = imports._apply

    def failing_apply(step, **kwargs):
        if applied:
            raise ValidationError({"title": "Something went wrong on the second row"})
        applied.append(step)
        return real_apply(step, **kwargs)

    monkeypatch.setattr(imports, "_apply", failing_apply)
    response = confirm(signed_in_admin, record)
    assert response.status_code == 409
    assert "nothing was imported" in response.content.decode()
    assert applied  # the first row was written, then rolled back
    assert Action.objects.filter(plan=national_plan).count() == 1
    record.refresh_from_db()
    assert record.state == ActionImport.State.PENDING


def test_a_change_after_the_preview_stops_the_import_and_shows_the_new_preview(
    signed_in_admin, national_plan, police_action, police_lead
):
    rows = [["1.1", "1", "Reworded", "Police", "police.lead", "", "2021-04-01", "2022-03-31", "In progress", "Green"]]
    record, _body = preview_of(signed_in_admin, national_plan, csv_file(rows))
    Action.objects.filter(pk=police_action.pk).update(title="Reworded")  # someone did it in the admin meanwhile
    response = confirm(signed_in_admin, record)
    assert response.status_code == 409
    body = response.content.decode()
    assert "changed after the preview was made, so nothing was imported" in body
    assert counts(body)["unchanged"] == 1
    assert police_action.history.count() == Action.objects.get(pk=police_action.pk).history.count()


def test_discarding_imports_nothing(signed_in_admin, national_plan, police_action):
    rows = [["", "1", "New", "Joint", "", "", "", "2022-03-31", "", "Green"]]
    record, _ = preview_of(signed_in_admin, national_plan, csv_file(rows))
    url = reverse("themes:import_preview", kwargs={"slug": national_plan.slug, "pk": record.pk})
    assert signed_in_admin.post(url, {"discard": "yes"}).status_code == 302
    assert confirm(signed_in_admin, record).status_code == 409
    assert Action.objects.filter(plan=national_plan).count() == 1


@pytest.mark.parametrize("person", ["police_lead", "board_member", "outsider"])
def test_only_admins_import(request, client, person, national_plan):
    client.force_login(request.getfixturevalue(person))
    assert client.get(reverse("themes:import", kwargs={"slug": national_plan.slug})).status_code == 403
    assert upload(client, national_plan, csv_file([])).status_code == 403
    assert client.get(reverse("themes:import_template", kwargs={"slug": "national", "fmt": "csv"})).status_code == 403


def test_the_plan_page_links_admins_to_the_import(client, admin_user, board_member, national_plan):
    link = reverse("themes:import", kwargs={"slug": national_plan.slug})
    client.force_login(admin_user)
    assert link in client.get(national_plan.get_absolute_url()).content.decode()
    client.force_login(board_member)
    assert link not in client.get(national_plan.get_absolute_url()).content.decode()


# -- Round trips ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_dashboard_export_imports_back_unchanged(
    client, admin_user, national_plan, police_lead, cps_lead, police_force, cps_area, fmt
):
    with time_machine.travel(TODAY, tick=False):
        build_known_plan(
            national_plan, police_lead=police_lead, cps_lead=cps_lead, police_force=police_force, cps_area=cps_area
        )
        client.force_login(admin_user)
        exported = client.get(reverse("reviews:export", kwargs={"fmt": fmt}) + "?plan=national")
        assert exported.status_code == 200
        before = Action.history.count(), StatusUpdate.objects.count()
        file = SimpleUploadedFile(f"national.{fmt}", exported.content)
        record, body = preview_of(client, national_plan, file)
    assert counts(body) == {"create": 0, "update": 0, "unchanged": 7, "errors": 0}, errors(body)
    # The export's columns the import does not read (the overdue flag, the address...) are named, not refused.
    ignored = body.split("Columns not used: ")[1].split(".</p>")[0].split(", ")
    assert "Last updated" in ignored
    assert "The file changes nothing in the plan." in body
    assert (Action.history.count(), StatusUpdate.objects.count()) == before
    assert not record.preview["errors"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_month_and_quarter_dates_round_trip_through_import_pages_and_export(
    client, admin_user, national_plan, fmt, police_lead
):
    client.force_login(admin_user)
    rows = [
        [
            "1.1",
            "1",
            "Victims' code compliance",
            "Joint",
            "police.lead",
            "",
            "Dec 2021",
            "Q1 2022",
            "In progress",
            "Green",
        ],
        [
            "1.2",
            "1",
            "Pre-trial therapy guidance",
            "Joint",
            "police.lead",
            "",
            "",
            "March 2022",
            "Not started",
            "Green",
        ],
        [
            "1.3",
            "1",
            "Joint performance data",
            "Joint",
            "police.lead",
            "",
            "Q1 2022-23",
            "Q4 2022-23",
            "Not started",
            "Amber",
        ],
    ]
    make = csv_file if fmt == "csv" else xlsx_file
    record, _ = preview_of(client, national_plan, make(rows, name=f"plan.{fmt}"))
    assert confirm(client, record).status_code == 302

    first = Action.objects.get(plan=national_plan, reference="1.1")
    page = client.get(first.get_absolute_url()).content.decode()
    assert "December 2021" in page and "Q1 2022" in page
    theme_page = client.get(first.theme.get_absolute_url()).content.decode()
    assert "March 2022" in theme_page and "Q4 2022-23" in theme_page

    exported = client.get(reverse("reviews:export", kwargs={"fmt": fmt}) + "?plan=national")
    if fmt == "csv":
        lines = list(csv.DictReader(io.StringIO(exported.content.decode().lstrip("\ufeff"))))
    else:
        sheet = load_workbook(io.BytesIO(exported.content)).active
        values = list(sheet.iter_rows(values_only=True))
        lines = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    by_reference = {line["Reference"]: line for line in lines}
    assert (by_reference["1.1"]["Start date"], by_reference["1.1"]["Target date"]) == ("December 2021", "Q1 2022")
    assert by_reference["1.2"]["Target date"] == "March 2022"
    assert (by_reference["1.3"]["Start date"], by_reference["1.3"]["Target date"]) == ("Q1 2022-23", "Q4 2022-23")

    again, body = preview_of(client, national_plan, SimpleUploadedFile(f"again.{fmt}", exported.content))
    assert counts(body) == {"create": 0, "update": 0, "unchanged": 3, "errors": 0}, errors(body)


def test_the_template_downloads_and_names_every_column(signed_in_admin, national_plan):
    xlsx = signed_in_admin.get(reverse("themes:import_template", kwargs={"slug": "national", "fmt": "xlsx"}))
    assert xlsx.status_code == 200
    workbook = load_workbook(io.BytesIO(xlsx.content))
    headings = [cell.value for cell in workbook["Actions"][1]]
    assert headings[:4] == ["Reference", "Theme", "Title", "Description"]
    assert "Status date" in headings
    guidance = [row[0] for row in workbook["Guidance"].iter_rows(values_only=True)]
    assert "Target date" in guidance and "5" in guidance
    blank, body = preview_of(signed_in_admin, national_plan, SimpleUploadedFile("t.xlsx", xlsx.content))
    assert counts(body) == {"create": 0, "update": 0, "unchanged": 0, "errors": 0}
    text = signed_in_admin.get(reverse("themes:import_template", kwargs={"slug": "national", "fmt": "csv"}))
    assert text.content.decode().lstrip("\ufeff").splitlines()[0].startswith("Reference,Theme,Title")


# -- History brought in ----------------------------------------------------------------------------------------------


def test_actions_already_in_the_plan_are_brought_in_with_the_day_their_status_was_reached(
    signed_in_admin, admin_user, national_plan, police_lead
):
    headings = [*HEADINGS, "Status date", "Narrative"]
    rows = [
        [
            "1.1",
            "1",
            "ISVA referral pathway",
            "Joint",
            "police.lead",
            "",
            "",
            "Dec 2021",
            "Completed",
            "",
            "15 December 2021",
            "Pathway live in every force.",
        ],
    ]
    record, body = preview_of(signed_in_admin, national_plan, csv_file(rows, headings=headings), joined="plan_start")
    assert counts(body)["errors"] == 0, errors(body)
    assert confirm(signed_in_admin, record).status_code == 302
    action = Action.objects.get(plan=national_plan, reference="1.1")
    assert (action.status, action.rag, action.completed_on) == (Status.COMPLETED, "", date(2021, 12, 15))
    assert action.created_at.date() == national_plan.period_start
    update = action.updates.get()
    assert (update.narrative, update.effective_at.date(), update.author) == (
        "Pathway live in every force.",
        date(2021, 12, 15),
        admin_user,
    )


def test_a_status_date_before_a_new_action_joined_is_refused(signed_in_admin, national_plan, police_lead):
    headings = [*HEADINGS, "Status date"]
    rows = [["1.1", "1", "Pathway", "Joint", "police.lead", "", "", "Dec 2021", "Completed", "", "15 December 2021"]]
    _record, body = preview_of(signed_in_admin, national_plan, csv_file(rows, headings=headings))
    assert errors(body)[0][:2] == ("2", "Status date")
    assert "in the plan from its start" in errors(body)[0][2]


def test_a_draft_plan_takes_statuses_as_its_actions_starting_point(client, admin_user, police_lead):
    draft = PlanFactory(slug="draft", status=Plan.Status.DRAFT)
    ThemeFactory(plan=draft, number=1)
    client.force_login(admin_user)
    first, _ = preview_of(
        client, draft, csv_file([["1.1", "1", "A", "Joint", "police.lead", "", "", "Q1 2022", "", "Green"]])
    )
    assert confirm(client, first).status_code == 302
    second, body = preview_of(
        client, draft, csv_file([["1.1", "1", "A", "Joint", "police.lead", "", "", "Q1 2022", "In progress", "Red"]])
    )
    assert "not published yet" in body
    assert confirm(client, second).status_code == 302
    action = Action.objects.get(plan=draft)
    assert (action.status, action.rag, action.updates.count()) == (Status.IN_PROGRESS, "red", 0)


# -- Bad files -----------------------------------------------------------------------------------------------------


def file_error(client, plan, file) -> str:
    before = Action.objects.count(), ActionImport.objects.count()
    response = upload(client, plan, file)
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body
    assert (Action.objects.count(), ActionImport.objects.count()) == before
    return re.search(
        r'<p id="file-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span>'
        r" (.*?)</p>",
        body,
    ).group(1)


def zip_bytes(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.pdf", b"%PDF-1.4 not a spreadsheet", "must be a CSV or an XLSX spreadsheet"),
        ("plan.txt", b"Reference,Theme", "must be a CSV or an XLSX spreadsheet"),
        ("plan.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel file (.xls)"),
        ("plan.xlsx", b"Reference,Theme,Title\n1.1,1,x\n", "not a real XLSX spreadsheet"),
        ("plan.xlsx", b"PK\x03\x04 broken zip", "not a real XLSX spreadsheet"),
        ("plan.xlsx", zip_bytes({"hello.txt": b"not a workbook"}), "not a real XLSX spreadsheet"),
        ("plan.xlsx", zip_bytes({"xl/workbook.xml": b"<broken"}), "can be read: it may be damaged"),
        ("plan.csv", zip_bytes({"a": b"b"}), "not a CSV file"),
        ("plan.csv", b"\x00\x01\x02 binary", "not a CSV file"),
        ("plan.csv", b"\n\n\n", "column headings"),
    ],
)
def test_a_file_of_the_wrong_kind_gets_a_message_and_changes_nothing(
    signed_in_admin, national_plan, name, content, message
):
    assert message in file_error(signed_in_admin, national_plan, SimpleUploadedFile(name, content))


def test_an_empty_upload_gets_a_message(signed_in_admin, national_plan):
    assert "empty" in file_error(signed_in_admin, national_plan, SimpleUploadedFile("plan.csv", b""))


def test_a_zip_bomb_dressed_as_xlsx_is_refused_before_it_is_expanded(signed_in_admin, national_plan):
    bomb = zip_bytes({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\x00" * (80 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    message = file_error(signed_in_admin, national_plan, SimpleUploadedFile("plan.xlsx", bomb))
    assert "expands to far more than a spreadsheet" in message


def test_fifty_thousand_rows_are_refused(signed_in_admin, national_plan):
    lines = ["Reference,Theme,Title,Side,Target date"] + [f"1.{n},1,Action {n},Joint,2022-03-31" for n in range(50_000)]
    big = SimpleUploadedFile("plan.csv", "\n".join(lines).encode())
    assert "more than 5,000 rows" in file_error(signed_in_admin, national_plan, big)


def test_a_file_over_the_size_limit_is_refused(signed_in_admin, national_plan):
    big = SimpleUploadedFile("plan.csv", b"Reference,Theme\n" + b"x" * (6 * 1024 * 1024))
    assert "smaller than 5 MB" in file_error(signed_in_admin, national_plan, big)


@pytest.mark.parametrize(
    ("headings", "message"),
    [
        (["Name", "Colour", "Size"], "does not hold the template's column headings"),
        (["Reference", "Theme", "Title"], "no column headed “Side”, “Target date”"),
        (["Reference", "Theme", "Title", "Side", "Target date", "Theme number"], "appears twice"),
    ],
)
def test_wrong_or_missing_headings_are_named(signed_in_admin, national_plan, headings, message):
    _record, body = preview_of(signed_in_admin, national_plan, csv_file([["x"] * len(headings)], headings=headings))
    found = errors(body)
    assert found and found[0][0] == "1"
    assert message in " ".join(error[2] for error in found)
    assert Action.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["1.1", "1", "A", "Joint", "", "", "", "31/02/2022", "", "Green"], "Target date", "does not exist"),
        (
            ["1.1", "1", "A", "Joint", "", "", "2023-01-01", "2022-03-31", "", "Green"],
            "Target date",
            "same as or after the start date",
        ),
        (["1.1", "1", "A", "Both sides", "", "", "", "2022-03-31", "", "Green"], "Side", "Police"),
        (
            ["1.1", "1", "A", "CPS", "police.lead", "", "", "2022-03-31", "", "Green"],
            "Police lead",
            "a CPS action has no police lead",
        ),
        (
            ["1.1", "1", "A", "Joint", "cps.lead", "", "", "2022-03-31", "", "Green"],
            "Police lead",
            "must belong to a police organisation",
        ),
        (["1.1", "1", "A", "Joint", "", "", "", "2022-03-31", "Finished", "Green"], "Status", "Give the status"),
        (["1.1", "1", "A", "Joint", "", "", "", "2022-03-31", "In progress", "Purple"], "Delivery confidence", "Green"),
        (["1.1", "1", "A", "Joint", "", "", "", "2022-03-31", "In progress", ""], "Delivery confidence", "open action"),
        (["1.1", "1", "", "Joint", "", "", "", "2022-03-31", "", "Green"], "Title", "Give the action's title"),
        (["1.1", "x", "A", "Joint", "", "", "", "2022-03-31", "", "Green"], "Theme", "theme's number"),
        (
            ["1.1", "1", "A", "Joint", "", "", "", "2022-03-31", "Closed", "Green"],
            "Closure reason",
            "Select why the action is closed: superseded or withdrawn",
        ),
    ],
)
def test_each_bad_cell_is_named_by_row_and_column(
    signed_in_admin, national_plan, police_lead, cps_lead, row, column, message
):
    _record, body = preview_of(signed_in_admin, national_plan, csv_file([row]))
    found = errors(body)
    assert any(r == "2" and c == column and message in m for r, c, m in found), found
    assert Action.objects.count() == 0


def test_an_action_nobody_would_be_accountable_for_is_refused(
    signed_in_admin, national_plan, police_action, police_force
):
    headings = [*HEADINGS, "Lead organisations"]
    rows = [
        ["2.1", "2", "Early advice", "Joint", "", "", "", "2022-03-31", "", "Green", ""],
        ["2.2", "2", "Case files", "CPS", "", "", "", "2022-03-31", "", "Green", police_force.name],
        ["2.3", "2", "Disclosure", "Joint", "", "", "", "2022-03-31", "", "Green", police_force.name],
        # An action already in the plan, its lead taken away and no organisation given.
        ["1.1", "1", police_action.title, "Police", "", "", "", "2022-03-31", "", "Green", ""],
    ]
    _record, body = preview_of(signed_in_admin, national_plan, csv_file(rows, headings=headings))
    refused = [(r, c, m) for r, c, m in errors(body) if "so that someone sees this action in My actions" in m]
    assert [(r, c) for r, c, _m in refused] == [("2", "Lead organisations"), ("3", "CPS lead"), ("5", "Police lead")]
    assert refused[0][2].startswith("Name a police lead or a CPS lead, or choose a police or CPS organisation")
    assert refused[1][2].startswith("Name a CPS lead, or choose a CPS organisation")  # a police force cannot do it
    assert Action.objects.filter(plan=national_plan).count() == 1


def test_duplicate_references_are_named_on_each_row(signed_in_admin, national_plan):
    rows = [
        ["1.1", "1", "A", "Joint", "", "", "", "2022-03-31", "", "Green"],
        ["1.2", "1", "B", "Joint", "", "", "", "2022-03-31", "", "Green"],
        ["1.1", "1", "C", "Joint", "", "", "", "2022-03-31", "", "Green"],
    ]
    _record, body = preview_of(signed_in_admin, national_plan, csv_file(rows))
    assert [(r, c) for r, c, m in errors(body) if "more than one row" in m] == [("2", "Reference"), ("4", "Reference")]


def test_formula_cells_are_refused_in_xlsx_and_csv(signed_in_admin, national_plan):
    rows = [["1.1", "1", '=HYPERLINK("http://evil")', "Joint", "", "", "", "2022-03-31", "", "Green"]]
    for file in (xlsx_file(rows), csv_file(rows)):
        _record, body = preview_of(signed_in_admin, national_plan, file)
        assert ("2", "Title", "The cell holds a formula: the import takes values only, so paste the value instead") in (
            errors(body)
        )
    assert Action.objects.count() == 0


def test_an_archived_plan_takes_no_import(client, admin_user):
    archived = PlanFactory(slug="old", status=Plan.Status.ARCHIVED)
    ThemeFactory(plan=archived, number=1)
    client.force_login(admin_user)
    record, body = preview_of(
        client, archived, csv_file([["1.1", "1", "A", "Joint", "", "", "", "Q1 2022", "", "Green"]])
    )
    assert "archived" in body
    assert confirm(client, record).status_code == 409
    assert Action.objects.filter(plan=archived).count() == 0


def test_history_dated_in_a_closed_cycles_window_leaves_its_snapshot_as_it_was(
    signed_in_admin, admin_user, national_plan, police_action
):
    from reviews.cycles import cycle_progress
    from reviews.models import ActionSnapshot
    from reviews.selectors import actions_at_close, cycle_day, figures_from_states, trend_across_cycles
    from reviews.services import review_cycle_close
    from tests.factories import ReviewCycleFactory

    Action.objects.filter(pk=police_action.pk).update(created_at="2021-04-01T00:00:00Z")
    cycle = ReviewCycleFactory(
        plan=national_plan,
        name="Q2 2021-22",
        opens_on=date(2021, 10, 4),
        updates_due_on=date(2021, 10, 22),
        board_meeting_on=date(2021, 10, 28),
        state="open",
    )
    cycle = review_cycle_close(cycle=cycle, by=admin_user)

    def frozen():
        actions = national_plan.actions.all()
        return (
            list(ActionSnapshot.objects.filter(cycle=cycle).order_by("pk").values()),
            figures_from_states(rows=list(actions_at_close(actions=actions, cycle=cycle)), day=cycle_day(cycle)),
            [point.figures for point in trend_across_cycles(plan=national_plan, actions=actions, today=date.today())][
                :-1
            ],
            cycle_progress(cycle=cycle, actions=actions).overall,
            cycle.status_updates.count(),
        )

    before = frozen()
    assert before[0][0]["status"] == police_action.status
    headings = ["Reference", "Theme", "Title", "Side", "Target date", "Status", "Delivery confidence"]
    headings += ["Status date", "Narrative"]
    row = [
        "1.1",
        "1",
        police_action.title,
        "Police",
        police_action.target_date.isoformat(),
        "Completed",
        "",
        "15 October 2021",
        "Delivered in every force in October 2021.",
    ]
    record, body = preview_of(signed_in_admin, national_plan, csv_file([row], headings=headings))
    assert counts(body)["errors"] == 0, errors(body)
    assert confirm(signed_in_admin, record).status_code == 302

    update = police_action.updates.get()
    assert timezone.localdate(update.effective_at) == date(2021, 10, 15)
    # The cycle whose window holds that day is closed: the update belongs to no cycle, and nothing it froze moves.
    assert update.review_cycle is None
    assert frozen() == before
    assert Action.objects.get(pk=police_action.pk).status == Status.COMPLETED
