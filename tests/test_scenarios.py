"""Scenarios and risk (MODEL.md section 7), each answer worked out by hand.

Cases start from ``helpers.base_case()`` (r = 0, 4 quarters, demand 1000 du).
"""

from __future__ import annotations

import pytest

from tests.helpers import add_row, base_case, setcell, solve_sheets

SCEN_HEADER = ["scenario", "probability", "inference", "asic_slip_quarters"]
PROGRAM_HEADER = ["program", "nre_cost", "slip_quarters", "delivery_confidence"]


def _summary(result) -> dict:
    df = result.tables["Summary"]
    return dict(zip(df.metric, df.value))


def _lease_only(penalty: float):
    """No owning; one lease offer of 500-unit blocks at 8,000 $ per unit-quarter, term 4."""
    s = setcell(base_case(), "Hardware", "H100", "max_order_per_quarter", 0)
    setcell(s, "Workloads", "inference", "unmet_penalty", penalty)
    setcell(s, "LeaseOffers", "lease1", "block_units", 500)
    setcell(s, "LeaseOffers", "lease1", "price_per_unit_quarter", 8000)
    add_row(s, "Scenarios", "low", 0.5, 1, 0, header=SCEN_HEADER)
    add_row(s, "Scenarios", "high", 0.5, 2, 0)
    return s


def test_one_scenario_sheet_equals_no_sheet(tmp_path):
    """A Scenarios sheet with one scenario (probability 1, multiplier 1, no slip) changes nothing,
    whatever risk_aversion says: the program case costs 20,438,000 (see test_hand_checked)."""
    s = base_case()
    add_row(s, "AsicPrograms", "P", 10e6, 0, 1.0, header=PROGRAM_HEADER)
    s["Hardware"].append(["M1", "asic", 1, 20000, 4, 0, "2026Q3", 500, None, "P"])
    s["Throughput"].append(["M1", 2])
    plain = solve_sheets(s, tmp_path, "plain.xlsx")
    add_row(s, "Scenarios", "only", 1.0, 1, 0, header=SCEN_HEADER)
    s["Settings"].append(["risk_aversion", 0.8])
    one = solve_sheets(s, tmp_path, "one.xlsx")
    assert plain.solution.objective == pytest.approx(20_438_000, rel=1e-9)
    assert one.solution.objective == pytest.approx(plain.solution.objective, rel=1e-12)
    assert one.tables["Actions"].to_dict("records") == plain.tables["Actions"].to_dict("records")


def test_hedge_and_value_of_stochastic_solution(tmp_path):
    """Demand 1000 (low) or 2000 (high), equally likely; blocks of 500 at 8,000; penalty 20,000 $/du.

    A block signed in q0 costs 500 x 8,000 x 4 = 16,000,000. Capacity between 1000 and 2000 du is
    worth 0.5 x 20,000 = 10,000 per unit-quarter > 8,000, so the plan signs 4 blocks: 64,000,000 in
    both scenarios (E = 64,000,000). The expected-value plan (demand 1500) signs 3 blocks
    (48,000,000); in high it leaves 500 x 4 = 2000 du unmet = 40,000,000, so EEV = 0.5 x 48M +
    0.5 x 88M = 68,000,000 and vss = 4,000,000. Planned alone: low 2 blocks 32M, high 4 blocks 64M,
    WS = 48,000,000 and evpi = 64M - 48M = 16,000,000.
    """
    result = solve_sheets(_lease_only(20_000), tmp_path, value_of_risk="on")
    summary = _summary(result)
    assert summary["value_of_risk"] == "computed"
    assert result.solution.objective == pytest.approx(64_000_000, rel=1e-9)
    assert summary["expected_value_plan_cost"] == pytest.approx(68_000_000, rel=1e-9)
    assert summary["vss"] == pytest.approx(4_000_000, rel=1e-9)
    assert summary["wait_and_see_cost"] == pytest.approx(48_000_000, rel=1e-9)
    assert summary["evpi"] == pytest.approx(16_000_000, rel=1e-9)
    scen = result.tables["Scenarios"].set_index("scenario")
    assert scen.loc["high", "cost_usd"] == pytest.approx(64_000_000, rel=1e-9)
    assert scen.loc["low", "unmet_du"] == pytest.approx(0.0, abs=1e-6)
    # the chart's data: the expected-value plan costs 48M in low and 88M in high; alone 32M and 64M
    assert scen.expected_value_plan_cost_usd.tolist() == pytest.approx([48e6, 88e6], rel=1e-9)
    assert scen.planned_alone_cost_usd.tolist() == pytest.approx([32e6, 64e6], rel=1e-9)


