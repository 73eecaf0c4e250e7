"""The one-page overview of a plan, in words: the ``Overview`` sheet and ``plan.html``.

* a headline: the total cost and how close it is to the best possible, unmet demand, and with
  scenarios the expected and worst cost and what planning for risk is worth; the existing fleet
  powered down and sold, hardware that waits unpowered and capacity rented on demand (MODEL.md 11);
  the lease options reserved and where they are exercised, and the program gates passed and where a
  program stops (MODEL.md 12);
* what to sign, order, start and fund in the next four quarters;
* the limits that bind, in sentences (from the ``Limits`` table);
* the coverage and cost charts.

Built from the report tables alone (no model), as plain data that the sheet and the page render.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

NEXT_QUARTERS = 4
NEXT_COLUMNS = ["quarter", "action", "what", "where", "quantity", "unit", "accelerators", "mw", "cash_capex_usd",
                "resale_usd", "fee_usd", "scenarios"]
_FAMILY = {"power": "Power is full at {}", "max_phases": "Every phase that may still be started is started at {}",
           "supply": "The supply allocation is used up for {}", "asic_share": "ASICs serve their cap of {}",
           "provider_share": "The provider share cap binds for {}", "budget": "The capex budget binds in {}"}


@dataclass
class Overview:
    """What the page says: a title, headline sentences, the next actions and the binding limits."""

    title: str
    headline: list[str]
    next_actions: pd.DataFrame
    binding: list[str]


def _money(x: float) -> str:
    return f"${x / 1e9:,.2f}B" if abs(x) >= 1e9 else f"${x / 1e6:,.1f}M"


def _span(quarters: list[str]) -> str:
    """``8 quarters from 2031Q1 to 2032Q4``, ``2027Q2`` or ``2027Q2, 2028Q1``."""
    quarters = sorted(set(quarters))
    if len(quarters) <= 2:
        return ", ".join(quarters)
    return f"{len(quarters)} quarters from {quarters[0]} to {quarters[-1]}"


def _headline(tables: dict[str, pd.DataFrame]) -> list[str]:
    s = dict(zip(tables["Summary"].metric, tables["Summary"].value))
    gap, target = float(s["mip_gap"]), float(s.get("target_gap", s["mip_gap"]))
    status = "within" if s["status"] == "optimal" else "stopped at the time limit"
    lines = [f"Total cost {_money(float(s['total_cost']))} (present value), {status} {100 * gap:.2f} % of the best "
             f"possible (target {100 * target:g} %; best bound {_money(float(s['best_bound']))})."]
    cov = tables["Coverage"]
    cov = cov.assign(w=_weights(cov, tables))
    unmet, required = float((cov.unmet_du * cov.w).sum()), float((cov.required_du * cov.w).sum())
    if unmet > 0.5:
        by = cov.assign(u=cov.unmet_du * cov.w).groupby(["workload", "quarter"]).u.sum()
        by = by[by > 0.5]
        where = []
        for w, part in by.groupby(level=0, sort=False):
            quarters = part.droplevel(0)
            if len(quarters) <= 3:
                where.append(f"{w} " + ", ".join(f"{v:,.0f} du in {q}" for q, v in quarters.items()))
            else:
                where.append(f"{w} {quarters.sum():,.0f} du in {_span(list(quarters.index))}")
        lines.append(f"Unmet demand: {unmet:,.0f} du ({100 * unmet / max(required, 1e-9):.2f} % of required): "
                     + "; ".join(where) + ".")
    else:
        lines.append("All required capacity is served in every quarter.")
    if "expected_cost" in s:
        lines.append(f"Across the scenarios: expected cost {_money(float(s['expected_cost']))}, worst "
                     f"{_money(float(s['worst_cost']))}.")
        if "vss" in s and s["vss"] == s["vss"]:
            lines.append(_vss_sentence(float(s["vss"]), float(s["evpi"])))
        elif str(s.get("value_of_risk", "")).startswith("skipped"):
            lines.append("What planning for the scenarios is worth (vss, evpi) was not computed: "
                         + str(s["value_of_risk"]).removeprefix("skipped: ") + ".")
    if "Branches" in tables:
        branches = tables["Branches"]
        lines.append(f"Decisions adapt as {len(branches) - 1} scenarios branch off {branches.scenario.iloc[0]}: "
                     "see the scenario tree below and on the Tree sheet.")
    lines += _fleet_and_rent(tables, s)
    lines += _options_and_gates(tables)
    lines.append(f"Cash capex over the horizon: {_money(float(s['cash_capex_usd']))}"
                 f"{' (expected)' if 'Branches' in tables else ''}.")
    return lines


def _vss_sentence(vss: float, evpi: float) -> str:
    """What planning for the scenarios is worth; a vss or evpi below zero can only come from plans
    solved to a gap (each is a difference of two solves), and is said so."""
    if vss >= 0:
        text = f"Planning for the scenarios saves {_money(vss)} against planning on the average (vss)"
    else:
        text = (f"Planning on the average scenario found a plan {_money(-vss)} cheaper than this one (vss below 0: "
                "a difference of two plans solved to a gap, so read it as no measurable saving)")
    if evpi >= 0:
        return text + f"; knowing the future would save {_money(evpi)} more (evpi)."
    return text + f"; evpi {_money(evpi)}, below 0 for the same reason."


def _count(x: float) -> str:
    """``350k``, ``1.2M``, ``512``."""
    if abs(x) >= 1e6:
        return f"{x / 1e6:,.1f}M"
    return f"{x / 1000:,.0f}k" if abs(x) >= 10_000 else f"{x:,.0f}"


def _weights(df: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> pd.Series:
    """Each row's scenario probability (1 without scenarios)."""
    if "scenario" not in df:
        return pd.Series(1.0, index=df.index)
    return df.scenario.map(tables["Scenarios"].set_index("scenario").probability)


