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

These are 2 + |scenarios| more MIPs, all independent but the evaluation of the expected-value
plan. They are solved ``at_once`` at a time (one core each, one HiGHS search each), which keeps
every core busy on its own problem instead of two searches racing on one: measured on an
evaluation instance with 7 scenarios, the stage took 14.4 s as a sequence of two-search
portfolios (benchmarks/README.md). Models are built and loaded on the calling thread (Pyomo is
not thread-safe); only the solves run on the pool's threads, where HiGHS releases the GIL.
"""

from __future__ import annotations

import math
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace

import pyomo.core as pyo

from planner.model import FIRST_STAGE
from planner.model.build import scenario_cost
from planner.solver.highs import Solver, solve
from planner.solver.solved import Solved, built, loaded
from planner.workbook.inputs import Inputs, Scenario

EV = "expected value"


def _half_up(x: float) -> int:
    return math.floor(x + 0.5 + 1e-9)


def expected_value_inputs(inp: Inputs) -> Inputs:
    """The single-scenario inputs of the expected-value problem."""
    probs = {name: sc.probability for name, sc in inp.scenarios.items()}
    mult = {w: sum(p * inp.scenarios[n].multiplier(w) for n, p in probs.items()) for w in inp.workloads}
    overridden = {(w, q) for (_sc, w, q) in inp.scenario_demand_du}
    demand = {(EV, w, q): sum(p * inp.scenario_demand(w, q, n) for n, p in probs.items()) for (w, q) in overridden}

    def slip(field: str) -> int:
        return _half_up(sum(p * getattr(inp.scenarios[n], field) for n, p in probs.items()))

    failed = frozenset(prog for prog in inp.programs
                       if sum(p for n, p in probs.items() if prog in inp.scenarios[n].failed) > 0.5)
    ev = Scenario(EV, 1.0, mult, slip("asic_slip"), build_slip=slip("build_slip"),
                  delivery_slip=slip("delivery_slip"), lease_slip=slip("lease_slip"), failed=failed)
    return replace(inp, scenarios={EV: ev}, has_scenario_sheet=False, scenario_demand_du=demand)


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


def value_of_risk(inp: Inputs, expected_cost: float, gap: float, time_limit_s: float,
                  solver: Solver = solve, at_once: int = 1) -> dict[str, object]:
    """vss, evpi and the costs they come from ($ present value); ``ev_plan_costs``: the
    expected-value plan's cost in each scenario, ``alone_costs``: each scenario planned alone.
    Each problem is solved by ``solver``, ``at_once`` of them at a time (see the module docstring)."""
    ev_model = built(expected_value_inputs(inp))
    with ThreadPoolExecutor(max_workers=max(1, at_once)) as pool:
        def start(b: Solved) -> Future:
            return pool.submit(solver, b.compiled, gap, time_limit_s)

        ev_future = start(ev_model)
        # each scenario alone: only its optimal cost is needed, so its plan is never loaded
        alone = {name: start(built(inp.alone(name))) for name in inp.scenarios}
        ev = loaded(ev_model, ev_future.result())
        evaluation = None
        if ev.solution.has_plan:
            on_tree = inp if inp.tree.branches else replace(inp, settings=replace(inp.settings, risk_aversion=0.0))
            evaluation = built(on_tree, fixed=_ev_decisions(ev, inp))
            eval_future = start(evaluation)
        alone_costs = {name: (s.objective if s.has_plan else math.nan) for name, s in
                       ((name, f.result()) for name, f in alone.items())}
        ev_costs = _costs(loaded(evaluation, eval_future.result()), inp)[1] if evaluation is not None else {}
    eev = sum(inp.scenarios[sc].probability * c for sc, c in ev_costs.items()) if ev_costs else math.nan
    ws = sum(inp.scenarios[name].probability * c for name, c in alone_costs.items())
    return {"vss": eev - expected_cost, "evpi": expected_cost - ws,
            "expected_value_plan_cost": eev, "wait_and_see_cost": ws,
            "ev_plan_costs": ev_costs, "alone_costs": alone_costs}
