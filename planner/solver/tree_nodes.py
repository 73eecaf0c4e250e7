"""The scenario tree of MODEL.md 10 as the staged node tree a scenario decomposition works on.

:class:`~planner.workbook.tree.Tree` gives, per quarter, the classes of scenarios that share their
decisions. Classes change only in the quarters where some scenario takes its own decisions from, so the
horizon falls into *stages*: stage 1 is quarters ``0 .. b_1 - 1``, stage i is ``b_{i-1} .. b_i - 1`` and
the last ``b_m .. n - 1``, with ``b_1 < .. < b_m`` the quarters in which the classes change. A node of
stage i is one class of the stage's first quarter; its children are the classes of the next stage among
its members, and below the last stage every scenario is a leaf of its own (its continuous recourse).

Node names follow mpi-sppy's convention: ``ROOT``, then ``ROOT_0``, ``ROOT_1`` .. for its children in
sheet order of their first member, ``ROOT_0_0`` and so on. The scenarios are listed depth first, so the
scenarios of every node are contiguous (mpi-sppy's requirement). Every leaf is at the same depth: a class
that does not split in a stage has one child. Without branches there is one stage, the two-stage problem
(MODEL.md 7), and no leaf names.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.workbook.tree import Tree


@dataclass(frozen=True)
class Node:
    """A non-leaf node: ``stage`` (1-based), the class ``rep`` of the stage's first quarter, its
    ``members``, ``cond_prob`` given its parent and ``parent`` (None for ROOT)."""

    name: str
    stage: int
    rep: str
    members: tuple[str, ...]
    cond_prob: float
    parent: str | None


@dataclass(frozen=True)
class NodeTree:
    """Stages, nodes and the depth-first order of the scenarios."""

    starts: tuple[int, ...]  # first quarter of each stage; starts[0] = 0
    nodes: tuple[Node, ...]  # depth first
    scenarios: tuple[str, ...]  # depth first: each node's scenarios contiguous
    leaves: dict[str, str]  # scenario -> its leaf's name (multistage only)

    def stage_of(self, t: int) -> int:
        """The stage (1-based) of quarter t (quarters below 0 are in stage 1)."""
        return sum(1 for s in self.starts if s <= max(t, 0))

    def path(self, scenario: str) -> list[Node]:
        """The non-leaf nodes of ``scenario``, stage 1 first."""
        return [n for n in self.nodes if scenario in n.members]

    @property
    def all_nodenames(self) -> list[str] | None:
        """mpi-sppy's ``all_nodenames``: every node and leaf name, or None for a two-stage tree."""
        if len(self.starts) == 1:
            return None
        return [n.name for n in self.nodes] + [self.leaves[s] for s in self.scenarios]

    @classmethod
    def of(cls, tree: Tree, probability: dict[str, float]) -> NodeTree:
        """The node tree of ``tree`` with scenario ``probability``. When scenarios take their own decisions
        from quarter 0 on, ROOT is a stage without quarters above them (its decisions: none but η of CVaR)."""
        changes = tuple(t for t in range(tree.n) if len(tree.classes(t)) > 1 and
                        (t == 0 or tree.by_quarter[t] != tree.by_quarter[t - 1]))
        starts = (0,) + tuple(t for t in changes if t > 0) if 0 not in changes else (0, 0) + changes[1:]
        nodes: list[Node] = []
        order: list[str] = []
        leaves: dict[str, str] = {}

        def visit(name: str, stage: int, rep: str, members: tuple[str, ...], parent: str | None,
                  parent_p: float) -> None:
            p = sum(probability[s] for s in members)
            nodes.append(Node(name, stage, rep, members, p / parent_p if parent_p > 0 else 0.0, parent))
            if stage == len(starts):
                for i, sc in enumerate(members):
                    leaves[sc] = f"{name}_{i}"
                    order.append(sc)
                return
            kids = list(dict.fromkeys(tree.cls(s, starts[stage]) for s in members))
            for i, kid in enumerate(kids):
                visit(f"{name}_{i}", stage + 1, kid, tree.members(kid, starts[stage]), name, p)

        visit("ROOT", 1, tree.cls(tree.names[0], 0), tree.names, None, 1.0)
        return cls(starts, tuple(nodes), tuple(order), leaves if len(starts) > 1 else {})
