"""A previous plan's Actions and Summary (``planner roll``, ``run --previous``): every cell the commands use,
located in PLAN (its file, the Actions row, the column and the value), all problems at once."""

from __future__ import annotations

from planner.workbook.checks.cells import Checker
from planner.workbook.quarters import label
from planner.workbook.reader import RawTable
from planner.workbook.schema import PLAN_ACTIONS

_CANONICAL = {a.lower(): a for a in PLAN_ACTIONS}


def check_plan_actions(table: RawTable, chk: Checker) -> list[dict[str, object]]:
    """One record per Actions row: its declared columns typed (``quarter`` as ``YYYYQn``, ``action`` as
    written by ``planner run``, ``quantity`` a whole number >= 0, blank ``where`` as ""), the report's
    other columns as they are, and ``row``, the Excel row. Rows with a problem are left out (the
    problems stop the command)."""
    out = []
    for (row, raw), (_, typed) in zip(table.rows, chk.records(table)):
        if not chk.good(table.sheet.name, row):
            continue
        record = {k: v for k, v in raw.items() if k not in typed}
        record.update(typed, row=row, quarter=label(typed["quarter"]), action=_CANONICAL[typed["action"]],
                      where=typed["where"] or "", scenarios=typed["scenarios"] or "all")
        out.append(record)
    return out


def check_plan_summary(table: RawTable, chk: Checker) -> dict[str, object]:
    """Summary metric -> value; ``total_cost`` must be a number (the Changes table compares it)."""
    summary = {rec["metric"]: raw.get("value") for (row, raw), (_, rec) in zip(table.rows, chk.records(table))}
    total = summary.get("total_cost")
    if total is not None and not isinstance(total, (int, float)):
        row = next(r for r, raw in table.rows if raw.get("metric") == "total_cost")
        chk.add(table.sheet.name, row, "value", total, "total_cost must be a number")
    return summary
