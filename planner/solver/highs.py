"""Solve the compiled model with HiGHS and read the outcome.

A MIP is solved by one search (``workers = 1``: with ``threads`` and
``random_seed`` fixed, the same matrix gives the same plan) or by a portfolio
of searches with seeds 0 .. workers-1 that share plans and bounds
(:mod:`planner.solver.portfolio`: faster on several cores, but which plan within
the gap it returns depends on thread timing).
"""

from __future__ import annotations

import logging
import math
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np

from planner.solver import portfolio, relax_fix
from planner.solver.compile import Compiled, copy_lp, scaled_lp

log = logging.getLogger(__name__)

#: Solver options fixed for repeatable runs (see README, "Determinism").
FIXED_OPTIONS: dict[str, object] = {"threads": 1, "random_seed": 0, "output_flag": False}


@dataclass
class Solution:
    """What the solver found."""

    status: str  # optimal | time_limit | infeasible | unbounded | error
    has_plan: bool
    objective: float
    best_bound: float
    gap: float
    seconds: float
    nodes: int
    columns: int
    rows: int
    integer_columns: int
    nonzeros: int
    options: dict[str, object] = field(default_factory=dict)
    col_value: np.ndarray | None = None
    bound_source: str = "the MILP"  # which search (and stage) proved ``best_bound``
    plan_source: str = "the MILP"  # which method found the plan (``--decompose``: the decomposition's spoke)
    stages: tuple[str, ...] = ()  # relax-and-fix: each stage that ended, with its times (s)


#: How a MIP is solved: (compiled model, relative gap, time limit in s) -> solution.
Solver = Callable[[Compiled, float, float], Solution]


#: Held while fd 1 is redirected (:func:`_new_highs`): two threads creating HiGHS at once would
#: otherwise save each other's redirection and leave standard output closed.
_FD1 = threading.Lock()


def _new_highs(options: dict[str, object]) -> highspy.Highs:
    """A HiGHS instance with ``options``; its start-up banner (printed by C++ to fd 1) is dropped."""
    with _FD1:
        sys.stdout.flush()
        saved = os.dup(1)
        try:
            with open(os.devnull, "w") as devnull:
                os.dup2(devnull.fileno(), 1)
                h = highspy.Highs()
        finally:
            os.dup2(saved, 1)
            os.close(saved)
    for key, value in options.items():
        h.setOptionValue(key, value)
    return h


_STATUS_NAMES = {
    highspy.HighsModelStatus.kOptimal: "optimal", highspy.HighsModelStatus.kTimeLimit: "time_limit",
    highspy.HighsModelStatus.kInfeasible: "infeasible", highspy.HighsModelStatus.kUnbounded: "unbounded",
    highspy.HighsModelStatus.kUnboundedOrInfeasible: "infeasible", highspy.HighsModelStatus.kModelEmpty: "optimal",
    highspy.HighsModelStatus.kInterrupt: "interrupted", highspy.HighsModelStatus.kSolutionLimit: "solution_limit",
    highspy.HighsModelStatus.kIterationLimit: "iteration_limit",
}


def default_workers() -> int:
    """Searches run at once by default: one per core, at most 2 (the most measured, see README)."""
    return max(1, min(2, os.cpu_count() or 1))


#: Seconds between two progress lines of a MIP search (see ``ticker`` of :func:`solve`).
TICK_SECONDS = 5.0


def _single_ticker(h: highspy.Highs, ticker: portfolio.Ticker, e: int) -> None:
    """Tell ``ticker`` (seconds, plan $, bound $) from HiGHS's callback, at most every TICK_SECONDS."""
    next_tick = [TICK_SECONDS]

    def tick(event) -> None:
        out = event.data_out
        if out.running_time >= next_tick[0]:
            next_tick[0] = out.running_time + TICK_SECONDS
            ticker(out.running_time, math.ldexp(out.mip_primal_bound, e), math.ldexp(out.mip_dual_bound, e))

    h.cbMipInterrupt.subscribe(tick)


