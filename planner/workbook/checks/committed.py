"""Sheet CommittedPhases (optional): build phases already under construction (MODEL.md 9)."""

from __future__ import annotations

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker, Row


def check_committed(records: list[Row], sites: dict[str, I.Site], site_names: set[str],
                    chk: Checker) -> list[I.CommittedPhase]:
    """Batches of phases at known sites with a positive ``phase_mw``."""
    out: list[I.CommittedPhase] = []
    for row, r in records:
        ok = chk.ref("CommittedPhases", row, "site", r["site"], site_names, "Sites")
        site = sites.get(r["site"])
        if site is not None and not site.phase_mw > 0:
            chk.add("CommittedPhases", row, "site", r["site"],
                    f"site has no phase_mw (MW per phase) in sheet Sites (row {site.row})")
            ok = False
        if ok and chk.good("CommittedPhases", row):
            out.append(I.CommittedPhase(r["site"], r["phases"], chk.idx(r["online_quarter"]), row))
    return out
