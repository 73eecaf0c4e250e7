"""One model from typed inputs to a loaded plan: build -> compile -> solve -> load.

Every solve of the planner runs this sequence: the main run (``planner.pipeline``),
the expected-value and wait-and-see problems (``planner.analysis.risk``) and each sweep case
(``planner.analysis.sweep``).
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, replace

import numpy as np
import pyomo.core as pyo

from planner.model import build_model
from planner.model.parts import Parts
from planner.solver.compile import Compiled, compile_model
from planner.solver.highs import Solution, Solver, load_values, solve
from planner.workbook.inputs import Inputs

log = logging.getLogger("planner")


@contextmanager
def timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    """Record the wall time of ``stage`` in ``timings`` (seconds) and log it."""
    t0 = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - t0
    log.info("%-8s %8.3f s", stage, timings[stage])


@dataclass
class Solved:
    """A solved model; the variables hold the plan when ``solution.has_plan``."""

    model: pyo.ConcreteModel
    parts: Parts
    compiled: Compiled
    solution: Solution


def built(inp: Inputs, fixed: dict[str, dict] | None = None) -> Solved:
    """The tight model of ``inp`` built and compiled, not yet solved (``solution`` is None): for
    callers that solve several models at once (:func:`loaded` then loads each plan)."""
    model, parts = build_model(inp, fixed=fixed)
    return Solved(model, parts, compile_model(model), None)  # type: ignore[arg-type]


def loaded(b: Solved, solution: Solution) -> Solved:
    """``b`` with its ``solution``, the plan loaded into the model's variables."""
    if solution.has_plan:
        load_values(b.compiled, solution)
    return Solved(b.model, b.parts, b.compiled, solution)


def solve_inputs(inp: Inputs, gap: float, time_limit_s: float, fixed: dict[str, dict] | None = None,
                 solver: Solver = solve, timings: dict[str, float] | None = None,
                 start: Callable[[Parts, Compiled], tuple[np.ndarray | None, float]] | None = None) -> Solved:
    """Build the tight model of ``inp`` with the decisions in ``fixed`` fixed (decision name ->
    class-ended key -> value, see :class:`~planner.model.parts.Parts`; keys not given stay free),
    solve with ``solver`` (relative gap, seconds) and load the plan into the model. With
    ``timings``, the stages ``build`` and ``solve`` are timed and logged (the main run); without,
    nothing is logged (the runs for vss, evpi and sweeps). ``start``: builds (a plan the solver starts from
    or None, a bound of the MILP proven on the way: its LP relaxation; stage ``start``, whose seconds come
    out of the time limit). The solution's bound is the better of the search's and the start's."""

    def stage(name: str):
        return nullcontext() if timings is None else timed(timings, name)

    with stage("build"):
        b = built(inp, fixed)
    given, bound = None, -math.inf
    if start is not None:
        t0 = time.perf_counter()
        with stage("start"):
            given, bound = start(b.parts, b.compiled)
        time_limit_s = max(1.0, time_limit_s - (time.perf_counter() - t0))
    with stage("solve"):
        solution = solver(b.compiled, gap, time_limit_s) if given is None else solver(
            b.compiled, gap, time_limit_s, start=given)
    if solution.has_plan and bound > solution.best_bound:
        rel = max(0.0, (solution.objective - bound) / max(abs(solution.objective), 1e-9))
        solution = replace(solution, best_bound=bound, gap=rel, bound_source="the LP relaxation (start)",
                           status="optimal" if rel <= gap else solution.status)
    return loaded(b, solution)
