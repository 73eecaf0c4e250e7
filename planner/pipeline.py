"""One run, in the direction the data flows:

workbook -> typed inputs -> Pyomo model -> HiGHS -> result tables -> files.

Each stage is timed; the times are logged and reported in the Solver table.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import uuid
from dataclasses import asdict, dataclass, is_dataclass, replace
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pandas as pd

from planner import __version__
from planner.analysis.risk import value_of_risk as risk_values
from planner.analysis.risk import wanted as risk_wanted
from planner.audit.auditor import Audit, audit_plan
from planner.model import build_model
from planner.replan.changes import changes_table
from planner.replan.keep import kept_decisions
from planner.replan.previous import PreviousPlan, read_plan
from planner.report.marginal import marginal_tables
from planner.report.results import add_metrics, report_tables, with_value_of_risk
from planner.report.writer import write_report
from planner.solver import relax_fix
from planner.solver.compile import compile_model
from planner.solver.decompose import solve_decomposed
from planner.solver.diagnose import NoPlanError, solve_or_explain
from planner.solver.highs import Solution, default_workers, solve
from planner.solver.solved import solve_inputs, timed
from planner.solver.tree_start import starter
from planner.workbook.errors import InputError, Problem
from planner.workbook.inputs import Inputs
from planner.workbook.reader import read_workbook
from planner.workbook.validate import validate

log = logging.getLogger("planner")


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
    """A solved workbook: ``tables`` are the report's tables as DataFrames (``Summary`` first),
    ``target_gap`` the relative gap the search aimed at; :meth:`write` writes the report."""

    inputs: Inputs
    solution: Solution
    tables: dict[str, pd.DataFrame]
    timings: dict[str, float]
    audit: Audit
    target_gap: float = 0.0
    time_limit_s: float = 600.0
    risk_pending: bool = False  # vss and evpi still to compute (:func:`add_value_of_risk`)

    def write(self, folder: Path | str) -> list[Path]:
        """Write ``plan.xlsx``, ``csv/`` and ``charts/`` into ``folder`` (atomically); returns the files."""
        return write_report(self.tables, Path(folder))

    def __getitem__(self, table: str) -> pd.DataFrame:
        """``result["Actions"]``: one report table."""
        return self.tables[table]


class AuditError(Exception):
    """The plan auditor found the solved plan violating MODEL.md (a bug): no report is written."""

    def __init__(self, result: RunResult):
        self.result = result
        super().__init__("; ".join(result.audit.violations[:10]))


def content_hash(inp: Inputs) -> str:
    """SHA-256 of the typed inputs: unchanged when the same data is saved again (Excel row numbers,
    formatting and file metadata do not enter it)."""

    def strip(value: object) -> object:
        if is_dataclass(value):
            return {k: strip(v) for k, v in asdict(value).items() if k != "row"}  # type: ignore[arg-type]
        if isinstance(value, dict):
            return sorted((repr(k), strip(v)) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return [strip(v) for v in value]
        return value

    canonical = json.dumps(strip(inp), sort_keys=True, default=repr)
    return hashlib.sha256(canonical.encode()).hexdigest()


def progress_line(seconds: float, plan_usd: float, bound_usd: float) -> None:
    """One line of the search's progress on stderr (the ``planner`` log; ``-q`` hides it)."""
    if math.isfinite(plan_usd):
        gap = 100 * abs(plan_usd - bound_usd) / max(abs(plan_usd), 1e-9) if math.isfinite(bound_usd) else math.inf
        log.info("search %7.1f s   best plan $%s   best bound $%s   gap %.2f %%", seconds, f"{plan_usd:,.0f}",
                 f"{bound_usd:,.0f}" if math.isfinite(bound_usd) else "-", gap)
    else:
        log.info("search %7.1f s   no plan yet   best bound $%s", seconds,
                 f"{bound_usd:,.0f}" if math.isfinite(bound_usd) else "-")