def solve(compiled: Compiled, mip_gap: float, time_limit_s: float, extra: dict | None = None,
          workers: int = 1, progress: portfolio.Progress | None = None, repeatable: bool = False,
          ticker: portfolio.Ticker | None = None, staged: bool = False, start: np.ndarray | None = None) -> Solution:
    """Solve the MIP with HiGHS; never raises on a non-optimal status. ``extra``: more HiGHS options.

    With ``workers`` > 1 a MIP is solved by a portfolio of that many searches with seeds
    0 .. workers-1 sharing plans and bounds (:mod:`planner.solver.portfolio`); an LP, or any model
    when highspy lacks the callbacks a portfolio needs, by one search. With ``repeatable``, a
    MIP is instead solved by one search on ``workers`` threads (HiGHS's own parallel branch and
    bound, ``threads = workers``), which gave the same plan in every repeated run measured.
    ``progress`` (benchmarks) is told (seconds, gap) as the gap shrinks; ``ticker`` is told
    (seconds, best plan $, best bound $) every :data:`TICK_SECONDS` of a MIP search. ``staged``
    (``solver_mode = relax-and-fix``): the portfolio's search 1 relaxes and fixes the strategic
    decisions first (:mod:`planner.solver.relax_fix`); by default every search is of the whole MILP.
    ``start``: a plan (a value per column) handed to every search as its first incumbent (near-optimal
    alternatives start from the plan, which is feasible in every one of them; trees from
    :mod:`planner.solver.tree_start`)."""
    options = dict(FIXED_OPTIONS, mip_rel_gap=float(mip_gap), time_limit=float(time_limit_s), **(extra or {}))
    lp = compiled.lp
    scaled, e = scaled_lp(lp)
    is_mip = bool(compiled.integer.any())
    parallel = False
    if is_mip and repeatable and workers > 1:
        # without a way to reset HiGHS's thread scheduler: one search on one thread, still repeatable
        parallel = hasattr(highspy.Highs, "resetThreadScheduler")
        if parallel:
            options["threads"] = workers
    elif is_mip and workers > 1 and portfolio.supported():
        return _solve_portfolio(compiled, scaled, e, options, workers, progress, ticker, staged, start)
    h = _new_highs(options)
    h.passModel(scaled)
    if start is not None and is_mip:
        given = highspy.HighsSolution()
        given.col_value = [float(x) for x in start]
        h.setSolution(given)
    if ticker is not None and is_mip:
        _single_ticker(h, ticker, e)
    if progress is not None and is_mip:
        h.cbMipInterrupt.subscribe(lambda event: progress(event.data_out.running_time, portfolio.relative_gap(
            event.data_out.mip_primal_bound, event.data_out.mip_dual_bound)))
    t0 = time.perf_counter()
    if parallel:
        # HiGHS keeps one thread scheduler per calling thread, sized by the first run on it: a
        # run with another ``threads`` value on the same thread fails. Start and leave clean.
        highspy.Highs.resetThreadScheduler(True)
        try:
            h.run()
        finally:
            highspy.Highs.resetThreadScheduler(True)
    else:
        h.run()
    seconds = time.perf_counter() - t0
    status = h.getModelStatus()
    info = h.getInfo()
    has_plan = info.primal_solution_status == 2 or status == highspy.HighsModelStatus.kModelEmpty
    col_value = objective = None
    if has_plan:
        col_value = np.array(h.getSolution().col_value, dtype=float) if lp.num_col_ else np.zeros(0)
        objective = math.ldexp(float(info.objective_function_value), e) if lp.num_col_ else lp.offset_
    bound = math.ldexp(float(info.mip_dual_bound), e) if is_mip else objective
    gap = float(info.mip_gap) if is_mip else 0.0
    nodes = int(info.mip_node_count) if is_mip else 0
    return _solution(compiled, status, col_value, objective, bound, gap, seconds, nodes,
                     dict(options, objective_scale=f"2**-{e}"))


