"""Give the raw tables meaning: typed, checked :class:`~planner.inputs.Inputs`.

Every problem of the workbook is collected (sheet, Excel row, column, value)
and raised together in one :class:`~planner.errors.InputError`; no model is
built from a workbook with problems.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

from planner import inputs as I
from planner.errors import InputError, Problem
from planner.quarters import label, parse_quarter
from planner.reader import REPORTED, RawTable, clean_text, read_workbook
from planner.schema import END, SETTINGS, START, Column, Sheet

log = logging.getLogger(__name__)

Row = tuple[int, dict[str, object]]


def _number(value: object) -> float | None:
    """A real number from a numeric cell or numeric text, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        text = clean_text(value).replace(",", "")
        percent = text.endswith("%")
        try:
            number = float(text[:-1] if percent else text)
        except ValueError:
            return None
        if not math.isfinite(number):
            return None
        return number / 100.0 if percent else number
    return None


def parse_cell(col: Column, value: object) -> tuple[object, str | None]:
    """Parse one non-empty cell by its column kind: (value, problem or None)."""
    kind = col.kind
    if kind in ("name", "text"):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, (int, float, str)) and not isinstance(value, bool):
            return clean_text(str(value)), None
        return None, "expected text"
    if kind == "choice":
        text = clean_text(str(value)).lower()
        if text in col.choices:
            return text, None
        return None, "expected one of " + ", ".join(col.choices)
    if kind == "quarter":
        q = parse_quarter(value)
        if q is None:
            return None, "expected a quarter like 2026Q3 or an Excel date"
        return q, None
    number = _number(value)
    if kind == "year":
        if number is None or not number.is_integer() or not 1900 <= number <= 9999:
            return None, "expected a calendar year like 2027"
        return int(number), None
    if number is None:
        return None, "expected a number"
    if kind == "fraction":
        if not 0.0 <= number <= 1.0:
            return None, "expected a fraction between 0 and 1"
        return number, None
    if number < col.minimum:
        return None, f"must be at least {col.minimum:g}"
    if kind == "integer":
        if not number.is_integer():
            return None, "expected a whole number"
        return int(number), None
    return number, None


class _Checker:
    """Collects problems while turning raw rows into typed records."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        self.start = 0
        self.end = 0
        self.bad: set[tuple[str, int | None]] = {(p.sheet, p.row) for p in problems}

    def add(self, sheet: str, row: int | None, column: str | None, value: object, message: str) -> None:
        self.problems.append(Problem(sheet, row, column, value, message))
        self.bad.add((sheet, row))

    def good(self, sheet: str, row: int) -> bool:
        """True when no problem was found in this row (its record can be built)."""
        return (sheet, row) not in self.bad

    def cell(self, sheet: Sheet, row: int, col: Column, record: dict[str, object]) -> object:
        """Typed value of one cell with the column's default; problems recorded."""
        value = record.get(col.name)
        if value is REPORTED:
            return None
        if value is None:
            if col.required:
                self.add(sheet.name, row, col.name, None, "required value is missing")
                return None
            default = col.default
            if default == START:
                return self.start
            if default == END:
                return self.end
            return default
        parsed, message = parse_cell(col, value)
        if message:
            self.add(sheet.name, row, col.name, value, message)
        return parsed

    def records(self, table: RawTable | None) -> list[tuple[int, dict[str, object]]]:
        """Typed records of a fixed-column sheet (rows with a problem are kept, values None)."""
        if table is None:
            return []
        out = []
        for row, raw in table.rows:
            typed = {c.name: self.cell(table.sheet, row, c, raw) for c in table.sheet.columns}
            out.append((row, typed))
        return out

    def unique(self, sheet: str, records: list[tuple[int, dict]], key: str) -> list[tuple[int, dict]]:
        """Records whose key is present and not a repeat of an earlier row."""
        seen: dict[object, int] = {}
        out = []
        for row, rec in records:
            k = rec.get(key)
            if k is None:
                continue
            if k in seen:
                shown = label(k) if key == "quarter" else k
                self.add(sheet, row, key, shown, f"duplicate; first defined in row {seen[k]}")
                continue
            seen[k] = row
            out.append((row, rec))
        return out

    def ref(self, sheet: str, row: int, column: str, name: object, known: dict | set, owner: str) -> bool:
        """True when ``name`` is defined in ``owner``; records a problem otherwise."""
        if name is None:
            return False
        if name in known:
            return True
        self.add(sheet, row, column, name, f"not defined in sheet {owner}")
        return False

    def idx(self, absolute: int) -> int:
        """Horizon index of an absolute quarter."""
        return absolute - self.start


