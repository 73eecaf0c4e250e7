"""MODEL.md section 11, what build-out risk costs: hand-checked optima, warnings and located errors.

All cases start from ``helpers.base_case()``: r = 0, demand 1000 du of inference in each of
2026Q3..2027Q2 (q0..q3), penalty 1e6 $/du, H100 1 kW, 40,000 $ (10,000 a unit-quarter), life 4,
lead 0, block 1000; site dc1 1 MW, PUE 1, 100 $/MWh, so a *powered* H100-quarter pays 219 $ of
energy; lease blocks of 1000 at 12,000 $, term 4. Since section 11 only powered units draw power,
serve and pay energy; capital follows the units delivered.
"""

from __future__ import annotations

import pytest

from planner.workbook.checks.fleet import warn_fleet_power
from planner.workbook.validate import load_inputs
from tests.helpers import (
    add_row,
    assert_reported_together,
    base_case,
    setcell,
    solve_sheets,
    total_cost,
    write_workbook,
)
from tests.test_cli import planner
from tests.test_tree import OFFERS, SCENARIOS

FLEET = ["hardware", "site", "units", "first_quarter", "last_quarter", "resale_value"]
ON_DEMAND = ["provider", "hardware", "price_per_unit_quarter", "max_units", "first_quarter", "last_quarter"]


def _summary(result) -> dict:
    return dict(zip(result.tables["Summary"].metric, result.tables["Summary"].value))


def _one_quarter_leases(s):
    s["LeaseOffers"] = [OFFERS, ["L1", "cloud", "H100", 1000, 12000, 1, 0, "2026Q3", "2027Q2", None]]
    return s


def test_stranded_pipeline_waits_instead_of_being_an_error(tmp_path):
    """No MW at q = 0, one committed 1 MW phase online 2026Q4, 1000 H100 in service since before the
    start (to 2027Q2), only 1-quarter leases at 12,000. Before section 11 an input error (the fleet
    needs 1 MW in 2026Q3). Now 2026Q3 is leased (1000 x 12,000 = 12,000,000) while the fleet waits
    unpowered (no energy), then the fleet serves 2026Q4-2027Q2: 3 x 1000 x 219 = 657,000. Total
    12,657,000; the fleet waits 1000 accelerator-quarters."""
    s = _one_quarter_leases(setcell(base_case(), "Sites", "dc1", "existing_mw", 0))
    setcell(s, "Sites", "dc1", "phase_mw", 1)
    add_row(s, "CommittedPhases", "dc1", 1, "2026Q4", header=["site", "phases", "online_quarter"])
    add_row(s, "ExistingFleet", "H100", "dc1", 1000, None, "2027Q2", None, header=FLEET)
    result = solve_sheets(s, tmp_path)
    assert result.solution.objective == pytest.approx(12_657_000, rel=1e-9)
    assert _summary(result)["stranded_accelerator_quarters"] == pytest.approx(1000)
    sites = result.tables["Sites"].set_index("quarter")
    assert sites.loc["2026Q3", "stranded"] == pytest.approx(1000) and sites.loc["2026Q4", "stranded"] == 0


def _refresh(resale=None):
    """Demand 2000; B200 (1 kW, 2 du, 40,000 $) can be bought; the 1 MW site is full of 1000 old H100
    in service to 2027Q2; the H100 may not be bought any more."""
    s = setcell(base_case(), "Demand", "2026Q3", "inference", 2000)
    for q in ("2026Q4", "2027Q1", "2027Q2"):
        setcell(s, "Demand", q, "inference", 2000)
    setcell(s, "Hardware", "H100", "max_order_per_quarter", 0)
    s["Hardware"].append(["B200", "gpu", 1, 40000, 4, 0, "2026Q3", 1000, None, None])
    s["Throughput"].append(["B200", 2])
    return add_row(s, "ExistingFleet", "H100", "dc1", 1000, None, "2027Q2", resale, header=FLEET)


