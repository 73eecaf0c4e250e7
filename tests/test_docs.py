"""The README's sheet tables are the schema's, not a hand-kept copy."""

from pathlib import Path

from planner.workbook.docs import schema_markdown


def test_readme_has_current_schema_tables():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    assert schema_markdown() in readme, "run `python -m planner.workbook.docs --write README.md`"
