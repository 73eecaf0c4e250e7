"""What the model's components share: linear terms and the objective's pieces.

A :class:`Lin` is ``const + sum(coef * var)``, kept as plain data so one
capacity expression (owned accelerators, active leases, online MW) can be
reused by several constraints and built into a Pyomo expression once per use.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyomo.core as pyo
from pyomo.common.collections import ComponentMap

from planner.workbook.inputs import Inputs
from planner.workbook.tree import Tree


@dataclass
class Lin:
    """A linear expression ``const + sum(coef * var)`` as data."""

    const: float = 0.0
    terms: list[tuple[float, object]] = field(default_factory=list)

    def add(self, coef: float, var: object) -> None:
        self.terms.append((coef, var))

    def expr(self, scale: float = 1.0):
        """The Pyomo expression ``scale * (const + sum(coef * var))``."""
        return pyo.quicksum((scale * c * v for c, v in self.terms), start=scale * self.const)

    @property
    def has_vars(self) -> bool:
        return bool(self.terms)


@dataclass
class Parts:
    """Shared state of one model build.

    * ``dec[name][key]``    the decision variables (``lease``, ``order``, ``phase``, ``commit``,
      ``ordered``, ``sell``) by a key that always ends with the class k of the scenario tree:
      ``(o, t, k)``, ``(h, s, t, k)``, ``(s, t, k)``, ``(h, t, k)``, ``(p, k)`` (k of t = 0), ``(b, t, k)``;
      MODEL.md 12 adds ``reserve`` and ``exercise`` ``(x, t, k)`` and ``go`` ``(p, gate, t_g, k)``
      (t_g the gate's quarter)
    * ``active[c, q, σ]``   accelerators of lease contract c active in q, scenario σ
    * ``owned[h, s, q, σ]`` accelerators of type h in service at site s in q, scenario σ
    * ``mw[s, q, σ]``       IT MW online at site s in q, scenario σ
    * ``ordered[h, t, k]``  order blocks of type h placed in t over all sites by class k
    * ``fleet[h, q, σ]``    accelerators of type h in service in q, scenario σ, all sites together
    * ``powered[h, s, q, σ]`` of ``owned``, the accelerators installed and powered (MODEL.md 11), and
      ``powered_fleet[h, q, σ]`` their sum over sites
    * ``ondemand[c]``       the on-demand sources by contract name (they are contracts too)
    * ``cost[σ]``           objective coefficients of scenario σ's cost (var -> $ present
      value) and ``cost_const[σ]`` the $ present value that no decision changes

    A class k (:class:`~planner.workbook.tree.Tree`) is the representative scenario of the
    scenarios that share their decision in t. The Pyomo indexes of the decisions carry k only
    when the tree branches (:meth:`index`): a two-stage model is the same, name for name, as
    before trees existed. ``fixed[name][key]``: decisions fixed at a value (kept decisions,
    the expected-value plan of vss), as bounds of their columns. ``scope``: the inputs whose scenarios
    the tight bounds on decisions are taken over (default ``inp``; a scenario of a decomposition is built
    alone but keeps the bounds of the whole tree, or a decision it shares would be cut below what another
    scenario of its class needs).
    """

    inp: Inputs
    m: pyo.ConcreteModel
    tight: bool = True
    tree: Tree | None = None
    fixed: dict[str, dict[tuple, float]] = field(default_factory=dict)
    scope: Inputs | None = None
    dec: dict[str, dict[tuple, object]] = field(default_factory=dict)
    contracts: dict[str, tuple[str, str]] = field(default_factory=dict)  # c -> (provider, hardware)
    active: dict[tuple[str, int, str], Lin] = field(default_factory=lambda: defaultdict(Lin))
    owned: dict[tuple[str, str, int, str], Lin] = field(default_factory=lambda: defaultdict(Lin))
    mw: dict[tuple[str, int, str], Lin] = field(default_factory=lambda: defaultdict(Lin))
    ordered: dict[tuple[str, int, str], Lin] = field(default_factory=lambda: defaultdict(Lin))
    fleet: dict[tuple[str, int, str], Lin] = field(default_factory=lambda: defaultdict(Lin))
    powered: dict[tuple[str, str, int, str], Lin] = field(default_factory=dict)
    powered_fleet: dict[tuple[str, int, str], Lin] = field(default_factory=lambda: defaultdict(Lin))
    ondemand: dict[str, object] = field(default_factory=dict)  # contract -> OnDemandSource
    cost: dict[str, ComponentMap] = field(default_factory=dict)
    cost_const: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.tree is None:
            self.tree = self.inp.tree
        if self.scope is None:
            self.scope = self.inp
        for sc in self.inp.scenarios:
            self.cost[sc] = ComponentMap()
            self.cost_const[sc] = 0.0

    @property
    def branching(self) -> bool:
        """True when some quarter has more than one class of decisions."""
        return self.tree.branches  # type: ignore[union-attr]

    def index(self, key: tuple) -> object:
        """The Pyomo index of a decision key ``(..., k)`` (without k when nothing branches)."""
        base = key if self.branching else key[:-1]
        return base[0] if len(base) == 1 else base

    def row_key(self, *base: object, scenario: str) -> object:
        """Index of a row per scenario signature (budget, max phases, supply): ``base``, plus the
        scenario only when the tree branches."""
        key = base + (scenario,) if self.branching else base
        return key[0] if len(key) == 1 else key

    def commit_of(self, program: str, scenario: str) -> Lin:
        """Funding of a program in a scenario: the constant 1 when already funded, else its
        ``commit`` of the scenario's class at t = 0."""
        if self.inp.programs[program].funded:
            return Lin(const=1.0)
        return Lin(terms=[(1.0, self.dec["commit"][program, self.tree.cls(scenario, 0)])])  # type: ignore[union-attr]

    def gate_of(self, gate: object, scenario: str) -> Lin:
        """``go`` of a program gate (a :class:`~planner.workbook.inputs.ProgramGate`) in a scenario: the
        decision of the scenario's class in the gate's quarter (MODEL.md 12)."""
        k = self.tree.cls(scenario, gate.quarter)  # type: ignore[union-attr,attr-defined]
        return Lin(terms=[(1.0, self.dec["go"][gate.program, gate.gate, gate.quarter, k])])  # type: ignore[attr-defined]

    def funding_of(self, program: str, scenario: str) -> Lin:
        """What a program's orders are linked to (constraint 5): its last gate's ``go`` when it has gates
        (MODEL.md 12), else its funding (:meth:`commit_of`)."""
        gate = self.inp.last_gate(program)
        return self.gate_of(gate, scenario) if gate else self.commit_of(program, scenario)

    def add_cost(self, var: object, present_value: float, scenario: str | None = None) -> None:
        """Add ``present_value`` ($ per unit of ``var``) to scenario's cost (None: every scenario)."""
        for sc in self.inp.scenarios if scenario is None else (scenario,):
            cost = self.cost[sc]
            cost[var] = cost.get(var, 0.0) + present_value

    def add_const(self, present_value: float, scenario: str | None = None) -> None:
        """Add a fixed $ present value to scenario's cost (None: every scenario)."""
        for sc in self.inp.scenarios if scenario is None else (scenario,):
            self.cost_const[sc] += present_value


