"""The report's analysis tables: marginal costs, limits, cash flow (hand-checked)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planner.pipeline import plan
from planner.workbook.quarters import parse_quarter
from tests.helpers import add_row, base_case, setcell, solve_sheets

ROOT = Path(__file__).resolve().parents[1]


def test_marginal_when_a_lease_is_the_marginal_source(tmp_path):
    """Case (c): 1000 leased at 9,000 $/unit-quarter, term 4, fully used.

    Plan view (blocks fixed): one more du can only go unmet: 1,000,000 $ (the penalty) in every quarter.
    Long run (fractional blocks): one more du in q3 is a lease signed in q3, charged for q3 only:
    9,000 $ = the lease price; in q2 a lease runs q2-q3 (18,000), q1 three quarters (27,000) and
    q0 four (36,000); owning instead costs 10,219 per quarter left, always more.
    """
    s = setcell(base_case(), "LeaseOffers", "lease1", "price_per_unit_quarter", 9000)
    m = solve_sheets(s, tmp_path).tables["Marginal"]
    assert m.one_more_du_plan_usd.tolist() == pytest.approx([1e6] * 4)
    assert m.one_more_du_long_run_usd.tolist() == pytest.approx([36000, 27000, 18000, 9000])


def test_marginal_with_spare_capacity_and_power_limit(tmp_path):
    """Blocks of 300 leased: 4 blocks = 1200 units for 1000 du, so one more du is free in the plan.
    Case (a) long run: the site's 1 MW is full with 1000 owned H100, so one more du is leased even in
    q3 (12,000) rather than owned (10,219 but no power)."""
    s = setcell(setcell(base_case(), "LeaseOffers", "lease1", "block_units", 300),
                "Hardware", "H100", "max_order_per_quarter", 0)
    m = solve_sheets(s, tmp_path, "spare.xlsx").tables["Marginal"]
    assert m.one_more_du_plan_usd.tolist() == pytest.approx([0.0] * 4, abs=1e-6)
    assert m.dual_plan_usd_per_du.tolist() == pytest.approx([0.0] * 4, abs=1e-6)
    a = solve_sheets(base_case(), tmp_path, "a.xlsx").tables["Marginal"]
    assert a.one_more_du_long_run_usd.iloc[3] == pytest.approx(12000)


def test_marginal_is_undiscounted(tmp_path):
    """r = 8 %, spare-free lease case (c): one more du in q3 still costs 9,000 $ in q3's money."""
    s = setcell(base_case(), "LeaseOffers", "lease1", "price_per_unit_quarter", 9000)
    setcell(s, "Settings", "discount_rate", "value", 0.08)
    m = solve_sheets(s, tmp_path).tables["Marginal"]
    assert m.one_more_du_long_run_usd.iloc[3] == pytest.approx(9000, rel=1e-9)


def test_budget_limit_value(tmp_path):
    """The budget case of test_hand_checked (2026 capex <= 20,000,000): binding in the plan.

    Long run, one more $ of 2026 budget buys 1/40,000 H100 in q0 that replaces a lease in q0 and q1
    (2 x 12,000) and a purchase in q2 serving q2-q3 (2 x 10,219) for 4 x 10,219: it saves
    24,000 + 20,438 - 40,876 = 3,562 $ per H100, 3,562 / 40,000 = 0.08905 $ per $.
    """
    s = setcell(base_case(), "Hardware", "H100", "order_block", 100)
    setcell(s, "LeaseOffers", "lease1", "block_units", 100)
    setcell(s, "LeaseOffers", "lease1", "term", 1)
    add_row(s, "Budget", 2026, 20_000_000, header=["year", "capex_max"])
    result = solve_sheets(s, tmp_path)
    limits = result.tables["Limits"].set_index(["limit", "at"])
    row = limits.loc[("budget", "2026")]
    assert bool(row.binding)
    assert row.value_of_one_more_long_run == pytest.approx(3562 / 40000, rel=1e-9)
    summary = dict(zip(result.tables["Summary"].metric, result.tables["Summary"].value))
    assert "budget: 2026" in summary["binding_limits"]


