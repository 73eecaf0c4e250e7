"""Annual capex budget (MODEL.md 4.9), per scenario over that scenario's decisions (MODEL.md 10).

budget[Y, σ]: sum_{t in Y} unit_capex * order_block * ordered[h, t, k(σ, t)]
              + sum_{t in Y} capex_per_phase * phase[s, t, k(σ, t)]
              + sum_p nre_cost * commit[p, k(σ, 0)]   (only in the year of q = 0; not for funded p)
              + sum_{gates g in Y} cost_g * go[p, g, k(σ, t_g)]   (MODEL.md 12)
              <= capex_max[Y]   ($ cash)
Scenarios that take their decisions of Y from the same classes have the same row: one is kept.
"""

from __future__ import annotations

from collections import defaultdict

from planner.model.parts import Lin, Parts, constraint


def cash_capex_terms(p: Parts, scenario: str) -> dict[int, Lin]:
    """Cash capex of a scenario's decisions by horizon quarter as linear terms (orders, phases, gates; NRE at q = 0)."""
    inp, tree = p.inp, p.tree
    cash: dict[int, Lin] = defaultdict(Lin)
    for (h, t, k), lin in p.ordered.items():
        if tree.cls(scenario, t) == k:
            hw = inp.hardware[h]
            cash[t].terms.extend((hw.unit_capex * hw.order_block * c, v) for c, v in lin.terms)
    for (s, t, k), var in p.dec["phase"].items():
        if tree.cls(scenario, t) == k:
            cash[t].add(inp.sites[s].capex_per_phase, var)
    for (name, k), var in p.dec["commit"].items():
        if tree.cls(scenario, 0) == k:
            cash[0].add(inp.programs[name].nre_cost, var)
    for gates in inp.gates.values():
        for g in gates:
            k = tree.cls(scenario, g.quarter)
            cash[g.quarter].add(g.cost, p.dec["go"][g.program, g.gate, g.quarter, k])
    return cash


def add_budget(p: Parts) -> None:
    inp, tree = p.inp, p.tree
    if not inp.budget:
        return
    rows, cash = {}, {}
    for year, cap in inp.budget.items():
        quarters = [q for q in range(inp.n) if inp.year(q) == year]
        seen = set()
        for sc in inp.scenarios:
            signature = tree.signature(sc, quarters + [0])
            if signature in seen:
                continue
            seen.add(signature)
            if sc not in cash:
                cash[sc] = cash_capex_terms(p, sc)
            lin = Lin(terms=[term for q, part in cash[sc].items() if q in quarters for term in part.terms])
            if lin.has_vars:
                rows[p.row_key(year, scenario=sc)] = lin.expr() <= cap
    constraint(p.m, "budget", rows)
