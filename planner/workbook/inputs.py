"""Typed, validated inputs: what the model is built from.

Quarters are horizon indices q = 0 .. N-1 (``Inputs.n``); windows that start
before the horizon may hold negative indices and are clipped where used.
Every record keeps ``row``, its Excel row, so results can point back at it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

from planner.workbook.tree import Tree


@dataclass(frozen=True)
class Settings:
    start: int  # absolute quarter number of q = 0
    end: int
    discount_rate: float
    hours_per_quarter: float
    mip_gap: float
    time_limit_s: float
    risk_aversion: float = 0.0
    cvar_alpha: float = 0.9
    solver_workers: int | None = None  # None: planner.solver.highs.default_workers()
    solver_mode: str = "fast"  # fast (shared searches) | repeatable (HiGHS's parallel search) | relax-and-fix
    value_of_risk: str = "auto"  # auto | on | off: vss and evpi (MODEL.md 7)


@dataclass(frozen=True)
class Workload:
    name: str
    reserve_margin: float
    unmet_penalty: float  # $ per du per quarter
    asic_share_max: float
    row: int = 0


@dataclass(frozen=True)
class Hardware:
    name: str
    kind: str  # "gpu" | "asic"
    power_kw: float
    unit_capex: float
    life: int
    lead_time: int
    available_from: int  # horizon index, may be < 0
    order_block: int
    max_order_per_quarter: float | None
    program: str | None
    row: int = 0


@dataclass(frozen=True)
class Site:
    name: str
    existing_mw: float
    phase_mw: float
    max_phases: int
    capex_per_phase: float
    facility_life: int
    lead_time: int
    earliest_start: int
    opex_per_mw_quarter: float
    pue: float
    power_price: float  # $/MWh
    row: int = 0


@dataclass(frozen=True)
class Provider:
    name: str
    max_share: float
    row: int = 0


@dataclass(frozen=True)
class LeaseOffer:
    name: str
    provider: str
    hardware: str
    block_units: int
    price_per_unit_quarter: float
    term: int
    lead_time: int
    first_sign: int
    last_sign: int
    max_blocks_per_quarter: int | None
    row: int = 0


@dataclass(frozen=True)
class AsicProgram:
    name: str
    nre_cost: float
    slip_quarters: int
    delivery_confidence: float
    row: int = 0
    funded: bool = False  # already funded (MODEL.md 9): commit = 1, no NRE charged or budgeted


def _window(first: int, last: int, slip: int, n: int) -> range:
    """Quarters ``first .. last`` moved by ``slip``, clipped to the horizon 0 .. n-1."""
    return range(max(0, first + slip), min(n, last + slip + 1))


@dataclass(frozen=True)
class FleetBatch:
    hardware: str
    site: str
    units: float
    last_quarter: int
    row: int = 0
    first_quarter: int | None = None  # None: in service since before start_quarter (MODEL.md 9)
    resale_value: float | None = None  # $ per accelerator sold at q = 0; None: not for sale (MODEL.md 11)

    @property
    def name(self) -> str:
        """The batch's name in the model and the report: ``ExistingFleet row N``."""
        return f"ExistingFleet row {self.row}"

    @property
    def saleable(self) -> bool:
        """True when the batch may be sold: it has a ``resale_value`` and is in service at start_quarter."""
        return self.resale_value is not None and not self.pending

    def resale(self, t: int) -> float:
        """$ per accelerator sold at the start of horizon quarter t: ``resale_value * (last - t + 1) /
        (last + 1)``, a straight line from ``resale_value`` at q = 0 to 0 after ``last_quarter``."""
        if self.last_quarter < 0:  # out of service before the horizon: nothing to sell
            return 0.0
        return (self.resale_value or 0.0) * (self.last_quarter - t + 1) / (self.last_quarter + 1)

    @property
    def pending(self) -> bool:
        """True when the batch arrives after start_quarter (it slips with delivery_slip, MODEL.md 10)."""
        return self.first_quarter is not None and self.first_quarter > 0

    def quarters(self, n: int, scenario: Scenario | None = None) -> range:
        """Horizon quarters in service: ``first_quarter`` (blank: 0) .. ``last_quarter`` clipped to
        0 .. n-1; a batch still to arrive moves by the scenario's ``delivery_slip``, both ends."""
        slip = scenario.delivery_slip if scenario is not None and self.pending else 0
        return _window(0 if self.first_quarter is None else self.first_quarter, self.last_quarter, slip, n)