def test_cash_flow_reconciles_with_actions(small_example):
    """Capex in the cash flow equals the capex of the Actions; lease payments equal the signed leases'
    units x price over their quarters inside the horizon plus the existing leases'."""
    result = plan(small_example)
    inp, actions, cash = result.inputs, result.tables["Actions"], result.tables["CashFlow"]
    quarters = cash[cash.granularity == "quarter"]
    years = cash[cash.granularity == "year"]
    capex = quarters[["capex_hardware_usd", "capex_phases_usd", "nre_usd"]].sum().sum()
    assert capex == pytest.approx(actions.cash_capex_usd.sum(), rel=1e-12)
    for _, a in actions.iterrows():  # each capex lands in the quarter it is ordered or started
        if a.cash_capex_usd > 0:
            row = quarters[quarters.period == a.quarter]
            assert row[["capex_hardware_usd", "capex_phases_usd", "nre_usd"]].sum(axis=1).iloc[0] >= a.cash_capex_usd
    n, start = inp.n, inp.settings.start
    expected = 0.0
    for _, a in actions[actions.action == "sign lease"].iterrows():
        o = inp.offers[a.what]
        first = parse_quarter(a.quarter) - start + o.lead_time
        inside = max(0, min(n, first + o.term) - max(0, first))
        expected += a.accelerators * o.price_per_unit_quarter * inside
    for e in inp.existing_leases:
        inside = max(0, min(n - 1, e.last_quarter) - max(0, e.first_quarter) + 1)
        expected += e.units * e.price_per_unit_quarter * inside
    assert quarters.lease_payments_usd.sum() == pytest.approx(expected, rel=1e-12)
    for col in ("total_cash_usd", "lease_payments_usd", "capex_hardware_usd"):
        assert years[col].sum() == pytest.approx(quarters[col].sum(), rel=1e-12)
    assert quarters.cumulative_cash_usd.iloc[-1] == pytest.approx(quarters.total_cash_usd.sum(), rel=1e-12)


def test_cost_by_source_adds_up(small_example):
    result = plan(small_example)
    summary = dict(zip(result.tables["Summary"].metric, result.tables["Summary"].value))
    by_source = sum(v for k, v in summary.items() if k.startswith("pv_cost_") and k.endswith("_usd"))
    assert by_source == pytest.approx(summary["total_cost"], rel=1e-9)
    assert isinstance(result.tables["Marginal"], pd.DataFrame) and len(result.tables["Marginal"]) == \
        result.inputs.n * len(result.inputs.workloads)


