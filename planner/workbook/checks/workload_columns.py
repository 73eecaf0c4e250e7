"""Sheets with one column per workload (Demand, Throughput, Scenarios): match the columns to
the workloads and type each row's values."""

from __future__ import annotations

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker
from planner.workbook.reader import RawTable
from planner.workbook.schema import Column


def workload_table(table: RawTable, workloads: dict[str, I.Workload], chk: Checker,
                    key_col: Column) -> tuple[list[str], list[tuple[int, object, dict[str, float], dict]]]:
    """Rows of a sheet with one column per workload: (row, key, {workload: value}, raw record)."""
    sheet = table.sheet
    assert sheet.workload_columns is not None
    fixed = {c.name for c in sheet.columns}
    column_of: dict[str, str] = {}
    for name in table.columns:
        if name in fixed:
            continue
        match = name if name in workloads else next(
            (w for w in workloads if w.lower() == name.lower()), None)
        if match is None:
            chk.add(sheet.name, 1, name, None, "unknown column: not a workload of sheet Workloads")
        else:
            column_of[name] = match
    present = set(column_of.values())
    for w in workloads:
        if w not in present and sheet.every_workload:
            chk.add(sheet.name, 1, w, None, f"workload '{w}' has no column")
    spec = sheet.workload_columns
    out = []
    for row, raw in table.rows:
        key = chk.cell(sheet, row, key_col, raw)
        values: dict[str, float] = {}
        for name, w in column_of.items():
            col = Column(name, spec.kind, spec.unit, spec.description, spec.required, spec.default)
            v = chk.cell(sheet, row, col, raw)
            if v is not None:
                values[w] = float(v)  # type: ignore[arg-type]
        out.append((row, key, values, raw))
    return list(column_of.values()), out
