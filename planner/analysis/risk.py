"""The value of planning for risk (MODEL.md section 7): VSS and EVPI.

* Expected-value plan: one scenario with the probability-weighted demand
  multipliers and the probability-weighted extra ASIC slip rounded to whole
  quarters; its first stage (leases, orders, phases, programs) is then fixed and
  evaluated in every scenario: ``EEV = sum_σ p[σ] cost[σ]`` of that plan.
* ``vss  = EEV - E[cost of this plan]``
* Wait-and-see: each scenario planned alone, ``WS = sum_σ p[σ] cost*[σ]``.
* ``evpi = E[cost of this plan] - WS``
"""

from __future__ import annotations

import math
from dataclasses import replace

import pyomo.core as pyo

from planner.model import FIRST_STAGE
from planner.model.build import scenario_cost
from planner.solver.highs import Solver, solve
from planner.solver.solved import solve_inputs
from planner.workbook.inputs import Inputs, Scenario


def _solve_value(inp: Inputs, gap: float, time_limit_s: float, solver: Solver, fixed: dict | None = None):
    """Solve with ``solver`` (first-stage values ``fixed``); returns the model, the objective and
    cost[σ] per scenario."""
    solved = solve_inputs(inp, gap, time_limit_s, fixed=fixed, solver=solver)
    if not solved.solution.has_plan:
        return solved.model, math.nan, {}
    costs = {sc: float(pyo.value(scenario_cost(solved.parts, sc))) for sc in inp.scenarios}
    return solved.model, solved.solution.objective, costs


def expected_value_scenario(inp: Inputs) -> Scenario:
    """The single scenario of the expected-value problem."""
    probs = {name: sc.probability for name, sc in inp.scenarios.items()}
    mult = {w: sum(p * inp.scenarios[n].multiplier(w) for n, p in probs.items()) for w in inp.workloads}
    slip = sum(p * inp.scenarios[n].asic_slip for n, p in probs.items())
    return Scenario("expected value", 1.0, mult, math.floor(slip + 0.5))


def value_of_risk(inp: Inputs, expected_cost: float, gap: float, time_limit_s: float,
                  solver: Solver = solve) -> dict[str, object]:
    """vss, evpi and the costs they come from ($ present value); ``ev_plan_costs``: the
    expected-value plan's cost in each scenario, ``alone_costs``: each scenario planned alone.
    Each problem is solved by ``solver`` (the run's: same searches, same mode)."""
    ev = expected_value_scenario(inp)
    ev_model, _, _ = _solve_value(replace(inp, scenarios={ev.name: ev}, has_scenario_sheet=False), gap,
                                  time_limit_s, solver)
    first = {name: {k: round(v.value or 0.0) for k, v in getattr(ev_model, name).items()} for name in FIRST_STAGE}
    neutral = replace(inp, settings=replace(inp.settings, risk_aversion=0.0))
    _, eev, ev_costs = _solve_value(neutral, gap, time_limit_s, solver, fixed=first)
    ws, alone_costs = 0.0, {}
    for name, sc in inp.scenarios.items():
        alone = replace(inp, scenarios={name: replace(sc, probability=1.0)}, has_scenario_sheet=False)
        alone_costs[name] = _solve_value(alone, gap, time_limit_s, solver)[1]
        ws += sc.probability * alone_costs[name]
    return {"vss": eev - expected_cost, "evpi": expected_cost - ws,
            "expected_value_plan_cost": eev, "wait_and_see_cost": ws,
            "ev_plan_costs": ev_costs, "alone_costs": alone_costs}
