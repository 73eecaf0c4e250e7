"""On-demand capacity (MODEL.md 11): rented by the quarter, per scenario, without commitment.

ondemand[c, q, σ] >= 0 (continuous), <= max_units(c) (the column's bound; blank: none), only in the
source's quarters. For coverage, the lease capacity rows and the ASIC and provider shares it is one more
lease contract with active[c, q, σ] = ondemand[c, q, σ] (:mod:`.coverage`); it has no lead time, term or
slip. cost in σ = sum_q d(q) * price_per_unit_quarter(c) * ondemand[c, q, σ].
In the tight formulation the bound is also at most the accelerators of its type that could ever serve
(:func:`planner.model.bounds.useful_units`): renting more only adds cost.
"""

from __future__ import annotations

import math

import pyomo.core as pyo

from planner.model.bounds import useful_units
from planner.model.economics import discount
from planner.model.parts import Parts, variables

#: Prefix of an on-demand source's contract name (Capacity's ``source``).
ON_DEMAND = "on-demand "


def add_ondemand(p: Parts) -> None:
    inp, r = p.inp, p.inp.settings.discount_rate
    keys, caps = [], {}
    for c in inp.ondemand:
        cap = c.max_units
        if p.tight:
            useful = useful_units(inp, c.hardware, lambda w, h=c.hardware: inp.throughput.get((h, w), 0.0))
            cap = useful if cap is None else min(cap, useful)
        for q in c.quarters(inp.n):
            for sc in inp.scenarios:
                keys.append((ON_DEMAND + c.name, q, sc))
                if cap is not None and math.isfinite(cap):
                    caps[ON_DEMAND + c.name, q, sc] = cap
    rented = variables(p.m, "ondemand", keys, 3, pyo.NonNegativeReals, caps)
    for c in inp.ondemand:
        p.contracts[ON_DEMAND + c.name] = (c.provider, c.hardware)
        p.ondemand[ON_DEMAND + c.name] = c
    for (name, q, sc) in keys:
        var = rented[name, q, sc]
        p.active[name, q, sc].add(1.0, var)
        p.add_cost(var, discount(q, r) * p.ondemand[name].price_per_unit_quarter, sc)
