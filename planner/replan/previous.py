"""Read a previous plan: its Actions (with their Excel rows) and its Summary, from a report folder
or its ``plan.xlsx``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from planner.workbook.checks.cells import Checker
from planner.workbook.checks.plan_actions import check_plan_actions, check_plan_summary
from planner.workbook.errors import InputError, Problem
from planner.workbook.quarters import parse_quarter
from planner.workbook.reader import read_sheets
from planner.workbook.schema import PLAN_SHEETS


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
    """The Actions and Summary of the plan at ``path``, read and checked like a workbook
    (:mod:`planner.workbook.checks.plan_actions`); InputError with every problem at once."""
    file = plan_file(path)
    if not file.exists():
        raise InputError([Problem(str(path), None, None, None, "is not a report folder or a plan.xlsx "
                                  "written by `planner run`: no such file or folder")])
    problems: list[Problem] = []
    tables = read_sheets(file, PLAN_SHEETS, problems)
    chk = Checker(problems)
    records = check_plan_actions(tables["actions"], chk) if "actions" in tables else []
    summary = check_plan_summary(tables["summary"], chk) if "summary" in tables else {}
    if problems:
        raise InputError(problems)
    columns = ["quarter", "action", "what", "where", "quantity", "scenarios", "detail", "row"]
    actions = pd.DataFrame(records)
    actions = actions.reindex(columns=list(dict.fromkeys(columns + list(actions.columns))))
    actions["detail"] = actions["detail"].fillna("").astype(str)
    costs = tables.get("costs")
    start = parse_quarter(costs.rows[0][1].get("quarter")) if costs is not None and costs.rows else None
    return PreviousPlan(file, actions, summary, start)
