"""The risk-averse evaluation instance whose optimum HiGHS once cut off (benchmarks/README.md, sixth round).

``python -m benchmarks.cvar_cutoff``: s12-3009 (12 quarters, 6 scenarios, risk aversion 0.3), solved by the plain
formulation and by the planner (tight, one search) to a 1e-6 gap. With the CVaR rows in dollars HiGHS reported
"optimal" at 2,166.6M (plain) and 2,152.1M (tight) although a plan of 2,150.8M satisfies both models; in the
scaled unit of :func:`planner.model.build.cvar_unit` both agree at or below that plan and the plan passes its
audit. About 100 s on 2 cores, so it lives here; ``tests/test_formulations.py`` checks the scaling itself.
Exit status 1 when the two disagree, either is above 2,150,777,567.21 $ or the audit fails.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from benchmarks.evaluate import SMALL
from planner.model import build_model
from planner.pipeline import plan
from planner.solver.compile import compile_model
from planner.solver.highs import solve
from planner.workbook.synthetic import Size, generate, write
from planner.workbook.validate import load_inputs

#: A plan's cost that satisfies every row of both models (checked by evaluating them).
KNOWN_PLAN = 2_150_777_567.21


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = write(generate(Size(**SMALL, scenarios=6, risk_aversion=0.3), 3009), Path(tmp) / "s12-3009.xlsx")
        start = time.perf_counter()
        plain = solve(compile_model(build_model(load_inputs(path), tight=False)[0]), 1e-6, 120)
        middle = time.perf_counter()
        result = plan(path, mip_gap=1e-6, workers=1, value_of_risk=False)
        end = time.perf_counter()
    print(f"plain: {plain.status} {plain.objective:,.2f} in {middle - start:.1f} s")
    print(f"planner: {result.solution.status} {result.solution.objective:,.2f} in {end - middle:.1f} s, "
          f"audit {'pass' if result.audit.passed else 'FAIL'}")
    ok = (plain.status == "optimal" and result.solution.status == "optimal" and result.audit.passed
          and abs(result.solution.objective - plain.objective) <= 1e-5 * abs(plain.objective)
          and plain.objective <= KNOWN_PLAN)
    print("ok" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
