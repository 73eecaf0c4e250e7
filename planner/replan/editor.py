"""Edit the sheets of a user's workbook in place, keeping its other sheets, cells and formatting.

Sheets and headers are found as the reader finds them (case-insensitive, surrounding spaces
ignored); new rows and changed cells carry a cell comment saying where they came from, since a
new sheet of notes would be an unknown sheet to the reader.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from openpyxl.comments import Comment
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from planner.workbook.reader import clean_text
from planner.workbook.schema import SHEET_BY_NAME

AUTHOR = "planner roll"


class SheetEditor:
    """One worksheet with its header row read: ``col(name)`` is the 1-based column of a header."""

    def __init__(self, ws: Worksheet):
        self.ws = ws
        self.columns: dict[str, int] = {}
        for cell in ws[1]:
            if cell.value is not None and clean_text(str(cell.value)):
                self.columns[clean_text(str(cell.value)).lower()] = cell.column

    @classmethod
    def open(cls, wb: Workbook, name: str, create: bool = False) -> SheetEditor | None:
        """The sheet called ``name`` (as the reader matches it); created with the schema's columns
        when missing and ``create``."""
        for ws in wb.worksheets:
            if clean_text(ws.title).lower() == name.lower():
                return cls(ws)
        if not create:
            return None
        ws = wb.create_sheet(SHEET_BY_NAME[name.lower()].name)
        ws.append([c.name for c in SHEET_BY_NAME[name.lower()].columns])
        return cls(ws)

    def col(self, name: str, create: bool = False) -> int | None:
        """Column of header ``name``; appended at the right when missing and ``create``."""
        key = name.lower()
        if key not in self.columns and create:
            column = max(self.columns.values(), default=0) + 1
            self.ws.cell(row=1, column=column, value=name)
            self.columns[key] = column
        return self.columns.get(key)

    def rows(self) -> Iterator[int]:
        """Excel rows below the header that hold a value."""
        for r in range(2, self.ws.max_row + 1):
            if any(self.ws.cell(row=r, column=c).value not in (None, "") for c in self.columns.values()):
                yield r

    def get(self, row: int, name: str) -> object:
        column = self.col(name)
        return None if column is None else self.ws.cell(row=row, column=column).value

    def set(self, row: int, name: str, value: object, note: str | None = None) -> None:
        """Write one cell (creating its column if needed), with a comment when ``note`` is given."""
        cell = self.ws.cell(row=row, column=self.col(name, create=True))  # type: ignore[arg-type]
        cell.value = value  # (``ws.cell(value=None)`` would leave the old value)
        if note:
            cell.comment = Comment(note, AUTHOR)

    def append(self, values: dict[str, object], note: str) -> int:
        """Add a row (columns created as needed); its first cell carries ``note``. Returns its row."""
        row = max([1, *self.rows()]) + 1
        for name, value in values.items():
            self.ws.cell(row=row, column=self.col(name, create=True), value=value)  # type: ignore[arg-type]
        self.ws.cell(row=row, column=min(self.columns.values())).comment = Comment(note, AUTHOR)
        return row

    def delete_where(self, drop: Callable[[int], bool]) -> int:
        """Delete the rows for which ``drop(row)`` is true (bottom up, so rows keep their numbers
        while deciding); returns how many."""
        doomed = [r for r in self.rows() if drop(r)]
        for r in reversed(doomed):
            self.ws.delete_rows(r)
        return len(doomed)
