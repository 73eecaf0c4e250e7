"""The package's layout stays true: no module imports from a stage after its own.

Stages, in the direction the data flows (README, "How the code is laid out"):
workbook -> model -> solver -> report -> analysis -> the commands (``cli``, ``pipeline``).
The auditor (``planner/audit``) stands apart: it may import the workbook stage only, so that
it shares no code with the model it checks. Imports are read with ``ast`` from every module,
including those inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "planner"
STAGES = ["workbook", "model", "solver", "report", "analysis", "replan", "top"]
ALLOWED_APART = {"audit": {"workbook", "audit"}}


def stage_of(module: str) -> str:
    """Stage of a dotted module name inside ``planner`` (``planner.model.owned`` -> ``model``)."""
    parts = module.split(".")
    if len(parts) < 2 or parts[1].startswith("__"):
        return "root"  # the package itself: ``planner/__init__.py`` (its version), importable from anywhere
    if parts[1] in ("cli", "pipeline") or parts[1].startswith("cli_"):
        return "top"
    return parts[1]


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every ``planner`` import in a file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] if node.module != "planner" else [f"planner.{a.name}" for a in node.names]
            out += [(node.lineno, n) for n in names if n.startswith("planner")]
        elif isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names if a.name.startswith("planner")]
    return out


def violations() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        here = stage_of(".".join(rel.parts))
        for line, module in imports_of(path):
            there = stage_of(module)
            if there == "root" or here == "root":
                continue
            if here in ALLOWED_APART:
                ok = there in ALLOWED_APART[here]
            elif there in ALLOWED_APART:
                ok = here == "top"
            else:
                ok = STAGES.index(there) <= STAGES.index(here)
            if not ok:
                found.append(f"{rel}.py:{line} ({here}) imports {module} ({there})")
    return found


def test_every_module_has_a_known_stage():
    """Every folder of the package is a stage of the rule (a new folder must be placed in it)."""
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders <= set(STAGES) | set(ALLOWED_APART)


def test_no_module_imports_from_a_later_stage():
    assert violations() == []


def test_the_rule_catches_a_backward_import(tmp_path):
    """The checker itself: a model module importing the report is a violation."""
    bad = tmp_path / "x.py"
    bad.write_text("from planner.report.results import Plan\nimport planner.model.parts\n")
    assert [m for _, m in imports_of(bad)] == ["planner.report.results", "planner.model.parts"]
    assert STAGES.index(stage_of("planner.report.results")) > STAGES.index(stage_of("planner.model.owned"))
