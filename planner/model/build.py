"""Assemble the model: variables and constraints by concern, then the objective.

cost[σ] (MODEL.md 5 and 11) is the present value
    sum_q d(q) [leases + on-demand rent + new hardware annuities + new phase annuities + opex
                + energy of powered units + unmet] + sum_p nre_cost(p) commit[p]
    - sum_t d(t) resale of the existing fleet sold
    + sum_t d(t) [option fees + gate costs]   (MODEL.md 12; exercised options are leases)
of scenario σ. Each component adds its decision's present-value coefficient to
``Parts.cost[σ]`` and its constant part to ``Parts.cost_const[σ]``.

Objective (MODEL.md 7), with probabilities p[σ], risk aversion λ and CVaR level α:
    minimise (1 - λ) sum_σ p[σ] cost[σ] + λ (η + 1 / (1 - α) sum_σ p[σ] excess[σ])
    excess[σ] >= cost[σ] - η,  excess[σ] >= 0
With one scenario (no Scenarios sheet) or λ = 0 it is the expected cost and η,
excess are not built.
"""

from __future__ import annotations

import math

import pyomo.core as pyo
from pyomo.common.collections import ComponentMap

from planner.model.budget import add_budget
from planner.model.coverage import add_coverage
from planner.model.leases import add_leases
from planner.model.ondemand import add_ondemand
from planner.model.options import add_options
from planner.model.owned import add_owned
from planner.model.parts import Parts, constraint, variables
from planner.model.powered import add_powered
from planner.model.programs import add_programs
from planner.model.sites import add_power, add_sites
from planner.workbook.inputs import Inputs
from planner.workbook.tree import Tree


def scenario_cost(p: Parts, sc: str):
    """cost[σ] as a Pyomo expression ($ present value)."""
    return pyo.quicksum((c * v for v, c in p.cost[sc].items() if c != 0.0), start=p.cost_const[sc])


def _objective(p: Parts) -> None:
    inp, m = p.inp, p.m
    lam = inp.risk_aversion
    weights = ComponentMap()
    const = 0.0
    for sc, scenario in inp.scenarios.items():
        share = (1.0 - lam) * scenario.probability
        const += share * p.cost_const[sc]
        for v, c in p.cost[sc].items():
            weights[v] = weights.get(v, 0.0) + share * c
    expected = pyo.quicksum((c * v for v, c in weights.items() if c != 0.0), start=const)
    if lam == 0.0:
        m.total_cost = pyo.Objective(expr=expected, sense=pyo.minimize)
        return
    alpha = inp.settings.cvar_alpha
    unit = cvar_unit(p)
    m.eta = pyo.Var(domain=pyo.Reals)
    excess = variables(m, "excess", list(inp.scenarios), 1, pyo.NonNegativeReals)
    constraint(m, "cvar_excess", {sc: excess[sc] - scenario_cost(p, sc) / unit + m.eta >= 0 for sc in inp.scenarios})
    tail = pyo.quicksum(sc.probability * excess[name] for name, sc in inp.scenarios.items())
    m.total_cost = pyo.Objective(expr=expected + lam * unit * (m.eta + tail / (1.0 - alpha)), sense=pyo.minimize)


def cvar_unit(p: Parts) -> float:
    """The $ unit of η and excess[σ]: a power of two near the largest cost coefficient / 2**10.

    The rows ``excess[σ] >= cost[σ] - η`` hold every decision's present value (up to ~1e9 $ a
    block), beside coefficients of 1 on η and excess. With η and excess counted in this unit the
    row is divided by it (exactly, a power of two) and its coefficients stay within ~2**10: on
    such rows in dollars HiGHS returned "optimal" plans above a feasible plan's cost (an invalid
    bound; benchmarks/README.md, sixth round)."""
    largest = max([abs(c) for costs in p.cost.values() for c in costs.values()] +
                  [abs(c) for c in p.cost_const.values()] + [1.0])
    return math.ldexp(1.0, max(0, math.ceil(math.log2(largest)) - 10))


def build_model(inp: Inputs, tight: bool = True, fixed: dict[str, dict[tuple, float]] | None = None,
                tree: Tree | None = None, scope: Inputs | None = None) -> tuple[pyo.ConcreteModel, Parts]:
    """The Pyomo model of the plan and the shared parts it was built from.

    ``tight`` adds the bounds and links of :mod:`planner.model.bounds` (same optimum,
    faster search); ``tight=False`` is the plain formulation of MODEL.md, kept as a
    test oracle and a benchmark baseline. ``fixed``: decisions fixed at a value, by decision
    name and class-ended key (see :class:`~planner.model.parts.Parts`). ``tree``: the partition of
    scenarios per quarter (default ``inp.tree``; benchmarks pass a finer one to compare
    formulations). ``scope``: see :class:`~planner.model.parts.Parts` (the decomposition's scenarios).
    """
    m = pyo.ConcreteModel(name="planner")
    p = Parts(inp=inp, m=m, tight=tight, tree=tree, fixed=fixed or {}, scope=scope)
    add_leases(p)
    add_options(p)
    add_ondemand(p)
    add_owned(p)
    add_sites(p)
    add_powered(p)
    add_power(p)
    add_programs(p)
    add_coverage(p)
    add_budget(p)
    _objective(p)
    return m, p


#: The whole decisions, taken per class of scenarios (MODEL.md 7 and 10).
FIRST_STAGE = ("lease", "order", "phase", "commit", "sell", "reserve", "exercise", "go")

#: The few, lumpy whole decisions: build phases (a whole phase of MW, for the rest of the horizon),
#: program funding (all of a program's NRE) and its gates. The solver's relax-and-fix search
#: (:mod:`planner.solver.relax_fix`) keeps only these whole in its relaxation and fixes them next.
STRATEGIC = ("phase", "commit", "go")


def first_stage_decisions(p: Parts) -> dict[str, int]:
    """The plan's non-zero whole decisions, keyed like ``order VR200/site0@2028Q2`` (with
    `` [scenarios]`` when the tree branches)."""
    out = {}
    for name in FIRST_STAGE:
        for key, var in p.dec.get(name, {}).items():
            if var.value and abs(var.value) > 1e-6:
                *base, k = key
                t = next((i for i in base if isinstance(i, int)), 0)
                where = "/".join(str(i) for i in base if not isinstance(i, int))
                when = "".join(f"@{p.inp.quarter_label(i)}" for i in base if isinstance(i, int))
                label = f" [{p.tree.label(k, t)}]" if p.branching else ""  # type: ignore[union-attr]
                out[f"{'fund' if name == 'commit' else name} {where}{when}{label}"] = round(var.value)
    return out
