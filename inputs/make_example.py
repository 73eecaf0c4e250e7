"""Write ``inputs/example.xlsx``: a first example that uses every sheet.

Run ``make example`` (or ``python inputs/make_example.py``) to regenerate it.
Figures are rounded, illustrative assumptions (see inputs/README.md).
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

QUARTERS = [f"{y}Q{q}" for y in range(2026, 2029) for q in range(1, 5)][2:]  # 2026Q3 .. 2028Q4

SHEETS: dict[str, list[list[object]]] = {
    "Settings": [
        ["setting", "value"],
        ["start_quarter", "2026Q3"], ["end_quarter", "2028Q4"], ["discount_rate", 0.08],
        ["hours_per_quarter", 2190], ["mip_gap", 0.001], ["time_limit_s", 120],
    ],
    "Workloads": [
        ["workload", "reserve_margin", "unmet_penalty", "asic_share_max"],
        ["training", 0.10, 60000, 0.0],
        ["inference", 0.15, 40000, 0.6],
        ["ranking", 0.05, 30000, 1.0],
    ],
    "Demand": [["quarter", "training", "inference", "ranking"]] + [
        [q, round(12000 * 1.12 ** i), round(8000 * 1.09 ** i), round(6000 * 1.05 ** i)]
        for i, q in enumerate(QUARTERS)
    ],
    "Hardware": [
        ["hardware", "kind", "power_kw", "unit_capex", "life", "lead_time", "available_from", "order_block",
         "max_order_per_quarter", "program"],
        ["H100", "gpu", 1.3, 30000, 20, 1, "2026Q3", 512, 4096, None],
        ["GB300", "gpu", 2.0, 55000, 20, 2, "2026Q4", 576, 6912, None],
        ["VR200", "gpu", 2.6, 75000, 20, 3, "2027Q2", 576, None, None],
        ["MTIA400", "asic", 0.9, 9000, 16, 2, "2027Q1", 1024, 16384, "MTIA"],
    ],
    "Throughput": [
        ["hardware", "training", "inference", "ranking"],
        ["H100", 1.0, 1.0, 1.0],
        ["GB300", 2.5, 3.0, 2.0],
        ["VR200", 5.0, 7.0, 4.0],
        ["MTIA400", 0.0, 1.6, 2.2],
    ],
    "Sites": [
        ["site", "existing_mw", "phase_mw", "max_phases", "capex_per_phase", "facility_life", "lead_time",
         "earliest_start", "opex_per_mw_quarter", "pue", "power_price"],
        ["Prineville", 12, 30, 2, 330e6, 60, 5, "2026Q3", 50000, 1.15, 60],
        ["NewAlbany", 0, 20, 3, 220e6, 60, 4, "2026Q3", 45000, 1.20, 55],
    ],
    "Providers": [
        ["provider", "max_share"],
        ["GPUCloud", 0.45],
        ["Hyperscaler", 0.35],
    ],
    "LeaseOffers": [
        ["offer", "provider", "hardware", "block_units", "price_per_unit_quarter", "term", "lead_time",
         "first_sign", "last_sign", "max_blocks_per_quarter"],
        ["gpucloud-vr-8q", "GPUCloud", "VR200", 576, 14500, 8, 1, "2027Q1", "2028Q4", 8],
        ["gpucloud-h100-4q", "GPUCloud", "H100", 512, 5200, 4, 0, "2026Q3", "2028Q2", 6],
        ["hyperscaler-gb300-12q", "Hyperscaler", "GB300", 576, 9800, 12, 1, "2026Q3", "2028Q1", 6],
    ],
    "AsicPrograms": [
        ["program", "nre_cost", "slip_quarters", "delivery_confidence"],
        ["MTIA", 300e6, 1, 0.85],
    ],
    "ExistingFleet": [
        ["hardware", "site", "units", "last_quarter"],
        ["H100", "Prineville", 6000, "2027Q4"],
    ],
    "ExistingLeases": [
        ["provider", "hardware", "units", "price_per_unit_quarter", "first_quarter", "last_quarter"],
        ["GPUCloud", "H100", 4096, 4800, "2025Q2", "2028Q1"],
    ],
    "Budget": [
        ["year", "capex_max"],
        [2026, 900e6], [2027, 1500e6], [2028, 1500e6],
    ],
}


def main() -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in SHEETS.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    out = Path(__file__).with_name("example.xlsx")
    wb.save(out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
