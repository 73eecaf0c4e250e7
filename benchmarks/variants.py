"""Reformulations and solver settings tried for the solve-speed issue, measured side by side.

    python -m benchmarks.variants [--only NAME ...] [--variants V ...] [--seeds 0 1 2] [--time-limit S]

Every variant is the same MILP (same optimum) handed to HiGHS differently, so a
variant is kept in the planner only if it wins on these instances over several
HiGHS random seeds (single runs vary by a factor of two on the small cases and by
+-0.3 % of final gap on the large ones). Runs are sequential: this machine's two
logical cores share one physical core, so two solves side by side slow each
other down by about half.

Variants (all at the matrix level, after the standard-form compile):

* ``base``: the planner's hand-over (tight formulation, canonical order).
* ``cumulative``: every time-indexed whole decision (lease, order, phase) replaced by its
  running total ``z[t] = sum_{t' <= t} x[t']`` (``x[t] = z[t] - z[t-1]``, with rows
  ``0 <= z[t] - z[t-1] <= ub(x[t])``); branching on ``z`` splits on "how many by t".
  Window sums become two-term differences, so the matrix gets sparser.
* ``cumulative-phases``: the same for build phases only (phases started by t).
* ``site-totals``: one more integer column per (hardware, quarter), the order blocks over all
  sites, linked by an equality row and used in every row where all sites' orders share one
  coefficient (supply, budget, fleet capacity), so HiGHS can branch on the total. Measured as
  a win on the example, it became part of the tight formulation (``ordered[h, t]`` in
  planner/model/owned.py); on today's model this variant adds a second, redundant total.
* ``time-order``: columns sorted by quarter first (then programs, phases, orders, leases).
* ``no-restart``: HiGHS option ``mip_allow_restart = false``.
* ``pscost-2`` / ``pscost-16``: HiGHS option ``mip_pscost_minreliable`` (default 8): how many
  strong-branching probes make a pseudo-cost reliable.
* ``lp-age-20``: ``mip_lp_age_limit = 20`` (default 10): cuts stay in the LP longer.
* ``pool-1000``: ``mip_pool_soft_limit = 1000`` (default 10000): a smaller cut pool.
* ``heuristics-0.2``: ``mip_heuristic_effort = 0.2`` (default 0.05).
* ``no-power-total``: the tight formulation without its ``power_total`` rows (the power rows
  summed over sites, one per quarter and scenario).
* ``row-scaled``: each row divided by a power of two so that its largest coefficient is in
  [0.5, 1) (exact in floating point; the budget rows are in dollars).
"""

from __future__ import annotations

import argparse
import math
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import highspy
import numpy as np
import scipy.sparse as sp

from benchmarks.run import INSTANCES, Instance
from planner.model import build_model
from planner.solver.compile import Compiled, compile_model, lp_from_arrays, scaled_lp
from planner.solver.highs import FIXED_OPTIONS, _new_highs
from planner.workbook.synthetic import Size
from planner.workbook.validate import load_inputs

TIMED = ("lease", "order", "phase")


def matrix(lp: highspy.HighsLp) -> sp.csc_matrix:
    """The constraint matrix of ``lp`` as scipy CSC."""
    a = lp.a_matrix_
    return sp.csc_matrix((np.asarray(a.value_), np.asarray(a.index_), np.asarray(a.start_)),
                         shape=(lp.num_row_, lp.num_col_))


def make_lp(A: sp.spmatrix, cost, lower, upper, row_lower, row_upper, integer, offset: float) -> highspy.HighsLp:
    """A HighsLp from arrays (explicit zeros of ``A`` dropped)."""
    A = sp.csc_matrix(A)
    A.eliminate_zeros()
    return lp_from_arrays(A, cost, lower, upper, row_lower, row_upper, integer, offset)


def _parts(c: Compiled):
    lp = c.lp
    return (matrix(lp), np.asarray(lp.col_cost_), np.asarray(lp.col_lower_), np.asarray(lp.col_upper_),
            np.asarray(lp.row_lower_), np.asarray(lp.row_upper_), c.integer.copy(), lp.offset_)


def _quarter(var) -> int:
    index = var.index()
    ints = [k for k in (index if isinstance(index, tuple) else (index,)) if isinstance(k, int)]
    return ints[-1] if ints else -1


def base(c: Compiled) -> highspy.HighsLp:
    return c.lp


