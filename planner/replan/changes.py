"""The ``Changes`` table of ``--previous PLAN``: every decision whose quantity differs from the plan's.

Decisions are matched on quarter, action, what, where and scenarios (a sale: its hardware and site,
so sales of two batches of one type at one site in one quarter are compared as their sum). Only quarters from the new
start count: earlier decisions of the plan are the past (a rolled workbook holds them as
pipeline), and a program the new workbook marks as funded is not a decision any more.
"""

from __future__ import annotations

import pandas as pd

from planner.replan.previous import PreviousPlan
from planner.workbook.inputs import Inputs
from planner.workbook.quarters import parse_quarter

KEY = ["quarter", "action", "what", "where", "scenarios"]
COLUMNS = KEY + ["quantity_before", "quantity_after", "change", "plan_row"]
ORDER = {"fund ASIC program": 0, "pass programme gate": 1, "start build phase": 2, "order hardware": 3,
         "buy lease option": 4, "sign lease": 5, "exercise lease option": 6, "sell existing fleet": 7}


def _quantities(actions: pd.DataFrame, inp: Inputs) -> pd.DataFrame:
    df = actions.copy()
    df = df[df.quarter.map(lambda q: (parse_quarter(q) or 0) >= inp.settings.start).astype(bool)]
    df = df[~((df.action == "fund ASIC program") & df.what.map(lambda p: p in inp.programs and inp.programs[p].funded))]
    for column in ("what", "where", "scenarios"):
        df[column] = df[column].fillna("").astype(str)
    df["quantity"] = pd.to_numeric(df["quantity"])
    return df


def changes_table(previous: PreviousPlan, actions: pd.DataFrame, inp: Inputs) -> pd.DataFrame:
    """quarter, action, what, where, scenarios, quantity before and after, the kind of change
    (added, removed, more, fewer) and the Actions row of the previous plan."""
    before = _quantities(previous.actions, inp).groupby(KEY, sort=False).agg(
        quantity_before=("quantity", "sum"), plan_row=("row", "min"))
    after = _quantities(actions, inp).groupby(KEY, sort=False).agg(quantity_after=("quantity", "sum"))
    both = before.join(after, how="outer").fillna({"quantity_before": 0.0, "quantity_after": 0.0}).reset_index()
    both = both[(both.quantity_before - both.quantity_after).abs() > 1e-9].copy()
    both["change"] = [("added" if b == 0 else "removed" if a == 0 else "more" if a > b else "fewer")
                      for b, a in zip(both.quantity_before, both.quantity_after)]
    both["plan_row"] = pd.Series([None if r != r else int(r) for r in both["plan_row"]], index=both.index, dtype=object)
    both = both.sort_values(["quarter", "action", "what", "where", "scenarios"],
                            key=lambda c: c.map(ORDER) if c.name == "action" else c, kind="stable")
    return both[COLUMNS].reset_index(drop=True)
