"""Stage 1, the workbook: its schema, reading, validation into typed inputs, and the template.

workbook (.xlsx) -> raw tables (:mod:`.reader`) -> typed :class:`~planner.workbook.inputs.Inputs`
(:mod:`.validate`, one checker per sheet in :mod:`.checks`). Nothing here knows the model.
"""
