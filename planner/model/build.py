"""Assemble the model: variables and constraints by concern, then the objective.

Objective (MODEL.md 5): minimise the present value
    sum_q d(q) [leases + new hardware annuities + new phase annuities + opex + energy + unmet]
    + sum_p nre_cost(p) commit[p]
Each component adds its decision's present-value coefficient to ``Parts.cost`` and
its constant part to ``Parts.cost_const``; the objective is their sum.
"""

from __future__ import annotations

import pyomo.environ as pyo

from planner.inputs import Inputs
from planner.model.budget import add_budget
from planner.model.coverage import add_coverage
from planner.model.leases import add_leases
from planner.model.owned import add_owned
from planner.model.parts import Parts
from planner.model.programs import add_programs
from planner.model.sites import add_sites


def build_model(inp: Inputs) -> tuple[pyo.ConcreteModel, Parts]:
    """The Pyomo model of the plan and the shared parts it was built from."""
    m = pyo.ConcreteModel(name="planner")
    p = Parts(inp=inp, m=m)
    add_leases(p)
    add_owned(p)
    add_sites(p)
    add_programs(p)
    add_coverage(p)
    add_budget(p)
    m.total_cost = pyo.Objective(
        expr=pyo.quicksum((c * v for v, c in p.cost.items() if c != 0.0), start=p.cost_const),
        sense=pyo.minimize)
    return m, p
