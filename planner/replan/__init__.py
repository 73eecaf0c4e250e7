"""Stage 6, re-planning from a previous plan (MODEL.md section 9): read a plan's Actions, roll a
workbook forward to a later start, keep a plan's early decisions, and say what changed."""
