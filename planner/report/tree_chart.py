"""The scenario tree as a picture (MODEL.md 10): quarters across, one line per scenario.

A scenario rides on the line of the scenario it branches off until its ``branch_quarter``,
where a dot marks the branch and its own line starts; the right end names it with its
probability and cost, and the branch carries its main differences (``Branches.main_differences``),
so the picture reads "if MTIA450 fails in 2027Q4, we order 40k more VR300 from then".
Drawn from the ``Branches`` table alone, with matplotlib's bare ``Figure`` (no pyplot state).
"""

from __future__ import annotations

import io
import textwrap

import pandas as pd

from planner.report.charts import PALETTE


def _positions(branches: pd.DataFrame, quarters: list[str]) -> dict[str, tuple[int, int, str | None]]:
    """scenario -> (row, first quarter index of its own line, the scenario it leaves)."""
    index = {q: i for i, q in enumerate(quarters)}
    out = {}
    for row, b in enumerate(branches.itertuples()):
        parent = b.branch_of or None
        start = index.get(b.branch_quarter, len(quarters)) if parent else 0
        out[b.scenario] = (row, start if parent else 0, parent)
    return out


def tree_png(branches: pd.DataFrame, quarters: list[str]) -> bytes:
    """The picture as PNG bytes."""
    from planner.solver.pyomo_hooks import drop_import_hooks

    drop_import_hooks()  # or importing matplotlib also loads pyplot and pylab (Pyomo's hook)
    from matplotlib.figure import Figure

    pos = _positions(branches, quarters)
    n, rows = len(quarters), len(branches)
    fig = Figure(figsize=(13, 1.6 + 1.15 * rows))
    ax = fig.add_subplot()
    siblings: dict[tuple, int] = {}
    for k, b in enumerate(branches.itertuples()):
        row, start, parent = pos[b.scenario]
        nth = siblings[parent, start] = siblings.get((parent, start), -1) + 1  # branches at one point fan out
        color = f"#{PALETTE[k % len(PALETTE)]}"
        if parent is not None and start >= n:  # never branches: it shares its parent's whole line
            continue
        if parent is not None:
            prow = pos[parent][0]
            x = start - 0.5 + 0.18 * nth
            ax.plot([x, x, start], [prow, row, row], color=color, linewidth=2.5)
            ax.plot([x], [prow], "o", color=color, markersize=9, zorder=3)
            if b.main_differences:
                text = textwrap.fill(f"from {quarters[start]}: {b.main_differences}", 70)
                ax.annotate(text, (start, row), xytext=(6, -6), textcoords="offset points", va="top",
                            fontsize=8, color=color)
        ax.plot([start, n - 1], [row, row], color=color, linewidth=2.5)
        sharing = [s.scenario for s in branches.itertuples() if s.branch_of == b.scenario and
                   pos[s.scenario][1] >= n]
        name = b.scenario + (f" (= {', '.join(sharing)})" if sharing else "")
        ax.annotate(f"{name}\np = {b.probability:.0%}, ${b.cost_usd / 1e9:,.1f}B", (n - 1, row),
                    xytext=(8, 0), textcoords="offset points", va="center", fontsize=9, color=color)
    ax.set_xlim(-0.5, n + 4.5)
    ax.set_ylim(rows - 0.4, -0.8)
    ax.set_xticks(range(n))
    ax.set_xticklabels(quarters, rotation=60, fontsize=8)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="x", alpha=0.25)
    ax.set_title("Scenario tree: decisions are shared until a scenario branches (dot), then its own "
                 "(cost: present value of that scenario)")
    height = 1.6 + 1.15 * rows
    fig.subplots_adjust(left=0.02, right=0.98, top=1 - 0.45 / height, bottom=0.75 / height)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    return buffer.getvalue()
