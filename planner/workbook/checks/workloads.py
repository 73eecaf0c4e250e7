"""Sheet Workloads: one row per workload and its service rules."""

from __future__ import annotations

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker, Row


def check_workloads(records: list[Row], sheet_present: bool, chk: Checker) -> dict[str, I.Workload]:
    """Workloads by name; a present sheet without a workload is a problem."""
    workloads = {
        r["workload"]: I.Workload(r["workload"], r["reserve_margin"] or 0.0,
                                  r["unmet_penalty"] or 0.0, r["asic_share_max"] or 0.0, row)
        for row, r in chk.unique("Workloads", records, "workload")}
    if sheet_present and not workloads:
        chk.add("Workloads", None, None, None, "no workload is defined")
    return workloads
