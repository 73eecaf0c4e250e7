"""Which scenarios a roll keeps, and their links redrawn among themselves (MODEL.md 9 and 10).

Before QUARTER a branching plan may have taken different decisions in different scenarios;
``--scenario NAME`` says which happened, and the rolled workbook keeps the scenarios whose
decisions before QUARTER were NAME's. Their links are redrawn so that the kept scenarios share
exactly what they shared in the old tree: each one branches off the earlier kept scenario it
shares decisions with longest, at the first quarter they part (``start_quarter`` if they parted
before it: they share nothing from the new start; blank if they never part).
"""

from __future__ import annotations

import pandas as pd

from planner.replan.editor import SheetEditor
from planner.workbook.errors import InputError, Problem
from planner.workbook.inputs import Inputs
from planner.workbook.quarters import label
from planner.workbook.tree import scenarios_in


def kept_scenarios(inp: Inputs, before: pd.DataFrame, scenario: str | None) -> list[str]:
    """Scenarios whose decisions in ``before`` (the Actions rows before QUARTER) equal ``scenario``'s;
    all of them when every scenario took the same. ``scenario`` comes first in the list."""
    names = list(inp.scenarios)
    taken: dict[str, set] = {n: set() for n in names}
    for a in before.itertuples():
        for n in scenarios_in(a.scenarios, names):
            taken[n].add((a.quarter, a.action, str(a.what), str(a.where), float(a.quantity)))
    if scenario is not None and scenario not in taken:
        raise InputError([Problem("--scenario", None, None, scenario,
                                  "is not a scenario of the workbook: " + ", ".join(names))])
    if all(taken[n] == taken[names[0]] for n in names):
        return [scenario] + [n for n in names if n != scenario] if scenario else names
    if scenario is None:
        raise InputError([Problem("--scenario", None, None, None,
                                  "the plan's scenarios took different decisions before this quarter: say which "
                                  "branch happened with --scenario NAME (" + ", ".join(names) + ")")])
    return [scenario] + [n for n in names if n != scenario and taken[n] == taken[scenario]]


def redraw_scenarios(inp: Inputs, wb, keep: list[str], to: int) -> None:
    """Drop the scenarios not kept, scale the probabilities, redraw branch_of / branch_quarter."""
    sheet = SheetEditor.open(wb, "Scenarios")
    if sheet is None or not inp.has_scenario_sheet:
        return
    demand = SheetEditor.open(wb, "ScenarioDemand")
    if demand is not None:
        demand.delete_where(lambda r: str(demand.get(r, "scenario")).strip() not in keep)
    if len(keep) == len(inp.scenarios):
        return
    sheet.delete_where(lambda r: str(sheet.get(r, "scenario")).strip() not in keep)
    total = sum(inp.scenarios[n].probability for n in keep)
    tree, t_roll = inp.tree, to - inp.settings.start
    order = [n for n in inp.scenarios if n in keep]
    for r in sheet.rows():
        name = str(sheet.get(r, "scenario")).strip()
        sc = inp.scenarios[name]
        note = "kept by planner roll"
        sheet.set(r, "probability", sc.probability / total, f"was {sc.probability:g}; " + note)
        earlier = order[:order.index(name)]
        if not earlier:
            parent, quarter = None, None
        else:
            parent = max(earlier, key=lambda k: tree.split(name, k))  # first of the latest-parting ones
            split = tree.split(name, parent)
            quarter = None if split >= inp.n else label(inp.settings.start + max(split, t_roll))
        if parent != sc.branch_of or quarter != (None if sc.branch_quarter is None else
                                                 label(inp.settings.start + max(sc.branch_quarter, t_roll))):
            sheet.set(r, "branch_of", parent, note)
            sheet.set(r, "branch_quarter", quarter, note)
