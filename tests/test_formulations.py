"""The tight formulation (default) and the plain one of MODEL.md reach the same optimum.

The plain formulation is the oracle: it has only the limits MODEL.md states. Random small
instances from planner.synthetic, solved to a 1e-9 gap by both.
"""

from __future__ import annotations

import pytest

from planner.model import build_model
from planner.solve import compile_model, solve
from planner.synthetic import Size, generate, write
from planner.validate import load_inputs

CASES = [(seed, size) for seed in range(4) for size in (
    Size(quarters=5, workloads=2, hardware=2, sites=2, offers=2, programs=1, budget=True),
    Size(quarters=6, workloads=2, hardware=2, sites=1, offers=3, programs=1, scenarios=2, risk_aversion=0.5),
)]


@pytest.mark.parametrize(("seed", "size"), CASES)
def test_tight_and_plain_agree(tmp_path, seed, size):
    inp = load_inputs(write(generate(size, seed), tmp_path / "case.xlsx"))
    costs = []
    for tight in (True, False):
        model, _ = build_model(inp, tight=tight)
        solution = solve(compile_model(model), 1e-9, 120)
        assert solution.status == "optimal"
        costs.append(solution.objective)
    assert costs[0] == pytest.approx(costs[1], rel=1e-7)


def test_benchmark_runner_smoke(tmp_path):
    """The benchmark runner measures every stage on a tiny instance (speed is not asserted)."""
    from benchmarks.run import Instance, run_one

    row = run_one(Instance("tiny", size=Size(quarters=4, workloads=1, hardware=1, offers=1, programs=0), gap=1e-6),
                  True, 30.0, tmp_path)
    for key in ("read", "validate", "build", "handover", "solve", "write", "gap", "cols", "rows"):
        assert key in row
    assert row["gap"] <= 1e-6


@pytest.mark.parametrize("seed", range(2))
def test_benchmark_variants_keep_the_optimum(tmp_path, seed):
    """Every reformulation in benchmarks/variants.py is the same MILP: each reaches the optimum
    of the plain formulation (the oracle) on a small random instance with a binding budget."""
    from benchmarks.variants import VARIANTS, solve_variant

    size = Size(quarters=5, workloads=2, hardware=2, sites=2, offers=2, programs=1, budget=True)
    inp = load_inputs(write(generate(size, seed), tmp_path / "case.xlsx"))
    oracle = solve(compile_model(build_model(inp, tight=False)[0]), 1e-9, 120)
    compiled = compile_model(build_model(inp)[0])
    for variant in VARIANTS:
        result = solve_variant(compiled, variant, 1e-9, 120, seed=0)
        assert result["gap"] <= 1e-9, variant
        assert result["objective"] == pytest.approx(oracle.objective, rel=1e-7), variant
