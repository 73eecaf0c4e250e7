"""Lease expansion options (MODEL.md 12): blocks bought now (``reserve``), signed later (``exercise``).

reserve[x, t, k]  integer >= 0, t in the buy window (:func:`~planner.model.timing.reserve_quarters`)
exercise[x, t, k] integer >= 0, t in the exercise window with t + lead_time(o) inside the horizon
                  (:func:`~planner.model.timing.exercise_quarters`), from the first buy quarter on
option_held:  sum_{t' <= t} exercise[x, t', k(σ, t')] <= sum_{t' <= t} reserve[x, t', k(σ, t')]
              at every exercise quarter t (between two of them the left side stays and the right grows),
              one row per distinct sequence of classes of the scenarios over 0 .. t
option_limit: sum_t reserve[x, t, k(σ, t)] <= max_blocks(x)   (also every variable's bound)
A block of offer o exercised in t is a lease of o signed in t: active[o, q, σ] += block_units(o) for q in
lease_active(o, t, σ) (lease_slip included), so lease capacity, ASIC and provider shares count it; but it
is bounded neither by o's signing window nor by max_blocks_per_quarter.
cost in σ: d(t) * fee_per_block(x) * reserve[x, t, k]
           + price_per_unit_quarter(o) * block_units(o) * sum_{q in lease_active(o, t, σ)} d(q) * exercise[x, t, k]
Fees are not capex (no Budget). In the tight formulation exercise[x, t] is also at most the blocks of o's
hardware that could ever serve (:func:`planner.model.bounds.option_blocks`).
"""

from __future__ import annotations

import pyomo.core as pyo

from planner.model.bounds import option_blocks
from planner.model.economics import discount, pv
from planner.model.parts import Parts, constraint, decisions, total_rows
from planner.model.timing import exercise_quarters, lease_active, reserve_quarters
from planner.workbook.inputs import Inputs, LeaseOption


def add_options(p: Parts) -> None:
    inp, tree, r = p.inp, p.tree, p.inp.settings.discount_rate
    if not inp.options:
        p.dec["reserve"], p.dec["exercise"] = {}, {}
        return
    windows = {x.name: (reserve_quarters(inp, x), _exercise(inp, x)) for x in inp.options.values()}
    res_keys = [(x, t, k) for x, (buy, _) in windows.items() for t in buy for k in tree.classes(t)]
    ex_keys = [(x, t, k) for x, (_, ex) in windows.items() for t in ex for k in tree.classes(t)]
    reserve = decisions(p, "reserve", res_keys, pyo.NonNegativeIntegers,
                        {key: inp.options[key[0]].max_blocks for key in res_keys})
    exercise = decisions(p, "exercise", ex_keys, pyo.NonNegativeIntegers,
                         {key: option_blocks(p.scope, inp.options[key[0]], p.tight) for key in ex_keys})
    for (x, t, k), var in reserve.items():
        for sc in tree.members(k, t):
            p.add_cost(var, discount(t, r) * inp.options[x].fee_per_block, sc)
    for (x, t, k), var in exercise.items():
        o = inp.offers[inp.options[x].offer]
        for sc in tree.members(k, t):
            quarters = lease_active(inp, o, t, sc)
            for q in quarters:
                p.active[o.name, q, sc].add(o.block_units, var)
            p.add_cost(var, o.price_per_unit_quarter * o.block_units * pv(quarters, r), sc)
    held, limit = {}, {}
    for x, (buy, ex) in windows.items():
        for t in ex:
            _held_rows(p, x, [q for q in buy if q <= t], [q for q in ex if q <= t], held)
        if inp.options[x].max_blocks is not None:
            total_rows(p, "reserve", x, list(buy), inp.options[x].max_blocks, limit)
    constraint(p.m, "option_held", held)
    constraint(p.m, "option_limit", limit)


def _exercise(inp: Inputs, x: LeaseOption) -> range:
    """Exercise quarters of option x from its first buy quarter on (before it nothing is held)."""
    ex, buy = exercise_quarters(inp, x), reserve_quarters(inp, x)
    if not buy:
        return range(0)
    return range(max(ex.start, buy.start), ex.stop)


def _held_rows(p: Parts, x: str, buy: list[int], ex: list[int], rows: dict) -> None:
    """``sum exercise - sum reserve <= 0`` over quarters up to the last of ``ex``, per distinct sequence of classes."""
    seen = set()
    t = ex[-1]
    for sc in p.inp.scenarios:
        signature = p.tree.signature(sc, buy + ex)
        if signature in seen:
            continue
        seen.add(signature)
        lhs = (pyo.quicksum(p.dec["exercise"][x, q, p.tree.cls(sc, q)] for q in ex)
               - pyo.quicksum(p.dec["reserve"][x, q, p.tree.cls(sc, q)] for q in buy))
        rows[p.row_key(x, t, scenario=sc)] = lhs <= 0
