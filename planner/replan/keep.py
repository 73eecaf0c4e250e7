"""``--keep-through QUARTER``: a previous plan's decisions up to QUARTER, fixed in the new solve.

Every decision the new model takes in a quarter from its start to QUARTER is fixed at the
previous plan's quantity (0 where the plan has none), class by class of the new scenario tree;
so is program funding when both plans start in the same quarter. A kept decision the new
workbook cannot take (an offer, hardware, site or program gone; a window that excludes it; more
than a signing, supply or max-phases limit, or a budget, allows) is an input error naming the
plan's Actions row and the reason. Sales of the existing fleet are kept like orders (their batch
found as :func:`planner.replan.sales.sold_batch` finds it; no more than its units sold), and so are
options bought and exercised and gates passed (MODEL.md 12; a gate not passed is kept as stopped).
"""

from __future__ import annotations

from collections import defaultdict

from planner.model.timing import (
    exercise_quarters,
    order_quarters,
    reserve_quarters,
    sale_quarters,
    sign_quarters,
    start_quarters,
)
from planner.replan.previous import PreviousPlan
from planner.replan.rights import BUY, EXERCISE, GATE, kept_base
from planner.replan.sales import SELL, sold_batch
from planner.workbook.errors import InputError, Problem
from planner.workbook.inputs import Inputs
from planner.workbook.quarters import label, parse_quarter
from planner.workbook.tree import scenarios_in

#: Actions -> (decision name, columns of its key before the quarter).
_KINDS = {"sign lease": "lease", "order hardware": "order", "start build phase": "phase"}


class _Kept:
    """The kept rows: quantities per (decision, key without class) and scenario, and problems."""

    def __init__(self, inp: Inputs, plan: PreviousPlan):
        self.inp, self.plan = inp, plan
        self.qty: dict[tuple, dict[str, float]] = defaultdict(dict)  # (name, *base) -> scenario -> blocks
        self.row_of: dict[tuple, int] = {}
        self.problems: list[Problem] = []

    def fail(self, a, column: str, value: object, reason: str) -> None:
        self.problems.append(Problem(f"{self.plan.path.name} Actions", int(a.row), column, value, reason))

    def base(self, a, t: int) -> tuple | None:
        """The decision key of an Actions row without its class, or None (with a problem) if the new
        workbook cannot take it."""
        inp, what, where = self.inp, str(a.what), str(a.where)
        if a.action == "sign lease":
            o = inp.offers.get(what)
            if o is None:
                return self.fail(a, "what", what, "offer is not in the workbook's LeaseOffers")
            if t not in sign_quarters(inp, o):
                return self.fail(a, "quarter", a.quarter, f"offer {what} cannot be signed then (first_sign .. "
                                 "last_sign, and it must start inside the horizon)")
            if o.max_blocks_per_quarter is not None and float(a.quantity) > o.max_blocks_per_quarter:
                return self.fail(a, "quantity", a.quantity, f"more than max_blocks_per_quarter "
                                 f"{o.max_blocks_per_quarter} of offer {what}")
            return ("lease", what, t)
        if a.action == "order hardware":
            h = inp.hardware.get(what)
            if h is None or where not in inp.sites:
                return self.fail(a, "what" if h is None else "where", what if h is None else where,
                                 "is not in the workbook's " + ("Hardware" if h is None else "Sites"))
            if t not in order_quarters(inp, h):
                return self.fail(a, "quarter", a.quarter, f"{what} cannot be ordered then (before available_from "
                                 "+ slip, or too late to be in service inside the horizon)")
            return ("order", what, where, t)
        if a.action == "start build phase":
            s = inp.sites.get(where)
            if s is None:
                return self.fail(a, "where", where, "site is not in the workbook's Sites")
            if t not in start_quarters(inp, s):
                return self.fail(a, "quarter", a.quarter, f"no phase of {where} can start then (earliest_start, "
                                 "max_phases, or online too late for the horizon)")
            return ("phase", where, t)
        if a.action == SELL:
            b = sold_batch(inp, a)
            if b is None:
                return self.fail(a, "detail", a.detail, "names no batch of the workbook's ExistingFleet (that "
                                 "hardware, site and last quarter)")
            if t not in sale_quarters(inp, b):
                return self.fail(a, "quarter", a.quarter, f"{b.name} cannot be sold then (it needs a resale_value, "
                                 "to be in service at start_quarter, and a quarter up to its last_quarter)")
            return ("sell", b.name, t)
        if a.action in (BUY, EXERCISE, GATE):
            key, column, value, reason = kept_base(inp, a, t)
            return key if key is not None else self.fail(a, column, value, reason)
        if a.action == "fund ASIC program":
            if what not in inp.programs:
                return self.fail(a, "what", what, "program is not in the workbook's AsicPrograms")
            return ("commit", what)
        return self.fail(a, "action", a.action, "unknown action")

    def read(self, through: int) -> None:
        start = self.inp.settings.start
        for a in self.plan.actions.itertuples():
            t = (parse_quarter(a.quarter) or start - 1) - start
            if not 0 <= t <= through - start:
                continue
            names = scenarios_in(a.scenarios, list(self.inp.scenarios))
            key = self.base(a, t) if names else None
            if key is None:
                continue
            for sc in names:
                self.qty[key][sc] = self.qty[key].get(sc, 0.0) + round(float(a.quantity))
            self.row_of.setdefault(key, int(a.row))


