"""The solved plan read once from the model: decisions by class, and the quantities derived from them."""

from __future__ import annotations

from dataclasses import dataclass

import pyomo.core as pyo

from planner.model.parts import Parts, value_of
from planner.workbook.inputs import Inputs
from planner.workbook.tree import Tree


def _values(dec: dict) -> dict:
    """{class-ended key: value} of a decision's non-zero entries."""
    return {k: v.value for k, v in dec.items() if v.value is not None and abs(v.value) > 1e-9}


def _values_of(var: pyo.Var) -> dict:
    """{index: value} of a variable's non-zero entries."""
    return {k: v.value for k, v in var.items() if v.value is not None and abs(v.value) > 1e-9}


@dataclass
class Plan:
    """The solved plan: decisions and derived quantities, read once from the model.

    ``lease``, ``order``, ``phase``, ``commit``, ``sell``, ``reserve``, ``exercise`` and ``go`` are keyed like
    :class:`~planner.model.parts.Parts`'s decisions (ending with the class k); :meth:`taken` gives a
    scenario's own. ``use_*``, ``unmet`` and ``ondemand`` (contract, q, σ) are the recourse by scenario;
    :meth:`powered` and :meth:`owned` read the units of a type at a site.
    """

    inp: Inputs
    parts: Parts
    lease: dict
    order: dict
    phase: dict
    commit: dict
    use_owned: dict
    use_lease: dict
    unmet: dict
    sell: dict
    ondemand: dict
    reserve: dict
    exercise: dict
    go: dict

    @classmethod
    def read(cls, parts: Parts) -> Plan:
        m, dec = parts.m, parts.dec
        return cls(parts.inp, parts, _values(dec["lease"]), _values(dec["order"]), _values(dec["phase"]),
                   _values(dec["commit"]), _values_of(m.use_owned), _values_of(m.use_lease), _values_of(m.unmet),
                   _values(dec["sell"]), _values_of(m.ondemand), _values(dec["reserve"]), _values(dec["exercise"]),
                   _values(dec["go"]))

    @property
    def tree(self) -> Tree:
        return self.parts.tree  # type: ignore[return-value]

    def taken(self, decisions: dict, sc: str) -> list[tuple[tuple, float]]:
        """(key without its class, value) of the decisions that scenario sc takes."""
        out = []
        for key, x in decisions.items():
            *base, k = key
            t = next((i for i in base if isinstance(i, int)), 0)
            if self.tree.cls(sc, t) == k:
                out.append((tuple(base), x))
        return out

    def owned(self, h: str, s: str, q: int, sc: str) -> float:
        """Accelerators of h delivered at s and in service in q (existing fleet less sales included)."""
        return value_of(self.parts.owned.get((h, s, q, sc)))

    def powered(self, h: str, s: str, q: int, sc: str) -> float:
        """Of those, the accelerators installed and powered (MODEL.md 11)."""
        return value_of(self.parts.powered.get((h, s, q, sc)))

    def active(self, c: str, q: int, sc: str) -> float:
        return value_of(self.parts.active.get((c, q, sc)))

    def mw(self, s: str, q: int, sc: str) -> float:
        return value_of(self.parts.mw.get((s, q, sc)))
