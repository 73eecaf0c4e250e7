"""Sheet OnDemand (optional): capacity rented by the quarter without commitment (MODEL.md 11)."""

from __future__ import annotations

from collections import Counter

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker, Row
from planner.workbook.quarters import label


def check_ondemand(records: list[Row], providers: dict[str, I.Provider], hardware: dict[str, I.Hardware],
                   hardware_names: set[str], chk: Checker) -> list[I.OnDemandSource]:
    """Sources of a known provider and hardware that is not of an ASIC program (programs are in-house),
    ``first_quarter`` not after ``last_quarter``. Prices and ``max_units`` >= 0 come from the schema.
    A source is named ``<provider> <hardware>``, with ``(OnDemand row N)`` added when two rows share both."""
    out: list[I.OnDemandSource] = []
    pairs = Counter((r["provider"], r["hardware"]) for _, r in records)
    for row, r in records:
        ok = chk.ref("OnDemand", row, "provider", r["provider"], providers, "Providers")
        ok &= chk.ref("OnDemand", row, "hardware", r["hardware"], hardware_names, "Hardware")
        hw = hardware.get(r["hardware"])
        if hw is not None and hw.program:
            chk.add("OnDemand", row, "hardware", r["hardware"],
                    f"belongs to ASIC program {hw.program}; programs are in-house and cannot be rented")
            ok = False
        first, last = r["first_quarter"], r["last_quarter"]
        if first is not None and last is not None and first > last:
            chk.add("OnDemand", row, "first_quarter", label(first), f"is after last_quarter {label(last)}")
            ok = False
        if not ok or not chk.good("OnDemand", row):
            continue
        name = f"{r['provider']} {r['hardware']}"
        if pairs[r["provider"], r["hardware"]] > 1:
            name += f" (OnDemand row {row})"
        out.append(I.OnDemandSource(name, r["provider"], r["hardware"], r["price_per_unit_quarter"],
                                    r["max_units"], chk.idx(first), chk.idx(last), row))
    return out
