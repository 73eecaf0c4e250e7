"""Read the input workbook into raw tables: cell values with their Excel rows.

No meaning is given to values here; :mod:`planner.workbook.validate` does that. The
reader checks that the file really is an .xlsx workbook (by its first bytes
and its zip directory, not its extension), refuses hostile files (XML entity
tricks are refused by defusedxml, zip bombs by size and inflate-ratio limits
checked before anything is parsed), and checks structure: which sheets and
columns it has (an unknown sheet or column is an error: data typed in a
workbook is never silently ignored), repeated headers, merged cells, formula
cells without a saved value, Excel error values and stray cells far below the
data.
"""

from __future__ import annotations

import logging
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import openpyxl
from defusedxml import DefusedXmlException
from openpyxl.utils import get_column_letter

from planner.workbook.errors import InputError, Problem
from planner.workbook.schema import SHEET_BY_NAME, Sheet

log = logging.getLogger(__name__)

if not openpyxl.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
    raise ImportError("defusedxml must be installed (and OPENPYXL_DEFUSEDXML not False) to read workbooks safely")

#: Limits checked on the zip directory before parsing (like Apache POI's ZipSecureFile).
MAX_TOTAL_UNCOMPRESSED = 256 * 1024 * 1024  # bytes, all members together
MAX_MEMBERS = 5000
MAX_INFLATE_RATIO = 100.0  # uncompressed / compressed, for members above RATIO_GRACE bytes
RATIO_GRACE = 100 * 1024
#: Most rows (header included) and columns a sheet may use.
MAX_ROWS = 100_000
MAX_COLUMNS = 500

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_EXCEL_ERRORS = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                 "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"}


class _Reported:
    """Value of a cell whose problem the reader already reported (not reported again)."""

    def __repr__(self) -> str:
        return "<reported>"


REPORTED = _Reported()


def clean_text(value: str) -> str:
    """Trim surrounding spaces, non-breaking and zero-width spaces included."""
    return value.translate(_INVISIBLE).replace("\u00a0", " ").strip()


@dataclass
class RawTable:
    """One sheet: header names (fixed columns lower-cased) and non-empty rows."""

    sheet: Sheet
    title: str
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)


def _file_problem(path: Path, message: str) -> InputError:
    return InputError([Problem("(file)", None, None, str(path), message)])


def check_file(path: Path) -> None:
    """Raise InputError unless ``path`` looks like a safe .xlsx workbook (first bytes and zip directory)."""
    if not path.exists():
        raise _file_problem(path, "no such file")
    if not path.is_file():
        raise _file_problem(path, "is not a file")
    with path.open("rb") as f:
        head = f.read(8)
    if not head:
        raise _file_problem(path, "the file is empty")
    if head.startswith(_OLE2):
        raise _file_problem(path, "is a legacy .xls file or a password-protected workbook: remove the password "
                                  "and save it as an Excel workbook (.xlsx)")
    if not head.startswith(b"PK"):
        kind = "text (CSV?)" if all(32 <= b < 127 or b in (9, 10, 13) for b in head) else "not a zip file"
        raise _file_problem(path, f"is not an .xlsx workbook (its content is {kind}); save it from Excel as .xlsx")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
            names = {i.filename for i in infos}
            if "mimetype" in names and z.read("mimetype").startswith(b"application/vnd.oasis.opendocument"):
                raise _file_problem(path, "is an OpenDocument (.ods) spreadsheet: save it as an Excel workbook (.xlsx)")
            if "xl/workbook.xml" not in names and "[Content_Types].xml" not in names:
                raise _file_problem(path, "is a zip file without an Excel workbook in it")
            if len(infos) > MAX_MEMBERS:
                raise _file_problem(path, f"has {len(infos)} parts, more than {MAX_MEMBERS}: refused")
            total = sum(i.file_size for i in infos)
            if total > MAX_TOTAL_UNCOMPRESSED:
                raise _file_problem(path, f"would expand to {total / 2**20:.0f} MiB, more than "
                                          f"{MAX_TOTAL_UNCOMPRESSED / 2**20:.0f} MiB: refused (zip bomb?)")
            for i in infos:
                if i.file_size > RATIO_GRACE and i.file_size > MAX_INFLATE_RATIO * max(i.compress_size, 1):
                    raise _file_problem(path, f"part {i.filename} expands {i.file_size / max(i.compress_size, 1):.0f}"
                                              f" times, more than {MAX_INFLATE_RATIO:.0f}: refused (zip bomb?)")
    except InputError:
        raise
    except Exception as exc:  # BadZipFile, and on damaged directories NotImplementedError, UnicodeDecodeError...
        raise _file_problem(path, f"is a damaged or truncated zip/xlsx file ({type(exc).__name__}: {exc})") from None


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and clean_text(value) == "")


