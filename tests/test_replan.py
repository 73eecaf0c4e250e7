"""MODEL.md section 9, re-planning: ``planner roll`` and ``planner run --previous [--keep-through]``.

Real subprocess runs of the command on real workbooks. Base: ``helpers.base_case()`` (r = 0,
1000 du of inference in each of 2026Q3..2027Q2, H100 40,000 $ life 4, 1 kW: 10,219 $ per owned
unit-quarter with its 219 $ of energy; a 4-quarter lease at 12,000 $). Its optimum owns: 1000
H100 ordered in 2026Q3, 40,876,000.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from planner.workbook.validate import load_inputs
from tests.helpers import add_row, base_case, setcell, write_workbook
from tests.test_cli import planner
from tests.test_tree import _failing_program, _scenario


def _summary(report: Path) -> dict:
    df = pd.read_csv(report / "csv" / "summary.csv")
    return dict(zip(df.metric, df.value))


def _run(tmp_path: Path, workbook: Path, out: str, *extra: str) -> dict:
    proc = planner("run", str(workbook), "--out", str(tmp_path / out), "--mip-gap", "1e-9", "-q", *extra)
    assert proc.returncode == 0, proc.stderr
    return _summary(tmp_path / out)


@pytest.fixture
def owning_plan(tmp_path) -> Path:
    """The hand case solved: one order of 1000 H100 in 2026Q3."""
    _run(tmp_path, write_workbook(base_case(), tmp_path / "hand.xlsx"), "own")
    return tmp_path / "own"


def test_roll_turns_the_order_into_fleet(tmp_path, owning_plan):
    """Rolled to 2026Q4, the order is an ExistingFleet batch (1000 H100, 2026Q3..2027Q2, marked with
    a comment), the 2026Q3 Demand row is gone and the new workbook validates. Solved again, only
    the fleet's energy is left: 3 quarters x 1000 x 219 = 657,000. A 2026 Budget of 50,000,000
    (added after the plan was made) is lowered by the 40,000,000 spent in 2026Q3: 10,000,000."""
    wb = openpyxl.load_workbook(tmp_path / "hand.xlsx")
    wb.create_sheet("Budget").append(["year", "capex_max"])
    wb["Budget"].append([2026, 50_000_000])
    wb.save(tmp_path / "hand.xlsx")
    proc = planner("roll", str(tmp_path / "hand.xlsx"), str(owning_plan), "--to", "2026Q4")
    assert proc.returncode == 0, proc.stderr
    rolled = tmp_path / "hand-2026Q4.xlsx"
    assert planner("validate", str(rolled)).returncode == 0
    ws = openpyxl.load_workbook(rolled)["ExistingFleet"]
    assert [c.value for c in ws[2]] == ["H100", "dc1", 1000, "2026Q3", "2027Q2", None]  # no resale_value
    assert "Actions row 2" in ws["A2"].comment.text
    inp = load_inputs(rolled)
    assert inp.quarter_label(0) == "2026Q4" and inp.n == 3
    assert inp.budget == {2026: pytest.approx(10_000_000)}
    assert float(_run(tmp_path, rolled, "again")["total_cost"]) == pytest.approx(657_000, rel=1e-9)


def test_keep_through_fixes_the_early_decisions(tmp_path, owning_plan):
    """The lease at 9,000 makes leasing optimal (4 x 1000 x 9,000 = 36,000,000). Keeping the owning
    plan through 2026Q3 fixes its order: 40,876,000."""
    cheap = write_workbook(setcell(base_case(), "LeaseOffers", "lease1", "price_per_unit_quarter", 9000),
                           tmp_path / "cheap.xlsx")
    kept = _run(tmp_path, cheap, "kept", "--previous", str(owning_plan), "--keep-through", "2026Q3")
    assert float(kept["total_cost"]) == pytest.approx(40_876_000, rel=1e-9)
    assert float(kept["previous_total_cost"]) == pytest.approx(40_876_000, rel=1e-9)


def test_previous_plan_changes(tmp_path, owning_plan):
    """Without --keep-through the cheap lease wins (36,000,000) and Changes lists the order removed
    (1 -> 0 blocks, the previous plan's Actions row 2) and the lease added (0 -> 1)."""
    cheap = write_workbook(setcell(base_case(), "LeaseOffers", "lease1", "price_per_unit_quarter", 9000),
                           tmp_path / "cheap.xlsx")
    summary = _run(tmp_path, cheap, "changed", "--previous", str(owning_plan))
    assert float(summary["total_cost"]) == pytest.approx(36_000_000, rel=1e-9)
    changes = pd.read_csv(tmp_path / "changed" / "csv" / "changes.csv")
    rows = {(c.action, c.what): (c.quantity_before, c.quantity_after, c.change) for c in changes.itertuples()}
    assert rows == {("order hardware", "H100"): (1, 0, "removed"), ("sign lease", "lease1"): (0, 1, "added")}
    assert changes.plan_row.dropna().tolist() == [2]
    assert "Changes" in openpyxl.load_workbook(tmp_path / "changed" / "plan.xlsx").sheetnames


def test_a_kept_decision_that_cannot_be_taken(tmp_path, owning_plan):
    """H100 not orderable before 2026Q4 in the new workbook: keeping the 2026Q3 order is an input
    error naming PLAN's Actions row 2 and the reason; exit 2 and no report."""
    late = write_workbook(setcell(base_case(), "Hardware", "H100", "available_from", "2026Q4"), tmp_path / "late.xlsx")
    proc = planner("run", str(late), "--out", str(tmp_path / "late"), "--previous", str(owning_plan),
                   "--keep-through", "2026Q3")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "plan.xlsx Actions row 2, column 'quarter'" in proc.stderr and "cannot be ordered then" in proc.stderr
    assert not (tmp_path / "late").exists()


def _pipeline_plan(tmp_path: Path) -> tuple[Path, Path]:
    """A case with every kind of decision before 2027Q1: r = 0, 2026Q3..2027Q4, demand 1000, 2000 in
    2026Q4, then 3000; a 1-quarter lease; free 2 MW phases (lead 2) at dc1; program P1 with A1."""
    s = base_case()
    s["Settings"][2] = ["end_quarter", "2027Q4"]
    s["Demand"] = [["quarter", "inference"], ["2026Q3", 1000], ["2026Q4", 2000]] + [
        [q, 3000] for q in ("2027Q1", "2027Q2", "2027Q3", "2027Q4")]
    setcell(s, "LeaseOffers", "lease1", "term", 1)
    setcell(s, "LeaseOffers", "lease1", "last_sign", "2027Q4")
    for column, value in (("phase_mw", 2), ("max_phases", 2), ("lead_time", 2)):
        setcell(s, "Sites", "dc1", column, value)
    add_row(s, "AsicPrograms", "P1", 1_000_000, 0, 1, header=["program", "nre_cost", "slip_quarters",
                                                               "delivery_confidence"])
    s["Hardware"].append(["A1", "asic", 1, 8000, 4, 0, "2026Q3", 1000, None, "P1"])
    s["Throughput"].append(["A1", 1])
    add_row(s, "Budget", 2026, 1e9, header=["year", "capex_max"])
    workbook = write_workbook(s, tmp_path / "pipe.xlsx")
    _run(tmp_path, workbook, "pipe")
    return workbook, tmp_path / "pipe"


def test_rolled_decisions_stay_in_service(tmp_path):
    """Roll a plan with leases, orders, phases and funding to 2027Q1, re-solve the new workbook with
    the same data: every rolled order is owned capacity in its service quarters, every rolled lease an
    ExistingLeases row, every phase committed MW online, the program funded, max_phases lowered by
    the phases started, the 2026 Budget row gone, and the new plan passes its audit."""
    workbook, report = _pipeline_plan(tmp_path)
    actions = pd.read_csv(report / "csv" / "actions.csv")
    before = actions[actions.quarter < "2027Q1"]
    assert set(before.action) >= {"sign lease", "order hardware", "fund ASIC program", "start build phase"}
    out = tmp_path / "pipe-rolled.xlsx"
    proc = planner("roll", str(workbook), str(report), "--to", "2027Q1", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    inp = load_inputs(out)
    assert inp.programs["P1"].funded
    phases_started = before[before.action == "start build phase"].quantity.sum()
    assert sum(c.phases for c in inp.committed) == phases_started
    assert inp.sites["dc1"].max_phases == 2 - phases_started
    assert len(inp.existing_leases) == (before.action == "sign lease").sum() and inp.budget == {}
    summary = _run(tmp_path, out, "again")
    assert summary["audit"] == "pass"
    capacity = pd.read_csv(tmp_path / "again" / "csv" / "capacity.csv")
    sites = pd.read_csv(tmp_path / "again" / "csv" / "sites.csv")
    for a in before.itertuples():
        if a.action == "order hardware":
            in_service = [q for q in ("2027Q1", "2027Q2", "2027Q3", "2027Q4") if a.from_quarter <= q <= a.to_quarter]
            for q in in_service:
                held = capacity[(capacity.quarter == q) & (capacity.source == f"owned {a.what}")].accelerators.sum()
                assert held >= a.accelerators - 1e-6, (a.what, q)
        if a.action == "start build phase":
            online = sites[sites.quarter >= max("2027Q1", a.from_quarter)].mw_online
            assert (online >= 1 + 2 * phases_started - 1e-9).all()


def test_roll_a_tree_after_its_branch(tmp_path):
    """The failing-program tree (see tests/test_tree.py): rolled to 2027Q1 the plan's scenarios
    differ before it (A1 in ok, H100 in fail), so --scenario is required; with --scenario fail the new
    workbook keeps fail alone (probability 1) with fail's 2026Q4 order of H100 as fleet, P1 funded
    and the 2026Q3 lease, and solves to fail's remaining cost: H100 energy only, 2 x 1000 x 219 =
    438,000."""
    s = _failing_program(base_case(), "2026Q4")
    _scenario(s, "ok", 0.5)
    _scenario(s, "fail", 0.5, "ok", "2026Q4", failed="P1")
    workbook = write_workbook(s, tmp_path / "tree.xlsx")
    _run(tmp_path, workbook, "tree")
    out = tmp_path / "tree-rolled.xlsx"
    proc = planner("roll", str(workbook), str(tmp_path / "tree"), "--to", "2027Q1", "--out", str(out))
    assert proc.returncode == 2 and "--scenario" in proc.stderr
    proc = planner("roll", str(workbook), str(tmp_path / "tree"), "--to", "2027Q1", "--out", str(out),
                   "--scenario", "fail")
    assert proc.returncode == 0, proc.stderr
    inp = load_inputs(out)
    assert list(inp.scenarios) == ["fail"] and inp.scenarios["fail"].probability == pytest.approx(1.0)
    assert [(b.hardware, b.units) for b in inp.fleet] == [("H100", 1000)]
    assert inp.programs["P1"].funded
    assert float(_run(tmp_path, out, "again")["total_cost"]) == pytest.approx(438_000, rel=1e-9)
