"""Scale one workload's demand in a workbook from a quarter on: a stand-in for editing the forecast in Excel.

    python inputs/scale_demand.py WORKBOOK.xlsx WORKLOAD FACTOR [--from QUARTER]

Used by the README's quarterly-cycle walkthrough (and the test that runs it). The workbook is
changed in place; formatting and other sheets are kept.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import openpyxl

from planner.workbook.quarters import parse_quarter


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workbook", type=Path)
    ap.add_argument("workload")
    ap.add_argument("factor", type=float)
    ap.add_argument("--from", dest="first", help="first quarter to scale (default: every quarter)")
    args = ap.parse_args()
    wb = openpyxl.load_workbook(args.workbook)
    ws = wb["Demand"]
    header = [str(c.value).strip() for c in ws[1]]
    col = header.index(args.workload) + 1
    first = parse_quarter(args.first) if args.first else None
    changed = 0
    for row in range(2, ws.max_row + 1):
        quarter = parse_quarter(ws.cell(row=row, column=1).value)
        cell = ws.cell(row=row, column=col)
        if quarter is not None and (first is None or quarter >= first) and isinstance(cell.value, (int, float)):
            cell.value = round(cell.value * args.factor, -2)
            changed += 1
    wb.save(args.workbook)
    print(f"{args.workbook}: {args.workload} demand x {args.factor:g} in {changed} quarters")


if __name__ == "__main__":
    main()
