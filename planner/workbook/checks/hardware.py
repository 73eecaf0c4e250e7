"""Sheet Hardware: one row per accelerator type."""

from __future__ import annotations

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker, Row


def check_hardware(records: list[Row], programs: dict[str, I.AsicProgram], chk: Checker) -> dict[str, I.Hardware]:
    """Hardware types by name; ``program`` must be a program of AsicPrograms."""
    hardware: dict[str, I.Hardware] = {}
    for row, r in chk.unique("Hardware", records, "hardware"):
        if r["program"] is not None:
            chk.ref("Hardware", row, "program", r["program"], programs, "AsicPrograms")
        if not chk.good("Hardware", row):
            continue
        hardware[r["hardware"]] = I.Hardware(
            r["hardware"], r["kind"], r["power_kw"] or 0.0, r["unit_capex"] or 0.0, r["life"],
            r["lead_time"], chk.idx(r["available_from"]), r["order_block"],
            r["max_order_per_quarter"], r["program"], row)
    return hardware