def cumulative(c: Compiled, components: tuple[str, ...] = TIMED) -> highspy.HighsLp:
    """x = T z with x[g, t] = z[g, t] - z[g, t_prev] within each decision group g of ``components``."""
    A, cost, lo, up, rlo, rup, integer, offset = _parts(c)
    n = A.shape[1]
    groups: dict[tuple, list[tuple[int, int]]] = {}
    for i, v in enumerate(c.columns):
        name = v.parent_component().name
        if name in components:
            index = v.index()
            groups.setdefault((name, *index[:-1]), []).append((index[-1], i))
    r, k, val = list(range(n)), list(range(n)), [1.0] * n
    new_up = up.copy()
    diff_rows = []  # (i, j, lower, upper): lower <= z_i - z_j <= upper
    for items in groups.values():
        items.sort()
        total = 0.0
        for pos, (_t, i) in enumerate(items):
            total += up[i]
            new_up[i] = total
            if pos:
                j = items[pos - 1][1]
                r.append(i)
                k.append(j)
                val.append(-1.0)
                diff_rows.append((i, j, lo[i], up[i]))
    T = sp.csc_matrix((val, (r, k)), shape=(n, n))
    m = len(diff_rows)
    D = sp.csr_matrix((np.tile([1.0, -1.0], m), ([x for x in range(m) for _ in (0, 1)],
                                                 [x for i, j, _, _ in diff_rows for x in (i, j)])), shape=(m, n))
    return make_lp(sp.vstack([A @ T, D]), T.T @ cost, lo, new_up,
                   np.concatenate([rlo, [d[2] for d in diff_rows]]), np.concatenate([rup, [d[3] for d in diff_rows]]),
                   integer, offset)


def site_totals(c: Compiled) -> highspy.HighsLp:
    """One integer column per (hardware, quarter): the blocks ordered over all sites."""
    A, cost, lo, up, rlo, rup, integer, offset = _parts(c)
    n = A.shape[1]
    groups: dict[tuple, list[int]] = {}
    for i, v in enumerate(c.columns):
        if v.parent_component().name == "order":
            h, _s, t = v.index()
            groups.setdefault((h, t), []).append(i)
    A = A.tolil()
    Acsc = matrix(c.lp)
    new_cols, link_rows = [], []
    for cols in groups.values():
        if len(cols) < 2:
            continue
        spans = [slice(Acsc.indptr[j], Acsc.indptr[j + 1]) for j in cols]
        entries = [dict(zip(Acsc.indices[span], Acsc.data[span])) for span in spans]
        shared = {row: coef for row, coef in entries[0].items() if all(e.get(row) == coef for e in entries[1:])}
        for row in shared:
            for j in cols:
                A[row, j] = 0.0
        new_cols.append((shared, sum(up[j] for j in cols)))
        link_rows.append(cols)
    extra = len(new_cols)
    A = sp.hstack([A.tocsr(), sp.lil_matrix((A.shape[0], extra))]).tolil()
    for j, (shared, _) in enumerate(new_cols):
        for row, coef in shared.items():
            A[row, n + j] = coef
    L = sp.lil_matrix((extra, n + extra))
    for r, cols in enumerate(link_rows):
        for j in cols:
            L[r, j] = 1.0
        L[r, n + r] = -1.0
    return make_lp(sp.vstack([A.tocsr(), L.tocsr()]), np.concatenate([cost, np.zeros(extra)]),
                   np.concatenate([lo, np.zeros(extra)]), np.concatenate([up, [u for _, u in new_cols]]),
                   np.concatenate([rlo, np.zeros(extra)]), np.concatenate([rup, np.zeros(extra)]),
                   np.concatenate([integer, np.ones(extra, dtype=bool)]), offset)


def time_order(c: Compiled) -> highspy.HighsLp:
    """Columns sorted by quarter, then programs, phases, orders, leases, the rest."""
    A, cost, lo, up, rlo, rup, integer, offset = _parts(c)
    rank = {"commit": 0, "phase": 1, "order": 2, "lease": 3}
    key = [(_quarter(v), rank.get(v.parent_component().name, 4), i) for i, v in enumerate(c.columns)]
    P = np.array([i for *_, i in sorted(key)], dtype=int)
    return make_lp(A[:, P], cost[P], lo[P], up[P], rlo, rup, integer[P], offset)