def test_cvar_limits(tmp_path):
    """Penalty 12,000 $/du: the 1000..2000 band is worth 0.5 x 12,000 = 6,000 < 8,000 per unit-quarter.

    lambda = 0: 2 blocks, E = 32,000,000 + 0.5 x 1000 x 4 x 12,000 = 56,000,000.
    lambda = 1, alpha = 0 (CVaR_0 is the expectation): the same 56,000,000.
    lambda = 1, alpha = 0.99 (CVaR is the worst scenario): 2 blocks -> high costs 80,000,000,
    3 blocks -> 48M + 24M = 72,000,000, 4 blocks -> 64,000,000 in both: 64,000,000 = worst_cost.
    """
    s = _lease_only(12_000)
    assert solve_sheets(s, tmp_path, "neutral.xlsx").solution.objective == pytest.approx(56_000_000, rel=1e-9)
    s["Settings"] += [["risk_aversion", 1], ["cvar_alpha", 0]]
    assert solve_sheets(s, tmp_path, "a0.xlsx").solution.objective == pytest.approx(56_000_000, rel=1e-9)
    setcell(s, "Settings", "cvar_alpha", "value", 0.99)
    averse = solve_sheets(s, tmp_path, "a99.xlsx")
    summary = _summary(averse)
    assert averse.solution.objective == pytest.approx(64_000_000, rel=1e-9)
    assert summary["worst_cost"] == pytest.approx(64_000_000, rel=1e-9)
    assert summary["cvar_cost"] == pytest.approx(64_000_000, rel=1e-9)


def _slip_case(nre: float, risk_aversion: float):
    """H100 (1000-unit blocks, 10,219 $/unit-quarter) or ASIC M1 of program P (blocks of 500, 2 du each,
    5,219 $/unit-quarter, NRE ``nre``); no leases; penalty 15,000 $/du. The program is on time or,
    with probability 0.5, two quarters late."""
    s = setcell(base_case(), "Workloads", "inference", "unmet_penalty", 15_000)
    s["LeaseOffers"] = s["LeaseOffers"][:1]
    add_row(s, "AsicPrograms", "P", nre, 0, 1.0, header=PROGRAM_HEADER)
    s["Hardware"].append(["M1", "asic", 1, 20000, 4, 0, "2026Q3", 500, None, "P"])
    s["Throughput"].append(["M1", 2])
    add_row(s, "Scenarios", "on_time", 0.5, 0, header=["scenario", "probability", "asic_slip_quarters"])
    add_row(s, "Scenarios", "slipped", 0.5, 2)
    s["Settings"] += [["risk_aversion", risk_aversion], ["cvar_alpha", 0.9]]
    return s


def test_asic_slip_fund_when_neutral_not_when_averse(tmp_path):
    """Fund (A): 500 M1 ordered in q0. On time they serve q0-q3: 500 x 4 x 5,219 = 10,438,000 + NRE.
    Slipped they serve from q2 (charged q2-q3): 5,219,000 + NRE + 2000 du unmet x 15,000 = 30,000,000.
    Not fund (B): 1000 H100, 40,876,000 in both scenarios. (Buying nothing: 60,000,000.)

    lambda = 0: E[A] = NRE + 7,828,500 + 15,000,000 = NRE + 22,828,500, break-even NRE 18,047,500.
    lambda = 1, alpha = 0.9 (the worst scenario): A = NRE + 35,219,000, break-even NRE 5,657,000.
    With NRE 15,000,000: neutral funds (37,828,500), averse does not (40,876,000).
    """
    neutral = solve_sheets(_slip_case(15e6, 0.0), tmp_path, "neutral.xlsx")
    assert neutral.solution.objective == pytest.approx(37_828_500, rel=1e-9)
    assert "fund ASIC program" in neutral.tables["Actions"].action.tolist()
    scen = neutral.tables["Scenarios"].set_index("scenario")
    assert scen.loc["slipped", "cost_usd"] == pytest.approx(15e6 + 5_219_000 + 30_000_000, rel=1e-9)
    averse = solve_sheets(_slip_case(15e6, 1.0), tmp_path, "averse.xlsx")
    assert averse.solution.objective == pytest.approx(40_876_000, rel=1e-9)
    assert "fund ASIC program" not in averse.tables["Actions"].action.tolist()
    # just past each break-even the decision flips
    assert solve_sheets(_slip_case(18.2e6, 0.0), tmp_path, "n2.xlsx").solution.objective == pytest.approx(40_876_000)
    assert solve_sheets(_slip_case(5.5e6, 1.0), tmp_path, "a2.xlsx").solution.objective == pytest.approx(
        5.5e6 + 35_219_000, rel=1e-9)
