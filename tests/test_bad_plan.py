"""A previous plan is input too (issue 30): a broken PLAN's Actions gets located errors (PLAN's file,
the Actions row, the column and the value), all at once, exit 2, no traceback, nothing written, before
any solve; in ``planner roll`` and in ``planner run --previous``.

Base: ``helpers.base_case()``, whose optimum orders 1000 H100 at dc1 in 2026Q3 (Actions row 2); the
broken rows are copies of that row with one cell changed."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.helpers import base_case, setcell, write_workbook
from tests.test_cli import planner

#: (column, value, the start of the message expected for that row)
BROKEN = [
    ("quantity", "1O", "column 'quantity': expected a number (value '1O')"),
    ("quarter", "someday", "column 'quarter': expected a quarter"),
    ("quantity", None, "column 'quantity': required value is missing"),
    ("action", "lease more", "column 'action': expected one of"),
    ("quantity", 1.5, "column 'quantity': expected a whole number (value 1.5)"),
    ("quantity", -1, "column 'quantity': must be at least 0 (value -1)"),
]


@pytest.fixture
def made_plan(tmp_path) -> tuple[Path, Path]:
    """(the base workbook, its plan's report folder)."""
    workbook = write_workbook(base_case(), tmp_path / "hand.xlsx")
    proc = planner("run", str(workbook), "--out", str(tmp_path / "plan"), "-q")
    assert proc.returncode == 0, proc.stderr
    return workbook, tmp_path / "plan"


def _break(plan: Path) -> None:
    """Append one copy of Actions row 2 per BROKEN entry (rows 3..8), each with one cell changed."""
    wb = openpyxl.load_workbook(plan / "plan.xlsx")
    ws = wb["Actions"]
    header = [c.value for c in ws[1]]
    good = [c.value for c in ws[2]]
    for column, value, _ in BROKEN:
        row = list(good)
        row[header.index(column)] = value
        ws.append(row)
    wb.save(plan / "plan.xlsx")


def _assert_located(proc, plan_name: str = "plan.xlsx") -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    for k, (_, _, text) in enumerate(BROKEN):
        assert f"{plan_name} Actions row {k + 3}, {text}" in proc.stderr, (k, proc.stderr)


def test_roll_with_a_broken_plan(tmp_path, made_plan):
    """Every broken cell is an error of its own, at once; the rolled workbook is not written."""
    workbook, plan = made_plan
    _break(plan)
    proc = planner("roll", str(workbook), str(plan), "--to", "2026Q4")
    _assert_located(proc)
    assert not (tmp_path / "hand-2026Q4.xlsx").exists()


def test_previous_with_a_broken_plan(tmp_path, made_plan):
    """``--previous`` reads the plan before the solve: the same errors, and no report folder."""
    workbook, plan = made_plan
    _break(plan)
    for extra in ([], ["--keep-through", "2026Q3"]):
        out = tmp_path / f"again{len(extra)}"
        proc = planner("run", str(workbook), "--out", str(out), "--previous", str(plan), "-q", *extra)
        _assert_located(proc)
        assert not out.exists()


def test_roll_with_names_the_workbook_no_longer_has(tmp_path, made_plan):
    """The plan orders H100 at dc1; a workbook whose site is now called dc2 cannot take the order: the
    error names PLAN's row and column, not the rolled workbook's ExistingFleet."""
    _, plan = made_plan
    s = setcell(base_case(), "Sites", "dc1", "site", "dc2")
    renamed = write_workbook(s, tmp_path / "renamed.xlsx")
    proc = planner("roll", str(renamed), str(plan), "--to", "2026Q4")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "plan.xlsx Actions row 2, column 'where': not defined in the workbook's Sites (value 'dc1')" \
        in proc.stderr
    assert "ExistingFleet" not in proc.stderr


def test_not_a_plan(tmp_path, made_plan):
    """A path that is neither a report folder nor a plan.xlsx says so."""
    workbook, _ = made_plan
    proc = planner("roll", str(workbook), str(tmp_path / "nowhere"), "--to", "2026Q4")
    assert proc.returncode == 2 and "is not a report folder or a plan.xlsx" in proc.stderr, proc.stderr
