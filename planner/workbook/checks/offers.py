"""Sheet LeaseOffers: one row per lease contract that can be signed."""

from __future__ import annotations

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker, Row
from planner.workbook.quarters import label


def check_offers(records: list[Row], providers: dict[str, I.Provider], hardware: dict[str, I.Hardware],
                 hardware_names: set[str], chk: Checker) -> dict[str, I.LeaseOffer]:
    """Offers by name: known provider and hardware, not program hardware, first_sign <= last_sign."""
    offers: dict[str, I.LeaseOffer] = {}
    for row, r in chk.unique("LeaseOffers", records, "offer"):
        ok = chk.ref("LeaseOffers", row, "provider", r["provider"], providers, "Providers")
        ok &= chk.ref("LeaseOffers", row, "hardware", r["hardware"], hardware_names, "Hardware")
        hw = hardware.get(r["hardware"])
        if hw is not None and hw.program:
            chk.add("LeaseOffers", row, "hardware", r["hardware"],
                    f"belongs to ASIC program {hw.program}; programs are in-house and cannot be leased")
            ok = False
        fs, ls = r["first_sign"], r["last_sign"]
        if fs is not None and ls is not None and fs > ls:
            chk.add("LeaseOffers", row, "first_sign", label(fs), f"is after last_sign {label(ls)}")
            ok = False
        if not ok or not chk.good("LeaseOffers", row):
            continue
        offers[r["offer"]] = I.LeaseOffer(
            r["offer"], r["provider"], r["hardware"], r["block_units"], r["price_per_unit_quarter"],
            r["term"], r["lead_time"], chk.idx(fs), chk.idx(ls), r["max_blocks_per_quarter"], row)
    return offers