def _settings(table: RawTable | None, chk: _Checker) -> dict[str, object]:
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


def _scenarios(table: RawTable | None, workloads: dict[str, I.Workload], chk: _Checker) -> dict[str, I.Scenario]:
    """Scenarios of the optional sheet (probabilities must sum to 1)."""
    if table is None or not table.rows or not workloads:
        return {}
    sheet = table.sheet
    _, rows = _workload_table(table, workloads, chk, sheet.column("scenario"))
    out: dict[str, I.Scenario] = {}
    for row, name, multipliers, raw in rows:
        probability = chk.cell(sheet, row, sheet.column("probability"), raw)
        slip = chk.cell(sheet, row, sheet.column("asic_slip_quarters"), raw)
        if name is None:
            continue
        if name in out:
            chk.add(sheet.name, row, "scenario", name, f"duplicate; first defined in row {out[name].row}")
            continue
        if probability is not None and slip is not None:
            out[name] = I.Scenario(name, probability, multipliers, slip, row)  # type: ignore[arg-type]
    total = sum(sc.probability for sc in out.values())
    if out and abs(total - 1.0) > 1e-6:
        chk.add(sheet.name, None, "probability", round(total, 9), "probabilities must sum to 1")
    return out


def _workload_table(table: RawTable, workloads: dict[str, I.Workload], chk: _Checker,
                    key_col: Column) -> tuple[list[str], list[tuple[int, object, dict[str, float], dict]]]:
    """Rows of a sheet with one column per workload: (row, key, {workload: value}, raw record)."""
    sheet = table.sheet
    assert sheet.workload_columns is not None
    fixed = {c.name for c in sheet.columns}
    column_of: dict[str, str] = {}
    for name in table.columns:
        if name in fixed:
            continue
        match = name if name in workloads else next(
            (w for w in workloads if w.lower() == name.lower()), None)
        if match is None:
            chk.add(sheet.name, 1, name, None, "unknown column: not a workload of sheet Workloads")
        else:
            column_of[name] = match
    present = set(column_of.values())
    for w in workloads:
        if w not in present and sheet.every_workload:
            chk.add(sheet.name, 1, w, None, f"workload '{w}' has no column")
    spec = sheet.workload_columns
    out = []
    for row, raw in table.rows:
        key = chk.cell(sheet, row, key_col, raw)
        values: dict[str, float] = {}
        for name, w in column_of.items():
            col = Column(name, spec.kind, spec.unit, spec.description, spec.required, spec.default)
            v = chk.cell(sheet, row, col, raw)
            if v is not None:
                values[w] = float(v)  # type: ignore[arg-type]
        out.append((row, key, values, raw))
    return list(column_of.values()), out


