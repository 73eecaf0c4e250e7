"""A root cut loop of our own: c-MIR cuts of each quarter's rows aggregated with the LP's duals.

    python -m benchmarks.cut_loop [--only NAME ...] [--rounds N]

Measured for issue 17 and not kept (benchmarks/README.md, eighth round). Per quarter q and scenario σ
the coverage, capacity, share and power rows of (q, σ) are summed with the LP relaxation's row duals
as weights (each row taken in the sense its dual says is active), which gives one valid row in the
whole decisions (orders, leases, phases) and the continuous ones; the continuous columns with a
negative coefficient are dropped (they are >= 0), those with a positive one form s >= 0. On
``sum_j a_j x_j + s >= b`` the mixed-integer rounding cut (Marchand-Wolsey c-MIR, written for a
``<=`` row) is tried for every delta among the |a_j| of columns with a non-zero LP value and their
halves, quarters and eighths, with the columns above half their upper bound complemented; the most
efficacious cut (violation / norm) of each row is added if violated, the LP re-solved, and so on.

Reported per instance: the LP bound, the LP bound after the loop, how many cuts it added, and
HiGHS's own root bound (one search, the root node only) for comparison.
"""

from __future__ import annotations

import argparse
import math
import tempfile
from collections import defaultdict
from pathlib import Path

import highspy
import numpy as np
import scipy.sparse

from benchmarks.run import INSTANCES
from planner.model import build_model
from planner.solver.compile import Compiled, compile_model, copy_lp, scaled_lp
from planner.solver.highs import FIXED_OPTIONS, _new_highs
from planner.workbook.validate import load_inputs

#: Rows aggregated per (quarter, scenario), and where the quarter sits in their index.
QUARTER_AT = {"coverage": 1, "owned_capacity": 1, "lease_capacity": 1, "asic_share": 1, "provider_share": 1,
              "power": 1, "power_total": 0}


def groups(c: Compiled) -> dict[tuple, list[int]]:
    """Row numbers by (quarter, scenario) of the rows in :data:`QUARTER_AT`."""
    out: dict[tuple, list[int]] = defaultdict(list)
    for i, (con, _sense) in enumerate(c.rows):
        at = QUARTER_AT.get(con.parent_component().name)
        if at is not None:
            out[con.index()[at:]].append(i)
    return out


def cmir(a: np.ndarray, b: float, s: float, x: np.ndarray,
         ub: np.ndarray) -> tuple[float, np.ndarray, float, float] | None:
    """The most efficacious c-MIR cut of ``a x + s >= b`` (x whole in [0, ub], s >= 0 at value ``s``) at
    the point ``x``: (efficacy, pi, k, rhs) for ``pi x - k s <= rhs``, or None if none is violated."""
    ap, bp = -a, -b  # as a <= row: -a x - s <= -b
    comp = np.isfinite(ub) & (x > ub / 2)
    ac = np.where(comp, -ap, ap)
    bc = bp - float(np.sum(np.where(comp, ap * ub, 0.0)))
    xc = np.where(comp, ub - x, x)
    best = None
    for base in {float(v) for v in np.abs(ac[(xc > 1e-6) & (np.abs(ac) > 1e-9)])}:
        for delta in (base, base / 2, base / 4, base / 8):
            f = bc / delta - math.floor(bc / delta)
            if not 0.01 < f < 0.99:
                continue
            d = ac / delta
            F = np.floor(d) + np.maximum(0.0, d - np.floor(d) - f) / (1 - f)
            k = 1.0 / (delta * (1 - f))
            rhs = math.floor(bc / delta)
            eff = (float(F @ xc) - k * s - rhs) / math.sqrt(float(F @ F) + k * k)
            if best is None or eff > best[0]:
                pi = np.where(comp, -F, F)
                best = (eff, pi, k, rhs - float(np.sum(np.where(comp, F * ub, 0.0))))
    return best if best is not None and best[0] > 1e-6 else None


def loop(c: Compiled, rounds: int) -> tuple[float, float, int]:
    """(LP bound, LP bound after the loop, cuts added), in $."""
    lp, e = scaled_lp(c.lp)
    A = scipy.sparse.csc_array((c.lp.a_matrix_.value_, c.lp.a_matrix_.index_, c.lp.a_matrix_.start_),
                               shape=(c.lp.num_row_, c.lp.num_col_)).tocsr()
    lower, upper = np.array(c.lp.row_lower_), np.array(c.lp.row_upper_)
    lb, ub = np.array(c.lp.col_lower_), np.array(c.lp.col_upper_)
    relaxed = copy_lp(lp)
    relaxed.integrality_ = []
    h = _new_highs(dict(FIXED_OPTIONS, solver="simplex"))
    h.passModel(relaxed)
    h.run()
    first, cuts = h.getInfo().objective_function_value, 0
    for _ in range(rounds):
        sol = h.getSolution()
        x, y = np.array(sol.col_value), np.array(sol.row_dual)
        added = 0
        for rows in groups(c).values():
            w = y[rows]
            r = A[rows].T @ w
            if not np.any(np.abs(w) > 1e-12) or np.any(lb[~c.integer & (r != 0)] < 0):
                continue  # (continuous columns are dropped or kept in s only when >= 0)
            ints = np.where(c.integer, r, 0.0)
            with np.errstate(invalid="ignore"):  # 0 * inf in the branch np.where does not take
                b = float(np.sum(np.where(w > 0, w * lower[rows], np.where(w < 0, w * upper[rows], 0.0))))
            b -= float(ints @ np.where(c.integer, lb, 0.0))  # whole columns shifted to start at 0
            pos = ~c.integer & (r > 0)
            scale = float(np.max(np.abs(ints), initial=0.0)) or 1.0
            cut = cmir(ints / scale, b / scale, float(r[pos] @ x[pos]) / scale,
                       np.where(c.integer, x - lb, 0.0), np.where(c.integer, ub - lb, 0.0))
            if cut is None:
                continue
            _, pi, k, rhs = cut
            coef = np.where(c.integer, pi, 0.0) - k * np.where(pos, r / scale, 0.0)
            rhs += float(coef[c.integer] @ lb[c.integer])
            nz = np.nonzero(np.abs(coef) > 1e-12)[0].astype(np.int32)
            h.addRow(-highspy.kHighsInf, rhs + 1e-7 * max(1.0, abs(rhs)), len(nz), nz, coef[nz])
            added += 1
        if not added:
            break
        cuts += added
        h.run()
    return math.ldexp(first, e), math.ldexp(h.getInfo().objective_function_value, e), cuts


def highs_root(c: Compiled) -> float:
    """HiGHS's bound after its root node (one search), in $."""
    lp, e = scaled_lp(c.lp)
    h = _new_highs(dict(FIXED_OPTIONS, mip_max_nodes=1, time_limit=120.0))
    h.passModel(lp)
    h.run()
    return math.ldexp(h.getInfo().mip_dual_bound, e)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", nargs="*", default=["example", "q28", "case302", "hard-9", "scen5"])
    ap.add_argument("--rounds", type=int, default=20)
    args = ap.parse_args()
    pool = {i.name: i for i in INSTANCES}
    print("| instance | LP bound $ | after the cut loop $ | cuts | HiGHS root bound $ |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as d:
        for name in args.only:
            inst = pool[name]
            path = inst.workbook(Path(d))
            c = compile_model(build_model(load_inputs(path))[0])
            first, after, cuts = loop(c, args.rounds)
            print(f"| {name} | {first:.6e} | {after:.6e} | {cuts} | {highs_root(c):.6e} |", flush=True)


if __name__ == "__main__":
    main()
