"""Owned hardware: orders (``order[h, s, t]``) and the existing fleet.

owned[h, s, q, σ] = fleet(h, s, q) + order_block(h) * sum_{t : q in service(t, σ)} order[h, s, t]
cost per order block in σ = sum_{q in service(t, σ)} d(q) * order_block * (unit_capex * crf(life)
                       + power_kw * pue(s) * hours_per_quarter * power_price(s) / 1000)
service(t, σ) is ``life`` quarters from ``t + lead_time``, later for program hardware in a
scenario with extra slip (see :func:`planner.model.timing.in_service`). The existing fleet carries
no capital charge, only its energy (a constant).

ordered[h, t] = sum_s order[h, s, t], the blocks of h placed in t over all sites, is what the
rows that do not care where the units are see: supply, budget and the fleet of h,
fleet[h, q, σ] = sum_s fleet(h, s, q) + order_block(h) * sum_{t : q in service(t, σ)} ordered[h, t]
(the owned-capacity rows). In the tight formulation with two sites or more ``ordered`` is an
integer column of its own, linked by ``site_total[h, t]``: the same MILP, but HiGHS can branch
on how many blocks to buy in t before where to put them, and the capacity rows get sparser.
Only the power rows and the funding links see the sites' own orders.
"""

from __future__ import annotations

import pyomo.core as pyo

from planner.model.bounds import order_blocks, supply_blocks
from planner.model.economics import crf, discount, energy_per_unit_quarter, pv
from planner.model.parts import Lin, Parts, constraint, variables
from planner.model.timing import fleet_quarters, in_service, order_quarters


def add_owned(p: Parts) -> None:
    inp, m = p.inp, p.m
    r, hours = inp.settings.discount_rate, inp.settings.hours_per_quarter
    keys, bounds = [], {}
    for h in inp.hardware.values():
        for s in inp.sites.values():
            cap = order_blocks(inp, h, s, p.tight)
            for t in order_quarters(inp, h):
                keys.append((h.name, s.name, t))
                if cap is not None:
                    bounds[h.name, s.name, t] = cap
    order = variables(m, "order", keys, 3, pyo.NonNegativeIntegers, bounds)
    for (hn, sn, t) in order.index_set():
        h, s = inp.hardware[hn], inp.sites[sn]
        var = order[hn, sn, t]
        per_unit = h.unit_capex * crf(h.life, r) + energy_per_unit_quarter(h.power_kw, s.pue, hours, s.power_price)
        for sc in inp.scenarios:
            quarters = in_service(inp, h, t, sc)
            for q in quarters:
                p.owned[hn, sn, q, sc].add(h.order_block, var)
            p.add_cost(var, h.order_block * per_unit * pv(quarters, r), sc)
    _site_totals(p, order)
    for (hn, t), lin in p.ordered.items():
        h = inp.hardware[hn]
        for sc in inp.scenarios:
            for q in in_service(inp, h, t, sc):
                p.fleet[hn, q, sc].terms.extend((h.order_block * c, v) for c, v in lin.terms)
    for b in inp.fleet:
        h, s = inp.hardware[b.hardware], inp.sites[b.site]
        energy = energy_per_unit_quarter(h.power_kw, s.pue, hours, s.power_price)
        for q in fleet_quarters(inp, b):
            for sc in inp.scenarios:
                p.owned[b.hardware, b.site, q, sc].const += b.units
                p.fleet[b.hardware, q, sc].const += b.units
            p.add_const(discount(q, r) * b.units * energy)


def _site_totals(p: Parts, order: pyo.Var) -> None:
    """``p.ordered[h, t]``: a total column linked to the sites' orders (tight, >= 2 sites) or their sum."""
    inp, m = p.inp, p.m
    by_ht: dict[tuple[str, int], list] = {}
    for (hn, sn, t) in order.index_set():
        by_ht.setdefault((hn, t), []).append(order[hn, sn, t])
    if not (p.tight and len(inp.sites) > 1):
        for key, site_orders in by_ht.items():
            p.ordered[key] = Lin(terms=[(1.0, v) for v in site_orders])
        return
    bounds = {}
    for (hn, t), site_orders in by_ht.items():
        site_cap = sum(v.ub for v in site_orders) if all(v.ub is not None for v in site_orders) else None
        caps = [c for c in (supply_blocks(inp.hardware[hn]), site_cap) if c is not None]
        if caps:
            bounds[hn, t] = min(caps)
    total = variables(m, "ordered", list(by_ht), 2, pyo.NonNegativeIntegers, bounds)
    for key in by_ht:
        p.ordered[key] = Lin(terms=[(1.0, total[key])])
    constraint(m, "site_total", {key: total[key] - pyo.quicksum(site_orders) == 0
                                 for key, site_orders in by_ht.items()})
