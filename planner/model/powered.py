"""Delivered and powered hardware (MODEL.md 11).

``owned[h, s, q, σ]`` counts the accelerators delivered and in their service window (orders and the
existing fleet, less sales); of those, ``powered[h, s, q, σ] >= 0`` (continuous, per scenario: recourse)
are installed and powered. Only powered units draw power (the sites' power rows, :mod:`.sites`) and
serve (the owned-capacity rows, :mod:`.coverage`); energy is paid on them, capital on every owned unit.

powered_cap[h, s, q, σ]:  powered[h, s, q, σ] <= owned[h, s, q, σ]     (accelerators; the column's upper
                          bound when no decision changes owned)
cost in σ:                sum_q d(q) * power_kw(h) * pue(s) * hours_per_quarter * power_price(s) / 1000
                          * powered[h, s, q, σ]
powered_fleet[h, q, σ] =  sum_s powered[h, s, q, σ]

A column exists only where units can be owned and the site has MW in that quarter and scenario (with no
MW nothing can be powered). A type that draws no power (``power_kw`` = 0) needs no decision: every owned
unit counts as powered and pays no energy (powering it is free and only adds capacity).
"""

from __future__ import annotations

import pyomo.core as pyo

from planner.model.economics import discount, energy_per_unit_quarter
from planner.model.parts import Lin, Parts, constraint, variables


def add_powered(p: Parts) -> None:
    inp, r, hours = p.inp, p.inp.settings.discount_rate, p.inp.settings.hours_per_quarter
    keys, caps = [], {}
    for key, owned in p.owned.items():
        h, s, q, sc = key
        if not (owned.has_vars or owned.const > 0):
            continue
        if inp.hardware[h].power_kw <= 0:
            p.powered[key] = owned
            continue
        mw = p.mw[s, q, sc]
        if not (mw.has_vars or mw.const > 0):
            continue  # no MW online in any plan: nothing of this site can be powered
        keys.append(key)
        if not owned.has_vars:
            caps[key] = owned.const
    powered = variables(p.m, "powered", keys, 4, pyo.NonNegativeReals, caps)
    rows = {}
    for key in keys:
        h, s, q, sc = key
        var = powered[key]
        p.powered[key] = Lin(terms=[(1.0, var)])
        owned = p.owned[key]
        if owned.has_vars:
            rows[key] = var - owned.expr() <= 0
        hw, site = inp.hardware[h], inp.sites[s]
        energy = energy_per_unit_quarter(hw.power_kw, site.pue, hours, site.power_price)
        p.add_cost(var, discount(q, r) * energy, sc)
    constraint(p.m, "powered_cap", rows)
    for (h, _s, q, sc), lin in p.powered.items():
        total = p.powered_fleet[h, q, sc]
        total.const += lin.const
        total.terms.extend(lin.terms)
