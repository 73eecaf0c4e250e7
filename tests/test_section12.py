"""MODEL.md section 12, paying now for the right to decide later: hand-checked optima and located errors.

All cases start from ``helpers.base_case()``: r = 0, demand 1000 du of inference in each of
2026Q3..2027Q2 (q0..q3), penalty 1e6 $/du, H100 1 kW, 40,000 $ (10,000 a unit-quarter), life 4,
lead 0, block 1000; site dc1, PUE 1, 100 $/MWh: a powered H100-quarter pays 219 $ of energy.
"""

from __future__ import annotations

import pytest

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
from tests.test_tree import OFFERS, _failing_program, _scenario

OPTIONS = ["option", "offer", "fee_per_block", "buy_first", "buy_last", "exercise_first", "exercise_last",
           "max_blocks"]
GATES = ["program", "gate", "quarter", "cost"]


def _summary(result) -> dict:
    return dict(zip(result.tables["Summary"].metric, result.tables["Summary"].value))


def _option_case(option: bool, branch: bool = True):
    """Nothing can be owned (no MW); L4 (blocks of 1000 H100 at 9,000 $, term 4) can be signed only in
    2026Q3; high (p = 0.5) needs 2000 du in 2027Q1-Q2, learned in 2027Q1 (when ``branch``). Option X on
    L4 at 2,000,000 $ a block, bought in 2026Q3-2026Q4, exercisable any time."""
    s = setcell(base_case(), "Sites", "dc1", "existing_mw", 0)
    s["LeaseOffers"] = [OFFERS, ["L4", "cloud", "H100", 1000, 9000, 4, 0, "2026Q3", "2026Q3", None]]
    _scenario(s, "low", 0.5)
    _scenario(s, "high", 0.5, "low" if branch else None, "2027Q1" if branch else None)
    for q in ("2027Q1", "2027Q2"):
        add_row(s, "ScenarioDemand", "high", q, 2000, header=["scenario", "quarter", "inference"])
    if option:
        add_row(s, "LeaseOptions", "X", "L4", 2_000_000, "2026Q3", "2026Q4", None, None, None, header=OPTIONS)
    return s


def test_option_is_exercised_only_where_demand_is_high(tmp_path):
    """Sign one L4 block in 2026Q3 (4 x 1000 x 9,000 = 36,000,000) and buy one option block
    (2,000,000), both shared; only high exercises it in 2027Q1, after L4's signing window, a lease of L4
    paid for its two horizon quarters (2 x 1000 x 9,000 = 18,000,000).
    Expected 36,000,000 + 2,000,000 + 0.5 x 18,000,000 = 47,000,000."""
    result = solve_sheets(_option_case(option=True), tmp_path)
    assert result.solution.objective == pytest.approx(47_000_000, rel=1e-9)
    actions = result.tables["Actions"]
    by = {(a.action, a.what, a.scenarios): a for a in actions.itertuples()}
    buy = by[("buy lease option", "X", "all")]
    assert buy.quantity == 1 and buy.fee_usd == pytest.approx(2_000_000)
    exercise = by[("exercise lease option", "X", "high")]
    assert exercise.quarter == "2027Q1" and exercise.accelerators == 1000 and exercise.where == "L4"
    summary = _summary(result)
    assert summary["pv_option_fees_usd"] == pytest.approx(2_000_000)
    assert summary["audit"] == "pass"
    branches = result.tables["Branches"].set_index("scenario")
    assert branches.loc["high", "options_exercised"] == "X: 1 blocks of L4 in 2027Q1"
    assert branches.loc["low", "options_exercised"] == ""
    from planner.report.overview import overview

    assert ("Reserve the lease option X on L4 (H100): 1 block in 2026Q3 for $2.0M; exercise 1 in 2027Q1 only "
            "if high.") in overview(result.tables).headline


def test_without_the_option_two_blocks_are_signed_up_front(tmp_path):
    """No option: L4 can only be signed in 2026Q3, so both scenarios take two blocks:
    2 x 36,000,000 = 72,000,000 (less than high's 2 x 1000 du unmet at 1e6 $ x 0.5)."""
    assert total_cost(_option_case(option=False), tmp_path) == pytest.approx(72_000_000, rel=1e-9)


def test_option_two_stage_exercises_in_every_scenario(tmp_path):
    """Without branch columns the exercise is shared: 36,000,000 + 2,000,000 + 18,000,000 = 56,000,000."""
    assert total_cost(_option_case(option=True, branch=False), tmp_path) == pytest.approx(56_000_000, rel=1e-9)


def _gated(s, quarter: str, nre: float = 1_000_000, cost: float = 4_000_000):
    """P1's money split: ``nre`` at funding, ``cost`` at a mass-production gate in ``quarter``."""
    setcell(s, "AsicPrograms", "P1", "nre_cost", nre)
    return add_row(s, "ProgramGates", "P1", "mass production", quarter, cost, header=GATES)


