"""Sales of the existing fleet in a previous plan (MODEL.md 11): which batch, and the roll of them.

A ``sell existing fleet`` row of Actions names its batch at the start of ``detail``
(``ExistingFleet row N: ... (in service to YYYYQn)``), with the hardware in ``what`` and the site in
``where``. In the workbook the plan was made from, row N is that batch. In another workbook (a rolled
one, whose rows may have moved) the batch is the one of that hardware, site and last quarter, row N
among several such.

A roll to QUARTER turns the sales before it into fewer units of their batch (the row is deleted when
none is left), each changed cell with a comment naming the Actions row; and since ``resale_value``
is the value at ``start_quarter`` of a straight line to 0 after ``last_quarter``, every batch for sale
gets its value on that line at QUARTER: ``resale_value * (last - tau + 1) / (last + 1)``, tau = QUARTER's
index in the old horizon (0 once past ``last_quarter``), so the line goes on where it was.
"""

from __future__ import annotations

import re

from planner.replan.editor import SheetEditor
from planner.workbook.inputs import FleetBatch, Inputs
from planner.workbook.quarters import label, parse_quarter

SELL = "sell existing fleet"
_DETAIL = re.compile(r"^ExistingFleet row (\d+)\b.*\(in service to (\d{4}Q[1-4])\)")


def sold_batch(inp: Inputs, a) -> FleetBatch | None:
    """The batch of ``inp`` a sale row of Actions names, or None when ``inp`` has no such batch."""
    match = _DETAIL.match(str(a.detail))
    if match is None:
        return None
    row, last = int(match.group(1)), parse_quarter(match.group(2))
    same = [b for b in inp.fleet if (b.hardware, b.site) == (str(a.what), str(a.where))
            and last is not None and b.last_quarter == last - inp.settings.start]
    return next((b for b in same if b.row == row), same[0] if same else None)


def roll_sales(inp: Inputs, rolled_sales, wb, to: int, note) -> None:
    """Fewer units for the batches sold before ``to`` (``rolled_sales``: their Actions rows; ``note(a)``
    the comment of a row), their resale values moved along the line to ``to``, emptied rows deleted."""
    fleet = SheetEditor.open(wb, "ExistingFleet")
    if fleet is None:
        return
    sold: dict[int, tuple[float, list[str]]] = {}
    for a in rolled_sales.itertuples():
        batch = sold_batch(inp, a)
        if batch is not None:
            units, notes = sold.get(batch.row, (0.0, []))
            sold[batch.row] = (units + float(a.quantity), notes + [note(a)])
    tau = to - inp.settings.start
    for b in inp.fleet:
        if b.row in sold:
            units, notes = sold[b.row]
            fleet.set(b.row, "units", b.units - units, f"{units:,.0f} sold before {label(to)}: " + "; ".join(notes))
        if b.resale_value is not None:
            value = max(0.0, b.resale_value * (b.last_quarter - tau + 1) / (b.last_quarter + 1)) \
                if b.last_quarter >= 0 else 0.0
            fleet.set(b.row, "resale_value", value,
                      f"was {b.resale_value:,.2f} at {label(inp.settings.start)}: its straight line to 0 after "
                      f"{label(inp.settings.start + b.last_quarter)}, at {label(to)} (planner roll)")
    emptied = {b.row for b in inp.fleet if b.row in sold and b.units - sold[b.row][0] <= 1e-9}
    fleet.delete_where(lambda r: r in emptied)
