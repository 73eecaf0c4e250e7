"""MODEL.md section 10, decisions that adapt: hand-checked optima of scenario trees and slips.

All cases start from ``helpers.base_case()``: r = 0, demand 1000 du of inference in each of
2026Q3..2027Q2 (q0..q3), H100 40,000 $ life 4 lead 0, 1 kW, block 1000, one site with 1 MW,
100 $/MWh, PUE 1. An owned H100-quarter costs 10,000 annuity + 219 energy = 10,219 $.
"""

from __future__ import annotations

import pytest

from tests.helpers import add_row, base_case, setcell, solve_sheets, total_cost

SCENARIOS = ["scenario", "probability", "inference", "asic_slip_quarters", "branch_of", "branch_quarter",
             "build_slip_quarters", "delivery_slip_quarters", "lease_slip_quarters", "failed_programs"]
OFFERS = ["offer", "provider", "hardware", "block_units", "price_per_unit_quarter", "term", "lead_time",
          "first_sign", "last_sign", "max_blocks_per_quarter"]


def _scenario(s, name, p, branch_of=None, branch_quarter=None, build=0, delivery=0, lease=0, failed=None):
    return add_row(s, "Scenarios", name, p, 1, 0, branch_of, branch_quarter, build, delivery, lease, failed,
                   header=SCENARIOS)


def _leases_only():
    """No power on site; offers L4 (9,000 $, term 4) and L1 (12,000 $, term 1), blocks of 1000."""
    s = setcell(base_case(), "Sites", "dc1", "existing_mw", 0)
    s["LeaseOffers"] = [OFFERS, ["L4", "cloud", "H100", 1000, 9000, 4, 0, "2026Q3", "2027Q2", None],
                        ["L1", "cloud", "H100", 1000, 12000, 1, 0, "2026Q3", "2027Q2", None]]
    return s


def _high_demand(s, branch: bool):
    """Scenario high (p = 0.5) needs 2000 du in 2027Q1-Q2 (ScenarioDemand), low keeps 1000."""
    _scenario(s, "low", 0.5)
    _scenario(s, "high", 0.5, "low" if branch else None, "2027Q1" if branch else None)
    for q in ("2027Q1", "2027Q2"):
        add_row(s, "ScenarioDemand", "high", q, 2000, header=["scenario", "quarter", "inference"])
    return s


def test_demand_learned_in_2027_tree(tmp_path):
    """high branches off low at 2027Q1: both sign one L4 block in 2026Q3 (4 x 1000 x 9,000 =
    36,000,000); only high signs a second L4 block in 2027Q1, paid for its two horizon quarters
    (2 x 1000 x 9,000 = 18,000,000; two L1 blocks would cost 24,000,000).
    Expected cost 36,000,000 + 0.5 x 18,000,000 = 45,000,000."""
    assert total_cost(_high_demand(_leases_only(), branch=True), tmp_path) == pytest.approx(45_000_000, rel=1e-9)


def test_demand_learned_in_2027_two_stage(tmp_path):
    """Without branch columns the 2027Q1 block is signed in both scenarios: 36,000,000 + 18,000,000
    = 54,000,000 (cheaper than 2 x 1000 x 1e6 of unmet demand in high)."""
    assert total_cost(_high_demand(_leases_only(), branch=False), tmp_path) == pytest.approx(54_000_000, rel=1e-9)


def _failing_program(s, available: str, penalty: float | None = None):
    """ASIC A1 of program P1 (NRE 5,000,000): 8,000 $, life 4, 1 kW, block 1000, throughput 1,
    orderable from ``available``: 2,000 + 219 = 2,219 $ per unit-quarter. The site has 2 MW and
    the lease is one quarter of H100 at 13,000 $."""
    setcell(s, "Sites", "dc1", "existing_mw", 2)
    setcell(s, "LeaseOffers", "lease1", "term", 1)
    setcell(s, "LeaseOffers", "lease1", "price_per_unit_quarter", 13000)
    if penalty is not None:
        setcell(s, "Workloads", "inference", "unmet_penalty", penalty)
    add_row(s, "AsicPrograms", "P1", 5_000_000, 0, 1, header=["program", "nre_cost", "slip_quarters",
                                                               "delivery_confidence"])
    s["Hardware"].append(["A1", "asic", 1, 8000, 4, 0, available, 1000, None, "P1"])
    s["Throughput"].append(["A1", 1])
    return s


