"""Benchmark runner: one command, a table of where every second goes.

    python -m benchmarks.run [--quick] [--time-limit S] [--only NAME ...] [--out FILE]

For each instance and formulation (plain: MODEL.md as written; tight: with
the bounds of planner.model.bounds; tight-2: tight, solved by two HiGHS searches
at once sharing plans and bounds, the planner's default on two cores) it reports the time to read,
validate, build the Pyomo model, hand it to HiGHS (standard-form compile and
passModel), solve and write the report; the model size; the final gap; and
the solve time at which the gap first reached 1 %, 0.1 % and the target.
Instances are the shipped example, conformance case302 and seeded synthetic
workbooks (planner.workbook.synthetic) of the sizes named in the solve-speed issue.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import tempfile
import time
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from planner.model import build_model
from planner.report.writer import write_report
from planner.solver.compile import Compiled, compile_model
from planner.solver.highs import solve
from planner.solver.portfolio import join_stragglers
from planner.workbook.reader import read_workbook
from planner.workbook.synthetic import Size, generate, write
from planner.workbook.validate import validate

ROOT = Path(__file__).resolve().parents[1]
#: The planner's default on a two-core machine: the tight formulation, two searches at once.
DEFAULT = "tight-2"


@dataclass(frozen=True)
class Instance:
    name: str
    path: Path | None = None
    size: Size | None = None
    seed: int = 0
    gap: float = 1e-3

    def workbook(self, folder: Path) -> Path:
        """The instance's workbook: its file, or the seeded synthetic one written into ``folder``."""
        return self.path or write(generate(self.size, self.seed), folder / f"{self.name}.xlsx")


#: The issue's small case: two sites, five offers, an ASIC program, two workloads, binding budgets.
SMALL = Size(quarters=12, workloads=2, hardware=3, sites=2, offers=5, programs=1, budget=True, demand_scale=1.0)
#: Seeds of SMALL where the plain formulation (one search, HiGHS seed 0) missed 1e-5 within 30 s.
HARD_SMALL_SEEDS = (9, 22, 24, 29)

INSTANCES = [
    Instance("example", ROOT / "inputs" / "example.xlsx", gap=5e-3),
    Instance("case302", ROOT / "tests" / "data" / "conformance" / "case302.xlsx", gap=1e-5),
    Instance("small-hard", size=SMALL, seed=7, gap=1e-5),
    # Hard small cases: the seeds of 0-39 where the plain formulation missed 1e-5 within 30 s
    # (python -m benchmarks.screen; chosen on the plain formulation's time alone).
    *(Instance(f"hard-{seed}", size=SMALL, seed=seed, gap=1e-5) for seed in HARD_SMALL_SEEDS),
    Instance("q28", size=Size(quarters=28, workloads=3, hardware=4, sites=5, offers=10, programs=4, budget=True,
                              demand_scale=5.0), seed=3, gap=1e-3),
    Instance("scen5", size=Size(quarters=12, workloads=3, hardware=3, sites=2, offers=5, programs=2, budget=True,
                                scenarios=5, risk_aversion=0.3), seed=5, gap=1e-3),
    Instance("scen20", size=Size(quarters=12, workloads=3, hardware=3, sites=2, offers=5, programs=2, budget=True,
                                 scenarios=20, risk_aversion=0.3), seed=5, gap=1e-3),
]


def solve_tracked(compiled: Compiled, gap: float, time_limit: float, workers: int,
                  repeatable: bool = False, staged: bool = False) -> dict[str, float]:
    """Solve as the planner does (:func:`planner.solver.highs.solve`, ``workers`` searches, or one search on
    ``workers`` threads if ``repeatable``; ``staged``: the relax-and-fix search 1), recording when the
    gap first reached 1 %, 0.1 % and ``gap``."""
    reached: dict[str, float] = {}

    def progress(seconds: float, g: float) -> None:
        for key, level in (("t_1pct", 1e-2), ("t_0.1pct", 1e-3), ("t_target", gap)):
            if key not in reached and g <= level:
                reached[key] = seconds

    t0 = time.perf_counter()
    sol = solve(compiled, gap, time_limit, workers=workers, progress=progress, repeatable=repeatable,
                staged=staged)
    wall = time.perf_counter() - t0
    join_stragglers()  # a search still finishing must not run into the next measurement
    final_gap = sol.gap if math.isfinite(sol.gap) else math.nan
    for key, level in (("t_1pct", 1e-2), ("t_0.1pct", 1e-3), ("t_target", gap)):
        if key not in reached and final_gap <= level:
            reached[key] = sol.seconds
    return {"pass": wall - sol.seconds, "solve": sol.seconds, "gap": final_gap, "objective": sol.objective,
            "nodes": sol.nodes, **reached}