@dataclass(frozen=True)
class CommittedPhase:
    """Build phases under construction (MODEL.md 9): ``phases`` of ``site`` online from ``online_quarter``."""

    site: str
    phases: int
    online_quarter: int  # horizon index, may be <= 0 (online from q = 0)
    row: int = 0

    def online_from(self, scenario: Scenario | None = None) -> int:
        """First horizon quarter online: ``online_quarter`` (0 if at or before start_quarter), late by
        the scenario's ``build_slip`` when it is still to come online after start_quarter."""
        slip = scenario.build_slip if scenario is not None and self.online_quarter > 0 else 0
        return max(0, self.online_quarter + slip)


@dataclass(frozen=True)
class ExistingLease:
    name: str  # "ExistingLeases row N"
    provider: str
    hardware: str
    units: float
    price_per_unit_quarter: float
    first_quarter: int
    last_quarter: int
    row: int = 0

    def quarters(self, n: int, scenario: Scenario | None = None) -> range:
        """Horizon quarters active: ``first_quarter`` .. ``last_quarter`` clipped to 0 .. n-1; a lease
        that starts after start_quarter moves by the scenario's ``lease_slip``, both ends."""
        slip = scenario.lease_slip if scenario is not None and self.first_quarter > 0 else 0
        return _window(self.first_quarter, self.last_quarter, slip, n)


@dataclass(frozen=True)
class OnDemandSource:
    """Capacity rented by the quarter (MODEL.md 11): ``ondemand[c, q, σ] <= max_units`` in
    ``first_quarter`` .. ``last_quarter``, at ``price_per_unit_quarter``."""

    name: str  # "<provider> <hardware>", with " (OnDemand row N)" when two rows share both
    provider: str
    hardware: str
    price_per_unit_quarter: float
    max_units: float | None
    first_quarter: int  # horizon index, may be < 0
    last_quarter: int
    row: int = 0

    def quarters(self, n: int) -> range:
        """Horizon quarters it can be rented in."""
        return _window(self.first_quarter, self.last_quarter, 0, n)


@dataclass(frozen=True)
class LeaseOption:
    """A lease expansion option (MODEL.md 12): blocks bought in ``buy_first .. buy_last`` for
    ``fee_per_block``, each exercisable once in ``exercise_first .. exercise_last`` as a lease of ``offer``
    signed then (outside the offer's signing window and ``max_blocks_per_quarter``)."""

    name: str
    offer: str
    fee_per_block: float  # $ per block bought
    buy_first: int  # horizon indices, may lie outside the horizon (clipped where used)
    buy_last: int
    exercise_first: int
    exercise_last: int
    max_blocks: int | None  # most blocks bought over the horizon; None: no limit
    row: int = 0


@dataclass(frozen=True)
class ProgramGate:
    """A gate of an ASIC program after funding (MODEL.md 12): ``go`` decided in ``quarter`` (a horizon
    index), ``cost`` $ paid then if the program goes through."""

    program: str
    gate: str
    quarter: int
    cost: float
    row: int = 0

    @property
    def name(self) -> str:
        """``<program>: <gate>``, the gate's name in the model and the report."""
        return f"{self.program}: {self.gate}"


@dataclass(frozen=True)
class Scenario:
    """One scenario (MODEL.md 7 and 10). ``branch_of`` / ``branch_quarter``: until ``branch_quarter``
    (a horizon index; None: never) it takes the same decisions as ``branch_of`` (None: the first
    scenario, or none for the first itself)."""

    name: str
    probability: float
    multipliers: dict[str, float]  # workload -> demand multiplier (missing = 1)
    asic_slip: int  # extra quarters of slip of every program
    row: int = 0
    branch_of: str | None = None
    branch_quarter: int | None = None
    build_slip: int = 0  # quarters a phase comes online late
    delivery_slip: int = 0  # quarters hardware without a program arrives late
    lease_slip: int = 0  # quarters a lease starts late
    failed: frozenset[str] = frozenset()  # programs whose ordered hardware gives nothing

    def multiplier(self, w: str) -> float:
        return self.multipliers.get(w, 1.0)