def test_refresh_powers_the_old_fleet_down(tmp_path):
    """Was 48,876,000 (keep the H100 powered: 4 x 219,000 = 876,000, and lease 1000 du:
    1000 x 12,000 x 4 = 48,000,000). Now the H100 give their MW to 1000 B200, which serve 2000 du:
    1000 x (10,000 + 219) x 4 = 40,876,000; the H100 wait unpowered (not for sale)."""
    result = solve_sheets(_refresh(), tmp_path)
    assert result.solution.objective == pytest.approx(40_876_000, rel=1e-9)
    assert not (result.tables["Actions"].action == "sell existing fleet").any()
    fleet = result.tables["Fleet"].set_index(["quarter", "hardware"])
    assert fleet.loc[("2026Q3", "H100"), "stranded"] == pytest.approx(1000)
    assert fleet.loc[("2026Q3", "B200"), "powered"] == pytest.approx(1000)


def test_refresh_sells_the_old_fleet(tmp_path):
    """The same with resale_value 8,000: sold in 2026Q3 for 8,000 x (3 - 0 + 1) / (3 + 1) = 8,000
    each: 40,876,000 - 8,000,000 = 32,876,000. The sale is an Actions row, a credit in Costs, cash
    in in CashFlow, and pv_resale_usd in Summary (-8,000,000: a credit, like the Costs column)."""
    result = solve_sheets(_refresh(resale=8000), tmp_path)
    assert result.solution.objective == pytest.approx(32_876_000, rel=1e-9)
    sale = result.tables["Actions"].query("action == 'sell existing fleet'").iloc[0]
    assert (sale.quarter, sale.what, sale["where"], sale.quantity) == ("2026Q3", "H100", "dc1", 1000)
    assert sale.resale_usd == pytest.approx(8_000_000) and sale.detail.startswith("ExistingFleet row 2:")
    assert _summary(result)["pv_resale_usd"] == pytest.approx(-8_000_000)
    cash = result.tables["CashFlow"].set_index("period")
    assert cash.loc["2026Q3", "fleet_sales_usd"] == pytest.approx(-8_000_000)
    assert result.tables["Fleet"].query("hardware == 'H100'").empty  # sold before q0: never delivered


def test_resale_falls_in_a_straight_line(tmp_path):
    """1000 H100 in service to 2027Q2 (last = 3), resale_value 8,000, demand 1000 in 2026Q3-Q4 and 0
    after; nothing can be bought. Powered 2026Q3-Q4: 2 x 219,000 = 438,000; sold at the start of
    2027Q1 (t = 2) for 8,000 x (3 - 2 + 1) / 4 = 4,000 each: -4,000,000. Total -3,562,000 (selling
    in 2026Q3 for 8,000 would leave 2 x 1000 du unmet at 1e6 each; in 2027Q2 it fetches 2,000)."""
    s = setcell(base_case(), "Hardware", "H100", "max_order_per_quarter", 0)
    s["LeaseOffers"] = s["LeaseOffers"][:1]
    for q in ("2027Q1", "2027Q2"):
        setcell(s, "Demand", q, "inference", 0)
    add_row(s, "ExistingFleet", "H100", "dc1", 1000, None, "2027Q2", 8000, header=FLEET)
    result = solve_sheets(s, tmp_path)
    assert result.solution.objective == pytest.approx(-3_562_000, rel=1e-9)
    sale = result.tables["Actions"].query("action == 'sell existing fleet'").iloc[0]
    assert sale.quarter == "2027Q1" and sale.resale_usd == pytest.approx(4_000_000)


def test_a_sale_adapts_on_a_tree(tmp_path):
    """The fleet of the straight-line case with a tree: scenario high (p 0.5) keeps 1000 du in every
    quarter, low (p 0.5, learned in 2027Q1) needs nothing from 2027Q1. On the tree low sells at the
    start of 2027Q1 (4,000 each) and high keeps the fleet: high 4 x 219,000 = 876,000, low 438,000 -
    4,000,000 = -3,562,000; expected -1,343,000. The sale is low's alone (Actions scenarios = low).
    Two-stage (no branch_quarter) the sale must suit both, so nothing is sold: high 876,000, low
    438,000 (powered only while needed), expected 657,000."""
    def sheets(branch: bool):
        s = setcell(base_case(), "Hardware", "H100", "max_order_per_quarter", 0)
        s["LeaseOffers"] = s["LeaseOffers"][:1]
        add_row(s, "ExistingFleet", "H100", "dc1", 1000, None, "2027Q2", 8000, header=FLEET)
        add_row(s, "Scenarios", "high", 0.5, 1, 0, None, None, 0, 0, 0, None, header=SCENARIOS)
        add_row(s, "Scenarios", "low", 0.5, 1, 0, "high" if branch else None, "2027Q1" if branch else None,
                0, 0, 0, None)
        for q in ("2027Q1", "2027Q2"):
            add_row(s, "ScenarioDemand", "low", q, 0, header=["scenario", "quarter", "inference"])
        return s

    tree = solve_sheets(sheets(True), tmp_path, "tree.xlsx")
    assert tree.solution.objective == pytest.approx(-1_343_000, rel=1e-9)
    sale = tree.tables["Actions"].query("action == 'sell existing fleet'")
    assert list(sale.scenarios) == ["low"] and list(sale.quarter) == ["2027Q1"]
    assert total_cost(sheets(False), tmp_path) == pytest.approx(657_000, rel=1e-9)


