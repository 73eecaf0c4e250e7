"""``planner sweep``: the full grid of what-ifs, solved in parallel on Dask (MODEL.md section 8).

The workbook is read and validated once; the typed inputs are scattered to the
workers once (not re-read per case). Each case applies its variations
(:mod:`planner.analysis.variation`), builds and solves its own model with HiGHS on one
thread (``threads = 1``), so one single-threaded worker per core never
oversubscribes the machine. A case that fails (bad variation, solver trouble,
an exception, a worker that dies) is recorded in its row; the others go on.

Cluster: a ``LocalCluster`` with one single-threaded worker process per core
by default, or the running scheduler at ``--scheduler ADDRESS``.
"""

from __future__ import annotations

import logging
import math
import time

import pandas as pd

from planner.analysis.cases import run_cases
from planner.analysis.variation import Variation, VariationError, apply, grid, is_identity
from planner.model import first_stage_decisions
from planner.report.charts import ChartBlock
from planner.report.results import COST_COLUMNS, cost_summary
from planner.solver.solved import solve_inputs
from planner.workbook.inputs import Inputs

log = logging.getLogger(__name__)


def solve_case(inp: Inputs, variations: list[Variation], values: tuple[str, ...], gap: float,
               time_limit_s: float) -> dict[str, object]:
    """One case: apply the variations, solve, and summarise (never raises)."""
    row: dict[str, object] = {column_label(v): float(x) for v, x in zip(variations, values)}
    t0 = time.perf_counter()
    try:
        case = inp
        for v, x in zip(variations, values):
            case = apply(case, v, x)
        solved = solve_inputs(case, gap, time_limit_s)
        solution = solved.solution
        row.update(status=solution.status, gap=solution.gap)
        if not solution.has_plan:
            row.update(error="no plan found (time limit or infeasible)")
            return row
        row.update(total_cost=solution.objective, **cost_summary(solved.parts),
                   decisions=first_stage_decisions(solved.parts))
    except VariationError as exc:
        row.update(status="invalid", error=str(exc))
    except Exception as exc:  # a failed case is reported, never stops the sweep
        row.update(status="error", error=f"{type(exc).__name__}: {exc}")
    finally:
        row["seconds"] = round(time.perf_counter() - t0, 3)
    return row


def column_label(v: Variation) -> str:
    """Sweep column of a variation: ``Sheet.column x`` (multiplier) or ``Sheet.column +`` (offset)."""
    return f"{v.label} {'+' if v.is_offset else 'x'}"


def describe_changes(base: dict, case: dict, limit: int = 12) -> str:
    """First-stage decisions that differ from the base case, compactly: ``order VR200/site0@2028Q2 0->2``."""
    changes = []
    for key in sorted(set(base) | set(case), key=str):
        a, b = base.get(key, 0), case.get(key, 0)
        if abs(a - b) > 1e-6:
            changes.append(f"{key} {a:g}->{b:g}")
    more = f" (+{len(changes) - limit} more)" if len(changes) > limit else ""
    return "; ".join(changes[:limit]) + more if changes else "same as base"


