"""End to end: the ``planner`` command run as a real subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from planner.workbook.schema import SHEETS
from tests.helpers import base_case, setcell, write_workbook

ROOT = Path(__file__).resolve().parents[1]
TABLES = ["Summary", "Actions", "Capacity", "Coverage", "Costs", "CashFlow", "Sites", "Risk", "Marginal", "Limits",
          "Solver"]


def planner(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "planner.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=300)


def _same_cell(x: object, y: object) -> bool:
    """Equal as numbers (to 1e-12 relative) when both read as numbers, else equal as text."""
    try:
        return float(x) == pytest.approx(float(y), rel=1e-12)
    except (TypeError, ValueError):
        return str(x) == str(y)


@pytest.fixture(scope="module")
def example_report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("example")
    proc = planner("run", str(ROOT / "inputs" / "example.xlsx"), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    for stage in ("read", "validate", "build", "solve", "write"):
        assert f"planner: {stage}" in proc.stderr  # every stage is timed in the log
    return out


def test_example_writes_every_table(example_report):
    wb = openpyxl.load_workbook(example_report / "plan.xlsx", read_only=True)
    for name in TABLES:
        assert name in wb.sheetnames
        assert (example_report / "csv" / f"{name.lower()}.csv").is_file()
    assert not list(example_report.glob(".*"))  # no temporary files left behind


def test_csv_and_excel_agree(example_report):
    for name in TABLES:
        csv = pd.read_csv(example_report / "csv" / f"{name.lower()}.csv", keep_default_na=False)
        xlsx = pd.read_excel(example_report / "plan.xlsx", sheet_name=name, keep_default_na=False)
        assert list(csv.columns) == list(xlsx.columns), name
        assert len(csv) == len(xlsx), name
        for col in csv.columns:
            a, b = csv[col], xlsx[col]
            if pd.api.types.is_numeric_dtype(a) and pd.api.types.is_numeric_dtype(b):
                assert a.to_numpy() == pytest.approx(b.to_numpy(), rel=1e-9), (name, col)
            else:
                for x, y in zip(a.tolist(), b.tolist()):
                    assert _same_cell(x, y), (name, col, x, y)


def test_summary_metrics(example_report):
    summary = pd.read_csv(example_report / "csv" / "summary.csv")
    values = dict(zip(summary.metric, summary.value))
    for metric in ("status", "total_cost", "best_bound", "mip_gap", "solve_seconds", "unmet_du", "input_sha256"):
        assert metric in values
    assert float(values["total_cost"]) == pytest.approx(float(values["cost_check_usd"]), rel=1e-9)
    assert float(values["total_cost"]) >= float(values["best_bound"]) - 1e-6 * float(values["total_cost"])
    costs = pd.read_csv(example_report / "csv" / "costs.csv")
    assert costs.total_discounted_usd.sum() == pytest.approx(float(values["total_cost"]), rel=1e-9)


def test_hand_case_through_cli(tmp_path):
    """Case (a) of the issue through the command line: 40,876,000 (see tests/helpers.py)."""
    wb = write_workbook(base_case(), tmp_path / "a.xlsx")
    proc = planner("run", str(wb), "--out", str(tmp_path / "out"), "--mip-gap", "1e-9")
    assert proc.returncode == 0, proc.stderr
    summary = pd.read_csv(tmp_path / "out" / "csv" / "summary.csv")
    cost = float(summary.set_index("metric").value["total_cost"])
    assert cost == pytest.approx(40_876_000, rel=1e-9)
    actions = pd.read_csv(tmp_path / "out" / "csv" / "actions.csv")
    assert actions.action.tolist() == ["order hardware"]
    assert actions.accelerators.tolist() == [1000]


def test_workers_option(tmp_path):
    """``--workers 1`` (one search), ``--workers 2`` (a portfolio) and ``--repeatable`` (one
    search on two threads) find case (a)'s 40,876,000; ``--workers 0`` is refused with exit 2
    before anything is read or written."""
    wb = write_workbook(base_case(), tmp_path / "a.xlsx")
    options = {}
    for k, extra in (("1", ["--workers", "1"]), ("2", ["--workers", "2"]), ("r", ["--repeatable"])):
        proc = planner("run", str(wb), "--out", str(tmp_path / k), "--mip-gap", "1e-9", *extra)
        assert proc.returncode == 0, proc.stderr
        summary = pd.read_csv(tmp_path / k / "csv" / "summary.csv").set_index("metric").value
        assert float(summary["total_cost"]) == pytest.approx(40_876_000, rel=1e-9)
        options[k] = summary["solver_options"]
    assert "workers=2" in options["2"] and "threads=1" in options["2"]
    assert "threads=2" in options["r"] and "workers" not in options["r"]
    proc = planner("run", str(wb), "--out", str(tmp_path / "0"), "--workers", "0")
    assert proc.returncode == 2 and "--workers must be at least 1" in proc.stderr
    assert not (tmp_path / "0").exists()


def test_default_output_folder(tmp_path):
    wb = write_workbook(base_case(), tmp_path / "mycase.xlsx")
    proc = planner("run", str(wb), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "outputs" / "mycase" / "plan.xlsx").is_file()


def test_input_errors_exit_2_and_write_nothing(tmp_path):
    s = setcell(base_case(), "Hardware", "H100", "life", "four")
    setcell(s, "LeaseOffers", "lease1", "provider", "nobody")
    setcell(s, "Sites", "dc1", "pue", 0.9)
    wb = write_workbook(s, tmp_path / "bad.xlsx")
    proc = planner("run", str(wb), "--out", str(tmp_path / "out"))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "Hardware row 2, column 'life'" in proc.stderr and "'four'" in proc.stderr
    assert "LeaseOffers row 2, column 'provider'" in proc.stderr and "'nobody'" in proc.stderr
    assert "Sites row 2, column 'pue'" in proc.stderr and "0.9" in proc.stderr
    assert not (tmp_path / "out").exists()


def test_validate_command(tmp_path):
    good = write_workbook(base_case(), tmp_path / "good.xlsx")
    proc = planner("validate", str(good))
    assert proc.returncode == 0 and "valid" in proc.stdout
    bad = write_workbook(setcell(base_case(), "Demand", "2026Q4", "inference", -5), tmp_path / "bad.xlsx")
    proc = planner("validate", str(bad))
    assert proc.returncode == 2
    assert "Demand row 3, column 'inference'" in proc.stderr


def test_not_a_workbook(tmp_path):
    fake = tmp_path / "fake.xlsx"
    fake.write_text("quarter,inference\n2026Q3,1000\n")
    proc = planner("run", str(fake))
    assert proc.returncode == 2
    assert "not an .xlsx workbook" in proc.stderr and "Traceback" not in proc.stderr


def test_template_lists_every_sheet_and_column(tmp_path):
    out = tmp_path / "template.xlsx"
    proc = planner("template", str(out))
    assert proc.returncode == 0, proc.stderr
    wb = openpyxl.load_workbook(out)
    for sheet in SHEETS:
        headers = [c.value for c in wb[sheet.name][1]]
        for col in sheet.columns:
            assert col.name in headers
            assert wb[sheet.name].cell(1, headers.index(col.name) + 1).comment is not None
    # the empty template is rejected with located messages, not a traceback
    proc = planner("validate", str(out))
    assert proc.returncode == 2 and "start_quarter" in proc.stderr and "Traceback" not in proc.stderr


def test_template_has_data_validation(tmp_path):
    out = tmp_path / "template.xlsx"
    assert planner("template", str(out)).returncode == 0
    wb = openpyxl.load_workbook(out)

    def rule(sheet: str, column: str):
        headers = [c.value for c in wb[sheet][1]]
        letter = openpyxl.utils.get_column_letter(headers.index(column) + 1)
        for dv in wb[sheet].data_validations.dataValidation:
            if any(str(r).startswith(f"{letter}2:") for r in dv.sqref.ranges):
                return dv
        raise AssertionError(f"no validation on {sheet}.{column}")

    assert rule("LeaseOffers", "provider").formula1 == "=Providers!$A$2:$A$1000"
    assert rule("LeaseOffers", "hardware").formula1 == "=Hardware!$A$2:$A$1000"
    assert rule("Hardware", "program").formula1 == "=AsicPrograms!$A$2:$A$1000"
    assert rule("Hardware", "kind").formula1 == '"gpu,asic"'
    frac = rule("Workloads", "asic_share_max")
    assert (frac.type, frac.formula1, frac.formula2) == ("decimal", "0", "1")
    assert rule("Sites", "pue").formula1 == "1"
    assert rule("Hardware", "life").type == "whole"
    assert "quarters" in rule("Hardware", "lead_time").prompt


def test_closed_stdout_is_not_an_internal_error(tmp_path):
    """Standard output closed before the command writes (``planner validate X | head -c0``): exit
    141 (128 + SIGPIPE), no "internal error" message, no traceback."""
    import os

    good = write_workbook(base_case(), tmp_path / "good.xlsx")
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read: the first write fails with EPIPE
    try:
        proc = subprocess.run([sys.executable, "-m", "planner.cli", "validate", str(good)], cwd=ROOT,
                              stdout=write_end, stderr=subprocess.PIPE, text=True, timeout=300)
    finally:
        os.close(write_end)
    assert proc.returncode == 141, proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr


def test_the_pinned_versions_are_installed():
    """`make test` installs from constraints.txt: what decides the plan (HiGHS, Pyomo) and reads the
    workbook (pandas, openpyxl) is the pinned version, so two machines solve the same way."""
    from importlib.metadata import version

    pins = dict(line.strip().split("==") for line in (ROOT / "constraints.txt").read_text().splitlines()
                if "==" in line and not line.startswith("#"))
    for package in ("highspy", "pyomo", "pandas", "openpyxl", "dask", "tqdm"):
        assert version(package) == pins[package], package
