"""Reading an uploaded CSV or XLSX file into rows of text, refusing what is not safe or not a table.

Nothing here trusts the file: its size, its type (by content, not only by name), an XLSX's uncompressed size and
number of parts (checked before the spreadsheet library opens it, so a ZIP bomb is never expanded), the number of
rows and columns, the length of each cell, and formulas (refused: the import takes values, never calculations).
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, time

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
MAX_COLUMNS = 60
MAX_CELL_CHARACTERS = 10_000
# An XLSX is a ZIP of XML parts: a genuine one of 5 MB holds far less than this once expanded.
MAX_XLSX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_XLSX_PARTS = 500
MAX_COMPRESSION_RATIO = 150

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old .xls (or .doc) file
FORMULA_START = "="
# What an export puts before text a spreadsheet would run as a formula (see reviews/exports.py `neutralise`).
NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


class FileProblem(ValueError):
    """The file as a whole cannot be read: the message says why and what to do."""


@dataclass
class CellProblem:
    row: int
    column: str
    message: str


@dataclass
class Table:
    """The first row's headings and the rows under them, each cell as text, with the row numbers a spreadsheet
    program shows (the headings are row 1). Blank rows are left out."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    problems: list[CellProblem] = field(default_factory=list)


def read_table(*, name: str, content: bytes) -> Table:
    """Read a CSV or XLSX upload. Raises FileProblem for a file that cannot be taken at all."""
    if not content:
        raise FileProblem("The file is empty")
    if len(content) > MAX_FILE_BYTES:
        raise FileProblem(f"The file must be smaller than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    lowered = name.lower()
    if content.startswith(OLE_MAGIC) or lowered.endswith(".xls"):
        raise FileProblem("The file is an old Excel file (.xls): save it as .xlsx or .csv and upload it again")
    if lowered.endswith(".xlsx"):
        if not content.startswith(ZIP_MAGIC):
            raise FileProblem("The file is not a real XLSX spreadsheet: save it from your spreadsheet program as .xlsx")
        return _read_xlsx(content)
    if lowered.endswith(".csv"):
        if content.startswith(ZIP_MAGIC) or b"\x00" in content[:4096]:
            raise FileProblem("The file is not a CSV file: save it from your spreadsheet program as .csv")
        return _read_csv(content)
    raise FileProblem("The file must be a CSV or an XLSX spreadsheet (.csv or .xlsx)")


def _table(header_cells: list[str], body: list[tuple[int, list[str]]], problems: list[CellProblem]) -> Table:
    headers = [cell.strip() for cell in header_cells]
    while headers and not headers[-1]:
        headers.pop()
    if not any(headers):
        raise FileProblem("The first row must hold the column headings: download the template to see them")
    if len(headers) > MAX_COLUMNS:
        raise FileProblem(f"The file has more than {MAX_COLUMNS} columns: keep only the columns of the template")
    rows = []
    for number, cells in body:
        cells = [cell.strip() for cell in cells[: len(headers)]]
        cells += [""] * (len(headers) - len(cells))
        if any(cells):
            rows.append((number, cells))
    return Table(headers=headers, rows=rows, problems=problems)


def _too_many_rows() -> FileProblem:
    return FileProblem(f"The file has more than {MAX_ROWS:,} rows: split it into smaller files")


def _cell_text(value, *, row: int, column: int, headers: list[str], problems: list[CellProblem]) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = value.date().isoformat() if value.time() == time.min else value.isoformat(sep=" ")
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = str(value)
    if len(text) > MAX_CELL_CHARACTERS:
        problems.append(
            CellProblem(row, _heading(headers, column), f"The cell is longer than {MAX_CELL_CHARACTERS:,} characters")
        )
        return ""
    if text.startswith(NEUTRALISED):
        text = text[1:]
    return text


def _heading(headers: list[str], column: int) -> str:
    return headers[column] if column < len(headers) and headers[column] else f"column {column + 1}"


def _read_csv(content: bytes) -> Table:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Spreadsheet programs on Windows save CSV files in this encoding.
        text = content.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    problems: list[CellProblem] = []
    try:
        header_cells = next(reader, [])
        body = []
        for number, cells in enumerate(reader, start=2):
            if number - 1 > MAX_ROWS:
                raise _too_many_rows()
            texts = []
            for index, value in enumerate(cells):
                if value.lstrip().startswith(FORMULA_START):
                    problems.append(CellProblem(number, _heading(header_cells, index), _FORMULA))
                    texts.append("")
                    continue
                texts.append(_cell_text(value, row=number, column=index, headers=header_cells, problems=problems))
            body.append((number, texts))
    except csv.Error as error:
        raise FileProblem(f"The file is not a CSV file that can be read ({error})") from None
    return _table(header_cells, body, problems)


_FORMULA = "The cell holds a formula: the import takes values only, so paste the value instead"


def _check_zip(content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError):
        raise FileProblem("The file is not a real XLSX spreadsheet: it may be damaged") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_XLSX_PARTS:
            raise FileProblem("The file is not an ordinary XLSX spreadsheet: it has too many parts")
        total = 0
        for part in parts:
            total += part.file_size
            ratio = part.file_size / max(part.compress_size, 1)
            if total > MAX_XLSX_UNCOMPRESSED_BYTES or (part.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO):
                raise FileProblem(
                    "The file expands to far more than a spreadsheet of actions would: it cannot be imported"
                )
        if "xl/workbook.xml" not in {part.filename for part in parts}:
            raise FileProblem("The file is not a real XLSX spreadsheet: save it from your spreadsheet program as .xlsx")


def _read_xlsx(content: bytes) -> Table:
    _check_zip(content)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds of error for a damaged file; each means the same
        raise FileProblem("The file is not an XLSX spreadsheet that can be read: it may be damaged") from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise FileProblem("The spreadsheet has no sheets")
        problems: list[CellProblem] = []
        header_cells: list[str] = []
        body: list[tuple[int, list[str]]] = []
        for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS + 1), start=1):
            if number - 1 > MAX_ROWS:
                raise _too_many_rows()
            texts = []
            for index, cell in enumerate(row):
                if getattr(cell, "data_type", None) == "f":
                    problems.append(CellProblem(number, _heading(header_cells, index), _FORMULA))
                    texts.append("")
                    continue
                texts.append(
                    _cell_text(
                        getattr(cell, "value", None), row=number, column=index, headers=header_cells, problems=problems
                    )
                )
            if number == 1:
                header_cells = texts
            else:
                body.append((number, texts))
    except FileProblem:
        raise
    except Exception:  # noqa: BLE001 - a damaged part found while reading; the file is refused, never a 500
        raise FileProblem("The file is not an XLSX spreadsheet that can be read: it may be damaged") from None
    finally:
        workbook.close()
    return _table(header_cells, body, problems)
