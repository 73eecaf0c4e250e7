"""Find the hard small cases: seeds of the small synthetic size on which the plain formulation is slow.

    python -m benchmarks.screen [--seeds 0 40] [--time-limit 30] [--formulations plain]

The solve-speed issue's first goal is about small cases (about 300 columns: two sites, five
offers, an ASIC program, two workloads, binding budgets) on which MODEL.md's plain
formulation needs minutes to prove a 1e-5 gap. Most seeds of that size are easy for both
formulations (the plain one closes them in 0.1-5 s), so a single seed says little about the
goal. This screen solves every seed in ``[start, stop)`` with each formulation (one HiGHS
search, seed 0, target 1e-5) and prints one line per seed. The instances named
``hard-<seed>`` in :mod:`benchmarks.run` are the seeds of 0-39 where the plain formulation
missed 1e-5 within 30 s: the choice looks at the plain formulation only, never at the tight one.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from benchmarks.run import SMALL, parse_formulation
from planner.model import build_model
from planner.solver.compile import compile_model
from planner.solver.highs import solve
from planner.workbook.synthetic import generate, write
from planner.workbook.validate import load_inputs

TARGET = 1e-5


def solve_seed(seed: int, formulation: str, time_limit: float, workdir: Path) -> tuple[float, float, float]:
    """(seconds, final gap, objective) of the small synthetic workbook ``seed`` under ``formulation``
    (:func:`benchmarks.run.parse_formulation`)."""
    tight, workers, repeatable, staged = parse_formulation(formulation)
    path = write(generate(SMALL, seed), workdir / f"small-{seed}.xlsx")
    model, _ = build_model(load_inputs(path), tight=tight)
    compiled = compile_model(model)
    t = time.perf_counter()
    sol = solve(compiled, TARGET, time_limit, workers=workers, repeatable=repeatable, staged=staged)
    return time.perf_counter() - t, sol.gap, sol.objective


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", nargs=2, type=int, default=[0, 40], metavar=("START", "STOP"))
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--formulations", nargs="*", default=["plain"])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        for seed in range(*args.seeds):
            cells = [f"seed {seed}"]
            for form in args.formulations:
                seconds, gap, objective = solve_seed(seed, form, args.time_limit, Path(d))
                closed = "" if gap <= TARGET else f" (gap {gap:.2e})"
                cells.append(f"{form} {seconds:.2f} s{closed}, {objective:.9e}")
            print(" | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
