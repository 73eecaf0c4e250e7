"""Sheet ExistingFleet (optional): one row per owned or ordered batch, and the power it needs."""

from __future__ import annotations

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker, Row
from planner.workbook.quarters import label


def check_fleet(records: list[Row], hardware_names: set[str], site_names: set[str],
                chk: Checker) -> list[I.FleetBatch]:
    """Batches of known hardware at known sites; ``first_quarter`` (blank: in service already)
    not after ``last_quarter``."""
    fleet: list[I.FleetBatch] = []
    for row, r in records:
        ok = chk.ref("ExistingFleet", row, "hardware", r["hardware"], hardware_names, "Hardware")
        ok &= chk.ref("ExistingFleet", row, "site", r["site"], site_names, "Sites")
        first, last = r["first_quarter"], r["last_quarter"]
        if first is not None and last is not None and first > last:
            chk.add("ExistingFleet", row, "first_quarter", label(first), f"is after last_quarter {label(last)}")
            ok = False
        if ok and chk.good("ExistingFleet", row):
            fleet.append(I.FleetBatch(r["hardware"], r["site"], r["units"], chk.idx(last), row,
                                      None if first is None else chk.idx(first)))
    return fleet


def check_fleet_power(fleet: list[I.FleetBatch], committed: list[I.CommittedPhase],
                      hardware: dict[str, I.Hardware], sites: dict[str, I.Site],
                      scenarios: dict[str, I.Scenario], chk: Checker) -> None:
    """The fleet in service at a site fits its power in every quarter and scenario (MODEL.md 2, 9, 10):
    sum of units x power_kw <= 1000 x (existing_mw + phase_mw x committed phases online), with each
    scenario's delivery and build slips. One problem per site, at its first quarter short of power."""
    n = chk.end - chk.start + 1
    for site in sites.values():
        batches = [b for b in fleet if b.site == site.name and b.hardware in hardware]
        phases = [c for c in committed if c.site == site.name]
        for name, sc in scenarios.items():
            short = _first_short_quarter(site, batches, phases, hardware, sc, n)
            if short is None:
                continue
            q, kw, mw, batch = short
            where = f" in scenario {name}" if len(scenarios) > 1 else ""
            chk.add("ExistingFleet", batch.row, "units", batch.units,
                    f"existing fleet at {site.name} needs {kw / 1000:.3f} MW in {label(chk.start + q)}{where}, "
                    f"more than its existing_mw plus committed phases online ({mw:g} MW)")
            break


def _first_short_quarter(site: I.Site, batches: list[I.FleetBatch], phases: list[I.CommittedPhase],
                         hardware: dict[str, I.Hardware], sc: I.Scenario, n: int):
    """(quarter, kW needed, MW online, last batch in service) of the first quarter short of power, or None."""
    for q in range(n):
        in_service = [b for b in batches if q in b.quarters(n, sc)]
        kw = sum(b.units * hardware[b.hardware].power_kw for b in in_service)
        mw = site.existing_mw + site.phase_mw * sum(c.phases for c in phases if c.online_from(sc) <= q)
        if in_service and kw > 1000.0 * mw * (1 + 1e-9) + 1e-9:
            return q, kw, mw, in_service[-1]
    return None
