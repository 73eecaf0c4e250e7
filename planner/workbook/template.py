"""``planner template``: an empty workbook with every sheet of the schema.

Each header carries a comment with the column's unit, default and meaning;
Settings lists every setting with its default. Data validation guides typing:
dropdowns for names defined in another sheet (and for ``kind``), 0..1 for
fractions, whole numbers for counts and quarters of lead time, numbers >= their
minimum elsewhere; each cell shows the column's meaning when selected.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from planner.workbook.schema import SETTINGS, SHEET_BY_NAME, SHEETS, Column

#: Rows of each sheet that carry data validation.
VALIDATED_ROWS = 1000


def validation_for(col: Column) -> DataValidation | None:
    """The Excel data validation of a column's cells, or None for free text."""
    dv: DataValidation | None = None
    if col.ref:
        owner = SHEET_BY_NAME[col.ref.lower()]
        dv = DataValidation(type="list", formula1=f"={owner.name}!$A$2:$A${VALIDATED_ROWS}", allow_blank=True)
    elif col.kind == "choice":
        dv = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"', allow_blank=True)
    elif col.kind == "fraction":
        dv = DataValidation(type="decimal", operator="between", formula1="0", formula2="1", allow_blank=True)
    elif col.kind == "integer":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1=f"{col.minimum:g}",
                            allow_blank=True)
    elif col.kind == "number":
        dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1=f"{col.minimum:g}",
                            allow_blank=True)
    elif col.kind == "year":
        dv = DataValidation(type="whole", operator="between", formula1="1900", formula2="9999", allow_blank=True)
    if dv is not None:
        dv.error = f"{col.name}: {column_note(col)}"[:255]
        dv.errorTitle = f"Invalid {col.name}"[:32]
        dv.showErrorMessage = True
    else:
        dv = DataValidation(type="custom", formula1="TRUE", allow_blank=True)  # input message only
    dv.prompt = column_note(col)[:255]
    dv.promptTitle = col.name[:32]
    dv.showInputMessage = True
    return dv


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
            if sheet.name != "Settings":
                dv = validation_for(col)
                if dv is not None:
                    ws.add_data_validation(dv)
                    dv.add(f"{cell.column_letter}2:{cell.column_letter}{VALIDATED_ROWS}")
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
