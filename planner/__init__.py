"""planner: AI compute capacity planning as a mixed-integer program (Pyomo + HiGHS).

``from planner import plan``: ``plan("inputs/example.xlsx")`` solves a workbook and returns a
:class:`~planner.pipeline.RunResult` (its tables as DataFrames, ``.write(folder)`` for the report).
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["plan", "__version__"]


def __getattr__(name: str):
    """``planner.plan`` without loading Pyomo and HiGHS for ``import planner`` alone."""
    if name == "plan":
        from planner.pipeline import plan

        return plan
    raise AttributeError(f"module 'planner' has no attribute {name!r}")
