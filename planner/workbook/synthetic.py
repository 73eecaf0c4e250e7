"""Seeded synthetic workbooks in the MODEL.md format, for tests and benchmarks.

``generate(Size(...), seed)`` returns sheets as lists of rows (header first);
``write(sheets, path)`` saves them as a real .xlsx. The numbers are plausible
orders of magnitude (H100-class GPUs at $25-80k, 0.9-2.6 kW, leases at
$3-15k per accelerator-quarter), not data.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from planner.workbook.quarters import label

Sheets = dict[str, list[list[object]]]

WORKLOADS = ["training", "inference", "ranking", "embedding", "video"]
GPUS = [("H100", 1.3, 30000, 1.0, 1.0, 1.0), ("B200", 1.9, 48000, 2.5, 3.0, 2.0),
        ("GB300", 2.1, 60000, 3.2, 3.8, 2.4), ("VR200", 2.6, 70000, 5.0, 7.0, 4.0)]


@dataclass(frozen=True)
class Size:
    """Size knobs of a synthetic case."""

    quarters: int = 8
    workloads: int = 2
    hardware: int = 3  # GPU types (at most 4)
    sites: int = 1
    offers: int = 2
    programs: int = 1  # each with one ASIC type
    fleet: bool = True
    existing_leases: bool = True
    budget: bool = False
    scenarios: int = 0  # 0: no Scenarios sheet
    demand_scale: float = 1.0
    risk_aversion: float = 0.0
    tree: bool = False  # branch columns, slips, failed programs, a ScenarioDemand row (MODEL.md 10)
    pipeline: bool = False  # a fleet batch still to arrive, committed phases, a funded program (MODEL.md 9)


def generate(size: Size, seed: int) -> Sheets:
    """A valid workbook of the given size; the same (size, seed) gives the same workbook."""
    rnd = random.Random(seed)
    start = 4 * 2026 + 2  # 2026Q3
    q_labels = [label(start + i) for i in range(size.quarters)]
    workloads = WORKLOADS[: max(1, min(size.workloads, len(WORKLOADS)))]
    s: Sheets = {}
    s["Settings"] = [["setting", "value"], ["start_quarter", q_labels[0]], ["end_quarter", q_labels[-1]],
                     ["discount_rate", rnd.choice([0.0, 0.06, 0.08, 0.1])], ["hours_per_quarter", 2190],
                     ["mip_gap", 1e-6], ["time_limit_s", 60]]
    if size.scenarios:
        s["Settings"] += [["risk_aversion", size.risk_aversion], ["cvar_alpha", 0.8]]
    s["Workloads"] = [["workload", "reserve_margin", "unmet_penalty", "asic_share_max"]]
    for i, w in enumerate(workloads):
        s["Workloads"].append([w, rnd.choice([0.0, 0.05, 0.1]), rnd.choice([20000, 40000, 80000]),
                               0.0 if i == 0 else rnd.choice([0.5, 0.8, 1.0])])
    base = {w: rnd.uniform(3000, 12000) * size.demand_scale for w in workloads}
    growth = {w: rnd.uniform(1.0, 1.1) for w in workloads}
    s["Demand"] = [["quarter", *workloads]] + [
        [ql, *[round(base[w] * growth[w] ** i) for w in workloads]] for i, ql in enumerate(q_labels)]
    gpus = GPUS[: max(1, min(size.hardware, len(GPUS)))]
    s["Hardware"] = [["hardware", "kind", "power_kw", "unit_capex", "life", "lead_time", "available_from",
                      "order_block", "max_order_per_quarter", "program"]]
    s["Throughput"] = [["hardware", *workloads]]
    for i, (name, kw, capex, *rates) in enumerate(gpus):
        s["Hardware"].append([name, "gpu", kw, round(capex * rnd.uniform(0.85, 1.15)), 20, rnd.randint(1, 3),
                              q_labels[min(i, size.quarters - 1)], rnd.choice([256, 512]),
                              rnd.choice([None, 4096, 8192]), None])
        s["Throughput"].append([name, *[rates[j % 3] for j in range(len(workloads))]])
    if size.programs:
        s["AsicPrograms"] = [["program", "nre_cost", "slip_quarters", "delivery_confidence"]]
        for p in range(size.programs):
            prog = f"MTIA{p + 4}"
            s["AsicPrograms"].append([prog, rnd.choice([1e8, 3e8, 6e8]), rnd.randint(0, 2),
                                      rnd.choice([0.7, 0.85, 1.0])])
            s["Hardware"].append([f"{prog}00", "asic", 0.9, round(rnd.uniform(7000, 10000)), 16, 2,
                                  q_labels[min(1 + p, size.quarters - 1)], 1024, rnd.choice([None, 30000]), prog])
            s["Throughput"].append([f"{prog}00", *[0 if j == 0 else rnd.choice([1.6, 2.2])
                                                   for j in range(len(workloads))]])
    s["Sites"] = [["site", "existing_mw", "phase_mw", "max_phases", "capex_per_phase", "facility_life",
                   "lead_time", "earliest_start", "opex_per_mw_quarter", "pue", "power_price"]]
    for i in range(max(1, size.sites)):
        s["Sites"].append([f"site{i}", rnd.choice([0, 10, 20]), rnd.choice([10, 20, 40]), rnd.randint(1, 4),
                           round(rnd.uniform(8e6, 1.2e7)) * rnd.choice([10, 20, 40]) // 2, 60, rnd.randint(2, 6),
                           q_labels[0], round(rnd.uniform(30000, 60000)), rnd.choice([1.1, 1.2, 1.3]),
                           round(rnd.uniform(40, 80), 1)])
    s["Providers"] = [["provider", "max_share"], ["CloudA", rnd.choice([0.4, 0.6, 1.0])], ["CloudB", 1.0]]
    s["LeaseOffers"] = [["offer", "provider", "hardware", "block_units", "price_per_unit_quarter", "term",
                         "lead_time", "first_sign", "last_sign", "max_blocks_per_quarter"]]
    for i in range(size.offers):
        name, kw, capex, *_ = rnd.choice(gpus)
        first = rnd.randint(0, max(0, size.quarters // 2))
        s["LeaseOffers"].append([f"off{i}", rnd.choice(["CloudA", "CloudB"]), name, rnd.choice([256, 512, 1024]),
                                 round(capex / 8 * rnd.uniform(0.8, 1.3), 2), rnd.choice([4, 8, 12, 16]),
                                 rnd.randint(0, 2), q_labels[first], q_labels[-1], rnd.choice([None, 4, 10])])
    if size.fleet:
        units = round(min(2000.0 * rnd.randint(1, 4), 1000 * float(s["Sites"][1][1]) / 1.3))
        s["ExistingFleet"] = [["hardware", "site", "units", "last_quarter"],
                              ["H100", "site0", units, q_labels[min(size.quarters - 1, rnd.randint(2, 6))]]]
    if size.existing_leases:
        s["ExistingLeases"] = [["provider", "hardware", "units", "price_per_unit_quarter", "first_quarter",
                                "last_quarter"],
                               ["CloudA", "H100", rnd.choice([1000, 3000]), 4000, q_labels[0],
                                q_labels[min(size.quarters - 1, rnd.randint(2, 8))]]]
    if size.budget:
        years = sorted({int(q[:4]) for q in q_labels})
        s["Budget"] = [["year", "capex_max"]] + [[y, round(rnd.uniform(0.8e9, 2.5e9))] for y in years]
    if size.scenarios:
        s["Scenarios"] = [["scenario", "probability", *workloads, "asic_slip_quarters"]]
        probs = [1.0 / size.scenarios] * size.scenarios
        for k in range(size.scenarios):
            mult = [round(rnd.uniform(0.7, 1.4), 2) for _ in workloads]
            s["Scenarios"].append([f"s{k}", probs[k], *mult, rnd.choice([0, 0, 1, 2])])
    # new draws come last, so that a size without these options gives the workbook it always gave
    if size.pipeline:
        _pipeline(s, rnd, q_labels)
    if size.tree and size.scenarios > 1:
        _tree(s, rnd, q_labels, workloads)
    return s


def _pipeline(s: Sheets, rnd: random.Random, q_labels: list[str]) -> None:
    """A batch of H100 arriving later that fits a committed phase online from the start; a committed
    phase still under construction at another quarter; the first program already funded."""
    site = s["Sites"][1]
    phase_mw = float(site[2])
    units = round(1000 * phase_mw / 1.3 * rnd.uniform(0.3, 0.9))
    s["CommittedPhases"] = [["site", "phases", "online_quarter"], [site[0], 1, q_labels[0]],
                            [site[0], rnd.randint(1, 2), q_labels[rnd.randint(1, len(q_labels) - 1)]]]
    arrive = rnd.randint(1, max(1, len(q_labels) // 2))
    if "ExistingFleet" not in s:
        s["ExistingFleet"] = [["hardware", "site", "units", "last_quarter"]]
    s["ExistingFleet"][0].append("first_quarter")
    for row in s["ExistingFleet"][1:]:
        row.append(None)
    s["ExistingFleet"].append(["H100", site[0], units, q_labels[-1], q_labels[min(arrive, len(q_labels) - 1)]])
    if "AsicPrograms" in s and len(s["AsicPrograms"]) > 1:
        s["AsicPrograms"][0].append("funded")
        for i, row in enumerate(s["AsicPrograms"][1:]):
            row.append("yes" if i == 0 and rnd.random() < 0.5 else "no")


def _tree(s: Sheets, rnd: random.Random, q_labels: list[str], workloads: list[str]) -> None:
    """Branch links (each scenario off an earlier one, at a random quarter), slips, a failed program
    and one ScenarioDemand row."""
    s["Scenarios"][0] += ["branch_of", "branch_quarter", "build_slip_quarters", "delivery_slip_quarters",
                          "lease_slip_quarters", "failed_programs"]
    names = [row[0] for row in s["Scenarios"][1:]]
    programs = [row[0] for row in s.get("AsicPrograms", [[]])[1:]]
    for i, row in enumerate(s["Scenarios"][1:]):
        if i == 0:
            row += [None, None, 0, 0, 0, None]
            continue
        parent = names[rnd.randrange(i)]
        quarter = q_labels[rnd.randint(0, len(q_labels) - 1)]
        failed = rnd.choice(programs) if programs and rnd.random() < 0.4 else None
        row += [parent, quarter, rnd.choice([0, 0, 1]), rnd.choice([0, 0, 1]), rnd.choice([0, 0, 1]), failed]
    w = rnd.choice(workloads)
    demand = [r for r in s["Demand"][1:]]
    q = rnd.randrange(len(demand))
    s["ScenarioDemand"] = [["scenario", "quarter", w],
                           [rnd.choice(names), demand[q][0], round(demand[q][1 + workloads.index(w)] * 1.3)]]


def write(sheets: Sheets, path: Path) -> Path:
    """Save sheets as an .xlsx workbook."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
