"""The report of ``planner alternatives``: the range chart, the sentences and the self-contained
``alternatives.html`` (tables and the SVG chart inline). Built from the tables alone; no I/O."""

from __future__ import annotations

import html
import math

import pandas as pd

from planner.report.charts import ChartBlock
from planner.report.svg import chart_svg


def ranges_block(axes: pd.DataFrame) -> ChartBlock:
    """One chart of the ranges: per axis the minimum and the maximum found, and the plan, each in % of the
    axis's largest value (so shares, MW and accelerators share one scale)."""
    rows = []
    for a in axes.itertuples():
        scale = max((abs(v) for v in (a.minimum, a.plan, a.maximum) if v == v), default=0.0) or 1.0
        rows.append({"axis": a.axis, **{k: 100.0 * v / scale if v == v else math.nan
                                          for k, v in (("minimum", a.minimum), ("plan", a.plan),
                                                       ("maximum", a.maximum))}})
    frame = pd.DataFrame(rows, columns=["axis", "minimum", "plan", "maximum"])
    return ChartBlock("ranges", "Each axis over the near-optimal plans (% of its largest value)", "% of the largest",
                      frame, [], [], horizontal=["minimum", "plan", "maximum"])


def sentences(tables: dict[str, pd.DataFrame]) -> list[str]:
    """The headline in words: the cap, the firm and the free decisions."""
    s = dict(zip(tables["Summary"].metric, tables["Summary"].value))
    firm, groups = tables["Firm"], len(tables["Firm"])
    lines = [f"Plans within {100 * float(s['slack']):g} % of the plan's cost (${float(s['plan_cost']) / 1e9:,.3f}B, "
             f"cap ${float(s['cost_cap_usd']) / 1e9:,.3f}B): {int(s['cases_with_a_plan'])} of {int(s['cases'])} "
             f"extremes found, {int(s['cases_audited_pass'])} pass the independent audit."]
    if groups:
        lines.append(f"Firm (every alternative agrees): {int(firm.firm.sum())} of {groups} decision groups, e.g. "
                     + "; ".join(firm[firm.firm].group.head(5)) + ".")
        free = firm[~firm.firm]
        if len(free):
            lines.append("Free (the alternatives differ): " + "; ".join(
                f"{r.group} {_n(r.minimum)}..{_n(r.maximum)} (plan {_n(r.plan)})" for r in free.head(8).itertuples())
                + (f", and {len(free) - 8} more" if len(free) > 8 else "") + ".")
    return lines


def _n(x: float) -> str:
    """``114,688``, ``0.75``: whole thousands with separators, small values to three figures."""
    return f"{x:,.0f}" if abs(x) >= 1000 or float(x).is_integer() else f"{x:,.3g}"


def _table(df: pd.DataFrame) -> str:
    def cell(v: object) -> str:
        if isinstance(v, float):
            return "" if v != v else f"{v:,.6g}"
        return html.escape(str(v))
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in r) + "</tr>" for r in df.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def alternatives_html(title: str, tables: dict[str, pd.DataFrame]) -> str:
    """The whole report as one self-contained page."""
    svg = chart_svg(ranges_block(tables["Axes"])) if len(tables["Axes"]) else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 80rem;
       color: #1b1f24; padding: 0 1rem; }}
h1 {{ font-size: 1.6rem; }} h2 {{ font-size: 1.15rem; margin-top: 2rem; }}
table {{ border-collapse: collapse; width: 100%; font-size: .85rem; }}
th {{ background: #dde6f0; text-align: left; padding: .3rem .4rem; }}
td {{ border-bottom: 1px solid #e3e7ec; padding: .25rem .4rem; }}
figure svg {{ width: 100%; height: auto; }}
</style></head><body>
<h1>{html.escape(title)}</h1>
{"".join(f"<p>{html.escape(line)}</p>" for line in sentences(tables))}
<h2>Ranges</h2>
<figure>{svg}</figure>
<h2>Axes</h2>
{_table(tables["Axes"])}
<h2>Firm decisions</h2>
{_table(tables["Firm"])}
<h2>Every alternative</h2>
{_table(tables["Alternatives"])}
</body></html>
"""