def _on_demand_case():
    """Nothing can be owned; a 4-quarter lease at 9,000 and a 1-quarter lease at 12,000 (blocks of
    1000); demand 1000, plus 300 in 2027Q1."""
    s = setcell(base_case(), "Hardware", "H100", "max_order_per_quarter", 0)
    s["LeaseOffers"] = [OFFERS, ["L4", "cloud", "H100", 1000, 9000, 4, 0, "2026Q3", "2027Q2", None],
                        ["L1", "cloud", "H100", 1000, 12000, 1, 0, "2026Q3", "2027Q2", None]]
    return setcell(s, "Demand", "2027Q1", "inference", 1300)


def test_on_demand_covers_a_one_quarter_surprise(tmp_path):
    """Without on-demand: L4 1000 x 9,000 x 4 = 36,000,000 and one L1 block for the 300 du of 2027Q1,
    12,000,000: 48,000,000. With on-demand H100 at 15,000 and no cap: 36,000,000 + 300 x 15,000 =
    40,500,000. Capped at 200 units: 200 on-demand + 100 unmet would cost 3,000,000 + 100,000,000,
    so the L1 block is taken again: 48,000,000."""
    s = _on_demand_case()
    assert total_cost(s, tmp_path) == pytest.approx(48_000_000, rel=1e-9)
    add_row(s, "OnDemand", "cloud", "H100", 15000, None, None, None, header=ON_DEMAND)
    result = solve_sheets(s, tmp_path, "od.xlsx")
    assert result.solution.objective == pytest.approx(40_500_000, rel=1e-9)
    capacity = result.tables["Capacity"].set_index(["quarter", "source"])
    assert capacity.loc[("2027Q1", "on-demand cloud H100"), "accelerators"] == pytest.approx(300)
    summary = _summary(result)
    assert summary["pv_cost_on_demand_usd"] == pytest.approx(4_500_000)
    assert result.tables["CashFlow"].set_index("period").loc["2027Q1", "on_demand_usd"] == pytest.approx(4_500_000)
    setcell(s, "OnDemand", "cloud", "max_units", 200)
    assert total_cost(s, tmp_path) == pytest.approx(48_000_000, rel=1e-9)


def test_on_demand_counts_toward_its_provider_share(tmp_path):
    """No lease offers, nothing owned; on-demand H100 from cloud at 15,000, cloud's max_share 0.3: 300 du
    rented a quarter, 700 unmet: 4 x (300 x 15,000 + 700 x 1e6) = 2,818,000,000. Outside its quarters
    (first_quarter 2026Q4) nothing is rented in 2026Q3: those 300 du go unmet instead,
    2,818,000,000 + 300 x (1e6 - 15,000) = 3,113,500,000."""
    s = setcell(base_case(), "Hardware", "H100", "max_order_per_quarter", 0)
    s["LeaseOffers"] = s["LeaseOffers"][:1]
    setcell(s, "Providers", "cloud", "max_share", 0.3)
    add_row(s, "OnDemand", "cloud", "H100", 15000, None, None, None, header=ON_DEMAND)
    assert total_cost(s, tmp_path) == pytest.approx(2_818_000_000, rel=1e-9)
    setcell(s, "OnDemand", "cloud", "first_quarter", "2026Q4")
    assert total_cost(s, tmp_path) == pytest.approx(3_113_500_000, rel=1e-9)