def validate(tables: dict[str, RawTable], problems: list[Problem]) -> I.Inputs:
    """Typed inputs from raw tables; raises InputError with every problem found."""
    chk = _Checker(problems)
    s = _settings(tables.get("settings"), chk)
    horizon_ok = (isinstance(s.get("start_quarter"), int) and isinstance(s.get("end_quarter"), int)
                  and s["end_quarter"] >= s["start_quarter"])  # a reversed horizon is reported once, above
    if horizon_ok:
        chk.start, chk.end = s["start_quarter"], s["end_quarter"]  # type: ignore[assignment]
    n = chk.end - chk.start + 1

    recs = {name: chk.records(tables.get(name.lower())) for name in (
        "Workloads", "Hardware", "Sites", "Providers", "LeaseOffers", "AsicPrograms",
        "ExistingFleet", "ExistingLeases", "Budget")}

    workloads = {
        r["workload"]: I.Workload(r["workload"], r["reserve_margin"] or 0.0,
                                  r["unmet_penalty"] or 0.0, r["asic_share_max"] or 0.0, row)
        for row, r in chk.unique("Workloads", recs["Workloads"], "workload")}
    if tables.get("workloads") is not None and not workloads:
        chk.add("Workloads", None, None, None, "no workload is defined")

    programs = {
        r["program"]: I.AsicProgram(r["program"], r["nre_cost"] or 0.0, r["slip_quarters"] or 0,
                                    r["delivery_confidence"] if r["delivery_confidence"] is not None else 1.0, row)
        for row, r in chk.unique("AsicPrograms", recs["AsicPrograms"], "program")}

    hardware: dict[str, I.Hardware] = {}
    for row, r in chk.unique("Hardware", recs["Hardware"], "hardware"):
        if r["program"] is not None:
            chk.ref("Hardware", row, "program", r["program"], programs, "AsicPrograms")
        if not chk.good("Hardware", row):
            continue
        hardware[r["hardware"]] = I.Hardware(
            r["hardware"], r["kind"], r["power_kw"] or 0.0, r["unit_capex"] or 0.0, r["life"],
            r["lead_time"], chk.idx(r["available_from"]), r["order_block"],
            r["max_order_per_quarter"], r["program"], row)
    hardware_names = {r["hardware"] for _, r in recs["Hardware"] if r["hardware"]}

    sites: dict[str, I.Site] = {}
    for row, r in chk.unique("Sites", recs["Sites"], "site"):
        if not chk.good("Sites", row):
            continue
        sites[r["site"]] = I.Site(
            r["site"], r["existing_mw"], r["phase_mw"], r["max_phases"], r["capex_per_phase"],
            r["facility_life"], r["lead_time"], chk.idx(r["earliest_start"]),
            r["opex_per_mw_quarter"], r["pue"], r["power_price"], row)
    site_names = {r["site"] for _, r in recs["Sites"] if r["site"]}

    providers = {r["provider"]: I.Provider(r["provider"], r["max_share"] if r["max_share"] is not None else 1.0, row)
                 for row, r in chk.unique("Providers", recs["Providers"], "provider")}

    offers: dict[str, I.LeaseOffer] = {}
    for row, r in chk.unique("LeaseOffers", recs["LeaseOffers"], "offer"):
        ok = chk.ref("LeaseOffers", row, "provider", r["provider"], providers, "Providers")
        ok &= chk.ref("LeaseOffers", row, "hardware", r["hardware"], hardware_names, "Hardware")
        hw = hardware.get(r["hardware"])
        if hw is not None and hw.program:
            chk.add("LeaseOffers", row, "hardware", r["hardware"],
                    f"belongs to ASIC program {hw.program}; programs are in-house and cannot be leased")
            ok = False
        fs, ls = r["first_sign"], r["last_sign"]
        if fs is not None and ls is not None and fs > ls:
            chk.add("LeaseOffers", row, "first_sign", label(fs), f"is after last_sign {label(ls)}")
            ok = False
        if not ok or not chk.good("LeaseOffers", row):
            continue
        offers[r["offer"]] = I.LeaseOffer(
            r["offer"], r["provider"], r["hardware"], r["block_units"], r["price_per_unit_quarter"],
            r["term"], r["lead_time"], chk.idx(fs), chk.idx(ls), r["max_blocks_per_quarter"], row)

    fleet: list[I.FleetBatch] = []
    for row, r in recs["ExistingFleet"]:
        ok = chk.ref("ExistingFleet", row, "hardware", r["hardware"], hardware_names, "Hardware")
        ok &= chk.ref("ExistingFleet", row, "site", r["site"], site_names, "Sites")
        if ok and chk.good("ExistingFleet", row):
            fleet.append(I.FleetBatch(r["hardware"], r["site"], r["units"],
                                      chk.idx(r["last_quarter"]), row))

    existing: list[I.ExistingLease] = []
    for row, r in recs["ExistingLeases"]:
        ok = chk.ref("ExistingLeases", row, "provider", r["provider"], providers, "Providers")
        ok &= chk.ref("ExistingLeases", row, "hardware", r["hardware"], hardware_names, "Hardware")
        fq, lq = r["first_quarter"], r["last_quarter"]
        if fq is not None and lq is not None and fq > lq:
            chk.add("ExistingLeases", row, "first_quarter", label(fq), f"is after last_quarter {label(lq)}")
            ok = False
        if ok and chk.good("ExistingLeases", row):
            existing.append(I.ExistingLease(
                f"ExistingLeases row {row}", r["provider"], r["hardware"], r["units"],
                r["price_per_unit_quarter"], chk.idx(fq), chk.idx(lq), row))

    budget = {r["year"]: r["capex_max"]
              for _, r in chk.unique("Budget", recs["Budget"], "year") if r["capex_max"] is not None}

    demand: dict[tuple[str, int], float] = {}
    throughput: dict[tuple[str, str], float] = {}
    if "demand" in tables and workloads:
        table = tables["demand"]
        _, rows = _workload_table(table, workloads, chk, table.sheet.column("quarter"))
        seen: dict[int, int] = {}
        for row, quarter, values, _raw in rows:
            if quarter is None:
                continue
            if quarter in seen:
                chk.add("Demand", row, "quarter", label(quarter), f"duplicate; first defined in row {seen[quarter]}")
                continue
            seen[quarter] = row
            if horizon_ok and not chk.start <= quarter <= chk.end:
                log.warning("Demand row %d: quarter %s is outside the horizon and is ignored", row, label(quarter))
                continue
            for w, v in values.items():
                demand[(w, chk.idx(quarter))] = v
        if horizon_ok:
            missing = [label(chk.start + q) for q in range(n) if chk.start + q not in seen]
            if missing:
                chk.add("Demand", None, "quarter", ", ".join(missing), "horizon quarters without a Demand row")
    if "throughput" in tables and workloads:
        table = tables["throughput"]
        _, rows = _workload_table(table, workloads, chk, table.sheet.column("hardware"))
        seen_h: dict[str, int] = {}
        for row, h, values, _raw in rows:
            if not chk.ref("Throughput", row, "hardware", h, hardware_names, "Hardware"):
                continue
            if h in seen_h:
                chk.add("Throughput", row, "hardware", h, f"duplicate; first defined in row {seen_h[h]}")
                continue
            seen_h[h] = row  # type: ignore[index]
            for w, v in values.items():
                throughput[(h, w)] = v  # type: ignore[index]
        for h, hw in hardware.items():
            if h not in seen_h:
                chk.add("Hardware", hw.row, "hardware", h, "has no row in sheet Throughput")

    # Existing fleet must fit in existing power at q = 0.
    for site in sites.values():
        batches = [b for b in fleet if b.site == site.name and b.last_quarter >= 0 and b.hardware in hardware]
        kw = sum(b.units * hardware[b.hardware].power_kw for b in batches)
        if batches and kw > 1000.0 * site.existing_mw * (1 + 1e-9) + 1e-9:
            last = batches[-1]
            chk.add("ExistingFleet", last.row, "units", last.units,
                    f"existing fleet at {site.name} needs {kw / 1000:.3f} MW, more than its "
                    f"existing_mw {site.existing_mw:g}")

    scenarios = _scenarios(tables.get("scenarios"), workloads, chk)

    if problems:
        raise InputError(problems)
    settings = I.Settings(chk.start, chk.end, s["discount_rate"], s["hours_per_quarter"],  # type: ignore[arg-type]
                          s["mip_gap"], s["time_limit_s"], s["risk_aversion"], s["cvar_alpha"],  # type: ignore[arg-type]
                          s["solver_workers"], s["solver_mode"])  # type: ignore[arg-type]
    extra = {"scenarios": scenarios, "has_scenario_sheet": True} if scenarios else {}
    return I.Inputs(settings, workloads, demand, hardware, throughput, sites, providers, offers,
                    programs, tuple(fleet), tuple(existing), budget, **extra)


def load_inputs(path: Path) -> I.Inputs:
    """Read and validate a workbook; raises InputError with every problem found."""
    problems: list[Problem] = []
    tables = read_workbook(path, problems)
    return validate(tables, problems)
