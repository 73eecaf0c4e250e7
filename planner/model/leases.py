"""Lease contracts: offers to sign (``lease[o, t]``) and leases already signed.

active[c, q] = block_units(o) * sum_{t : t + lead <= q < t + lead + term} lease[o, t]
             (existing lease: its units in first_quarter .. last_quarter)
cost         = sum_q d(q) * price_per_unit_quarter * active[c, q]       ($ present value)
Signing limit ``lease[o, t] <= max_blocks_per_quarter`` is the variable's upper bound.
"""

from __future__ import annotations

import pyomo.core as pyo

from planner.model.bounds import lease_blocks
from planner.model.economics import pv
from planner.model.parts import Parts, variables
from planner.model.timing import existing_lease_quarters, lease_active, sign_quarters


def add_leases(p: Parts) -> None:
    inp, m, r = p.inp, p.m, p.inp.settings.discount_rate
    keys = [(o.name, t) for o in inp.offers.values() for t in sign_quarters(inp, o)]
    caps = {o.name: lease_blocks(inp, o, p.tight) for o in inp.offers.values()}
    bounds = {(o.name, t): caps[o.name] for o in inp.offers.values()
              for t in sign_quarters(inp, o) if caps[o.name] is not None}
    lease = variables(m, "lease", keys, 2, pyo.NonNegativeIntegers, bounds)
    for o in inp.offers.values():
        p.contracts[o.name] = (o.provider, o.hardware)
    for (name, t) in lease.index_set():
        o = inp.offers[name]
        var = lease[name, t]
        quarters = lease_active(inp, o, t)
        for q in quarters:
            p.active[name, q].add(o.block_units, var)
        p.add_cost(var, o.price_per_unit_quarter * o.block_units * pv(quarters, r))
    for e in inp.existing_leases:
        p.contracts[e.name] = (e.provider, e.hardware)
        quarters = existing_lease_quarters(inp, e)
        for q in quarters:
            p.active[e.name, q].const += e.units
        p.add_const(e.price_per_unit_quarter * e.units * pv(quarters, r))
