"""The ``Branches`` table (MODEL.md 10): per scenario, where it branches and what it then does differently.

A scenario's decisions are those of the classes it belongs to in each quarter
(:meth:`planner.report.results.Plan.taken`); its differences are the decisions, from its
``branch_quarter`` on, whose quantity is not its ``branch_of``'s.
"""

from __future__ import annotations

import pandas as pd

from planner.report.plan import Plan

#: How each decision reads in a difference: (verb, unit).
_WORDS = {"lease": ("sign", "blocks"), "order": ("order", "blocks"), "phase": ("start", "phases"),
          "commit": ("fund", ""), "sell": ("sell", "accelerators"), "reserve": ("buy option", "blocks"),
          "exercise": ("exercise option", "blocks"), "go": ("pass gate of", "")}


def scenario_decisions(plan: Plan, sc: str) -> dict[tuple, float]:
    """Scenario sc's whole decisions: (name, quarter index, what, where) -> quantity."""
    out: dict[tuple, float] = {}
    for name, decisions in (("lease", plan.lease), ("order", plan.order), ("phase", plan.phase),
                            ("commit", plan.commit), ("sell", plan.sell), ("reserve", plan.reserve),
                            ("exercise", plan.exercise), ("go", plan.go)):
        for base, x in plan.taken(decisions, sc):
            t = next((i for i in base if isinstance(i, int)), 0)
            names = [str(i) for i in base if not isinstance(i, int)]
            out[name, t, names[0], "/".join(names[1:])] = round(x)
    return out


def describe(plan: Plan, key: tuple, before: float, after: float) -> str:
    """``order VR200 at Hyperion 2028Q3: 0 -> 12 blocks``."""
    name, t, what, where = key
    verb, unit = _WORDS[name]
    place = f" at {where}" if where and where != what else ""
    return f"{verb} {what}{place} {plan.inp.quarter_label(t)}: {before:g} -> {after:g} {unit}".rstrip()


def differences(plan: Plan, sc: str, other: str, from_quarter: int) -> list[str]:
    """Decisions of sc from ``from_quarter`` on whose quantity differs from other's, in time order."""
    mine, theirs = scenario_decisions(plan, sc), scenario_decisions(plan, other)
    keys = sorted({k for k in mine.keys() | theirs.keys() if k[1] >= from_quarter}, key=lambda k: (k[1], k))
    return [describe(plan, k, theirs.get(k, 0), mine.get(k, 0)) for k in keys if mine.get(k, 0) != theirs.get(k, 0)]


def _thousands(x: float) -> str:
    """``+1.2M``, ``-46k``, ``+512``."""
    if abs(x) >= 1e6:
        return f"{x / 1e6:+,.2g}M" if abs(x) < 1e7 else f"{x / 1e6:+,.0f}M"
    return f"{x / 1000:+,.0f}k" if abs(x) >= 1000 else f"{x:+,.0f}"


