"""Conformance workbooks: optimal costs from an independent formulation of MODEL.md.

The files and ``expected-11.json`` are copied unchanged from ``shared/conformance`` (found there by
a second formulation on HiGHS and confirmed by SCIP). Since MODEL.md section 11 these are the optima
to match (``expected.json``, sections 1-10 as they were, is kept beside them for the record): the
workbooks of sections 1-10 and the ``s11-*`` ones with resale values and on-demand capacity; with them
``expected-12.json``'s ``s12-*`` workbooks, which add section 12's lease options and program gates. The
planner must reproduce each within 1e-6 relative at a MIP gap of 1e-7.

One exception, scen403 (risk averse, section 7): the planner's plan costs 2.7e-5 *less* than the
reference's value, which SCIP did not confirm either (its best plan after 900 s lay 7.9e-4 above it).
The plan passes the independent audit (every constraint and the cost recomputed from the report), and
the same value comes from the plain formulation and from one with the CVaR rows in dollars, so we
read the reference's value as not optimal there. That case asserts a plan no dearer than the
reference's, audited, and within 1e-4 of it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from planner.pipeline import plan

DATA = Path(__file__).parent / "data" / "conformance"
EXPECTED = json.loads((DATA / "expected-11.json").read_text()) | json.loads((DATA / "expected-12.json").read_text())
CASES = sorted(name for name in EXPECTED if (DATA / name).exists())
#: Cases where our audited plan is cheaper than the reference's value (see the module docstring).
CHEAPER = {"scen403.xlsx"}


@pytest.mark.parametrize("name", CASES)
def test_conformance(name):
    result = plan(DATA / name, mip_gap=1e-7, time_limit_s=600, value_of_risk=False)
    assert result.solution.status == "optimal"
    summary = dict(zip(result.tables["Summary"].metric, result.tables["Summary"].value))
    if name in CHEAPER:
        assert EXPECTED[name] * (1 - 1e-4) < result.solution.objective <= EXPECTED[name] * (1 + 1e-6)
        assert summary["audit"] == "pass"
    else:
        assert result.solution.objective == pytest.approx(EXPECTED[name], rel=1e-6)
    # the cost recomputed quarter by quarter from the plan agrees with the solver's objective, and the
    # independent auditor finds every constraint met
    assert summary["audit"] == "pass"
    assert summary["cost_check_usd"] == pytest.approx(result.solution.objective, rel=1e-9)


def test_every_shared_workbook_is_tested():
    """Every workbook of expected-11.json and expected-12.json is here (a missing copy would silently shrink
    the test)."""
    assert set(CASES) == set(EXPECTED)
