"""Result tables of a solved plan (MODEL.md section 6), as DataFrames; no I/O.

Costs are recomputed quarter by quarter from the decisions and the inputs,
with the same rates (:mod:`planner.model.economics`) and windows
(:mod:`planner.model.timing`) as the model; the sum of the discounted totals is
checked against the solver's objective in the Summary (``cost_check_usd``).
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from planner.model.economics import crf, cvar, discount, energy_per_unit_quarter
from planner.model.parts import Parts, value_of
from planner.model.timing import existing_lease_quarters, in_service, lease_active, online
from planner.report.branches import branches_table
from planner.report.plan import Plan
from planner.report.rights import BUY, EXERCISE, GATE, option_costs, option_rows
from planner.solver.highs import Solution
from planner.workbook.inputs import Inputs

#: Cost categories ($ per quarter); ``resale_usd`` is the credit of existing fleet sold (<= 0).
COST_COLUMNS = ["lease_usd", "on_demand_usd", "gpu_annuity_usd", "asic_annuity_usd", "phase_annuity_usd",
                "opex_usd", "energy_usd", "unmet_penalty_usd", "nre_usd", "resale_usd", "option_fees_usd",
                "gate_costs_usd"]
#: Summary's cost by source: category columns of each source.
SOURCES = {"leases": ["lease_usd", "option_fees_usd"], "on_demand": ["on_demand_usd"],
           "owned_gpus": ["gpu_annuity_usd"], "asics": ["asic_annuity_usd", "nre_usd", "gate_costs_usd"],
           "sites_and_power": ["phase_annuity_usd", "opex_usd", "energy_usd"],
           "unmet_demand": ["unmet_penalty_usd"], "fleet_sales": ["resale_usd"]}
#: Cash out by kind ($); ``fleet_sales_usd`` is cash in from fleet sold (<= 0).
CASH_COLUMNS = ["capex_hardware_usd", "capex_phases_usd", "nre_usd", "gate_costs_usd", "lease_payments_usd",
                "option_fees_usd", "on_demand_usd", "opex_usd", "energy_usd", "fleet_sales_usd"]
_TOL = 1e-6


ACTION_COLUMNS = ["quarter", "action", "what", "where", "detail", "quantity", "unit", "accelerators", "mw",
                  "cash_capex_usd", "contract_value_usd", "resale_usd", "fee_usd", "from_quarter", "to_quarter",
                  "scenarios"]
SELL = "sell existing fleet"
ACTION_ORDER = {"fund ASIC program": 0, GATE: 1, "start build phase": 2, "order hardware": 3, BUY: 4, "sign lease": 5,
                EXERCISE: 6, SELL: 7}


def actions_table(plan: Plan) -> pd.DataFrame:
    """Every decision in a planner's words, by quarter; ``scenarios``: ``all``, or the scenarios
    that take it (MODEL.md 10). Service quarters are nominal (without a scenario's slips)."""
    inp, tree, rows = plan.inp, plan.tree, []
    label = inp.quarter_label
    for (name, k), x in plan.commit.items():
        if x > 0.5:
            rows.append(dict(quarter=label(0), action="fund ASIC program", what=name, where="",
                             detail=f"NRE of program {name}", quantity=1, unit="program", accelerators=0, mw=0.0,
                             cash_capex_usd=inp.programs[name].nre_cost, contract_value_usd=0.0,
                             from_quarter=label(0), to_quarter="", scenarios=tree.label(k, 0)))
    for (sn, t, k), x in plan.phase.items():
        s = inp.sites[sn]
        rows.append(dict(quarter=label(t), action="start build phase", what=sn, where=sn,
                         detail=f"{s.phase_mw:g} MW phase(s), online after {s.lead_time} quarters",
                         quantity=round(x), unit="phases", accelerators=0, mw=x * s.phase_mw,
                         cash_capex_usd=x * s.capex_per_phase, contract_value_usd=0.0,
                         from_quarter=label(t + s.lead_time), to_quarter="", scenarios=tree.label(k, t)))
    for (hn, sn, t, k), x in plan.order.items():
        h = inp.hardware[hn]
        units = x * h.order_block
        rows.append(dict(quarter=label(t), action="order hardware", what=hn, where=sn,
                         detail=f"{h.kind} in service after {h.lead_time} quarters for {h.life}", quantity=round(x),
                         unit=f"blocks of {h.order_block}", accelerators=units, mw=units * h.power_kw / 1000,
                         cash_capex_usd=units * h.unit_capex, contract_value_usd=0.0,
                         from_quarter=label(t + h.lead_time), to_quarter=label(t + h.lead_time + h.life - 1),
                         scenarios=tree.label(k, t)))
    for (on, t, k), x in plan.lease.items():
        o = inp.offers[on]
        units = x * o.block_units
        rows.append(dict(quarter=label(t), action="sign lease", what=on, where=o.provider,
                         detail=f"{o.hardware} for {o.term} quarters from {o.lead_time} quarters after signing",
                         quantity=round(x), unit=f"blocks of {o.block_units}",
                         accelerators=units, mw=0.0, cash_capex_usd=0.0,
                         contract_value_usd=units * o.price_per_unit_quarter * o.term,
                         from_quarter=label(t + o.lead_time), to_quarter=label(t + o.lead_time + o.term - 1),
                         scenarios=tree.label(k, t)))
    rows += _sales(plan) + option_rows(plan)
    df = pd.DataFrame(rows, columns=ACTION_COLUMNS).fillna({"resale_usd": 0.0, "fee_usd": 0.0})
    if not df.empty:
        df = df.sort_values(["quarter", "action", "what", "where", "scenarios"],
                            key=lambda c: c.map(ACTION_ORDER) if c.name == "action" else c,
                            kind="stable").reset_index(drop=True)
    return df


def _sales(plan: Plan) -> list[dict]:
    """``sell existing fleet`` rows (MODEL.md 11): the batch (``detail`` starts with its ExistingFleet
    row), accelerators sold at the start of the quarter, the MW they free and their resale $."""
    inp, tree, label = plan.inp, plan.tree, plan.inp.quarter_label
    batches = {b.name: b for b in inp.fleet}
    rows = []
    for (bn, t, k), x in plan.sell.items():
        b = batches[bn]
        h = inp.hardware[b.hardware]
        rows.append(dict(quarter=label(t), action=SELL, what=b.hardware, where=b.site,
                         detail=f"{bn}: power down and sell at ${b.resale(t):,.0f} each "
                                f"(in service to {label(b.last_quarter)})",
                         quantity=round(x), unit="accelerators", accelerators=x, mw=x * h.power_kw / 1000,
                         cash_capex_usd=0.0, contract_value_usd=0.0, resale_usd=x * b.resale(t),
                         from_quarter=label(t), to_quarter=label(b.last_quarter), scenarios=tree.label(k, t)))
    return rows


def capacity_table(plan: Plan, sc: str) -> pd.DataFrame:
    """Accelerators available (owned: delivered; of them ``accelerators_powered``), used, and du served,
    by quarter and source (scenario sc). Sources: ``owned <hardware>`` (all sites), ``lease <contract>``
    and ``on-demand <provider> <hardware>`` (MODEL.md 11)."""
    inp, W = plan.inp, list(plan.inp.workloads)
    rows = []
    for q in range(inp.n):
        for hn, h in inp.hardware.items():
            total = sum(plan.owned(hn, s, q, sc) for s in inp.sites)
            used = {w: plan.use_owned.get((hn, w, q, sc), 0.0) for w in W}
            if total > _TOL or any(used.values()):
                du = {w: used[w] * inp.eff(hn, w) for w in W}
                rows.append(dict(quarter=inp.quarter_label(q), source=f"owned {hn}", source_type="owned",
                                 hardware=hn, kind=h.kind, accelerators=total,
                                 accelerators_powered=sum(plan.powered(hn, s, q, sc) for s in inp.sites),
                                 accelerators_used=sum(used.values()),
                                 du_served=sum(du.values()), **{f"du_{w}": du[w] for w in W}))
        for c, (_provider, hn) in plan.parts.contracts.items():
            total = plan.active(c, q, sc)
            used = {w: plan.use_lease.get((c, w, q, sc), 0.0) for w in W}
            if total > _TOL or any(used.values()):
                du = {w: used[w] * inp.throughput.get((hn, w), 0.0) for w in W}
                on_demand = c in plan.parts.ondemand
                rows.append(dict(quarter=inp.quarter_label(q), source=c if on_demand else f"lease {c}",
                                 source_type="on-demand" if on_demand else "leased",
                                 hardware=hn, kind=inp.hardware[hn].kind, accelerators=total,
                                 accelerators_powered=total, accelerators_used=sum(used.values()),
                                 du_served=sum(du.values()), **{f"du_{w}": du[w] for w in W}))
    cols = ["quarter", "source", "source_type", "hardware", "kind", "accelerators", "accelerators_powered",
            "accelerators_used", "du_served"]
    return pd.DataFrame(rows, columns=cols + [f"du_{w}" for w in W])


def coverage_table(plan: Plan, sc: str) -> pd.DataFrame:
    """Demand, required capacity and du served by source kind (owned GPUs, leased GPUs, on-demand GPUs,
    ASICs of any source), by quarter and workload (scenario sc)."""
    inp, rows = plan.inp, []
    served: dict[tuple[str, int, str], float] = defaultdict(float)
    for (hn, w, q, s), x in plan.use_owned.items():
        if s != sc:
            continue
        kind = "asic" if inp.hardware[hn].kind == "asic" else "owned_gpu"
        served[w, q, kind] += x * inp.eff(hn, w)
    for (c, w, q, s), x in plan.use_lease.items():
        if s != sc:
            continue
        hn = plan.parts.contracts[c][1]
        gpu = "on_demand" if c in plan.parts.ondemand else "leased_gpu"
        kind = "asic" if inp.hardware[hn].kind == "asic" else gpu
        served[w, q, kind] += x * inp.throughput[(hn, w)]
    for q in range(inp.n):
        for w in inp.workloads:
            by_kind = {k: served[w, q, k] for k in ("owned_gpu", "leased_gpu", "on_demand", "asic")}
            rows.append(dict(quarter=inp.quarter_label(q), workload=w, demand_du=inp.scenario_demand(w, q, sc),
                             required_du=inp.required(w, q, sc), owned_gpu_du=by_kind["owned_gpu"],
                             leased_gpu_du=by_kind["leased_gpu"], on_demand_du=by_kind["on_demand"],
                             asic_du=by_kind["asic"], served_du=sum(by_kind.values()),
                             unmet_du=plan.unmet.get((w, q, sc), 0.0)))
    return pd.DataFrame(rows)


def costs_table(plan: Plan, sc: str) -> pd.DataFrame:
    """Cost by quarter and category, undiscounted and discounted, plus cash capex ($), in scenario sc."""
    inp = plan.inp
    r, n = inp.settings.discount_rate, inp.n
    cost = {c: [0.0] * n for c in COST_COLUMNS}
    cash = [0.0] * n
    phase_cash = [0.0] * n
    for (on, t), x in plan.taken(plan.lease, sc):
        o = inp.offers[on]
        for q in lease_active(inp, o, t, sc):
            cost["lease_usd"][q] += o.price_per_unit_quarter * o.block_units * x
    for e in inp.existing_leases:
        for q in existing_lease_quarters(inp, e, sc):
            cost["lease_usd"][q] += e.price_per_unit_quarter * e.units
    for (hn, _sn, t), x in plan.taken(plan.order, sc):
        h = inp.hardware[hn]
        units = x * h.order_block
        cash[t] += units * h.unit_capex
        annuity = "asic_annuity_usd" if h.kind == "asic" else "gpu_annuity_usd"
        for q in in_service(inp, h, t, sc):
            cost[annuity][q] += units * h.unit_capex * crf(h.life, r)
    _powered_and_rented(plan, sc, cost)
    for (sn, t), x in plan.taken(plan.phase, sc):
        s = inp.sites[sn]
        phase_cash[t] += x * s.capex_per_phase
        for q in online(inp, s, t, sc):
            cost["phase_annuity_usd"][q] += x * s.capex_per_phase * crf(s.facility_life, r)
    for sn, s in inp.sites.items():
        for q in range(n):
            cost["opex_usd"][q] += s.opex_per_mw_quarter * plan.mw(sn, q, sc)
    for (w, q, s_), x in plan.unmet.items():
        if s_ == sc:
            cost["unmet_penalty_usd"][q] += inp.workloads[w].unmet_penalty * x
    for (name,), x in plan.taken(plan.commit, sc):
        cost["nre_usd"][0] += inp.programs[name].nre_cost * x
    option_costs(plan, sc, cost)
    df = pd.DataFrame({"quarter": [inp.quarter_label(q) for q in range(n)],
                       "year": [inp.year(q) for q in range(n)],
                       "discount_factor": [discount(q, r) for q in range(n)], **cost})
    df["total_usd"] = df[COST_COLUMNS].sum(axis=1)
    df["total_discounted_usd"] = df["total_usd"] * df["discount_factor"]
    df["capex_hardware_usd"] = cash
    df["capex_phases_usd"] = phase_cash
    df["cash_capex_usd"] = df["capex_hardware_usd"] + df["capex_phases_usd"] + df["nre_usd"] + df["gate_costs_usd"]
    return df


def _powered_and_rented(plan: Plan, sc: str, cost: dict[str, list[float]]) -> None:
    """Add scenario sc's energy (on the powered units), on-demand rent and fleet sales (a credit at the
    sale's quarter) to ``cost`` ($ by category and quarter, MODEL.md 11)."""
    inp, hours = plan.inp, plan.inp.settings.hours_per_quarter
    for (hn, sn, q, s_), lin in plan.parts.powered.items():
        if s_ == sc:
            h, s = inp.hardware[hn], inp.sites[sn]
            cost["energy_usd"][q] += value_of(lin) * energy_per_unit_quarter(h.power_kw, s.pue, hours, s.power_price)
    for (c, q, s_), x in plan.ondemand.items():
        if s_ == sc:
            cost["on_demand_usd"][q] += plan.parts.ondemand[c].price_per_unit_quarter * x
    batches = {b.name: b for b in inp.fleet}
    for (bn, t), x in plan.taken(plan.sell, sc):
        cost["resale_usd"][t] -= x * batches[bn].resale(t)


def cash_flow_table(costs: pd.DataFrame) -> pd.DataFrame:
    """Cash out by quarter and by calendar year ($, undiscounted): hardware and phase capex when
    ordered or started, NRE at q = 0, programme gates in their quarter, lease payments when due, option
    fees when bought (MODEL.md 12), on-demand rent, opex and energy as
    incurred, and the existing fleet sold as cash in (``fleet_sales_usd`` <= 0) in its quarter.
    The unmet-demand penalty is a planning cost, not cash, and is left out."""
    quarterly = pd.DataFrame({"period": costs["quarter"], "granularity": "quarter",
                              "capex_hardware_usd": costs["capex_hardware_usd"],
                              "capex_phases_usd": costs["capex_phases_usd"], "nre_usd": costs["nre_usd"],
                              "gate_costs_usd": costs["gate_costs_usd"], "lease_payments_usd": costs["lease_usd"],
                              "option_fees_usd": costs["option_fees_usd"], "on_demand_usd": costs["on_demand_usd"],
                              "opex_usd": costs["opex_usd"], "energy_usd": costs["energy_usd"],
                              "fleet_sales_usd": costs["resale_usd"]})
    yearly = quarterly.groupby(costs["year"].to_numpy(), sort=True)[CASH_COLUMNS].sum().reset_index(names="period")
    yearly["period"] = yearly["period"].astype(str)
    yearly.insert(1, "granularity", "year")
    out = pd.concat([quarterly, yearly], ignore_index=True)
    out["total_cash_usd"] = out[CASH_COLUMNS].sum(axis=1)
    is_q = out.granularity == "quarter"
    out.loc[is_q, "cumulative_cash_usd"] = out.loc[is_q, "total_cash_usd"].cumsum()
    out.loc[~is_q, "cumulative_cash_usd"] = out.loc[~is_q, "total_cash_usd"].cumsum()
    return out


def sites_table(plan: Plan, sc: str) -> pd.DataFrame:
    """IT MW online and used (by powered accelerators) by quarter and site (scenario sc), and the
    accelerators delivered, powered and waiting unpowered (``stranded``, MODEL.md 11)."""
    inp, rows = plan.inp, []
    for q in range(inp.n):
        for sn in inp.sites:
            online_mw = plan.mw(sn, q, sc)
            delivered = {hn: plan.owned(hn, sn, q, sc) for hn in inp.hardware}
            powered = {hn: plan.powered(hn, sn, q, sc) for hn in inp.hardware}
            used = sum(powered[hn] * h.power_kw for hn, h in inp.hardware.items()) / 1000.0
            rows.append(dict(quarter=inp.quarter_label(q), site=sn, mw_online=online_mw, mw_used=used,
                             utilisation=used / online_mw if online_mw > 0 else 0.0,
                             accelerators_delivered=sum(delivered.values()),
                             accelerators_powered=sum(powered.values()),
                             stranded=max(0.0, sum(delivered.values()) - sum(powered.values()))))
    return pd.DataFrame(rows, columns=["quarter", "site", "mw_online", "mw_used", "utilisation",
                                       "accelerators_delivered", "accelerators_powered", "stranded"])


def fleet_table(plan: Plan, sc: str) -> pd.DataFrame:
    """Per quarter, site and owned type (scenario sc): accelerators delivered and in service (the existing
    fleet less what was sold), powered, and waiting unpowered (``stranded``), and the MW they draw."""
    inp, rows = plan.inp, []
    for q in range(inp.n):
        for sn in inp.sites:
            for hn, h in inp.hardware.items():
                delivered, powered = plan.owned(hn, sn, q, sc), plan.powered(hn, sn, q, sc)
                if delivered > _TOL:
                    rows.append(dict(quarter=inp.quarter_label(q), site=sn, hardware=hn, kind=h.kind,
                                     delivered=delivered, powered=powered, stranded=max(0.0, delivered - powered),
                                     mw_powered=powered * h.power_kw / 1000.0))
    return pd.DataFrame(rows, columns=["quarter", "site", "hardware", "kind", "delivered", "powered", "stranded",
                                       "mw_powered"])


def risk_table(coverage: pd.DataFrame, capacity: pd.DataFrame, plan: Plan) -> pd.DataFrame:
    """ASIC and provider shares of the plan against their caps, by quarter."""
    inp, rows = plan.inp, []
    for rec in coverage.itertuples():
        w = inp.workloads[rec.workload]
        cap = w.asic_share_max * rec.required_du
        rows.append(dict(quarter=rec.quarter, limit="asic_share", name=rec.workload, served_du=rec.asic_du,
                         cap_du=cap, share=rec.asic_du / rec.required_du if rec.required_du else 0.0,
                         cap_share=w.asic_share_max))
    required = coverage.groupby("quarter", sort=False)["required_du"].sum()
    leased = capacity[capacity.source_type != "owned"].copy()
    leased["provider"] = [plan.parts.contracts[s.removeprefix("lease ") if t == "leased" else s][0]
                          for s, t in zip(leased.source, leased.source_type)]
    by_provider = leased.groupby(["quarter", "provider"])["du_served"].sum()
    for quarter, total in required.items():
        for pn, pr in inp.providers.items():
            du = float(by_provider.get((quarter, pn), 0.0))
            rows.append(dict(quarter=quarter, limit="provider_share", name=pn, served_du=du,
                             cap_du=pr.max_share * total, share=du / total if total else 0.0,
                             cap_share=pr.max_share))
    df = pd.DataFrame(rows, columns=["quarter", "limit", "name", "served_du", "cap_du", "share", "cap_share"])
    df["binding"] = (df.cap_share < 1.0) & (df.cap_du - df.served_du <= 1e-6 * df.cap_du.abs().clip(lower=1.0))
    return df


def _binding_summary(limits: pd.DataFrame) -> str:
    binding = limits[limits.binding] if "binding" in limits else limits
    if binding.empty:
        return "none"
    parts = []
    for family, group in binding.groupby("limit", sort=False):
        shown = ", ".join(group["at"].head(4))
        more = f" and {len(group) - 4} more" if len(group) > 4 else ""
        parts.append(f"{family}: {shown}{more}")
    return "; ".join(parts)


def scenarios_table(plan: Plan, costs: pd.DataFrame, coverage: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Per scenario: probability, multipliers, slip, present-value cost by category, unmet du and the
    accelerator-quarters delivered but waiting unpowered (MODEL.md 11)."""
    inp, rows = plan.inp, []
    for name, sc in inp.scenarios.items():
        c = costs[costs.scenario == name] if "scenario" in costs else costs
        u = coverage[coverage.scenario == name] if "scenario" in coverage else coverage
        st = sites[sites.scenario == name] if "scenario" in sites else sites
        pv = c[COST_COLUMNS].mul(c["discount_factor"], axis=0).sum()
        rows.append(dict(scenario=name, probability=sc.probability, asic_slip_quarters=sc.asic_slip,
                         build_slip_quarters=sc.build_slip, delivery_slip_quarters=sc.delivery_slip,
                         lease_slip_quarters=sc.lease_slip, failed_programs=", ".join(sorted(sc.failed)),
                         **{f"demand_x_{w}": sc.multiplier(w) for w in inp.workloads},
                         cost_usd=float(c["total_discounted_usd"].sum()), unmet_du=float(u["unmet_du"].sum()),
                         stranded_accelerator_quarters=float(st["stranded"].sum()),
                         **{f"pv_{k}": float(pv[k]) for k in COST_COLUMNS}))
    return pd.DataFrame(rows)


def objective_of(inp: Inputs, scenario_costs: pd.DataFrame) -> dict[str, float]:
    """expected, CVaR and worst cost of per-scenario costs, and the objective they make ($)."""
    costs, probs = scenario_costs.cost_usd.tolist(), scenario_costs.probability.tolist()
    expected = sum(c * p for c, p in zip(costs, probs))
    tail = cvar(costs, probs, inp.settings.cvar_alpha)
    lam = inp.risk_aversion
    return {"expected_cost": expected, "cvar_cost": tail, "worst_cost": max(costs),
            "objective": (1.0 - lam) * expected + lam * tail}


def summary_table(solution: Solution, tables: dict[str, pd.DataFrame], provenance: dict[str, object],
                  inp: Inputs, risk: dict[str, object]) -> pd.DataFrame:
    """Headline metrics a CFO can read: columns ``metric`` and ``value``.

    With scenarios, category costs and unmet du are probability-weighted and
    peak accelerators are the largest over scenarios.
    """
    scen, capacity = tables["Scenarios"], tables["Capacity"]
    probs = scen.probability
    group = capacity.source_type + " " + capacity.kind
    keys = ["scenario", "quarter"] if "scenario" in capacity else ["quarter"]
    per_quarter = capacity.assign(group=group).pivot_table(
        index=keys, columns="group", values="accelerators", aggfunc="sum", fill_value=0.0)
    metrics: list[tuple[str, object]] = [
        ("status", solution.status),
        ("total_cost", solution.objective),
        ("best_bound", solution.best_bound),
        ("mip_gap", solution.gap),
        ("target_gap", float(solution.options.get("mip_rel_gap", solution.gap))),
        ("solve_seconds", round(solution.seconds, 3)),
        ("unmet_du", float((scen.unmet_du * probs).sum())),
        ("input_sha256", provenance.get("input_sha256", "")),
        ("stranded_accelerator_quarters", float((scen.stranded_accelerator_quarters * probs).sum())),
    ]
    metrics += [(f"pv_{c}", float((scen[f"pv_{c}"] * probs).sum())) for c in COST_COLUMNS]
    metrics += [(f"pv_cost_{source}_usd", float(sum((scen[f"pv_{c}"] * probs).sum() for c in cols)))
                for source, cols in SOURCES.items()]
    check = objective_of(inp, scen)
    metrics.append(("cost_check_usd", check["objective"]))
    if inp.has_scenario_sheet:
        metrics += [(k, check[k]) for k in ("expected_cost", "cvar_cost", "worst_cost")]
        metrics += [(k, float(risk[k])) for k in RISK_METRICS if k in risk]
    cash = tables["Costs"]
    if "scenario" in cash and inp.tree.branches:  # each scenario's own decisions: expected cash capex
        by_scenario = cash.groupby("scenario", sort=False)["cash_capex_usd"].sum()
        metrics.append(("cash_capex_usd", float(sum(sc.probability * by_scenario[name]
                                                    for name, sc in inp.scenarios.items()))))
    else:  # first-stage: the same in every scenario
        first = cash[cash.scenario == cash.scenario.iloc[0]] if "scenario" in cash else cash
        metrics.append(("cash_capex_usd", float(first["cash_capex_usd"].sum())))
    for g in sorted(per_quarter.columns):
        metrics.append((f"peak_accelerators_{g.replace(' ', '_')}", float(per_quarter[g].max())))
    metrics.append(("binding_limits", _binding_summary(tables["Limits"]) if "Limits" in tables else "not computed"))
    metrics += [(k, v) for k, v in provenance.items() if k != "input_sha256"]
    return pd.DataFrame(metrics, columns=["metric", "value"])


def add_metrics(summary: pd.DataFrame, rows: list[tuple[str, object]]) -> pd.DataFrame:
    """Summary with ``rows`` (metric, value) appended."""
    return pd.concat([summary, pd.DataFrame(rows, columns=["metric", "value"])], ignore_index=True)


def solver_table(solution: Solution, timings: dict[str, float]) -> pd.DataFrame:
    """Model size, solver outcome and where the time went."""
    rows: list[tuple[str, object]] = [
        ("status", solution.status), ("objective", solution.objective), ("best_bound", solution.best_bound),
        ("best_bound_from", solution.bound_source), ("plan_from", solution.plan_source),
        ("mip_gap", solution.gap), ("nodes", solution.nodes), ("columns", solution.columns),
        ("integer_columns", solution.integer_columns), ("rows", solution.rows),
        ("nonzeros", solution.nonzeros), ("solve_seconds", round(solution.seconds, 3)),
    ]
    if solution.stages:
        rows.append(("search_stages", "; ".join(solution.stages)))
    rows += [(f"seconds_{k}", round(v, 3)) for k, v in timings.items()]
    rows += [(f"option_{k}", v) for k, v in solution.options.items()]
    return pd.DataFrame(rows, columns=["metric", "value"])


PER_SCENARIO = {"Capacity": capacity_table, "Coverage": coverage_table, "Costs": costs_table,
                "Sites": sites_table, "Fleet": fleet_table}


#: Summary metrics of the value of planning for risk (MODEL.md 7), after ``worst_cost``.
RISK_METRICS = ("vss", "evpi", "expected_value_plan_cost", "wait_and_see_cost")


def with_value_of_risk(tables: dict[str, pd.DataFrame], risk: dict[str, object],
                       seconds: float) -> dict[str, pd.DataFrame]:
    """The report's tables with vss and evpi added once computed (after the plan's report was written):
    their Summary metrics after ``worst_cost``, ``value_of_risk`` = computed, the Scenarios columns of
    each scenario's expected-value-plan and planned-alone costs, and ``seconds_risk`` in Solver."""
    out = dict(tables)
    summary = tables["Summary"][~tables["Summary"].metric.isin(RISK_METRICS)].reset_index(drop=True)
    summary["value"] = [("computed" if m == "value_of_risk" else v) for m, v in zip(summary.metric, summary.value)]
    names = list(summary.metric)
    at = names.index("worst_cost") + 1 if "worst_cost" in names else len(names)
    rows = pd.DataFrame([(k, float(risk[k])) for k in RISK_METRICS], columns=["metric", "value"])
    out["Summary"] = pd.concat([summary.iloc[:at], rows, summary.iloc[at:]], ignore_index=True)
    scen = tables["Scenarios"].copy()
    scen["expected_value_plan_cost_usd"] = scen.scenario.map(risk["ev_plan_costs"])
    scen["planned_alone_cost_usd"] = scen.scenario.map(risk["alone_costs"])
    out["Scenarios"] = scen
    out["Solver"] = add_metrics(tables["Solver"], [("seconds_risk", round(seconds, 3))])
    return out


def report_tables(parts: Parts, solution: Solution, timings: dict[str, float],
                  provenance: dict[str, object], marginal: dict[str, pd.DataFrame] | None = None,
                  risk: dict[str, object] | None = None) -> dict[str, pd.DataFrame]:
    """All report tables in sheet order (Summary first).

    Second-stage tables (Capacity, Coverage, Costs, CashFlow, Sites, Fleet, Risk) hold one block
    per scenario, with a leading ``scenario`` column when the workbook has a
    Scenarios sheet.
    """
    inp = parts.inp
    plan = Plan.read(parts)
    frames: dict[str, list[pd.DataFrame]] = defaultdict(list)
    for sc in inp.scenarios:
        block = {name: fn(plan, sc) for name, fn in PER_SCENARIO.items()}
        block["Risk"] = risk_table(block["Coverage"], block["Capacity"], plan)
        block["CashFlow"] = cash_flow_table(block["Costs"])
        for name, df in block.items():
            if inp.has_scenario_sheet:
                df.insert(0, "scenario", sc)
            frames[name].append(df)
    tables: dict[str, pd.DataFrame] = {"Actions": actions_table(plan)}
    for name in ("Capacity", "Coverage", "Costs", "CashFlow", "Sites", "Fleet", "Risk"):
        tables[name] = pd.concat(frames[name], ignore_index=True)
    tables.update(marginal or {})
    tables["Scenarios"] = scenarios_table(plan, tables["Costs"], tables["Coverage"], tables["Sites"])
    if risk and "ev_plan_costs" in risk:
        scen = tables["Scenarios"]
        scen["expected_value_plan_cost_usd"] = scen.scenario.map(risk["ev_plan_costs"])
        scen["planned_alone_cost_usd"] = scen.scenario.map(risk["alone_costs"])
    if plan.tree.branches:
        tables["Branches"] = branches_table(plan, tables["Scenarios"])
    tables["Solver"] = solver_table(solution, timings)
    summary = summary_table(solution, tables, provenance, inp, risk or {})
    if not inp.has_scenario_sheet:
        del tables["Scenarios"]
    return {"Summary": summary, **tables}


def cost_summary(parts: Parts) -> dict[str, float]:
    """Probability-weighted present value by cost category and unmet du of a solved model (for sweeps)."""
    inp, plan = parts.inp, Plan.read(parts)
    out = {f"pv_{c}": 0.0 for c in COST_COLUMNS}
    out["unmet_du"] = 0.0
    for name, sc in inp.scenarios.items():
        costs = costs_table(plan, name)
        pv = costs[COST_COLUMNS].mul(costs["discount_factor"], axis=0).sum()
        for c in COST_COLUMNS:
            out[f"pv_{c}"] += sc.probability * float(pv[c])
        out["unmet_du"] += sc.probability * sum(x for (_w, _q, s), x in plan.unmet.items() if s == name)
    return out
