"""The plan auditor: an independent check of a finished plan.

It recomputes every constraint of MODEL.md section 4 and the cost of section 5
(with section 7's scenarios and objective) from the inputs and the report
tables alone: the first-stage decisions from ``Actions``, the allocation from
``Capacity`` (du per workload by source) and the unmet du from ``Coverage``.
It shares no code with the model (:mod:`planner.model`, :mod:`planner.model.timing`)
on purpose: its windows, capacities and costs are written again from the text
of MODEL.md, so a slip in one is caught by the other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from planner.workbook.inputs import Inputs
from planner.workbook.quarters import parse_quarter

REL, ABS = 1e-6, 1e-6  # tolerance of a check: ABS + REL * magnitude


@dataclass
class Audit:
    """Outcome: ``passed``, the recomputed objective and the violations found."""

    cost: float
    scenario_costs: dict[str, float]
    violations: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.violations


def _d(q: int, r: float) -> float:
    return (1.0 + r) ** (-q / 4.0)


def _crf(life: int, r: float) -> float:
    rq = (1.0 + r) ** 0.25 - 1.0
    return 1.0 / life if rq == 0 else rq / (1.0 - (1.0 + rq) ** -life)


class _Auditor:
    def __init__(self, inp: Inputs, tables: dict[str, pd.DataFrame]):
        self.inp, self.tables = inp, tables
        self.n = inp.n
        self.violations: list[str] = []

    def fail(self, message: str) -> None:
        self.violations.append(message)

    def le(self, lhs: float, rhs: float, what: str) -> None:
        if lhs > rhs + ABS + REL * max(abs(lhs), abs(rhs)):
            self.fail(f"{what}: {lhs:,.6g} > {rhs:,.6g}")

    def q(self, label: object) -> int:
        absolute = parse_quarter(label)
        if absolute is None:
            raise ValueError(f"not a quarter: {label!r}")
        return absolute - self.inp.settings.start

    # -- first stage ---------------------------------------------------------------------------
    def decisions(self) -> None:
        inp, n = self.inp, self.n
        self.leases: dict[tuple[str, int], float] = defaultdict(float)
        self.orders: dict[tuple[str, str, int], float] = defaultdict(float)
        self.phases: dict[tuple[str, int], float] = defaultdict(float)
        self.funded: set[str] = set()
        for a in self.tables["Actions"].itertuples():
            t, k = self.q(a.quarter), float(a.quantity)
            if k < 0 or abs(k - round(k)) > 1e-9:
                self.fail(f"{a.action} {a.what} in {a.quarter}: quantity {k} is not a whole number >= 0")
            if a.action == "sign lease":
                o = inp.offers[a.what]
                first, last = max(0, o.first_sign), min(n - 1, o.last_sign)
                if not first <= t <= last:
                    self.fail(f"lease {o.name} signed in {a.quarter}, outside its signing window")
                if o.max_blocks_per_quarter is not None:
                    self.le(k, o.max_blocks_per_quarter, f"signing limit of {o.name} in {a.quarter}")
                self.leases[o.name, t] += k
            elif a.action == "order hardware":
                h = inp.hardware[a.what]
                slip = inp.programs[h.program].slip_quarters if h.program else 0
                if t < max(0, h.available_from + slip) or t > n - 1:
                    self.fail(f"{h.name} ordered in {a.quarter}, before it can be ordered")
                self.orders[h.name, a.where, t] += k
            elif a.action == "start build phase":
                s = inp.sites[a.where]
                if t < max(0, s.earliest_start):
                    self.fail(f"phase at {s.name} started in {a.quarter}, before its earliest start")
                self.phases[s.name, t] += k
            elif a.action == "fund ASIC program":
                self.funded.add(a.what)
            else:
                self.fail(f"unknown action {a.action!r}")
        for s in inp.sites.values():
            self.le(sum(k for (sn, _), k in self.phases.items() if sn == s.name), s.max_phases,
                    f"phases built at {s.name}")
        for (hn, t) in {(h, t) for h, _, t in self.orders}:
            h = inp.hardware[hn]
            units = sum(h.order_block * k for (h2, _, t2), k in self.orders.items() if h2 == hn and t2 == t)
            limit = h.max_order_per_quarter
            if h.program and h.program not in self.funded and units > 0:
                self.fail(f"{hn} ordered in quarter {t} but program {h.program} is not funded")
            if limit is None and h.program:
                limit = 1e7
            if limit is not None:
                self.le(units, limit, f"supply of {hn} in quarter {t}")
        cash: dict[int, float] = defaultdict(float)
        for (hn, _, t), k in self.orders.items():
            h = inp.hardware[hn]
            cash[inp.year(t)] += h.unit_capex * h.order_block * k
        for (sn, t), k in self.phases.items():
            cash[inp.year(t)] += inp.sites[sn].capex_per_phase * k
        cash[inp.year(0)] += sum(inp.programs[p].nre_cost for p in self.funded)
        for year, cap in inp.budget.items():
            self.le(cash.get(year, 0.0), cap, f"capex in {year}")

    # -- capacities ----------------------------------------------------------------------------
    def start_of_service(self, hn: str, t: int, sc: str) -> int:
        h = self.inp.hardware[hn]
        start = t + h.lead_time
        if h.program:
            slip = self.inp.programs[h.program].slip_quarters + self.inp.scenarios[sc].asic_slip
            start = max(start, h.available_from + slip + h.lead_time)
        return start

    def owned(self, hn: str, sn: str, q: int, sc: str) -> float:
        h = self.inp.hardware[hn]
        units = sum(b.units for b in self.inp.fleet if b.hardware == hn and b.site == sn and q <= b.last_quarter)
        for (h2, s2, t), k in self.orders.items():
            if h2 == hn and s2 == sn:
                start = self.start_of_service(hn, t, sc)
                if start <= q < start + h.life:
                    units += h.order_block * k
        return units

    def active(self, contract: str, q: int) -> float:
        for e in self.inp.existing_leases:
            if e.name == contract:
                return e.units if e.first_quarter <= q <= e.last_quarter else 0.0
        o = self.inp.offers[contract]
        return sum(o.block_units * k for (on, t), k in self.leases.items()
                   if on == contract and t + o.lead_time <= q < t + o.lead_time + o.term)

    def mw(self, sn: str, q: int) -> float:
        s = self.inp.sites[sn]
        return s.existing_mw + s.phase_mw * sum(k for (s2, t), k in self.phases.items()
                                                if s2 == sn and t + s.lead_time <= q)

    def provider_and_hardware(self, contract: str) -> tuple[str, str]:
        for e in self.inp.existing_leases:
            if e.name == contract:
                return e.provider, e.hardware
        o = self.inp.offers[contract]
        return o.provider, o.hardware

    # -- second stage and cost -----------------------------------------------------------------
    def scenario(self, sc: str) -> float:
        inp, n, r = self.inp, self.n, self.inp.settings.discount_rate
        W = list(inp.workloads)
        cap = self._rows("Capacity", sc)
        cov = self._rows("Coverage", sc).set_index(["quarter", "workload"])
        for sn in inp.sites:
            for q in range(n):
                kw = sum(h.power_kw * self.owned(hn, sn, q, sc) for hn, h in inp.hardware.items())
                self.le(kw, 1000.0 * self.mw(sn, q), f"power at {sn} in {inp.quarter_label(q)} ({sc})")
        served: dict[tuple[str, int], float] = defaultdict(float)
        asic: dict[tuple[str, int], float] = defaultdict(float)
        provider_du: dict[tuple[str, int], float] = defaultdict(float)
        seen_sources: set[tuple[str, int]] = set()
        for row in cap.itertuples():
            q = self.q(row.quarter)
            source = str(row.source)
            du = {w: float(getattr(row, f"du_{w}")) for w in W}
            if source.startswith("owned "):
                hn = source.removeprefix("owned ")
                rate = {w: inp.throughput.get((hn, w), 0.0) * (
                    inp.programs[inp.hardware[hn].program].delivery_confidence if inp.hardware[hn].program else 1.0)
                    for w in W}
                available = sum(self.owned(hn, sn, q, sc) for sn in inp.sites)
                provider = None
            else:
                contract = source.removeprefix("lease ")
                provider, hn = self.provider_and_hardware(contract)
                rate = {w: inp.throughput.get((hn, w), 0.0) for w in W}
                available = self.active(contract, q)
            seen_sources.add((source, q))
            used = 0.0
            for w in W:
                if du[w] < -ABS:
                    self.fail(f"{source} serves negative du of {w} in {row.quarter}")
                if du[w] > ABS and rate[w] <= 0:
                    self.fail(f"{source} serves {w} in {row.quarter} but cannot run it")
                    continue
                used += du[w] / rate[w] if rate[w] > 0 else 0.0
                served[w, q] += du[w]
                if inp.hardware[hn].kind == "asic":
                    asic[w, q] += du[w]
                if provider is not None:
                    provider_du[provider, q] += du[w]
            self.le(used, available, f"accelerators of {source} used in {row.quarter} ({sc})")
        cost = 0.0
        for q in range(n):
            required = {w: inp.required(w, q, sc) for w in W}
            for w in W:
                unmet = float(cov.loc[(inp.quarter_label(q), w), "unmet_du"])
                if unmet < -ABS:
                    self.fail(f"negative unmet du of {w} in {inp.quarter_label(q)}")
                self.le(required[w], served[w, q] + unmet, f"coverage of {w} in {inp.quarter_label(q)} ({sc})")
                self.le(asic[w, q], inp.workloads[w].asic_share_max * required[w],
                        f"ASIC share of {w} in {inp.quarter_label(q)} ({sc})")
                cost += _d(q, r) * inp.workloads[w].unmet_penalty * unmet
            for pn, p in inp.providers.items():
                self.le(provider_du[pn, q], p.max_share * sum(required.values()),
                        f"share of provider {pn} in {inp.quarter_label(q)} ({sc})")
        return cost + self.scenario_cost_without_unmet(sc)

    def scenario_cost_without_unmet(self, sc: str) -> float:
        inp, n, r = self.inp, self.n, self.inp.settings.discount_rate
        hours = inp.settings.hours_per_quarter
        cost = sum(inp.programs[p].nre_cost for p in self.funded)
        for q in range(n):
            d = _d(q, r)
            for e in inp.existing_leases:
                if e.first_quarter <= q <= e.last_quarter:
                    cost += d * e.price_per_unit_quarter * e.units
            for (on, t), k in self.leases.items():
                o = inp.offers[on]
                if t + o.lead_time <= q < t + o.lead_time + o.term:
                    cost += d * o.price_per_unit_quarter * o.block_units * k
            for sn, s in inp.sites.items():
                cost += d * s.opex_per_mw_quarter * self.mw(sn, q)
                online = sum(k for (s2, t), k in self.phases.items() if s2 == sn and t + s.lead_time <= q)
                cost += d * s.capex_per_phase * _crf(s.facility_life, r) * online
                for hn, h in inp.hardware.items():
                    units = self.owned(hn, sn, q, sc)
                    cost += d * units * h.power_kw * s.pue * hours * s.power_price / 1000.0
                    new = units - sum(b.units for b in inp.fleet
                                      if b.hardware == hn and b.site == sn and q <= b.last_quarter)
                    cost += d * h.unit_capex * _crf(h.life, r) * new
        return cost

    def _rows(self, table: str, sc: str) -> pd.DataFrame:
        df = self.tables[table]
        return df[df["scenario"] == sc] if "scenario" in df.columns else df


def audit_plan(inp: Inputs, tables: dict[str, pd.DataFrame], objective: float) -> Audit:
    """Check the plan in ``tables`` against ``inp``; compare its cost with ``objective``."""
    a = _Auditor(inp, tables)
    try:
        a.decisions()
        costs = {sc: a.scenario(sc) for sc in inp.scenarios}
    except (KeyError, ValueError, AttributeError) as exc:
        return Audit(float("nan"), {}, [f"the report tables cannot be read back: {exc!r}"])
    probs = {sc: inp.scenarios[sc].probability for sc in inp.scenarios}
    expected = sum(probs[sc] * c for sc, c in costs.items())
    alpha, lam = inp.settings.cvar_alpha, inp.risk_aversion
    tail = min(eta + sum(probs[sc] * max(0.0, c - eta) for sc, c in costs.items()) / (1.0 - alpha)
               for eta in costs.values())
    total = (1.0 - lam) * expected + lam * tail
    if abs(total - objective) > 1e-6 * max(1.0, abs(objective)):
        a.fail(f"cost recomputed from the plan {total:,.2f} differs from the solver's objective {objective:,.2f}")
    return Audit(total, costs, a.violations)
