"""Allocation of capacity to workloads, coverage of demand and the share limits.

Per scenario σ (one scenario without a Scenarios sheet):

coverage[w, q, σ]:  sum_h eff(h, w) use_owned[h, w, q, σ] + sum_c thr(h(c), w) use_lease[c, w, q, σ]
                    + unmet[w, q, σ] >= (1 + reserve_margin(w)) demand(w, q) mult(σ, w)        (du)
owned_capacity:     sum_w use_owned[h, w, q, σ] <= powered_fleet[h, q, σ] (= sum_s powered[h, s, q, σ])
                    (accelerators; only powered units serve, MODEL.md 11)
lease_capacity:     sum_w use_lease[c, w, q, σ] <= active[c, q, σ]                      (accelerators;
                    an on-demand source is a contract whose active is its ondemand column)
asic_share:         du served by kind asic for w in q <= asic_share_max(w) * required(w, q, σ)
provider_share:     du served by provider p's leases in q <= max_share(p) * sum_w required(w, q, σ)
cost in σ:          sum_q d(q) * unmet_penalty(w) * unmet[w, q, σ]
A ``use`` variable exists only where the type can run the workload (throughput > 0)
and the source can hold accelerators in that quarter.
"""

from __future__ import annotations

from collections import defaultdict

import pyomo.core as pyo

from planner.model.economics import discount
from planner.model.parts import Lin, Parts, constraint, variables


def add_coverage(p: Parts) -> None:
    inp, m, r = p.inp, p.m, p.inp.settings.discount_rate
    W, Q, S = list(inp.workloads), range(inp.n), list(inp.scenarios)

    fleet = {key: lin for key, lin in p.powered_fleet.items() if lin.has_vars or lin.const > 0}
    owned_keys = [(h, w, q, sc) for (h, q, sc) in fleet for w in W if inp.eff(h, w) > 0]
    lease_keys = [(c, w, q, sc) for (c, q, sc), lin in p.active.items() if lin.has_vars or lin.const > 0
                  for w in W if inp.throughput.get((p.contracts[c][1], w), 0.0) > 0]
    use_owned = variables(m, "use_owned", owned_keys, 4, pyo.NonNegativeReals)
    use_lease = variables(m, "use_lease", lease_keys, 4, pyo.NonNegativeReals)
    unmet = variables(m, "unmet", [(w, q, sc) for w in W for q in Q for sc in S], 3, pyo.NonNegativeReals)
    for (w, q, sc) in unmet.index_set():
        p.add_cost(unmet[w, q, sc], inp.workloads[w].unmet_penalty * discount(q, r), sc)

    served: dict[tuple, Lin] = defaultdict(Lin)       # du of w in q, σ
    asic: dict[tuple, Lin] = defaultdict(Lin)         # du of w in q, σ on kind asic
    by_provider: dict[tuple, Lin] = defaultdict(Lin)  # du of provider's leases in q, σ
    used_owned: dict[tuple, Lin] = defaultdict(Lin)
    used_lease: dict[tuple, Lin] = defaultdict(Lin)
    for (h, w, q, sc) in use_owned.index_set():
        var, du = use_owned[h, w, q, sc], inp.eff(h, w)
        served[w, q, sc].add(du, var)
        used_owned[h, q, sc].add(1.0, var)
        if inp.hardware[h].kind == "asic":
            asic[w, q, sc].add(du, var)
    for (c, w, q, sc) in use_lease.index_set():
        provider, h = p.contracts[c]
        var, du = use_lease[c, w, q, sc], inp.throughput[(h, w)]
        served[w, q, sc].add(du, var)
        used_lease[c, q, sc].add(1.0, var)
        by_provider[provider, q, sc].add(du, var)
        if inp.hardware[h].kind == "asic":
            asic[w, q, sc].add(du, var)

    cover = {}
    for (w, q, sc) in unmet.index_set():
        lin = served[w, q, sc]
        lin.add(1.0, unmet[w, q, sc])
        cover[w, q, sc] = lin.expr() >= inp.required(w, q, sc)
    constraint(m, "coverage", cover)
    constraint(m, "owned_capacity", {
        k: lin.expr() - fleet[k].expr() <= 0 for k, lin in used_owned.items()})
    constraint(m, "lease_capacity", {
        (c, q, sc): lin.expr() - p.active[c, q, sc].expr() <= 0 for (c, q, sc), lin in used_lease.items()})
    constraint(m, "asic_share", {
        (w, q, sc): lin.expr() <= inp.workloads[w].asic_share_max * inp.required(w, q, sc)
        for (w, q, sc), lin in asic.items()})
    constraint(m, "provider_share", {
        (pr, q, sc): lin.expr() <= inp.providers[pr].max_share * sum(inp.required(w, q, sc) for w in W)
        for (pr, q, sc), lin in by_provider.items()})
