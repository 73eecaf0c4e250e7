"""Write ``inputs/example.xlsx`` (a Meta-like planning case, 2026Q3 to 2032Q4) and
``inputs/example-risk.xlsx`` (the same with a scenario tree).

Run ``make example`` (or ``python inputs/make_example.py``) to regenerate it.
Every number's source or reasoning is in ``inputs/README.md``.
"""

from __future__ import annotations

from pathlib import Path

from planner.workbook.synthetic import write

QUARTERS = [f"{y}Q{q}" for y in range(2026, 2033) for q in range(1, 5)][2:]  # 2026Q3 .. 2032Q4

# du = one H100 for one quarter. Starting demand and quarterly growth per workload.
START_DU = {"training": 850_000, "inference": 550_000, "ranking": 380_000}
GROWTH = {"training": 1.075, "inference": 1.095, "ranking": 1.04}

SHEETS: dict[str, list[list[object]]] = {
    "Settings": [
        ["setting", "value"],
        ["start_quarter", "2026Q3"], ["end_quarter", "2032Q4"], ["discount_rate", 0.08],
        ["hours_per_quarter", 2190], ["mip_gap", 0.01], ["time_limit_s", 45],
    ],
    "Workloads": [
        ["workload", "reserve_margin", "unmet_penalty", "asic_share_max"],
        ["training", 0.05, 40000, 0.10],
        ["inference", 0.15, 60000, 0.50],
        ["ranking", 0.10, 80000, 0.90],
    ],
    "Demand": [["quarter", *START_DU]] + [
        [q, *[round(START_DU[w] * GROWTH[w] ** i, -2) for w in START_DU]] for i, q in enumerate(QUARTERS)
    ],
    "Hardware": [
        ["hardware", "kind", "power_kw", "unit_capex", "life", "lead_time", "available_from", "order_block",
         "max_order_per_quarter", "program"],
        ["H100", "gpu", 1.3, 30000, 20, 1, "2026Q3", 1024, 0, None],
        ["B200", "gpu", 1.9, 45000, 20, 2, "2026Q3", 1152, 40000, None],
        ["GB300", "gpu", 2.2, 60000, 20, 2, "2026Q3", 1152, 80000, None],
        ["VR200", "gpu", 2.8, 80000, 20, 3, "2027Q1", 1152, 100000, None],
        ["VR300", "gpu", 4.0, 110000, 20, 3, "2028Q3", 1152, 150000, None],
        ["TPU7", "asic", 1.5, 40000, 20, 2, "2026Q3", 4096, 0, None],
        ["MTIA300", "asic", 0.6, 8000, 16, 1, "2026Q3", 4096, 60000, "MTIA300"],
        ["MTIA400", "asic", 0.9, 12000, 16, 2, "2027Q1", 4096, 100000, "MTIA400"],
        ["MTIA450", "asic", 1.1, 15000, 16, 2, "2028Q1", 4096, 150000, "MTIA450"],
        ["MTIA500", "asic", 1.4, 20000, 16, 2, "2029Q3", 4096, 200000, "MTIA500"],
    ],
    "Throughput": [
        ["hardware", "training", "inference", "ranking"],
        ["H100", 1.0, 1.0, 1.0],
        ["B200", 2.5, 3.0, 2.0],
        ["GB300", 3.2, 4.0, 2.4],
        ["VR200", 5.0, 7.0, 4.0],
        ["VR300", 9.0, 13.0, 7.0],
        ["TPU7", 4.0, 5.0, 2.0],
        ["MTIA300", 0.0, 0.6, 1.2],
        ["MTIA400", 0.0, 2.0, 2.5],
        ["MTIA450", 0.3, 3.2, 3.5],
        ["MTIA500", 0.8, 5.0, 5.0],
    ],
    "Sites": [
        ["site", "existing_mw", "phase_mw", "max_phases", "capex_per_phase", "facility_life", "lead_time",
         "earliest_start", "opex_per_mw_quarter", "pue", "power_price"],
        ["LegacyFleet", 1000, 0, 0, 0, 60, 0, "2026Q3", 45000, 1.10, 70],
        ["Prometheus-OH", 400, 150, 3, 1.8e9, 60, 6, "2026Q3", 50000, 1.15, 75],
        ["Hyperion-LA", 0, 250, 10, 3.0e9, 60, 8, "2026Q3", 45000, 1.15, 62],
        ["ElPaso-TX", 0, 200, 5, 2.4e9, 60, 8, "2027Q1", 45000, 1.20, 58],
    ],
    "Providers": [
        ["provider", "max_share"],
        ["GPUCloud", 0.35],
        ["Hyperscaler", 0.30],
        ["TPUCloud", 0.15],
        ["NeoCloud", 0.10],
    ],
    "LeaseOffers": [
        ["offer", "provider", "hardware", "block_units", "price_per_unit_quarter", "term", "lead_time",
         "first_sign", "last_sign", "max_blocks_per_quarter"],
        ["gpucloud-vr200-16q", "GPUCloud", "VR200", 1152, 14500, 16, 2, "2026Q3", "2030Q4", 32],
        ["gpucloud-gb300-8q", "GPUCloud", "GB300", 1152, 11500, 8, 1, "2026Q3", "2028Q4", 20],
        ["hyperscaler-gb300-12q", "Hyperscaler", "GB300", 1152, 11000, 12, 1, "2026Q3", "2029Q4", 20],
        ["hyperscaler-b200-4q", "Hyperscaler", "B200", 1152, 9500, 4, 0, "2026Q3", "2028Q4", 20],
        ["tpucloud-tpu7-12q", "TPUCloud", "TPU7", 2048, 9500, 12, 2, "2027Q1", "2030Q4", 16],
        ["neocloud-vr200-8q", "NeoCloud", "VR200", 1152, 15500, 8, 1, "2027Q1", "2031Q4", 10],
    ],
    "AsicPrograms": [
        ["program", "nre_cost", "slip_quarters", "delivery_confidence", "funded"],
        ["MTIA300", 50e6, 0, 1.0, "yes"],
        ["MTIA400", 500e6, 1, 0.9, "no"],
        ["MTIA450", 700e6, 2, 0.8, "no"],
        ["MTIA500", 1.0e9, 2, 0.7, "no"],
    ],
    "ExistingFleet": [
        ["hardware", "site", "units", "first_quarter", "last_quarter", "resale_value"],
        ["H100", "LegacyFleet", 350000, None, "2028Q4", 9000],
        ["B200", "LegacyFleet", 200000, None, "2030Q2", 24000],
        ["GB300", "Prometheus-OH", 150000, None, "2031Q2", None],
        ["GB300", "Prometheus-OH", 27648, "2026Q4", "2031Q3", None],
        ["VR200", "Prometheus-OH", 46080, "2027Q2", "2032Q1", None],
    ],
    "OnDemand": [
        ["provider", "hardware", "price_per_unit_quarter", "max_units", "first_quarter", "last_quarter"],
        ["Hyperscaler", "B200", 14250, 30000, None, None],
        ["GPUCloud", "GB300", 17250, 20000, None, None],
        ["GPUCloud", "VR200", 21750, 20000, "2027Q1", None],
    ],
    "CommittedPhases": [
        ["site", "phases", "online_quarter"],
        ["Prometheus-OH", 1, "2027Q1"],
        ["Hyperion-LA", 2, "2028Q1"],
    ],
    "ExistingLeases": [
        ["provider", "hardware", "units", "price_per_unit_quarter", "first_quarter", "last_quarter"],
        ["GPUCloud", "GB300", 65000, 9000, "2025Q4", "2031Q4"],
        ["GPUCloud", "VR200", 57000, 14000, "2026Q4", "2032Q4"],
        ["NeoCloud", "B200", 15000, 10000, "2025Q4", "2030Q3"],
        ["Hyperscaler", "B200", 30000, 9000, "2025Q4", "2031Q3"],
    ],
    "Budget": [
        ["year", "capex_max"],
        [2026, 6e9], [2027, 14e9], [2028, 60e9], [2029, 70e9], [2030, 80e9], [2031, 80e9], [2032, 80e9],
    ],
}


