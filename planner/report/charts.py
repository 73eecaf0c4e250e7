"""Charts of the plan: native Excel charts in ``plan.xlsx`` (drawn as SVG by :mod:`planner.report.svg`).

* ``coverage_<workload>``: du served by owned GPUs, leased GPUs, on-demand GPUs and ASICs (stacked) and
  unmet du, against required capacity (line), by quarter;
* ``costs``: cost by category per quarter (stacked, undiscounted $; the fleet sold is a credit below 0);
* ``sites``: IT MW online and MW used, per site, by quarter.

The series come from a ``ChartData`` sheet: one block per chart, quarters down the
first column. With scenarios, the charts show the most probable scenario.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from openpyxl.chart import AreaChart, BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.utils import get_column_letter

COVERAGE_SERIES = {"owned_gpu_du": "owned GPUs", "leased_gpu_du": "leased GPUs", "on_demand_du": "on-demand GPUs",
                   "asic_du": "ASICs", "unmet_du": "unmet"}
COST_SERIES = {"lease_usd": "leases", "on_demand_usd": "on-demand", "gpu_annuity_usd": "GPU capital",
               "asic_annuity_usd": "ASIC capital", "phase_annuity_usd": "site capital", "opex_usd": "site opex",
               "energy_usd": "energy", "nre_usd": "ASIC NRE", "gate_costs_usd": "ASIC gates",
               "option_fees_usd": "lease option fees", "unmet_penalty_usd": "unmet penalty",
               "resale_usd": "fleet sold (credit)"}
#: Series drawn only when some quarter has them (MODEL.md 11's on-demand capacity and fleet sales, MODEL.md 12's
#: option fees and program gates).
OPTIONAL_SERIES = {"on-demand GPUs", "on-demand", "fleet sold (credit)", "ASIC gates", "lease option fees"}


@dataclass
class ChartBlock:
    """One chart's data: ``frame`` has the quarter first; ``stacked`` columns are stacked, ``lines`` drawn."""

    name: str
    title: str
    y_title: str
    frame: pd.DataFrame
    stacked: list[str]
    lines: list[str]
    horizontal: list[str] | None = None  # a tornado: these series as horizontal bars around 0


def _pick_scenario(df: pd.DataFrame, scenarios: pd.DataFrame | None) -> pd.DataFrame:
    if "scenario" not in df.columns:
        return df
    best = scenarios.sort_values("probability", ascending=False).scenario.iloc[0] if scenarios is not None \
        else df.scenario.iloc[0]
    return df[df.scenario == best]


