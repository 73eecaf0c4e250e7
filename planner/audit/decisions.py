"""The auditor's reading of the Actions table: each scenario's own decisions, checked.

Written again from the text of MODEL.md (sections 3, 4, 9, 10, 11 and 12), sharing no code with the
model: the windows in which each decision may be taken, the signing, supply, max-phases, sales and
budget limits per scenario, funding, and the rule that a scenario takes its ``branch_of``'s
decisions in every quarter before its ``branch_quarter``. A sale names its batch at the start of its
``detail`` (``ExistingFleet row N: ...``); a gate passed is ``what`` = program, ``where`` = gate.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from planner.workbook.inputs import Inputs
from planner.workbook.quarters import parse_quarter
from planner.workbook.tree import scenarios_in

REL, ABS = 1e-6, 1e-6  # tolerance of a check: ABS + REL * magnitude
_BATCH = re.compile(r"^ExistingFleet row (\d+)\b")


@dataclass
class Decisions:
    """One scenario's decisions: blocks by (offer, t), (hardware, site, t), (site, t); funded programs;
    accelerators sold by (ExistingFleet row, t)."""

    leases: dict[tuple[str, int], float] = field(default_factory=lambda: defaultdict(float))
    orders: dict[tuple[str, str, int], float] = field(default_factory=lambda: defaultdict(float))
    phases: dict[tuple[str, int], float] = field(default_factory=lambda: defaultdict(float))
    funded: set[str] = field(default_factory=set)  # funded by the plan (NRE charged)
    sales: dict[tuple[int, int], float] = field(default_factory=lambda: defaultdict(float))
    reserved: dict[tuple[str, int], float] = field(default_factory=lambda: defaultdict(float))  # (option, t)
    exercised: dict[tuple[str, int], float] = field(default_factory=lambda: defaultdict(float))  # (option, t)
    gates: dict[tuple[str, str], int] = field(default_factory=dict)  # (program, gate) passed -> its quarter

    def at(self, t: int) -> set[tuple]:
        """Everything decided in quarter t (funding counts as a decision of t = 0)."""
        out = {("lease", *k, v) for k, v in self.leases.items() if k[-1] == t and v}
        out |= {("order", *k, v) for k, v in self.orders.items() if k[-1] == t and v}
        out |= {("phase", *k, v) for k, v in self.phases.items() if k[-1] == t and v}
        out |= {("sell", *k, v) for k, v in self.sales.items() if k[-1] == t and v}
        out |= {("reserve", *k, v) for k, v in self.reserved.items() if k[-1] == t and v}
        out |= {("exercise", *k, v) for k, v in self.exercised.items() if k[-1] == t and v}
        out |= {("gate", *k) for k, q in self.gates.items() if q == t}
        if t == 0:
            out |= {("fund", p) for p in self.funded}
        return out


class Checks:
    """Collects violations with the auditor's tolerance."""

    def __init__(self) -> None:
        self.violations: list[str] = []

    def fail(self, message: str) -> None:
        self.violations.append(message)

    def le(self, lhs: float, rhs: float, what: str) -> None:
        if lhs > rhs + ABS + REL * max(abs(lhs), abs(rhs)):
            self.fail(f"{what}: {lhs:,.6g} > {rhs:,.6g}")


def quarter_index(inp: Inputs, label: object) -> int:
    """Horizon index of a quarter label of the report."""
    absolute = parse_quarter(label)
    if absolute is None:
        raise ValueError(f"not a quarter: {label!r}")
    return absolute - inp.settings.start


def scenarios_of(inp: Inputs, text: object) -> list[str]:
    """The scenarios named in an Actions row (``all``, or a comma-separated list); an unknown name
    means the table cannot be read back."""
    names = scenarios_in(text, list(inp.scenarios))
    listed = {s.strip() for s in str(text).split(",")} if names != list(inp.scenarios) else set(names)
    if not listed <= set(names):
        raise ValueError(f"unknown scenarios {sorted(listed - set(names))} in Actions")
    return names


