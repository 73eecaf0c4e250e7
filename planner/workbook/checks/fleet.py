"""Sheet ExistingFleet (optional): one row per owned or ordered batch, and the power it would need."""

from __future__ import annotations

import logging

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker, Row
from planner.workbook.quarters import label

log = logging.getLogger("planner")


def check_fleet(records: list[Row], hardware_names: set[str], site_names: set[str],
                chk: Checker) -> list[I.FleetBatch]:
    """Batches of known hardware at known sites; ``first_quarter`` (blank: in service already)
    not after ``last_quarter``; a ``resale_value`` only on a batch in service at start_quarter
    (MODEL.md 11: one still to arrive cannot be sold). A ``resale_value`` of 0 on a batch still to arrive
    is read as blank, with a warning: retiring for nothing what may wait unpowered changes no plan (the
    shared conformance workbook s11-701 has one)."""
    fleet: list[I.FleetBatch] = []
    for row, r in records:
        ok = chk.ref("ExistingFleet", row, "hardware", r["hardware"], hardware_names, "Hardware")
        ok &= chk.ref("ExistingFleet", row, "site", r["site"], site_names, "Sites")
        first, last = r["first_quarter"], r["last_quarter"]
        if first is not None and last is not None and first > last:
            chk.add("ExistingFleet", row, "first_quarter", label(first), f"is after last_quarter {label(last)}")
            ok = False
        resale = r["resale_value"]
        if resale is not None and first is not None and first > chk.start:
            log.warning("ExistingFleet row %d: resale_value %s of a batch that arrives in %s is ignored: only a "
                        "batch in service at start_quarter may be sold", row, resale, label(first))
            resale = None
        if ok and chk.good("ExistingFleet", row):
            fleet.append(I.FleetBatch(r["hardware"], r["site"], r["units"], chk.idx(last), row,
                                      None if first is None else chk.idx(first), resale))
    return fleet


def warn_fleet_power(inp: I.Inputs) -> list[str]:
    """Warnings (logged and returned) for a fleet in service that needs more power than its site has
    in some quarter and scenario: sum of units x power_kw > 1000 x (existing_mw + phase_mw x committed
    phases online), with each scenario's slips. Since MODEL.md 11 this is not an error: the part that
    does not fit waits unpowered (unless the plan builds, or sells, its way out). One warning per site
    and scenario, at its first quarter short of power."""
    out = []
    for site in inp.sites.values():
        batches = [b for b in inp.fleet if b.site == site.name]
        phases = [c for c in inp.committed if c.site == site.name]
        for name, sc in inp.scenarios.items():
            short = _first_short_quarter(site, batches, phases, inp.hardware, sc, inp.n)
            if short is None:
                continue
            q, kw, mw, batch = short
            where = f" in scenario {name}" if len(inp.scenarios) > 1 else ""
            out.append(f"ExistingFleet row {batch.row}: the fleet at {site.name} needs {kw / 1000:,.3f} MW in "
                       f"{inp.quarter_label(q)}{where}, more than its existing_mw plus committed phases online "
                       f"({mw:g} MW): what does not fit waits unpowered unless the plan adds power or sells it")
    for message in out:
        log.warning(message)
    return out


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