def _with_previous(tables: dict[str, pd.DataFrame], previous: PreviousPlan, inp: Inputs,
                   keep_through: str | None) -> dict[str, pd.DataFrame]:
    """The ``Changes`` table against a previous plan, and its cost in Summary (MODEL.md 9)."""
    tables = dict(tables)
    summary = add_metrics(tables["Summary"], [
        ("previous_total_cost", previous.total_cost), ("previous_plan", str(previous.path)),
        ("kept_through", keep_through or "none")])
    tables["Summary"] = summary
    changes = changes_table(previous, tables["Actions"], inp)
    out: dict[str, pd.DataFrame] = {}
    for name, df in tables.items():  # Changes right after Actions
        out[name] = df
        if name == "Actions":
            out["Changes"] = changes
    return out


def plan(path: Path | str, mip_gap: float | None = None, time_limit_s: float | None = None,
         value_of_risk: bool | str | None = None, solver_options: dict | None = None,
         workers: int | None = None, repeatable: bool | None = None, relax_and_fix: bool | None = None,
         previous: Path | str | None = None, keep_through: str | None = None,
         decompose: bool = False, defer_risk: bool = False, start: bool | None = None) -> RunResult | None:
    """Solve the workbook at ``path``; raises InputError or NoPlanError.

    ``workers``: HiGHS searches at once (default: the ``solver_workers`` setting, else
    :func:`planner.solver.highs.default_workers`); 1 is the single, repeatable search.
    ``repeatable`` (default: ``solver_mode`` = repeatable in Settings): one HiGHS search on
    ``workers`` threads instead of ``workers`` searches sharing plans. ``relax_and_fix`` (default:
    ``solver_mode`` = relax-and-fix): search 1 of the plan's portfolio relaxes and fixes the phases and
    funding first (:mod:`planner.solver.relax_fix`).

    ``value_of_risk`` (auto | on | off, or True / False; default: the setting): with a Scenarios sheet, also
    solve the expected-value and wait-and-see problems for ``vss`` and ``evpi`` (:func:`add_value_of_risk`,
    stage ``risk``); auto computes them when they cost less than the plan
    (:func:`planner.analysis.risk.wanted`). With ``defer_risk`` they are not computed here:
    ``result.risk_pending`` says whether the caller should (``planner run`` does, after writing the report).

    ``previous``: a plan (report folder or ``plan.xlsx``) to compare with (the ``Changes`` table);
    ``keep_through``: a quarter up to which that plan's decisions are fixed (MODEL.md 9).

    ``start`` (default: for workbooks with scenarios, :func:`planner.solver.tree_start.wanted`): hand the
    search the tree's LP relaxation, rounded and repaired, as its first plan (:mod:`planner.solver.tree_start`).

    ``decompose``: solve the tree by scenario decomposition on the processes of MPI's world
    (:mod:`planner.solver.decompose`); every process calls ``plan``, rank 0 gets the result, the others None.
    """
    timings: dict[str, float] = {}
    path = Path(path)
    inp = load(path, timings)
    prior = read_plan(Path(previous)) if previous is not None else None
    if keep_through is not None and prior is None:
        raise InputError([Problem("--keep-through", None, None, keep_through, "needs --previous PLAN")])
    fixed = kept_decisions(inp, prior, keep_through) if prior is not None and keep_through else None
    kept = f"the decisions of {prior.path} through {keep_through}" if fixed else None
    gap = inp.settings.mip_gap if mip_gap is None else mip_gap
    limit = inp.settings.time_limit_s if time_limit_s is None else time_limit_s
    # how every MIP of this run is solved: the plan's (with ``solver_options``) and the vss/evpi problems
    search = partial(solve, workers=workers or inp.settings.solver_workers or default_workers(),
                     repeatable=inp.settings.solver_mode == "repeatable" if repeatable is None else repeatable)
    ticker = progress_line if log.isEnabledFor(logging.INFO) else None
    staged = inp.settings.solver_mode == "relax-and-fix" if relax_and_fix is None else relax_and_fix
    main_search = partial(search, extra=solver_options, ticker=ticker, staged=staged)
    explained = partial(_explained, inp=inp, search=main_search, kept=kept)
    if decompose:
        solved = solve_decomposed(inp, gap, limit, explained, fixed=fixed, timings=timings)
        if solved is None:
            return None  # a process of the decomposition other than rank 0
    else:
        solved = solve_inputs(inp, gap, limit, fixed=fixed, timings=timings, solver=explained,
                              start=starter(inp, limit) if start is None or start else None)
    parts, compiled, solution = solved.parts, solved.compiled, solved.solution
    with timed(timings, "marginal"):
        marginal = marginal_tables(inp, compiled, solution,
                                   lambda: compile_model(build_model(inp, tight=False, fixed=fixed)[0]))
    with timed(timings, "results"):
        tables = report_tables(parts, solution, timings, _provenance(path, inp, solution), marginal)
        if prior is not None:
            tables = _with_previous(tables, prior, inp, keep_through)
    with timed(timings, "audit"):
        audit = audit_plan(inp, tables, solution.objective)
        tables["Summary"] = add_metrics(tables["Summary"], [
            ("audit", "pass" if audit.passed else "fail"),
            ("audit_cost_usd", audit.cost),
            ("audit_violations", "; ".join(audit.violations[:5]) if audit.violations else "none"),
        ])
    mode = {True: "on", False: "off", None: inp.settings.value_of_risk}.get(value_of_risk, value_of_risk)  # type: ignore[call-overload]
    want, why = risk_wanted(inp, "off" if decompose and mode == "auto" else str(mode), solution.status)
    if inp.has_scenario_sheet:
        tables["Summary"] = add_metrics(tables["Summary"], [("value_of_risk", "pending" if want else why)])
    result = RunResult(inp, solution, tables, timings, audit, gap, limit, want)
    if not audit.passed:
        raise AuditError(result)
    _warn_if_not_optimal(solution, inp, not staged and search.keywords["workers"] > 1
                         and not search.keywords["repeatable"])
    return add_value_of_risk(result) if want and not defer_risk else result


