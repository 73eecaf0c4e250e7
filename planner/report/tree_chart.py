"""The scenario tree as a picture (MODEL.md 10): quarters across, one line per scenario.

A scenario rides on the line of the scenario it branches off until its ``branch_quarter``,
where a dot marks the branch and its own line starts; the right end names it with its
probability and cost, and the branch carries its main differences (``Branches.main_differences``),
so the picture reads "if MTIA450 fails in 2027Q4, we order 40k more VR300 from then".
Drawn from the ``Branches`` table alone: as SVG (``charts/tree.svg`` and ``plan.html``) and as a
grid of coloured cells on the workbook's ``Tree`` sheet (one row per scenario, one column per
quarter, each cell in the colour of the scenario whose decisions it follows).
"""

from __future__ import annotations

import textwrap

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from planner.report.charts import PALETTE
from planner.report.svg import CHAR, WIDTH, esc, svg_document

HALO = "stroke='white' stroke-width='3' paint-order='stroke'"  # text stays readable across the lines


def _positions(branches: pd.DataFrame, quarters: list[str]) -> dict[str, tuple[int, int, str | None]]:
    """scenario -> (row, first quarter index of its own line, the scenario it leaves)."""
    index = {q: i for i, q in enumerate(quarters)}
    out = {}
    for row, b in enumerate(branches.itertuples()):
        parent = b.branch_of or None
        start = index.get(b.branch_quarter, len(quarters)) if parent else 0
        out[b.scenario] = (row, start if parent else 0, parent)
    return out


def _label(b, branches: pd.DataFrame, pos: dict, n: int) -> str:
    """``name (= the scenarios that never leave it)``."""
    sharing = [s.scenario for s in branches.itertuples() if s.branch_of == b.scenario and pos[s.scenario][1] >= n]
    return b.scenario + (f" (= {', '.join(sharing)})" if sharing else "")


def tree_svg(branches: pd.DataFrame, quarters: list[str]) -> str:
    """The picture as an SVG document."""
    pos = _positions(branches, quarters)
    n, rows = len(quarters), len(branches)
    labels = {b.scenario: _label(b, branches, pos, n) for b in branches.itertuples()}
    left, top, gap = 48.0, 56.0, 64.0
    label_room = max(150.0, 16 + CHAR * max(len(t) for t in labels.values())) if labels else 150.0
    width = max(WIDTH, 1100)
    dx = (width - left - label_room) / max(n - 1, 1)
    height = int(top + gap * max(rows - 1, 0) + 96)

    def x(i: float) -> float:
        return left + i * dx

    def y(r: float) -> float:
        return top + r * gap

    body = [f"<line x1='{x(i):.1f}' y1='{top - 16:.1f}' x2='{x(i):.1f}' y2='{y(rows - 1) + 20:.1f}' "
            f"stroke='#eceef1'/>" for i in range(n)]
    siblings: dict[tuple, int] = {}
    for k, b in enumerate(branches.itertuples()):
        row, start, parent = pos[b.scenario]
        nth = siblings[parent, start] = siblings.get((parent, start), -1) + 1  # branches at one point fan out
        color = f"#{PALETTE[k % len(PALETTE)]}"
        if parent is not None and start >= n:  # never branches: it shares its parent's whole line
            continue
        if parent is not None:
            prow = pos[parent][0]
            bx = x(start - 0.5 + 0.18 * nth)
            body.append(f"<polyline points='{bx:.1f},{y(prow):.1f} {bx:.1f},{y(row):.1f} {x(start):.1f},{y(row):.1f}'"
                        f" fill='none' stroke='{color}' stroke-width='2.5'/>")
            body.append(f"<circle cx='{bx:.1f}' cy='{y(prow):.1f}' r='5' fill='{color}'/>")
            if b.main_differences:
                room = max(40, int((x(n - 1) - x(start) - 12) / 5.8))  # characters that fit before the names
                lines = textwrap.wrap(f"from {quarters[start]}: {b.main_differences}", room)
                spans = "".join(f"<tspan x='{x(start) + 6:.1f}' dy='{13 if j else 0}'>{esc(t)}</tspan>"
                                for j, t in enumerate(lines))
                body.append(f"<text x='{x(start) + 6:.1f}' y='{y(row) + 16:.1f}' font-size='10' "
                            f"fill='{color}' {HALO}>{spans}</text>")
        body.append(f"<line x1='{x(start):.1f}' y1='{y(row):.1f}' x2='{x(n - 1):.1f}' y2='{y(row):.1f}' "
                    f"stroke='{color}' stroke-width='2.5'/>")
        body.append(f"<text x='{x(n - 1) + 8:.1f}' y='{y(row) - 2:.1f}' font-size='11' fill='{color}'>"
                    f"<tspan>{esc(labels[b.scenario])}</tspan><tspan x='{x(n - 1) + 8:.1f}' dy='13'>"
                    f"p = {b.probability:.0%}, ${b.cost_usd / 1e9:,.1f}B</tspan></text>")
    base = y(rows - 1) + 30
    body += [f"<text x='{x(i):.1f}' y='{base:.1f}' font-size='10' text-anchor='end' "
             f"transform='rotate(-60 {x(i):.1f} {base:.1f})'>{esc(q)}</text>" for i, q in enumerate(quarters)]
    title = ("Scenario tree: decisions are shared until a scenario branches (dot), then its own "
             "(cost: present value of that scenario)")
    return svg_document(title, body, height, width)


