"""Located input errors of the sheets and columns of MODEL.md sections 9 and 10.

Each broken workbook must be refused with every problem at once, each naming the sheet, the
Excel row, the column and the value.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.workbook.errors import InputError
from planner.workbook.validate import load_inputs
from tests.helpers import add_row, base_case, write_workbook
from tests.test_cli import planner
from tests.test_tree import SCENARIOS


def _problems(sheets, tmp_path: Path) -> list[str]:
    with pytest.raises(InputError) as err:
        load_inputs(write_workbook(sheets, tmp_path / "bad.xlsx"))
    return [str(p) for p in err.value.problems]


def test_pipeline_errors_are_located_and_reported_together(tmp_path):
    """Unknown site, phases not a whole number >= 1, a site without phase_mw, a fleet batch whose
    first quarter is after its last, funded not yes/no: five problems, one run."""
    s = base_case()
    add_row(s, "CommittedPhases", "nowhere", 1, "2026Q4", header=["site", "phases", "online_quarter"])
    add_row(s, "CommittedPhases", "dc1", 1.5, "2026Q4")
    add_row(s, "CommittedPhases", "dc1", 1, "2026Q4")  # dc1 has phase_mw 0
    add_row(s, "ExistingFleet", "H100", "dc1", 10, "2027Q2", "2026Q4",
            header=["hardware", "site", "units", "first_quarter", "last_quarter"])
    add_row(s, "AsicPrograms", "P1", 0, 0, 1, "maybe",
            header=["program", "nre_cost", "slip_quarters", "delivery_confidence", "funded"])
    problems = _problems(s, tmp_path)
    expected = [
        "CommittedPhases row 2, column 'site': not defined in sheet Sites (value 'nowhere')",
        "CommittedPhases row 3, column 'phases': expected a whole number (value 1.5)",
        "CommittedPhases row 4, column 'site': site has no phase_mw",
        "ExistingFleet row 2, column 'first_quarter': is after last_quarter 2026Q4 (value '2027Q2')",
        "AsicPrograms row 2, column 'funded': expected one of yes, no (value 'maybe')",
    ]
    for text in expected:
        assert any(p.startswith(text) for p in problems), (text, problems)


def test_tree_errors_are_located(tmp_path):
    """A link on the first scenario, to itself, to an unknown scenario, a cycle, an unknown failed
    program, a duplicate and an unknown scenario in ScenarioDemand."""
    s = base_case()
    add_row(s, "Scenarios", "a", 0.2, 1, 0, "b", "2027Q1", 0, 0, 0, None, header=SCENARIOS)
    add_row(s, "Scenarios", "b", 0.2, 1, 0, "b", "2027Q1", 0, 0, 0, None)
    add_row(s, "Scenarios", "c", 0.2, 1, 0, "zzz", None, 0, 0, 0, "NOPE")
    add_row(s, "Scenarios", "d", 0.2, 1, 0, "e", "2027Q1", 0, 0, 0, None)
    add_row(s, "Scenarios", "e", 0.2, 1, 0, "d", "2027Q1", 0, 0, 0, None)
    header = ["scenario", "quarter", "inference"]
    add_row(s, "ScenarioDemand", "a", "2026Q4", 5, header=header)
    add_row(s, "ScenarioDemand", "a", "2026Q4", 6)
    add_row(s, "ScenarioDemand", "ghost", "2026Q4", 7)
    problems = _problems(s, tmp_path)
    expected = [
        "Scenarios row 2, column 'branch_of': the first scenario is the trunk",
        "Scenarios row 2, column 'branch_quarter': the first scenario is the trunk",
        "Scenarios row 3, column 'branch_of': a scenario cannot branch off itself (value 'b')",
        "Scenarios row 4, column 'branch_of': not defined in sheet Scenarios (value 'zzz')",
        "Scenarios row 4, column 'failed_programs': not defined in sheet AsicPrograms (value 'NOPE')",
        "Scenarios row 5, column 'branch_of': the links form a cycle of 2 scenarios: d -> e -> d",
        "ScenarioDemand row 3, column 'quarter': duplicate of scenario a in this quarter; first defined in row 2",
        "ScenarioDemand row 4, column 'scenario': not defined in sheet Scenarios (value 'ghost')",
    ]
    for text in expected:
        assert any(p.startswith(text) for p in problems), (text, problems)
    assert len(problems) == len(expected)


def test_hostile_tree_prints_bounded_errors(tmp_path):
    """A cycle of 400 scenario links is one error (not 400 errors each naming 400 scenarios: 1.27 MB
    before), a long value (40,000 characters, which the .xlsx keeps as Excel's 32,767) is echoed cut
    to 80 characters with its length, and past 50
    errors the rest are counted: the whole message stays under 20 kB, exit 2, no traceback."""
    s = base_case()
    n = 400
    add_row(s, "Scenarios", "base", 0.5, 1, 0, None, None, 0, 0, 0, None, header=SCENARIOS)
    for i in range(n):
        add_row(s, "Scenarios", f"s{i}", 0.5 / n, 1, 0, f"s{(i + 1) % n}", "2027Q1", 0, 0, 0, None)
    add_row(s, "Scenarios", "long", 0.0, 1, 0, "x" * 40_000, "2027Q1", 0, 0, 0, None)
    header = ["scenario", "quarter", "inference"]
    add_row(s, "ScenarioDemand", "ghost", "2026Q4", 7, header=header)
    for _ in range(60):
        add_row(s, "ScenarioDemand", "ghost", "2026Q4", 7)
    path = write_workbook(s, tmp_path / "hostile.xlsx")
    proc = planner("validate", str(path))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(proc.stderr.encode()) < 20_000, len(proc.stderr.encode())
    assert proc.stderr.count("form a cycle") == 1 and "cycle of 400 scenarios" in proc.stderr
    assert "(32,767 characters)" in proc.stderr and "x" * 81 not in proc.stderr
    assert "more (fix these first" in proc.stderr
