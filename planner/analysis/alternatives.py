"""``planner alternatives``: near-optimal alternatives of a plan, one extreme per case, on Dask.

Modelling to generate alternatives (MGA) for a mixed-integer plan: after the plan (cost C*, the objective of
``run``: expected cost, or the workbook's risk objective), each case minimises or maximises one axis
(:mod:`planner.analysis.axes`) subject to every constraint of the plan and

    objective <= (1 + slack) * C*                                   (the cost cap, a row of the model)

starting from the plan itself (feasible in every case). Cases run like sweep cases: the typed inputs are
scattered once to a ``LocalCluster`` of single-threaded workers (or a running scheduler), each case builds,
solves with one HiGHS search and audits its own model, and a case that fails or stops without a plan is
reported in its row. A case that stops at its time limit reports its bound beside the value found.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyomo.core as pyo

from planner.analysis.axes import axis_terms, axis_unit, decision_groups
from planner.analysis.cases import run_cases
from planner.model import build_model
from planner.model.parts import value_of
from planner.report.results import report_tables
from planner.solver.compile import compile_model
from planner.solver.highs import load_values, solve
from planner.workbook.inputs import Inputs

SENSES = ("minimum", "maximum")
#: The auditor's signature: (inputs, report tables, objective $) -> an outcome with ``passed`` and ``violations``.
Audit = Callable[[Inputs, dict, float], object]


def solve_extreme(inp: Inputs, axis: str, sense: str, cap: float, gap: float, time_limit_s: float,
                  start: np.ndarray | None = None, axes: tuple[str, ...] = (), audit: Audit | None = None
                  ) -> dict[str, object]:
    """One case: ``sense`` of ``axis`` with the objective capped at ``cap`` $ (never raises). ``values``: the
    plan found on each of ``axes`` too, so every alternative widens every range it can. ``audit(inputs, tables,
    cost)``: the independent auditor (:func:`planner.audit.auditor.audit_plan`, passed in by the command, since
    the auditor stands apart from the stages), run on the plan found."""
    row: dict[str, object] = {"axis": axis, "sense": sense}
    t0 = time.perf_counter()
    try:
        m, p = build_model(inp)
        lin = axis_terms(p, axis)
        sign = 1.0 if sense == "minimum" else -1.0
        m.cost_cap = pyo.Constraint(expr=m.total_cost.expr <= cap)
        m.total_cost.deactivate()
        m.axis_objective = pyo.Objective(expr=lin.expr(sign), sense=pyo.minimize)
        compiled = compile_model(m)
        solution = solve(compiled, gap, time_limit_s, start=start)
        row.update(status=solution.status)
        if not solution.has_plan:
            row.update(error="no plan found (time limit or infeasible)")
            return row
        load_values(compiled, solution)
        cost = float(pyo.value(m.total_cost.expr))
        tables = report_tables(p, solution, {}, {})
        checked = audit(inp, tables, cost) if audit is not None else None
        values = {a: value_of(axis_terms(p, a)) for a in axes}
        verdict = "not run" if checked is None else "pass" if checked.passed else "; ".join(checked.violations[:3])
        row.update(value=value_of(lin), bound=sign * solution.best_bound, cost=cost, groups=decision_groups(p),
                   values=values, actions=tables["Actions"], audit=verdict)
    except Exception as exc:  # a failed case is reported, never stops the others
        row.update(status="error", error=f"{type(exc).__name__}: {exc}")
    finally:
        row["seconds"] = round(time.perf_counter() - t0, 3)
    return row


def solve_plan(inp: Inputs, axes: list[str], gap: float, time_limit_s: float, workers: int = 1) -> dict[str, object]:
    """The plan, as ``run`` solves it (``workers`` searches): its status, cost, gap, plan (values per column),
    axis values and decision groups. The axes are checked here, before any case is submitted."""
    from functools import partial

    from planner.solver.solved import solve_inputs

    solved = solve_inputs(inp, gap, time_limit_s, solver=partial(solve, workers=workers))
    lins = {axis: axis_terms(solved.parts, axis) for axis in axes}
    solution = solved.solution
    if not solution.has_plan:
        return {"status": solution.status}
    return {"status": solution.status, "cost": solution.objective, "gap": solution.gap, "start": solution.col_value,
            "values": {axis: value_of(lin) for axis, lin in lins.items()}, "groups": decision_groups(solved.parts)}


def run_alternatives(inp: Inputs, axes: list[str], cap: float, start: np.ndarray | None, gap: float,
                     time_limit_s: float, scheduler: str | None = None, workers: int | None = None,
                     progress: bool = True, audit: Audit | None = None) -> list[dict[str, object]]:
    """Every (axis, sense) case on Dask, in the order of ``axes``; one row each (``audit``: see
    :func:`solve_extreme`)."""
    cases = [(axis, sense, cap, gap, time_limit_s, start, tuple(axes), audit) for axis in axes for sense in SENSES]
    rows, _ = run_cases(inp, solve_extreme, cases, lambda case, exc: {
        "axis": case[0], "sense": case[1], "status": "failed", "error": f"{type(exc).__name__}: {exc}"},
        scheduler, workers, progress, desc="alternatives")
    return rows


def alternatives_tables(plan: dict[str, object], rows: list[dict[str, object]], slack: float,
                        seconds: float) -> dict[str, pd.DataFrame]:
    """Summary, Axes (minimum, plan, maximum per axis), Firm (per decision group) and Alternatives (per case).
    ``plan``: the plan's ``cost``, axis ``values`` and decision ``groups``. An axis's minimum and maximum are
    over every plan found (the plan and each case's, which all satisfy the cost cap), beside the bound its own
    case proved; ``*_cost_usd`` and ``*_status`` are those of its own case."""
    cost = float(plan["cost"])  # type: ignore[arg-type]
    cases = pd.DataFrame([{k: v for k, v in r.items() if k not in ("groups", "actions", "values")} for r in rows])
    cases = cases.reindex(columns=["axis", "sense", "status", "value", "bound", "cost", "audit", "seconds", "error"])
    cases["cost_vs_plan"] = cases.cost / cost - 1.0
    axes = []
    for axis in dict.fromkeys(cases.axis):
        low, high = (cases[(cases.axis == axis) & (cases.sense == s)].iloc[0] for s in SENSES)
        seen = [float(r["values"][axis]) for r in rows if isinstance(r.get("values"), dict) and axis in r["values"]]
        seen += [float(plan["values"][axis])]  # type: ignore[index]
        axes.append(dict(axis=axis, minimum=min(seen), plan=seen[-1], maximum=max(seen), unit=axis_unit(axis),
                         minimum_bound=low.bound, maximum_bound=high.bound, minimum_cost_usd=low.cost,
                         maximum_cost_usd=high.cost, minimum_status=low.status, maximum_status=high.status))
    summary = pd.DataFrame([("plan_cost", cost), ("slack", slack), ("cost_cap_usd", cost * (1 + slack)),
                            ("cases", len(rows)), ("cases_with_a_plan", int(cases.value.notna().sum())),
                            ("cases_audited_pass", int((cases.audit == "pass").sum())),
                            ("wall_seconds", round(seconds, 2))], columns=["metric", "value"])
    return {"Summary": summary, "Axes": pd.DataFrame(axes), "Firm": firm_table(plan, rows), "Alternatives": cases}


def firm_table(plan: dict[str, object], rows: list[dict[str, object]], tol: float = 1e-6) -> pd.DataFrame:
    """Per decision group: the plan's value, the range over the plan and every alternative found, ``firm``
    when all agree (to ``tol``, relative to the group's size)."""
    found = [plan["groups"]] + [r["groups"] for r in rows if isinstance(r.get("groups"), dict)]
    keys = sorted({k for g in found for k in g})  # type: ignore[union-attr]
    out = []
    for key in keys:
        values = [float(g.get(key, 0.0)) for g in found]  # type: ignore[union-attr]
        low, high = min(values), max(values)
        out.append(dict(group=key, plan=float(plan["groups"].get(key, 0.0)), minimum=low, maximum=high,  # type: ignore[union-attr]
                        firm=high - low <= tol * max(1.0, abs(high)), alternatives=len(found) - 1))
    df = pd.DataFrame(out, columns=["group", "plan", "minimum", "maximum", "firm", "alternatives"])
    return df[(df.maximum.abs() > 1e-9) | (df.minimum.abs() > 1e-9)].reset_index(drop=True)
