"""Whole decisions from fractional ones, keeping the rows that rounding could break (the tree's start).

Used by :mod:`planner.solver.tree_start`: strategic decisions (phases, funding, gates) are rounded half up
with their running totals and order kept; the others up, half up or down (:data:`ROUNDINGS`); orders by
their total over sites, so the supply limit holds.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import scipy.sparse

from planner.model import STRATEGIC
from planner.model.parts import Parts
from planner.solver.compile import Compiled
from planner.workbook.expected_value import half_up

#: Decisions rounded down instead of up: selling less keeps more capacity.
ROUND_DOWN = ("sell",)


def running_totals(parts: Parts, x: dict[tuple[str, tuple], float], name: str, caps: dict[str, float],
                   rule: Callable[[float], int]) -> dict[tuple[str, tuple], float]:
    """Decision ``name`` keyed ``(item, t, k)`` rounded by its running total along each path of the tree:
    the total to t rounded by ``rule`` and kept within ``caps[item]`` (the row ``sum_t x <= cap``: phases of a
    site, units of a fleet batch sold), the decision of t the step from the total before it."""
    tree, out = parts.tree, {}
    for item, cap in caps.items():
        total: dict[tuple[int, str], tuple[float, int]] = {}
        for t in range(parts.inp.n):
            for k in tree.classes(t):  # type: ignore[union-attr]
                lp, rounded = total.get((t - 1, tree.cls(k, t - 1)), (0.0, 0)) if t else (0.0, 0)  # type: ignore[union-attr]
                if (name, (item, t, k)) in x:
                    lp += x[name, (item, t, k)]
                    now = min(rule(lp), math.floor(cap + 1e-9))
                    out[name, (item, t, k)] = float(max(0, now - rounded))
                    rounded = max(rounded, now)
                total[t, k] = (lp, rounded)
    return out


def strategic(parts: Parts, x: dict[tuple[str, tuple], float],
              rule: Callable[[float], int] = half_up) -> dict[tuple[str, tuple], float]:
    """Rounded strategic decisions that keep their rows: a site's phases by their running total along each
    path of the tree rounded by ``rule`` and never above ``max_phases`` (:func:`running_totals`); funding
    and gates up from any positive value (an LP that orders a program's hardware funds it a little: rounding
    that down would drop every order of it), or down with ``rule`` rounding down; a gate never above the
    gate (or funding) before it."""
    tree, inp = parts.tree, parts.inp
    yes = (lambda v: math.ceil(v - 1e-3)) if rule(0.6) == 1 else rule
    out = {("commit", key): float(yes(x["commit", key])) for key in parts.dec.get("commit", {})}
    out.update(running_totals(parts, x, "phase", {s.name: s.max_phases for s in inp.sites.values()}, rule))
    for key in sorted(parts.dec.get("go", {}), key=lambda g: (g[0], g[2])):  # (program, gate, t_g, k) by quarter
        program, gate, t, k = key
        gates = inp.gates[program]
        i = next(j for j, g in enumerate(gates) if g.gate == gate)
        if i:
            before = gates[i - 1]
            cap = out["go", (program, before.gate, before.quarter, tree.cls(k, before.quarter))]  # type: ignore[union-attr]
        elif inp.programs[program].funded:
            cap = 1.0
        else:
            cap = out["commit", (program, tree.cls(k, 0))]  # type: ignore[union-attr]
        out["go", key] = min(float(yes(x["go", key])), cap)
    return out


#: How the decisions that are not strategic are rounded, tried in turn until the recourse LP has a plan:
#: up (most capacity), half up, down (what a budget, share or supply row always allows).
ROUNDINGS: tuple[Callable[[float], int], ...] = (lambda v: math.ceil(v - 1e-6), half_up,
                                                  lambda v: math.floor(v + 1e-6))


def _orders(values: dict[tuple[str, tuple], float], rule: Callable[[float], int],
            caps: dict[tuple[str, tuple], float], totals: dict[tuple, float]) -> dict[tuple[str, tuple], float]:
    """Orders rounded by their total over sites per (hardware, quarter, class), so the total keeps the
    supply limit: ``rule(total)`` within the sum of the sites' caps and the total's own cap ``totals`` (of
    ``ordered[h, t, k]``, keyed ``(h, t, k)``), shared out by largest remainder."""
    groups: dict[tuple, list[tuple[str, tuple]]] = {}
    for nk in values:
        if nk[0] == "order":
            h, _s, t, k = nk[1]
            groups.setdefault((h, t, k), []).append(nk)
    out = {}
    for group, members in groups.items():
        total = min(rule(sum(values[m] for m in members)), int(sum(caps[m] for m in members)),
                    int(min(totals.get(group, math.inf), 1e15)))
        floors = {m: min(math.floor(values[m] + 1e-6), int(caps[m])) for m in members}
        left = total - sum(floors.values())
        for m in sorted(members, key=lambda m: floors[m] - values[m]):  # largest remainder first
            add = 1 if left > 0 and floors[m] < caps[m] else 0
            out[m], left = float(floors[m] + add), left - add
        if left < 0:  # the total rounded below the sum of floors: take from the smallest remainders
            for m in sorted(members, key=lambda m: values[m] - floors[m]):
                take = min(-left, int(out[m]))
                out[m], left = out[m] - take, left + take
    return out


def _unfunded(parts: Parts, column: dict[int, int], lower: np.ndarray) -> set[tuple]:
    """Order keys of hardware whose program (or its last gate) is fixed at 0 for the order's class."""
    out = set()
    for key in parts.dec.get("order", {}):
        program = parts.inp.hardware[key[0]].program
        if program:
            link = parts.funding_of(program, key[-1])
            if link.terms and lower[column[id(link.terms[0][1])]] < 0.5:
                out.add(key)
    return out