def constraint(m: pyo.ConcreteModel, name: str, rows: dict) -> None:
    """Add an indexed constraint ``name`` from ``{index: relational expression}`` (sorted index)."""
    if not rows:
        return
    keys = sorted(rows)
    setattr(m, name, pyo.Constraint(keys, rule=lambda _m, *k: rows[k if len(k) > 1 else k[0]]))


def variables(m: pyo.ConcreteModel, name: str, keys: list, dimen: int, domain,
              bounds: dict | None = None) -> pyo.Var:
    """Add a variable ``name`` over sorted sparse ``keys`` (canonical column order).

    ``bounds`` maps an index to its upper bound, or to ``(lower, upper)`` (lower bound 0 from the domain).
    """
    index = pyo.Set(initialize=sorted(keys), dimen=dimen, ordered=True)
    setattr(m, name + "_index", index)
    if bounds:
        def rule(_m, *k):
            b = bounds.get(k if len(k) > 1 else k[0])
            return b if isinstance(b, tuple) else (0, b)

        var = pyo.Var(index, domain=domain, bounds=rule, dense=True)
    else:
        var = pyo.Var(index, domain=domain, dense=True)
    setattr(m, name, var)
    return var


def decisions(p: Parts, name: str, keys: list[tuple], domain, bounds: dict[tuple, int | None]) -> dict[tuple, object]:
    """Add decision ``name`` over class-ended ``keys`` (see :class:`Parts`) with upper ``bounds``;
    a key in ``p.fixed[name]`` is fixed at its value (both bounds). Returns and records key -> variable."""
    fixed = p.fixed.get(name, {})
    by_index = {p.index(k): k for k in keys}
    caps: dict = {}
    for index, key in by_index.items():
        if key in fixed:
            caps[index] = (fixed[key], fixed[key])
        elif bounds.get(key) is not None:
            caps[index] = bounds[key]
    dimen = len(keys[0]) - (0 if p.branching else 1) if keys else 1
    var = variables(p.m, name, list(by_index), dimen, domain, caps)
    p.dec[name] = {by_index[index]: var[index] for index in var.index_set()}  # sorted, as the columns
    return p.dec[name]


def total_rows(p: Parts, name: str, item: str, quarters: list[int], limit: float, rows: dict) -> None:
    """``sum_{t in quarters} dec[name][item, t, k(σ, t)] <= limit`` into ``rows``, once per distinct
    sequence of classes k(σ, ·) over ``quarters`` (none for a single quarter: the variable's bound is the row)."""
    if len(quarters) <= 1:
        return
    dec, seen = p.dec[name], set()
    for sc in p.inp.scenarios:
        signature = p.tree.signature(sc, quarters)
        if signature not in seen:
            seen.add(signature)
            rows[p.row_key(item, scenario=sc)] = pyo.quicksum(
                dec[item, t, k] for t, k in zip(quarters, signature)) <= limit


def value_of(lin: Lin | None) -> float:
    """Value of a Lin at the loaded solution (variables without a value count 0)."""
    if lin is None:
        return 0.0
    return lin.const + sum(c * (v.value or 0.0) for c, v in lin.terms)
