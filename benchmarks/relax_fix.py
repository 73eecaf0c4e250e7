"""The relax-and-fix stages alone, beside one search of the whole MILP: where the bound and the plan come from.

    python -m benchmarks.relax_fix [--only NAME ...] [--time-limit S] [--gap G]

For each instance, each on one core and one after the other:

* ``LP``: the LP relaxation's bound; ``root``: HiGHS's bound after its root node;
* ``MILP``: one HiGHS search of the whole (tight) MILP for the time limit: its plan and bound;
* ``R``: the relaxation with only the strategic decisions whole (:mod:`planner.solver.relax_fix`),
  solved to the gap: its bound (a bound of the MILP) and the seconds it took;
* ``F``: the MILP with R's strategic decisions fixed, for the time limit: its best plan (a plan of
  the MILP) and when it was found.

R's bound against the MILP search's says how much of the gap the search leaves on the strategic
decisions (a certificate of where the formulation is weak); F's plan against the search's says how
far the search's plan is from the best plan around R's choice. ``gap`` is (best plan - best bound) /
best plan over all of them.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

import highspy
import numpy as np

from benchmarks.cut_loop import highs_root
from benchmarks.run import INSTANCES
from planner.model import build_model
from planner.solver import relax_fix
from planner.solver.compile import compile_model, copy_lp, scaled_lp
from planner.solver.highs import FIXED_OPTIONS, _new_highs
from planner.workbook.validate import load_inputs


def _run(lp: highspy.HighsLp, gap: float, limit: float) -> tuple[highspy.Highs, float, float]:
    """One HiGHS search of ``lp``: (the instance after the run, seconds, seconds when its last plan came)."""
    h = _new_highs(dict(FIXED_OPTIONS, mip_rel_gap=gap, time_limit=limit))
    h.passModel(lp)
    last = [math.nan]
    h.cbMipImprovingSolution.subscribe(lambda event: last.__setitem__(0, event.data_out.running_time))
    t = time.perf_counter()
    h.run()
    return h, time.perf_counter() - t, last[0]


def measure(path: Path, gap: float, limit: float) -> dict[str, float]:
    """The figures of the module docstring, in $ and seconds."""
    c = compile_model(build_model(load_inputs(path))[0])
    lp, e = scaled_lp(c.lp)
    relaxed = copy_lp(lp)
    relaxed.integrality_ = []
    h = _new_highs(dict(FIXED_OPTIONS))
    h.passModel(relaxed)
    h.run()
    out = {"LP": math.ldexp(h.getInfo().objective_function_value, e), "root": highs_root(c)}
    whole, _, out["MILP plan at (s)"] = _run(lp, gap, limit)
    out["MILP plan"] = math.ldexp(whole.getInfo().objective_function_value, e)
    out["MILP bound"] = math.ldexp(whole.getInfo().mip_dual_bound, e)
    strategic = relax_fix.strategic_columns(c)
    r, out["R seconds"], _ = _run(relax_fix.relaxed(lp, strategic), gap, limit)
    out["R bound"] = math.ldexp(r.getInfo().mip_dual_bound, e)
    values = np.round(np.asarray(r.getSolution().col_value)[strategic])
    f, _, out["F plan at (s)"] = _run(relax_fix.restricted(lp, strategic, values), gap, limit)
    out["F plan"] = math.ldexp(f.getInfo().objective_function_value, e)
    best = min(out["MILP plan"], out["F plan"])
    out["gap"] = (best - max(out["MILP bound"], out["R bound"])) / best
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", default=["example", "q28"])
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--gap", type=float, default=1e-4)
    args = ap.parse_args()
    pool = {i.name: i for i in INSTANCES}
    columns = ["LP", "root", "MILP bound", "MILP plan", "MILP plan at (s)", "R bound", "R seconds", "F plan",
               "F plan at (s)", "gap"]
    print("| instance | " + " | ".join(columns) + " |\n|" + "---|" * (len(columns) + 1))
    with tempfile.TemporaryDirectory() as d:
        for name in args.only:
            inst = pool[name]
            path = inst.workbook(Path(d))
            r = measure(path, args.gap, args.time_limit)
            cells = [f"{100 * r[k]:.3f} %" if k == "gap" else f"{r[k]:.1f}" if "(s)" in k or "seconds" in k
                     else f"{r[k] / 1e9:.4f}B" for k in columns]
            print(f"| {name} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