def test_program_that_may_fail(tmp_path):
    """fail (p = 0.5) branches off ok at 2026Q4 and has P1 failed; A1 is orderable from 2026Q4.

    Fund P1 (5,000,000, a decision of q0, shared) and lease 2026Q3 (13,000,000, shared); from 2026Q4
    ok buys A1 (3 quarters: 1000 x 2,219 x 3 = 6,657,000) and fail buys H100 (1000 x 10,219 x 3 =
    30,657,000): 18,000,000 + 0.5 x 6,657,000 + 0.5 x 30,657,000 = 36,657,000, below owning H100
    from the start in both (4 x 1000 x 10,219 = 40,876,000)."""
    s = _failing_program(base_case(), "2026Q4")
    _scenario(s, "ok", 0.5)
    _scenario(s, "fail", 0.5, "ok", "2026Q4", failed="P1")
    result = solve_sheets(s, tmp_path)
    assert result.solution.objective == pytest.approx(36_657_000, rel=1e-9)
    actions = result.tables["Actions"]
    by = {(a.action, a.what, a.scenarios): a.quantity for a in actions.itertuples()}
    assert by[("fund ASIC program", "P1", "all")] == 1
    assert by[("order hardware", "A1", "ok")] == 1 and by[("order hardware", "H100", "fail")] == 1
    branches = result.tables["Branches"].set_index("scenario")
    assert branches.loc["fail", "branch_of"] == "ok" and branches.loc["fail", "branch_quarter"] == "2026Q4"
    assert branches.loc["fail", "cost_usd"] == pytest.approx(5e6 + 13e6 + 30_657_000, rel=1e-9)


def test_program_that_may_fail_two_stage(tmp_path):
    """The same without branch columns: A1 would serve nothing in fail, so H100 is owned from the
    start in both: 4 x 1000 x 10,219 = 40,876,000."""
    s = _failing_program(base_case(), "2026Q4")
    _scenario(s, "ok", 0.5)
    _scenario(s, "fail", 0.5, failed="P1")
    assert total_cost(s, tmp_path) == pytest.approx(40_876_000, rel=1e-9)


def test_failed_hardware_ordered_before_the_branch_is_paid_for(tmp_path):
    """A1 orderable from 2026Q3, unmet penalty 20,000 $/du, fail (p = 0.1) branches off ok at 2026Q4.

    Fund P1 (5,000,000) and order A1 in 2026Q3, before anything is known. ok: A1 serves all four
    quarters, 1000 x 2,219 x 4 = 8,876,000. fail: A1 gives nothing but its capital is charged over the
    quarters it would have served, 1000 x 2,000 x 4 = 8,000,000 (no energy); 2026Q3 goes unmet,
    1000 x 20,000 = 20,000,000; H100 from 2026Q4, 1000 x 10,219 x 3 = 30,657,000; fail costs 58,657,000.
    Expected 5,000,000 + 0.9 x 8,876,000 + 0.1 x 58,657,000 = 18,854,100. (Leasing 2026Q3 instead
    costs 13,000,000 in both scenarios: 27,057,100; never funding: 40,876,000.)"""
    s = _failing_program(base_case(), "2026Q3", penalty=20000)
    _scenario(s, "ok", 0.9)
    _scenario(s, "fail", 0.1, "ok", "2026Q4", failed="P1")
    assert total_cost(s, tmp_path) == pytest.approx(18_854_100, rel=1e-9)


def _single(s, **slips):
    _scenario(s, "only", 1.0, **slips)
    return s


def test_build_slip(tmp_path):
    """No MW at q0; one free 1 MW phase (lead 0) may be built; a 1-quarter lease at 12,000.
    build_slip 1: a phase started in 2026Q3 is online only in 2026Q4, so 2026Q3 is leased
    (12,000,000) and H100 are owned from 2026Q4 (3 x 1000 x 10,219 = 30,657,000): 42,657,000.
    Without the slip the phase is online at once and owning from 2026Q3 costs 40,876,000."""
    s = setcell(base_case(), "Sites", "dc1", "existing_mw", 0)
    setcell(s, "Sites", "dc1", "phase_mw", 1)
    setcell(s, "Sites", "dc1", "max_phases", 1)
    setcell(s, "LeaseOffers", "lease1", "term", 1)
    assert total_cost(s, tmp_path) == pytest.approx(40_876_000, rel=1e-9)
    assert total_cost(_single(s, build=1), tmp_path) == pytest.approx(42_657_000, rel=1e-9)


def test_committed_phase_slips_too(tmp_path):
    """A committed 1 MW phase online in 2026Q4 (after start_quarter) slips with build_slip 1 to
    2027Q1: lease 2026Q3 and 2026Q4 (2 x 12,000,000), own from 2027Q1 (2 x 1000 x 10,219 =
    20,438,000): 44,438,000."""
    s = setcell(base_case(), "Sites", "dc1", "existing_mw", 0)
    setcell(s, "Sites", "dc1", "phase_mw", 1)
    setcell(s, "LeaseOffers", "lease1", "term", 1)
    add_row(s, "CommittedPhases", "dc1", 1, "2026Q4", header=["site", "phases", "online_quarter"])
    assert total_cost(_single(s, build=1), tmp_path) == pytest.approx(44_438_000, rel=1e-9)


