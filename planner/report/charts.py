"""Charts of the plan: native Excel charts in ``plan.xlsx`` and the same as PNG files.

* ``coverage_<workload>``: du served by owned GPUs, leased GPUs and ASICs (stacked) and
  unmet du, against required capacity (line), by quarter;
* ``costs``: cost by category per quarter (stacked, undiscounted $);
* ``sites``: IT MW online and MW used, per site, by quarter.

The series come from a ``ChartData`` sheet: one block per chart, quarters down the
first column. With scenarios, the charts show the most probable scenario.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl.chart import AreaChart, BarChart, LineChart, Reference
from openpyxl.chart.data_source import AxDataSource, StrRef
from openpyxl.utils import get_column_letter

COVERAGE_SERIES = {"owned_gpu_du": "owned GPUs", "leased_gpu_du": "leased GPUs", "asic_du": "ASICs",
                   "unmet_du": "unmet"}
COST_SERIES = {"lease_usd": "leases", "gpu_annuity_usd": "GPU capital", "asic_annuity_usd": "ASIC capital",
               "phase_annuity_usd": "site capital", "opex_usd": "site opex", "energy_usd": "energy",
               "nre_usd": "ASIC NRE", "unmet_penalty_usd": "unmet penalty"}


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


def chart_blocks(tables: dict[str, pd.DataFrame]) -> list[ChartBlock]:
    """The data of every chart, from the report tables."""
    scen = tables.get("Scenarios")
    cov = _pick_scenario(tables["Coverage"], scen)
    blocks = []
    for w, g in cov.groupby("workload", sort=False):
        frame = g[["quarter", *COVERAGE_SERIES, "required_du"]].rename(
            columns={**COVERAGE_SERIES, "required_du": "required"})
        blocks.append(ChartBlock(f"coverage_{w}", f"{w}: capacity by source vs required (du)", "du",
                                 frame.reset_index(drop=True), list(COVERAGE_SERIES.values()), ["required"]))
    costs = _pick_scenario(tables["Costs"], scen)
    frame = costs[["quarter", *COST_SERIES]].rename(columns=COST_SERIES).copy()
    frame[list(COST_SERIES.values())] = frame[list(COST_SERIES.values())] / 1e6
    blocks.append(ChartBlock("costs", "Cost by category per quarter ($M, undiscounted)", "$M",
                             frame.reset_index(drop=True), list(COST_SERIES.values()), []))
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


#: matplotlib's default colour cycle (tab10), so the PNGs and the Excel charts match.
PALETTE = ("1F77B4", "FF7F0E", "2CA02C", "D62728", "9467BD", "8C564B", "E377C2", "7F7F7F", "BCBD22", "17BECF")


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


def _excel_chart(data, block: ChartBlock, col: int, refs: dict[str, str]):
    """Write ``block`` into ``data`` from column ``col`` and return its chart; ``refs`` gets each
    series title -> the range it points at."""
    frame = block.frame
    data.cell(row=1, column=col, value=block.name)
    for j, name in enumerate(frame.columns):
        data.cell(row=2, column=col + j, value=name)
        for r, v in enumerate(frame[name].tolist(), start=3):
            data.cell(row=r, column=col + j, value=v)
    last = 2 + len(frame)
    letter = get_column_letter(col)
    cats = f"${letter}$3:${letter}${last}"

    def series(names: list[str], chart) -> None:
        colors = line_colors(names)
        for name in names:
            c = col + list(frame.columns).index(name)
            refs[name] = f"ChartData!${get_column_letter(c)}$3:${get_column_letter(c)}${last}"
            chart.add_data(Reference(data, min_col=c, min_row=2, max_row=last), titles_from_data=True)
        for s, name in zip(chart.series, names):  # quarter labels are text: a string reference
            s.cat = AxDataSource(strRef=StrRef(f=f"'ChartData'!{cats}"))
            if isinstance(chart, LineChart):
                s.smooth = False
                s.graphicalProperties.line.solidFill = colors[name]
                s.graphicalProperties.line.width = 28575  # 2.25 pt, in EMU
                if name.endswith("used"):
                    s.graphicalProperties.line.dashStyle = "dash"

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
    return chart


def add_excel_charts(wb, blocks: list[ChartBlock]) -> dict[str, dict[str, str]]:
    """Write the ``ChartData`` sheet and a ``Charts`` sheet of native charts.

    Returns, per chart, each series title and the ChartData range it points at.
    """
    data = wb.create_sheet("ChartData")
    sheet = wb.create_sheet("Charts", index=1)
    refs: dict[str, dict[str, str]] = {}
    col = 1
    for i, block in enumerate(blocks):
        refs[block.name] = {}
        chart = _excel_chart(data, block, col, refs[block.name])
        sheet.add_chart(chart, f"{'A' if i % 2 == 0 else 'L'}{1 + 19 * (i // 2)}")
        col += len(block.frame.columns) + 1
    return refs


def write_pngs(blocks: list[ChartBlock], folder: Path) -> list[Path]:
    """The same charts as PNG files in ``folder``.

    Drawn on bare matplotlib ``Figure`` objects (Agg canvas, no pyplot state), imported
    here so that commands without charts do not load matplotlib.
    """
    from planner.solver.pyomo_hooks import drop_import_hooks

    drop_import_hooks()  # or importing matplotlib also loads pyplot and pylab (Pyomo's hook)
    from matplotlib.figure import Figure

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for block in blocks:
        frame = block.frame
        fig = Figure(figsize=(10, 4.8))
        ax = fig.add_subplot()
        x = list(range(len(frame)))
        if block.horizontal:
            height = 0.8 / len(block.horizontal)
            for k, c in enumerate(block.horizontal):
                offset = (k - (len(block.horizontal) - 1) / 2) * height
                ax.barh([i + offset for i in x], frame[c].to_numpy(dtype=float), height=height, label=c)
            ax.axvline(0, color="black", linewidth=1)
            ax.set_yticks(x)
            ax.set_yticklabels(frame[frame.columns[0]], fontsize=8)
            ax.set_xlabel(block.y_title)
            ax.set_title(block.title)
            ax.legend(fontsize=8)
            fig.tight_layout()  # input names of any length on the y axis
            paths.append(_save(fig, folder / f"{block.name}.png"))
            continue
        if block.stacked:
            values = [frame[c].to_numpy(dtype=float) for c in block.stacked]
            if block.name.startswith("coverage"):
                ax.stackplot(x, values, labels=block.stacked, alpha=0.85)
            else:
                bottom = None
                for c, v in zip(block.stacked, values):
                    ax.bar(x, v, bottom=bottom, label=c)
                    bottom = v if bottom is None else bottom + v
        colors = line_colors(block.lines)
        for c in block.lines:
            ax.plot(x, frame[c].to_numpy(dtype=float), label=c, linewidth=2,
                    linestyle="--" if c.endswith("used") else "-", color=f"#{colors[c]}")
        ax.set_xticks(x)
        ax.set_xticklabels(frame["quarter"], rotation=60, fontsize=8)
        ax.set_title(block.title)
        ax.set_ylabel(block.y_title)
        ax.legend(fontsize=8, loc="upper left")
        ax.grid(alpha=0.3)
        # fixed margins fit the rotated quarter labels and the $M / du axis; tight_layout would
        # measure every label first (about a third of the drawing time)
        fig.subplots_adjust(left=0.08, right=0.98, top=0.92, bottom=0.2)
        paths.append(_save(fig, folder / f"{block.name}.png"))
    return paths


def _save(fig, path: Path) -> Path:
    fig.savefig(path, dpi=110)
    return path
