"""Reports are never lost or half-written; solver trouble and bugs are explained, not dumped."""

from __future__ import annotations

import hashlib
import os

import openpyxl
import pandas as pd
import pytest

from planner.audit.auditor import audit_plan
from planner.model import build_model
from planner.pipeline import plan, solve_or_explain
from planner.report.writer import write_report
from planner.solver.compile import compile_model
from planner.solver.diagnose import NoPlanError
from planner.workbook.validate import load_inputs
from tests.helpers import base_case, setcell, write_workbook
from tests.test_cli import planner


@pytest.fixture
def solved(tmp_path):
    return plan(write_workbook(base_case(), tmp_path / "case.xlsx"), mip_gap=1e-9)


def _digest(folder):
    return {p.relative_to(folder): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_write_keeps_the_previous_report(tmp_path, solved):
    out = tmp_path / "out"
    write_report(solved.tables, out)
    before = _digest(out)
    broken = dict(solved.tables, Actions=pd.DataFrame({"quarter": [object()]}))  # openpyxl cannot store it
    with pytest.raises(ValueError):
        write_report(broken, out)
    assert _digest(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]


def test_leftovers_of_a_killed_run_are_removed(tmp_path, solved):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".plan-x1.xlsx.tmp").write_bytes(b"half")
    (out / ".csv-x2").mkdir()
    (out / "notes.txt").write_text("mine")
    write_report(solved.tables, out)
    assert sorted(p.name for p in out.iterdir()) == ["charts", "csv", "notes.txt", "plan.html", "plan.xlsx"]


def test_refuses_to_overwrite_the_input(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    wb = write_workbook(base_case(), out / "plan.xlsx")
    before = wb.read_bytes()
    proc = planner("run", str(wb), "--out", str(out))
    assert proc.returncode == 2 and "refusing to overwrite" in proc.stderr
    link_out = tmp_path / "linked"
    link_out.mkdir()
    os.symlink(wb, link_out / "plan.xlsx")
    proc = planner("run", str(wb), "--out", str(link_out))
    assert proc.returncode == 2 and "refusing to overwrite" in proc.stderr
    assert wb.read_bytes() == before


def test_names_that_look_like_formulas_stay_text(tmp_path):
    evil = "=HYPERLINK(\"http://x\",\"y\")"
    s = base_case()
    s["Providers"][1][0] = evil
    setcell(s, "LeaseOffers", "lease1", "provider", evil)
    setcell(s, "LeaseOffers", "lease1", "price_per_unit_quarter", 9000)  # so the lease is signed
    setcell(s, "LeaseOffers", "lease1", "offer", "@lease")
    path = write_workbook(s, tmp_path / "evil.xlsx")
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:  # typed as text in Excel, not as a formula
        for row in ws.iter_rows():
            for cell in row:
                if cell.value == evil:
                    cell.data_type = "s"
    wb.save(path)
    out = tmp_path / "out"
    proc = planner("run", str(path), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    ws = openpyxl.load_workbook(out / "plan.xlsx")["Actions"]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] in "=@"]
    assert {c.value for c in cells} == {evil, "@lease"}
    assert all(c.data_type == "s" for c in cells)
    text = (out / "csv" / "actions.csv").read_text()
    assert "'@lease" in text and "'=HYPERLINK" in text