def test_failed_program_stops_at_its_gate(tmp_path):
    """As section 10's failed-program case (A1 8,000 $ from 2026Q4, 2 MW, 1-quarter leases at 13,000 $,
    fail p = 0.5 learned in 2026Q4), but P1's 5,000,000 is 1,000,000 at funding and 4,000,000 at a gate
    in 2026Q4. Shared: fund (1,000,000) and lease 2026Q3 (13,000,000). ok passes the gate (4,000,000)
    and owns A1 for 3 quarters (1000 x 2,219 x 3 = 6,657,000); fail stops at the gate and owns H100
    (1000 x 10,219 x 3 = 30,657,000). 14,000,000 + 0.5 x 10,657,000 + 0.5 x 30,657,000 = 34,657,000
    (36,657,000 with everything paid at funding)."""
    s = _gated(_failing_program(base_case(), "2026Q4"), "2026Q4")
    _scenario(s, "ok", 0.5)
    _scenario(s, "fail", 0.5, "ok", "2026Q4", failed="P1")
    result = solve_sheets(s, tmp_path)
    assert result.solution.objective == pytest.approx(34_657_000, rel=1e-9)
    by = {(a.action, a.what, a.scenarios): a for a in result.tables["Actions"].itertuples()}
    gate = by[("pass programme gate", "P1", "ok")]
    assert gate.where == "mass production" and gate.cash_capex_usd == pytest.approx(4_000_000)
    assert ("pass programme gate", "P1", "fail") not in by
    summary = _summary(result)
    assert summary["pv_gate_costs_usd"] == pytest.approx(0.5 * 4_000_000) and summary["audit"] == "pass"
    branches = result.tables["Branches"].set_index("scenario")
    assert branches.loc["fail", "gates_stopped"] == "P1 at mass production (2026Q4)"
    assert branches.loc["ok", "gates_stopped"] == ""
    from planner.report.overview import overview

    assert ("P1 goes through mass production in 2026Q4 ($4.0M) except if fail, where it stops."
            in overview(result.tables).headline)


def test_gate_two_stage_pays_or_never_funds(tmp_path):
    """Without branch columns the gate is shared and A1 gives nothing in fail: own H100 from the
    start in both, 4 x 1000 x 10,219 = 40,876,000."""
    s = _gated(_failing_program(base_case(), "2026Q4"), "2026Q4")
    _scenario(s, "ok", 0.5)
    _scenario(s, "fail", 0.5, failed="P1")
    assert total_cost(s, tmp_path) == pytest.approx(40_876_000, rel=1e-9)


def _deterministic_gate():
    """A1 orderable from 2026Q3 but gated in 2027Q1 (4,000,000; NRE 1,000,000); 1-quarter leases at 12,000."""
    s = _gated(_failing_program(base_case(), "2026Q3"), "2027Q1")
    return setcell(s, "LeaseOffers", "lease1", "price_per_unit_quarter", 12000)


def test_orders_wait_for_the_last_gate(tmp_path):
    """Lease 2026Q3-Q4 (2 x 1000 x 12,000 = 24,000,000), fund (1,000,000), pass the gate (4,000,000) and
    own A1 from 2027Q1 (2 x 1000 x 2,219 = 4,438,000): 33,438,000, below owning H100 (40,876,000)."""
    result = solve_sheets(_deterministic_gate(), tmp_path)
    assert result.solution.objective == pytest.approx(33_438_000, rel=1e-9)
    orders = result.tables["Actions"].query("action == 'order hardware'")
    assert list(orders.quarter) == ["2027Q1"] and list(orders.what) == ["A1"]


def test_gate_cost_counts_in_the_budget(tmp_path):
    """With a 2027 Budget of 10,000,000 the gate (4,000,000) and the A1 order (8,000,000) do not fit
    together: own H100 from 2026Q3 (no 2026 limit), 40,876,000."""
    s = add_row(_deterministic_gate(), "Budget", 2027, 10_000_000, header=["year", "capex_max"])
    assert total_cost(s, tmp_path) == pytest.approx(40_876_000, rel=1e-9)