def _late_hall(p_late: float):
    """No MW at q = 0, a committed 1 MW hall online 2026Q4 that is two quarters late in scenario late
    (learned in 2026Q4), demand 0 then 1000, H100 lead time 1, 1-quarter leases at 12,000."""
    s = _one_quarter_leases(setcell(base_case(), "Sites", "dc1", "existing_mw", 0))
    setcell(s, "Sites", "dc1", "phase_mw", 1)
    setcell(s, "Hardware", "H100", "lead_time", 1)
    setcell(s, "Demand", "2026Q3", "inference", 0)
    add_row(s, "CommittedPhases", "dc1", 1, "2026Q4", header=["site", "phases", "online_quarter"])
    add_row(s, "Scenarios", "on time", 1 - p_late, 1, 0, None, None, 0, 0, 0, None, header=SCENARIOS)
    add_row(s, "Scenarios", "late", p_late, 1, 0, "on time", "2026Q4", 2, 0, 0, None)
    return s


def test_a_hall_that_may_be_late(tmp_path):
    """p(late) = 0.05: order 1000 H100 in 2026Q3 (in service from 2026Q4, 3 horizon quarters of capital,
    30,000,000). On time: + 3 x 219,000 = 30,657,000. Late (hall online 2027Q2): the H100 wait two
    quarters, leased meanwhile (24,000,000), then powered: 54,219,000. Expected 0.95 x 30,657,000 +
    0.05 x 54,219,000 = 31,835,100. Waiting instead (lease 2026Q4, order in 2026Q4 for 2027Q1-Q2:
    32,438,000 on time; late leases two quarters and orders for 2027Q2: 34,219,000) costs 32,527,050,
    what sections 1-10 forced. p(late) = 0.2: the order costs 0.8 x 30,657,000 + 0.2 x 54,219,000 =
    35,369,400, waiting 0.8 x 32,438,000 + 0.2 x 34,219,000 = 32,794,200: it waits."""
    risky = solve_sheets(_late_hall(0.05), tmp_path, "p05.xlsx")
    assert risky.solution.objective == pytest.approx(31_835_100, rel=1e-9)
    first = risky.tables["Actions"].query("quarter == '2026Q3' and action == 'order hardware'")
    assert list(first.quantity) == [1] and list(first.scenarios) == ["all"]
    late = risky.tables["Scenarios"].set_index("scenario").loc["late"]
    assert late.stranded_accelerator_quarters == pytest.approx(2000)  # 2026Q4 and 2027Q1, 1000 each
    assert total_cost(_late_hall(0.2), tmp_path) == pytest.approx(32_794_200, rel=1e-9)


def test_a_fleet_beyond_its_power_is_a_warning_and_waits(tmp_path, caplog):
    """1500 H100 in service to 2027Q2 on the 1 MW site need 1.5 MW: a warning naming the row, site and
    quarter, not an error. The plan powers 1000 (they serve the 1000 du): 4 x 219,000 = 876,000;
    500 wait every quarter: 2000 accelerator-quarters."""
    s = add_row(base_case(), "ExistingFleet", "H100", "dc1", 1500, None, "2027Q2", None, header=FLEET)
    result = solve_sheets(s, tmp_path)
    assert any("ExistingFleet row 2" in r.message and "at dc1 needs 1.500 MW in 2026Q3" in r.message
               for r in caplog.records), caplog.text
    assert result.solution.objective == pytest.approx(876_000, rel=1e-9)
    assert _summary(result)["stranded_accelerator_quarters"] == pytest.approx(2000)


def test_the_power_warning_follows_arrivals_and_slips(tmp_path):
    """1 MW at dc1; 600 H100 in service, and 600 more arriving in 2027Q1 need 1.2 MW then: a warning
    at the arriving batch's row, naming the quarter. A committed 1 MW phase online in 2027Q1 makes it
    fit; a scenario with build_slip 1 (hall late, GPUs on time) is short again, named."""
    s = setcell(base_case(), "Sites", "dc1", "phase_mw", 1)
    add_row(s, "ExistingFleet", "H100", "dc1", 600, None, "2027Q2", None, header=FLEET)
    add_row(s, "ExistingFleet", "H100", "dc1", 600, "2027Q1", "2027Q2", None)
    warnings = warn_fleet_power(load_inputs(write_workbook(s, tmp_path / "a.xlsx")))
    assert len(warnings) == 1 and warnings[0].startswith("ExistingFleet row 3: the fleet at dc1 needs 1.200 MW "
                                                         "in 2027Q1"), warnings
    add_row(s, "CommittedPhases", "dc1", 1, "2027Q1", header=["site", "phases", "online_quarter"])
    assert warn_fleet_power(load_inputs(write_workbook(s, tmp_path / "b.xlsx"))) == []
    add_row(s, "Scenarios", "base", 0.5, 1, 0, None, None, 0, 0, 0, None, header=SCENARIOS)
    add_row(s, "Scenarios", "late hall", 0.5, 1, 0, None, None, 1, 0, 0, None)
    warnings = warn_fleet_power(load_inputs(write_workbook(s, tmp_path / "c.xlsx")))
    assert len(warnings) == 1 and "in 2027Q1 in scenario late hall" in warnings[0], warnings