def test_content_hash_survives_a_resave(tmp_path):
    first = write_workbook(base_case(), tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(first)
    wb.properties.creator = "someone else"
    second = tmp_path / "b.xlsx"
    wb.save(second)
    a, b = plan(first, mip_gap=1e-9), plan(second, mip_gap=1e-9)
    summary = [dict(zip(r.tables["Summary"].metric, r.tables["Summary"].value)) for r in (a, b)]
    assert first.read_bytes() != second.read_bytes()
    assert summary[0]["input_sha256"] != summary[1]["input_sha256"]
    assert summary[0]["input_content_sha256"] == summary[1]["input_content_sha256"]
    for key in ("pyomo_version", "highspy_version", "planner_version", "solver_options"):
        assert summary[0][key]


def test_same_workbook_same_actions(small_example):
    runs = [plan(small_example).tables["Actions"] for _ in range(2)]
    pd.testing.assert_frame_equal(runs[0], runs[1])


def test_infeasible_model_is_explained_in_planner_terms(tmp_path):
    """With unmet demand forbidden and no H100 orders allowed, q0 of case (b) cannot be served
    (only leases could, and they are capped at 0 blocks)."""
    s = setcell(base_case(), "LeaseOffers", "lease1", "max_blocks_per_quarter", 0)
    setcell(s, "Hardware", "H100", "lead_time", 1)
    inp = load_inputs(write_workbook(s, tmp_path / "inf.xlsx"))
    model, _ = build_model(inp)
    for var in model.unmet.values():
        var.setub(0)
    with pytest.raises(NoPlanError) as err:
        solve_or_explain(compile_model(model), inp, 1e-6, 60)
    text = str(err.value)
    assert "Demand: demand of inference in 2026Q3" in text
    assert "bound on unmet demand of inference in 2026Q3" in text
    assert "infeasible" in text


def test_time_limit_without_a_plan_is_exit_3(tmp_path):
    proc = planner("run", str(write_workbook(base_case(), tmp_path / "t.xlsx")), "--time-limit", "1e-9",
                   "--out", str(tmp_path / "out"))
    assert proc.returncode == 3 and "time limit" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_auditor_catches_a_tampered_plan(solved, tmp_path):
    inp, tables, cost = solved.inputs, solved.tables, solved.solution.objective
    assert audit_plan(inp, tables, cost).passed
    # one H100 order of 1000 serves q0..q3; without it the powered units reported have nothing delivered
    # behind them (MODEL.md 11: powered <= delivered)
    no_order = dict(tables, Actions=tables["Actions"].iloc[0:0])
    assert any("H100 powered at dc1 in 2026Q3 (base) against delivered" in v
               for v in audit_plan(inp, no_order, cost).violations)
    # and served du without powered units behind them are caught too
    unpowered = dict(tables, Fleet=tables["Fleet"].assign(powered=0.0))
    assert any("accelerators of owned H100 used" in v for v in audit_plan(inp, unpowered, cost).violations)
    # unmet du understated: coverage fails
    cov = tables["Coverage"].copy()
    cap = tables["Capacity"].copy()
    cap.loc[0, "du_inference"] = 500.0
    fewer = dict(tables, Capacity=cap, Coverage=cov)
    assert any("coverage of inference in 2026Q3" in v for v in audit_plan(inp, fewer, cost).violations)
    # a different objective is flagged
    assert any("differs from the solver's objective" in v for v in audit_plan(inp, tables, cost * 1.01).violations)
    # an order above the supply limit
    limited = setcell(base_case(), "Hardware", "H100", "max_order_per_quarter", 500)
    inp2 = load_inputs(write_workbook(limited, tmp_path / "l.xlsx"))
    assert any("supply of H100" in v for v in audit_plan(inp2, tables, cost).violations)


def test_summary_reports_the_audit(solved):
    summary = dict(zip(solved.tables["Summary"].metric, solved.tables["Summary"].value))
    assert summary["audit"] == "pass" and summary["audit_violations"] == "none"
    assert summary["audit_cost_usd"] == pytest.approx(40_876_000, rel=1e-9)


def test_stopped_early_with_a_plan_is_reported(small_example, caplog):
    """HiGHS told to stop at its first improving plan (a deterministic stand-in for a time limit
    reached with an incumbent): the plan is kept, audited and reported with its status and gap."""
    result = plan(small_example, mip_gap=0.0, solver_options={"mip_max_improving_sols": 1})
    summary = dict(zip(result.tables["Summary"].metric, result.tables["Summary"].value))
    assert result.solution.status == "solution_limit" and result.solution.has_plan
    assert summary["status"] == "solution_limit" and summary["audit"] == "pass"
    assert summary["total_cost"] >= summary["best_bound"]
    assert any("may not be optimal" in r.message for r in caplog.records)