def _solve_portfolio(compiled: Compiled, scaled: highspy.HighsLp, e: int, options: dict[str, object],
                     workers: int, progress: portfolio.Progress | None,
                     ticker: portfolio.Ticker | None = None, staged: bool = False,
                     start: np.ndarray | None = None) -> Solution:
    """:func:`solve` by a portfolio of ``workers`` searches, search i with ``random_seed = i``; with
    ``staged``, search 1 first relaxes and fixes the strategic decisions (:mod:`planner.solver.relax_fix`).
    ``start``: a plan put on the board before the searches start (each takes it through HiGHS's
    user-solution callback, like another search's plan)."""

    def whole(i: int) -> portfolio.Stage:
        def make(seconds: float) -> highspy.Highs:
            h = _new_highs({**portfolio.search_options(i), **options, "random_seed": i, "time_limit": seconds})
            h.passModel(scaled)
            return h

        return portfolio.Stage(make)

    searches = [whole(i) for i in range(workers)]
    strategic = relax_fix.strategic_columns(compiled) & staged
    searches[1] = relax_fix.search(scaled, strategic, {**options, "random_seed": 1}, _new_highs, searches[1])
    out = portfolio.run(searches, float(options["mip_rel_gap"]), float(options["time_limit"]),  # type: ignore[arg-type]
                        progress, None if ticker is None else
                        lambda s, primal, bound: ticker(s, math.ldexp(primal, e), math.ldexp(bound, e)),
                        TICK_SECONDS, None if start is None else (
                            float(np.dot(scaled.col_cost_, start) + scaled.offset_), np.asarray(start, dtype=float)))
    objective = math.ldexp(out.primal, e) if out.plan is not None else None
    log.info("portfolio of %d searches: gap %.4g %% after %.2f s, %d nodes", workers, 100 * out.gap,
             out.seconds, out.nodes)
    if out.distrusted:
        log.warning("HiGHS search %s reported a bound above a plan another search found: numerical trouble "
                    "in that search; its bound is left out of the gap", ", ".join(map(str, out.distrusted)))
    odd_effort = options.get("mip_heuristic_effort", portfolio.HEURISTIC_EFFORT)
    first_stages = f"1 ({int(strategic.sum())} strategic columns)" if strategic.any() else "none"
    solution = _solution(compiled, out.status, out.plan, objective, math.ldexp(out.bound, e), out.gap,
                         out.seconds, out.nodes,
                         dict(options, random_seed=f"0..{workers - 1}", workers=workers,
                              mip_heuristic_effort_odd_searches=odd_effort, objective_scale=f"2**-{e}",
                              relax_and_fix_search=first_stages,
                              **({"distrusted_searches": ",".join(map(str, out.distrusted))} if out.distrusted
                                 else {})))
    solution.bound_source = out.bound_source
    if strategic.any():  # where search 1's time went, stage by stage
        solution.stages = tuple(str(r) for r in out.timeline if r.search == 1)
        for line in solution.stages:
            log.info("stage of %s", line)
    return solution


def _solution(compiled: Compiled, status: highspy.HighsModelStatus, col_value: np.ndarray | None,
              objective: float | None, bound: float | None, gap: float, seconds: float, nodes: int,
              options: dict[str, object]) -> Solution:
    """A :class:`Solution` from what a search returned (objective and bound in dollars)."""
    lp = compiled.lp
    has_plan = col_value is not None
    if has_plan:
        col_value = np.array(col_value, dtype=float)
        col_value[compiled.integer] = np.round(col_value[compiled.integer])
    if status == highspy.HighsModelStatus.kOptimal and not math.isfinite(gap):
        gap = 0.0
    return Solution(
        status=_STATUS_NAMES.get(status, "error"), has_plan=has_plan,
        objective=math.nan if objective is None else objective,
        best_bound=math.nan if bound is None else bound, gap=gap, seconds=seconds, nodes=nodes,
        columns=lp.num_col_, rows=lp.num_row_, integer_columns=int(compiled.integer.sum()),
        nonzeros=len(lp.a_matrix_.value_), options=options, col_value=col_value)


def load_values(compiled: Compiled, solution: Solution) -> None:
    """Write the solution into the Pyomo variables (columns never compiled stay 0)."""
    assert solution.col_value is not None
    for var, x in zip(compiled.columns, solution.col_value):
        var.set_value(float(x), skip_validation=True)


def continuous_lp(compiled: Compiled, solution: Solution | None) -> highspy.HighsLp:
    """The model as an LP: with ``solution``, every integer column fixed at its value in the plan
    (the plan's short-run view); without, the LP relaxation (the long-run view, as if capacity
    could be bought in fractions of a block)."""
    lp = compiled.lp
    out = copy_lp(lp)
    out.integrality_ = []  # an LP
    lower, upper = np.array(lp.col_lower_), np.array(lp.col_upper_)
    if solution is not None:
        assert solution.col_value is not None
        lower[compiled.integer] = solution.col_value[compiled.integer]
        upper[compiled.integer] = solution.col_value[compiled.integer]
    out.col_lower_, out.col_upper_ = lower, upper
    return out


def lp_solver(lp: highspy.HighsLp) -> highspy.Highs | None:
    """A HiGHS instance holding ``lp`` solved to optimality by simplex (None if not optimal),
    ready for warm-started re-solves after bound changes."""
    h = _new_highs(dict(FIXED_OPTIONS, solver="simplex"))
    h.passModel(lp)
    h.run()
    return h if h.getModelStatus() == highspy.HighsModelStatus.kOptimal else None

