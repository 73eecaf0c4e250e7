"""Marginal costs of demand and the value of each limit (issue: Marginal table).

Two LPs are made from the solved MIP (:func:`planner.solver.highs.continuous_lp`):

* plan (short run): every integer decision fixed at the plan, so one more du
  comes from spare capacity (0), from moving capacity off another workload, or
  from unmet demand (its penalty);
* long run: the LP relaxation, as if capacity could be bought in fractions of
  a block, so one more du costs the cheapest source's price.

One more du of demand of w in q (scenario σ) raises three kinds of row
bound: ``coverage[w, q, σ]`` by ``1 + reserve_margin(w)``, ``asic_share[w, q, σ]``
by ``asic_share_max(w)`` times that, and every ``provider_share[p, q, σ]`` by
``max_share(p)`` times that. Both views are reported two ways: from the duals,
``sum over those rows of dual x raise`` (one-sided where the LP is degenerate),
and as the cost of one more du found by re-solving with the bounds raised
(warm-started simplex): the right-hand derivative, unambiguous. Values are undiscounted
($ in that quarter: divided by d(q)) and, with scenarios, divided by the
scenario's probability.

For each row of the limit families (budget, power, supply, ASIC share,
provider share, max phases) the table of limits gives its slack in the plan
and what one more unit of the limit is worth (minus its dual) in both LPs.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from planner.model.economics import discount
from planner.solver.compile import Compiled
from planner.solver.highs import Solution, continuous_lp, lp_solver
from planner.workbook.inputs import Inputs

LIMIT_FAMILIES = ("budget", "power", "supply", "asic_share", "provider_share", "max_phases")
_UNITS = {"budget": "$ per $ of capex_max", "power": "$ per kW", "supply": "$ per accelerator",
          "asic_share": "$ per du", "provider_share": "$ per du", "max_phases": "$ per phase"}


def _index(con) -> tuple:
    i = con.index()
    return i if isinstance(i, tuple) else (i,)


def _one_more(h, lower: np.ndarray, upper: np.ndarray, raises: list[tuple[int, float]], base: float) -> float:
    """Objective change when each row k's active bound (``lower[k]``, ``upper[k]``) moves by ``step``
    (then restored)."""
    for k, step in raises:
        lo, up = lower[k], upper[k]
        h.changeRowBounds(k, lo + step if np.isfinite(lo) else lo, up + step if np.isfinite(up) else up)
    h.run()
    value = h.getInfo().objective_function_value - base if h.getModelStatus().name == "kOptimal" else np.nan
    for k, _ in raises:
        h.changeRowBounds(k, lower[k], upper[k])
    return value


def _view(lp, raises_of: dict[tuple, list[tuple[int, float]]],
          keys: list[tuple]) -> tuple[np.ndarray | None, dict[tuple, float]]:
    """Solve one view's LP: its row duals and, per coverage index in ``keys``, the objective change
    of one more du (:func:`_one_more`); None and NaN when the LP has no optimum."""
    h = lp_solver(lp)
    if h is None:
        return None, dict.fromkeys(keys, np.nan)
    base = h.getInfo().objective_function_value
    dual = np.array(h.getSolution().row_dual)
    # highspy returns a HighsLp's vectors as new Python lists on every access: read them once
    lower, upper = np.asarray(lp.row_lower_), np.asarray(lp.row_upper_)
    return dual, {key: _one_more(h, lower, upper, raises_of.get(key, []), base) for key in keys}


def _scale(inp: Inputs, q: int, scenario: str | None) -> float:
    """Divide an objective change by d(q) and the scenario's probability."""
    p = inp.scenarios[scenario].probability if scenario in inp.scenarios else 1.0
    return 1.0 / (discount(q, inp.settings.discount_rate) * p)


def _demand_rows(inp: Inputs, compiled: Compiled) -> dict[tuple, list[tuple[int, float]]]:
    """Per coverage index (w, q, σ): the rows whose bound one more du of demand raises, and by how much."""
    cover: dict[tuple, int] = {}
    share: dict[tuple, list[tuple[int, float]]] = {}
    for k, (con, _sense) in enumerate(compiled.rows):
        family, index = con.parent_component().name, _index(con)
        if family == "coverage":
            cover[index] = k
        elif family == "asic_share":
            share.setdefault(index, []).append((k, inp.workloads[index[0]].asic_share_max))
        elif family == "provider_share":
            pr, q, sc = index
            share.setdefault(("*", q, sc), []).append((k, inp.providers[pr].max_share))
    out = {}
    for (w, q, sc), k in cover.items():
        step = 1.0 + inp.workloads[w].reserve_margin
        caps = share.get((w, q, sc), []) + share.get(("*", q, sc), [])
        out[w, q, sc] = [(k, step)] + [(j, c * step) for j, c in caps]
    return out


