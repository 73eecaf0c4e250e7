"""Quarter labels (``YYYYQn``) and their arithmetic.

A quarter is held as an absolute integer ``4 * year + (n - 1)``; a horizon
index is ``absolute - absolute(start_quarter)``, so quarter arithmetic is
integer addition.
"""

from __future__ import annotations

import datetime as _dt
import re

_LABEL = re.compile(r"^\s*(\d{4})\s*[Qq]\s*([1-4])\s*$")


def parse_quarter(value: object) -> int | None:
    """Absolute quarter number of a cell value, or None when it is not a quarter.

    Accepts a ``YYYYQn`` label (case and surrounding spaces ignored) or an
    Excel date / datetime, read as the quarter containing it.
    """
    if isinstance(value, (_dt.date, _dt.datetime)):
        return 4 * value.year + (value.month - 1) // 3
    if isinstance(value, str):
        m = _LABEL.match(value.replace("\u00a0", " "))
        if m:
            return 4 * int(m.group(1)) + int(m.group(2)) - 1
    return None


def label(absolute: int) -> str:
    """``YYYYQn`` label of an absolute quarter number."""
    return f"{absolute // 4}Q{absolute % 4 + 1}"


def year_of(absolute: int) -> int:
    """Calendar year of an absolute quarter number."""
    return absolute // 4