def test_mistakes_in_every_new_column_are_reported_together(tmp_path):
    """resale_value negative and not a number; OnDemand rows naming an unknown provider, an unknown
    hardware and a program's hardware, first_quarter after last_quarter, a negative price and a
    negative max_units: all at once, each with sheet, row, column and value; the CLI exits 2."""
    s = base_case()
    add_row(s, "AsicPrograms", "P", 0, 0, 1, header=["program", "nre_cost", "slip_quarters", "delivery_confidence"])
    s["Hardware"].append(["M1", "asic", 1, 20000, 4, 0, "2026Q3", 500, None, "P"])
    s["Throughput"].append(["M1", 2])
    add_row(s, "ExistingFleet", "H100", "dc1", 10, None, "2027Q2", -5, header=FLEET)
    add_row(s, "ExistingFleet", "H100", "dc1", 10, None, "2027Q2", "cheap")
    add_row(s, "OnDemand", "nobody", "H100", 15000, None, None, None, header=ON_DEMAND)
    add_row(s, "OnDemand", "cloud", "X9", 15000, None, None, None)
    add_row(s, "OnDemand", "cloud", "M1", 15000, None, None, None)
    add_row(s, "OnDemand", "cloud", "H100", 15000, None, "2027Q2", "2026Q4")
    add_row(s, "OnDemand", "cloud", "H100", -1, None, None, None)
    add_row(s, "OnDemand", "cloud", "H100", 15000, -3, None, None)
    path = write_workbook(s, tmp_path / "bad.xlsx")
    expected = [
        "ExistingFleet row 2, column 'resale_value': must be at least 0 (value -5)",
        "ExistingFleet row 3, column 'resale_value': expected a number (value 'cheap')",
        "OnDemand row 2, column 'provider': not defined in sheet Providers (value 'nobody')",
        "OnDemand row 3, column 'hardware': not defined in sheet Hardware (value 'X9')",
        "OnDemand row 4, column 'hardware': belongs to ASIC program P",
        "OnDemand row 5, column 'first_quarter': is after last_quarter 2026Q4 (value '2027Q2')",
        "OnDemand row 6, column 'price_per_unit_quarter': must be at least 0 (value -1)",
        "OnDemand row 7, column 'max_units': must be at least 0 (value -3)",
    ]
    assert_reported_together(path, expected)


def _partial_sale_case():
    """1000 H100 in service to 2027Q2 (last = 3), resale_value 8,000, demand 1000, 1000, 400, 400; nothing
    can be bought. Powered: 2 x 219,000 + 2 x 400 x 219 = 613,200; 600 sold at the start of 2027Q1 for
    8,000 x 2 / 4 = 4,000 each: -2,400,000 (they would fetch 2,000 a quarter later). Total -1,786,800."""
    s = setcell(base_case(), "Hardware", "H100", "max_order_per_quarter", 0)
    s["LeaseOffers"] = s["LeaseOffers"][:1]
    for q in ("2027Q1", "2027Q2"):
        setcell(s, "Demand", q, "inference", 400)
    return add_row(s, "ExistingFleet", "H100", "dc1", 1000, None, "2027Q2", 8000, header=FLEET)


def _report(tmp_path, workbook, out: str, *extra: str) -> dict:
    proc = planner("run", str(workbook), "--out", str(tmp_path / out), "--mip-gap", "1e-9", "-q", *extra)
    assert proc.returncode == 0, proc.stderr
    import pandas as pd

    df = pd.read_csv(tmp_path / out / "csv" / "summary.csv")
    return dict(zip(df.metric, df.value))