def test_mistakes_in_every_new_column_are_reported_together(tmp_path):
    """LeaseOptions naming an unknown offer, a buy and an exercise window reversed, a negative fee, a
    negative max_blocks; ProgramGates of an unknown program, a quarter outside the horizon, not a quarter,
    a negative cost, two gates of one program in one quarter: all at once, located; the CLI exits 2."""
    s = _failing_program(base_case(), "2026Q3")
    add_row(s, "LeaseOptions", "a", "nowhere", 1, None, None, None, None, None, header=OPTIONS)
    add_row(s, "LeaseOptions", "b", "lease1", 1, "2027Q1", "2026Q4", None, None, None)
    add_row(s, "LeaseOptions", "c", "lease1", 1, None, None, "2027Q2", "2027Q1", None)
    add_row(s, "LeaseOptions", "d", "lease1", -1, None, None, None, None, None)
    add_row(s, "LeaseOptions", "e", "lease1", 1, None, None, None, None, -2)
    add_row(s, "ProgramGates", "P9", "test", "2026Q4", 1, header=GATES)
    add_row(s, "ProgramGates", "P1", "late", "2029Q1", 1)
    add_row(s, "ProgramGates", "P1", "soon", "next year", 1)
    add_row(s, "ProgramGates", "P1", "test", "2026Q4", -5)
    add_row(s, "ProgramGates", "P1", "mass production", "2027Q1", 1)
    add_row(s, "ProgramGates", "P1", "volume", "2027Q1", 1)
    path = write_workbook(s, tmp_path / "bad.xlsx")
    expected = [
        "LeaseOptions row 2, column 'offer': not defined in sheet LeaseOffers (value 'nowhere')",
        "LeaseOptions row 3, column 'buy_first': is after buy_last 2026Q4 (value '2027Q1')",
        "LeaseOptions row 4, column 'exercise_first': is after exercise_last 2027Q1 (value '2027Q2')",
        "LeaseOptions row 5, column 'fee_per_block': must be at least 0 (value -1)",
        "LeaseOptions row 6, column 'max_blocks': must be at least 0 (value -2)",
        "ProgramGates row 2, column 'program': not defined in sheet AsicPrograms (value 'P9')",
        "ProgramGates row 3, column 'quarter': is outside the horizon 2026Q3..2027Q2 (value '2029Q1')",
        "ProgramGates row 4, column 'quarter': expected a quarter like 2026Q3 or an Excel date (value 'next year')",
        "ProgramGates row 5, column 'cost': must be at least 0 (value -5)",
        "ProgramGates row 7, column 'quarter': a second gate of program P1 in this quarter; first defined in row 6",
    ]
    assert_reported_together(path, expected)


def _run(tmp_path, workbook, out: str, *extra: str) -> dict:
    import pandas as pd

    proc = planner("run", str(workbook), "--out", str(tmp_path / out), "--mip-gap", "1e-9", "-q", *extra)
    assert proc.returncode == 0, proc.stderr
    df = pd.read_csv(tmp_path / out / "csv" / "summary.csv")
    return dict(zip(df.metric, df.value))


def _sheet(path, name: str) -> list[list[object]]:
    import openpyxl

    return [list(r) for r in openpyxl.load_workbook(path)[name].iter_rows(values_only=True)]


def test_roll_keeps_the_option_blocks_still_held(tmp_path):
    """The option case planned (47,000,000), rolled to 2027Q1: L4's block signed in 2026Q3 becomes an
    ExistingLeases row and the option block bought in 2026Q3-Q4 an ``X (held)`` row at fee 0, 1 block,
    exercisable 2027Q1-2027Q2. Solved again (2027Q1-Q2): the signed block 2 x 1000 x 9,000 = 18,000,000,
    and only high exercises the held block, 0.5 x 18,000,000: 27,000,000 (without the held block high
    could not lease at all)."""
    workbook = write_workbook(_option_case(option=True), tmp_path / "opt.xlsx")
    assert float(_run(tmp_path, workbook, "plan")["total_cost"]) == pytest.approx(47_000_000, rel=1e-9)
    proc = planner("roll", str(workbook), str(tmp_path / "plan"), "--to", "2027Q1")
    assert proc.returncode == 0, proc.stderr
    rolled = tmp_path / "opt-2027Q1.xlsx"
    options = _sheet(rolled, "LeaseOptions")
    assert options[2][:8] == ["X (held)", "L4", 0, "2027Q1", "2027Q1", "2027Q1", "2027Q2", 1]
    assert _sheet(rolled, "ExistingLeases")[1][2:] == [1000, 9000, "2026Q3", "2027Q2"]
    assert float(_run(tmp_path, rolled, "again")["total_cost"]) == pytest.approx(27_000_000, rel=1e-9)


