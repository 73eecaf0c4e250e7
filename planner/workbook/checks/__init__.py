"""One checker per input sheet, each turning raw rows into typed records and collecting located
problems in the shared :class:`~planner.workbook.checks.cells.Checker`."""
