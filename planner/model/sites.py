"""Sites: build phases (``phase[s, t]``), MW online and the power limit.

mw[s, q]  = existing_mw + phase_mw * sum_{t <= q - lead_time} phase[s, t]
phases:     sum_t phase[s, t] <= max_phases                       (bound and row)
power:      sum_h power_kw(h) * owned[h, s, q, σ] <= 1000 * mw[s, q]  (kW, every scenario σ)
power_total (tight formulation, >= 2 sites): the sum of the power rows over sites, written with
            the fleet totals, sum_h power_kw(h) * fleet[h, q, σ] <= 1000 * sum_s mw[s, q]. Implied by
            the rows above, so the optimum is the same; HiGHS derives stronger cuts from it than
            from the per-site rows (measured in benchmarks/README.md).
cost        = sum_q d(q) * (capex_per_phase * crf(facility_life) * phases online
              + opex_per_mw_quarter * mw[s, q])
"""

from __future__ import annotations

import pyomo.core as pyo

from planner.model.economics import crf, pv
from planner.model.parts import Lin, Parts, constraint, variables
from planner.model.timing import online, start_quarters


def add_sites(p: Parts) -> None:
    inp, m, r = p.inp, p.m, p.inp.settings.discount_rate
    keys = [(s.name, t) for s in inp.sites.values() for t in start_quarters(inp, s)]
    bounds = {(s.name, t): s.max_phases for s in inp.sites.values() for t in start_quarters(inp, s)}
    phase = variables(m, "phase", keys, 2, pyo.NonNegativeIntegers, bounds)
    for s in inp.sites.values():
        for q in range(inp.n):
            p.mw[s.name, q].const += s.existing_mw
        p.add_const(s.opex_per_mw_quarter * s.existing_mw * pv(range(inp.n), r))
    for (sn, t) in phase.index_set():
        s = inp.sites[sn]
        var = phase[sn, t]
        quarters = online(inp, s, t)
        for q in quarters:
            p.mw[sn, q].add(s.phase_mw, var)
        per_phase = s.capex_per_phase * crf(s.facility_life, r) + s.opex_per_mw_quarter * s.phase_mw
        p.add_cost(var, per_phase * pv(quarters, r))

    rows = {}
    for s in inp.sites.values():
        starts = [phase[s.name, t] for t in start_quarters(inp, s)]
        if len(starts) > 1:
            rows[s.name] = pyo.quicksum(starts) <= s.max_phases
    constraint(m, "max_phases", rows)

    power = {}
    for s in inp.sites.values():
        for q in range(inp.n):
            for sc in inp.scenarios:
                load = _load_kw(p, {h: p.owned.get((h, s.name, q, sc)) for h in inp.hardware})
                if load.has_vars:
                    power[s.name, q, sc] = load.expr() - p.mw[s.name, q].expr(1000.0) <= 0
    constraint(m, "power", power)

    if p.tight and len(inp.sites) > 1:  # the sum of the power rows, over fleet totals
        total = {}
        for q in range(inp.n):
            mw = Lin(const=sum(p.mw[s.name, q].const for s in inp.sites.values()),
                     terms=[t for s in inp.sites.values() for t in p.mw[s.name, q].terms])
            for sc in inp.scenarios:
                load = _load_kw(p, {h: p.fleet.get((h, q, sc)) for h in inp.hardware})
                if load.has_vars:
                    total[q, sc] = load.expr() - mw.expr(1000.0) <= 0
        constraint(m, "power_total", total)


def _load_kw(p: Parts, units_of: dict[str, Lin | None]) -> Lin:
    """IT load in kW: sum_h power_kw(h) * units_of[h] over types with power and units."""
    load = Lin()
    for h in p.inp.hardware.values():
        units = units_of[h.name]
        if units is not None and h.power_kw > 0:
            load.const += h.power_kw * units.const
            load.terms.extend((h.power_kw * c, v) for c, v in units.terms)
    return load
