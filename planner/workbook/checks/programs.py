"""Sheet AsicPrograms (optional): one row per in-house ASIC program."""

from __future__ import annotations

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker, Row


def check_programs(records: list[Row], chk: Checker) -> dict[str, I.AsicProgram]:
    """Programs by name (a blank delivery_confidence is 1; ``funded`` yes / no, blank no)."""
    return {
        r["program"]: I.AsicProgram(r["program"], r["nre_cost"] or 0.0, r["slip_quarters"] or 0,
                                    r["delivery_confidence"] if r["delivery_confidence"] is not None else 1.0, row,
                                    funded=r["funded"] == "yes")
        for row, r in chk.unique("AsicPrograms", records, "program")}
