"""Lease contracts: offers to sign (``lease[o, t, k]``) and leases already signed.

active[c, q, σ] = block_units(o) * sum_{t : q in active(t, σ)} lease[o, t, k(σ, t)]
                (existing lease: its units in first_quarter .. last_quarter, slipped if still to start)
cost in σ       = sum_q d(q) * price_per_unit_quarter * active[c, q, σ]       ($ present value)
active(t, σ) is ``term`` quarters from ``t + lead_time + lease_slip(σ)``; k(σ, t) is σ's class of
decisions in t. Signing limit ``lease[o, t, k] <= max_blocks_per_quarter`` is the variable's bound.
"""

from __future__ import annotations

import pyomo.core as pyo

from planner.model.bounds import lease_blocks
from planner.model.economics import pv
from planner.model.parts import Parts, decisions
from planner.model.timing import existing_lease_quarters, lease_active, sign_quarters


def add_leases(p: Parts) -> None:
    inp, tree, r = p.inp, p.tree, p.inp.settings.discount_rate
    caps = {o.name: lease_blocks(p.scope, o, p.tight) for o in inp.offers.values()}
    keys = [(o.name, t, k) for o in inp.offers.values() for t in sign_quarters(inp, o) for k in tree.classes(t)]
    lease = decisions(p, "lease", keys, pyo.NonNegativeIntegers, {key: caps[key[0]] for key in keys})
    for o in inp.offers.values():
        p.contracts[o.name] = (o.provider, o.hardware)
    for (name, t, k), var in lease.items():
        o = inp.offers[name]
        for sc in tree.members(k, t):
            quarters = lease_active(inp, o, t, sc)
            for q in quarters:
                p.active[name, q, sc].add(o.block_units, var)
            p.add_cost(var, o.price_per_unit_quarter * o.block_units * pv(quarters, r), sc)
    for e in inp.existing_leases:
        p.contracts[e.name] = (e.provider, e.hardware)
        for sc in inp.scenarios:
            quarters = existing_lease_quarters(inp, e, sc)
            for q in quarters:
                p.active[e.name, q, sc].const += e.units
            p.add_const(e.price_per_unit_quarter * e.units * pv(quarters, r), sc)
