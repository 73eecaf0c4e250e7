"""Sheet Settings: one row per setting (horizon, discount rate, solver and risk settings)."""

from __future__ import annotations

from planner.workbook.checks.cells import Checker, parse_cell
from planner.workbook.quarters import label
from planner.workbook.reader import REPORTED, RawTable, clean_text
from planner.workbook.schema import SETTINGS


def check_settings(table: RawTable | None, chk: Checker) -> dict[str, object]:
    by_name = {c.name: c for c in SETTINGS}
    values: dict[str, object] = {}
    rows: dict[str, int] = {}
    for row, raw in table.rows if table else ():
        name = raw.get("setting")
        if name is REPORTED:
            continue
        if name is None:
            chk.add("Settings", row, "setting", None, "required value is missing")
            continue
        key = clean_text(str(name)).lower()
        col = by_name.get(key)
        if col is None:
            chk.add("Settings", row, "setting", name,
                    "unknown setting; known settings are " + ", ".join(by_name))
            continue
        if key in rows:
            chk.add("Settings", row, "setting", name, f"duplicate; first defined in row {rows[key]}")
            continue
        rows[key] = row
        value = raw.get("value")
        if value is REPORTED:
            continue
        if value is None:
            if col.required:
                chk.add("Settings", row, "value", None, f"{key} needs a value")
            continue
        parsed, message = parse_cell(col, value)
        if message:
            chk.add("Settings", row, "value", value, f"{key}: {message}")
        else:
            values[key] = parsed
    for col in SETTINGS:
        if col.name not in values and col.name not in rows:
            if col.required:
                chk.add("Settings", None, "setting", col.name, "required setting is missing")
            else:
                values[col.name] = col.default
    start, end = values.get("start_quarter"), values.get("end_quarter")
    if isinstance(start, int) and isinstance(end, int) and end < start:
        chk.add("Settings", rows.get("end_quarter"), "value", label(end),
                f"end_quarter is before start_quarter {label(start)}")
    alpha = values.get("cvar_alpha")
    if isinstance(alpha, float) and alpha >= 1.0:
        chk.add("Settings", rows.get("cvar_alpha"), "value", alpha, "cvar_alpha must be below 1")
    return values
