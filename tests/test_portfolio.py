"""The portfolio solve (planner.solver.portfolio): several HiGHS searches sharing plans and bounds.

Its answer must be the one MILP's answer: on random small instances it reaches the optimum
of the plain formulation solved by one search (the oracle), and the board's rules (best plan,
best bound, when to stop, which status) are checked on hand-made numbers.
"""

from __future__ import annotations

import math
import threading

import highspy
import numpy as np
import pytest

from planner.model import build_model
from planner.pipeline import plan
from planner.solver import portfolio, relax_fix
from planner.solver.compile import compile_model, lp_from_arrays
from planner.solver.highs import FIXED_OPTIONS, _new_highs, solve
from planner.solver.portfolio import Board, Search, Stage, _status, join_stragglers, relative_gap, run
from planner.workbook.synthetic import Size, generate, write
from planner.workbook.validate import load_inputs

S = highspy.HighsModelStatus


def test_relative_gap_is_highs_formula():
    """(primal - bound) / |primal|: (110 - 99) / 110 = 0.1; equal values give 0, no plan gives inf."""
    assert relative_gap(110.0, 99.0) == pytest.approx(0.1)
    assert relative_gap(-100.0, -110.0) == pytest.approx(0.1)
    assert relative_gap(5.0, 5.0) == 0.0
    assert relative_gap(math.inf, 3.0) == math.inf


def test_board_keeps_best_plan_and_bound_and_stops_at_target():
    """Two searches: plans 120 then 105 (search 1) and 110 (search 0, worse: ignored); bounds 90
    (search 0) and 100 (search 1). Gap (105 - 100) / 105 = 4.76 % > 1 %: no stop. Search 0's bound
    rises to 104: (105 - 104) / 105 = 0.95 % <= 1 %: stop. Progress is told each smaller gap."""
    told: list[float] = []
    board = Board(0.01, bounds=[-math.inf, -math.inf], progress=lambda t, g: told.append(g))
    board.post_plan(1, 120.0, [1.0])
    board.post_plan(1, 105.0, [2.0])
    board.post_plan(0, 110.0, [3.0])
    assert (board.primal, board.plan, board.owner, board.version) == (105.0, [2.0], 1, 2)
    board.post_bound(0, 90.0)
    board.post_bound(1, 100.0)
    board.post_bound(1, 95.0)  # a search's bound never goes down
    assert board.bound == 100.0 and not board.stop.is_set()
    assert board.gap() == pytest.approx(5 / 105)
    board.post_bound(0, 104.0)
    assert board.stop.is_set() and board.gap() == pytest.approx(1 / 105)
    assert told == sorted(told, reverse=True) and told[-1] == pytest.approx(1 / 105)
    assert board.bound_source == "search 0 (the MILP)"
    board.post_bound(1, 104.5, "relaxation")
    assert board.bound_source == "search 1 (relaxation)"


def test_board_sets_aside_a_bound_above_another_searchs_plan():
    """A bound above a feasible plan is numerical trouble: search 1 posts a plan costing 100, search
    0 claims a bound of 105 (> 100 + 1e-6 * 100). Its bound is distrusted: the board's bound stays
    -inf and it does not stop the portfolio (a gap of (100 - 105) / 100 = -5 % would). Search 1's
    bound of 99.5 then gives (100 - 99.5) / 100 = 0.5 % <= 1 %: stop. A bound equal to the plan
    (100) is trusted."""
    board = Board(0.01, bounds=[-math.inf, -math.inf], nodes=[0, 0])
    board.post_plan(1, 100.0, np.zeros(3))
    board.post_bound(0, 105.0)
    assert board.distrusted == {0} and board.bound == -math.inf and not board.stop.is_set()
    board.post_bound(1, 99.5)
    assert board.bound == 99.5 and board.gap() == pytest.approx(0.005) and board.stop.is_set()
    exact = Board(0.01, bounds=[-math.inf], nodes=[0])
    exact.post_plan(0, 100.0, np.zeros(3))
    exact.post_bound(0, 100.0)
    assert exact.distrusted == set() and exact.gap() == 0.0


def test_status_of_the_portfolio():
    """A verdict on the model wins; then the gap; then the first search that ended on its own."""
    done = [Search(S.kInterrupt), Search(S.kInfeasible)]
    assert _status(done, math.inf, 1e-3) == S.kInfeasible
    assert _status([Search(S.kInterrupt), Search(S.kInterrupt)], 5e-4, 1e-3) == S.kOptimal
    assert _status([Search(S.kOptimal), Search(None)], 2e-3, 1e-3) == S.kOptimal
    assert _status([Search(S.kInterrupt), Search(S.kSolutionLimit)], 0.5, 1e-3) == S.kSolutionLimit
    assert _status([Search(S.kTimeLimit), Search(None)], 0.5, 1e-3) == S.kTimeLimit


