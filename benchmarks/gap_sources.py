"""Where the gap comes from: the MILP with one family of whole decisions made continuous.

    python -m benchmarks.gap_sources [--only NAME ...] [--time-limit S]

For each instance it solves the LP relaxation and then the MILP once per family of
integer decisions (lease, order, phase, commit) with that family relaxed to
continuous values (others stay whole), each for the same time limit, and the full
MILP. A family whose relaxation drops the cost far below the full MILP's plan, and
closes fast, is the one whose integrality makes the instance hard.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

import highspy

from benchmarks.run import INSTANCES
from benchmarks.variants import FAMILY
from planner.model import FIRST_STAGE, build_model
from planner.solver.compile import Compiled, compile_model, copy_lp, scaled_lp
from planner.solver.highs import FIXED_OPTIONS, _new_highs, continuous_lp, lp_solver
from planner.workbook.validate import load_inputs


def relaxed(c: Compiled, family: str | None) -> highspy.HighsLp:
    """``c.lp`` with the columns of component ``family`` continuous (None: unchanged)."""
    lp = c.lp
    if family is None:
        return lp
    out = copy_lp(lp)
    out.integrality_ = [highspy.HighsVarType.kContinuous if v.parent_component().name == family else kind
                        for v, kind in zip(c.columns, lp.integrality_)]
    return out


def solve_relaxed(c: Compiled, family: str | None, time_limit: float) -> dict[str, float]:
    """Solve with ``family`` relaxed; plan cost and bound in $, final gap, seconds."""
    lp, e = scaled_lp(relaxed(c, family))
    h = _new_highs(dict(FIXED_OPTIONS, mip_rel_gap=1e-4, time_limit=time_limit))
    h.passModel(lp)
    t = time.perf_counter()
    h.run()
    info = h.getInfo()
    return {"cost": math.ldexp(info.objective_function_value, e), "bound": math.ldexp(info.mip_dual_bound, e),
            "gap": info.mip_gap, "seconds": time.perf_counter() - t}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", default=["example", "q28"])
    ap.add_argument("--time-limit", type=float, default=30.0)
    args = ap.parse_args()
    pool = {i.name: i for i in INSTANCES + FAMILY}
    print("| instance | relaxed | plan cost $ | bound $ | gap | seconds |\n|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as d:
        for name in args.only:
            inst = pool[name]
            path = inst.workbook(Path(d))
            c = compile_model(build_model(load_inputs(path))[0])
            h = lp_solver(continuous_lp(c, None))
            lp_cost = h.getInfo().objective_function_value if h else math.nan
            print(f"| {name} | all (LP) | {lp_cost:.6e} | {lp_cost:.6e} | 0 | - |", flush=True)
            for family in (*FIRST_STAGE, None):
                r = solve_relaxed(c, family, args.time_limit)
                print(f"| {name} | {family or 'none (the MILP)'} | {r['cost']:.6e} | {r['bound']:.6e} | "
                      f"{r['gap']:.2%} | {r['seconds']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
