"""The plan auditor, standing apart: it re-checks a finished plan from the inputs and the report
tables with its own code, and imports nothing of the model, the solver or the report."""