@pytest.mark.parametrize("seed, staged", [(0, False), (1, True), (2, False), (2, True)])
def test_portfolio_reaches_the_plain_optimum(tmp_path, seed, staged):
    """Two searches on the tight model reach the optimum of the plain model solved by one search
    (an independent oracle), on random small instances with binding budgets; ``staged``: search 1
    relaxes and fixes the strategic decisions first (``solver_mode = relax-and-fix``)."""
    size = Size(quarters=6, workloads=2, hardware=2, sites=2, offers=3, programs=1, budget=True)
    inp = load_inputs(write(generate(size, seed), tmp_path / "case.xlsx"))
    oracle = solve(compile_model(build_model(inp, tight=False)[0]), 1e-9, 120)
    compiled = compile_model(build_model(inp)[0])
    both = solve(compiled, 1e-9, 120, workers=2, staged=staged)
    assert oracle.status == both.status == "optimal"
    assert both.objective == pytest.approx(oracle.objective, rel=1e-7)
    assert both.best_bound <= both.objective * (1 + 1e-9)
    assert both.options["workers"] == 2 and (both.options["relax_and_fix_search"] != "none") == staged
    x = both.col_value  # the plan is the model's columns, integral where it must be
    assert x is not None and len(x) == compiled.lp.num_col_
    assert all(float(v).is_integer() for v in x[compiled.integer])
    join_stragglers()
    assert not [t for t in threading.enumerate() if t.name.startswith("highs-search") and t.is_alive()]


def _assert_same_plan(path, **kw):
    """Plan ``path`` twice; the two runs must agree on the cost, every column and the Actions."""
    first, second = (plan(path, mip_gap=1e-4, value_of_risk=False, **kw) for _ in range(2))
    assert first.solution.objective == second.solution.objective
    assert (first.solution.col_value == second.solution.col_value).all()
    assert first.tables["Actions"].equals(second.tables["Actions"])
    return first


def test_one_search_is_repeatable(small_example):
    """``workers=1`` is the single seeded search: two runs give the same plan, column by column."""
    _assert_same_plan(small_example, workers=1)


@pytest.mark.parametrize("seed", range(2))
def test_repeatable_mode_reaches_the_plain_optimum_twice_alike(tmp_path, seed):
    """``repeatable``: one HiGHS search on two threads (HiGHS's own parallel branch and bound).
    It reaches the optimum of the plain model solved by one search (the oracle), and a second
    run gives the same plan, column by column."""
    size = Size(quarters=6, workloads=2, hardware=2, sites=2, offers=3, programs=1, budget=True)
    inp = load_inputs(write(generate(size, seed), tmp_path / "case.xlsx"))
    oracle = solve(compile_model(build_model(inp, tight=False)[0]), 1e-9, 120)
    compiled = compile_model(build_model(inp)[0])
    first, second = (solve(compiled, 1e-9, 120, workers=2, repeatable=True) for _ in range(2))
    assert oracle.status == first.status == second.status == "optimal"
    assert first.objective == pytest.approx(oracle.objective, rel=1e-7)
    assert first.options["threads"] == 2 and "workers" not in first.options
    assert (first.col_value == second.col_value).all()


def test_one_thread_and_two_threads_alternate_on_one_thread(small_example):
    """HiGHS sizes a thread's scheduler by its first run there; a later run with another
    ``threads`` value on the same thread would fail. The repeatable mode resets it before and
    after, so single searches, repeatable runs and single searches again all solve here."""
    inp = load_inputs(small_example)
    compiled = compile_model(build_model(inp)[0])
    runs = [solve(compiled, 1e-6, 120), solve(compiled, 1e-6, 120, workers=2, repeatable=True),
            solve(compiled, 1e-6, 120)]
    assert [r.status for r in runs] == ["optimal"] * 3
    assert runs[1].objective == pytest.approx(runs[0].objective, rel=2e-6)
    assert runs[2].objective == runs[0].objective


