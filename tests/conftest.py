"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.workbook.synthetic import Size, generate, write

#: A small workbook with every kind of decision that solves to optimality in about a second
#: (the shipped example stops at its 45 s limit, so results that must not depend on time use this).
SMALL = Size(quarters=8, workloads=3, hardware=3, sites=2, offers=3, programs=1, budget=True)


@pytest.fixture(scope="session")
def small_example(tmp_path_factory) -> Path:
    return write(generate(SMALL, 3), tmp_path_factory.mktemp("small") / "small.xlsx")
