"""Sheet LeaseOffers: one row per lease contract that can be signed."""

from __future__ import annotations

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker, Row


def check_offers(records: list[Row], providers: dict[str, I.Provider], hardware: dict[str, I.Hardware],
                 hardware_names: set[str], chk: Checker) -> dict[str, I.LeaseOffer]:
    """Offers by name: known provider and hardware, not program hardware, first_sign <= last_sign."""
    offers: dict[str, I.LeaseOffer] = {}
    for row, r in chk.unique("LeaseOffers", records, "offer"):
        ok = check_rented(chk, "LeaseOffers", row, r, providers, hardware, hardware_names,
                          "leased", ("first_sign", "last_sign"))
        if not ok or not chk.good("LeaseOffers", row):
            continue
        offers[r["offer"]] = I.LeaseOffer(
            r["offer"], r["provider"], r["hardware"], r["block_units"], r["price_per_unit_quarter"],
            r["term"], r["lead_time"], chk.idx(r["first_sign"]), chk.idx(r["last_sign"]),
            r["max_blocks_per_quarter"], row)
    return offers


def check_rented(chk: Checker, sheet: str, row: int, r: Row, providers: dict[str, I.Provider],
                 hardware: dict[str, I.Hardware], hardware_names: set[str], verb: str,
                 window: tuple[str, str]) -> bool:
    """A rented source (a lease offer, an on-demand row): a known provider and hardware, not the hardware
    of an ASIC program (programs are in-house), and its window's first quarter not after its last."""
    ok = chk.ref(sheet, row, "provider", r["provider"], providers, "Providers")
    ok &= chk.ref(sheet, row, "hardware", r["hardware"], hardware_names, "Hardware")
    hw = hardware.get(r["hardware"])
    if hw is not None and hw.program:
        chk.add(sheet, row, "hardware", r["hardware"],
                f"belongs to ASIC program {hw.program}; programs are in-house and cannot be {verb}")
        ok = False
    return chk.window(sheet, row, r, window) and ok