def _drop_empty(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` without the optional series that are 0 in every quarter."""
    return frame.drop(columns=[c for c in OPTIONAL_SERIES if c in frame and not frame[c].abs().gt(1e-9).any()])


def _present(frame: pd.DataFrame, series: dict[str, str]) -> list[str]:
    """The series' names (in their order) that ``frame`` still holds."""
    return [name for name in series.values() if name in frame]


def chart_blocks(tables: dict[str, pd.DataFrame]) -> list[ChartBlock]:
    """The data of every chart, from the report tables."""
    scen = tables.get("Scenarios")
    cov = _pick_scenario(tables["Coverage"], scen)
    blocks = []
    for w, g in cov.groupby("workload", sort=False):
        frame = _drop_empty(g[["quarter", *COVERAGE_SERIES, "required_du"]].rename(
            columns={**COVERAGE_SERIES, "required_du": "required"}))
        blocks.append(ChartBlock(f"coverage_{w}", f"{w}: capacity by source vs required (du)", "du",
                                 frame.reset_index(drop=True), _present(frame, COVERAGE_SERIES), ["required"]))
    costs = _pick_scenario(tables["Costs"], scen)
    frame = _drop_empty(costs[["quarter", *COST_SERIES]].rename(columns=COST_SERIES))
    series = _present(frame, COST_SERIES)
    frame[series] = frame[series] / 1e6
    blocks.append(ChartBlock("costs", "Cost by category per quarter ($M, undiscounted)", "$M",
                             frame.reset_index(drop=True), series, []))
    sites = _pick_scenario(tables["Sites"], scen)
    wide = sites.pivot_table(index="quarter", columns="site", values=["mw_online", "mw_used"], sort=False)
    frame = pd.DataFrame({"quarter": wide.index})
    lines = []
    for site in sites.site.unique():
        frame[f"{site} MW online"] = wide[("mw_online", site)].to_numpy()
        frame[f"{site} MW used"] = wide[("mw_used", site)].to_numpy()
        lines += [f"{site} MW online", f"{site} MW used"]
    blocks.append(ChartBlock("sites", "IT MW online vs used by site", "MW", frame, [], lines))
    if scen is not None and "expected_value_plan_cost_usd" in scen.columns:
        frame = pd.DataFrame({"scenario": scen.scenario, "this plan": scen.cost_usd / 1e6,
                              "expected-value plan": scen.expected_value_plan_cost_usd / 1e6})
        blocks.append(ChartBlock("scenario_costs", "Cost per scenario: this plan vs the expected-value plan ($M PV)",
                                 "$M", frame, [], [], horizontal=["this plan", "expected-value plan"]))
    return blocks


#: The series colours (matplotlib's tab10 cycle, then two of tab20b for the twelve cost series), shared by
#: the Excel and the SVG charts.
PALETTE = ("1F77B4", "FF7F0E", "2CA02C", "D62728", "9467BD", "8C564B", "E377C2", "7F7F7F", "BCBD22", "17BECF",
           "393B79", "E7BA52")


def fill_colors(stacked: list[str]) -> dict[str, str]:
    """Hex colour of each stacked (or bar) series: a coverage or cost series keeps the colour of its
    place in the full list (so "ASICs" has one colour in every chart, whichever optional series a chart
    leaves out); any other series takes the palette in order."""
    colors = {}
    for k, name in enumerate(stacked):
        for full in (list(COVERAGE_SERIES.values()), list(COST_SERIES.values())):
            if name in full:
                k = full.index(name)
        colors[name] = PALETTE[k % len(PALETTE)]
    return colors


def line_colors(lines: list[str]) -> dict[str, str]:
    """Hex colour of each line series: black for ``required``; otherwise one colour per owner
    in order of first appearance, so a site's ``<site> MW online`` (solid) and ``<site> MW used``
    (dashed) lines share one."""
    owners: dict[str, str] = {}
    colors = {}
    for name in lines:
        owner = name.removesuffix(" MW online").removesuffix(" MW used")
        colors[name] = "000000" if name == "required" else owners.setdefault(owner, PALETTE[len(owners) % len(PALETTE)])
    return colors


def _write_data(data, block: ChartBlock, col: int) -> None:
    """Write ``block.frame`` into the ChartData sheet ``data`` from column ``col``: its name in row 1,
    column names in row 2, values below."""
    data.cell(row=1, column=col, value=block.name)
    for j, name in enumerate(block.frame.columns):
        data.cell(row=2, column=col + j, value=name)
        for r, v in enumerate(block.frame[name].tolist(), start=3):
            data.cell(row=r, column=col + j, value=v)


def excel_chart(data, block: ChartBlock, col: int):
    """A native chart of ``block``, whose data :func:`add_excel_charts` wrote into ``data`` from
    column ``col`` (a new chart object each call: one object can sit on one sheet only)."""
    frame = block.frame
    last = 2 + len(frame)
    letter = get_column_letter(col)
    cats = f"${letter}$3:${letter}${last}"
    fills = fill_colors(block.stacked or block.horizontal or [])

    def series(names: list[str], chart) -> None:
        colors = line_colors(names)
        for name in names:
            c = col + list(frame.columns).index(name)
            chart.add_data(Reference(data, min_col=c, min_row=2, max_row=last), titles_from_data=True)
        for s, name in zip(chart.series, names):  # quarter labels are text: a string reference
            s.cat = AxDataSource(strRef=StrRef(f=f"'ChartData'!{cats}"))
            if isinstance(chart, LineChart):
                s.smooth = False
                s.graphicalProperties.line.solidFill = colors[name]
                s.graphicalProperties.line.width = 28575  # 2.25 pt, in EMU
                if name.endswith("used"):
                    s.graphicalProperties.line.dashStyle = "dash"
            else:  # the SVG charts' colours, so the workbook and plan.html match
                s.graphicalProperties.solidFill = fills[name]
                s.graphicalProperties.line.solidFill = fills[name]

    if block.horizontal:
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap = "bar", "clustered", 100
        series(block.horizontal, chart)
    elif block.stacked:
        chart = AreaChart() if block.name.startswith("coverage") else BarChart()
        chart.grouping = "stacked"
        if isinstance(chart, BarChart):
            chart.overlap = 100
        series(block.stacked, chart)
        if block.lines:
            line = LineChart()
            series(block.lines, line)
            chart += line
    else:
        chart = LineChart()
        series(block.lines, chart)
    chart.title = block.title
    chart.y_axis.title = block.y_title
    chart.x_axis.title = frame.columns[0]
    chart.height, chart.width = 9, 18
    chart.legend.position = "b"  # below: the plot keeps the chart's width
    chart.y_axis.number_format = "#,##0"  # the value axis (openpyxl's y axis, also on a bar chart)
    return chart


def add_excel_charts(wb, blocks: list[ChartBlock]) -> dict[str, int]:
    """Write the ``ChartData`` sheet and a ``Charts`` sheet of native charts.

    Returns, per chart, the ChartData column its block starts in (for :func:`excel_chart`).
    """
    data = wb.create_sheet("ChartData")
    sheet = wb.create_sheet("Charts", index=1)
    columns: dict[str, int] = {}
    col = 1
    for i, block in enumerate(blocks):
        _write_data(data, block, col)
        columns[block.name] = col
        sheet.add_chart(excel_chart(data, block, col), f"{'A' if i % 2 == 0 else 'L'}{1 + 19 * (i // 2)}")
        col += len(block.frame.columns) + 1
    return columns