def _owner(scenario: str, i: int, pos: dict) -> str:
    """The scenario whose line ``scenario`` follows in quarter ``i``."""
    _row, start, parent = pos[scenario]
    return scenario if parent is None or i >= start else _owner(parent, i, pos)


def tree_sheet(wb: Workbook, branches: pd.DataFrame, quarters: list[str], index: int) -> None:
    """The ``Tree`` sheet: scenarios down, quarters across, each cell filled in the colour of the
    scenario whose decisions it follows; a dot marks where a scenario branches, and the row ends
    with its probability, present-value cost and main differences."""
    pos = _positions(branches, quarters)
    colors = {b.scenario: PALETTE[k % len(PALETTE)] for k, b in enumerate(branches.itertuples())}
    ws = wb.create_sheet("Tree", index=index)
    ws["A1"] = ("Scenario tree: each cell has the colour of the scenario whose decisions it follows; "
                "a dot marks the quarter a scenario branches (also charts/tree.svg)")
    ws["A1"].font = Font(bold=True)
    ws.column_dimensions["A"].width = 16
    for j, q in enumerate(quarters, start=2):
        ws.cell(row=3, column=j, value=q).alignment = Alignment(text_rotation=90, horizontal="center")
        ws.column_dimensions[get_column_letter(j)].width = 3.2
    end = len(quarters) + 2
    for j, head in enumerate(("probability", "cost (PV)", "main differences"), start=end):
        ws.cell(row=3, column=j, value=head).font = Font(bold=True)
    ws.column_dimensions[get_column_letter(end)].width = 11
    ws.column_dimensions[get_column_letter(end + 1)].width = 12
    ws.column_dimensions[get_column_letter(end + 2)].width = 80
    for r, b in enumerate(branches.itertuples(), start=4):
        ws.cell(row=r, column=1, value=b.scenario).font = Font(bold=True, color=colors[b.scenario])
        start = pos[b.scenario][1]
        for i in range(len(quarters)):
            cell = ws.cell(row=r, column=i + 2, value="●" if pos[b.scenario][2] and i == start else None)
            cell.fill = PatternFill("solid", fgColor=colors[_owner(b.scenario, i, pos)])
            cell.font, cell.alignment = Font(color="FFFFFF", bold=True), Alignment(horizontal="center")
        ws.cell(row=r, column=end, value=float(b.probability)).number_format = "0%"
        ws.cell(row=r, column=end + 1, value=float(b.cost_usd)).number_format = '"$"#,##0.0,,,"B"'
        ws.cell(row=r, column=end + 2, value=b.main_differences or None)
    ws.row_dimensions[3].height = 46  # the quarters, turned upright
    ws.freeze_panes = "B4"
    ws.page_setup.orientation = "landscape"  # printed one page wide
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
