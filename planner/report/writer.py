"""Write the report: ``plan.xlsx`` (one sheet per table, plus charts), ``csv/<table>.csv``
and ``charts/*.svg``.

Files are written atomically: each goes to a temporary name in its target
folder and is renamed into place, so an interrupted run leaves the previous
report intact; temporary files of a killed run are removed by the next one.
Text that Excel would read as a formula (starting with ``= + - @`` or a tab)
is stored as a plain string in the workbook and prefixed with ``'`` in the CSVs.
"""

from __future__ import annotations

import fcntl
import logging
import math
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from planner.report.charts import ChartBlock, add_excel_charts, chart_blocks, excel_chart
from planner.report.overview import overview
from planner.report.overview_pages import overview_html, overview_sheet
from planner.report.svg import chart_svg
from planner.report.tree_chart import tree_sheet, tree_svg

log = logging.getLogger(__name__)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MILLIONS = '"$"#,##0.0,,"M"'
DOLLARS = '"$"#,##0'
COUNT = "#,##0"
PERCENT = "0.0%"
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def _safe_csv(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    return out


def number_format(table: str, column: str) -> str | None:
    """Excel number format of a column: $M for money totals, $ for prices, counts, percentages."""
    if column in ("share", "cap_share", "utilisation"):
        return PERCENT
    if column == "discount_factor":
        return "0.0000"
    if column.endswith("_usd") or "_usd_" in column:
        return DOLLARS if table == "Marginal" else MILLIONS
    if column.startswith("value_of_one_more"):
        return "#,##0.00"
    if column.startswith(("du", "accelerators")) or column.endswith(("_du", "_accelerator_quarters")) or column in (
            "quantity", "slack", "delivered", "powered", "stranded"):
        return COUNT
    if column.startswith("mw"):
        return "#,##0.0"
    return None


def summary_format(metric: str) -> str | None:
    """Excel number format of a Summary or Solver value, by metric."""
    if metric in ("mip_gap",):
        return "0.0000%"
    if metric.startswith("peak_accelerators") or metric.endswith(("_du", "_accelerator_quarters")):
        return COUNT
    money = ("total_cost", "objective", "best_bound", "expected_cost", "cvar_cost", "worst_cost", "vss", "evpi")
    if metric in money or metric.endswith(("_usd", "_cost")) or metric.startswith("pv_"):
        return MILLIONS
    return None


def _write_sheet(wb: Workbook, name: str, df: pd.DataFrame) -> None:
    ws = wb.create_sheet(name)
    ws.append(list(df.columns))
    for record in df.itertuples(index=False):
        ws.append([None if (isinstance(v, float) and v != v) else (v.item() if hasattr(v, "item") else v)
                   for v in record])
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"  # never a formula from user text
    ws.freeze_panes = "A2"
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, col in enumerate(df.columns, start=1):
        letter = get_column_letter(i)
        sample = df[col].head(200)
        width = max([len(str(col)) * 1.1] + [len(f"{v:,.0f}" if isinstance(v, float) else str(v)) for v in sample])
        ws.column_dimensions[letter].width = min(70, max(11, width + 2))
        fmt = number_format(name, str(col))
        if fmt:
            for cell in ws[letter][1:]:
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    cell.number_format = fmt
    if list(df.columns) == ["metric", "value"]:  # Summary, Solver
        _one_page_wide(ws)
        for metric_cell, value_cell in zip(ws["A"][1:], ws["B"][1:]):
            fmt = summary_format(str(metric_cell.value))
            if fmt and isinstance(value_cell.value, (int, float)):
                value_cell.number_format = fmt


def _one_page_wide(ws) -> None:
    """Print a metric | value sheet one page wide, each name beside its value: long text (binding
    limits, solver options) wraps in column B, its row made tall enough (15 pt a line, a line
    being B's width less 2 characters), instead of running across the page."""
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    width = ws.column_dimensions["B"].width
    for cell in ws["B"][1:]:
        if isinstance(cell.value, str) and len(cell.value) > width:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.cell(cell.row, 1).alignment = Alignment(vertical="top")
            ws.row_dimensions[cell.row].height = 15 * math.ceil(len(cell.value) / (width - 2))


def remove_leftovers(out_dir: Path) -> None:
    """Delete temporary files a killed earlier run left in ``out_dir`` (only the writer's own names)."""
    for leftover in list(out_dir.glob(".plan-*.tmp")) + list(out_dir.glob(".csv-*")) + \
            list(out_dir.glob(".charts-*")):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _swap_folder(new: Path, target: Path) -> None:
    """Put folder ``new`` in place of ``target`` (removing the old one after the rename)."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-old-", dir=target.parent))
        os.replace(target, old / target.name)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def as_new_file(path: Path) -> Path:
    """Give a staged file or folder (``mkstemp`` / ``mkdtemp`` make them private) the permissions
    the user's umask gives new files and folders, so colleagues can open the report."""
    mask = _umask()
    if path.is_dir():
        path.chmod(0o777 & ~mask)
        for child in path.iterdir():
            child.chmod(0o666 & ~mask)
    else:
        path.chmod(0o666 & ~mask)
    return path


@contextmanager
def folder_lock(out_dir: Path) -> Iterator[None]:
    """Hold a lock on the folder itself (``flock`` on its descriptor, so no lock file is left)
    while a report is written there: a second run writing to the same folder waits, and says
    so, instead of mixing its files with the first's."""
    fd = os.open(out_dir, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("another planner run is writing its report to %s: waiting for it to finish", out_dir)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def write_report(tables: dict[str, pd.DataFrame], out_dir: Path, charts: bool = True,
                 workbook: str = "plan.xlsx", blocks: list[ChartBlock] | None = None) -> list[Path]:
    """Write ``workbook``, one CSV per table and the SVG charts into ``out_dir``; returns the files.

    Charts are those of a plan (:func:`planner.report.charts.chart_blocks`) unless ``blocks`` are given.
    The folder is locked while it is written (:func:`folder_lock`), so ``plan.xlsx``, ``csv/`` and
    ``charts/`` always come from one run.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    with folder_lock(out_dir):
        return _write_report(tables, out_dir, charts, workbook, blocks)


def _write_report(tables: dict[str, pd.DataFrame], out_dir: Path, charts: bool, workbook: str,
                  blocks: list[ChartBlock] | None) -> list[Path]:
    remove_leftovers(out_dir)
    wb = Workbook()
    wb.remove(wb.active)
    for name, df in tables.items():
        _write_sheet(wb, name, df)
    if blocks is None:
        blocks = chart_blocks(tables) if charts else []
    columns = add_excel_charts(wb, blocks) if blocks else {}
    svgs = {block.name: chart_svg(block) for block in blocks}
    if charts and "Branches" in tables:
        quarters = list(dict.fromkeys(tables["Costs"]["quarter"]))
        tree_sheet(wb, tables["Branches"], quarters, index=min(2, len(wb.sheetnames)))
        svgs["tree"] = tree_svg(tables["Branches"], quarters)
    page = _overview(wb, tables, blocks, columns, svgs) if "Costs" in tables else None
    staged = [Path(tempfile.mkdtemp(prefix=".csv-", dir=out_dir))]
    files = {workbook: out_dir / f".plan-{staged[0].name}.xlsx.tmp"}
    written = [out_dir / workbook]
    try:
        if svgs:
            staged.append(Path(tempfile.mkdtemp(prefix=".charts-", dir=out_dir)))
            for name, svg in svgs.items():
                (staged[1] / f"{name}.svg").write_text(svg)
                written.append(out_dir / "charts" / f"{name}.svg")
        wb.save(files[workbook])
        if page is not None:
            files["plan.html"] = out_dir / f".plan-{staged[0].name}.html.tmp"
            files["plan.html"].write_text(page)
            written.append(out_dir / "plan.html")
        for name, df in tables.items():
            _safe_csv(df).to_csv(staged[0] / f"{name.lower()}.csv", index=False)
        for folder in staged:
            as_new_file(folder)
        _swap_folder(staged[0], out_dir / "csv")
        if svgs:
            _swap_folder(staged[1], out_dir / "charts")
        for name, tmp in files.items():
            os.replace(as_new_file(tmp), out_dir / name)
    finally:
        for tmp in files.values():
            tmp.unlink(missing_ok=True)
        for folder in staged:
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
    return written + [out_dir / "csv" / f"{name.lower()}.csv" for name in tables]


def _overview(wb: Workbook, tables: dict[str, pd.DataFrame], blocks: list[ChartBlock], columns: dict[str, int],
              svgs: dict[str, str]) -> str:
    """Add the Overview sheet (first) and return the same page as HTML. Both show coverage per
    workload and the costs; the page also shows the scenario tree (the workbook has its Tree sheet)."""
    ov = overview(tables)
    shown = [b for b in blocks if b.name.startswith("coverage_")] + [b for b in blocks if b.name == "costs"]
    charts = [excel_chart(wb["ChartData"], b, columns[b.name]) for b in shown]
    overview_sheet(wb, ov, charts, tree="tree" in svgs)
    return overview_html(ov, {name: svgs[name] for name in ["tree", *(b.name for b in shown)] if name in svgs})