def marginal_tables(inp: Inputs, compiled: Compiled, solution: Solution,
                    plain: Compiled | Callable[[], Compiled] | None = None) -> dict[str, pd.DataFrame]:
    """``Marginal`` (per quarter and workload) and ``Limits`` (per limit row) tables.

    ``plain``: the plain formulation of the same inputs (or a function that builds it, called
    while the plan view's LPs run), whose LP relaxation is the long-run view (the tight
    formulation's demand bounds would cap "one more du" at today's demand).
    """
    make_plain = plain if callable(plain) else (lambda: plain or compiled)
    raises_of = {"plan": _demand_rows(inp, compiled)}
    keys = list(raises_of["plan"])
    # the two views are independent LPs: one thread each (HiGHS releases the GIL while it solves),
    # and the plain model is built here while the plan view's LPs run
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {"plan": pool.submit(_view, continuous_lp(compiled, solution), raises_of["plan"], keys)}
        plain = make_plain()
        raises_of["long_run"] = _demand_rows(inp, plain)
        futures["long_run"] = pool.submit(_view, continuous_lp(plain, None), raises_of["long_run"], keys)
        duals, one_more = {}, {}
        for view, future in futures.items():
            duals[view], one_more[view] = future.result()
    views = ("plan", "long_run")
    lp = compiled.lp
    row_upper = np.asarray(lp.row_upper_)  # once (see _view)
    activity = magnitude = step = None
    if solution.col_value is not None:
        A = compiled.lp.a_matrix_
        start, index, value = np.array(A.start_), np.array(A.index_), np.array(A.value_)
        cols = np.repeat(np.arange(lp.num_col_), np.diff(start))
        terms = value * solution.col_value[cols]
        activity = np.bincount(index, weights=terms, minlength=lp.num_row_)
        magnitude = np.bincount(index, weights=np.abs(terms), minlength=lp.num_row_)
        # a row of whole decisions binds when not one more unit of any of them fits
        is_int = compiled.integer[cols]
        smallest = np.full(lp.num_row_, np.inf)
        np.minimum.at(smallest, index[is_int], np.abs(value[is_int]))
        step = np.where(np.isfinite(smallest), smallest, 0.0)
    marginal, limits = [], []
    for (w, q, sc) in raises_of["plan"]:
        f = _scale(inp, q, sc)
        rec = {"scenario": sc, "quarter": inp.quarter_label(q), "workload": w}
        for view in views:
            d, raises = duals[view], raises_of[view].get((w, q, sc), [])
            rec[f"dual_{view}_usd_per_du"] = sum(d[k] * r for k, r in raises) * f if d is not None else np.nan
            rec[f"one_more_du_{view}_usd"] = one_more[view][w, q, sc] * f
        marginal.append(rec)
    long_run_rows = {(con.parent_component().name, _index(con)): k for k, (con, _) in enumerate(plain.rows)}
    for k, (con, _sense) in enumerate(compiled.rows):
        family, index = con.parent_component().name, _index(con)
        if family in LIMIT_FAMILIES:
            q = next((i for i in index if isinstance(i, int)), None) if family != "budget" else None
            f = _scale(inp, q, index[-1] if isinstance(index[-1], str) else None) if q is not None else 1.0
            shown = index if inp.has_scenario_sheet or not isinstance(index[-1], str) or family == "max_phases" \
                or index[-1] not in inp.scenarios else index[:-1]
            at = " ".join(inp.quarter_label(i) if isinstance(i, int) and family != "budget" else str(i)
                          for i in shown)
            slack = (row_upper[k] - activity[k]) if activity is not None else np.nan
            in_use = magnitude is not None and magnitude[k] > 1e-9  # 0 <= 0 of an idle limit is not binding
            tol = 1e-7 * max(1.0, abs(row_upper[k]), magnitude[k]) if magnitude is not None else 0.0
            rec = {"limit": family, "at": at, "slack": slack,
                   "binding": bool(in_use and slack <= max(tol, step[k] - tol)), "unit": _UNITS[family]}
            row_of = {"plan": k, "long_run": long_run_rows.get((family, index))}
            for view in views:
                d, j = duals[view], row_of[view]
                rec[f"value_of_one_more_{view}"] = -d[j] * f if d is not None and j is not None else 0.0
            limits.append(rec)
    m = pd.DataFrame(marginal)
    if not inp.has_scenario_sheet and not m.empty:
        m = m.drop(columns="scenario")
    lim = pd.DataFrame(limits, columns=["limit", "at", "slack", "binding", "unit", "value_of_one_more_plan",
                                        "value_of_one_more_long_run"])
    return {"Marginal": m.round(6), "Limits": lim}
