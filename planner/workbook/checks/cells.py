"""Cells and the problem collector shared by every sheet's checker.

:func:`parse_cell` types one cell by its schema column; :class:`Checker` turns raw rows into
typed records, applies defaults and collects every problem with its sheet, Excel row, column
and value.
"""

from __future__ import annotations

import math

from planner.workbook.errors import Problem
from planner.workbook.quarters import label, parse_quarter
from planner.workbook.reader import REPORTED, RawTable, clean_text
from planner.workbook.schema import END, START, Column, Sheet

Row = tuple[int, dict[str, object]]


def to_number(value: object) -> float | None:
    """A real number from a numeric cell or numeric text, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = clean_text(value).replace(",", "")
        percent = text.endswith("%")
        try:
            number = float(text[:-1] if percent else text)
        except ValueError:
            return None
        if not math.isfinite(number):
            return None
        return number / 100.0 if percent else number
    return None


def parse_cell(col: Column, value: object) -> tuple[object, str | None]:
    """Parse one non-empty cell by its column kind: (value, problem or None)."""
    kind = col.kind
    if kind in ("name", "text"):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, (int, float, str)) and not isinstance(value, bool):
            return clean_text(str(value)), None
        return None, "expected text"
    if kind == "choice":
        text = clean_text(str(value)).lower()
        if text in col.choices:
            return text, None
        return None, "expected one of " + ", ".join(col.choices)
    if kind == "quarter":
        q = parse_quarter(value)
        if q is None:
            return None, "expected a quarter like 2026Q3 or an Excel date"
        return q, None
    number = to_number(value)
    if kind == "year":
        if number is None or not number.is_integer() or not 1900 <= number <= 9999:
            return None, "expected a calendar year like 2027"
        return int(number), None
    if number is None:
        return None, "expected a number"
    if kind == "fraction":
        if not 0.0 <= number <= 1.0:
            return None, "expected a fraction between 0 and 1"
        return number, None
    if number < col.minimum:
        return None, f"must be at least {col.minimum:g}"
    if kind == "integer":
        if not number.is_integer():
            return None, "expected a whole number"
        return int(number), None
    return number, None


class Checker:
    """Collects problems while turning raw rows into typed records."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        self.start = 0
        self.end = 0
        self.bad: set[tuple[str, int | None]] = {(p.sheet, p.row) for p in problems}

    def add(self, sheet: str, row: int | None, column: str | None, value: object, message: str) -> None:
        self.problems.append(Problem(sheet, row, column, value, message))
        self.bad.add((sheet, row))

    def problems_in(self, sheet: str) -> bool:
        """True when a problem was found in ``sheet``."""
        return any(s == sheet for s, _ in self.bad)

    def good(self, sheet: str, row: int) -> bool:
        """True when no problem was found in this row (its record can be built)."""
        return (sheet, row) not in self.bad

    def cell(self, sheet: Sheet, row: int, col: Column, record: dict[str, object]) -> object:
        """Typed value of one cell with the column's default; problems recorded."""
        value = record.get(col.name)
        if value is REPORTED:
            return None
        if value is None:
            if col.required:
                self.add(sheet.name, row, col.name, None, "required value is missing")
                return None
            default = col.default
            if default == START:
                return self.start
            if default == END:
                return self.end
            return default
        parsed, message = parse_cell(col, value)
        if message:
            self.add(sheet.name, row, col.name, value, message)
        return parsed

    def records(self, table: RawTable | None) -> list[tuple[int, dict[str, object]]]:
        """Typed records of a fixed-column sheet (rows with a problem are kept, values None)."""
        if table is None:
            return []
        out = []
        for row, raw in table.rows:
            typed = {c.name: self.cell(table.sheet, row, c, raw) for c in table.sheet.columns}
            out.append((row, typed))
        return out

    def unique(self, sheet: str, records: list[tuple[int, dict]], key: str) -> list[tuple[int, dict]]:
        """Records whose key is present and not a repeat of an earlier row."""
        seen: dict[object, int] = {}
        out = []
        for row, rec in records:
            k = rec.get(key)
            if k is None:
                continue
            if k in seen:
                shown = label(k) if key == "quarter" else k
                self.add(sheet, row, key, shown, f"duplicate; first defined in row {seen[k]}")
                continue
            seen[k] = row
            out.append((row, rec))
        return out

    def ref(self, sheet: str, row: int, column: str, name: object, known: dict | set, owner: str) -> bool:
        """True when ``name`` is defined in ``owner``; records a problem otherwise."""
        if name is None:
            return False
        if name in known:
            return True
        self.add(sheet, row, column, name, f"not defined in sheet {owner}")
        return False

    def idx(self, absolute: int) -> int:
        """Horizon index of an absolute quarter."""
        return absolute - self.start

    def window(self, sheet: str, row: int, record: dict[str, object], columns: tuple[str, str]) -> bool:
        """True unless the window's first quarter (``columns[0]``) is after its last; records a problem then."""
        first, last = (record[c] for c in columns)
        if isinstance(first, int) and isinstance(last, int) and first > last:
            self.add(sheet, row, columns[0], label(first), f"is after {columns[1]} {label(last)}")
            return False
        return True
