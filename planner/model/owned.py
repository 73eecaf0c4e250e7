"""Owned hardware: orders (``order[h, s, t]``) and the existing fleet.

owned[h, s, q, σ] = fleet(h, s, q) + order_block(h) * sum_{t : q in service(t, σ)} order[h, s, t]
cost per order block in σ = sum_{q in service(t, σ)} d(q) * order_block * (unit_capex * crf(life)
                       + power_kw * pue(s) * hours_per_quarter * power_price(s) / 1000)
service(t, σ) is ``life`` quarters from ``t + lead_time``, later for program hardware in a
scenario with extra slip (see :func:`planner.timing.in_service`). The existing fleet carries
no capital charge, only its energy (a constant).
"""

from __future__ import annotations

import pyomo.environ as pyo

from planner.economics import crf, discount, energy_per_unit_quarter, pv
from planner.model.bounds import order_blocks
from planner.model.parts import Parts, variables
from planner.timing import fleet_quarters, in_service, order_quarters


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
    for b in inp.fleet:
        h, s = inp.hardware[b.hardware], inp.sites[b.site]
        energy = energy_per_unit_quarter(h.power_kw, s.pue, hours, s.power_price)
        for q in fleet_quarters(inp, b):
            for sc in inp.scenarios:
                p.owned[b.hardware, b.site, q, sc].const += b.units
            p.add_const(discount(q, r) * b.units * energy)
