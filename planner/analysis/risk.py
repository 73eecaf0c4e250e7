"""The value of planning for risk (MODEL.md sections 7 and 10): VSS and EVPI.

* Expected-value problem: one scenario with the probability-weighted demand of every workload and
  quarter (weighted multipliers; a ScenarioDemand cell enters with its own du), the probability-weighted
  slips (``asic``, ``build``, ``delivery``, ``lease``) rounded half up to whole quarters, and the programs
  that fail with probability above 0.5.
* Its plan's decisions are fixed in the quarters before the earliest ``branch_quarter`` (every quarter
  when nothing branches: the first stage of section 7) and the rest is re-optimised on the tree;
  ``EEV = sum_σ p[σ] cost[σ]`` of that plan, and ``vss = EEV - E[cost of this plan]``. With nothing
  to re-optimise, the evaluation is risk neutral (each scenario's recourse is then optimal for any
  risk aversion); on a tree the workbook's own objective is used.
* Wait-and-see: each scenario planned alone, ``WS = sum_σ p[σ] cost*[σ]``; ``evpi = E[cost] - WS``.

These are 2 + |scenarios| more MIPs, all independent but the evaluation of the expected-value plan: they
run as cases on Dask (:mod:`planner.analysis.cases`, the engine of sweeps; a local cluster by default, a
running scheduler at ``scheduler``), one HiGHS search on one thread each with its own time limit, in two
rounds: the expected-value problem and every scenario alone, then the evaluation of the expected-value plan.
``planner run`` computes them after the plan's report is written (``value_of_risk`` in Settings:
:func:`wanted`), so they never hold the plan back.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pyomo.core as pyo

from planner.analysis.cases import cluster, run_cases
from planner.model import FIRST_STAGE
from planner.model.build import scenario_cost
from planner.solver.solved import Solved, solve_inputs
from planner.workbook.expected_value import expected_value_inputs
from planner.workbook.inputs import Inputs

#: ``value_of_risk = auto`` computes vss and evpi for trees of at most this many scenarios.
AUTO_MAX_SCENARIOS = 10

def _costs(solved: Solved, inp: Inputs) -> tuple[float, dict[str, float]]:
    """(objective, cost[σ] per scenario) of a solve; NaN and {} without a plan."""
    if not solved.solution.has_plan:
        return math.nan, {}
    return solved.solution.objective, {sc: float(pyo.value(scenario_cost(solved.parts, sc))) for sc in inp.scenarios}


def _ev_decisions(ev: Solved, inp: Inputs) -> dict[str, dict[tuple, float]]:
    """The expected-value plan's decisions before the tree's first branch, keyed for the tree's model."""
    tree = inp.tree
    first_branch, trunk = tree.first_branch(), tree.names[0]
    fixed: dict[str, dict[tuple, float]] = {}
    for name in FIRST_STAGE:
        for key, var in ev.parts.dec.get(name, {}).items():
            *base, _k = key
            t = next((i for i in base if isinstance(i, int)), 0)
            if t < first_branch:
                fixed.setdefault(name, {})[(*base, tree.cls(trunk, t))] = round(var.value or 0.0)
    return fixed


def wanted(inp: Inputs, mode: str, plan_status: str) -> tuple[bool, str]:
    """(compute vss and evpi?, why) for ``value_of_risk`` = ``mode`` (auto | on | off) and the plan's
    solver status. auto: when they cost less than the plan itself, read as: at most
    :data:`AUTO_MAX_SCENARIOS` scenarios (2 + |S| MIPs, each no larger than the tree) and a plan that
    reached its target gap (a plan stopped at its time limit would have each of them stop there too)."""
    if not inp.has_scenario_sheet:
        return False, "no Scenarios sheet"
    if mode == "off":
        return False, "off (value_of_risk)"
    if mode == "on":
        return True, "on (value_of_risk)"
    if len(inp.scenarios) > AUTO_MAX_SCENARIOS:
        return False, (f"skipped: {len(inp.scenarios)} scenarios, more than {AUTO_MAX_SCENARIOS} "
                       "(value_of_risk = on computes them)")
    if plan_status != "optimal":
        return False, "skipped: the plan stopped at its time limit (value_of_risk = on computes them)"
    return True, "auto"


def _case(inp: Inputs, kind: str, name: str, gap: float, time_limit_s: float,
          fixed: dict | None = None) -> dict[str, object]:
    """One MIP of vss or evpi on a Dask worker: ``ev`` (the expected-value plan and its trunk decisions),
    ``alone`` (scenario ``name`` planned alone: its optimal cost) or ``evaluate`` (the tree with ``fixed``)."""
    if kind == "ev":
        solved = solve_inputs(expected_value_inputs(inp), gap, time_limit_s)
        has = solved.solution.has_plan
        return {"kind": kind, "name": name, "fixed": _ev_decisions(solved, inp) if has else None}
    if kind == "alone":
        sol = solve_inputs(inp.alone(name), gap, time_limit_s).solution
        return {"kind": kind, "name": name, "cost": sol.objective if sol.has_plan else math.nan}
    on_tree = inp if inp.tree.branches else replace(inp, settings=replace(inp.settings, risk_aversion=0.0))
    return {"kind": kind, "name": name, "costs": _costs(solve_inputs(on_tree, gap, time_limit_s, fixed=fixed), inp)[1]}


def _failed(case: tuple, exc: Exception) -> dict[str, object]:
    return {"kind": case[0], "name": case[1], "error": f"{type(exc).__name__}: {exc}"}


def value_of_risk(inp: Inputs, expected_cost: float, gap: float, time_limit_s: float,
                  scheduler: str | None = None, workers: int | None = None,
                  progress: bool = False) -> dict[str, object]:
    """vss, evpi and the costs they come from ($ present value); ``ev_plan_costs``: the
    expected-value plan's cost in each scenario, ``alone_costs``: each scenario planned alone.
    The MIPs run as Dask cases (module docstring), each with ``gap`` and ``time_limit_s``."""
    first = [("ev", "expected value", gap, time_limit_s)] + [("alone", n, gap, time_limit_s) for n in inp.scenarios]
    ev_costs: dict[str, float] = {}
    with cluster(scheduler, workers) as client:
        rows, _ = run_cases(inp, _case, first, _failed, progress=progress, desc="vss/evpi MIPs", client=client)
        ev, alone = rows[0], rows[1:]
        if ev.get("fixed") is not None:
            evaluation = [("evaluate", "expected value plan", gap, time_limit_s, ev["fixed"])]
            evaluated, _ = run_cases(inp, _case, evaluation, _failed, progress=progress, desc="vss evaluation",
                                     client=client)
            ev_costs = evaluated[0].get("costs") or {}
    alone_costs = {r["name"]: float(r.get("cost", math.nan)) for r in alone}
    eev = sum(inp.scenarios[sc].probability * c for sc, c in ev_costs.items()) if ev_costs else math.nan
    ws = sum(inp.scenarios[name].probability * c for name, c in alone_costs.items())
    return {"vss": eev - expected_cost, "evpi": expected_cost - ws,
            "expected_value_plan_cost": eev, "wait_and_see_cost": ws,
            "ev_plan_costs": ev_costs, "alone_costs": alone_costs}