def kept_decisions(inp: Inputs, plan: PreviousPlan, through_label: str) -> dict[str, dict[tuple, float]]:
    """The fixed decisions of ``--keep-through`` (decision name -> class-ended key -> value)."""
    through = parse_quarter(through_label)
    if through is None or through < inp.settings.start:
        raise InputError([Problem("--keep-through", None, None, through_label,
                                  f"must be a quarter at or after start_quarter {label(inp.settings.start)}")])
    kept = _Kept(inp, plan)
    kept.read(min(through, inp.settings.end))
    fixed = _fix_by_class(inp, plan, kept, min(through, inp.settings.end) - inp.settings.start)
    kept.problems += _limits(inp, fixed, kept)
    if kept.problems:
        raise InputError(kept.problems)
    return fixed


def _fix_by_class(inp: Inputs, plan: PreviousPlan, kept: _Kept, last: int) -> dict[str, dict[tuple, float]]:
    """Every decision key of the new model in quarters 0 .. last, at the plan's value for its class."""
    tree = inp.tree
    fixed: dict[str, dict[tuple, float]] = defaultdict(dict)
    bases = [("lease", o.name, t) for o in inp.offers.values() for t in sign_quarters(inp, o) if t <= last]
    bases += [("order", h.name, s, t) for h in inp.hardware.values() for s in inp.sites
              for t in order_quarters(inp, h) if t <= last]
    bases += [("phase", s.name, t) for s in inp.sites.values() for t in start_quarters(inp, s) if t <= last]
    bases += [("sell", b.name, t) for b in inp.fleet for t in sale_quarters(inp, b) if t <= last]
    bases += [("reserve", x.name, t) for x in inp.options.values() for t in reserve_quarters(inp, x) if t <= last]
    bases += [("exercise", x.name, t) for x in inp.options.values() for t in exercise_quarters(inp, x) if t <= last]
    bases += [("go", g.program, g.gate, g.quarter) for gates in inp.gates.values() for g in gates if g.quarter <= last]
    if plan.start == inp.settings.start:  # the plan's funding decisions were taken at this start too
        bases += [("commit", p) for p, prog in inp.programs.items() if not prog.funded]
    for base in bases:
        t = base[-1] if isinstance(base[-1], int) else 0
        by_scenario = kept.qty.get(base, {})
        for k, members in tree.classes(t).items():
            values = {by_scenario.get(sc, 0.0) for sc in members}
            if len(values) > 1:
                kept.problems.append(Problem(f"{plan.path.name} Actions", kept.row_of.get(base), "scenarios", None,
                                             "the plan decided this differently in scenarios that share their "
                                             "decisions in this workbook: " + ", ".join(members)))
            fixed[base[0]][(*base[1:], k)] = max(values)
    return dict(fixed)


