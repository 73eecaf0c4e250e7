"""ASIC programs (``commit[p, k]``) and the supply limit of every hardware type.

supply:  order_block(h) * ordered[h, t, k] <= max_order_per_quarter(h)      (ordered = sum_s order[h, s, t, k])
program: order_block(h) * ordered[h, t, k] <= max_order_per_quarter(h) * commit[p, k0]
         (blank limit: 10**7 * commit[p, k0]); k0 is the class at t = 0 that holds class k of t.
         A program with gates (MODEL.md 12, :mod:`.gates`) links to its last gate instead:
         ... <= max_order_per_quarter(h) * go[p, g_last, k(k, t_last)]
         (classes only split over time). In the tight formulation the limit is at most what
         every site could take, and each order is linked to funding on its own:
         order[h, s, t, k] <= ub(order[h, s, t, k]) * commit[p, k0]
cost:    nre_cost(p) * commit[p, k], paid once at q = 0 (not discounted), in each scenario of k.
A program already funded (MODEL.md 9) has no ``commit``: its funding is the constant 1, its NRE
is neither charged nor budgeted, and its supply row is the plain limit.
"""

from __future__ import annotations

import pyomo.core as pyo

from planner.model.bounds import PROGRAM_BIG_M
from planner.model.gates import add_gates
from planner.model.parts import Parts, constraint, decisions
from planner.model.timing import order_quarters


def add_programs(p: Parts) -> None:
    inp, tree = p.inp, p.tree
    keys = [(name, k) for name, prog in inp.programs.items() if not prog.funded for k in tree.classes(0)]
    commit = decisions(p, "commit", keys, pyo.Binary, {})
    for (name, k), var in commit.items():
        for sc in tree.members(k, 0):
            p.add_cost(var, inp.programs[name].nre_cost, sc)
    add_gates(p)
    rows, linked = {}, {}
    for h in inp.hardware.values():
        if h.max_order_per_quarter is None and not h.program:
            continue
        for t in order_quarters(inp, h):
            for k in tree.classes(t):
                key = p.row_key(h.name, t, scenario=k)
                ordered = p.ordered[h.name, t, k].expr(h.order_block)
                if h.program:
                    funding = p.funding_of(h.program, k)
                    limit = PROGRAM_BIG_M if h.max_order_per_quarter is None else h.max_order_per_quarter
                    orders = [p.dec["order"][h.name, s, t, k] for s in inp.sites]
                    if p.tight:  # no more than every site could take, and each order linked to funding
                        limit = min(limit, sum(h.order_block * v.ub for v in orders))
                        if funding.has_vars:
                            for s, var in zip(inp.sites, orders):
                                if var.ub:
                                    linked[p.row_key(h.name, s, t, scenario=k)] = var - funding.expr(var.ub) <= 0
                    rows[key] = ordered - funding.expr(limit) <= 0
                elif len(inp.sites) > 1:  # with one site the variable's bound is the limit
                    rows[key] = ordered <= h.max_order_per_quarter
    constraint(p.m, "supply", rows)
    constraint(p.m, "funded_order", linked)