def _fleet_and_rent(tables: dict[str, pd.DataFrame], s: dict) -> list[str]:
    """Sentences on MODEL.md 11: sales of the existing fleet, hardware waiting unpowered, on-demand rent."""
    lines = []
    sales = tables["Actions"][tables["Actions"].action == "sell existing fleet"]
    if not sales.empty:
        by = sales.groupby(["quarter", "what", "where", "scenarios"], sort=True)[["quantity", "resale_usd"]].sum()
        said = [f"{_count(k)} {what} at {where} in {q}"
                f"{'' if scen == 'all' else f' (if {scen})'} for {_money(v)}"
                for (q, what, where, scen), (k, v) in by.iterrows()]
        more = f", and {len(said) - 4} more sales" if len(said) > 4 else ""
        lines.append("Power down and sell the old fleet: " + "; ".join(said[:4]) + more + ".")
    sites = tables["Sites"]
    stranded = sites.assign(x=sites.stranded * _weights(sites, tables))
    stranded = stranded[stranded.x > 0.5]
    if not stranded.empty:
        peak = stranded.groupby("site", sort=False).x.max().sort_values(ascending=False)
        where = [f"up to {_count(v)} at {site} ({_span(list(stranded[stranded.site == site].quarter))})"
                 for site, v in peak.head(3).items()]
        lines.append(f"Delivered hardware waits unpowered for {_count(float(s['stranded_accelerator_quarters']))} "
                     f"accelerator-quarters{' (expected)' if 'scenario' in sites else ''}: " + "; ".join(where) + ".")
    capacity = tables["Capacity"]
    rented = capacity[capacity.source_type == "on-demand"]
    if not rented.empty and rented.accelerators.max() > 0.5:
        lines.append(f"On-demand capacity is rented in {_span(list(rented[rented.accelerators > 0.5].quarter))}, up "
                     f"to {_count(float(rented.accelerators.max()))} accelerators at once "
                     f"({_money(float(s.get('pv_cost_on_demand_usd', 0.0)))} present value).")
    return lines


