"""Sheet Scenarios (optional): one row per scenario of demand and slip (MODEL.md sections 7 and 10)."""

from __future__ import annotations

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker
from planner.workbook.checks.workload_columns import workload_table
from planner.workbook.reader import RawTable


def check_scenarios(table: RawTable | None, workloads: dict[str, I.Workload], chk: Checker) -> dict[str, I.Scenario]:
    """Scenarios of the optional sheet (probabilities must sum to 1)."""
    if table is None or not table.rows or not workloads:
        return {}
    sheet = table.sheet
    _, rows = workload_table(table, workloads, chk, sheet.column("scenario"))
    out: dict[str, I.Scenario] = {}
    for row, name, multipliers, raw in rows:
        probability = chk.cell(sheet, row, sheet.column("probability"), raw)
        slip = chk.cell(sheet, row, sheet.column("asic_slip_quarters"), raw)
        if name is None:
            continue
        if name in out:
            chk.add(sheet.name, row, "scenario", name, f"duplicate; first defined in row {out[name].row}")
            continue
        if probability is not None and slip is not None:
            out[name] = I.Scenario(name, probability, multipliers, slip, row)  # type: ignore[arg-type]
    total = sum(sc.probability for sc in out.values())
    if out and abs(total - 1.0) > 1e-6:
        chk.add(sheet.name, None, "probability", round(total, 9), "probabilities must sum to 1")
    return out
