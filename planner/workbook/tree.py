"""The scenario tree (MODEL.md section 10): which scenarios share their decisions in each quarter.

Scenario σ with ``branch_of`` π and ``branch_quarter`` b takes π's decisions in every quarter
t < b (π's own or those π shares in turn), and its own from b on. So in each quarter t the
scenarios fall into classes of a partition; every decision of t (``lease``, ``order``,
``phase``; ``commit`` is a decision of t = 0) is taken once per class. A class is named by
its representative: the scenario at the end of the chain of links that still hold in t.

The partitions refine over time (scenarios that share in t share in every earlier quarter),
so the classes form a tree. Without branch columns every scenario shares every decision with
the first: one class per quarter, the two-stage model of section 7.

The model, the auditor's reading of Actions and the report all read this one structure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


class Link(Protocol):
    """What the tree reads of a scenario: the scenario it branches off and from which quarter."""

    branch_of: str | None
    branch_quarter: int | None

#: The ``scenarios`` label of a decision that every scenario takes.
ALL = "all"


@dataclass(frozen=True)
class Tree:
    """Per quarter t = 0 .. n-1, the class (its representative scenario) of every scenario."""

    names: tuple[str, ...]  # scenarios in sheet order
    rep: dict[tuple[str, int], str]  # (σ, t) -> representative of σ's class in t
    n: int
    by_quarter: tuple[dict[str, tuple[str, ...]], ...]  # per t: representative -> members in sheet order

    @classmethod
    def of(cls, scenarios: Mapping[str, Link], n: int) -> Tree:
        """The tree of ``scenarios`` (in sheet order) over ``n`` quarters (links are checked acyclic
        by the validator)."""
        rep: dict[tuple[str, int], str] = {}
        for t in range(n):
            for name in scenarios:
                r = name
                for _ in range(len(scenarios)):
                    sc = scenarios[r]
                    if sc.branch_of is None or (sc.branch_quarter is not None and t >= sc.branch_quarter):
                        break
                    r = sc.branch_of
                rep[name, t] = r
        by_quarter = []
        for t in range(n):
            members: dict[str, list[str]] = {}
            for name in scenarios:
                members.setdefault(rep[name, t], []).append(name)
            by_quarter.append({r: tuple(m) for r, m in members.items()})
        return cls(tuple(scenarios), rep, n, tuple(by_quarter))

    def cls(self, scenario: str, t: int) -> str:
        """The class (representative) whose decision ``scenario`` takes in quarter t (clipped to 0 .. n-1)."""
        return self.rep[scenario, min(max(t, 0), self.n - 1)]

    def classes(self, t: int) -> dict[str, tuple[str, ...]]:
        """Classes of quarter t (clipped to 0 .. n-1): representative -> members in sheet order."""
        return self.by_quarter[min(max(t, 0), self.n - 1)]

    def members(self, rep: str, t: int) -> tuple[str, ...]:
        """Scenarios of the class ``rep`` in quarter t."""
        return self.classes(t)[rep]

    def label(self, rep: str, t: int) -> str:
        """``all``, or the class's scenarios sorted and comma-separated (the Actions column)."""
        members = self.members(rep, t)
        return ALL if len(members) == len(self.names) else ", ".join(sorted(members))

    @property
    def branches(self) -> bool:
        """True when some quarter has more than one class (decisions adapt)."""
        return any(len(c) > 1 for c in self.by_quarter)

    def split(self, a: str, b: str) -> int:
        """First quarter in which a and b take their own decisions (n: they share every quarter)."""
        return next((t for t in range(self.n) if self.cls(a, t) != self.cls(b, t)), self.n)

    def signature(self, scenario: str, quarters: range | list[int]) -> tuple[str, ...]:
        """The classes ``scenario`` takes decisions from in ``quarters``: scenarios with the same
        signature have identical rows over those quarters (budget, max phases)."""
        return tuple(self.cls(scenario, t) for t in quarters)

    def first_branch(self) -> int:
        """Earliest quarter in which some scenario takes its own decisions (n: none ever does)."""
        return next((t for t in range(self.n) if len(self.classes(t)) > 1), self.n)


def scenarios_in(text: object, names: list[str] | tuple[str, ...]) -> list[str]:
    """The scenarios of an Actions ``scenarios`` cell: every one for ``all`` (or a blank), else the
    comma-separated names (those not in ``names`` are dropped)."""
    if text is None or (isinstance(text, float) and text != text) or str(text).strip() in ("", ALL):
        return list(names)
    listed = {s.strip() for s in str(text).split(",")}
    return [n for n in names if n in listed]