def _if(scenarios: str) -> str:
    return "in every scenario" if scenarios == "all" else f"only if {scenarios}"


def _options_and_gates(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Sentences on MODEL.md 12: ``Reserve the lease option VR200-expansion on CW-VR200 (VR200):
    20 blocks in 2026Q3 for $80.0M; exercise 20 in 2028Q1 only if high.`` and ``MTIA450 goes through
    mass production in 2027Q4 ($1.20B) except if fail, where it stops.``"""
    actions, lines = tables["Actions"], []
    for option, bought in actions[actions.action == "buy lease option"].groupby("what", sort=False):
        said = [f"{b.quantity:,.0f} block{'s' if b.quantity != 1 else ''} in {b.quarter}"
                f"{'' if b.scenarios == 'all' else f' (if {b.scenarios})'}" for b in bought.itertuples()]
        used = actions[(actions.action == "exercise lease option") & (actions.what == option)]
        then = [f"exercise {u.quantity:,.0f} in {u.quarter} {_if(u.scenarios)}" for u in used.itertuples()]
        offer = str(bought.detail.iloc[0]).split("blocks of ", 1)[-1].split(" from ", 1)[0]
        lines.append(f"Reserve the lease option {option} on {offer}: {', '.join(said)} for "
                     f"{_money(float(bought.fee_usd.sum()))}; "
                     + ("; ".join(then) if then else "exercise none in any scenario") + ".")
    passed = actions[actions.action == "pass programme gate"]
    stopped = tables["Branches"].set_index("scenario").gates_stopped if "Branches" in tables else pd.Series(dtype=str)
    for (program, gate), rows in passed.groupby(["what", "where"], sort=False):
        scenarios = sorted({s.strip() for text in rows.scenarios for s in str(text).split(",")})
        stops = [sc for sc, text in stopped.items() if f"{program} at {gate} " in f"{text} "]
        earlier = {sc for sc, text in stopped.items() if f"{program} at " in str(text)} - set(stops)
        where = ("in every scenario" if "all" in scenarios else f"except if {', '.join(stops)}, where it stops"
                 if stops else "in every scenario that passed its earlier gates"
                 if set(scenarios) | earlier == set(stopped.index) else f"only if {', '.join(scenarios)}")
        lines.append(f"{program} goes through {gate} in {rows.quarter.iloc[0]} "
                     f"({_money(float(rows.cash_capex_usd.iloc[0]))}) {where}.")
    return lines


def _binding(limits: pd.DataFrame | None) -> list[str]:
    """One sentence per family of binding limits, each naming its rows' subjects and quarters."""
    if limits is None or limits.empty or not limits.binding.any():
        return ["No limit binds: every decision has room to grow."]
    out = []
    for family, group in limits[limits.binding].groupby("limit", sort=False):
        subjects: dict[str, list[str]] = {}
        for at in group["at"]:
            words = str(at).split()
            quarters = [w for w in words if len(w) == 6 and w[4] == "Q"]
            name = " ".join(w for w in words if w not in quarters) or "all"
            subjects.setdefault(name, []).extend(quarters)
        parts = [f"{name} ({_span(q)})" if q else name for name, q in subjects.items()]
        template = _FAMILY.get(family, family + ": {}")
        out.append(template.format(", ".join(parts[:6]) + (f" and {len(parts) - 6} more" if len(parts) > 6 else ""))
                   + ".")
    return out


def overview(tables: dict[str, pd.DataFrame]) -> Overview:
    """The overview of a plan from its report tables."""
    quarters = list(dict.fromkeys(tables["Costs"]["quarter"]))
    actions = tables["Actions"]
    soon = actions[actions.quarter.isin(quarters[:NEXT_QUARTERS])]
    return Overview(f"Compute plan {quarters[0]}-{quarters[-1]}", _headline(tables),
                    soon[[c for c in NEXT_COLUMNS if c in soon]].reset_index(drop=True), _binding(tables.get("Limits")))