#: The one scenario of a workbook without a Scenarios sheet.
BASE = Scenario("base", 1.0, {}, 0)


@dataclass(frozen=True)
class Inputs:
    settings: Settings
    workloads: dict[str, Workload]
    demand: dict[tuple[str, int], float]  # (workload, q) -> du
    hardware: dict[str, Hardware]
    throughput: dict[tuple[str, str], float]  # (hardware, workload) -> du per unit-quarter
    sites: dict[str, Site]
    providers: dict[str, Provider]
    offers: dict[str, LeaseOffer]
    programs: dict[str, AsicProgram] = field(default_factory=dict)
    fleet: tuple[FleetBatch, ...] = ()
    existing_leases: tuple[ExistingLease, ...] = ()
    budget: dict[int, float] = field(default_factory=dict)  # calendar year -> $
    scenarios: dict[str, Scenario] = field(default_factory=lambda: {BASE.name: BASE})
    has_scenario_sheet: bool = False
    committed: tuple[CommittedPhase, ...] = ()
    scenario_demand_du: dict[tuple[str, str, int], float] = field(default_factory=dict)  # (σ, w, q) -> du
    ondemand: tuple[OnDemandSource, ...] = ()
    options: dict[str, LeaseOption] = field(default_factory=dict)
    gates: dict[str, tuple[ProgramGate, ...]] = field(default_factory=dict)  # program -> gates by quarter

    def gate(self, program: str, name: str) -> ProgramGate | None:
        """The gate called ``name`` of a program (None: no such gate)."""
        return next((g for g in self.gates.get(program, ()) if g.gate == name), None)

    def last_gate(self, program: str | None) -> ProgramGate | None:
        """The last gate of a program (None: no gates, or no program)."""
        gates = self.gates.get(program) if program else None
        return gates[-1] if gates else None

    def alone(self, name: str) -> Inputs:
        """Scenario ``name`` planned alone: probability 1, no tree, no Scenarios sheet (so no risk
        aversion). The wait-and-see problems of evpi and the scenarios of a decomposition are these."""
        single = replace(self.scenarios[name], probability=1.0, branch_of=None, branch_quarter=None)
        return replace(self, scenarios={name: single}, has_scenario_sheet=False)

    @cached_property
    def tree(self) -> Tree:
        """Which scenarios share their decisions in each quarter (computed once per inputs)."""
        return Tree.of(self.scenarios, self.n)

    @property
    def risk_aversion(self) -> float:
        """lambda of the objective; 0 without a Scenarios sheet or with one scenario."""
        return self.settings.risk_aversion if self.has_scenario_sheet and len(self.scenarios) > 1 else 0.0

    @property
    def n(self) -> int:
        """Number of quarters in the horizon."""
        return self.settings.end - self.settings.start + 1

    def quarter_label(self, q: int) -> str:
        """``YYYYQn`` of horizon index q."""
        from planner.workbook.quarters import label

        return label(self.settings.start + q)

    def year(self, q: int) -> int:
        """Calendar year of horizon index q."""
        return (self.settings.start + q) // 4

    def eff(self, h: str, w: str) -> float:
        """du per owned accelerator-quarter: throughput x delivery confidence."""
        hw = self.hardware[h]
        conf = self.programs[hw.program].delivery_confidence if hw.program else 1.0
        return self.throughput.get((h, w), 0.0) * conf

    def required(self, w: str, q: int, scenario: str | None = None) -> float:
        """Required capacity (1 + reserve_margin) x demand x scenario multiplier, du; a
        ScenarioDemand cell replaces demand x multiplier (MODEL.md 10)."""
        reserve = 1.0 + self.workloads[w].reserve_margin
        if scenario is None:
            return reserve * self.demand[(w, q)]
        override = self.scenario_demand_du.get((scenario, w, q))
        if override is not None:
            return reserve * override
        return reserve * self.demand[(w, q)] * self.scenarios[scenario].multiplier(w)

    def scenario_demand(self, w: str, q: int, scenario: str) -> float:
        """Demand of w in q in a scenario, du."""
        override = self.scenario_demand_du.get((scenario, w, q))
        if override is not None:
            return override
        return self.demand[(w, q)] * self.scenarios[scenario].multiplier(w)
