"""The README's quarterly-cycle walkthrough runs as written: each command line of its block, as a
real subprocess, in a copy of the project's inputs."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def cycle_commands() -> list[list[str]]:
    """The command lines between the README's ``quarterly-cycle`` markers."""
    text = (ROOT / "README.md").read_text()
    block = text.split("<!-- quarterly-cycle -->", 1)[1].split("<!-- end quarterly-cycle -->", 1)[0]
    lines = [line.strip() for line in block.splitlines() if line.strip() and not line.startswith("```")]
    return [shlex.split(line) for line in lines]


def test_the_quarterly_cycle_runs_as_written(tmp_path):
    (tmp_path / "inputs").mkdir()
    for name in ("example.xlsx", "scale_demand.py"):
        shutil.copy(ROOT / "inputs" / name, tmp_path / "inputs" / name)
    commands = cycle_commands()
    assert [c[0] for c in commands] == ["planner", "planner", "python", "planner"]
    for words in commands:
        program = [sys.executable, "-m", "planner.cli"] if words[0] == "planner" else [sys.executable]
        proc = subprocess.run(program + words[1:], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert proc.returncode == 0, (words, proc.stderr)
    out = tmp_path / "outputs"
    summary = pd.read_csv(out / "2026Q4" / "csv" / "summary.csv")
    metrics = dict(zip(summary.metric, summary.value))
    assert metrics["audit"] == "pass" and float(metrics["previous_total_cost"]) > 0
    changes = pd.read_csv(out / "2026Q4" / "csv" / "changes.csv")
    assert len(changes) > 0 and set(changes.change) <= {"added", "removed", "more", "fewer"}
    assert (changes.quarter >= "2026Q4").all()
