"""Owned hardware: orders (``order[h, s, t, k]``); the existing fleet is :mod:`.fleet`.

owned[h, s, q, σ] = fleet(h, s, q, σ) + order_block(h) * sum_{t : q in service(t, σ)} order[h, s, t, k(σ, t)]
cost per order block in σ = sum_{q in service(t, σ)} d(q) * order_block * unit_capex * crf(life)
service(t, σ) is ``life`` quarters from ``t + lead_time``, later in a scenario with slips (see
:func:`planner.model.timing.in_service`); k(σ, t) is σ's class of decisions in t. owned counts the units
delivered; the capital charge follows them whether or not they are powered (MODEL.md 11: energy is
paid on ``powered``, :mod:`.powered`). Hardware of a program that fails in σ (MODEL.md 10) adds no
units (no capacity, power or energy) and keeps its capital charge.

ordered[h, t, k] = sum_s order[h, s, t, k], the blocks of h placed in t over all sites, is what the
rows that do not care where the units are see: supply, budget and the fleet of h,
fleet[h, q, σ] = sum_s fleet(h, s, q, σ) + order_block(h) * sum_{t : q in service(t, σ)} ordered[h, t, k(σ, t)].
In the tight formulation with two sites or more ``ordered`` is an integer column of its own, linked by
``site_total[h, t, k]``: the same MILP, but HiGHS can branch on how many blocks to buy in t before
where to put them.
"""

from __future__ import annotations

import pyomo.core as pyo

from planner.model.bounds import order_blocks, supply_blocks
from planner.model.economics import crf, pv
from planner.model.fleet import add_fleet
from planner.model.parts import Lin, Parts, constraint, decisions
from planner.model.timing import failed, in_service, order_quarters


def add_owned(p: Parts) -> None:
    inp, tree = p.inp, p.tree
    r = inp.settings.discount_rate
    keys, bounds = [], {}
    for h in inp.hardware.values():
        for s in inp.sites.values():
            cap = order_blocks(p.scope, h, s, p.tight)
            for t in order_quarters(inp, h):
                for k in tree.classes(t):
                    keys.append((h.name, s.name, t, k))
                    bounds[h.name, s.name, t, k] = cap
    order = decisions(p, "order", keys, pyo.NonNegativeIntegers, bounds)
    for (hn, sn, t, k), var in order.items():
        h = inp.hardware[hn]
        capital = h.unit_capex * crf(h.life, r)
        for sc in tree.members(k, t):
            quarters = in_service(inp, h, t, sc)
            if not failed(inp, h, sc):
                for q in quarters:
                    p.owned[hn, sn, q, sc].add(h.order_block, var)
            p.add_cost(var, h.order_block * capital * pv(quarters, r), sc)
    _site_totals(p)
    for (hn, t, k), lin in p.ordered.items():
        h = inp.hardware[hn]
        for sc in tree.members(k, t):
            if not failed(inp, h, sc):
                for q in in_service(inp, h, t, sc):
                    p.fleet[hn, q, sc].terms.extend((h.order_block * c, v) for c, v in lin.terms)
    add_fleet(p)


def _site_totals(p: Parts) -> None:
    """``p.ordered[h, t, k]``: a total column linked to the sites' orders (tight, >= 2 sites) or their sum."""
    inp = p.inp
    by_htk: dict[tuple[str, int, str], list] = {}
    for (hn, _sn, t, k), var in p.dec["order"].items():
        by_htk.setdefault((hn, t, k), []).append(var)
    if not (p.tight and len(inp.sites) > 1):
        for key, site_orders in by_htk.items():
            p.ordered[key] = Lin(terms=[(1.0, v) for v in site_orders])
        return
    bounds = {}
    for (hn, t, k), site_orders in by_htk.items():
        site_cap = sum(v.ub for v in site_orders) if all(v.ub is not None for v in site_orders) else None
        caps = [c for c in (supply_blocks(inp.hardware[hn]), site_cap) if c is not None]
        if caps:
            bounds[hn, t, k] = min(caps)
    total = decisions(p, "ordered", list(by_htk), pyo.NonNegativeIntegers, bounds)
    for key, var in total.items():
        p.ordered[key] = Lin(terms=[(1.0, var)])
    constraint(p.m, "site_total", {p.index(key): var - pyo.quicksum(by_htk[key]) == 0 for key, var in total.items()})