def read_actions(inp: Inputs, actions: pd.DataFrame, chk: Checks) -> dict[str, Decisions]:
    """Each scenario's decisions from Actions, with the per-row checks (whole quantities, windows,
    signing limits)."""
    n = inp.n
    out = {sc: Decisions() for sc in inp.scenarios}
    for a in actions.itertuples():
        t, k = quarter_index(inp, a.quarter), float(a.quantity)
        if k < 0 or abs(k - round(k)) > 1e-9:
            chk.fail(f"{a.action} {a.what} in {a.quarter}: quantity {k} is not a whole number >= 0")
        targets = [out[sc] for sc in scenarios_of(inp, getattr(a, "scenarios", None))]
        if a.action == "sign lease":
            o = inp.offers[a.what]
            if not max(0, o.first_sign) <= t <= min(n - 1, o.last_sign):
                chk.fail(f"lease {o.name} signed in {a.quarter}, outside its signing window")
            if o.max_blocks_per_quarter is not None:
                chk.le(k, o.max_blocks_per_quarter, f"signing limit of {o.name} in {a.quarter}")
            for d in targets:
                d.leases[o.name, t] += k
        elif a.action == "order hardware":
            h = inp.hardware[a.what]
            slip = inp.programs[h.program].slip_quarters if h.program else 0
            gates = [g.quarter for g in inp.gates.get(h.program or "", ())]
            if t < max(0, h.available_from + slip, *gates) or t > n - 1:
                chk.fail(f"{h.name} ordered in {a.quarter}, before it can be ordered")
            for d in targets:
                d.orders[h.name, a.where, t] += k
        elif a.action == "start build phase":
            s = inp.sites[a.where]
            if t < max(0, s.earliest_start):
                chk.fail(f"phase at {s.name} started in {a.quarter}, before its earliest start")
            for d in targets:
                d.phases[s.name, t] += k
        elif a.action == "sell existing fleet":
            row = _sold_batch(inp, a, t, chk)
            for d in targets:
                d.sales[row, t] += k
        elif a.action in ("buy lease option", "exercise lease option", "pass programme gate"):
            _read_right(inp, a, t, k, targets, chk)
        elif a.action == "fund ASIC program":
            if inp.programs[a.what].funded:
                chk.fail(f"program {a.what} is funded again, but it is already funded")
            for d in targets:
                d.funded.add(a.what)
        else:
            chk.fail(f"unknown action {a.action!r}")
    return out


def _read_right(inp: Inputs, a, t: int, k: float, targets: list[Decisions], chk: Checks) -> None:
    """An option bought or exercised inside its window (an exercise also with its lease starting inside the
    horizon), or a gate passed in its own quarter (MODEL.md 12)."""
    n = inp.n
    if a.action == "pass programme gate":
        gate = next((g for g in inp.gates.get(a.what, ()) if g.gate == a.where), None)
        if gate is None:
            raise ValueError(f"gate {a.where!r} of program {a.what!r} is not in ProgramGates")
        if gate.quarter != t:
            chk.fail(f"gate {a.where} of {a.what} passed in {a.quarter}, not in its quarter")
        for d in targets:
            d.gates[a.what, a.where] = t
        return
    x = inp.options[a.what]
    if a.action == "buy lease option":
        first, last, book = x.buy_first, x.buy_last, "reserved"
    else:
        first, book = x.exercise_first, "exercised"
        last = min(x.exercise_last, n - 1 - inp.offers[x.offer].lead_time)
    if not max(0, first) <= t <= min(n - 1, last):
        chk.fail(f"{a.action} {x.name} in {a.quarter}, outside its window")
    for d in targets:
        getattr(d, book)[x.name, t] += k


def check_rights(inp: Inputs, sc: str, d: Decisions, chk: Checks) -> None:
    """MODEL.md 12 in one scenario: no more blocks exercised by any quarter than bought by then, at most
    ``max_blocks`` bought; a gate passed only by a funded program that passed its earlier gates."""
    for x in inp.options.values():
        for t in range(inp.n):
            done = sum(k for (xn, t2), k in d.exercised.items() if xn == x.name and t2 <= t)
            chk.le(done, sum(k for (xn, t2), k in d.reserved.items() if xn == x.name and t2 <= t),
                   f"blocks of option {x.name} exercised by {inp.quarter_label(t)} ({sc})")
        if x.max_blocks is not None:
            chk.le(sum(k for (xn, _), k in d.reserved.items() if xn == x.name), x.max_blocks,
                   f"blocks of option {x.name} bought ({sc})")
    for p, gates in inp.gates.items():
        passed = p in d.funded or inp.programs[p].funded
        for g in sorted(gates, key=lambda g: g.quarter):
            if (p, g.gate) in d.gates and not passed:
                chk.fail(f"gate {g.gate} of {p} passed without its funding and earlier gates ({sc})")
            passed = (p, g.gate) in d.gates


