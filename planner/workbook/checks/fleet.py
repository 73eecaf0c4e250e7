"""Sheet ExistingFleet (optional): one row per owned batch, and the power it needs."""

from __future__ import annotations

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker, Row


def check_fleet(records: list[Row], hardware_names: set[str], site_names: set[str],
                chk: Checker) -> list[I.FleetBatch]:
    """Batches of known hardware at known sites."""
    fleet: list[I.FleetBatch] = []
    for row, r in records:
        ok = chk.ref("ExistingFleet", row, "hardware", r["hardware"], hardware_names, "Hardware")
        ok &= chk.ref("ExistingFleet", row, "site", r["site"], site_names, "Sites")
        if ok and chk.good("ExistingFleet", row):
            fleet.append(I.FleetBatch(r["hardware"], r["site"], r["units"], chk.idx(r["last_quarter"]), row))
    return fleet


def check_fleet_power(fleet: list[I.FleetBatch], hardware: dict[str, I.Hardware], sites: dict[str, I.Site],
                      chk: Checker) -> None:
    """The existing fleet must fit in existing power at q = 0 (kW <= 1000 x existing_mw)."""
    for site in sites.values():
        batches = [b for b in fleet if b.site == site.name and b.last_quarter >= 0 and b.hardware in hardware]
        kw = sum(b.units * hardware[b.hardware].power_kw for b in batches)
        if batches and kw > 1000.0 * site.existing_mw * (1 + 1e-9) + 1e-9:
            last = batches[-1]
            chk.add("ExistingFleet", last.row, "units", last.units,
                    f"existing fleet at {site.name} needs {kw / 1000:.3f} MW, more than its "
                    f"existing_mw {site.existing_mw:g}")
