"""Sheet ScenarioDemand (optional): demand of one scenario in one quarter (MODEL.md 10)."""

from __future__ import annotations

import logging

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker
from planner.workbook.checks.workload_columns import workload_table
from planner.workbook.quarters import label
from planner.workbook.reader import RawTable

log = logging.getLogger(__name__)
SHEET = "ScenarioDemand"


def check_scenario_demand(table: RawTable | None, workloads: dict[str, I.Workload], scenario_names: set[str],
                          horizon_ok: bool, chk: Checker) -> dict[tuple[str, str, int], float]:
    """du by (scenario, workload, horizon index) for the filled cells; a scenario and quarter at most
    once; rows outside the horizon are ignored with a warning."""
    if table is None or not table.rows or not workloads:
        return {}
    sheet = table.sheet
    _, rows = workload_table(table, workloads, chk, sheet.column("quarter"))
    out: dict[tuple[str, str, int], float] = {}
    seen: dict[tuple[object, int], int] = {}
    for row, quarter, values, raw in rows:
        scenario = chk.cell(sheet, row, sheet.column("scenario"), raw)
        known = chk.ref(SHEET, row, "scenario", scenario, scenario_names, "Scenarios")
        if quarter is None or not known:
            continue
        if (scenario, quarter) in seen:
            chk.add(SHEET, row, "quarter", label(quarter),  # type: ignore[arg-type]
                    f"duplicate of scenario {scenario} in this quarter; first defined in row {seen[scenario, quarter]}")
            continue
        seen[scenario, quarter] = row  # type: ignore[index]
        if horizon_ok and not chk.start <= quarter <= chk.end:  # type: ignore[operator]
            log.warning("ScenarioDemand row %d: quarter %s is outside the horizon and is ignored", row, label(quarter))
            continue
        for w, v in values.items():
            out[scenario, w, chk.idx(quarter)] = v  # type: ignore[index,arg-type]
    return out
