"""Scenario trees at the size planners draw them (issue 32): the example's data with a random tree.

    python -m benchmarks.big_trees [--set eval|tuning] [--limit S] [--only N ...] [--out FILE]

Each instance is ``inputs/example.xlsx`` (sites, offers, programs, 26 quarters) with a Scenarios sheet of S
scenarios: the first is the trunk; every other branches off it in a quarter drawn from 2027Q2..2028Q4,
scales each workload's demand by a factor drawn from 0.7..1.35, has a build slip of 0-2 and a delivery slip
of 0-1 quarters with probability 0.3 each, and one scenario in four has an ASIC program fail. Probabilities
are drawn and normalised. Seeds: the evaluation set (2000 + S, never tuned on) and the tuning set (3000 + S).

Measured per instance, for the planner's default run (the tree start of :mod:`planner.solver.tree_start`)
and the run without it (the search as before issue 32), on the machine's cores: the gap after 60 s and at
the limit, and the time to a 1 % gap (the limit when never reached). Each run's search is one ``planner``
pipeline call with ``--value-of-risk off``.
"""

from __future__ import annotations

import argparse
import logging
import math
import random
import time
from pathlib import Path

import openpyxl

from benchmarks.trees import publish, sgm
from planner.pipeline import plan

ROOT = Path(__file__).resolve().parents[1]
QUARTERS = ("2027Q2", "2027Q3", "2027Q4", "2028Q1", "2028Q2", "2028Q3", "2028Q4")
SETS = {"eval": 2000, "tuning": 3000}
SIZES = (5, 10, 20, 40)


def tree_workbook(seed: int, scenarios: int, folder: Path) -> Path:
    """The example with a random tree of ``scenarios`` scenarios drawn from ``seed`` (module docstring)."""
    rng = random.Random(seed)
    wb = openpyxl.load_workbook(ROOT / "inputs" / "example.xlsx")
    workloads = [r[0] for r in wb["Workloads"].iter_rows(min_row=2, values_only=True) if r[0]]
    programs = [r[0] for r in wb["AsicPrograms"].iter_rows(min_row=2, values_only=True) if r[0]]
    weights = [rng.uniform(0.5, 1.5) for _ in range(scenarios)]
    probs = [round(w / sum(weights), 6) for w in weights]
    probs[0] = round(1.0 - sum(probs[1:]), 6)
    ws = wb.create_sheet("Scenarios")
    ws.append(["scenario", "probability", *workloads, "asic_slip_quarters", "branch_of", "branch_quarter",
               "build_slip_quarters", "delivery_slip_quarters", "lease_slip_quarters", "failed_programs"])
    ws.append(["trunk", probs[0], *[1.0] * len(workloads), 0, None, None, 0, 0, 0, None])
    for i in range(1, scenarios):
        failed = rng.choice(programs) if programs and i % 4 == 3 else None
        ws.append([f"s{i}", probs[i], *[round(rng.uniform(0.7, 1.35), 3) for _ in workloads], 0, "trunk",
                   rng.choice(QUARTERS), rng.randint(0, 2) if rng.random() < 0.3 else 0,
                   1 if rng.random() < 0.3 else 0, 0, failed])
    path = folder / f"tree-{seed}-{scenarios}.xlsx"
    wb.save(path)
    return path


def measure(path: Path, limit: float, start: bool) -> dict[str, float]:
    """One run: gaps at 60 s and at the end, the time to 1 % (``limit`` when not reached), wall seconds."""
    track: list[tuple[float, float, float]] = []
    import planner.pipeline as pipeline

    saved = pipeline.progress_line
    pipeline.progress_line = lambda s, p, b: track.append((s, p, b))
    t0 = time.perf_counter()
    try:
        result = plan(path, mip_gap=0.01, time_limit_s=limit, value_of_risk="off", start=start)
    finally:
        pipeline.progress_line = saved
    wall = time.perf_counter() - t0
    offset = result.timings.get("start", 0.0) + result.timings.get("build", 0.0)

    def gap(p: float, b: float) -> float:
        return abs(p - b) / abs(p) if math.isfinite(p) and math.isfinite(b) and p else math.inf

    at60 = [gap(p, b) for s, p, b in track if s + offset <= 60.0]
    reached = [s + offset for s, p, b in track if gap(p, b) <= 0.01]
    t1 = min(reached) if reached else (result.timings["solve"] + offset if result.solution.gap <= 0.01 else limit)
    return {"gap60": at60[-1] if at60 else math.inf, "gap_end": result.solution.gap, "t1": t1, "wall": wall,
            "cost": result.solution.objective}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=tuple(SETS), default="eval")
    ap.add_argument("--limit", type=float, default=120.0)
    ap.add_argument("--only", type=int, nargs="*", default=list(SIZES), help="scenario counts")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    logging.getLogger("planner").setLevel(logging.INFO)  # the search's progress ticks (not printed)
    logging.getLogger("planner").addHandler(logging.NullHandler())
    folder = Path("/tmp/planner-big-trees")
    folder.mkdir(exist_ok=True)
    lines = [f"set {args.set}, limit {args.limit:g} s", "",
             "| instance | run | gap after 60 s | gap at end | time to 1 % (s) | wall (s) | cost |", "|" + "---|" * 7]
    times: dict[str, list[float]] = {"start": [], "no start": []}
    for n in args.only:
        path = tree_workbook(SETS[args.set] + n, n, folder)
        for label, start in (("no start", False), ("start", True)):
            r = measure(path, args.limit, start)
            times[label].append(r["t1"])
            lines.append(f"| {path.stem} | {label} | {100 * r['gap60']:.2f} % | {100 * r['gap_end']:.2f} % | "
                         f"{r['t1']:.1f} | {r['wall']:.1f} | {r['cost']:.6e} |")
            print(lines[-1], flush=True)
    lines += ["", "| run | shifted geometric mean of time to 1 % (s, shift 1) |", "|---|---|"]
    lines += [f"| {k} | {sgm(v):.1f} |" for k, v in times.items() if v]
    publish(lines, args.out)


if __name__ == "__main__":
    main()