def round_decisions(parts: Parts, compiled: Compiled, x: np.ndarray, names: tuple[str, ...], lower: np.ndarray,
                    upper: np.ndarray, rule: Callable[[float], int] = half_up) -> None:
    """Fix the columns of decisions ``names`` at ``x`` rounded by ``rule`` (strategic ones by
    :func:`strategic`, orders
    by :func:`_orders` and 0 where their program is fixed unfunded, the others by ``rule``,
    :data:`ROUND_DOWN` down), within their bounds. The strategic decisions are rounded first."""
    column = {id(c): j for j, c in enumerate(compiled.columns)}
    where = {(name, key): column[id(var)] for name in names for key, var in parts.dec.get(name, {}).items()
             if id(var) in column}
    values = {nk: min(max(float(x[j]), lower[j]), upper[j]) for nk, j in where.items()}
    if names == STRATEGIC:
        rounded = strategic(parts, values, rule)
    else:
        stopped = _unfunded(parts, column, lower)
        values = {nk: 0.0 if nk[0] == "order" and nk[1] in stopped else v for nk, v in values.items()}
        rounded = {(name, key): float(math.floor(v + 1e-6) if name in ROUND_DOWN else rule(v))
                   for (name, key), v in values.items()}
        rounded.update(running_totals(parts, values, "sell", {b.name: b.units for b in parts.inp.fleet},
                                      lambda v: math.floor(v + 1e-6)))
        totals = {key: upper[column[id(var)]] for key, var in parts.dec.get("ordered", {}).items()}
        rounded.update(_orders(values, rule, {nk: upper[j] for nk, j in where.items()}, totals))
    for nk, j in where.items():
        lower[j] = upper[j] = min(max(rounded[nk], lower[j]), upper[j])


def fit_budgets(parts: Parts, compiled: Compiled, x: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> None:
    """Take back rounded-up orders and phases (fixed in ``lower`` = ``upper``) until every budget row holds:
    in a row above ``capex_max``, one block or phase at a time, first those rounded up from ``x`` (most capex
    first), then any. Funding and gates are kept. Each step lowers the cash of every row it is in, so the
    rows only come closer to holding."""
    lp = compiled.lp
    column = {id(c): j for j, c in enumerate(compiled.columns)}
    members: dict[int, list[int]] = {}  # a budget column -> the decision columns it sums (ordered -> orders)
    for key, var in parts.dec.get("order", {}).items():
        total = parts.dec.get("ordered", {}).get((key[0], key[2], key[3]))
        members.setdefault(column[id(total if total is not None else var)], []).append(column[id(var)])
    for var in parts.dec.get("phase", {}).values():
        members[column[id(var)]] = [column[id(var)]]
    a = lp.a_matrix_
    rows = scipy.sparse.csc_array((a.value_, a.index_, a.start_), shape=(lp.num_row_, lp.num_col_)).tocsr()
    cap = np.array(lp.row_upper_)
    for i, (row, _sense) in enumerate(compiled.rows):
        if row.parent_component().local_name != "budget":
            continue
        cols = rows.indices[rows.indptr[i]:rows.indptr[i + 1]]
        coefs = rows.data[rows.indptr[i]:rows.indptr[i + 1]]
        while True:
            cash = sum(c * sum(lower[m] for m in members.get(j, [j])) for j, c in zip(cols, coefs))
            if cash <= cap[i] * (1 + 1e-9) + 1e-6:
                break
            options = [(lower[m] > x[m] + 1e-6, c, m) for j, c in zip(cols, coefs) if c > 0 and j in members
                       for m in members[j] if lower[m] >= 1]
            if not options:
                break
            _, _, m = max(options)
            lower[m] = upper[m] = lower[m] - 1
