"""A first plan for a scenario tree, cheap to build, handed to HiGHS as its starting incumbent.

On trees of 10 scenarios and more HiGHS spends minutes in the root node and its first plans leave most
demand unmet (issue 32). A plan is built by rounding the tree's LP relaxation, on the tree model itself (so
it is non-anticipative by construction: every decision is one column per class of the tree):

1. the LP relaxation by interior point without crossover (37 s on a 20-scenario tree of the example's data,
   where HiGHS's dual simplex takes 66 s);
2. rounded (:mod:`planner.solver.rounding`): phases, funding and gates half up, keeping their totals and
   order; then the other decisions up (orders by their total over sites, none for a program left unfunded;
   sales down by their running total);
3. repaired per scenario: with every whole decision fixed the tree is an LP in the recourse (use, power,
   on-demand rent, unmet demand; 0.7 s on that tree), whose optimum is the plan.

Rounding up only adds capacity, and unmet demand, stranded units and rent are costs, not limits, so step 3
only fails where a budget or share row is broken; then the LP is solved again with the strategic decisions
fixed and the others rounded up from it, then with orders and phases taken back until every budget holds
(``fit_budgets``), and last everything is rounded down; when that fails
too there is no start and the search runs as before. The start is a plan of the MILP, so the search's gap is
from a real plan at once.

Tried and not kept (benchmarks/README.md, round 16): the expected-value plan in every class, repaired
($250.7B on ``example-risk``, whose optimum is near $96B: capacity for the average scenario leaves the
high ones short), and each scenario's own LP plan made non-anticipative by the largest (breaks the budget)
or mean ($389B) of its class's members.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import replace

import highspy
import numpy as np

from planner.model import FIRST_STAGE, STRATEGIC
from planner.model.parts import Parts
from planner.solver.compile import Compiled, copy_lp
from planner.solver.highs import Solution, solve
from planner.solver.rounding import ROUNDINGS, fit_budgets, round_decisions
from planner.workbook.inputs import Inputs

log = logging.getLogger("planner")

#: The LP relaxation's objective, less this share of it, is reported as a bound of the MILP (HiGHS's interior
#: point stops within a relative primal-dual gap of 1e-8; the margin is 100 times that).
LP_BOUND_MARGIN = 1e-6
#: Workbooks with fewer scenarios are searched without a start (benchmarks/README.md, round 16).
MIN_SCENARIOS = 2


def wanted(inp: Inputs) -> bool:
    """A start is built for workbooks with at least :data:`MIN_SCENARIOS` scenarios."""
    return len(inp.scenarios) >= MIN_SCENARIOS


def _lp(compiled: Compiled, seconds: float, lower: np.ndarray | None = None,
        upper: np.ndarray | None = None, interior: bool = False) -> Solution:
    """The LP relaxation of ``compiled`` (with column bounds ``lower``, ``upper`` when given); ``interior``:
    by HiGHS's interior point method without crossover (a point inside, enough to round; 37 s against 66 s
    of dual simplex on a 20-scenario tree of the example's data)."""
    lp = copy_lp(compiled.lp)
    if lower is not None:
        lp.col_lower_, lp.col_upper_ = lower, upper
    lp.integrality_ = [highspy.HighsVarType.kContinuous] * lp.num_col_
    extra = {"solver": "ipm", "run_crossover": "off"} if interior else None
    return solve(replace(compiled, lp=lp, integer=np.zeros(lp.num_col_, dtype=bool)), 1e-9, seconds, extra=extra)


def _repaired(parts: Parts, compiled: Compiled, x: np.ndarray, y: np.ndarray, first: Callable[[float], int],
              then: Callable[[float], int], seconds: float, fit: bool = False) -> tuple[np.ndarray, float] | None:
    """(plan, cost) of the recourse LP with the strategic decisions at ``x`` rounded by ``first`` and the
    others at ``y`` rounded by ``then`` (with ``fit``, orders and phases taken back until the budgets hold:
    :func:`~planner.solver.rounding.fit_budgets`); None: that rounding breaks a row."""
    lo, up = np.array(compiled.lp.col_lower_, dtype=float), np.array(compiled.lp.col_upper_, dtype=float)
    round_decisions(parts, compiled, x, STRATEGIC, lo, up, first)
    round_decisions(parts, compiled, y, tuple(n for n in FIRST_STAGE if n not in STRATEGIC), lo, up, then)
    if fit:
        fit_budgets(parts, compiled, y, lo, up)
    sol = _lp(compiled, seconds, lo, up)
    if not sol.has_plan:
        return None
    plan = np.array(sol.col_value, dtype=float)
    plan[compiled.integer] = np.round(plan[compiled.integer])
    return plan, float(sol.objective)


def tree_start(parts: Parts, compiled: Compiled, time_limit_s: float) -> tuple[np.ndarray | None, float]:
    """(a plan of the tree model ``compiled``, one value per column, or None; a bound of the MILP): module
    docstring. The bound is the LP relaxation's objective less :data:`LP_BOUND_MARGIN` of it (interior point
    stops within its tolerances of the LP optimum), -inf without one."""
    t0 = time.perf_counter()

    def left() -> float:
        return max(1.0, time_limit_s - (time.perf_counter() - t0))

    relaxed = _lp(compiled, left(), interior=True)
    if not relaxed.has_plan:
        log.info("start    no LP relaxation within the time limit (%s): the search runs without a start",
                 relaxed.status)
        return None, -math.inf
    bound = float(relaxed.objective) - LP_BOUND_MARGIN * abs(float(relaxed.objective))
    x = np.array(relaxed.col_value, dtype=float)
    up_, half, down = ROUNDINGS
    plan = _repaired(parts, compiled, x, x, half, up_, left())
    if plan is None:  # the rounding broke a budget: the LP again with the strategic decisions rounded
        lo, up = np.array(compiled.lp.col_lower_, dtype=float), np.array(compiled.lp.col_upper_, dtype=float)
        round_decisions(parts, compiled, x, STRATEGIC, lo, up, half)
        again = _lp(compiled, left(), lo, up, interior=True)
        if again.has_plan:
            y = np.array(again.col_value, dtype=float)
            plan = _repaired(parts, compiled, x, y, half, up_, left()) or _repaired(
                parts, compiled, x, y, half, up_, left(), fit=True)
    plan = plan or _repaired(parts, compiled, x, x, half, up_, left(), fit=True) or _repaired(
        parts, compiled, x, x, down, down, left())
    if plan is not None:
        log.info("start    the LP relaxation ($%s) rounded and repaired: $%s after %.1f s",
                 f"{relaxed.objective:,.0f}", f"{plan[1]:,.0f}", time.perf_counter() - t0)
        return plan[0], bound
    log.info("start    no rounding of the LP relaxation keeps every row: the search runs without a start")
    return None, bound


def starter(inp: Inputs, time_limit_s: float) -> Callable[[Parts, Compiled], tuple[np.ndarray | None, float]] | None:
    """The start of a workbook's search (None: none is built, :func:`wanted`)."""
    if not wanted(inp):
        return None
    return lambda parts, compiled: tree_start(parts, compiled, time_limit_s)
