"""One run, in the direction the data flows:

workbook -> typed inputs -> Pyomo model -> HiGHS -> result tables -> files.

Each stage is timed; the times are logged and reported in the Solver table.
"""

from __future__ import annotations

import hashlib
import logging
import time
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from planner import __version__
from planner.errors import InputError, NoPlanError, Problem
from planner.inputs import Inputs
from planner.model import build_model
from planner.reader import read_workbook
from planner.results import objective_of, report_tables
from planner.risk import value_of_risk as risk_values
from planner.solve import Solution, compile_model, load_values, solve
from planner.validate import validate

log = logging.getLogger("planner")


@contextmanager
def timed(timings: dict[str, float], stage: str):
    """Record the wall time of ``stage`` in ``timings`` and log it."""
    t0 = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - t0
    log.info("%-8s %8.3f s", stage, timings[stage])


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load(path: Path, timings: dict[str, float]) -> Inputs:
    """Read and validate; raises InputError with every problem at once."""
    problems: list[Problem] = []
    with timed(timings, "read"):
        tables = read_workbook(path, problems)
    with timed(timings, "validate"):
        return validate(tables, problems)


@dataclass
class RunResult:
    inputs: Inputs
    solution: Solution
    tables: dict[str, pd.DataFrame]
    timings: dict[str, float]


def plan(path: Path, mip_gap: float | None = None, time_limit_s: float | None = None,
         value_of_risk: bool = True) -> RunResult:
    """Solve the workbook at ``path``; raises InputError or NoPlanError.

    With a Scenarios sheet and ``value_of_risk``, also solves the expected-value
    and wait-and-see problems for ``vss`` and ``evpi`` (stage ``risk``).
    """
    timings: dict[str, float] = {}
    inp = load(path, timings)
    gap = inp.settings.mip_gap if mip_gap is None else mip_gap
    limit = inp.settings.time_limit_s if time_limit_s is None else time_limit_s
    with timed(timings, "build"):
        model, parts = build_model(inp)
        compiled = compile_model(model)
    with timed(timings, "solve"):
        solution = solve(compiled, gap, limit)
    if not solution.has_plan:
        if solution.status == "time_limit":
            raise NoPlanError(f"no plan was found within the time limit of {limit:g} s; "
                              "raise --time-limit (or time_limit_s in Settings) and run again")
        raise NoPlanError(
            f"the solver reports the plan is {solution.status}. Every workbook that passes validation "
            "should have a plan (unmet demand is always allowed at its penalty), so this is a bug in "
            "the planner: please report it with the workbook")
    with timed(timings, "results"):
        load_values(compiled, solution)
        provenance = {
            "input_sha256": sha256_of(path),
            "input_file": str(path),
            "planner_version": __version__,
            "pyomo_version": _version("pyomo"),
            "highspy_version": _version("highspy"),
        }
        tables = report_tables(parts, solution, timings, provenance)
    if inp.has_scenario_sheet and value_of_risk:
        with timed(timings, "risk"):
            expected = objective_of(inp, tables["Scenarios"])["expected_cost"]
            risk = risk_values(inp, expected, gap, limit)
            tables = report_tables(parts, solution, timings, provenance, risk)
    return RunResult(inp, solution, tables, timings)


__all__ = ["InputError", "NoPlanError", "RunResult", "load", "plan", "timed"]