def _cell_problem(sheet: str, ws_formulas, cell, column: str | None = None) -> Problem | None:
    """Formula cells with no saved value and Excel error values (``column``: its header, if known)."""
    letter = get_column_letter(cell.column)
    where = f"{column} ({letter})" if column else letter
    if cell.data_type == "e" or (isinstance(cell.value, str) and cell.value.strip() in _EXCEL_ERRORS):
        return Problem(sheet, cell.row, where, cell.value,
                       "Excel error value in this cell: fix the formula or type the value")
    if cell.value is None and ws_formulas is not None:
        formula = ws_formulas.cell(row=cell.row, column=cell.column).value
        if isinstance(formula, str) and formula.startswith("="):
            return Problem(sheet, cell.row, where, formula,
                           "formula without a saved value (the file was written by a program, not Excel): "
                           "open it in Excel and save it, or type the value")
    return None


def _read_sheet(ws, ws_formulas, sheet: Sheet, problems: list[Problem]) -> RawTable:
    table = RawTable(sheet=sheet, title=ws.title)
    name = sheet.name
    if ws.max_row > MAX_ROWS or ws.max_column > MAX_COLUMNS:
        far = [c for c in _cells(ws) if c.row > MAX_ROWS or c.column > MAX_COLUMNS]
        row, column, value = (far[0].row, get_column_letter(far[0].column), far[0].value) if far else \
            (ws.max_row, None, None)
        problems.append(Problem(name, row, column, value,
                                f"the sheet uses cells as far as row {ws.max_row}, column {ws.max_column}; the "
                                f"planner reads at most {MAX_ROWS} rows and {MAX_COLUMNS} columns: delete the "
                                "stray cells"))
        return table
    for merged in ws.merged_cells.ranges:
        problems.append(Problem(name, merged.min_row, None, str(merged),
                                "merged cells: unmerge them so each row and column has its own value"))
    fixed = {c.name for c in sheet.columns}
    rows = ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column)
    header = next(rows, ())
    names: list[str | None] = []
    seen: set[str] = set()
    for cell in header:
        problem = _cell_problem(name, ws_formulas, cell)
        if problem:
            problems.append(problem)
        value = cell.value
        if _empty(value):
            names.append(None)
            continue
        text = clean_text(str(value))
        key = text.lower() if (text.lower() in fixed or sheet.workload_columns is None) else text
        if key.lower() in seen:
            problems.append(Problem(name, 1, text, None, "this column header appears twice"))
            names.append(None)
            continue
        seen.add(key.lower())
        if sheet.workload_columns is None and key not in fixed and not sheet.other_columns:
            problems.append(Problem(name, 1, text, None,
                                    f"unknown column; {name} has columns " + ", ".join(c.name for c in sheet.columns)))
            names.append(None)
            continue
        names.append(key)
    for col in sheet.columns:
        if col.required and col.name not in seen:
            problems.append(Problem(name, 1, col.name, None, "required column is missing"))
    table.columns = [n for n in names if n is not None]
    for cells in rows:
        record: dict[str, object] = {}
        excel_row = None
        for i, cell in enumerate(cells):
            excel_row = cell.row
            col = names[i] if i < len(names) else None
            problem = _cell_problem(name, ws_formulas, cell, col)
            if problem:
                problems.append(problem)
                if col is not None:
                    record[col] = REPORTED
                continue
            if col is None:
                if not _empty(cell.value):
                    problems.append(Problem(name, cell.row, get_column_letter(cell.column), cell.value,
                                            "value in a column without a known header"))
                continue
            record[col] = None if _empty(cell.value) else cell.value
        if excel_row is not None and any(v is not None and v is not REPORTED for v in record.values()):
            table.rows.append((excel_row, record))
    return table


