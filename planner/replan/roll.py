"""``planner roll``: the workbook for planning again from a later quarter (MODEL.md section 9).

``start_quarter`` becomes QUARTER and every decision of the plan's Actions taken before QUARTER
becomes pipeline: a lease an ExistingLeases row, an order an ExistingFleet row (from its first
quarter in service for ``life`` quarters), phases a CommittedPhases row (and ``max_phases``
lowered), a funded program ``funded = yes``, a sale of the existing fleet fewer units of its batch
(and every resale value moved along its line to QUARTER: :mod:`planner.replan.sales`), option blocks
still held a LeaseOptions row at fee 0 and gates passed no longer decisions (:mod:`planner.replan.rights`). Demand and
ScenarioDemand rows and Budget years before QUARTER are dropped; the Budget of QUARTER's year is
lowered by the plan's cash capex of that year before QUARTER. With scenarios that branch before
QUARTER, ``scenario`` says which branch happened: the scenarios that took the same decisions before
QUARTER are kept, their probabilities scaled to sum to 1 and their links redrawn among themselves.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd

from planner.replan.editor import SheetEditor
from planner.replan.plan_names import name_problems
from planner.replan.previous import PreviousPlan
from planner.replan.rights import roll_gates, roll_options
from planner.replan.sales import SELL, roll_sales
from planner.replan.scenarios import kept_scenarios, redraw_scenarios
from planner.report.writer import as_new_file
from planner.workbook.errors import InputError, Problem
from planner.workbook.inputs import Inputs
from planner.workbook.quarters import label, parse_quarter
from planner.workbook.tree import scenarios_in
from planner.workbook.validate import load_inputs


def _note(plan: PreviousPlan, a) -> str:
    return f"from {plan.path.name} Actions row {a.row}: {a.action} {a.what} {a.quarter} (planner roll)"


def _pipeline_rows(inp: Inputs, plan: PreviousPlan, rolled: pd.DataFrame, wb) -> None:
    """Append the rolled leases, orders and phases; lower max_phases; mark funded programs."""
    start = inp.settings.start
    for a in rolled.itertuples():
        t = parse_quarter(a.quarter)
        k, note = int(a.quantity), _note(plan, a)
        if a.action == "sign lease":
            o = inp.offers[a.what]
            first = t + o.lead_time  # type: ignore[operator]
            SheetEditor.open(wb, "ExistingLeases", create=True).append(dict(  # type: ignore[union-attr]
                provider=o.provider, hardware=o.hardware, units=k * o.block_units,
                price_per_unit_quarter=o.price_per_unit_quarter, first_quarter=label(first),
                last_quarter=label(first + o.term - 1)), note)
        elif a.action == "order hardware":
            h = inp.hardware[a.what]
            first = t + h.lead_time  # type: ignore[operator]
            SheetEditor.open(wb, "ExistingFleet", create=True).append(dict(  # type: ignore[union-attr]
                hardware=h.name, site=a.where, units=k * h.order_block, first_quarter=label(first),
                last_quarter=label(first + h.life - 1)), note)
        elif a.action == "start build phase":
            s = inp.sites[a.where]
            SheetEditor.open(wb, "CommittedPhases", create=True).append(dict(  # type: ignore[union-attr]
                site=s.name, phases=k, online_quarter=label(t + s.lead_time)), note)  # type: ignore[operator]
            sites = SheetEditor.open(wb, "Sites")
            row = next(r for r in sites.rows() if str(sites.get(r, "site")).strip() == s.name)  # type: ignore[union-attr]
            left = int(sites.get(row, "max_phases") or 0) - k  # type: ignore[union-attr]
            sites.set(row, "max_phases", left, f"lowered by {k} started before {label(start)}: " + note)  # type: ignore[union-attr]
        elif a.action == "fund ASIC program":
            programs = SheetEditor.open(wb, "AsicPrograms")
            row = next(r for r in programs.rows() if str(programs.get(r, "program")).strip() == a.what)  # type: ignore[union-attr]
            programs.set(row, "funded", "yes", note)  # type: ignore[union-attr]


def _drop_the_past(inp: Inputs, wb, to: int, cash_before: float) -> None:
    """Demand, ScenarioDemand and Budget rows before ``to`` go; ``to``'s year's budget is lowered."""
    for name in ("Demand", "ScenarioDemand"):
        sheet = SheetEditor.open(wb, name)
        if sheet is not None:
            sheet.delete_where(lambda r, s=sheet: (parse_quarter(s.get(r, "quarter")) or to) < to)
    budget = SheetEditor.open(wb, "Budget")
    if budget is None:
        return
    budget.delete_where(lambda r: int(float(budget.get(r, "year"))) < to // 4)  # type: ignore[arg-type]
    for r in budget.rows():
        if int(float(budget.get(r, "year"))) == to // 4 and cash_before:  # type: ignore[arg-type]
            cap = float(budget.get(r, "capex_max"))  # type: ignore[arg-type]
            budget.set(r, "capex_max", cap - cash_before,
                       f"lowered by {cash_before:,.0f} of cash capex planned before {label(to)} (planner roll)")


def roll(input_path: Path, plan: PreviousPlan, to_label: str, out_path: Path, scenario: str | None = None) -> Path:
    """Write the rolled workbook to ``out_path`` (atomically, checked by the validator); InputError
    names what stops it."""
    inp = load_inputs(input_path)
    to = parse_quarter(to_label)
    if to is None or not inp.settings.start < to <= inp.settings.end:
        raise InputError([Problem("--to", None, None, to_label, f"must be a quarter after start_quarter "
                                  f"{label(inp.settings.start)} and not after end_quarter {label(inp.settings.end)}")])
    before = plan.actions[[parse_quarter(q) < to for q in plan.actions.quarter]]  # type: ignore[operator]
    problems = name_problems(inp, plan, before)
    if problems:
        raise InputError(problems)
    keep = kept_scenarios(inp, before, scenario)
    rolled = before[[keep[0] in scenarios_in(s, list(inp.scenarios)) for s in before.scenarios]]
    wb = openpyxl.load_workbook(input_path, data_only=True)
    settings = SheetEditor.open(wb, "Settings")
    row = next(r for r in settings.rows() if str(settings.get(r, "setting")).strip().lower() == "start_quarter")  # type: ignore[union-attr]
    settings.set(row, "value", label(to), f"was {label(inp.settings.start)} (planner roll)")  # type: ignore[union-attr]
    _pipeline_rows(inp, plan, rolled, wb)
    roll_sales(inp, rolled[rolled.action == SELL], wb, to, lambda a: _note(plan, a))
    roll_options(inp, rolled, wb, to, lambda a: _note(plan, a))
    roll_gates(inp, rolled, wb, to, lambda a: _note(plan, a))
    year_cash = rolled[[parse_quarter(q) // 4 == to // 4 for q in rolled.quarter]]  # type: ignore[operator]
    _drop_the_past(inp, wb, to, float(pd.to_numeric(year_cash.get("cash_capex_usd"), errors="coerce").fillna(0).sum())
                   if "cash_capex_usd" in rolled else 0.0)
    redraw_scenarios(inp, wb, keep, to)
    return _save_checked(wb, input_path, out_path)


def _save_checked(wb, input_path: Path, out_path: Path) -> Path:
    """Save next to ``out_path``, check it reads as a valid workbook, then rename it into place."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".roll-", suffix=".xlsx", dir=out_path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        wb.save(tmp)
        try:
            load_inputs(tmp)
        except InputError as err:
            raise InputError([Problem(str(input_path), None, None, None,
                                      "the rolled workbook would not be valid; fix these in the input first")]
                             + err.problems) from None
        os.replace(as_new_file(tmp), out_path)
    finally:
        tmp.unlink(missing_ok=True)
    return out_path

