"""Property tests on random valid workbooks (planner.workbook.synthetic) and random mutations of them.

* every plan passes the independent audit, and the auditor's cost equals the solver's objective;
* with scenarios (risk neutral), vss >= 0 and evpi >= 0;
* a mutation that breaks a rule of MODEL.md section 2 is rejected with located messages.
"""

from __future__ import annotations

import copy
import math
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.pipeline import plan
from planner.workbook.errors import InputError
from planner.workbook.schema import SHEET_BY_NAME
from planner.workbook.synthetic import Size, generate, write
from planner.workbook.validate import load_inputs

SMALL = Size(quarters=5, workloads=2, hardware=2, sites=1, offers=2, programs=1, budget=True)
FAST = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FAST
@given(seed=st.integers(0, 10**6), budget=st.booleans(), sites=st.integers(1, 2))
def test_random_plans_pass_the_audit(tmp_path, seed, budget, sites):
    size = Size(quarters=5, workloads=2, hardware=2, sites=sites, offers=2, programs=1, budget=budget)
    result = plan(write(generate(size, seed), tmp_path / f"r{seed}.xlsx"), mip_gap=1e-6, value_of_risk="off")
    assert result.audit.passed, result.audit.violations
    assert result.audit.cost == pytest.approx(result.solution.objective, rel=1e-6)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6))
def test_value_of_risk_is_never_negative_when_risk_neutral(tmp_path, seed):
    size = Size(quarters=4, workloads=2, hardware=2, offers=2, programs=1, scenarios=2)
    result = plan(write(generate(size, seed), tmp_path / f"v{seed}.xlsx"), mip_gap=1e-7, value_of_risk="on")
    summary = dict(zip(result.tables["Summary"].metric, result.tables["Summary"].value))
    scale = 1e-6 * abs(summary["expected_cost"])  # both are differences of solves at a 1e-7 gap
    assert summary["vss"] >= -scale and summary["evpi"] >= -scale
    assert result.audit.passed


def _mutate(sheets, kind: str, pick):
    """Apply one invalid edit; returns the sheet name it should be reported on."""
    if kind == "unknown sheet":
        sheets["Notes"] = [["text"], ["hello"]]
        return "Notes"
    if kind == "unknown column":
        name = pick(sorted(n for n in sheets if n not in ("Demand", "Throughput", "Scenarios")))
        sheets[name][0].append("comment")
        for row in sheets[name][1:]:
            row.append("x")
        return name
    name = pick(sorted(n for n in sheets if n != "Settings" and len(sheets[n]) > 1))
    spec = SHEET_BY_NAME[name.lower()]
    header = sheets[name][0]
    row = pick(sheets[name][1:])
    cols = {c.name: c for c in spec.columns if c.name in header}
    if kind == "duplicate key" and spec.key and spec.key in header:
        sheets[name].append(copy.deepcopy(sheets[name][1]))
        return name
    numeric = [c for c in cols.values() if c.kind in ("number", "integer", "fraction")]
    if kind == "negative" and numeric:
        row[header.index(pick(numeric).name)] = -7
        return name
    if kind == "text in number" and numeric:
        row[header.index(pick(numeric).name)] = "lots"
        return name
    refs = [c for c in cols.values() if c.ref]
    if kind == "unknown name" and refs:
        row[header.index(pick(refs).name)] = "Nowhere"
        return name
    required = [c for c in cols.values() if c.required]
    if required:
        row[header.index(pick(required).name)] = None
        return name
    sheets["Notes"] = [["text"], ["hello"]]  # nothing else applies: fall back to an unknown sheet
    return "Notes"


@settings(max_examples=int(os.environ.get("MUTATION_EXAMPLES", "30")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), data=st.data(),
       kind=st.sampled_from(["unknown sheet", "unknown column", "duplicate key", "negative", "text in number",
                             "unknown name", "blank required"]))
def test_mutations_are_rejected_with_located_messages(tmp_path, seed, data, kind):
    sheets = generate(SMALL, seed % 50)
    sheet = _mutate(sheets, kind, lambda options: data.draw(st.sampled_from(list(options))))
    path = write(sheets, tmp_path / f"m{seed}.xlsx")
    with pytest.raises(InputError) as err:
        load_inputs(path)
    problems = err.value.problems
    assert problems, kind
    assert any(p.sheet == sheet for p in problems), (kind, sheet, [str(p) for p in problems])
    for p in problems:
        assert p.sheet and (p.row is not None or p.column is not None or p.sheet == "Notes"
                            or "missing" in p.message or "sum to 1" in p.message), str(p)
        assert not (isinstance(p.value, float) and math.isnan(p.value))


TREE = Size(quarters=5, workloads=2, hardware=2, sites=1, offers=2, programs=1, scenarios=3, tree=True,
            pipeline=True, budget=True)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), risk=st.sampled_from([0.0, 0.5]))
def test_random_trees_pass_the_audit(tmp_path, seed, risk):
    """Trees with slips, failed programs, a ScenarioDemand row and a committed pipeline: the auditor,
    which reads each scenario's decisions from Actions, finds every rule kept and the same cost."""
    size = Size(**{**TREE.__dict__, "risk_aversion": risk})
    result = plan(write(generate(size, seed), tmp_path / f"t{seed}.xlsx"), mip_gap=1e-6, value_of_risk=False)
    assert result.audit.passed, result.audit.violations
    assert result.audit.cost == pytest.approx(result.solution.objective, rel=1e-6)


def _expected(inp) -> float:
    from planner.solver.solved import solve_inputs

    solved = solve_inputs(inp, 1e-9, 120)
    assert solved.solution.status == "optimal"
    return solved.solution.objective


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6))
def test_tree_lies_between_two_stage_and_wait_and_see(tmp_path, seed):
    """Risk neutral: adapting can only help and knowing everything at once is the best one can do,
    so two-stage >= tree >= wait-and-see (each planned alone, weighted); and a tree in which every
    scenario branches at start_quarter is wait-and-see."""
    from dataclasses import replace

    inp = load_inputs(write(generate(TREE, seed), tmp_path / f"b{seed}.xlsx"))
    tree = _expected(inp)
    two_stage = _expected(replace(inp, scenarios={n: replace(sc, branch_quarter=None)
                                                  for n, sc in inp.scenarios.items()}))
    alone = sum(sc.probability * _expected(replace(inp, scenarios={n: replace(sc, probability=1.0, branch_of=None,
                                                                              branch_quarter=None)},
                                                   has_scenario_sheet=False))
                for n, sc in inp.scenarios.items())
    at_start = _expected(replace(inp, scenarios={n: replace(sc, branch_quarter=None if sc.branch_of is None else 0)
                                                 for n, sc in inp.scenarios.items()}))
    tol = 1e-6 * abs(tree)
    assert alone - tol <= tree <= two_stage + tol
    assert at_start == pytest.approx(alone, rel=1e-6)