def _cells(ws):
    """Every stored cell of a worksheet, without creating the empty ones in between."""
    store = getattr(ws, "_cells", None)
    if isinstance(store, dict):
        return list(store.values())
    return [c for row in ws.iter_rows() for c in row if c.value is not None]  # pragma: no cover


def _load(path: Path, data_only: bool):
    try:
        return openpyxl.load_workbook(path, data_only=data_only)
    except InputError:
        raise
    except Exception as exc:  # openpyxl and defusedxml raise many kinds on a broken or hostile file
        cause: BaseException | None = exc
        while cause is not None:
            if isinstance(cause, DefusedXmlException):
                raise _file_problem(path, "contains XML entity or DTD declarations (an XML bomb or external "
                                          "entity?): refused") from None
            cause = cause.__cause__ or cause.__context__
        raise _file_problem(path, f"cannot be read as an .xlsx workbook ({type(exc).__name__}: {exc})") from None


def read_workbook(path: Path, problems: list[Problem]) -> dict[str, RawTable]:
    """Raw tables by lower-case sheet name; structure problems go to ``problems``.

    Raises InputError at once only when the file is not a readable workbook.
    """
    check_file(path)
    wb = _load(path, data_only=True)
    wb_formulas = _load(path, data_only=False)
    tables: dict[str, RawTable] = {}
    for ws in wb.worksheets:
        key = clean_text(ws.title).lower()
        sheet = SHEET_BY_NAME.get(key)
        if sheet is None:
            problems.append(Problem(ws.title, None, None, None,
                                    "unknown sheet; the planner reads "
                                    + ", ".join(s.name for s in SHEET_BY_NAME.values())))
            continue
        if key in tables:
            problems.append(Problem(ws.title, None, None, None, "sheet appears twice"))
            continue
        if ws.sheet_state != "visible":
            log.warning("sheet %s is hidden in Excel; it is read all the same", ws.title)
        tables[key] = _read_sheet(ws, wb_formulas[ws.title], sheet, problems)
    for key, sheet in SHEET_BY_NAME.items():
        if not sheet.optional and key not in tables:
            problems.append(Problem(sheet.name, None, None, None, "required sheet is missing"))
    return tables


def read_sheets(path: Path, sheets: tuple[Sheet, ...], problems: list[Problem]) -> dict[str, RawTable]:
    """Raw tables of the named ``sheets`` of another file the planner reads (a previous plan), by lower-case
    name; its other sheets are not read. Problems are named after the file (``plan.xlsx Actions row 3``)."""
    check_file(path)
    wb = _load(path, data_only=True)
    wb_formulas = _load(path, data_only=False)
    titles = {clean_text(ws.title).lower(): ws.title for ws in wb.worksheets}
    tables: dict[str, RawTable] = {}
    for sheet in sheets:
        title = titles.get(sheet.name.lower())
        named = replace(sheet, name=f"{path.name} {sheet.name}")
        if title is None:
            if sheet.optional:
                continue
            problems.append(Problem(str(path), None, None, sheet.name,
                                    "is not a plan written by `planner run`: it has no sheet of that name"))
            continue
        tables[sheet.name.lower()] = _read_sheet(wb[title], wb_formulas[title], named, problems)
    return tables