def run_sweep(inp: Inputs, variations: list[Variation], scheduler: str | None = None, workers: int | None = None,
              gap: float | None = None, time_limit_s: float | None = None, progress: bool = True) -> pd.DataFrame:
    """Solve every case of the grid (plus the base case) on Dask; one row per case."""
    gap = inp.settings.mip_gap if gap is None else gap
    limit = inp.settings.time_limit_s if time_limit_s is None else time_limit_s
    combos = grid(variations)
    base = tuple("1" if not any(is_identity(x) and x.startswith(("+", "-")) for x in v.values) else "+0"
                 for v in variations)
    base = next((c for c in combos if all(is_identity(x) for x in c)), base)
    cases = [base] + [c for c in combos if c != base]
    ordered, solving_seconds = run_cases(
        inp, solve_case, [(variations, c, gap, limit) for c in cases],
        lambda case, exc: {**{column_label(v): float(x) for v, x in zip(variations, case[1])}, "status": "failed",
                           "error": f"{type(exc).__name__}: {exc}"}, scheduler, workers, progress)
    base_decisions = ordered[0].get("decisions") or {}
    for i, row in enumerate(ordered):
        row["case"] = i
        row["is_base"] = i == 0
        decisions = row.pop("decisions", None)
        row["changes_from_base"] = describe_changes(base_decisions, decisions) if decisions is not None else ""
    columns = ["case", "is_base", *[column_label(v) for v in variations], "status", "total_cost", "gap", "unmet_du",
               *[f"pv_{c}" for c in COST_COLUMNS], "changes_from_base", "seconds", "error"]
    df = pd.DataFrame(ordered).reindex(columns=columns)
    df.attrs["solving_seconds"] = solving_seconds  # from the first submit to the last result (no start-up)
    return df


def tornado(df: pd.DataFrame, variations: list[Variation]) -> pd.DataFrame:
    """Per varied input: the spread of total cost over its values (mean over the other inputs), vs the base."""
    ok = df[df.status.isin(["optimal", "time_limit"]) & df.total_cost.notna()]
    base = ok[ok.is_base].total_cost
    base_cost = float(base.iloc[0]) if len(base) else math.nan
    rows = []
    for v in variations:
        means = ok.groupby(column_label(v)).total_cost.mean()
        if means.empty:
            continue
        low_v, high_v = means.idxmin(), means.idxmax()
        rows.append({"input": v.label, "lowest_value": low_v, "highest_value": high_v,
                     "low_vs_base_musd": (means.min() - base_cost) / 1e6,
                     "high_vs_base_musd": (means.max() - base_cost) / 1e6,
                     "spread_musd": (means.max() - means.min()) / 1e6})
    out = pd.DataFrame(rows, columns=["input", "lowest_value", "highest_value", "low_vs_base_musd",
                                      "high_vs_base_musd", "spread_musd"])
    return out.sort_values("spread_musd", ascending=True, kind="stable").reset_index(drop=True)


def sweep_tables(df: pd.DataFrame, variations: list[Variation], seconds: float,
                 workers: int | str) -> tuple[dict[str, pd.DataFrame], list[ChartBlock]]:
    """The sweep report's tables and its tornado chart."""
    ok = df[df.total_cost.notna()]
    summary = [("cases", len(df)), ("cases_solved", len(ok)), ("cases_failed", int(len(df) - len(ok))),
               ("base_cost", float(df[df.is_base].total_cost.iloc[0]) if df.is_base.any() else math.nan),
               ("min_cost", float(ok.total_cost.min()) if len(ok) else math.nan),
               ("mean_cost", float(ok.total_cost.mean()) if len(ok) else math.nan),
               ("max_cost", float(ok.total_cost.max()) if len(ok) else math.nan),
               ("spread_usd", float(ok.total_cost.max() - ok.total_cost.min()) if len(ok) else math.nan),
               ("wall_seconds", round(seconds, 2)), ("workers", workers),
               ("cases_per_minute", round(60 * len(df) / seconds, 2) if seconds > 0 else math.nan)]
    torn = tornado(df, variations)
    tables = {"Summary": pd.DataFrame(summary, columns=["metric", "value"]), "Sweep": df, "Tornado": torn}
    block = ChartBlock("tornado", "Total cost against each varied input ($M vs the base case)", "$M vs base",
                       torn[["input", "low_vs_base_musd", "high_vs_base_musd"]].rename(
                           columns={"low_vs_base_musd": "lowest", "high_vs_base_musd": "highest"}),
                       [], [], horizontal=["lowest", "highest"])
    return tables, [block] if len(torn) else []


__all__ = ["run_sweep", "solve_case", "sweep_tables", "tornado"]
