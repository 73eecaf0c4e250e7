"""Sheet LeaseOptions (optional): lease expansion options (MODEL.md 12)."""

from __future__ import annotations

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker, Row


def check_options(records: list[Row], offer_names: set[str], chk: Checker) -> dict[str, I.LeaseOption]:
    """Options by name: a known offer, buy and exercise windows whose first quarter is not after their last.
    ``fee_per_block`` and ``max_blocks`` >= 0 come from the schema; blank windows are the horizon's."""
    out: dict[str, I.LeaseOption] = {}
    for row, r in chk.unique("LeaseOptions", records, "option"):
        ok = chk.ref("LeaseOptions", row, "offer", r["offer"], offer_names, "LeaseOffers")
        ok &= chk.window("LeaseOptions", row, r, ("buy_first", "buy_last"))
        ok &= chk.window("LeaseOptions", row, r, ("exercise_first", "exercise_last"))
        if not ok or not chk.good("LeaseOptions", row):
            continue
        out[r["option"]] = I.LeaseOption(
            r["option"], r["offer"], r["fee_per_block"], chk.idx(r["buy_first"]), chk.idx(r["buy_last"]),
            chk.idx(r["exercise_first"]), chk.idx(r["exercise_last"]), r["max_blocks"], row)
    return out
