"""Read a previous plan: its Actions (with their Excel rows) and its Summary, from a report folder
or its ``plan.xlsx``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planner.workbook.errors import InputError, Problem
from planner.workbook.quarters import parse_quarter
from planner.workbook.reader import check_file
from planner.workbook.tree import ALL

ACTIONS = "Actions"


@dataclass(frozen=True)
class PreviousPlan:
    """A plan written by ``planner run``: ``actions`` has a column ``row`` (its Excel row in PLAN)."""

    path: Path
    actions: pd.DataFrame
    summary: dict[str, object]
    start: int | None = None  # absolute quarter of the plan's q = 0 (its Costs table's first quarter)

    @property
    def total_cost(self) -> float:
        return float(self.summary["total_cost"])  # type: ignore[arg-type]


def plan_file(path: Path) -> Path:
    """``plan.xlsx`` of a report folder, or the file itself."""
    return path / "plan.xlsx" if path.is_dir() else path


def read_plan(path: Path) -> PreviousPlan:
    """The Actions and Summary of the plan at ``path``; InputError when it is not a plan."""
    file = plan_file(path)
    check_file(file)
    try:
        sheets = pd.read_excel(file, sheet_name=None, dtype=object)
    except Exception as exc:  # a workbook that pandas cannot read as tables
        raise InputError([Problem(str(file), None, None, None, f"cannot be read as a plan ({exc})")]) from None
    missing = [name for name in (ACTIONS, "Summary") if name not in sheets]
    if missing:
        raise InputError([Problem(str(file), None, None, ", ".join(missing),
                                  "is not a plan written by `planner run`: it has no sheet of that name")])
    actions = sheets[ACTIONS]
    needed = {"quarter", "action", "what", "where", "quantity"}
    if not needed <= set(actions.columns):
        raise InputError([Problem(f"{file.name} {ACTIONS}", 1, None, ", ".join(sorted(needed - set(actions.columns))),
                                  "columns missing: is this a plan written by `planner run`?")])
    actions = actions.copy()
    actions["row"] = range(2, len(actions) + 2)
    if "scenarios" not in actions.columns:  # a plan from before scenario trees: every decision is shared
        actions["scenarios"] = ALL
    actions["scenarios"] = actions["scenarios"].fillna(ALL).astype(str)
    actions["where"] = actions["where"].fillna("").astype(str)
    summary_df = sheets["Summary"]
    summary = dict(zip(summary_df["metric"], summary_df["value"])) if "metric" in summary_df else {}
    costs = sheets.get("Costs")
    start = parse_quarter(costs["quarter"].iloc[0]) if costs is not None and len(costs) and "quarter" in costs else None
    return PreviousPlan(file, actions, summary, start)
