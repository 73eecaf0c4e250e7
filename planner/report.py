"""Write the report: ``plan.xlsx`` (one sheet per table) and ``csv/<table>.csv``.

Files are written atomically: each goes to a temporary name in its target
folder and is renamed into place, so an interrupted run leaves the previous
report intact. Text that Excel would read as a formula (starting with
``= + - @`` or a tab) is stored as a plain string in the workbook and
prefixed with ``'`` in the CSVs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_csv(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    return out


def _number_format(column: str) -> str | None:
    if column.endswith("_usd") or column in ("total_cost", "best_bound"):
        return '"$"#,##0'
    if column in ("share", "cap_share", "utilisation", "discount_factor"):
        return "0.0%" if column != "discount_factor" else "0.0000"
    if column.startswith(("du", "accelerators")) or column.endswith("_du"):
        return "#,##0"
    if column.startswith("mw"):
        return "#,##0.0"
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
    for i, col in enumerate(df.columns, start=1):
        letter = get_column_letter(i)
        width = max([len(str(col))] + [len(f"{v:,.0f}" if isinstance(v, float) else str(v))
                                       for v in df[col].head(200)])
        ws.column_dimensions[letter].width = min(60, max(10, width + 2))
        fmt = _number_format(col)
        if fmt:
            for cell in ws[letter][1:]:
                if isinstance(cell.value, (int, float)):
                    cell.number_format = fmt
    for cell in ws[1]:
        cell.font = Font(bold=True)


def remove_leftovers(out_dir: Path) -> None:
    """Delete temporary files a killed earlier run left in ``out_dir`` (only the writer's own names)."""
    for leftover in list(out_dir.glob(".plan-*.xlsx.tmp")) + list(out_dir.glob(".csv-*")):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def write_report(tables: dict[str, pd.DataFrame], out_dir: Path) -> list[Path]:
    """Write ``plan.xlsx`` and one CSV per table into ``out_dir``; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_leftovers(out_dir)
    wb = Workbook()
    wb.remove(wb.active)
    for name, df in tables.items():
        _write_sheet(wb, name, df)
    fd, tmp_name = tempfile.mkstemp(prefix=".plan-", suffix=".xlsx.tmp", dir=out_dir)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        wb.save(tmp)
        csv_tmp = Path(tempfile.mkdtemp(prefix=".csv-", dir=out_dir))
        try:
            for name, df in tables.items():
                _safe_csv(df).to_csv(csv_tmp / f"{name.lower()}.csv", index=False)
            csv_dir = out_dir / "csv"
            old = None
            if csv_dir.exists():
                old = Path(tempfile.mkdtemp(prefix=".csv-old-", dir=out_dir))
                os.replace(csv_dir, old / "csv")
            os.replace(csv_tmp, csv_dir)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
        finally:
            if csv_tmp.exists():
                shutil.rmtree(csv_tmp, ignore_errors=True)
        os.replace(tmp, out_dir / "plan.xlsx")
    finally:
        if tmp.exists():
            tmp.unlink()
    return [out_dir / "plan.xlsx"] + [out_dir / "csv" / f"{name.lower()}.csv" for name in tables]
