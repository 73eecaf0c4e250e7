"""Sheet ProgramGates (optional): the gates of an ASIC program after funding (MODEL.md 12)."""

from __future__ import annotations

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker, Row
from planner.workbook.quarters import label

SHEET = "ProgramGates"


def check_gates(records: list[Row], program_names: set[str], horizon_ok: bool,
                chk: Checker) -> dict[str, tuple[I.ProgramGate, ...]]:
    """Gates per program in the order of their quarters: a known program, a quarter inside the horizon, at
    most one gate of a program per quarter and per name. ``cost`` >= 0 comes from the schema."""
    gates: dict[str, list[I.ProgramGate]] = {}
    seen: dict[tuple[object, ...], int] = {}
    for row, r in records:
        ok = chk.ref(SHEET, row, "program", r["program"], program_names, "AsicPrograms")
        quarter = r["quarter"]
        if isinstance(quarter, int) and horizon_ok and not chk.start <= quarter <= chk.end:
            chk.add(SHEET, row, "quarter", label(quarter),
                    f"is outside the horizon {label(chk.start)}..{label(chk.end)}")
            ok = False
        for column, shown in (("quarter", label(quarter) if isinstance(quarter, int) else None), ("gate", r["gate"])):
            key = (r["program"], column, r[column])
            if ok and r[column] is not None and key in seen:
                what = "in this quarter" if column == "quarter" else "with this name"
                chk.add(SHEET, row, column, shown, f"a second gate of program {r['program']} {what}; "
                        f"first defined in row {seen[key]}")
                ok = False
            seen.setdefault(key, row)
        if ok and chk.good(SHEET, row):
            gates.setdefault(r["program"], []).append(
                I.ProgramGate(r["program"], r["gate"], chk.idx(quarter), r["cost"], row))
    return {p: tuple(sorted(g, key=lambda gate: gate.quarter)) for p, g in gates.items()}