def _sold_batch(inp: Inputs, a, t: int, chk: Checks) -> int:
    """The ExistingFleet row a sale names, checked: a batch of that hardware and site, with a
    ``resale_value``, in service at start_quarter (blank or early ``first_quarter``), sold in 0 ..
    its ``last_quarter`` (MODEL.md 11)."""
    match = _BATCH.match(str(a.detail))
    if match is None:
        raise ValueError(f"sale in {a.quarter} names no ExistingFleet row: {a.detail!r}")
    row = int(match.group(1))
    batch = next((b for b in inp.fleet if b.row == row), None)
    if batch is None or (batch.hardware, batch.site) != (a.what, a.where):
        raise ValueError(f"sale in {a.quarter}: ExistingFleet row {row} is not a batch of {a.what} at {a.where}")
    arrives = batch.first_quarter is not None and batch.first_quarter > 0
    if batch.resale_value is None or arrives:
        chk.fail(f"ExistingFleet row {row} is sold in {a.quarter} but is not for sale")
    if not 0 <= t <= min(batch.last_quarter, inp.n - 1):
        chk.fail(f"ExistingFleet row {row} is sold in {a.quarter}, outside 0 .. its last_quarter")
    return row


def check_limits(inp: Inputs, sc: str, d: Decisions, chk: Checks) -> None:
    """Max phases, supply, funding and budget over one scenario's decisions."""
    for s in inp.sites.values():
        chk.le(sum(k for (sn, _), k in d.phases.items() if sn == s.name), s.max_phases,
               f"phases built at {s.name} ({sc})")
    funded = d.funded | {p for p, prog in inp.programs.items() if prog.funded}
    for p, gates in inp.gates.items():  # with gates, orders need the last gate passed (MODEL.md 12)
        last = max(gates, key=lambda g: g.quarter)
        if (p, last.gate) not in d.gates:
            funded.discard(p)
    for (hn, t) in {(h, t) for h, _, t in d.orders}:
        h = inp.hardware[hn]
        units = sum(h.order_block * k for (h2, _, t2), k in d.orders.items() if h2 == hn and t2 == t)
        limit = h.max_order_per_quarter
        if h.program and h.program not in funded and units > 0:
            chk.fail(f"{hn} ordered in quarter {t} but program {h.program} is not funded ({sc})")
        if limit is None and h.program:
            limit = 1e7
        if limit is not None:
            chk.le(units, limit, f"supply of {hn} in quarter {t} ({sc})")
    for b in inp.fleet:
        chk.le(sum(k for (row, _), k in d.sales.items() if row == b.row), b.units,
               f"accelerators sold of ExistingFleet row {b.row} ({sc})")
    cash: dict[int, float] = defaultdict(float)
    for (hn, _, t), k in d.orders.items():
        h = inp.hardware[hn]
        cash[inp.year(t)] += h.unit_capex * h.order_block * k
    for (sn, t), k in d.phases.items():
        cash[inp.year(t)] += inp.sites[sn].capex_per_phase * k
    cash[inp.year(0)] += sum(inp.programs[p].nre_cost for p in d.funded)
    for (p, gate), t in d.gates.items():
        cash[inp.year(t)] += next(g.cost for g in inp.gates[p] if g.gate == gate)
    for year, cap in inp.budget.items():
        chk.le(cash.get(year, 0.0), cap, f"capex in {year} ({sc})")


def check_shared(inp: Inputs, decisions: dict[str, Decisions], chk: Checks) -> None:
    """MODEL.md 10: in every quarter before its branch_quarter (all quarters when blank) a scenario
    takes the same decisions as its branch_of (blank: the first scenario)."""
    names = list(inp.scenarios)
    for name, sc in inp.scenarios.items():
        if name == names[0]:
            continue
        parent = sc.branch_of or names[0]
        until = inp.n if sc.branch_quarter is None else min(inp.n, sc.branch_quarter)
        for t in range(until):
            if decisions[name].at(t) != decisions[parent].at(t):
                chk.fail(f"scenario {name} decides differently from {parent} in {inp.quarter_label(t)}, "
                         f"before its branch quarter")
