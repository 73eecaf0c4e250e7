"""Read the input workbook into raw tables: cell values with their Excel rows.

No meaning is given to values here; :mod:`planner.validate` does that. The
reader only checks structure: that the file is a workbook, which sheets and
columns it has (an unknown sheet or column is an error: typed data is never
silently ignored), and that headers are not repeated.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from planner.errors import InputError, Problem
from planner.schema import SHEET_BY_NAME, Sheet

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)


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


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and clean_text(value) == "")


def _read_sheet(ws, sheet: Sheet, problems: list[Problem]) -> RawTable:
    table = RawTable(sheet=sheet, title=ws.title)
    fixed = {c.name for c in sheet.columns}
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    names: list[str | None] = []
    seen: set[str] = set()
    for value in header or ():
        if _empty(value):
            names.append(None)
            continue
        text = clean_text(str(value))
        name = text.lower() if (text.lower() in fixed or sheet.workload_columns is None) else text
        if name.lower() in seen:
            problems.append(Problem(sheet.name, 1, text, None, "this column header appears twice"))
            names.append(None)
            continue
        seen.add(name.lower())
        if sheet.workload_columns is None and name not in fixed:
            problems.append(Problem(sheet.name, 1, text, None,
                                    f"unknown column; {sheet.name} has columns "
                                    + ", ".join(c.name for c in sheet.columns)))
            names.append(None)
            continue
        names.append(name)
    for col in sheet.columns:
        if col.required and col.name not in seen:
            problems.append(Problem(sheet.name, 1, col.name, None, "required column is missing"))
    table.columns = [n for n in names if n is not None]
    for excel_row, values in enumerate(rows, start=2):
        if all(_empty(v) for v in values):
            continue
        record: dict[str, object] = {}
        for i, value in enumerate(values):
            name = names[i] if i < len(names) else None
            if name is None:
                if not _empty(value):
                    problems.append(Problem(sheet.name, excel_row, f"#{i + 1}", value,
                                            "value in a column without a known header"))
                continue
            record[name] = None if _empty(value) else value
        table.rows.append((excel_row, record))
    return table


def read_workbook(path: Path, problems: list[Problem]) -> dict[str, RawTable]:
    """Raw tables by lower-case sheet name; structure problems go to ``problems``.

    Raises InputError at once only when the file is not a readable workbook.
    """
    if not path.is_file():
        raise InputError([Problem("(file)", None, None, str(path), "no such file")])
    if not zipfile.is_zipfile(path):
        raise InputError([Problem("(file)", None, None, str(path),
                                  "not an .xlsx workbook (save it from Excel as .xlsx)")])
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise InputError([Problem("(file)", None, None, str(path),
                                  f"cannot be read as an .xlsx workbook: {exc}")]) from None
    tables: dict[str, RawTable] = {}
    try:
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
            tables[key] = _read_sheet(ws, sheet, problems)
    finally:
        wb.close()
    for key, sheet in SHEET_BY_NAME.items():
        if not sheet.optional and key not in tables:
            problems.append(Problem(sheet.name, None, None, None, "required sheet is missing"))
    return tables
