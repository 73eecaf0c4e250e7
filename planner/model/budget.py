"""Annual capex budget (MODEL.md 4.9).

budget[Y]: sum_{t in Y} unit_capex * order_block * ordered[h, t]     (ordered = sum_s order[h, s, t])
           + sum_{t in Y} capex_per_phase * phase[s, t]
           + sum_p nre_cost * commit[p]   (only in the year of q = 0)   <= capex_max[Y]   ($ cash)
"""

from __future__ import annotations

from collections import defaultdict

from planner.model.parts import Lin, Parts, constraint


def cash_capex_terms(p: Parts) -> dict[int, Lin]:
    """Cash capex by horizon quarter as linear terms (orders, phases; NRE at q = 0)."""
    inp, m = p.inp, p.m
    cash: dict[int, Lin] = defaultdict(Lin)
    for (h, t), lin in p.ordered.items():
        hw = inp.hardware[h]
        cash[t].terms.extend((hw.unit_capex * hw.order_block * c, v) for c, v in lin.terms)
    for (s, t) in m.phase.index_set():
        cash[t].add(inp.sites[s].capex_per_phase, m.phase[s, t])
    for name in m.commit.index_set():
        cash[0].add(inp.programs[name].nre_cost, m.commit[name])
    return cash


def add_budget(p: Parts) -> None:
    inp = p.inp
    if not inp.budget:
        return
    by_year: dict[int, Lin] = defaultdict(Lin)
    for t, lin in cash_capex_terms(p).items():
        by_year[inp.year(t)].terms.extend(lin.terms)
    constraint(p.m, "budget", {
        y: by_year[y].expr() <= cap for y, cap in inp.budget.items() if by_year[y].has_vars})