def test_delivery_slip_on_a_tree(tmp_path):
    """late (p = 0.5, delivery_slip 1) branches off ontime at 2026Q4; the lease is 1 quarter at 12,000.

    Best: lease 2026Q3 in both (12,000,000, shared). ontime orders H100 in 2026Q4 (3 quarters,
    30,657,000): 42,657,000. late's order of 2026Q4 arrives in 2027Q1 (2 quarters, 20,438,000), so it
    leases 2026Q4 too: 44,438,000. Expected 43,547,500. (Ordering in 2026Q3 in both and leasing
    2026Q3 gives 0.5 x 52,876,000 + 0.5 x 42,657,000 = 47,766,500.)"""
    s = setcell(base_case(), "LeaseOffers", "lease1", "term", 1)
    _scenario(s, "ontime", 0.5)
    _scenario(s, "late", 0.5, "ontime", "2026Q4", delivery=1)
    assert total_cost(s, tmp_path) == pytest.approx(43_547_500, rel=1e-9)


def test_lease_slip_of_new_and_signed_leases(tmp_path):
    """Leases only (no power), penalty 20,000 $/du; a lease signed earlier, 1000 H100 at 5,000 $
    from 2026Q4 to 2027Q2; lease_slip 1 moves it to 2027Q1..2027Q3 (paid 2027Q1-Q2: 10,000,000).
    Any lease signed in 2026Q3 starts in 2026Q4, so 2026Q3 goes unmet (20,000,000) and an L1 block
    covers 2026Q4 (12,000,000; an L4 block would cost 27,000,000): 42,000,000. Without the slip
    the signed lease serves 2026Q4-2027Q2 (15,000,000) and L1 covers 2026Q3: 27,000,000."""
    s = _leases_only()
    setcell(s, "Workloads", "inference", "unmet_penalty", 20000)
    add_row(s, "ExistingLeases", "cloud", "H100", 1000, 5000, "2026Q4", "2027Q2",
            header=["provider", "hardware", "units", "price_per_unit_quarter", "first_quarter", "last_quarter"])
    assert total_cost(s, tmp_path) == pytest.approx(27_000_000, rel=1e-9)
    assert total_cost(_single(s, lease=1), tmp_path) == pytest.approx(42_000_000, rel=1e-9)


def test_tree_report_tables_and_picture(tmp_path):
    """The failing-program tree's report: Actions names the scenarios of each decision, Branches says
    in a few words what fail does differently from 2026Q4 (1000 A1 fewer, 1000 H100 more), and the
    workbook has a Tree sheet (scenarios down, quarters across: fail follows ok's colour until
    2026Q4, where a dot marks its branch, then its own), also drawn as charts/tree.svg."""
    import openpyxl

    from planner.report.writer import write_report

    s = _failing_program(base_case(), "2026Q4")
    _scenario(s, "ok", 0.5)
    _scenario(s, "fail", 0.5, "ok", "2026Q4", failed="P1")
    result = solve_sheets(s, tmp_path)
    branches = result.tables["Branches"].set_index("scenario")
    assert branches.loc["fail", "main_differences"] == "A1 ordered -1k; H100 ordered +1k"
    assert branches.loc["fail", "decisions_that_differ"] == 2
    assert branches.loc["ok", "main_differences"] == ""
    write_report(result.tables, tmp_path / "out")
    wb = openpyxl.load_workbook(tmp_path / "out" / "plan.xlsx")
    tree = wb["Tree"]
    quarters = [c.value for c in tree[3][1:] if c.value and "Q" in str(c.value)]
    rows = {tree.cell(row=r, column=1).value: r for r in (4, 5)}
    ok, fail = ([tree.cell(row=rows[name], column=j + 2) for j in range(len(quarters))] for name in ("ok", "fail"))
    branch = quarters.index("2026Q4")
    assert all(c.fill.fgColor.rgb == ok[0].fill.fgColor.rgb for c in ok + fail[:branch])
    assert all(c.fill.fgColor.rgb != ok[0].fill.fgColor.rgb for c in fail[branch:])
    assert [j for j, c in enumerate(fail) if c.value == "●"] == [branch]
    svg = (tmp_path / "out" / "charts" / "tree.svg").read_text()
    assert "fail" in svg and "from 2026Q4: A1 ordered -1k; H100 ordered +1k" in svg
