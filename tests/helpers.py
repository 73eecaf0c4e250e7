"""Small workbooks built from data in the tests, and a way to solve them.

``base_case()`` is the hand-checkable case of issue 2: one workload
``inference``, demand 1000 du in each of 2026Q3..2027Q2, discount rate 0,
penalty 1e6 $/du; H100: gpu, 1 kW, capex 40,000, life 4, lead 0, block 1000,
no order limit, throughput 1; one site with 1 MW existing, no phases, PUE 1,
100 $/MWh, opex 0; one provider; one offer of H100 in blocks of 1000, term 4,
lead 0, 12,000 $/unit-quarter, signable all horizon.

Per owned H100-quarter at r = 0: annuity 40,000 / 4 = 10,000 and energy
1 kW x 1 x 2190 h x 100 $/MWh / 1000 = 219, so 10,219.
"""

from __future__ import annotations

import copy
from pathlib import Path

from planner.pipeline import RunResult, plan
from planner.workbook.synthetic import write

Sheets = dict[str, list[list[object]]]

HEADERS = {
    "Hardware": ["hardware", "kind", "power_kw", "unit_capex", "life", "lead_time", "available_from",
                 "order_block", "max_order_per_quarter", "program"],
    "Sites": ["site", "existing_mw", "phase_mw", "max_phases", "capex_per_phase", "facility_life", "lead_time",
              "earliest_start", "opex_per_mw_quarter", "pue", "power_price"],
    "LeaseOffers": ["offer", "provider", "hardware", "block_units", "price_per_unit_quarter", "term", "lead_time",
                    "first_sign", "last_sign", "max_blocks_per_quarter"],
}


def base_case() -> Sheets:
    return {
        "Settings": [["setting", "value"], ["start_quarter", "2026Q3"], ["end_quarter", "2027Q2"],
                     ["discount_rate", 0], ["mip_gap", 1e-9]],
        "Workloads": [["workload", "reserve_margin", "unmet_penalty", "asic_share_max"],
                      ["inference", 0, 1e6, 1]],
        "Demand": [["quarter", "inference"], ["2026Q3", 1000], ["2026Q4", 1000], ["2027Q1", 1000],
                   ["2027Q2", 1000]],
        "Hardware": [HEADERS["Hardware"], ["H100", "gpu", 1, 40000, 4, 0, "2026Q3", 1000, None, None]],
        "Throughput": [["hardware", "inference"], ["H100", 1]],
        "Sites": [HEADERS["Sites"], ["dc1", 1, 0, 0, 0, 60, 0, "2026Q3", 0, 1, 100]],
        "Providers": [["provider", "max_share"], ["cloud", 1]],
        "LeaseOffers": [HEADERS["LeaseOffers"],
                        ["lease1", "cloud", "H100", 1000, 12000, 4, 0, "2026Q3", "2027Q2", None]],
    }


def setcell(sheets: Sheets, sheet: str, key: object, column: str, value: object) -> Sheets:
    """Set ``column`` of the row whose first cell is ``key`` (in place; returns sheets)."""
    header = sheets[sheet][0]
    j = header.index(column)
    for row in sheets[sheet][1:]:
        if row[0] == key:
            row[j] = value
            return sheets
    raise KeyError(f"{sheet} has no row {key!r}")


def add_row(sheets: Sheets, sheet: str, *values: object, header: list[str] | None = None) -> Sheets:
    """Append a row (creating the sheet with ``header`` if needed)."""
    if sheet not in sheets:
        sheets[sheet] = [list(header or [])]
    sheets[sheet].append(list(values))
    return sheets


def write_workbook(sheets: Sheets, path: Path) -> Path:
    """Save sheets (header row first) as a real .xlsx."""
    return write(sheets, path)


def solve_sheets(sheets: Sheets, tmp_path: Path, name: str = "case.xlsx", value_of_risk: str = "off") -> RunResult:
    """Write ``sheets`` to a real .xlsx, read it back and solve it to optimality (vss and evpi only when
    ``value_of_risk`` is on: each is a round of Dask cases)."""
    return plan(write_workbook(copy.deepcopy(sheets), tmp_path / name), mip_gap=1e-9, value_of_risk=value_of_risk)


def total_cost(sheets: Sheets, tmp_path: Path) -> float:
    result = solve_sheets(sheets, tmp_path)
    assert result.solution.status == "optimal"
    return result.solution.objective


def assert_reported_together(path: Path, expected: list[str]) -> None:
    """Reading ``path`` raises one InputError holding exactly the ``expected`` problems (each the start of
    one problem's text), and ``planner validate`` prints each of them and exits 2 without a traceback."""
    import subprocess
    import sys

    import pytest

    from planner.workbook.errors import InputError
    from planner.workbook.validate import load_inputs

    with pytest.raises(InputError) as err:
        load_inputs(path)
    problems = [str(p) for p in err.value.problems]
    for text in expected:
        assert any(p.startswith(text) for p in problems), (text, problems)
    assert len(problems) == len(expected), problems
    proc = subprocess.run([sys.executable, "-m", "planner.cli", "validate", str(path)], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert all(text.split(" (value")[0] in proc.stderr for text in expected), proc.stderr


def render_in_browser(page: Path, tmp_path: Path, *must_show: str) -> None:
    """Open ``page`` in headless Chromium: a screenshot of some size, and each ``must_show`` in the rendered DOM.
    Skipped where no Chromium is installed (``.ci/run`` installs it where it can)."""
    import shutil
    import subprocess

    import pytest

    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        pytest.skip("no Chromium on this machine")
    flags = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run"]
    shot = tmp_path / "page.png"
    proc = subprocess.run([*flags, f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}",
                           "--window-size=1200,1600", page.as_uri()], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert shot.stat().st_size > 10_000
    dom = subprocess.run([*flags, f"--user-data-dir={tmp_path / 'profile2'}", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert all(text in dom.stdout for text in must_show), dom.stdout[:500]