def test_roll_turns_a_sale_into_fewer_units(tmp_path):
    """The partial sale planned, then rolled to 2027Q2: ExistingFleet row 2 keeps 400 H100 (a comment
    names the Actions row) and its resale_value is the line's value at 2027Q2, 8,000 x (3 - 3 + 1) / 4 =
    2,000. Solved again: the 400 serve 2027Q2's 400 du, 400 x 219 = 87,600 (selling them for 2,000 each
    would leave 400 du unmet at 1e6)."""
    import openpyxl

    workbook = write_workbook(_partial_sale_case(), tmp_path / "sale.xlsx")
    assert float(_report(tmp_path, workbook, "plan")["total_cost"]) == pytest.approx(-1_786_800, rel=1e-9)
    proc = planner("roll", str(workbook), str(tmp_path / "plan"), "--to", "2027Q2")
    assert proc.returncode == 0, proc.stderr
    rolled = tmp_path / "sale-2027Q2.xlsx"
    ws = openpyxl.load_workbook(rolled)["ExistingFleet"]
    assert [c.value for c in ws[2]][:3] == ["H100", "dc1", 400] and ws["F2"].value == pytest.approx(2000)
    assert "Actions row" in ws["C2"].comment.text and "600 sold before 2027Q2" in ws["C2"].comment.text
    assert float(_report(tmp_path, rolled, "again")["total_cost"]) == pytest.approx(87_600, rel=1e-9)


def test_keep_through_keeps_a_sale(tmp_path):
    """The partial sale's plan kept through 2027Q1 on a workbook whose demand of 2027Q1-Q2 is back to 1000:
    the 600 sold stay sold, so 600 du go unmet in each of those quarters: 438,000 + 2 x 400 x 219 - 2,400,000
    + 1,200 x 1e6 = 1,198,213,200 (without the kept sale nothing is sold: 4 x 219,000 = 876,000). A workbook
    without the batch's resale_value cannot take the kept sale: an input error naming PLAN's Actions row."""
    workbook = write_workbook(_partial_sale_case(), tmp_path / "sale.xlsx")
    _report(tmp_path, workbook, "plan")
    s = _partial_sale_case()
    for q in ("2027Q1", "2027Q2"):
        setcell(s, "Demand", q, "inference", 1000)
    busy = write_workbook(s, tmp_path / "busy.xlsx")
    kept = _report(tmp_path, busy, "kept", "--previous", str(tmp_path / "plan"), "--keep-through", "2027Q1")
    assert float(kept["total_cost"]) == pytest.approx(1_198_213_200, rel=1e-9)
    free = _report(tmp_path, busy, "free", "--previous", str(tmp_path / "plan"))
    assert float(free["total_cost"]) == pytest.approx(876_000, rel=1e-9)
    s["ExistingFleet"][1][5] = None
    unsold = write_workbook(s, tmp_path / "unsold.xlsx")
    proc = planner("run", str(unsold), "--out", str(tmp_path / "x"), "--previous", str(tmp_path / "plan"),
                   "--keep-through", "2027Q1")
    assert proc.returncode == 2 and "plan.xlsx Actions row 2, column 'quarter'" in proc.stderr, proc.stderr
    assert "ExistingFleet row 2 cannot be sold then" in proc.stderr


def test_a_series_keeps_its_colour_when_on_demand_is_left_out():
    """A coverage chart without on-demand capacity drops that series (all zero); ASICs must keep the
    colour they have in a chart that shows it, in the workbook and in plan.html alike."""
    from planner.report.charts import fill_colors

    full = fill_colors(["owned GPUs", "leased GPUs", "on-demand GPUs", "ASICs", "unmet"])
    short = fill_colors(["owned GPUs", "leased GPUs", "ASICs", "unmet"])
    assert short["ASICs"] == full["ASICs"] and short["unmet"] == full["unmet"]
    assert len(set(full.values())) == 5


def test_a_negative_vss_is_read_as_no_saving():
    """vss below 0 (a plan stopped at its gap, against an expected-value plan solved to its own) is not
    reported as "saves $-0.9B"."""
    from planner.report.overview import _vss_sentence

    text = _vss_sentence(-863.6e6, 1.97e9)
    assert "$-" not in text and "$863.6M cheaper" in text and "no measurable saving" in text
    assert _vss_sentence(0.5e9, 2e9).startswith("Planning for the scenarios saves $500.0M")
