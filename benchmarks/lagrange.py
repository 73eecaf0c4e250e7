"""Lagrangian bounds as certificates of where the formulation is weak (issue 17).

    python -m benchmarks.lagrange [--only NAME ...] [--limit S]

Two decompositions of the compiled tight MILP ``min c x, A x in [l, u], x in bounds, some x whole``,
each evaluated at the multipliers of the LP relaxation (duals y, reduced costs d = c - A^T y), where
a Lagrangian bound is never below the LP bound:

* **Time blocks (variable splitting).** The quarters are cut into blocks of ``size``; each row goes to
  the block of its quarter (rows without one, the year budgets and phase limits, to the block that
  already holds most of their columns), and each block gets its own copy of every column in its rows.
  With costs split as ``c_j^k = (A_k^T y_k)_j + d_j / n_j`` (``n_j`` blocks hold column j), the
  copies' costs sum to ``c_j``, so ``sum_k min {c^k x^k : x^k in X_k}`` is a bound of the MILP: its
  optimum, copied into every block, is feasible in each. Blocks of one quarter give the bound of the
  per-quarter convex hulls (what c-MIR cuts of one quarter's rows can reach at best).
* **Dualized rows.** The rows of the families not in ``keep`` are priced at their LP duals and
  dropped: ``L(y) = sum_{dualized i} y_i b_i + min {(c - A_D^T y) x : kept rows, bounds}``, with
  ``b_i`` the bound its dual's sign makes active; the kept rows fall apart into independent
  components (``scipy.sparse.csgraph.connected_components``), each solved alone. Keeping the
  facility rows (power, phases, supply, funding, budgets, lease capacity) and pricing the demand
  rows (coverage, owned capacity, shares) gives the facility-location bound.

Each sub-MILP runs on one core with target gap 1e-7 and ``--limit`` seconds; its bound (HiGHS's
dual bound, or the LP optimum when it has no whole columns) is what is summed, so a sub-MILP that
hits the limit still gives a valid, if weaker, bound. Measured and not kept: benchmarks/README.md,
thirteenth round.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

import numpy as np
import scipy.sparse
from scipy.sparse.csgraph import connected_components

from benchmarks.run import INSTANCES
from planner.model import build_model
from planner.solver.compile import Compiled, compile_model, copy_lp, lp_from_arrays, scaled_lp
from planner.solver.highs import FIXED_OPTIONS, _new_highs, lp_solver
from planner.workbook.validate import load_inputs

#: Where a row family's index holds the quarter (of service, or of ordering for the supply rows).
QUARTER_AT = {"site_total": 1, "power": 1, "power_total": 0, "supply": 1, "funded_order": 2, "coverage": 1,
              "owned_capacity": 1, "lease_capacity": 1, "asic_share": 1, "provider_share": 1}

#: Row families kept by the facility-location bound (the others are priced at their LP duals).
FACILITY = ("power", "power_total", "max_phases", "supply", "site_total", "funded_order", "budget",
            "lease_capacity")


class Problem:
    """The scaled MILP's arrays (costs in $ / 2**e) and its LP relaxation's solution."""

    def __init__(self, c: Compiled) -> None:
        lp, self.e = scaled_lp(c.lp)
        self.offset = lp.offset_
        self.cost = np.array(lp.col_cost_)
        self.lb, self.ub = np.array(lp.col_lower_), np.array(lp.col_upper_)
        self.rl, self.ru = np.array(lp.row_lower_), np.array(lp.row_upper_)
        self.integer = c.integer
        self.family = np.array([con.parent_component().name for con, _ in c.rows])
        self.quarter = np.array([-1 if (at := QUARTER_AT.get(con.parent_component().name)) is None
                                 else con.index()[at] for con, _ in c.rows])
        self.A = scipy.sparse.csc_array((c.lp.a_matrix_.value_, c.lp.a_matrix_.index_, c.lp.a_matrix_.start_),
                                        shape=(c.lp.num_row_, c.lp.num_col_)).tocsr()
        relaxed = copy_lp(lp)
        relaxed.integrality_ = []
        h = lp_solver(relaxed)
        assert h is not None, "the LP relaxation has no optimum"
        sol = h.getSolution()
        self.lp_value = h.getInfo().objective_function_value
        self.y, self.d = np.array(sol.row_dual), np.array(sol.col_dual)

    def dollars(self, v: float) -> float:
        """A scaled objective value in $ (times 2**e, exact)."""
        return math.ldexp(v, self.e)

    def sub_bound(self, rows: np.ndarray, cols: np.ndarray, cost: np.ndarray, limit: float) -> float:
        """A lower bound of ``min cost x`` over the rows ``rows`` of A in the columns ``cols``."""
        sub = lp_from_arrays(self.A[rows][:, cols].tocsc(), cost, self.lb[cols], self.ub[cols], self.rl[rows],
                             self.ru[rows], self.integer[cols], 0.0)
        h = _new_highs(dict(FIXED_OPTIONS, mip_rel_gap=1e-7, time_limit=limit))
        h.passModel(sub)
        h.run()
        info = h.getInfo()
        return info.mip_dual_bound if self.integer[cols].any() else info.objective_function_value


def blocks(pb: Problem, size: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """Block of every row, and the columns of every block (quarters cut into blocks of ``size``)."""
    nb = int(pb.quarter.max()) // size + 1
    block = np.where(pb.quarter >= 0, pb.quarter // size, -1)
    cols: list[set[int]] = [set() for _ in range(nb)]
    A = pb.A
    for i in np.nonzero(block >= 0)[0]:
        cols[block[i]].update(A.indices[A.indptr[i]:A.indptr[i + 1]].tolist())
    for i in np.nonzero(block < 0)[0]:
        mine = set(A.indices[A.indptr[i]:A.indptr[i + 1]].tolist())
        block[i] = max(range(nb), key=lambda k: (len(mine & cols[k]), k))
        cols[block[i]] |= mine
    return block, [np.array(sorted(s), dtype=int) for s in cols]


def split_bound(pb: Problem, size: int, limit: float) -> float:
    """The time-block bound at the LP's split of the costs (module docstring), in $."""
    block, cols = blocks(pb, size)
    held = np.zeros(len(pb.cost))
    for k_cols in cols:
        held[k_cols] += 1
    assert np.all(held > 0) and np.all(np.isfinite(pb.ub[held > 1])), "a shared column without bounds"
    total = pb.offset
    for k, k_cols in enumerate(cols):
        rows = np.nonzero(block == k)[0]
        share = pb.A[rows].T @ pb.y[rows] + pb.d / held
        total += pb.sub_bound(rows, k_cols, share[k_cols], limit)
    return pb.dollars(total)


