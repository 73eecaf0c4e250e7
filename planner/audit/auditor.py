"""The plan auditor: an independent check of a finished plan.

It recomputes every constraint of MODEL.md section 4 and the cost of section 5
(with section 7's scenarios and objective, section 9's pipeline, section 10's
branching, slips and failed programs, section 11's powered units, sales and
on-demand capacity, and section 12's options and gates) from the inputs and the report
tables alone: each scenario's decisions from ``Actions`` (:mod:`planner.audit.decisions`), the allocation and the
on-demand units rented from ``Capacity`` (du per workload by source), the powered
units per type and site from ``Fleet`` and the unmet du from ``Coverage``. The units
delivered (existing fleet less sales, orders in service) are its own; the powered
units it reads are checked against them and against the power of each site.
It shares no code with the model (:mod:`planner.model`, :mod:`planner.model.timing`)
on purpose: its windows, capacities and costs are written again from the text
of MODEL.md, so a slip in one is caught by the other.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd

from planner.audit.decisions import (
    ABS,
    Checks,
    Decisions,
    check_limits,
    check_rights,
    check_shared,
    quarter_index,
    read_actions,
)
from planner.workbook.inputs import Inputs


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


class _Auditor(Checks):
    def __init__(self, inp: Inputs, tables: dict[str, pd.DataFrame]):
        super().__init__()
        self.inp, self.tables = inp, tables
        self.n = inp.n
        self.plan: dict[str, Decisions] = {}

    def q(self, label: object) -> int:
        return quarter_index(self.inp, label)

    def decisions(self) -> None:
        self.plan = read_actions(self.inp, self.tables["Actions"], self)
        for sc, d in self.plan.items():
            check_limits(self.inp, sc, d, self)
            check_rights(self.inp, sc, d, self)
        check_shared(self.inp, self.plan, self)

    # -- capacities in a scenario --------------------------------------------------------------
    def start_of_service(self, hn: str, t: int, sc: str) -> int:
        h, scen = self.inp.hardware[hn], self.inp.scenarios[sc]
        start = t + h.lead_time
        if h.program:
            slip = self.inp.programs[h.program].slip_quarters + scen.asic_slip
            return max(start, h.available_from + slip + h.lead_time)
        return start + scen.delivery_slip

    def lost(self, hn: str, sc: str) -> bool:
        """Hardware of a program that fails in sc gives nothing (MODEL.md 10)."""
        program = self.inp.hardware[hn].program
        return program is not None and program in self.inp.scenarios[sc].failed

    def fleet_units(self, hn: str, sn: str, q: int, sc: str) -> float:
        """Existing units of hn at sn in service in q, less those sold at or before q."""
        units = 0.0
        for b in self.inp.fleet:
            if b.hardware == hn and b.site == sn:
                arriving = b.first_quarter is not None and b.first_quarter > 0
                slip = self.inp.scenarios[sc].delivery_slip if arriving else 0
                first = -1 if b.first_quarter is None else b.first_quarter + slip
                if first <= q <= b.last_quarter + slip:
                    units += b.units - sum(k for (row, t), k in self.plan[sc].sales.items() if row == b.row and t <= q)
        return units

    def new_units(self, hn: str, sn: str, q: int, sc: str) -> float:
        """Ordered units of hn at sn whose service window (as if delivered) holds q."""
        h = self.inp.hardware[hn]
        units = 0.0
        for (h2, s2, t), k in self.plan[sc].orders.items():
            if h2 == hn and s2 == sn:
                start = self.start_of_service(hn, t, sc)
                if start <= q < start + h.life:
                    units += h.order_block * k
        return units

    def owned(self, hn: str, sn: str, q: int, sc: str) -> float:
        return self.fleet_units(hn, sn, q, sc) + (0.0 if self.lost(hn, sc) else self.new_units(hn, sn, q, sc))

    def active(self, contract: str, q: int, sc: str) -> float:
        lease_slip = self.inp.scenarios[sc].lease_slip
        for e in self.inp.existing_leases:
            if e.name == contract:
                slip = lease_slip if e.first_quarter > 0 else 0
                return e.units if e.first_quarter + slip <= q <= e.last_quarter + slip else 0.0
        o = self.inp.offers[contract]
        signed = [(t, k) for (on, t), k in self.plan[sc].leases.items() if on == contract]
        signed += [(t, k) for (x, t), k in self.plan[sc].exercised.items() if self.inp.options[x].offer == contract]
        return sum(o.block_units * k for t, k in signed
                   if t + o.lead_time + lease_slip <= q < t + o.lead_time + lease_slip + o.term)

    def phases_online(self, sn: str, q: int, sc: str) -> float:
        s, build_slip = self.inp.sites[sn], self.inp.scenarios[sc].build_slip
        started = sum(k for (s2, t), k in self.plan[sc].phases.items()
                      if s2 == sn and t + s.lead_time + build_slip <= q)
        return started

    def mw(self, sn: str, q: int, sc: str) -> float:
        s, build_slip = self.inp.sites[sn], self.inp.scenarios[sc].build_slip
        committed = sum(c.phases for c in self.inp.committed if c.site == sn and
                        max(0, c.online_quarter + (build_slip if c.online_quarter > 0 else 0)) <= q)
        return s.existing_mw + s.phase_mw * (committed + self.phases_online(sn, q, sc))

    def provider_and_hardware(self, contract: str) -> tuple[str, str]:
        for e in self.inp.existing_leases:
            if e.name == contract:
                return e.provider, e.hardware
        o = self.inp.offers[contract]
        return o.provider, o.hardware

    # -- second stage and cost -----------------------------------------------------------------
    def powered(self, sc: str) -> dict[tuple[str, str, int], float]:
        """Powered units per (hardware, site, q) from ``Fleet``, checked: 0 <= powered <= delivered, and
        sum_h power_kw * powered <= 1000 * MW online per site (MODEL.md 11: only powered units draw power)."""
        inp = self.inp
        out: dict[tuple[str, str, int], float] = defaultdict(float)
        for row in self._rows("Fleet", sc).itertuples():
            out[str(row.hardware), str(row.site), self.q(row.quarter)] += float(row.powered)
        for (hn, sn, q), x in out.items():
            what = f"{hn} powered at {sn} in {inp.quarter_label(q)} ({sc})"
            if inp.hardware[hn].power_kw <= 0:
                continue  # draws no power: every delivered unit may serve
            self.le(-x, 0.0, what)
            self.le(x, self.owned(hn, sn, q, sc), what + " against delivered")
        for sn in inp.sites:
            for q in range(self.n):
                kw = sum(h.power_kw * out.get((hn, sn, q), 0.0) for hn, h in inp.hardware.items())
                self.le(kw, 1000.0 * self.mw(sn, q, sc), f"power at {sn} in {inp.quarter_label(q)} ({sc})")
        return out

    def scenario(self, sc: str) -> float:
        inp, n, r = self.inp, self.n, self.inp.settings.discount_rate
        W = list(inp.workloads)
        powered = self.powered(sc)
        served, asic, provider_du, rented = self.allocation(sc, powered)
        cov = self._rows("Coverage", sc).set_index(["quarter", "workload"])
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
        return cost + self.scenario_cost_without_unmet(sc, powered) + self.rent(sc, rented)

    def allocation(self, sc: str, powered: dict[tuple[str, str, int], float]):
        """du served per (workload, quarter), by kind asic, and per provider, from Capacity, and the
        on-demand units rented per (source, q); checks that no source serves more than it holds
        (owned: its powered units; on-demand: what it rents) or a workload it cannot run."""
        inp, W = self.inp, list(self.inp.workloads)
        served: dict[tuple[str, int], float] = defaultdict(float)
        asic: dict[tuple[str, int], float] = defaultdict(float)
        provider_du: dict[tuple[str, int], float] = defaultdict(float)
        rented: dict[tuple[str, int], float] = defaultdict(float)
        on_demand = {"on-demand " + c.name: c for c in inp.ondemand}
        for row in self._rows("Capacity", sc).itertuples():
            q, source = self.q(row.quarter), str(row.source)
            du = {w: float(getattr(row, f"du_{w}")) for w in W}
            if source.startswith("owned "):
                hn = source.removeprefix("owned ")
                program = inp.hardware[hn].program
                conf = inp.programs[program].delivery_confidence if program else 1.0
                rate = {w: inp.throughput.get((hn, w), 0.0) * conf for w in W}
                if inp.hardware[hn].power_kw <= 0:
                    available = sum(self.owned(hn, sn, q, sc) for sn in inp.sites)
                else:
                    available = sum(powered.get((hn, sn, q), 0.0) for sn in inp.sites)
                provider = None
            elif source in on_demand:
                c = on_demand[source]
                provider, hn = c.provider, c.hardware
                rate = {w: inp.throughput.get((hn, w), 0.0) for w in W}
                available = rented[source, q] = float(row.accelerators)
            else:
                contract = source.removeprefix("lease ")
                provider, hn = self.provider_and_hardware(contract)
                rate = {w: inp.throughput.get((hn, w), 0.0) for w in W}
                available = self.active(contract, q, sc)
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
        return served, asic, provider_du, rented

    def rent(self, sc: str, rented: dict[tuple[str, int], float]) -> float:
        """Present value of the on-demand units rented, checked against each source's quarters and
        ``max_units`` (MODEL.md 11)."""
        r, cost = self.inp.settings.discount_rate, 0.0
        sources = {"on-demand " + c.name: c for c in self.inp.ondemand}
        for (source, q), x in rented.items():
            c, when = sources[source], f"{source} in {self.inp.quarter_label(q)} ({sc})"
            self.le(-x, 0.0, f"units rented of {when}")
            if not max(0, c.first_quarter) <= q <= c.last_quarter and x > ABS:
                self.fail(f"{when}: rented outside its quarters")
            if c.max_units is not None:
                self.le(x, c.max_units, f"max_units of {when}")
            cost += _d(q, r) * c.price_per_unit_quarter * x
        return cost

    def scenario_cost_without_unmet(self, sc: str, powered: dict[tuple[str, str, int], float]) -> float:
        """Leases, opex, phase and hardware capital, energy of the powered units, NRE, less the resale
        of the fleet sold: resale_value * (last - t + 1) / (last + 1) per unit sold at the start of t."""
        inp, n, r = self.inp, self.n, self.inp.settings.discount_rate
        hours = inp.settings.hours_per_quarter
        d_sc = self.plan[sc]
        cost = sum(inp.programs[p].nre_cost for p in d_sc.funded)
        cost += sum(_d(t, r) * inp.options[x].fee_per_block * k for (x, t), k in d_sc.reserved.items())
        gate_cost = {(g.program, g.gate): g.cost for gates in inp.gates.values() for g in gates}
        cost += sum(_d(t, r) * gate_cost[key] for key, t in d_sc.gates.items())
        for b in inp.fleet:
            for (row, t), k in self.plan[sc].sales.items():
                if row == b.row:
                    cost -= _d(t, r) * k * (b.resale_value or 0.0) * (b.last_quarter - t + 1) / (b.last_quarter + 1)
        for q in range(n):
            d = _d(q, r)
            for e in inp.existing_leases:
                cost += d * e.price_per_unit_quarter * self.active(e.name, q, sc)
            for on in {o for o, _ in d_sc.leases} | {inp.options[x].offer for x, _ in d_sc.exercised}:
                cost += d * inp.offers[on].price_per_unit_quarter * self.active(on, q, sc)
            for sn, s in inp.sites.items():
                cost += d * s.opex_per_mw_quarter * self.mw(sn, q, sc)
                cost += d * s.capex_per_phase * _crf(s.facility_life, r) * self.phases_online(sn, q, sc)
                for hn, h in inp.hardware.items():
                    cost += d * powered.get((hn, sn, q), 0.0) * h.power_kw * s.pue * hours * s.power_price / 1000.0
                    cost += d * h.unit_capex * _crf(h.life, r) * self.new_units(hn, sn, q, sc)
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