def main_differences(plan: Plan, sc: str, other: str, from_quarter: int, most: int = 3) -> str:
    """The biggest differences of sc from other from ``from_quarter`` on, summed over sites and
    quarters: accelerators ordered or leased per type, MW of phases started per site, funding.
    E.g. ``VR300 ordered +46k; MTIA450 ordered -30k; B200 leased +23k; ElPaso-TX -200 MW``."""
    inp = plan.inp
    mine, theirs = scenario_decisions(plan, sc), scenario_decisions(plan, other)
    units: dict[tuple[str, str], float] = {}
    mw: dict[str, float] = {}
    funding: list[str] = []
    for key in sorted(mine.keys() | theirs.keys(), key=lambda k: (k[1], k)):
        name, t, what, where = key
        delta = mine.get(key, 0) - theirs.get(key, 0)
        if t < from_quarter or not delta:
            continue
        if name == "order":
            units[what, "ordered"] = units.get((what, "ordered"), 0) + delta * inp.hardware[what].order_block
        elif name == "lease":
            o = inp.offers[what]
            units[o.hardware, "leased"] = units.get((o.hardware, "leased"), 0) + delta * o.block_units
        elif name == "phase":
            mw[what] = mw.get(what, 0) + delta * inp.sites[what].phase_mw
        elif name == "sell":
            batch = next(b for b in inp.fleet if b.name == what)
            units[batch.hardware, "sold"] = units.get((batch.hardware, "sold"), 0) + delta
        elif name == "exercise":
            o = inp.offers[inp.options[what].offer]
            units[o.hardware, "leased"] = units.get((o.hardware, "leased"), 0) + delta * o.block_units
        elif name == "go":  # a program stopped at one gate skips the later ones too: name the first only
            said = f"{'passes' if delta > 0 else 'stops'} {what}"
            if not any(f.startswith(said + " at ") for f in funding):
                funding.append(f"{said} at {where}")
        elif name == "commit":
            funding.append(f"{'funds' if delta > 0 else 'does not fund'} {what}")
    hardware = sorted(((v, k) for k, v in units.items() if v), key=lambda x: (-abs(x[0]), x[1]))[:most]
    sites = sorted(((v, s) for s, v in mw.items() if v), key=lambda x: (-abs(x[0]), x[1]))[:1]
    parts = funding + [f"{h} {how} {_thousands(v)}" for v, (h, how) in hardware]
    parts += [f"{s} {v:+,.0f} MW" for v, s in sites]
    return "; ".join(parts)


def options_exercised(plan: Plan, sc: str) -> str:
    """The lease options scenario sc exercises: ``X: 2 blocks of L4 in 2027Q1`` (MODEL.md 12)."""
    parts = []
    for (x, t), blocks in sorted(plan.taken(plan.exercise, sc), key=lambda item: (item[0][1], item[0][0])):
        parts.append(f"{x}: {blocks:g} blocks of {plan.inp.options[x].offer} in {plan.inp.quarter_label(t)}")
    return "; ".join(parts)


def gates_stopped(plan: Plan, sc: str) -> str:
    """Per program scenario sc funds, the first gate it does not pass: ``P1 at mass production (2026Q4)``."""
    inp = plan.inp
    funded = {name for (name,), x in plan.taken(plan.commit, sc) if x > 0.5}
    passed = {(p, g) for (p, g, _t), x in plan.taken(plan.go, sc) if x > 0.5}
    parts = []
    for p, gates in inp.gates.items():
        if p in funded or inp.programs[p].funded:
            stop = next((g for g in gates if (p, g.gate) not in passed), None)
            if stop is not None:
                parts.append(f"{p} at {stop.gate} ({inp.quarter_label(stop.quarter)})")
    return "; ".join(parts)


def branches_table(plan: Plan, scenarios: pd.DataFrame) -> pd.DataFrame:
    """Per scenario: branch_of, branch_quarter, probability, cost ($ present value), unmet du, the
    main differences from branch_of (summed over sites and quarters), the lease options it exercises and
    the program gates it stops at (MODEL.md 12), and every decision that differs (``; ``-separated)."""
    inp = plan.inp
    cost = dict(zip(scenarios.scenario, scenarios.cost_usd))
    unmet = dict(zip(scenarios.scenario, scenarios.unmet_du))
    rows = []
    for name, sc in inp.scenarios.items():
        parent = sc.branch_of or ""
        quarter = sc.branch_quarter
        branches = bool(parent) and quarter is not None and quarter < inp.n
        start = max(0, quarter or 0)
        changed = differences(plan, name, parent, start) if branches else []
        rows.append(dict(scenario=name, branch_of=parent,
                         branch_quarter="" if quarter is None else inp.quarter_label(start),
                         probability=sc.probability, cost_usd=cost[name], unmet_du=unmet[name],
                         main_differences=main_differences(plan, name, parent, start) if branches else "",
                         options_exercised=options_exercised(plan, name), gates_stopped=gates_stopped(plan, name),
                         decisions_that_differ=len(changed), differences="; ".join(changed)))
    return pd.DataFrame(rows)
