"""Sheet OnDemand (optional): capacity rented by the quarter without commitment (MODEL.md 11)."""

from __future__ import annotations

from collections import Counter

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker, Row
from planner.workbook.checks.offers import check_rented


def check_ondemand(records: list[Row], providers: dict[str, I.Provider], hardware: dict[str, I.Hardware],
                   hardware_names: set[str], chk: Checker) -> list[I.OnDemandSource]:
    """Sources of a known provider and hardware that is not of an ASIC program (programs are in-house),
    ``first_quarter`` not after ``last_quarter``. Prices and ``max_units`` >= 0 come from the schema.
    A source is named ``<provider> <hardware>``, with ``(OnDemand row N)`` added when two rows share both."""
    out: list[I.OnDemandSource] = []
    pairs = Counter((r["provider"], r["hardware"]) for _, r in records)
    for row, r in records:
        ok = check_rented(chk, "OnDemand", row, r, providers, hardware, hardware_names,
                          "rented", ("first_quarter", "last_quarter"))
        if not ok or not chk.good("OnDemand", row):
            continue
        name = f"{r['provider']} {r['hardware']}"
        if pairs[r["provider"], r["hardware"]] > 1:
            name += f" (OnDemand row {row})"
        out.append(I.OnDemandSource(name, r["provider"], r["hardware"], r["price_per_unit_quarter"],
                                    r["max_units"], chk.idx(r["first_quarter"]), chk.idx(r["last_quarter"]), row))
    return out
