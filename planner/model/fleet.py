"""The existing fleet (MODEL.md 9 and 11): batches in service, and the sales of those for sale.

Batch b of hardware h at site s, in service in q (its window, slipped if still to arrive):
owned[h, s, q, σ] += units(b) - sum_{t <= q} sell[b, t, k(σ, t)]     (also fleet[h, q, σ])
sell[b, t, k] integer >= 0, for t = 0 .. last(b) (clipped), only for a batch with a resale_value in
service at start_quarter (:func:`planner.model.timing.sale_quarters`); k(σ, t) is σ's class in t.
sell_limit:  sum_t sell[b, t, k(σ, t)] <= units(b)   (the variable's bound, and one row per distinct
             sequence of classes when b can be sold in two quarters or more)
cost in σ:   - sum_t d(t) * resale(b, t) * sell[b, t, k(σ, t)],
             resale(b, t) = resale_value(b) * (last(b) - t + 1) / (last(b) + 1)  ($ per accelerator)
The existing fleet carries no capital charge; its energy is paid on what is powered (:mod:`.powered`).
Sales are not capex (no Budget).
"""

from __future__ import annotations

import math

import pyomo.core as pyo

from planner.model.economics import discount
from planner.model.parts import Parts, constraint, decisions, total_rows
from planner.model.timing import fleet_quarters, sale_quarters


def add_fleet(p: Parts) -> None:
    inp, tree, r = p.inp, p.tree, p.inp.settings.discount_rate
    keys, bounds = [], {}
    for b in inp.fleet:
        for t in sale_quarters(inp, b):
            for k in tree.classes(t):
                keys.append((b.name, t, k))
                bounds[b.name, t, k] = math.floor(b.units + 1e-9)
    sell = decisions(p, "sell", keys, pyo.NonNegativeIntegers, bounds)
    batches = {b.name: b for b in inp.fleet}
    for (bn, t, k), var in sell.items():
        for sc in tree.members(k, t):
            p.add_cost(var, -discount(t, r) * batches[bn].resale(t), sc)
    for b in inp.fleet:
        for sc in inp.scenarios:
            sold = [(t, sell[b.name, t, tree.cls(sc, t)]) for t in sale_quarters(inp, b)]
            for q in fleet_quarters(inp, b, sc):
                owned, fleet = p.owned[b.hardware, b.site, q, sc], p.fleet[b.hardware, q, sc]
                owned.const += b.units
                fleet.const += b.units
                for t, var in sold:
                    if t <= q:
                        owned.add(-1.0, var)
                        fleet.add(-1.0, var)
    _sell_limit(p)


def _sell_limit(p: Parts) -> None:
    """sum_t sell[b, t, k(σ, t)] <= units(b), once per distinct signature of classes."""
    rows: dict = {}
    for b in p.inp.fleet:
        total_rows(p, "sell", b.name, sale_quarters(p.inp, b), b.units, rows)
    constraint(p.m, "sell_limit", rows)
