"""planner: AI compute capacity planning as a mixed-integer program (Pyomo + HiGHS)."""

__version__ = "0.1.0"
