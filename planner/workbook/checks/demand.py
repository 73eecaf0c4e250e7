"""Sheet Demand: one row per quarter, one column per workload (du)."""

from __future__ import annotations

import logging

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker
from planner.workbook.checks.workload_columns import workload_table
from planner.workbook.quarters import label
from planner.workbook.reader import RawTable

log = logging.getLogger(__name__)


def check_demand(table: RawTable, workloads: dict[str, I.Workload], horizon_ok: bool,
                 chk: Checker) -> dict[tuple[str, int], float]:
    """du by (workload, horizon index); every horizon quarter needs a row, others are ignored."""
    demand: dict[tuple[str, int], float] = {}
    _, rows = workload_table(table, workloads, chk, table.sheet.column("quarter"))
    seen: dict[int, int] = {}
    for row, quarter, values, _raw in rows:
        if quarter is None:
            continue
        if quarter in seen:
            chk.add("Demand", row, "quarter", label(quarter), f"duplicate; first defined in row {seen[quarter]}")
            continue
        seen[quarter] = row
        if horizon_ok and not chk.start <= quarter <= chk.end:
            log.warning("Demand row %d: quarter %s is outside the horizon and is ignored", row, label(quarter))
            continue
        for w, v in values.items():
            demand[(w, chk.idx(quarter))] = v
    if horizon_ok:
        missing = [label(q) for q in range(chk.start, chk.end + 1) if q not in seen]
        if missing:
            chk.add("Demand", None, "quarter", ", ".join(missing), "horizon quarters without a Demand row")
    return demand