def row_scaled(c: Compiled) -> highspy.HighsLp:
    """Each row times 2**-e so its largest |coefficient| is in [0.5, 1)."""
    A, cost, lo, up, rlo, rup, integer, offset = _parts(c)
    biggest = np.asarray(abs(A).max(axis=1).todense()).ravel()
    e = np.where(biggest > 0, np.frexp(np.where(biggest > 0, biggest, 1.0))[1], 0)
    R = sp.diags(np.ldexp(1.0, -e))
    return make_lp(R @ A, cost, lo, up, np.ldexp(rlo, -e), np.ldexp(rup, -e), integer, offset)


def without_rows(c: Compiled, family: str) -> highspy.HighsLp:
    """The compiled LP without the rows of constraint ``family``."""
    A, cost, lo, up, rlo, rup, integer, offset = _parts(c)
    keep = np.array([con.parent_component().name != family for con, _sense in c.rows], dtype=bool)
    return make_lp(A.tocsr()[keep], cost, lo, up, rlo[keep], rup[keep], integer, offset)


VARIANTS: dict[str, tuple[Callable[[Compiled], highspy.HighsLp], dict]] = {
    "base": (base, {}),
    "cumulative": (cumulative, {}),
    "cumulative-phases": (lambda c: cumulative(c, ("phase",)), {}),
    "site-totals": (site_totals, {}),
    "time-order": (time_order, {}),
    "no-restart": (base, {"mip_allow_restart": False}),
    "row-scaled": (row_scaled, {}),
    "no-power-total": (lambda c: without_rows(c, "power_total"), {}),
    "pscost-2": (base, {"mip_pscost_minreliable": 2}),
    "pscost-16": (base, {"mip_pscost_minreliable": 16}),
    "lp-age-20": (base, {"mip_lp_age_limit": 20}),
    "pool-1000": (base, {"mip_pool_soft_limit": 1000}),
    "heuristics-0.2": (base, {"mip_heuristic_effort": 0.2}),
}

FAMILY = [Instance(f"small-{seed}", size=Size(quarters=12, workloads=2, hardware=3, sites=2, offers=5, programs=1,
                                             budget=True), seed=seed, gap=1e-5) for seed in range(1, 9)]


def solve_variant(c: Compiled, variant: str, gap: float, time_limit: float, seed: int) -> dict[str, float]:
    """Solve one variant; objective in $ (unscaled), solve seconds, final gap, nodes."""
    transform, options = VARIANTS[variant]
    lp, e = scaled_lp(transform(c))
    h = _new_highs(dict(FIXED_OPTIONS, mip_rel_gap=gap, time_limit=time_limit, random_seed=seed, **options))
    h.passModel(lp)
    t = time.perf_counter()
    h.run()
    seconds = time.perf_counter() - t
    info = h.getInfo()
    return {"seconds": seconds, "gap": info.mip_gap if math.isfinite(info.mip_gap) else math.nan,
            "objective": math.ldexp(info.objective_function_value, e), "nodes": info.mip_node_count}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", help="instance names (default: the small family and case302)")
    ap.add_argument("--variants", nargs="*", default=list(VARIANTS))
    ap.add_argument("--seeds", nargs="*", type=int, default=[0, 1, 2])
    ap.add_argument("--time-limit", type=float, default=60.0)
    args = ap.parse_args()
    names = args.only or [i.name for i in FAMILY] + ["case302"]
    pool = {i.name: i for i in INSTANCES + FAMILY}
    print("| instance | variant | mean solve s | mean final gap | runs at target | nodes (mean) |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as d:
        for name in names:
            inst = pool[name]
            path = inst.workbook(Path(d))
            compiled = compile_model(build_model(load_inputs(path))[0])
            for variant in args.variants:
                runs = [solve_variant(compiled, variant, inst.gap, args.time_limit, s) for s in args.seeds]
                at_target = sum(r["gap"] <= inst.gap * (1 + 1e-9) for r in runs)
                print(f"| {name} | {variant} | {statistics.mean(r['seconds'] for r in runs):.2f} | "
                      f"{statistics.mean(r['gap'] for r in runs):.3g} | {at_target}/{len(runs)} | "
                      f"{statistics.mean(r['nodes'] for r in runs):.0f} |", flush=True)


if __name__ == "__main__":
    main()
