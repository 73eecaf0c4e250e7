"""``planner run --decompose``: scenario decomposition on mpi-sppy under MPI (issue 32).

Real MPI runs of the command (MPICH from its wheel): started alone (it launches itself on 3 local
processes) and under an explicit ``mpiexec -n 3``. Each tiny tree's optimum is worked out by hand in
``tests/test_tree.py`` / ``tests/test_scenarios.py`` (the arithmetic is repeated here); the decomposition
must reach it, prove it with its Lagrangian bound, and its plan must pass the audit.
"""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from planner.solver.tree_nodes import NodeTree
from planner.workbook.inputs import Scenario
from planner.workbook.tree import Tree
from tests.helpers import base_case, write_workbook
from tests.test_scenarios import _slip_case
from tests.test_tree import _failing_program, _high_demand, _leases_only, _scenario

MPIEXEC = Path(sys.executable).parent / "mpiexec"


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PMI_", "OMPI_", "PMIX_"))}
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=300, env=env)


def _decomposed(sheets, tmp_path: Path, mpiexec: bool = False) -> tuple[dict, subprocess.CompletedProcess]:
    book = write_workbook(copy.deepcopy(sheets), tmp_path / "tree.xlsx")
    command = [sys.executable, "-m", "planner.cli", "run", str(book), "--decompose", "--mip-gap", "1e-7",
               "--time-limit", "60", "--out", str(tmp_path / "out")]
    if mpiexec:
        command = [str(MPIEXEC), "-n", "3", *command]
    done = _run(command, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    summary = pd.read_csv(tmp_path / "out" / "csv" / "summary.csv").set_index("metric")["value"]
    solver = pd.read_csv(tmp_path / "out" / "csv" / "solver.csv").set_index("metric")["value"]
    return {**summary.to_dict(), **{f"solver.{k}": v for k, v in solver.to_dict().items()}}, done


def _check(got: dict, expected: float, proven: bool = True) -> None:
    """The plan costs ``expected``; the bound is never above it, and equals it when ``proven``."""
    assert float(got["total_cost"]) == pytest.approx(expected, rel=1e-6)
    assert float(got["solver.best_bound"]) <= expected * (1 + 1e-9)
    if proven:
        assert float(got["solver.best_bound"]) == pytest.approx(expected, rel=1e-6)
    assert got["audit"] == "pass"
    assert "Lagrangian" in got["solver.best_bound_from"] and "xhat" in got["solver.plan_from"]


def test_node_tree_of_a_three_level_tree():
    """a is the trunk; b branches off a at quarter 2, c off b at quarter 3 (p = 0.5, 0.25, 0.25).
    Classes change at 2 and 3: stages [0, 2), [2, 3), [3, n). ROOT {a, b, c}; at 2 the classes are
    {a} and {b, c} (ROOT_0, ROOT_1, cond. p 0.5 and 0.5); at 3 {a} -> ROOT_0_0 (1.0), and {b}, {c} ->
    ROOT_1_0, ROOT_1_1 (0.5 each); the leaves are ROOT_0_0_0, ROOT_1_0_0, ROOT_1_1_0."""
    scenarios = {"a": Scenario("a", 0.5, {}, 0), "b": Scenario("b", 0.25, {}, 0, branch_of="a", branch_quarter=2),
                 "c": Scenario("c", 0.25, {}, 0, branch_of="b", branch_quarter=3)}
    nodes = NodeTree.of(Tree.of(scenarios, 6), {n: s.probability for n, s in scenarios.items()})
    assert nodes.starts == (0, 2, 3)
    assert [(n.name, n.members, n.cond_prob) for n in nodes.nodes] == [
        ("ROOT", ("a", "b", "c"), 1.0), ("ROOT_0", ("a",), 0.5), ("ROOT_0_0", ("a",), 1.0),
        ("ROOT_1", ("b", "c"), 0.5), ("ROOT_1_0", ("b",), 0.5), ("ROOT_1_1", ("c",), 0.5)]
    assert nodes.scenarios == ("a", "b", "c")
    assert nodes.leaves == {"a": "ROOT_0_0_0", "b": "ROOT_1_0_0", "c": "ROOT_1_1_0"}
    assert [nodes.stage_of(t) for t in range(6)] == [1, 1, 2, 3, 3, 3]


def test_decompose_demand_learned_in_2027(tmp_path):
    """high branches off low at 2027Q1. Both sign one L4 block in 2026Q3 (4 x 1000 x 9,000 = 36,000,000);
    only high signs a second in 2027Q1 (2 x 1000 x 9,000 = 18,000,000): 36,000,000 + 0.5 x 18,000,000 =
    45,000,000. The command launches itself on 3 local MPI processes."""
    got, _ = _decomposed(_high_demand(_leases_only(), branch=True), tmp_path)
    _check(got, 45_000_000)


def test_decompose_under_mpiexec_program_that_may_fail(tmp_path):
    """fail branches off ok at 2026Q4 with P1 failed: fund P1 (5,000,000) and lease 2026Q3 (13,000,000)
    in both; ok then owns A1 (1000 x 2,219 x 3 = 6,657,000), fail H100 (1000 x 10,219 x 3 = 30,657,000):
    18,000,000 + 0.5 x 6,657,000 + 0.5 x 30,657,000 = 36,657,000. Run under ``mpiexec -n 3``; only rank 0
    prints the headline. The bound stays below: relaxing the shared funding (a whole decision) leaves a
    Lagrangian duality gap, which no multipliers close (measured: 35,407,000)."""
    s = _failing_program(base_case(), "2026Q4")
    _scenario(s, "ok", 0.5)
    _scenario(s, "fail", 0.5, "ok", "2026Q4", failed="P1")
    got, done = _decomposed(s, tmp_path, mpiexec=True)
    _check(got, 36_657_000, proven=False)
    assert float(got["solver.best_bound"]) > 0.9 * 36_657_000
    assert done.stdout.count("report in") == 1


def test_decompose_risk_averse_two_stage(tmp_path):
    """Risk aversion 1, alpha 0.9 (the worst scenario), NRE 15,000,000: funding costs 15,000,000 +
    35,219,000 in the slipped scenario, more than owning H100 in both (4 x 1000 x 10,219 = 40,876,000), so
    the optimum is 40,876,000 (test_scenarios). Two-stage: one node, with CVaR's η a decision of ROOT."""
    got, _ = _decomposed(_slip_case(15e6, 1.0), tmp_path)
    _check(got, 40_876_000)


def test_decompose_needs_a_multiple_of_three_processes(tmp_path):
    """--processes 4 is refused before anything runs (exit 2, no report)."""
    book = write_workbook(copy.deepcopy(_high_demand(_leases_only(), branch=True)), tmp_path / "tree.xlsx")
    done = _run([sys.executable, "-m", "planner.cli", "run", str(book), "--decompose", "--processes", "4",
                 "--out", str(tmp_path / "out")], tmp_path)
    assert done.returncode == 2 and "multiple of 3" in done.stderr
    assert not (tmp_path / "out").exists()


def test_tree_start_is_a_plan_of_the_tree(tmp_path):
    """The start handed to HiGHS (the LP relaxation rounded and repaired) satisfies every row and bound of the
    tree MILP, is whole where the MILP is, and costs no less than the optimum worked out by hand
    (36,657,000, test_tree.test_program_that_may_fail)."""
    import numpy as np

    from planner.solver.solved import built
    from planner.solver.tree_start import tree_start
    from planner.workbook.validate import load_inputs

    s = _failing_program(base_case(), "2026Q4")
    _scenario(s, "ok", 0.5)
    _scenario(s, "fail", 0.5, "ok", "2026Q4", failed="P1")
    b = built(load_inputs(write_workbook(copy.deepcopy(s), tmp_path / "tree.xlsx")))
    x, bound = tree_start(b.parts, b.compiled, 60.0)
    assert x is not None and bound <= 36_657_000 * (1 + 1e-9)
    lp = b.compiled.lp
    assert np.all(x >= np.array(lp.col_lower_) - 1e-7) and np.all(x <= np.array(lp.col_upper_) + 1e-7)
    assert np.allclose(x[b.compiled.integer], np.round(x[b.compiled.integer]))
    import scipy.sparse

    a = lp.a_matrix_
    matrix = scipy.sparse.csc_array((a.value_, a.index_, a.start_), shape=(lp.num_row_, lp.num_col_))
    activity = matrix @ x
    scale = np.maximum(1.0, np.abs(activity))
    assert np.all(activity >= np.array(lp.row_lower_) - 1e-7 * scale)
    assert np.all(activity <= np.array(lp.row_upper_) + 1e-7 * scale)
    cost = float(np.dot(lp.col_cost_, x) + lp.offset_)
    assert cost >= 36_657_000 * (1 - 1e-9)


def test_value_of_risk_auto_rule():
    """auto computes vss and evpi for at most 10 scenarios and a plan at its target gap; on and off obey."""
    from dataclasses import replace

    from planner.analysis.risk import wanted
    from planner.workbook.validate import load_inputs

    inp = load_inputs(Path(__file__).resolve().parents[1] / "inputs" / "example-risk.xlsx")
    assert wanted(inp, "auto", "optimal") == (True, "auto")
    assert wanted(inp, "auto", "time_limit")[0] is False
    assert wanted(inp, "on", "time_limit")[0] is True and wanted(inp, "off", "optimal")[0] is False
    many = {f"s{i}": replace(next(iter(inp.scenarios.values())), name=f"s{i}", probability=1 / 11)
            for i in range(11)}
    assert "11 scenarios" in wanted(replace(inp, scenarios=many), "auto", "optimal")[1]


def test_run_adds_vss_after_the_report(tmp_path):
    """``planner run --value-of-risk on`` writes the plan, then adds vss and evpi computed on Dask: for the
    lease tree (high branches off low at 2027Q1) the expected-value plan (demand 1500 in 2027: one L4 block,
    then 0.5 x 18,000,000 for high) costs what the tree plan does, 45,000,000, so vss = 0; alone, low costs
    36,000,000 and high 54,000,000, so WS = 45,000,000 and evpi = 0."""
    book = write_workbook(copy.deepcopy(_high_demand(_leases_only(), branch=True)), tmp_path / "tree.xlsx")
    done = _run([sys.executable, "-m", "planner.cli", "run", str(book), "--value-of-risk", "on", "--mip-gap",
                 "1e-9", "--out", str(tmp_path / "out")], tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "added to the report" in done.stdout
    summary = pd.read_csv(tmp_path / "out" / "csv" / "summary.csv").set_index("metric")["value"]
    assert summary["value_of_risk"] == "computed"
    assert float(summary["wait_and_see_cost"]) == pytest.approx(45_000_000, rel=1e-9)
    assert float(summary["evpi"]) == pytest.approx(0.0, abs=1e-3)
    assert float(summary["vss"]) == pytest.approx(0.0, abs=1e-3)


def test_auto_skips_vss_of_a_large_tree_and_says_so(tmp_path):
    """11 scenarios (auto's limit is 10): the plan is reported without vss and evpi, Summary and the
    Overview say why."""
    from planner.pipeline import plan
    from planner.report.overview import overview

    s = _leases_only()
    for i in range(11):
        _scenario(s, f"s{i}", 1 / 11 if i else 1 - 10 * round(1 / 11, 12), None, None)
    book = write_workbook(copy.deepcopy(s), tmp_path / "eleven.xlsx")
    result = plan(book, mip_gap=1e-9, value_of_risk="auto")
    summary = result.tables["Summary"].set_index("metric")["value"]
    assert "vss" not in summary and summary["value_of_risk"].startswith("skipped: 11 scenarios")
    assert any("was not computed: 11 scenarios" in line for line in overview(result.tables).headline)