def parse_formulation(formulation: str) -> tuple[bool, int, bool, bool]:
    """(tight, workers, repeatable, staged) of ``formulation``: ``plain`` or ``tight``, optionally ``-K``
    for a portfolio of K searches of the whole MILP (``tight-2``: the planner's default on two cores),
    ``-Kf`` for K searches of which search 1 relaxes and fixes the strategic decisions first
    (``tight-2f``: ``planner run --relax-and-fix``) or ``-Kr`` for one search on K threads
    (``tight-2r``: ``planner run --repeatable``)."""
    name, _, k = formulation.partition("-")
    return name == "tight", int(k.rstrip("rf") or 1), k.endswith("r"), k.endswith("f")


def run_one(inst: Instance, formulation: str, time_limit: float, workdir: Path) -> dict[str, object]:
    """Measure ``inst`` under ``formulation`` (see :func:`parse_formulation`)."""
    tight, workers, repeatable, staged = parse_formulation(formulation)
    path = inst.workbook(workdir)
    row: dict[str, object] = {"instance": inst.name, "formulation": formulation}
    t = time.perf_counter()
    problems: list = []
    tables = read_workbook(path, problems)
    row["read"] = time.perf_counter() - t
    t = time.perf_counter()
    inp = validate(tables, problems)
    row["validate"] = time.perf_counter() - t
    t = time.perf_counter()
    model, _ = build_model(inp, tight=tight)
    row["build"] = time.perf_counter() - t
    t = time.perf_counter()
    compiled = compile_model(model)
    row["compile"] = time.perf_counter() - t
    row.update(cols=compiled.lp.num_col_, ints=int(compiled.integer.sum()), rows=compiled.lp.num_row_)
    result = solve_tracked(compiled, inst.gap, time_limit, workers, repeatable, staged)
    row["handover"] = row["compile"] + result.pop("pass")
    row.update(result, target=inst.gap)
    if formulation == DEFAULT:  # the report (tables, marginals, charts) is timed for the default only
        from planner.pipeline import plan

        res = plan(path, mip_gap=inst.gap, time_limit_s=time_limit, value_of_risk=False, workers=workers)
        join_stragglers()
        row["results"] = res.timings["results"] + res.timings["marginal"] + res.timings["audit"]
        t = time.perf_counter()
        write_report(res.tables, workdir / f"{inst.name}-report")
        row["write"] = time.perf_counter() - t
    return row


def fmt(v: object, column: str = "") -> str:
    if column in ("gap", "target") and isinstance(v, float) and not math.isnan(v):
        return f"{100 * v:.3g} %"
    if isinstance(v, float):
        if math.isnan(v):
            return "-"
        if abs(v) >= 1e6:
            return f"{v:.6e}"
        return f"{v:.3g}" if abs(v) < 1e-2 and v != 0 else f"{v:.2f}"
    return "-" if v is None else str(v)


COLUMNS = ["instance", "formulation", "cols", "ints", "rows", "read", "validate", "build", "handover", "solve",
           "results", "write", "gap", "target", "t_1pct", "t_0.1pct", "t_target", "nodes", "objective"]


def machine() -> str:
    """Processor model (from /proc/cpuinfo where there is one), logical cores, Python, HiGHS, Pyomo."""
    name = platform.processor() or "cpu"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    return (f"{platform.machine()}, {name}, {os.cpu_count()} logical cores, Python {platform.python_version()}, "
            f"HiGHS {version('highspy')}, Pyomo {version('pyomo')}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--time-limit", type=float, default=120.0)
    ap.add_argument("--only", nargs="*", help="instance names")
    ap.add_argument("--formulations", nargs="*", default=["plain", "tight", DEFAULT],
                    help="plain | tight, with -K for K searches at once or -Kr for one search on K threads "
                    "(default: plain tight tight-2)")
    ap.add_argument("--out", type=Path, help="also write the markdown table here")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as d:
        for inst in INSTANCES:
            if args.only and inst.name not in args.only:
                continue
            for form in args.formulations:
                row = run_one(inst, form, args.time_limit, Path(d))
                rows.append(row)
                print(" | ".join(fmt(row.get(c), c) for c in COLUMNS), flush=True)
    header = f"Machine: {machine()}; time limit {args.time_limit:g} s; times in seconds.\n\n"
    table = "| " + " | ".join(COLUMNS) + " |\n|" + "---|" * len(COLUMNS) + "\n"
    table += "\n".join("| " + " | ".join(fmt(r.get(c), c) for c in COLUMNS) + " |" for r in rows) + "\n"
    print("\n" + header + table)
    if args.out:
        args.out.write_text(header + table)


if __name__ == "__main__":
    main()
