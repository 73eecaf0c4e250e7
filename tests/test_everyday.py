"""A planner's everyday: report permissions, one writer per folder, progress lines, the headline's
words, the Python API, and the one-page overview (sheet and HTML page, seen in a real browser)."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests.helpers import base_case, render_in_browser, write_workbook
from tests.test_cli import ROOT, planner


@pytest.fixture(scope="module")
def hand_report(tmp_path_factory) -> Path:
    """The hand case (40,876,000: 1000 H100 bought in 2026Q3) written by the command."""
    tmp = tmp_path_factory.mktemp("hand")
    proc = planner("run", str(write_workbook(base_case(), tmp / "hand.xlsx")), "--out", str(tmp / "out"))
    assert proc.returncode == 0, proc.stderr
    return tmp / "out"


def test_report_files_get_the_umask_permissions(tmp_path):
    """With umask 022 every report file is 0644 and every folder 0755 (not the 0600 / 0700 of
    the temporary names they were written under)."""
    workbook = write_workbook(base_case(), tmp_path / "hand.xlsx")
    proc = subprocess.run(["sh", "-c", f"umask 022 && {sys.executable} -m planner.cli run {workbook} "
                           f"--out {tmp_path / 'out'} -q"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "out"
    for path in [out / "plan.xlsx", out / "plan.html", *(out / "csv").iterdir(), *(out / "charts").iterdir()]:
        assert path.stat().st_mode & 0o777 == 0o644, path
    for folder in (out / "csv", out / "charts"):
        assert folder.stat().st_mode & 0o777 == 0o755, folder


def test_two_writers_on_one_folder(tmp_path):
    """Two reports written to one folder at once: the second waits for the first, and plan.xlsx
    and csv/ end up from the same one (the run id in both Summaries)."""
    from planner.pipeline import plan
    from planner.report.writer import write_report

    result = plan(write_workbook(base_case(), tmp_path / "hand.xlsx"), mip_gap=1e-9)
    runs = []
    for run_id in ("first-run", "second-run"):
        tables = dict(result.tables)
        summary = tables["Summary"].copy()
        summary.loc[summary.metric == "run_id", "value"] = run_id
        tables["Summary"] = summary
        runs.append(tables)
    threads = [threading.Thread(target=write_report, args=(t, tmp_path / "out")) for t in runs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    xlsx = pd.read_excel(tmp_path / "out" / "plan.xlsx", sheet_name="Summary")
    csv = pd.read_csv(tmp_path / "out" / "csv" / "summary.csv")
    ids = {dict(zip(df.metric, df.value))["run_id"] for df in (xlsx, csv)}
    assert len(ids) == 1 and ids <= {"first-run", "second-run"}
    assert not list((tmp_path / "out").glob(".*"))


def test_progress_lines_on_a_long_search(tmp_path, monkeypatch):
    """A search that runs past the tick prints progress lines (elapsed, best plan, best bound,
    gap) on the log; the tick is set to 0 s so that this does not depend on wall time."""
    import logging

    from planner.pipeline import plan
    from planner.solver import highs

    monkeypatch.setattr(highs, "TICK_SECONDS", 0.0)
    lines = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())
    logger = logging.getLogger("planner")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        plan(write_workbook(base_case(), tmp_path / "hand.xlsx"), mip_gap=1e-9, workers=1)
    finally:
        logger.removeHandler(handler)
    progress = [line for line in lines if line.startswith("search ")]
    assert progress, lines
    assert any("best plan $" in line or "no plan yet" in line for line in progress)


def test_headline_says_what_the_gap_means(hand_report):
    """The command's last line says how close the plan is, in words, not a bare solver status."""
    from types import SimpleNamespace

    from planner.cli import headline

    s = SimpleNamespace(status="optimal", gap=0.009961, objective=1.0e9)
    assert headline(SimpleNamespace(solution=s, target_gap=0.01)).startswith(
        "plan within 1.00 % of the best possible (target 1 %)")
    s.gap = 0.0
    assert headline(SimpleNamespace(solution=s, target_gap=0.001)).startswith("optimal plan")


def test_python_api_as_in_the_readme(tmp_path):
    """The README's notebook example runs as written (on the hand case instead of the example)."""
    text = (ROOT / "README.md").read_text()
    code = text.split("<!-- python-api -->", 1)[1].split("```python", 1)[1].split("```", 1)[0]
    workbook = write_workbook(base_case(), tmp_path / "hand.xlsx")
    code = code.replace("inputs/example.xlsx", str(workbook)).replace("outputs/notebook", str(tmp_path / "nb"))
    namespace: dict = {}
    exec(compile(code, "README", "exec"), namespace)  # noqa: S102 - the README's own example
    result = namespace["result"]
    assert result.solution.objective == pytest.approx(40_876_000, rel=1e-6)
    assert list(result["Actions"].what) == ["H100"]
    assert (tmp_path / "nb" / "plan.xlsx").is_file() and (tmp_path / "nb" / "csv" / "actions.csv").is_file()


def test_overview_sheet_first_and_page(hand_report):
    """Overview is the first sheet; it and plan.html say the total cost, the gap, what to do in the
    next four quarters (order H100 in 2026Q3) and what binds; the page embeds its charts."""
    wb = openpyxl.load_workbook(hand_report / "plan.xlsx")
    assert wb.sheetnames[0] == "Overview"
    text = " ".join(str(c.value) for row in wb["Overview"].iter_rows() for c in row if c.value is not None)
    assert "Total cost $40.9M" in text and "order hardware" in text and "H100" in text
    assert "What binds" in text
    page = (hand_report / "plan.html").read_text()
    assert "Total cost $40.9M" in page and "<td class=''>order hardware</td>" in page
    body = page.split("<body>", 1)[1]
    assert body.count("<svg ") >= 2 and "http" not in body.replace("http://www.w3.org/2000/svg", "")


def test_overview_page_in_a_browser(hand_report, tmp_path):
    """Chromium renders the page headless (skipped where no browser is installed)."""
    render_in_browser(hand_report / "plan.html", tmp_path, "Next four quarters", "What binds")
