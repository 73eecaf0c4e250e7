"""Stage 4, the report: result tables as DataFrames (no I/O), marginal costs, charts, and the
writer of ``plan.xlsx``, ``csv/`` and ``charts/``."""
