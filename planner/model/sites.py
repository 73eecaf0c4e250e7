"""Sites: build phases (``phase[s, t, k]``), MW online and the power limit.

mw[s, q, σ] = existing_mw + phase_mw * (committed phases online in q, σ
              + sum_{t : t + lead_time + build_slip(σ) <= q} phase[s, t, k(σ, t)])
phases:       sum_t phase[s, t, k(σ, t)] <= max_phases  (bound, and one row per scenario signature)
power:        sum_h power_kw(h) * powered[h, s, q, σ] <= 1000 * mw[s, q, σ]  (kW, every scenario σ;
              only powered units draw power, MODEL.md 11, :mod:`.powered`)
power_total (tight formulation, >= 2 sites): the sum of the power rows over sites,
            sum_h power_kw(h) * powered_fleet[h, q, σ] <= 1000 * sum_s mw[s, q, σ]. Implied by the
            rows above, so the optimum is the same.
cost in σ   = sum_q d(q) * (capex_per_phase * crf(facility_life) * phases online
              + opex_per_mw_quarter * mw[s, q, σ])
Committed phases (MODEL.md 9) carry no capital charge and are not counted in ``max_phases``.
"""

from __future__ import annotations

import pyomo.core as pyo

from planner.model.economics import crf, pv
from planner.model.parts import Lin, Parts, constraint, decisions, total_rows
from planner.model.timing import committed_online, online, start_quarters


def add_sites(p: Parts) -> None:
    inp, tree, r = p.inp, p.tree, p.inp.settings.discount_rate
    keys = [(s.name, t, k) for s in inp.sites.values() for t in start_quarters(inp, s) for k in tree.classes(t)]
    phase = decisions(p, "phase", keys, pyo.NonNegativeIntegers, {key: inp.sites[key[0]].max_phases for key in keys})
    for s in inp.sites.values():
        for sc in inp.scenarios:
            for q in range(inp.n):
                p.mw[s.name, q, sc].const += s.existing_mw
            p.add_const(s.opex_per_mw_quarter * s.existing_mw * pv(range(inp.n), r), sc)
    for c in inp.committed:
        s = inp.sites[c.site]
        for sc in inp.scenarios:
            quarters = committed_online(inp, c, sc)
            for q in quarters:
                p.mw[s.name, q, sc].const += s.phase_mw * c.phases
            p.add_const(s.opex_per_mw_quarter * s.phase_mw * c.phases * pv(quarters, r), sc)
    for (sn, t, k), var in phase.items():
        s = inp.sites[sn]
        per_phase = s.capex_per_phase * crf(s.facility_life, r) + s.opex_per_mw_quarter * s.phase_mw
        for sc in tree.members(k, t):
            quarters = online(inp, s, t, sc)
            for q in quarters:
                p.mw[sn, q, sc].add(s.phase_mw, var)
            p.add_cost(var, per_phase * pv(quarters, r), sc)
    _max_phases(p)


def _max_phases(p: Parts) -> None:
    """sum_t phase[s, t, k(σ, t)] <= max_phases, once per distinct signature of classes."""
    rows: dict = {}
    for s in p.inp.sites.values():
        total_rows(p, "phase", s.name, start_quarters(p.inp, s), s.max_phases, rows)
    constraint(p.m, "max_phases", rows)


def add_power(p: Parts) -> None:
    """Power rows per site, quarter and scenario on the powered units, and (tight, >= 2 sites) their
    sum over sites."""
    inp = p.inp
    power = {}
    for s in inp.sites.values():
        for q in range(inp.n):
            for sc in inp.scenarios:
                load = _load_kw(p, {h: p.powered.get((h, s.name, q, sc)) for h in inp.hardware})
                if load.has_vars:
                    power[s.name, q, sc] = load.expr() - p.mw[s.name, q, sc].expr(1000.0) <= 0
    constraint(p.m, "power", power)
    if not (p.tight and len(inp.sites) > 1):
        return
    total = {}
    for q in range(inp.n):
        for sc in inp.scenarios:
            site_mw = [p.mw[s.name, q, sc] for s in inp.sites.values()]
            mw = Lin(const=sum(x.const for x in site_mw), terms=[t for x in site_mw for t in x.terms])
            load = _load_kw(p, {h: p.powered_fleet.get((h, q, sc)) for h in inp.hardware})
            if load.has_vars:
                total[q, sc] = load.expr() - mw.expr(1000.0) <= 0
    constraint(p.m, "power_total", total)


def _load_kw(p: Parts, units_of: dict[str, Lin | None]) -> Lin:
    """IT load in kW: sum_h power_kw(h) * units_of[h] over types with power and units."""
    load = Lin()
    for h in p.inp.hardware.values():
        units = units_of[h.name]
        if units is not None and h.power_kw > 0:
            load.const += h.power_kw * units.const
            load.terms.extend((h.power_kw * c, v) for c, v in units.terms)
    return load