def test_repeatable_setting_gives_the_same_plan_twice(small_example, tmp_path):
    """``solver_mode = repeatable`` in Settings: two whole runs give the same plan and tables,
    as ``workers=1`` does (:func:`_assert_same_plan`)."""
    from openpyxl import load_workbook

    wb = load_workbook(small_example)
    wb["Settings"].append(["solver_mode", "repeatable"])
    path = tmp_path / "repeatable.xlsx"
    wb.save(path)
    first = _assert_same_plan(path)
    assert first.solution.options["threads"] == 2


def _knapsack() -> tuple:
    """min -5a - 4b - 3c  s.t.  2a + 3b + 2c <= 5,  a, b, c in {0, 1}: the MILP's optimum is -9
    (a = b = 1; a + c gives -8, b + c gives -7, all three weigh 7)."""
    import scipy.sparse

    A = scipy.sparse.csc_array(np.array([[2.0, 3.0, 2.0]]))
    lp = lp_from_arrays(A, np.array([-5.0, -4.0, -3.0]), np.zeros(3), np.ones(3), np.array([-math.inf]),
                        np.array([5.0]), np.ones(3, dtype=bool), 0.0)
    return lp, np.array([True, False, False])


def _stage(lp, **kw) -> Stage:
    def make(seconds: float) -> highspy.Highs:
        h = _new_highs(dict(FIXED_OPTIONS, mip_rel_gap=1e-9, time_limit=seconds))
        h.passModel(lp)
        return h

    return Stage(make, **kw)


def test_stage_stop_rules_need_a_plan_to_compare():
    """Target 1e-4. A relaxation with plan 100 stops once the board's bound is at least
    100 - 1e-4 x 100 = 99.99 (99.995: stop; 99.98: go on). Before its first plan HiGHS reports
    +inf, and inf <= bound + 1e-4 x inf holds in floating point for any finite bound: the rule must
    not stop a relaxation that starts after the board has a bound (it did, in 0 s). A restriction
    with bound 99.995 stops against a board plan of 100 (>= 99.99), not against 100.5 (100.5 -
    0.01005 = 100.48995), and never while the board has no plan."""
    relaxed, restricted = portfolio.relaxation_done, portfolio.restriction_done
    assert relaxed(100.0, 99.995, 1e-4) and not relaxed(100.0, 99.98, 1e-4)
    assert not relaxed(math.inf, 99.995, 1e-4) and not relaxed(math.inf, -math.inf, 1e-4)
    assert restricted(99.995, 100.0, 1e-4) and not restricted(99.995, 100.5, 1e-4)
    assert not restricted(99.995, math.inf, 1e-4) and not restricted(-math.inf, 100.0, 1e-4)


def test_a_relaxation_stage_posts_its_bound_and_no_plan():
    """R keeps only a whole: a = 1, then by value per weight c = 1 (3 / 2 per unit) and b = 1/3
    (4 / 3): -5 - 3 - 4/3 = -28/3 (a = 0 gives -7). R's plan (b = 1/3) is no plan of the MILP, so
    a search of R alone leaves the board without a plan and with the bound -28/3 <= -9."""
    lp, keep = _knapsack()
    out = run([_stage(relax_fix.relaxed(lp, keep), plans=False, label="R")], 1e-9, 30)
    assert out.plan is None and out.primal == math.inf
    assert out.bound == pytest.approx(-28 / 3, rel=1e-9) and out.bound_source == "search 0 (R)"


def test_a_restriction_stage_posts_plans_and_no_bound():
    """F fixes a = 1: the best with b, c is b = 1 (weight 3 fits, -9; c alone gives -8). Its plan
    is a plan of the MILP; its bound is not a bound of the MILP, so the board keeps -inf."""
    lp, keep = _knapsack()
    f = relax_fix.restricted(lp, keep, np.array([1.0]))
    out = run([_stage(f, bounds=False, restricted=True)], 1e-9, 30)
    assert out.primal == pytest.approx(-9.0) and list(np.round(out.plan)) == [1.0, 1.0, 0.0]
    assert out.bound == -math.inf


