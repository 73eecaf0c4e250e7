"""ASIC programs (``commit[p]``) and the supply limit of every hardware type.

supply:  order_block(h) * ordered[h, t] <= max_order_per_quarter(h)      (ordered = sum_s order[h, s, t])
program: order_block(h) * ordered[h, t] <= max_order_per_quarter(h) * commit[p]
         (blank limit: 10**7 * commit[p]); in the tight formulation the limit is at most what
         every site could take, and each order is linked to funding on its own:
         order[h, s, t] <= ub(order[h, s, t]) * commit[p]
cost:    nre_cost(p) * commit[p], paid once at q = 0 (not discounted).
"""

from __future__ import annotations

import pyomo.core as pyo

from planner.model.bounds import PROGRAM_BIG_M
from planner.model.parts import Parts, constraint, variables
from planner.model.timing import order_quarters


def add_programs(p: Parts) -> None:
    inp, m = p.inp, p.m
    commit = variables(m, "commit", list(inp.programs), 1, pyo.Binary)
    for name, prog in inp.programs.items():
        p.add_cost(commit[name], prog.nre_cost)
    rows, linked = {}, {}
    for h in inp.hardware.values():
        if h.max_order_per_quarter is None and not h.program:
            continue
        for t in order_quarters(inp, h):
            ordered = p.ordered[h.name, t].expr(h.order_block)
            if h.program:
                limit = PROGRAM_BIG_M if h.max_order_per_quarter is None else h.max_order_per_quarter
                if p.tight:  # no more than every site could take, and each order linked to funding
                    limit = min(limit, sum(h.order_block * m.order[h.name, s, t].ub for s in inp.sites))
                    for s in inp.sites:
                        var = m.order[h.name, s, t]
                        if var.ub:
                            linked[h.name, s, t] = var - var.ub * commit[h.program] <= 0
                rows[h.name, t] = ordered - limit * commit[h.program] <= 0
            elif len(inp.sites) > 1:  # with one site the variable's bound is the limit
                rows[h.name, t] = ordered <= h.max_order_per_quarter
    constraint(m, "supply", rows)
    constraint(m, "funded_order", linked)
