"""Input problems, located by sheet, Excel row, column and value."""

from __future__ import annotations

from dataclasses import dataclass

#: A value echoed in a message is cut to this many characters (a hostile cell can hold 32,767).
SHOWN_CHARS = 80
#: How many problems are printed; the rest are counted.
SHOWN_PROBLEMS = 50


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was: ``'aaaa…' (40,000 characters)``."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def _shown(value: object) -> str:
    """The value as the message echoes it: its repr, a long text cut with its length in characters."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= SHOWN_CHARS:
        return repr(value)
    return f"{text[:SHOWN_CHARS]!r}… ({len(text):,} characters)"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the workbook, where Excel shows it."""

    sheet: str
    row: int | None
    column: str | None
    value: object
    message: str

    def __str__(self) -> str:
        where = self.sheet
        if self.row is not None:
            where += f" row {self.row}"
        if self.column is not None:
            where += f", column '{self.column}'"
        shown = "" if self.value is None else f" (value {_shown(self.value)})"
        return f"{where}: {self.message}{shown}"


class InputError(Exception):
    """Raised with every problem of a workbook at once."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))