def test_relax_and_fix_stages_end_at_the_milp_optimum():
    """R (bound -28/3, a = 1) -> F (a fixed at R's 1: plan -9) -> the MILP itself, which proves -9.
    The search built by ``relax_fix.search`` goes through all three; alone in a portfolio it ends
    optimal at -9 with the plan a = b = 1."""
    lp, keep = _knapsack()
    last = _stage(lp)
    out = run([relax_fix.search(lp, keep, dict(FIXED_OPTIONS, mip_rel_gap=1e-9), _new_highs, last)], 1e-9, 30)
    assert out.status == S.kOptimal
    assert out.primal == pytest.approx(-9.0) and out.bound == pytest.approx(-9.0)
    assert list(np.round(out.plan)) == [1.0, 1.0, 0.0]
    assert relax_fix.search(lp, np.zeros(3, dtype=bool), {}, _new_highs, last) is last
    labels = [r.label for r in out.timeline]
    assert labels == ["relaxation: only phase, commit and go whole", "restriction (at most 2.0 s)", "the MILP"]
    assert all(a.end <= b.start + 1e-9 for a, b in zip(out.timeline, out.timeline[1:]))
    r_stage, f_stage, _ = out.timeline
    assert r_stage.best_plan_at is None and f_stage.best_plan_at is not None  # R posts no plan, F posts -9
    assert str(f_stage).startswith("search 0: restriction ")


def test_the_restriction_runs_at_most_four_times_as_long_as_the_relaxation():
    """F's budget is max(2 s, 4 x R's seconds): R in 0.1 s gives 2 s (4 x 0.1 = 0.4 < 2), R in 7.7 s
    (q28) gives 30.8 s, R in 31 s (the example) 124 s."""
    assert relax_fix.f_budget(0.1) == pytest.approx(2.0)
    assert relax_fix.f_budget(7.7) == pytest.approx(30.8)
    assert relax_fix.f_budget(31.0) == pytest.approx(124.0)


def test_relax_and_fix_is_advised_only_for_long_deterministic_plans_left_far_from_their_bound():
    """The advice after a run the time limit stopped: the example's 26 quarters, one scenario, 0.45 %
    left (0.0045 > 0.003) by two whole searches get it; not at 0.2 % (below 0.3 %), not at 19
    quarters, not with 3 scenarios, not when search 1 already relaxed and fixed or the run had
    no portfolio (``unused`` False)."""
    assert "--relax-and-fix" in relax_fix.advice(True, 26, 1, 0.0045)
    assert "0.45 %" in relax_fix.advice(True, 26, 1, 0.0045)
    for unused, quarters, scenarios, gap in ((True, 26, 1, 0.002), (True, 19, 1, 0.0045),
                                             (True, 26, 3, 0.0045), (False, 26, 1, 0.0045)):
        assert relax_fix.advice(unused, quarters, scenarios, gap) is None


def test_strategic_columns_are_phases_and_funding_still_free(small_example):
    """Strategic: the whole ``phase`` and ``commit`` columns, not orders or leases, and not those
    fixed by their bounds (a kept decision)."""
    inp = load_inputs(small_example)
    compiled = compile_model(build_model(inp)[0])
    mask = relax_fix.strategic_columns(compiled)
    names = {v.parent_component().name for v, m in zip(compiled.columns, mask) if m}
    assert names == {"phase", "commit"}
    key = next(k for k in build_model(inp)[1].dec["phase"])
    fixed = compile_model(build_model(inp, fixed={"phase": {key: 0.0}})[0])
    assert relax_fix.strategic_columns(fixed).sum() == mask.sum() - 1


def test_relax_and_fix_setting_reaches_the_plain_optimum(small_example, tmp_path):
    """``solver_mode = relax-and-fix`` in Settings: the run's search 1 relaxes and fixes (the Solver
    options say how many strategic columns), and the plan's cost is the optimum of the plain
    formulation solved by one search (the oracle); without the setting no search is staged."""
    from openpyxl import load_workbook

    wb = load_workbook(small_example)
    wb["Settings"].append(["solver_mode", "relax-and-fix"])
    path = tmp_path / "relax-and-fix.xlsx"
    wb.save(path)
    oracle = solve(compile_model(build_model(load_inputs(small_example), tight=False)[0]), 1e-9, 120)
    staged = plan(path, mip_gap=1e-9, value_of_risk=False, workers=2)
    join_stragglers()
    assert staged.solution.options["relax_and_fix_search"].endswith("strategic columns)")
    assert staged.solution.objective == pytest.approx(oracle.objective, rel=1e-7)
    assert staged.solution.stages[0].startswith("search 1: relaxation")  # the Solver sheet's search_stages
    solver = staged.tables["Solver"].set_index("metric")["value"]
    assert solver["search_stages"].startswith("search 1: relaxation")
    default = plan(small_example, mip_gap=1e-9, value_of_risk=False, workers=2)
    join_stragglers()
    assert default.solution.options["relax_and_fix_search"] == "none"
    assert default.solution.stages == () and "search_stages" not in set(default.tables["Solver"]["metric"])
