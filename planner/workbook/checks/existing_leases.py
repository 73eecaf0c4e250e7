"""Sheet ExistingLeases (optional): one row per lease contract already signed."""

from __future__ import annotations

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker, Row
from planner.workbook.quarters import label


def check_existing_leases(records: list[Row], providers: dict[str, I.Provider], hardware_names: set[str],
                          chk: Checker) -> list[I.ExistingLease]:
    """Signed contracts of known providers and hardware, first_quarter <= last_quarter."""
    existing: list[I.ExistingLease] = []
    for row, r in records:
        ok = chk.ref("ExistingLeases", row, "provider", r["provider"], providers, "Providers")
        ok &= chk.ref("ExistingLeases", row, "hardware", r["hardware"], hardware_names, "Hardware")
        fq, lq = r["first_quarter"], r["last_quarter"]
        if fq is not None and lq is not None and fq > lq:
            chk.add("ExistingLeases", row, "first_quarter", label(fq), f"is after last_quarter {label(lq)}")
            ok = False
        if ok and chk.good("ExistingLeases", row):
            existing.append(I.ExistingLease(
                f"ExistingLeases row {row}", r["provider"], r["hardware"], r["units"],
                r["price_per_unit_quarter"], chk.idx(fq), chk.idx(lq), row))
    return existing