def _row(kept: _Kept, match) -> int | None:
    """The first kept Actions row whose decision key satisfies ``match``."""
    return min((row for key, row in kept.row_of.items() if match(key)), default=None)


def _per_scenario(inp: Inputs, fixed: dict[str, dict[tuple, float]]):
    """(decision name, key without class, scenario, value) of every fixed decision, per scenario of its class."""
    for name, decisions in fixed.items():
        for key, value in decisions.items():
            t = key[-2] if isinstance(key[-2], int) else 0
            for sc in inp.tree.members(key[-1], t):
                yield name, key[:-1], sc, value


def _limits(inp: Inputs, fixed: dict[str, dict[tuple, float]], kept: _Kept) -> list[Problem]:
    """Supply, funding, max-phases and budget limits over the kept decisions, per scenario."""
    name, problems = f"{kept.plan.path.name} Actions", []
    units: dict[tuple, float] = defaultdict(float)
    phases: dict[tuple, float] = defaultdict(float)
    cash: dict[tuple, float] = defaultdict(float)
    funded: dict[tuple, float] = {}
    sold: dict[tuple, float] = defaultdict(float)
    for kind, key, sc, value in _per_scenario(inp, fixed):
        if kind == "sell":
            sold[key[0], sc] += value
        if kind == "order":
            h = inp.hardware[key[0]]
            units[key[0], key[2], sc] += value * h.order_block
            cash[sc, inp.year(key[2])] += value * h.order_block * h.unit_capex
        elif kind == "phase":
            phases[key[0], sc] += value
            cash[sc, inp.year(key[1])] += value * inp.sites[key[0]].capex_per_phase
        elif kind == "commit":
            funded[key[0], sc] = value
            cash[sc, inp.year(0)] += value * inp.programs[key[0]].nre_cost
        elif kind == "go":
            cash[sc, inp.year(key[2])] += value * inp.gate(key[0], key[1]).cost  # type: ignore[union-attr]
    for (h, t, sc), n in units.items():
        hw, row = inp.hardware[h], _row(kept, lambda key, h=h, t=t: key[:2] == ("order", h) and key[-1] == t)
        limit = hw.max_order_per_quarter if hw.max_order_per_quarter is not None else (1e7 if hw.program else None)
        if limit is not None and n > limit + 1e-9:
            problems.append(Problem(name, row, "quantity", n, f"more {h} than max_order_per_quarter {limit:g} ({sc})"))
        if hw.program and n > 0 and not inp.programs[hw.program].funded and funded.get((hw.program, sc), 1.0) < 0.5:
            problems.append(Problem(name, row, "what", h, f"program {hw.program} is not funded in the plan ({sc})"))
    for (bn, sc), n in sold.items():
        b = next(b for b in inp.fleet if b.name == bn)
        if n > b.units + 1e-9:
            problems.append(Problem(name, _row(kept, lambda key, bn=bn: key[:2] == ("sell", bn)), "quantity", n,
                                    f"more accelerators sold than the {b.units:g} units of {bn} ({sc})"))
    for (s, sc), n in phases.items():
        if n > inp.sites[s].max_phases:
            problems.append(Problem(name, _row(kept, lambda key, s=s: key[:2] == ("phase", s)), "quantity", n,
                                    f"more phases of {s} than max_phases {inp.sites[s].max_phases} ({sc})"))
    for (sc, year), spent in cash.items():
        cap = inp.budget.get(year)
        if cap is not None and spent > cap * (1 + 1e-9):
            row = _row(kept, lambda key, y=year: isinstance(key[-1], int) and inp.year(key[-1]) == y)
            problems.append(Problem(name, row, "cash_capex_usd", round(spent),
                                    f"the kept decisions spend more than the {year} Budget capex_max "
                                    f"{cap:,.0f} ({sc})"))
    return list(dict.fromkeys(problems))
