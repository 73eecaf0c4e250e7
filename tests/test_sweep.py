"""planner sweep: the grid of what-ifs on a Dask LocalCluster, checked against single runs and by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from planner.analysis.sweep import run_sweep, sweep_tables
from planner.analysis.variation import VariationError, parse_vary
from planner.pipeline import plan
from planner.workbook.validate import load_inputs
from tests.helpers import base_case, setcell, write_workbook
from tests.test_cli import planner


def test_sweep_matches_single_runs_and_hand_costs(tmp_path):
    """Base case (a) with the lease price x0.75 (9,000) and demand x1.5 (1500 du):

    price 12,000, demand 1000: own 1000 H100 = 40,876,000 (case a);
    price 9,000, demand 1000: lease 1000 = 36,000,000 (case c);
    price 12,000, demand 1500: the site's 1 MW holds 1000 H100 (capital 40,000,000) and one more lease
      block of 1000 (48,000,000) covers the rest; the lease serves 1000 du, so only 500 H100 need power
      (MODEL.md 11: idle hardware pays no energy): 500 x 219 x 4 = 438,000. Total 88,438,000 (two lease
      blocks would cost 96,000,000);
    price 9,000, demand 1500: two lease blocks, 2000 x 9,000 x 4 = 72,000,000 (own + lease: 40,000,000 +
      36,000,000 + 438,000 = 76,438,000).
    Each also equals `plan` on the workbook scaled by hand.
    """
    path = write_workbook(base_case(), tmp_path / "base.xlsx")
    variations = [parse_vary("LeaseOffers.price_per_unit_quarter=1,0.75"), parse_vary("Demand.*=1,1.5")]
    df = run_sweep(load_inputs(path), variations, workers=2, gap=1e-9, progress=False)
    assert len(df) == 4 and df.status.eq("optimal").all()
    by_case = {(r["LeaseOffers.price_per_unit_quarter x"], r["Demand.* x"]): r.total_cost for _, r in df.iterrows()}
    hand = {(1.0, 1.0): 40_876_000, (0.75, 1.0): 36_000_000, (1.0, 1.5): 88_438_000, (0.75, 1.5): 72_000_000}
    for key, cost in hand.items():
        assert by_case[key] == pytest.approx(cost, rel=1e-9)
        s = setcell(base_case(), "LeaseOffers", "lease1", "price_per_unit_quarter", 12000 * key[0])
        for row in s["Demand"][1:]:
            row[1] *= key[1]
        single = plan(write_workbook(s, tmp_path / f"{key}.xlsx"), mip_gap=1e-9).solution.objective
        assert by_case[key] == pytest.approx(single, rel=1e-9)
    assert df[df.is_base].changes_from_base.iloc[0] == "same as base"
    changed = df[(df["LeaseOffers.price_per_unit_quarter x"] == 0.75) & (df["Demand.* x"] == 1.0)]
    assert "order H100/dc1@2026Q3 1->0" in changed.changes_from_base.iloc[0]
    assert "lease lease1@2026Q3 0->1" in changed.changes_from_base.iloc[0]


def test_failed_cases_are_reported_and_the_rest_complete(tmp_path):
    path = write_workbook(base_case(), tmp_path / "base.xlsx")
    variations = [parse_vary("Workloads.reserve_margin=+0,+2"), parse_vary("Hardware.lead_time=+0,+1")]
    df = run_sweep(load_inputs(path), variations, workers=2, gap=1e-9, progress=False)
    bad = df[df["Workloads.reserve_margin +"] == 2.0]
    assert bad.status.eq("invalid").all() and bad.error.str.contains("outside 0..1").all()
    good = df[df["Workloads.reserve_margin +"] == 0.0].set_index("Hardware.lead_time +")
    assert good.loc[0.0, "total_cost"] == pytest.approx(40_876_000, rel=1e-9)   # case (a)
    assert good.loc[1.0, "total_cost"] == pytest.approx(48_000_000, rel=1e-9)   # case (b)
    tables, blocks = sweep_tables(df, variations, 10.0, 2)
    summary = dict(zip(tables["Summary"].metric, tables["Summary"].value))
    assert summary["cases"] == 4 and summary["cases_failed"] == 2
    assert [b.name for b in blocks] == ["tornado"]


def test_vary_syntax_errors():
    for bad in ("Hardware.life", "Nowhere.x=1,2", "Hardware.kind=1,2", "Hardware.life=a,b", "Hardware.life=1,+2"):
        with pytest.raises(VariationError):
            parse_vary(bad)


def test_sweep_command_writes_the_report(tmp_path):
    path = write_workbook(base_case(), tmp_path / "base.xlsx")
    out = tmp_path / "sweep"
    proc = planner("sweep", str(path), "--vary", "LeaseOffers.price_per_unit_quarter=0.75,1.25",
                   "--workers", "1", "--no-progress", "--mip-gap", "1e-9", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert (out / "sweep.xlsx").is_file() and (out / "charts" / "tornado.svg").is_file()
    df = pd.read_csv(out / "csv" / "sweep.csv")
    assert len(df) == 3  # the base case and the two prices
    assert sorted(df.total_cost.round()) == [36_000_000, 40_876_000, 40_876_000]
    proc = planner("sweep", str(path), "--vary", "Hardware.kind=1,2")
    assert proc.returncode == 2 and "no numeric column" in proc.stderr and "Traceback" not in proc.stderr


def test_variations_of_the_pipeline_and_tree_columns(tmp_path):
    """Sections 9 and 10 columns can be varied: a slip offset, committed phases scaled, ScenarioDemand
    scaled; a text column (failed_programs) is refused."""
    from planner.analysis.variation import VariationError, apply, parse_vary
    from tests.helpers import add_row, base_case, setcell, write_workbook
    from tests.test_tree import SCENARIOS

    s = setcell(base_case(), "Sites", "dc1", "phase_mw", 1)
    add_row(s, "CommittedPhases", "dc1", 2, "2026Q4", header=["site", "phases", "online_quarter"])
    add_row(s, "Scenarios", "a", 0.5, 1, 0, None, None, 0, 0, 0, None, header=SCENARIOS)
    add_row(s, "Scenarios", "b", 0.5, 1, 0, "a", "2027Q1", 1, 0, 0, None)
    add_row(s, "ScenarioDemand", "b", "2027Q1", 2000, header=["scenario", "quarter", "inference"])
    inp = load_inputs(write_workbook(s, tmp_path / "v.xlsx"))
    slipped = apply(inp, parse_vary("Scenarios.build_slip_quarters=+1"), "+1")
    assert [sc.build_slip for sc in slipped.scenarios.values()] == [1, 2]
    assert apply(inp, parse_vary("CommittedPhases.phases=2"), "2").committed[0].phases == 4
    assert apply(inp, parse_vary("ScenarioDemand.*=1.5"), "1.5").scenario_demand_du[("b", "inference", 2)] == 3000
    with pytest.raises(VariationError):
        parse_vary("Scenarios.failed_programs=2")