def test_roll_past_a_gate(tmp_path):
    """The gate case planned, rolled to 2027Q1. In ok the gate was passed: its row goes and P1 is funded.
    In fail P1 stopped at the gate: its row goes too and A1 can no longer be ordered (max_order 0)."""
    s = _gated(_failing_program(base_case(), "2026Q4"), "2026Q4")
    _scenario(s, "ok", 0.5)
    _scenario(s, "fail", 0.5, "ok", "2026Q4", failed="P1")
    workbook = write_workbook(s, tmp_path / "gate.xlsx")
    _run(tmp_path, workbook, "plan")
    for scenario, limit in (("ok", None), ("fail", 0)):
        proc = planner("roll", str(workbook), str(tmp_path / "plan"), "--to", "2027Q1", "--scenario", scenario,
                       "--out", str(tmp_path / f"{scenario}.xlsx"))
        assert proc.returncode == 0, proc.stderr
        rolled = tmp_path / f"{scenario}.xlsx"
        assert len(_sheet(rolled, "ProgramGates")) == 1  # the header only
        assert _sheet(rolled, "AsicPrograms")[1][-1] == "yes"
        a1 = next(r for r in _sheet(rolled, "Hardware") if r[0] == "A1")
        assert a1[8] == limit  # (the roll itself checks that the rolled workbook reads as valid)


def test_keep_through_keeps_an_option_bought(tmp_path):
    """The option case's plan kept through 2026Q4 on a workbook where high needs only 1000 du: the option
    block bought (2,000,000) stays bought, 36,000,000 + 2,000,000 = 38,000,000; not kept, 36,000,000."""
    workbook = write_workbook(_option_case(option=True), tmp_path / "opt.xlsx")
    _run(tmp_path, workbook, "plan")
    s = _option_case(option=True)
    del s["ScenarioDemand"]
    calm = write_workbook(s, tmp_path / "calm.xlsx")
    kept = _run(tmp_path, calm, "kept", "--previous", str(tmp_path / "plan"), "--keep-through", "2026Q4")
    assert float(kept["total_cost"]) == pytest.approx(38_000_000, rel=1e-9)
    free = _run(tmp_path, calm, "free", "--previous", str(tmp_path / "plan"))
    assert float(free["total_cost"]) == pytest.approx(36_000_000, rel=1e-9)


def test_sweeps_vary_gate_costs_and_option_fees(tmp_path):
    """ProgramGates.cost x0.5 on the deterministic gate case: the gate costs 2,000,000, so 33,438,000 -
    2,000,000 = 31,438,000. LeaseOptions.fee_per_block x0.5 on the option case: 47,000,000 - 1,000,000 =
    46,000,000. Moving the gate by +2 quarters puts it outside the horizon: that case fails, by name."""
    from planner.analysis.sweep import solve_case
    from planner.analysis.variation import parse_vary

    def case(inp, vary: str, value: str) -> dict:  # one sweep case, as a Dask worker runs it
        return solve_case(inp, [parse_vary(vary)], (value,), 1e-9, 60)

    gate = load_inputs(write_workbook(_deterministic_gate(), tmp_path / "gate.xlsx"))
    assert case(gate, "ProgramGates.cost=0.5", "0.5")["total_cost"] == pytest.approx(31_438_000, rel=1e-9)
    assert "outside the horizon" in case(gate, "ProgramGates.quarter=+2", "+2")["error"]
    option = load_inputs(write_workbook(_option_case(option=True), tmp_path / "opt.xlsx"))
    assert case(option, "LeaseOptions.fee_per_block=0.5", "0.5")["total_cost"] == pytest.approx(46_000_000, rel=1e-9)


def test_auditor_catches_tampered_options_and_gates(tmp_path):
    """The option case's and the gate case's plans pass the audit; an exercise without the option bought
    (the buy row dropped), a gate passed in fail where P1 is then ordered without its last gate (the gate
    row dropped), and a gate moved out of its quarter are each caught."""
    from planner.audit.auditor import audit_plan

    option = solve_sheets(_option_case(option=True), tmp_path, "o.xlsx")
    inp, tables, cost = option.inputs, option.tables, option.solution.objective
    assert audit_plan(inp, tables, cost).passed
    unbought = dict(tables, Actions=tables["Actions"][tables["Actions"].action != "buy lease option"])
    assert any("blocks of option X exercised by 2027Q1 (high)" in v
               for v in audit_plan(inp, unbought, cost).violations)
    s = _gated(_failing_program(base_case(), "2026Q4"), "2026Q4")
    _scenario(s, "ok", 0.5)
    _scenario(s, "fail", 0.5, "ok", "2026Q4", failed="P1")
    gate = solve_sheets(s, tmp_path, "g.xlsx")
    inp, tables, cost = gate.inputs, gate.tables, gate.solution.objective
    assert audit_plan(inp, tables, cost).passed
    actions = tables["Actions"]
    ungated = dict(tables, Actions=actions[actions.action != "pass programme gate"])
    assert any("A1 ordered in quarter 1 but program P1 is not funded (ok)" in v
               for v in audit_plan(inp, ungated, cost).violations)
    moved = actions.copy()
    moved.loc[moved.action == "pass programme gate", "quarter"] = "2027Q1"
    assert any("gate mass production of P1 passed in 2027Q1, not in its quarter" in v
               for v in audit_plan(inp, dict(tables, Actions=moved), cost).violations)
