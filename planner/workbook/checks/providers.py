"""Sheet Providers: one row per cloud provider."""

from __future__ import annotations

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker, Row


def check_providers(records: list[Row], chk: Checker) -> dict[str, I.Provider]:
    """Providers by name (a blank max_share is 1)."""
    return {r["provider"]: I.Provider(r["provider"], r["max_share"] if r["max_share"] is not None else 1.0, row)
            for row, r in chk.unique("Providers", records, "provider")}
