"""Sheet Scenarios (optional): one row per scenario of demand, slips and failed programs, and the
tree its ``branch_of`` / ``branch_quarter`` links draw (MODEL.md sections 7 and 10)."""

from __future__ import annotations

from dataclasses import replace

from planner.workbook import inputs as I
from planner.workbook.checks.cells import Checker
from planner.workbook.checks.workload_columns import workload_table
from planner.workbook.errors import shorten
from planner.workbook.quarters import label
from planner.workbook.reader import RawTable
from planner.workbook.tree import ALL

SHEET = "Scenarios"
_SLIPS = {"asic_slip_quarters": "asic_slip", "build_slip_quarters": "build_slip",
          "delivery_slip_quarters": "delivery_slip", "lease_slip_quarters": "lease_slip"}


def check_scenarios(table: RawTable | None, workloads: dict[str, I.Workload], programs: dict[str, I.AsicProgram],
                    chk: Checker) -> dict[str, I.Scenario]:
    """Scenarios of the optional sheet: probabilities sum to 1, links form a tree rooted at the first
    scenario, failed programs are programs of AsicPrograms."""
    if table is None or not table.rows or not workloads:
        return {}
    sheet = table.sheet
    _, rows = workload_table(table, workloads, chk, sheet.column("scenario"))
    out: dict[str, I.Scenario] = {}
    links: dict[str, tuple[int, object, object]] = {}  # name -> (row, branch_of, branch_quarter)
    probabilities: list[float] = []
    unread = False
    for row, name, multipliers, raw in rows:
        cells = {c.name: chk.cell(sheet, row, c, raw) for c in sheet.columns if c.name != "scenario"}
        if name is None:
            continue
        if name in out:
            chk.add(SHEET, row, "scenario", name, f"duplicate; first defined in row {out[name].row}")
            continue
        if "," in str(name) or str(name).lower() == ALL:
            chk.add(SHEET, row, "scenario", name, "a scenario name may not contain a comma or be 'all' "
                    "(the report lists scenarios comma-separated, 'all' for every one)")
        failed = _failed_programs(cells["failed_programs"], programs, row, chk)
        links[name] = (row, cells["branch_of"], cells["branch_quarter"])
        if cells["probability"] is not None:
            probabilities.append(cells["probability"])  # type: ignore[arg-type]
        else:
            unread = True  # its own error is reported; a sum without it would only mislead
        if cells["probability"] is None or any(cells[c] is None for c in _SLIPS) or not chk.good(SHEET, row):
            continue
        out[name] = I.Scenario(name, cells["probability"], multipliers, cells["asic_slip_quarters"], row,  # type: ignore[arg-type]
                               build_slip=cells["build_slip_quarters"],  # type: ignore[arg-type]
                               delivery_slip=cells["delivery_slip_quarters"],  # type: ignore[arg-type]
                               lease_slip=cells["lease_slip_quarters"], failed=failed)  # type: ignore[arg-type]
    total = sum(probabilities)
    if probabilities and not unread and abs(total - 1.0) > 1e-6:
        chk.add(SHEET, None, "probability", round(total, 9), "probabilities must sum to 1")
    return _linked(out, links, chk)


def _failed_programs(text: object, programs: dict[str, I.AsicProgram], row: int, chk: Checker) -> frozenset[str]:
    names = [p.strip() for p in str(text).split(",") if p.strip()] if text is not None else []
    for p in names:
        if p not in programs:
            chk.add(SHEET, row, "failed_programs", p, "not defined in sheet AsicPrograms")
    return frozenset(p for p in names if p in programs)


def _linked(out: dict[str, I.Scenario], links: dict[str, tuple[int, object, object]],
            chk: Checker) -> dict[str, I.Scenario]:
    """Scenarios with their links resolved (a blank ``branch_of`` is the first scenario); problems for
    a link on the first scenario, to itself, to an unknown scenario or in a cycle."""
    if not links:
        return out
    first = next(iter(links))
    parent: dict[str, str] = {}
    for name, (row, branch_of, quarter) in links.items():
        if name == first:
            for column, value in (("branch_of", branch_of), ("branch_quarter", quarter)):
                if value is not None:
                    chk.add(SHEET, row, column, value if column == "branch_of" else label(value),
                            "the first scenario is the trunk the others branch off: leave it blank")
            continue
        target = first if branch_of is None else branch_of
        if target == name:
            chk.add(SHEET, row, "branch_of", branch_of, "a scenario cannot branch off itself")
        elif target not in links:
            chk.add(SHEET, row, "branch_of", branch_of, "not defined in sheet Scenarios")
        else:
            parent[name] = target  # type: ignore[assignment]
    in_cycle: set[str] = set()
    for name in parent:  # in row order: a cycle is reported once, at its first row
        seen, at = {name}, parent[name]
        while at in parent and at not in seen:
            seen.add(at)
            at = parent[at]
        if at in seen and at == name and name not in in_cycle:
            cycle = _cycle(name, parent)
            in_cycle.update(cycle)
            chk.add(SHEET, links[name][0], "branch_of", links[name][1],
                    f"the links form a cycle of {len(cycle) - 1} scenarios: " + shorten(" -> ".join(cycle), 300))
    if chk.problems_in(SHEET):
        return out
    return {name: (sc if name == first else _with_link(sc, parent[name], links[name][2], chk))
            for name, sc in out.items()}


def _cycle(start: str, parent: dict[str, str]) -> list[str]:
    path, at = [start], parent[start]
    while at != start:
        path.append(at)
        at = parent[at]
    return path + [start]


def _with_link(sc: I.Scenario, branch_of: str, quarter: object, chk: Checker) -> I.Scenario:
    return replace(sc, branch_of=branch_of, branch_quarter=None if quarter is None else chk.idx(quarter))  # type: ignore[arg-type]
