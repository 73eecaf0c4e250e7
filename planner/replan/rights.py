"""Section 12's decisions in re-planning (MODEL.md 9 and 12): lease options and program gates.

A roll to QUARTER turns
* the option blocks bought before QUARTER and not exercised before it into a LeaseOptions row
  ``<option> (held)``: fee 0, ``max_blocks`` the blocks still held, bought in QUARTER (so the new plan holds
  them at no cost) and exercisable in the option's window; the option's own row keeps its fee, and its
  ``max_blocks`` is lowered by the blocks bought. Rolling a held row again updates it in place;
* the blocks exercised before QUARTER into ExistingLeases rows, like signed leases;
* the gates passed before QUARTER into gates no longer decided (their rows go; the program is funded, so
  its later gates stay decisions); a gate before QUARTER that a funded program did not pass stopped it:
  its hardware gets ``max_order_per_quarter`` 0 and its later gates go; the gates before QUARTER of a
  program never funded go too (there is nothing left to decide in them).
Every changed cell or new row carries a comment naming the plan's Actions row.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from planner.model.timing import exercise_quarters, reserve_quarters
from planner.replan.editor import SheetEditor
from planner.report.rights import BUY, EXERCISE, GATE
from planner.workbook.inputs import Inputs
from planner.workbook.quarters import label, parse_quarter

HELD = " (held)"


def roll_options(inp: Inputs, rolled: pd.DataFrame, wb, to: int, note) -> None:
    """Held blocks into ``<option> (held)`` rows, exercised blocks into ExistingLeases, ``max_blocks`` lowered."""
    sheet = SheetEditor.open(wb, "LeaseOptions")
    if sheet is None:
        return
    held: dict[str, float] = defaultdict(float)  # option without " (held)" -> blocks held at ``to``
    bought: dict[str, float] = defaultdict(float)
    notes: dict[str, list[str]] = defaultdict(list)
    for x in inp.options.values():  # a held row's blocks are held whether or not the plan "bought" them
        if x.name.endswith(HELD):
            held[x.name.removesuffix(HELD)] += x.max_blocks or 0
    for a in rolled[rolled.action.isin([BUY, EXERCISE])].itertuples():
        x = inp.options[str(a.what)]
        base, k = x.name.removesuffix(HELD), int(a.quantity)
        notes[base].append(note(a))
        if a.action == BUY:
            if not x.name.endswith(HELD):
                bought[x.name] += k
                held[base] += k
            continue
        held[base] -= k
        o, t = inp.offers[x.offer], parse_quarter(a.quarter)
        first = t + o.lead_time  # type: ignore[operator]
        SheetEditor.open(wb, "ExistingLeases", create=True).append(dict(  # type: ignore[union-attr]
            provider=o.provider, hardware=o.hardware, units=k * o.block_units,
            price_per_unit_quarter=o.price_per_unit_quarter, first_quarter=label(first),
            last_quarter=label(first + o.term - 1)), note(a))
    rows = {str(sheet.get(r, "option")).strip(): r for r in sheet.rows()}
    for name, k in bought.items():
        x = inp.options[name]
        if x.max_blocks is not None:
            sheet.set(rows[name], "max_blocks", max(0, x.max_blocks - int(k)),
                      f"lowered by {k:g} blocks bought before {label(to)}: " + "; ".join(notes[name]))
    sheet.delete_where(lambda r: str(sheet.get(r, "option")).strip().endswith(HELD))
    for base, k in held.items():
        x = inp.options.get(base) or inp.options[base + HELD]
        last = inp.settings.start + x.exercise_last
        if k > 0 and last >= to:
            first = max(to, inp.settings.start + x.exercise_first)
            sheet.append(dict(option=base + HELD, offer=x.offer, fee_per_block=0, buy_first=label(to),
                              buy_last=label(to), exercise_first=label(first), exercise_last=label(last),
                              max_blocks=int(k)),
                         f"{k:g} blocks of option {base} held at {label(to)}, fee already paid: "
                         + "; ".join(notes[base]))


def roll_gates(inp: Inputs, rolled: pd.DataFrame, wb, to: int, note) -> None:
    """Gates before ``to`` are no longer decisions: passed ones go; a funded program stopped at one stops
    ordering (``max_order_per_quarter`` 0) and its later gates go too."""
    sheet = SheetEditor.open(wb, "ProgramGates")
    if sheet is None:
        return
    funded = {p for p, prog in inp.programs.items() if prog.funded}
    funded |= set(rolled[rolled.action == "fund ASIC program"].what.astype(str))
    passed = {(str(a.what), str(a.where)): note(a) for a in rolled[rolled.action == GATE].itertuples()}
    stopped: set[str] = set()
    for p, gates in inp.gates.items():
        for g in gates:
            if inp.settings.start + g.quarter < to and p in funded and (p, g.gate) not in passed:
                stopped.add(p)
    drop = {(g.program, g.gate) for gates in inp.gates.values() for g in gates
            if inp.settings.start + g.quarter < to or g.program in stopped}
    sheet.delete_where(lambda r: (str(sheet.get(r, "program")).strip(), str(sheet.get(r, "gate")).strip()) in drop)
    hardware = SheetEditor.open(wb, "Hardware")
    for r in hardware.rows():  # type: ignore[union-attr]
        program = hardware.get(r, "program")  # type: ignore[union-attr]
        if program is not None and str(program).strip() in stopped:
            hardware.set(r, "max_order_per_quarter", 0,  # type: ignore[union-attr]
                         f"program {program} stopped at a gate before {label(to)} (planner roll)")


def kept_base(inp: Inputs, a, t: int) -> tuple[tuple | None, str, object, str]:
    """The decision key (without class) of a kept option or gate row of Actions, or None with the column,
    value and reason the new workbook cannot take it (``--keep-through``)."""
    what = str(a.what)
    if a.action == GATE:
        gate = inp.gate(what, str(a.where))
        if gate is None:
            return None, "where", a.where, f"is not a gate of {what} in the workbook's ProgramGates"
        if gate.quarter != t:
            return None, "quarter", a.quarter, f"gate {gate.gate} of {what} is decided in " \
                                               f"{inp.quarter_label(gate.quarter)} in the workbook"
        return ("go", what, gate.gate, t), "", None, ""
    x = inp.options.get(what)
    if x is None:
        return None, "what", what, "option is not in the workbook's LeaseOptions"
    window = reserve_quarters(inp, x) if a.action == BUY else exercise_quarters(inp, x)
    if t not in window:
        return None, "quarter", a.quarter, f"option {what} cannot be {'bought' if a.action == BUY else 'exercised'} " \
                                           "then (its window, and an exercised lease must start inside the horizon)"
    return ("reserve" if a.action == BUY else "exercise", what, t), "", None, ""