def test_charts_exist_and_point_at_the_right_ranges(tmp_path, small_example):
    """Native charts in plan.xlsx: one per workload, costs, sites; every series range on ChartData holds
    the numbers of the report table it claims (checked against Coverage, Costs and Sites); the
    Overview sheet repeats coverage and costs; the same charts as SVG files (valid XML, one area
    per source and a line for the requirement on each coverage chart)."""
    import re
    import zipfile
    from xml.etree import ElementTree

    import openpyxl

    from planner.report.writer import write_report

    result = plan(small_example)
    write_report(result.tables, tmp_path)
    with zipfile.ZipFile(tmp_path / "plan.xlsx") as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        xml = [z.read(n).decode() for n in charts]
    workloads = list(result.inputs.workloads)
    assert len(charts) == (len(workloads) + 2) + (len(workloads) + 1)  # Charts sheet, then Overview
    data = openpyxl.load_workbook(tmp_path / "plan.xlsx")["ChartData"]

    def cells(ref: str) -> list:
        m = re.fullmatch(r"'?ChartData'?!(\$?[A-Z]+\$?\d+(?::\$[A-Z]+\$\d+)?)", ref)
        assert m, ref
        block = data[m[1].replace("$", "")]
        return [row[0].value for row in block] if isinstance(block, tuple) else [block.value]

    series: dict[str, list[list]] = {}
    for chart in xml:
        for ser in re.findall(r"<(?:c:)?ser>(.*?)</(?:c:)?ser>", chart, flags=re.S):
            title, categories, values = (re.search(rf"<(?:c:)?{tag}>.*?<(?:c:)?f>([^<]+)</", ser, flags=re.S)[1]
                                         for tag in ("tx", "cat", "val"))
            assert cells(categories)[0] == result.inputs.quarter_label(0)
            series.setdefault(cells(title)[0], []).append(cells(values))
    cov = result.tables["Coverage"]
    n = result.inputs.n
    for w in workloads:
        g = cov[cov.workload == w]
        assert any(g.required_du.tolist() == pytest.approx(v) for v in series["required"])
        assert any(g.owned_gpu_du.tolist() == pytest.approx(v) for v in series["owned GPUs"])
    costs = result.tables["Costs"]
    assert (costs.lease_usd / 1e6).tolist() == pytest.approx(series["leases"][0])
    sites = result.tables["Sites"]
    for s in result.inputs.sites:
        assert sites[sites.site == s].mw_online.tolist() == pytest.approx(series[f"{s} MW online"][0])
    assert all(len(v) == n for vs in series.values() for v in vs)
    svgs = sorted(p.name for p in (tmp_path / "charts").iterdir())
    assert svgs == sorted([f"coverage_{w}.svg" for w in workloads] + ["costs.svg", "sites.svg"])
    ns = "{http://www.w3.org/2000/svg}"
    for w in workloads:
        root = ElementTree.parse(tmp_path / "charts" / f"coverage_{w}.svg").getroot()
        assert root.tag == f"{ns}svg"
        assert [p.find(f"{ns}title").text for p in root.iter(f"{ns}polygon")] == ["owned GPUs", "leased GPUs",
                                                                                 "ASICs", "unmet"]
        assert [p.find(f"{ns}title").text for p in root.iter(f"{ns}polyline")] == ["required"]


def test_svg_axis_ticks_and_labels():
    """Round ticks covering the data: 0..7.3M in about 5 steps -> raw step 1.46M, rounded up to
    2M: 0, 2M, 4M, 6M, 8M; -1,200..1,500 -> raw 540, step 1,000 (1, 2, 2.5, 5 x 10^k):
    -2k .. 2k; a 2.5 step keeps its decimal."""
    from planner.report.svg import nice_ticks, tick_label

    ticks = nice_ticks(0.0, 7.3e6)
    assert ticks == [0.0, 2e6, 4e6, 6e6, 8e6]
    assert [tick_label(t, 2e6) for t in ticks] == ["0", "2M", "4M", "6M", "8M"]
    assert nice_ticks(-1200.0, 1500.0) == [-2000.0, -1000.0, 0.0, 1000.0, 2000.0]
    assert [tick_label(t, 2.5) for t in (2.5, 5.0)] == ["2.5", "5.0"]
    assert nice_ticks(0.0, 0.0) == [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]  # an empty chart still has an axis


def test_metric_value_sheets_print_one_page_wide(tmp_path, small_example):
    """Summary and Solver (metric | value) are set to print one page wide, so a PDF or paper copy has
    each name beside its value (LibreOffice split them over two pages before); the wide tables
    (Actions) keep their own page breaks. Solver's objective and bound are in $M and its gap in %,
    as in Summary."""
    import openpyxl

    from planner.report.writer import write_report

    write_report(plan(small_example, value_of_risk=False).tables, tmp_path, charts=False)
    wb = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    for name in ("Summary", "Solver"):
        ws = wb[name]
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), name
    actions = wb["Actions"]
    assert actions.max_column > 2 and not actions.sheet_properties.pageSetUpPr.fitToPage
    formats = {row[0].value: row[1].number_format for row in wb["Solver"].iter_rows(min_row=2)}
    assert formats["objective"] == formats["best_bound"] == wb["Summary"]["B3"].number_format  # $M, as total_cost
    assert formats["mip_gap"] == "0.0000%"