def add_value_of_risk(result: RunResult, scheduler: str | None = None, workers: int | None = None) -> RunResult:
    """``result`` with vss and evpi (:mod:`planner.analysis.risk`: 2 + |scenarios| MIPs as Dask cases on a local
    cluster of ``workers`` processes, or the running scheduler at ``scheduler``), stage ``risk``."""
    timings = dict(result.timings)
    with timed(timings, "risk"):
        summary = result.tables["Summary"].set_index("metric")["value"]
        risk = risk_values(result.inputs, float(summary["expected_cost"]), result.target_gap, result.time_limit_s,
                           scheduler, workers, progress=log.isEnabledFor(logging.INFO))
    tables = with_value_of_risk(result.tables, risk, timings["risk"])
    return replace(result, tables=tables, timings=timings, risk_pending=False)


def _provenance(path: Path, inp: Inputs, solution: Solution) -> dict[str, object]:
    """Where the plan came from: the input's hashes, the run and the software (Summary rows)."""
    return {
        "input_sha256": sha256_of(path),
        "run_id": uuid.uuid4().hex[:12],
        "input_file": str(path),
        "planner_version": __version__,
        "pyomo_version": _version("pyomo"),
        "highspy_version": _version("highspy"),
        "input_content_sha256": content_hash(inp),
        "solver_options": ", ".join(f"{k}={v}" for k, v in solution.options.items()),
    }


def _explained(compiled, gap: float, limit: float, inp: Inputs, search, kept: str | None, start=None) -> Solution:
    return solve_or_explain(compiled, inp, gap, limit, search, kept=kept, start=start)


def _warn_if_not_optimal(solution: Solution, inp: Inputs, unstaged_portfolio: bool) -> None:
    """Log how far a plan the solver stopped on (time limit) may be from optimal, and what to try
    (:func:`planner.solver.relax_fix.advice`; ``unstaged_portfolio``: the run had two or more searches
    and none relaxed and fixed)."""
    if solution.status == "optimal":
        return
    log.warning("the solver stopped (%s) with a plan %.4f%% from the best bound; it may not be optimal",
                solution.status, 100 * solution.gap)
    hint = relax_fix.advice(unstaged_portfolio, inp.n, len(inp.scenarios), solution.gap)
    if hint:
        log.warning(hint)


__all__ = ["AuditError", "InputError", "NoPlanError", "RunResult", "load", "plan", "timed"]
