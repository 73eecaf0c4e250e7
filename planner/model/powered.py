"""Delivered and powered hardware (MODEL.md 11).

``owned[h, s, q, σ]`` counts the accelerators delivered and in their service window (orders and the
existing fleet, less sales); of those, ``powered[h, s, q, σ] >= 0`` (continuous, per scenario: recourse)
are installed and powered. Only powered units draw power (the sites' power rows, :mod:`.sites`) and
serve (the owned-capacity rows, :mod:`.coverage`); energy is paid on them, capital on every owned unit.

Plain formulation (MODEL.md as written), a column ``powered[h, s, q, σ]`` with
    powered_cap[h, s, q, σ]:  powered <= owned[h, s, q, σ]   (the column's bound when owned is a constant)
    cost in σ:                d(q) * e(h, s) * powered,   e(h, s) = power_kw * pue * hours * price / 1000
Tight formulation, the same MILP written with the units left waiting instead,
``stranded[h, s, q, σ] = owned - powered >= 0``:
    powered = owned[h, s, q, σ] - stranded[h, s, q, σ],   stranded_cap: stranded <= owned
    cost in σ:  d(q) * e(h, s) * owned - d(q) * e(h, s) * stranded
so the power and owned-capacity rows keep the order columns themselves (and their site totals
``ordered``, through ``fleet``), as before section 11, with one slack column each: HiGHS derives its
cuts from them as it did then (measured in benchmarks/README.md, section 11).
Both: ``powered_fleet[h, q, σ] = sum_s powered[h, s, q, σ]``.

A column exists only where units can be owned and the site has MW in that quarter and scenario (with no
MW nothing can be powered: powered is 0). A type that draws no power (``power_kw`` = 0) needs no decision:
every owned unit counts as powered and pays no energy (powering it is free and only adds capacity).
"""

from __future__ import annotations

import pyomo.core as pyo

from planner.model.economics import discount, energy_per_unit_quarter
from planner.model.parts import Lin, Parts, constraint, variables


def _can_be_powered(p: Parts) -> tuple[list[tuple], set[tuple]]:
    """(keys (h, s, q, σ) that need a decision, keys whose units count as powered without one)."""
    keys, free = [], set()
    for key, owned in p.owned.items():
        h, s, q, sc = key
        if not (owned.has_vars or owned.const > 0):
            continue
        if p.inp.hardware[h].power_kw <= 0:
            free.add(key)
            continue
        mw = p.mw[s, q, sc]
        if mw.has_vars or mw.const > 0:
            keys.append(key)
    return keys, free


def add_powered(p: Parts) -> None:
    inp, r, hours = p.inp, p.inp.settings.discount_rate, p.inp.settings.hours_per_quarter
    keys, free = _can_be_powered(p)
    stranded_form = p.tight
    name = "stranded" if stranded_form else "powered"
    caps = {key: p.owned[key].const for key in keys if not p.owned[key].has_vars}
    column = variables(p.m, name, keys, 4, pyo.NonNegativeReals, caps)
    rows = {}
    for key in keys:
        h, s, q, sc = key
        var, owned = column[key], p.owned[key]
        if owned.has_vars:
            rows[key] = var - owned.expr() <= 0
        hw, site = inp.hardware[h], inp.sites[s]
        energy = discount(q, r) * energy_per_unit_quarter(hw.power_kw, site.pue, hours, site.power_price)
        if stranded_form:
            p.powered[key] = Lin(owned.const, owned.terms + [(-1.0, var)])
            for coef, v in owned.terms:
                p.add_cost(v, coef * energy, sc)
            p.add_const(owned.const * energy, sc)
            p.add_cost(var, -energy, sc)
        else:
            p.powered[key] = Lin(terms=[(1.0, var)])
            p.add_cost(var, energy, sc)
    constraint(p.m, name + "_cap", rows)
    for key in free:
        p.powered[key] = p.owned[key]
    _powered_fleet(p, column if stranded_form else None)


def _powered_fleet(p: Parts, stranded: pyo.Var | None) -> None:
    """``powered_fleet[h, q, σ]``: the sum over sites of powered; in the tight formulation written as
    ``fleet[h, q, σ]`` (with the site totals ``ordered``) less the units stranded or at sites without MW."""
    if stranded is None:
        for (h, _s, q, sc), lin in p.powered.items():
            total = p.powered_fleet[h, q, sc]
            total.const += lin.const
            total.terms.extend(lin.terms)
        return
    for (h, q, sc), fleet in p.fleet.items():
        total = p.powered_fleet[h, q, sc]
        total.const, total.terms = fleet.const, list(fleet.terms)
    for key, owned in p.owned.items():
        h, s, q, sc = key
        if key in stranded:
            p.powered_fleet[h, q, sc].add(-1.0, stranded[key])
        elif key not in p.powered and (owned.has_vars or owned.const > 0):  # a site without MW: none powered
            total = p.powered_fleet[h, q, sc]
            total.const -= owned.const
            total.terms.extend((-c, v) for c, v in owned.terms)
