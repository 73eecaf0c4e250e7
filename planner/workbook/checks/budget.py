"""Sheet Budget (optional): one row per calendar year's capex limit."""

from __future__ import annotations

from planner.workbook.checks.cells import Checker, Row


def check_budget(records: list[Row], chk: Checker) -> dict[int, float]:
    """capex_max ($) by calendar year."""
    return {r["year"]: r["capex_max"] for _, r in chk.unique("Budget", records, "year") if r["capex_max"] is not None}
