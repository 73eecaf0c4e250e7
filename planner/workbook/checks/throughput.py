"""Sheet Throughput: one row per accelerator type, one column per workload (du per unit-quarter)."""

from __future__ import annotations

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker
from planner.workbook.checks.workload_columns import workload_table
from planner.workbook.reader import RawTable


def check_throughput(table: RawTable, workloads: dict[str, I.Workload], hardware: dict[str, I.Hardware],
                     hardware_names: set[str], chk: Checker) -> dict[tuple[str, str], float]:
    """du per accelerator-quarter by (hardware, workload); every hardware type needs a row."""
    throughput: dict[tuple[str, str], float] = {}
    _, rows = workload_table(table, workloads, chk, table.sheet.column("hardware"))
    seen: dict[str, int] = {}
    for row, h, values, _raw in rows:
        if not chk.ref("Throughput", row, "hardware", h, hardware_names, "Hardware"):
            continue
        if h in seen:
            chk.add("Throughput", row, "hardware", h, f"duplicate; first defined in row {seen[h]}")
            continue
        seen[h] = row  # type: ignore[index]
        for w, v in values.items():
            throughput[(h, w)] = v  # type: ignore[index]
    for name, hw in hardware.items():
        if name not in seen:
            chk.add("Hardware", hw.row, "hardware", name, "has no row in sheet Throughput")
    return throughput
