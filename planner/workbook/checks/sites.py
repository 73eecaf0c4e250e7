"""Sheet Sites: one row per owned data-centre site."""

from __future__ import annotations

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker, Row


def check_sites(records: list[Row], chk: Checker) -> dict[str, I.Site]:
    """Sites by name."""
    sites: dict[str, I.Site] = {}
    for row, r in chk.unique("Sites", records, "site"):
        if not chk.good("Sites", row):
            continue
        sites[r["site"]] = I.Site(
            r["site"], r["existing_mw"], r["phase_mw"], r["max_phases"], r["capex_per_phase"],
            r["facility_life"], r["lead_time"], chk.idx(r["earliest_start"]),
            r["opex_per_mw_quarter"], r["pue"], r["power_price"], row)
    return sites
