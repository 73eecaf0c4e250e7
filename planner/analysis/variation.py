"""What-if variations of typed inputs, for sweeps (MODEL.md section 8).

A variation ``SHEET.COLUMN=V1,V2,...`` changes every number in one column:

* ``0.8,1,1.2``: multipliers (numbers and fractions; an integer column only if
  the product is a whole number, e.g. ``Sites.max_phases=0.5,1,2`` on even counts);
* ``+0,+2,-1``: offsets, added (integer columns such as ``lead_time``, ``term`` or
  ``slip_quarters``, quarter columns such as ``available_from`` or ``first_sign``,
  and numbers);
* ``Demand.*`` / ``Throughput.*``: every workload column; ``Demand.training``: one.
* ``Settings.discount_rate`` and the other numeric settings.
* MODEL.md 11's columns: ``ExistingFleet.resale_value``, ``OnDemand.price_per_unit_quarter``,
  ``OnDemand.max_units`` (a blank stays blank: not for sale, no limit) and the OnDemand quarters.
* MODEL.md 12's columns: every LeaseOptions number and quarter (``fee_per_block``, ``max_blocks``, the
  windows), and ``ProgramGates.cost`` and ``ProgramGates.quarter`` (a gate moved outside the horizon, or
  onto another gate of its program, fails that case).

The workbook is read and validated once; variations are applied to the typed
inputs, and each varied value is checked against the schema (a fraction above
1 or a negative amount makes that case fail with a message, not the sweep).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace

from planner.workbook.inputs import Inputs
from planner.workbook.schema import SETTINGS, SHEET_BY_NAME, Column

#: Inputs field holding each sheet's records, and each record's key column.
_RECORDS = {"workloads": "workloads", "hardware": "hardware", "sites": "sites", "providers": "providers",
            "leaseoffers": "offers", "asicprograms": "programs", "existingfleet": "fleet",
            "existingleases": "existing_leases", "committedphases": "committed", "ondemand": "ondemand",
            "leaseoptions": "options"}


class VariationError(ValueError):
    """A --vary that cannot be read or applied."""


@dataclass(frozen=True)
class Variation:
    """One --vary: sheet, column (``*`` for every workload) and its values."""

    sheet: str
    column: str
    values: tuple[str, ...]  # as typed: "1.2" (multiplier) or "+2" (offset)

    @property
    def label(self) -> str:
        return f"{self.sheet}.{self.column}"

    @property
    def is_offset(self) -> bool:
        """True when the values are offsets (+k), False for multipliers."""
        return self.values[0].startswith(("+", "-"))


def parse_vary(text: str) -> Variation:
    """``SHEET.COLUMN=V1,V2,...`` -> Variation (sheet and column checked against the schema)."""
    if "=" not in text or "." not in text.split("=", 1)[0]:
        raise VariationError(f"--vary {text!r}: expected SHEET.COLUMN=V1,V2,...")
    target, values = text.split("=", 1)
    sheet_name, column = (part.strip() for part in target.split(".", 1))
    sheet = SHEET_BY_NAME.get(sheet_name.lower())
    if sheet is None:
        raise VariationError(f"--vary {text!r}: unknown sheet {sheet_name!r}")
    items = tuple(v.strip() for v in values.split(",") if v.strip())
    if not items:
        raise VariationError(f"--vary {text!r}: no values")
    if len({v.startswith(("+", "-")) for v in items}) > 1:
        raise VariationError(f"--vary {text!r}: use all multipliers (0.9,1.1) or all offsets (+0,+2), not both")
    for v in items:
        try:
            float(v)
        except ValueError:
            raise VariationError(f"--vary {text!r}: {v!r} is not a number (a multiplier, or +k for an offset)") \
                from None
    if sheet.name == "Settings":
        if column not in {c.name for c in SETTINGS if c.kind in ("number", "fraction")}:
            raise VariationError(f"--vary {text!r}: Settings.{column} is not a numeric setting")
    elif sheet.workload_columns is not None and column not in {c.name for c in sheet.columns}:
        pass  # a workload column (or *), checked when applied
    elif column not in {c.name for c in sheet.columns} or sheet.column(column).kind in ("name", "choice", "text"):
        raise VariationError(f"--vary {text!r}: {sheet.name} has no numeric column {column!r}")
    return Variation(sheet.name, column, items)


def _new_value(col: Column, old: object, value: str, where: str) -> object:
    if old is None:
        return None  # a blank (e.g. no limit) stays blank
    offset = value.startswith(("+", "-"))
    x = float(value)
    if col.kind == "quarter":
        if not offset or not x.is_integer():
            raise VariationError(f"{where}: a quarter column takes whole offsets like +2, not {value!r}")
        return int(old) + int(x)
    new = float(old) + x if offset else float(old) * x
    if col.kind == "integer":
        if abs(new - round(new)) > 1e-9:
            raise VariationError(f"{where}: {old} -> {new:g} is not a whole number")
        new = int(round(new))
    if col.kind == "fraction" and not 0.0 <= new <= 1.0:
        raise VariationError(f"{where}: {old} -> {new:g} is outside 0..1")
    if new < col.minimum:
        raise VariationError(f"{where}: {old} -> {new:g} is below {col.minimum:g}")
    return new


def apply(inp: Inputs, variation: Variation, value: str) -> Inputs:
    """``inp`` with one variation applied at one of its values (raises VariationError)."""
    where = f"{variation.label}={value}"
    sheet = SHEET_BY_NAME[variation.sheet.lower()]
    if sheet.name == "Settings":
        col = next(c for c in SETTINGS if c.name == variation.column)
        field = {"discount_rate": "discount_rate", "hours_per_quarter": "hours_per_quarter",
                 "mip_gap": "mip_gap", "time_limit_s": "time_limit_s", "risk_aversion": "risk_aversion",
                 "cvar_alpha": "cvar_alpha"}[col.name]
        return replace(inp, settings=replace(inp.settings, **{field: _new_value(
            col, getattr(inp.settings, field), value, where)}))
    if sheet.workload_columns is not None and variation.column not in {c.name for c in sheet.columns}:
        workloads = list(inp.workloads) if variation.column == "*" else [variation.column]
        unknown = [w for w in workloads if w not in inp.workloads]
        if unknown:
            raise VariationError(f"{where}: {unknown[0]!r} is not a workload")
        col = sheet.workload_columns
        if sheet.name == "Demand":
            demand = {k: (_new_value(col, v, value, where) if k[0] in workloads else v) for k, v in inp.demand.items()}
            return replace(inp, demand=demand)
        if sheet.name == "Throughput":
            thr = {k: (_new_value(col, v, value, where) if k[1] in workloads else v)
                   for k, v in inp.throughput.items()}
            return replace(inp, throughput=thr)
        if sheet.name == "ScenarioDemand":
            du = {k: (_new_value(col, v, value, where) if k[1] in workloads else v)
                  for k, v in inp.scenario_demand_du.items()}
            return replace(inp, scenario_demand_du=du)
        scenarios = {n: replace(s, multipliers={w: (_new_value(col, s.multiplier(w), value, where)
                                                    if w in workloads else s.multiplier(w)) for w in inp.workloads})
                     for n, s in inp.scenarios.items()}
        return replace(inp, scenarios=scenarios)
    col = sheet.column(variation.column)
    if sheet.name == "Budget":
        return replace(inp, budget={y: _new_value(col, v, value, where) for y, v in inp.budget.items()})
    if sheet.name == "Scenarios":
        scenarios = {n: replace(s, **{_scenario_field(col.name): _new_value(
            col, getattr(s, _scenario_field(col.name)), value, where)}) for n, s in inp.scenarios.items()}
        return replace(inp, scenarios=scenarios)
    if sheet.name == "ProgramGates":
        return replace(inp, gates={p: _varied_gates(inp, gates, col, value, where) for p, gates in inp.gates.items()})
    attr = _RECORDS[sheet.name.lower()]
    records = getattr(inp, attr)
    items = list(records.values()) if isinstance(records, dict) else list(records)
    if items and col.name not in {f.name for f in fields(items[0])}:
        raise VariationError(f"{where}: cannot vary {col.name}")

    def vary(rec):  # quarter columns hold horizon indices, so offsets add to them directly
        return replace(rec, **{col.name: _new_value(col, getattr(rec, col.name), value, where)})

    if isinstance(records, dict):
        return replace(inp, **{attr: {k: vary(r) for k, r in records.items()}})
    return replace(inp, **{attr: tuple(vary(r) for r in records)})


def _varied_gates(inp: Inputs, gates: tuple, col: Column, value: str, where: str) -> tuple:
    """A program's gates with ``col`` varied, in the order of their quarters; each quarter inside the horizon
    and one gate per quarter."""
    out = tuple(sorted((replace(g, **{col.name: _new_value(col, getattr(g, col.name), value, where)}) for g in gates),
                       key=lambda g: g.quarter))
    quarters = [g.quarter for g in out]
    if any(not 0 <= q < inp.n for q in quarters) or len(set(quarters)) < len(quarters):
        raise VariationError(f"{where}: moves a gate of {out[0].program} outside the horizon or onto another")
    return out


def _scenario_field(column: str) -> str:
    return {"probability": "probability", "asic_slip_quarters": "asic_slip", "build_slip_quarters": "build_slip",
            "delivery_slip_quarters": "delivery_slip", "lease_slip_quarters": "lease_slip"}[column]


def grid(variations: list[Variation]) -> list[tuple[str, ...]]:
    """Every combination of the variations' values, in order (the full grid)."""
    combos: list[tuple[str, ...]] = [()]
    for v in variations:
        combos = [c + (x,) for c in combos for x in v.values]
    return combos


def is_identity(value: str) -> bool:
    """True for the value that leaves a column unchanged (1 or +0)."""
    return (value.startswith(("+", "-")) and float(value) == 0.0) or (
        not value.startswith(("+", "-")) and math.isclose(float(value), 1.0))
