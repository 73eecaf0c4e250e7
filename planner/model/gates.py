"""Programs funded gate by gate (MODEL.md 12): ``go[p, g, t_g, k]`` per gate after funding (t_g its quarter).

go[p, g, t_g, k]  binary, a decision of the gate's quarter t_g by class k of that quarter
gate_link:   go[p, g1, k] <= commit[p, k(k, 0)]               (first gate; funded p: <= 1, the bound)
             go[p, g, k]  <= go[p, g_prev, k(k, t_prev)]       (each later gate)
cost in σ:   d(t_g) * cost_g * go[p, g, k(σ, t_g)]; cost_g * go is capex of t_g's year (:mod:`.budget`)
A program with gates orders only from its last gate's quarter on
(:func:`~planner.model.timing.order_quarters`), and its supply link is to the last gate
(:meth:`~planner.model.parts.Parts.funding_of`). Classes only split over time, so the class of a later
quarter names the class of every earlier one (k(k, t) is the class of representative k in t).
"""

from __future__ import annotations

import pyomo.core as pyo

from planner.model.economics import discount
from planner.model.parts import Parts, constraint, decisions


def add_gates(p: Parts) -> None:
    inp, tree, r = p.inp, p.tree, p.inp.settings.discount_rate
    keys = [(g.program, g.gate, g.quarter, k)
            for gates in inp.gates.values() for g in gates for k in tree.classes(g.quarter)]
    go = decisions(p, "go", keys, pyo.Binary, {}) if keys else {}
    p.dec["go"] = go
    rows = {}
    for program, gates in inp.gates.items():
        for i, g in enumerate(gates):
            for k in tree.classes(g.quarter):
                var = go[program, g.gate, g.quarter, k]
                for sc in tree.members(k, g.quarter):
                    p.add_cost(var, discount(g.quarter, r) * g.cost, sc)
                if i == 0:
                    before = p.commit_of(program, k)
                else:
                    prev = gates[i - 1]
                    before = p.gate_of(prev, k)
                if before.has_vars:
                    rows[p.row_key(program, g.gate, scenario=k)] = var - before.expr() <= 0
    constraint(p.m, "gate_link", rows)