#: ``example-risk.xlsx``: the same data with a scenario tree (MODEL.md section 10). Columns: scenario,
#: probability, demand multipliers, asic slip, branch_of, branch_quarter, build / delivery / lease slip,
#: failed programs. Reasoning in inputs/README.md.
SCENARIOS = [
    ["scenario", "probability", "asic_slip_quarters", "branch_of", "branch_quarter", "build_slip_quarters",
     "delivery_slip_quarters", "lease_slip_quarters", "failed_programs"],
    ["base", 0.40, 0, None, None, 0, 0, 0, None],
    ["mtia450-fails", 0.15, 0, "base", "2027Q4", 0, 0, 0, "MTIA450"],
    ["late-halls", 0.15, 0, "base", "2027Q2", 2, 1, 0, None],
    ["demand-high", 0.20, 0, "base", "2028Q1", 0, 0, 0, None],
    ["demand-low", 0.10, 0, "base", "2028Q1", 0, 0, 0, None],
]
#: Demand from 2028Q1 on in the two demand scenarios, as multiples of the base forecast (ScenarioDemand:
#: until 2028 the forecast is the same in every scenario, and what is learned in 2028 is the growth after it).
DEMAND_FROM_2028 = {"demand-high": {"training": 1.25, "inference": 1.30, "ranking": 1.10},
                    "demand-low": {"training": 0.80, "inference": 0.75, "ranking": 0.95}}
