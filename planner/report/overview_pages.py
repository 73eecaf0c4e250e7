"""Render the :class:`~planner.report.overview.Overview`: an ``Overview`` sheet (first in
``plan.xlsx``, with native charts) and a self-contained ``plan.html`` (styles and SVG charts inline)."""

from __future__ import annotations

import html

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from planner.report.overview import Overview

_HEAD = PatternFill("solid", fgColor="DDE6F0")
_FORMATS = {"accelerators": "#,##0", "quantity": "#,##0", "mw": "#,##0.0", "cash_capex_usd": '"$"#,##0.0,,"M"',
            "resale_usd": '"$"#,##0.0,,"M"', "fee_usd": '"$"#,##0.0,,"M"'}
_LABELS = {"cash_capex_usd": "cash capex", "resale_usd": "resale", "fee_usd": "option fee", "mw": "MW"}


def overview_sheet(wb: Workbook, ov: Overview, charts: list, tree: bool = False) -> None:
    """The ``Overview`` sheet, first in the workbook: headline, next actions, binding limits, the
    native ``charts`` (two a row) and, for a scenario tree, a pointer to the Tree sheet."""
    ws = wb.create_sheet("Overview", index=0)
    ws.column_dimensions["A"].width = 11
    for col, width in zip("BCDEFGHIJKL", (18, 24, 16, 9, 15, 13, 9, 12, 12, 12, 14)):
        ws.column_dimensions[col].width = width
    ws["A1"] = ov.title
    ws["A1"].font = Font(bold=True, size=16)
    row = 3
    for line in ov.headline:
        _text_line(ws, row, line)
        row += 1
    row = _section(ws, row + 1, "Next four quarters: what to sign, order, start and fund")
    columns = list(ov.next_actions.columns)
    for j, name in enumerate(columns, start=1):
        cell = ws.cell(row=row, column=j, value=_LABELS.get(name, name))
        cell.font, cell.fill = Font(bold=True), _HEAD
    for record in ov.next_actions.itertuples(index=False):
        row += 1
        for j, (name, value) in enumerate(zip(columns, record), start=1):
            value = value.item() if hasattr(value, "item") else value
            blank = (isinstance(value, float) and value != value) or (name in _FORMATS and name != "quantity"
                                                                     and value == 0)
            cell = ws.cell(row=row, column=j, value=None if blank else value)
            if name in _FORMATS and isinstance(value, (int, float)):
                cell.number_format = _FORMATS[name]
            elif isinstance(value, str):
                cell.alignment = Alignment(indent=1)  # text beside a right-aligned number keeps a gap
    if ov.next_actions.empty:
        ws.cell(row=row + 1, column=1, value="Nothing to decide in these quarters.")
        row += 1
    row = _section(ws, row + 2, "What binds")
    for line in ov.binding:
        _text_line(ws, row, line)
        row += 1
    row = _section(ws, row + 1, "Charts")
    if tree:
        ws.cell(row=row, column=1, value="The scenario tree: see the Tree sheet (and charts/tree.svg).")
        row += 2
    for k, chart in enumerate(charts):
        chart.width, chart.height = 15, 7.5  # cm: two side by side on a landscape page
        ws.add_chart(chart, f"{'A' if k % 2 == 0 else 'F'}{row + 16 * (k // 2)}")
    ws.sheet_view.showGridLines = False
    ws.page_setup.orientation = "landscape"  # printed (or as PDF) on pages one sheet wide
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


#: Characters of 11 pt text across columns A-J (their widths add up to 141) on one line.
_LINE_CHARS = 150


def _text_line(ws, row: int, text: str) -> None:
    """``text`` across columns A-J, wrapped, so a long sentence stays on the printed page."""
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=10)
    cell = ws.cell(row=row, column=1, value=text)
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    lines = -(-len(text) // _LINE_CHARS)
    if lines > 1:
        ws.row_dimensions[row].height = 15 * lines


def _section(ws, row: int, title: str) -> int:
    ws.cell(row=row, column=1, value=title).font = Font(bold=True, size=12)
    return row + 1


def _cell(name: str, value: object) -> str:
    if value is None or (isinstance(value, float) and value != value) or (name in _FORMATS and name != "quantity"
                                                                          and value == 0):
        return ""
    if name in ("cash_capex_usd", "resale_usd", "fee_usd") and isinstance(value, (int, float)):
        return f"${value / 1e6:,.1f}M" if value else ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,.1f}" if name == "mw" else f"{value:,.0f}"
    return html.escape(str(value))


def overview_html(ov: Overview, charts: dict[str, str]) -> str:
    """The overview as one self-contained HTML page; ``charts`` are SVG documents by name, shown
    in order (the scenario ``tree``, whose picture is wider, on a row of its own)."""
    frame: pd.DataFrame = ov.next_actions
    head = "".join(f"<th>{html.escape(_LABELS.get(c, c))}</th>" for c in frame.columns)
    body = "".join("<tr>" + "".join(f"<td class='{'num' if isinstance(v, (int, float)) else ''}'>{_cell(c, v)}</td>"
                                    for c, v in zip(frame.columns, r)) + "</tr>"
                   for r in frame.itertuples(index=False))
    table = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>" if len(frame) else \
        "<p>Nothing to decide in these quarters.</p>"
    images = "".join(f"<figure class='{'wide' if name == 'tree' else ''}'>{svg}</figure>"
                     for name, svg in charts.items())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(ov.title)}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 72rem;
       color: #1b1f24; padding: 0 1rem; }}
h1 {{ font-size: 1.6rem; margin-bottom: .5rem; }} h2 {{ font-size: 1.15rem; margin-top: 2rem; }}
.headline p {{ font-size: 1.05rem; margin: .35rem 0; }}
table {{ border-collapse: collapse; width: 100%; font-size: .9rem; }}
th {{ background: #dde6f0; text-align: left; padding: .35rem .5rem; }}
td {{ border-bottom: 1px solid #e3e7ec; padding: .3rem .5rem; }} td.num {{ text-align: right; }}
figure {{ display: inline-block; width: 48%; margin: .5rem 1% 0 0; }} figure.wide {{ width: 98%; }}
figure svg {{ width: 100%; height: auto; }}
</style></head><body>
<h1>{html.escape(ov.title)}</h1>
<div class="headline">{"".join(f"<p>{html.escape(line)}</p>" for line in ov.headline)}</div>
<h2>Next four quarters: what to sign, order, start and fund</h2>
{table}
<h2>What binds</h2>
<ul>{"".join(f"<li>{html.escape(line)}</li>" for line in ov.binding)}</ul>
<h2>Charts</h2>
{images}
</body></html>
"""
