"""Allocation of capacity to workloads, coverage of demand and the share limits.

coverage[w, q]:  sum_h eff(h, w) use_owned[h, w, q] + sum_c thr(h(c), w) use_lease[c, w, q]
                 + unmet[w, q] >= (1 + reserve_margin(w)) demand(w, q)                 (du)
owned_capacity:  sum_w use_owned[h, w, q] <= sum_s owned[h, s, q]                   (accelerators)
lease_capacity:  sum_w use_lease[c, w, q] <= active[c, q]                           (accelerators)
asic_share:      du served by kind asic for w in q <= asic_share_max(w) * required(w, q)
provider_share:  du served by provider p's leases in q <= max_share(p) * sum_w required(w, q)
cost:            sum_q d(q) * unmet_penalty(w) * unmet[w, q]
A ``use`` variable exists only where the type can run the workload (throughput > 0)
and the source can hold accelerators in that quarter.
"""

from __future__ import annotations

from collections import defaultdict

import pyomo.environ as pyo

from planner.economics import discount
from planner.model.parts import Lin, Parts, constraint, variables


def add_coverage(p: Parts) -> None:
    inp, m, r = p.inp, p.m, p.inp.settings.discount_rate
    W, Q = list(inp.workloads), range(inp.n)

    owned_hq: dict[tuple[str, int], Lin] = defaultdict(Lin)
    for (h, _s, q), lin in p.owned.items():
        if lin.has_vars or lin.const > 0:
            owned_hq[h, q].const += lin.const
            owned_hq[h, q].terms.extend(lin.terms)
    owned_keys = [(h, w, q) for (h, q) in owned_hq for w in W if inp.eff(h, w) > 0]
    lease_keys = [(c, w, q) for (c, q), lin in p.active.items() if lin.has_vars or lin.const > 0
                  for w in W if inp.throughput.get((p.contracts[c][1], w), 0.0) > 0]
    use_owned = variables(m, "use_owned", owned_keys, 3, pyo.NonNegativeReals)
    use_lease = variables(m, "use_lease", lease_keys, 3, pyo.NonNegativeReals)
    unmet = variables(m, "unmet", [(w, q) for w in W for q in Q], 2, pyo.NonNegativeReals)
    for w in W:
        for q in Q:
            p.add_cost(unmet[w, q], inp.workloads[w].unmet_penalty * discount(q, r))

    served: dict[tuple[str, int], Lin] = defaultdict(Lin)       # du of w in q
    asic: dict[tuple[str, int], Lin] = defaultdict(Lin)         # du of w in q on kind asic
    by_provider: dict[tuple[str, int], Lin] = defaultdict(Lin)  # du of provider's leases in q
    used_owned: dict[tuple[str, int], Lin] = defaultdict(Lin)
    used_lease: dict[tuple[str, int], Lin] = defaultdict(Lin)
    for (h, w, q) in use_owned.index_set():
        var, du = use_owned[h, w, q], inp.eff(h, w)
        served[w, q].add(du, var)
        used_owned[h, q].add(1.0, var)
        if inp.hardware[h].kind == "asic":
            asic[w, q].add(du, var)
    for (c, w, q) in use_lease.index_set():
        provider, h = p.contracts[c]
        var, du = use_lease[c, w, q], inp.throughput[(h, w)]
        served[w, q].add(du, var)
        used_lease[c, q].add(1.0, var)
        by_provider[provider, q].add(du, var)
        if inp.hardware[h].kind == "asic":
            asic[w, q].add(du, var)

    cover = {}
    for w in W:
        for q in Q:
            lin = served[w, q]
            lin.add(1.0, unmet[w, q])
            cover[w, q] = lin.expr() >= inp.required(w, q)
    constraint(m, "coverage", cover)
    constraint(m, "owned_capacity", {
        k: lin.expr() - owned_hq[k].expr() <= 0 for k, lin in used_owned.items()})
    constraint(m, "lease_capacity", {
        k: lin.expr() - p.active[k].expr() <= 0 for k, lin in used_lease.items()})
    constraint(m, "asic_share", {
        (w, q): lin.expr() <= inp.workloads[w].asic_share_max * inp.required(w, q)
        for (w, q), lin in asic.items()})
    constraint(m, "provider_share", {
        (pr, q): lin.expr() <= inp.providers[pr].max_share * sum(inp.required(w, q) for w in W)
        for (pr, q), lin in by_provider.items()})
