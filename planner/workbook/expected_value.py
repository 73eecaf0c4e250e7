"""The expected-value problem of a set of scenarios (MODEL.md 7): one scenario with the probability-weighted
demand of every workload and quarter (weighted multipliers; a ScenarioDemand cell enters with its own du),
the probability-weighted slips (``asic``, ``build``, ``delivery``, ``lease``) rounded half up to whole
quarters, and the programs that fail with probability above 0.5.

vss (:mod:`planner.analysis.risk`) evaluates its plan on the tree; the solver's start for trees
(:mod:`planner.solver.tree_start`) repairs it on the tree.
"""

from __future__ import annotations

import math
from dataclasses import replace

from planner.workbook.inputs import Inputs, Scenario

EV = "expected value"


def half_up(x: float) -> int:
    """x rounded to the nearest whole number, halves up (the slips of the expected-value problem, and the
    tree start's strategic decisions)."""
    return math.floor(x + 0.5 + 1e-9)


def expected_value_inputs(inp: Inputs) -> Inputs:
    """The single-scenario inputs of the expected-value problem."""
    probs = {name: sc.probability for name, sc in inp.scenarios.items()}
    mult = {w: sum(p * inp.scenarios[n].multiplier(w) for n, p in probs.items()) for w in inp.workloads}
    overridden = {(w, q) for (_sc, w, q) in inp.scenario_demand_du}
    demand = {(EV, w, q): sum(p * inp.scenario_demand(w, q, n) for n, p in probs.items()) for (w, q) in overridden}

    def slip(field: str) -> int:
        return half_up(sum(p * getattr(inp.scenarios[n], field) for n, p in probs.items()))

    failed = frozenset(prog for prog in inp.programs
                       if sum(p for n, p in probs.items() if prog in inp.scenarios[n].failed) > 0.5)
    ev = Scenario(EV, 1.0, mult, slip("asic_slip"), build_slip=slip("build_slip"),
                  delivery_slip=slip("delivery_slip"), lease_slip=slip("lease_slip"), failed=failed)
    return replace(inp, scenarios={EV: ev}, has_scenario_sheet=False, scenario_demand_du=demand)
