"""``planner template``: an empty workbook with every sheet of the schema.

Each header carries a comment with the column's unit, default and meaning;
Settings lists every setting with its default.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font

from planner.schema import SETTINGS, SHEETS, Column


def column_note(col: Column) -> str:
    """One-line meaning of a column: description, unit, default."""
    text = col.description
    if col.unit:
        text += f" Unit: {col.unit}."
    if not col.required:
        text += f" Optional; default {col.default if col.default is not None else 'blank'}."
    if col.ref:
        text += f" Must be defined in sheet {col.ref}."
    return text


def write_template(path: Path) -> None:
    """Write the documented empty workbook to ``path`` (atomically)."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in SHEETS:
        ws = wb.create_sheet(sheet.name)
        columns = list(sheet.columns) + ([sheet.workload_columns] if sheet.workload_columns else [])
        for i, col in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=i, value=col.name)
            cell.font = Font(bold=True)
            cell.comment = Comment(column_note(col), "planner")
            ws.column_dimensions[cell.column_letter].width = max(14, len(col.name) + 4)
        ws.freeze_panes = "A2"
        if sheet.name == "Settings":
            for row, setting in enumerate(SETTINGS, start=2):
                ws.cell(row=row, column=1, value=setting.name).comment = Comment(column_note(setting), "planner")
                if setting.default is not None:
                    ws.cell(row=row, column=2, value=setting.default)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".template-", suffix=".xlsx.tmp", dir=path.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
