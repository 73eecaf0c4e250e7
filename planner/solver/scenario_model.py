"""One scenario of the tree as a model of its own, for the scenario decomposition (mpi-sppy).

Scenario σ is built alone (:meth:`~planner.workbook.inputs.Inputs.alone`): the same decisions, one column
each, with the tight bounds of the whole tree (``scope``). Its objective is σ's term of the workbook's
objective (MODEL.md 7), in units of :data:`SCALE` dollars:

    (1 - λ) cost[σ] + λ u (η + excess[σ] / (1 - α)),   excess[σ] >= cost[σ] / u - η,  excess[σ] >= 0

so that ``sum_σ p[σ] objective[σ]`` is the workbook's objective; η (CVaR's value at risk, in units u of
:func:`~planner.model.build.cvar_unit`) is a decision of the root. Every whole decision of quarter t
(``FIRST_STAGE``) is non-anticipative at σ's node of the stage holding t (:mod:`.tree_nodes`); the
decomposition relaxes exactly these equalities between scenarios.
"""

from __future__ import annotations

import pyomo.core as pyo

from planner.model import FIRST_STAGE, build_model
from planner.model.build import scenario_cost
from planner.model.parts import Parts
from planner.solver.tree_nodes import NodeTree
from planner.workbook.inputs import Inputs

#: $ per unit of a scenario's objective (2**20, about $1M): the sub-MIPs' costs stay near 1 .. 1e5.
SCALE = float(2**20)


def quarter_of(key: tuple) -> int:
    """The quarter of a decision key ``(..., k)``: its first whole-number item (0 for ``commit``)."""
    return next((i for i in key[:-1] if isinstance(i, int)), 0)


def nonants(parts: Parts, nodes: NodeTree) -> dict[int, list[tuple[str, tuple, object]]]:
    """Per stage, ``(decision, key without k, variable)`` of every whole decision of its quarters, in
    column order (the same order in every scenario: only k differs)."""
    out: dict[int, list[tuple[str, tuple, object]]] = {i + 1: [] for i in range(len(nodes.starts))}
    for name in FIRST_STAGE:
        for key, var in parts.dec.get(name, {}).items():
            out[nodes.stage_of(quarter_of(key))].append((name, key[:-1], var))
    return out


def fixed_for(inp: Inputs, fixed: dict[str, dict[tuple, float]] | None, scenario: str) -> dict[str, dict]:
    """The tree's fixed decisions (class-ended keys) that scenario takes, keyed for its model alone."""
    out: dict[str, dict] = {}
    for name, values in (fixed or {}).items():
        for key, value in values.items():
            if inp.tree.cls(scenario, quarter_of(key)) == key[-1]:
                out.setdefault(name, {})[(*key[:-1], scenario)] = value
    return out


def _risk_objective(model: pyo.ConcreteModel, parts: Parts, inp: Inputs, scenario: str, unit: float):
    """σ's term of the objective (module docstring), scaled; η and excess[σ] are added to ``model``."""
    cost = scenario_cost(parts, scenario)
    lam = inp.risk_aversion
    if lam == 0.0:
        return cost / SCALE
    alpha = inp.settings.cvar_alpha
    model.eta = pyo.Var(domain=pyo.Reals)
    model.excess = pyo.Var(domain=pyo.NonNegativeReals)
    model.cvar_excess = pyo.Constraint(expr=model.excess - cost / unit + model.eta >= 0)
    return ((1.0 - lam) * cost + lam * unit * (model.eta + model.excess / (1.0 - alpha))) / SCALE


def scenario_creator(scenario: str, inputs: Inputs, nodes: NodeTree, unit: float = 1.0,
                     fixed: dict[str, dict[tuple, float]] | None = None) -> pyo.ConcreteModel:
    """mpi-sppy's scenario creator: σ's model with its probability and its path of tree nodes.
    ``unit``: the $ unit of η (the same in every scenario); ``fixed``: decisions of the tree fixed."""
    from mpisppy.scenario_tree import ScenarioNode

    model, parts = build_model(inputs.alone(scenario), fixed=fixed_for(inputs, fixed, scenario), scope=inputs)
    model.total_cost.deactivate()
    model.scenario_objective = pyo.Objective(expr=_risk_objective(model, parts, inputs, scenario, unit),
                                             sense=pyo.minimize)
    by_stage = nonants(parts, nodes)
    # a decision no row or cost of σ sees (a lease signed too late to serve in σ) must still reach the
    # sub-solver: mpi-sppy refuses a non-anticipative column it never sent; this row always holds (all >= 0)
    model.name = scenario
    model.every_decision = pyo.Constraint(expr=pyo.quicksum(v for stage in by_stage.values()
                                                            for _n, _k, v in stage) >= 0)
    if inputs.risk_aversion > 0:
        by_stage[1].append(("eta", (), model.eta))
    model._mpisppy_probability = inputs.scenarios[scenario].probability
    model._mpisppy_node_list = [
        ScenarioNode(node.name, node.cond_prob, node.stage,
                     model.scenario_objective.expr if node.stage == 1 else 0.0,
                     [var for _n, _k, var in by_stage[node.stage]], model, parent_name=node.parent)
        for node in nodes.path(scenario)]
    model._planner_nonants = by_stage
    return model


def scenario_denouement(rank: int, scenario: str, model: pyo.ConcreteModel) -> None:
    """mpi-sppy's hook after the search: nothing to do (the plan is read from the nonants)."""