def dualized_bound(pb: Problem, keep: tuple[str, ...], limit: float) -> float:
    """The bound with the rows outside ``keep`` priced at their LP duals (module docstring), in $."""
    kept = np.isin(pb.family, keep)
    y = np.where(kept, 0.0, pb.y)
    with np.errstate(invalid="ignore"):  # 0 * inf in the branch np.where does not take
        total = pb.offset + float(np.sum(np.where(y > 0, y * pb.rl, np.where(y < 0, y * pb.ru, 0.0))))
    price = pb.cost - pb.A.T @ y
    K = pb.A[np.nonzero(kept)[0]]
    _, label = connected_components(scipy.sparse.bmat([[None, K], [K.T, None]]), directed=False)
    row_label, col_label = label[:K.shape[0]], label[K.shape[0]:]
    for comp in np.unique(col_label):
        cols = np.nonzero(col_label == comp)[0]
        rows = np.nonzero(kept)[0][row_label == comp]
        if len(rows):
            total += pb.sub_bound(rows, cols, price[cols], limit)
        else:  # a column in no kept row: at the bound its price points to
            j = cols[0]
            total += 0.0 if abs(price[j]) < 1e-12 else price[j] * (pb.lb[j] if price[j] > 0 else pb.ub[j])
    return pb.dollars(total)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", default=["example", "q28"])
    ap.add_argument("--limit", type=float, default=60.0, help="seconds per sub-MILP")
    args = ap.parse_args()
    pool = {i.name: i for i in INSTANCES}
    bounds = {"per quarter": lambda pb: split_bound(pb, 1, args.limit),
              "blocks of 7 quarters": lambda pb: split_bound(pb, 7, args.limit),
              "facility (demand rows priced)": lambda pb: dualized_bound(pb, FACILITY, args.limit)}
    print("| instance | LP $B | " + " | ".join(f"{b} $B (s)" for b in bounds) + " |")
    print("|---|---|" + "---|" * len(bounds))
    with tempfile.TemporaryDirectory() as d:
        for name in args.only:
            pb = Problem(compile_model(build_model(load_inputs(pool[name].workbook(Path(d))))[0]))
            cells = []
            for f in bounds.values():
                t = time.perf_counter()
                v = f(pb)
                cells.append(f"{v / 1e9:.4f} ({time.perf_counter() - t:.0f})")
            print(f"| {name} | {pb.dollars(pb.lp_value) / 1e9:.4f} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