RISK_SETTINGS = [["time_limit_s", 120]]
#: MODEL.md 12 in example-risk.xlsx: GPUCloud's Vera Rubin capacity can be signed only until 2027Q4 (later
#: capacity is contracted to others) unless reserved by an expansion option bought with the 2026 expansion and
#: exercised in 2028Q1-2030Q4; MTIA450's $700M split into funding ($200M, design and tape-out), a small-scale test
#: in 2027Q4 ($100M) and mass production in 2028Q2 ($400M). Reasoning in inputs/README.md.
VR200_LAST_SIGN = "2027Q4"
LEASE_OPTIONS = [
    ["option", "offer", "fee_per_block", "buy_first", "buy_last", "exercise_first", "exercise_last", "max_blocks"],
    ["gpucloud-vr200-expansion", "gpucloud-vr200-16q", 4e6, "2026Q3", "2026Q4", "2028Q1", "2030Q4", 64],
]
PROGRAM_GATES = [
    ["program", "gate", "quarter", "cost"],
    ["MTIA450", "small-scale test", "2027Q4", 100e6],
    ["MTIA450", "mass production", "2028Q2", 400e6],
]
MTIA450_FUNDING = 200e6


def risk_sheets() -> dict[str, list[list[object]]]:
    """The sheets of example-risk.xlsx: the example's, a scenario tree, its demand from 2028, a 120 s limit, a
    lease expansion option and MTIA450 funded gate by gate."""
    sheets = {name: [list(row) for row in rows] for name, rows in SHEETS.items()}
    sheets["AsicPrograms"] = [[r[0], MTIA450_FUNDING, *r[2:]] if r[0] == "MTIA450" else r
                              for r in sheets["AsicPrograms"]]
    sheets["LeaseOffers"] = [[*r[:8], VR200_LAST_SIGN, r[9]] if r[0] == "gpucloud-vr200-16q" else r
                             for r in sheets["LeaseOffers"]]
    sheets["LeaseOptions"] = LEASE_OPTIONS
    sheets["ProgramGates"] = PROGRAM_GATES
    sheets["Settings"] = [row for row in sheets["Settings"] if row[0] != "time_limit_s"] + RISK_SETTINGS
    sheets["Scenarios"] = SCENARIOS
    demand = SHEETS["Demand"]
    sheets["ScenarioDemand"] = [["scenario", *demand[0]]] + [
        [name, q, *[round(du * mult[w], -2) for w, du in zip(demand[0][1:], rest)]]
        for name, mult in DEMAND_FROM_2028.items() for q, *rest in demand[1:] if q >= "2028Q1"]
    return sheets


def main() -> None:
    for name, sheets in (("example.xlsx", SHEETS), ("example-risk.xlsx", risk_sheets())):
        out = write(sheets, Path(__file__).with_name(name))
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
