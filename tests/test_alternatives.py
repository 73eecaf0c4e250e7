"""``planner alternatives`` (near-optimal alternatives on Dask): hand-checked ranges, firm decisions, audits.

Base case of ``helpers.base_case()``: r = 0, 1000 du of inference in each of 2026Q3..2027Q2, H100 1 kW, 40,000 $,
life 4, lead 0, block 1000: an owned, powered H100-quarter costs 10,000 + 219 = 10,219 $.
"""

from __future__ import annotations

import pandas as pd
import pytest

from planner.analysis.alternatives import alternatives_tables, run_alternatives, solve_plan
from planner.analysis.axes import default_axes
from planner.audit.auditor import audit_plan
from planner.workbook.synthetic import Size, generate, write
from planner.workbook.validate import load_inputs
from tests.helpers import HEADERS, add_row, base_case, render_in_browser, setcell, write_workbook
from tests.test_cli import planner


def _twin_sites():
    """Sites A and B alike: no MW, one 1 MW phase each at 1,000,000 $ over 40 quarters (25,000 a quarter
    online), lead 0; leases at 50,000 never pay. The plan builds one phase in 2026Q3 and owns 1000 H100:
    4 x 1000 x 10,219 + 4 x 25,000 = 40,976,000."""
    s = setcell(base_case(), "LeaseOffers", "lease1", "price_per_unit_quarter", 50000)
    s["Sites"] = [HEADERS["Sites"], ["A", 0, 1, 1, 1_000_000, 40, 0, "2026Q3", 0, 1, 100],
                  ["B", 0, 1, 1, 1_000_000, 40, 0, "2026Q3", 0, 1, 100]]
    return s


def test_twin_sites_are_free_and_their_total_is_firm(tmp_path):
    """At slack 0.1 % (cap 41,016,976) A's and B's MW each range over 0..1: building at the other site costs
    the same. The MW started in 2026 over both sites is firm at 1, and so are the 1000 H100 ordered in 2026.
    Every extreme is within the cap and passes the audit; the report, the CSVs and the page are written
    (the page opened in Chromium where there is one)."""
    workbook = write_workbook(_twin_sites(), tmp_path / "twin.xlsx")
    out = tmp_path / "alt"
    proc = planner("alternatives", str(workbook), "--slack", "0.001", "--out", str(out), "--mip-gap", "1e-9",
                   "--workers", "2", "--no-progress", "-q")
    assert proc.returncode == 0, proc.stderr
    axes = pd.read_csv(out / "csv" / "axes.csv").set_index("axis")
    for site in ("A", "B"):
        assert axes.loc[f"site_mw:{site}", "minimum"] == pytest.approx(0) and \
            axes.loc[f"site_mw:{site}", "maximum"] == pytest.approx(1)
    assert axes.loc["site_mw:A", "plan"] + axes.loc["site_mw:B", "plan"] == pytest.approx(1)
    firm = pd.read_csv(out / "csv" / "firm.csv").set_index("group")
    assert not firm.loc["MW started at A in 2026", "firm"] and not firm.loc["MW started at B in 2026", "firm"]
    assert firm.loc["MW started, all sites, in 2026", "firm"] and firm.loc["H100 ordered in 2026", "firm"]
    cases = pd.read_csv(out / "csv" / "alternatives.csv")
    assert (cases.cost <= 40_976_000 * 1.001 * (1 + 1e-9)).all() and (cases.audit == "pass").all()
    assert (out / "csv" / "actions-site_mw-A-maximum.csv").exists() and (out / "alternatives.xlsx").exists()
    bad = planner("alternatives", str(workbook), "--axis", "site_mw:C", "--out", str(tmp_path / "bad"), "-q")
    assert bad.returncode == 2 and "site_mw:C" in bad.stderr and not (tmp_path / "bad").exists()
    page = (out / "alternatives.html").read_text()
    assert "Firm decisions" in page and "<svg " in page
    render_in_browser(out / "alternatives.html", tmp_path, "Firm decisions")


def _program(s):
    """P1's ASIC A1 (34,800 $, life 4, 1 kW, NRE 5,000,000) can replace the H100 on a 2 MW site: funded,
    1000 x (8,700 + 219) x 4 + 5,000,000 = 40,676,000, against 40,876,000 unfunded (0.49 % more)."""
    setcell(s, "Sites", "dc1", "existing_mw", 2)
    add_row(s, "AsicPrograms", "P1", 5_000_000, 0, 1, header=["program", "nre_cost", "slip_quarters",
                                                               "delivery_confidence"])
    s["Hardware"].append(["A1", "asic", 1, 34800, 4, 0, "2026Q3", 1000, None, "P1"])
    s["Throughput"].append(["A1", 1])
    return s


@pytest.mark.parametrize(("slack", "low"), [(0.01, 0.0), (0.001, 1.0)])
def test_program_funding_is_firm_only_at_a_small_slack(tmp_path, slack, low):
    """funded:P1 ranges over 0..1 at slack 1 % (40,876,000 <= 1.01 x 40,676,000) and is firm at 1 at 0.1 %."""
    inp = load_inputs(write_workbook(_program(base_case()), tmp_path / "p.xlsx"))
    plan = solve_plan(inp, ["funded:P1"], 1e-9, 60)
    assert plan["cost"] == pytest.approx(40_676_000, rel=1e-9) and plan["values"]["funded:P1"] == pytest.approx(1)
    rows = run_alternatives(inp, ["funded:P1"], plan["cost"] * (1 + slack), plan["start"], 1e-9, 60, workers=1,
                            progress=False, audit=audit_plan)
    tables = alternatives_tables(plan, rows, slack, 0.0)
    axis = tables["Axes"].iloc[0]
    assert axis.minimum == pytest.approx(low) and axis.maximum == pytest.approx(1)
    assert tables["Firm"].set_index("group").loc["fund P1", "firm"] == (low == 1.0)


def test_extremes_bracket_the_plan_on_random_workbooks(tmp_path):
    """On a small random workbook with a scenario tree, with the default axes: min <= plan <= max on every axis,
    every extreme's cost within the cap, every extreme audited."""
    for seed, scenarios in ((12, 3),):
        size = Size(quarters=6, sites=2, offers=2, scenarios=scenarios)
        path = write(generate(size, seed), tmp_path / f"{seed}.xlsx")
        inp = load_inputs(path)
        axes = default_axes(inp)
        plan = solve_plan(inp, axes, 1e-6, 60)
        cap = plan["cost"] * 1.02
        rows = run_alternatives(inp, axes, cap, plan["start"], 1e-6, 60, workers=2, progress=False, audit=audit_plan)
        tables = alternatives_tables(plan, rows, 0.02, 0.0)
        for a in tables["Axes"].itertuples():
            assert a.minimum <= a.plan + 1e-6 and a.plan <= a.maximum + 1e-6, a
        cases = tables["Alternatives"]
        assert (cases.status == "optimal").all(), cases
        assert (cases.cost <= cap * (1 + 1e-7)).all() and (cases.audit == "pass").all(), cases
