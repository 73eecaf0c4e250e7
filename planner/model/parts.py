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

    * ``active[c, q]``      accelerators of lease contract c active in q
    * ``owned[h, s, q, σ]`` accelerators of type h in service at site s in q, scenario σ
    * ``mw[s, q]``          IT MW online at site s in q
    * ``ordered[h, t]``     order blocks of type h placed in t over all sites
    * ``fleet[h, q, σ]``    accelerators of type h in service in q, scenario σ, all sites together
    * ``cost[σ]``           objective coefficients of scenario σ's cost (var -> $ present
      value) and ``cost_const[σ]`` the $ present value that no decision changes
    """

    inp: Inputs
    m: pyo.ConcreteModel
    tight: bool = True
    contracts: dict[str, tuple[str, str]] = field(default_factory=dict)  # c -> (provider, hardware)
    active: dict[tuple[str, int], Lin] = field(default_factory=lambda: defaultdict(Lin))
    owned: dict[tuple[str, str, int, str], Lin] = field(default_factory=lambda: defaultdict(Lin))
    mw: dict[tuple[str, int], Lin] = field(default_factory=lambda: defaultdict(Lin))
    ordered: dict[tuple[str, int], Lin] = field(default_factory=lambda: defaultdict(Lin))
    fleet: dict[tuple[str, int, str], Lin] = field(default_factory=lambda: defaultdict(Lin))
    cost: dict[str, ComponentMap] = field(default_factory=dict)
    cost_const: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for sc in self.inp.scenarios:
            self.cost[sc] = ComponentMap()
            self.cost_const[sc] = 0.0

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

    ``bounds`` maps an index to its upper bound (lower bound 0 from the domain).
    """
    index = pyo.Set(initialize=sorted(keys), dimen=dimen, ordered=True)
    setattr(m, name + "_index", index)
    if bounds:
        var = pyo.Var(index, domain=domain, bounds=lambda _m, *k: (0, bounds.get(k if len(k) > 1 else k[0])),
                      dense=True)
    else:
        var = pyo.Var(index, domain=domain, dense=True)
    setattr(m, name, var)
    return var


def value_of(lin: Lin | None) -> float:
    """Value of a Lin at the loaded solution (variables without a value count 0)."""
    if lin is None:
        return 0.0
    return lin.const + sum(c * (v.value or 0.0) for c, v in lin.terms)
