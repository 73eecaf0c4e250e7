"""What a roll needs of a previous plan's Actions: every name it copies into the new workbook defined
in the input workbook (MODEL.md 9), checked before anything is written; each problem names PLAN's
file, Actions row, column and value."""

from __future__ import annotations

import pandas as pd

from planner.replan.previous import PreviousPlan
from planner.replan.sales import sold_batch
from planner.workbook.errors import Problem
from planner.workbook.inputs import Inputs
from planner.workbook.tree import ALL

#: action -> (column, the input's names it must be one of, the sheet that defines them)
_NEEDS = {
    "sign lease": [("what", "offers", "LeaseOffers")],
    "order hardware": [("what", "hardware", "Hardware"), ("where", "sites", "Sites")],
    "start build phase": [("where", "sites", "Sites")],
    "fund ASIC program": [("what", "programs", "AsicPrograms")],
    "sell existing fleet": [("what", "hardware", "Hardware"), ("where", "sites", "Sites")],
    "buy lease option": [("what", "options", "LeaseOptions")],
    "exercise lease option": [("what", "options", "LeaseOptions")],
    "pass programme gate": [("what", "programs", "AsicPrograms")],
}


def name_problems(inp: Inputs, plan: PreviousPlan, rows: pd.DataFrame) -> list[Problem]:
    """Problems of ``rows`` (Actions records of ``plan``): a lease offer, hardware, site or program the
    workbook does not define, a sale whose batch (hardware, site, last quarter) it has not, a scenario
    it has not."""
    sheet, problems = f"{plan.path.name} Actions", []
    for a in rows.itertuples():
        for column, attr, owner in _NEEDS.get(a.action, []):
            value = getattr(a, column)
            if value not in getattr(inp, attr):
                problems.append(Problem(sheet, int(a.row), column, value, f"not defined in the workbook's {owner}"))
        if a.action == "pass programme gate" and a.what in inp.programs \
                and str(a.where) not in {g.gate for g in inp.gates.get(a.what, ())}:
            problems.append(Problem(sheet, int(a.row), "where", a.where, f"is not a gate of {a.what} in the "
                                    "workbook's ProgramGates"))
        if a.action == "sell existing fleet" and a.what in inp.hardware and sold_batch(inp, a) is None:
            problems.append(Problem(sheet, int(a.row), "detail", a.detail, "names no batch of the workbook's "
                                    "ExistingFleet (that hardware, site and last quarter)"))
        for name in str(a.scenarios).split(","):
            name = name.strip()
            if name and name != ALL and name not in inp.scenarios:
                problems.append(Problem(sheet, int(a.row), "scenarios", name,
                                        "not defined in the workbook's Scenarios"))
    return problems
