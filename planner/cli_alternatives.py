"""``planner alternatives INPUT``: which decisions every near-optimal plan takes (MGA on Dask).

Solves the plan as ``run`` does, then each axis's minimum and maximum within ``--slack`` of its cost
(:mod:`planner.analysis.alternatives`), and writes ``alternatives.xlsx``, ``csv/`` (with each alternative's
Actions as ``csv/actions-<axis>-<minimum|maximum>.csv``), ``charts/ranges.svg`` and ``alternatives.html``.
Exit 0 when the plan and the report were written, 2 on input errors or an unknown axis, 3 without a plan.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

from planner.audit.auditor import audit_plan
from planner.pipeline import load
from planner.report.writer import as_new_file, write_report
from planner.workbook.errors import InputError


def add_parser(sub, common: argparse.ArgumentParser) -> None:
    alt = sub.add_parser("alternatives", parents=[common], help="near-optimal alternatives: which decisions are firm",
                         description="Solves the plan, then minimises and maximises each axis among the plans "
                         "within --slack of its cost, one case per extreme on Dask.")
    alt.add_argument("input", type=Path)
    alt.add_argument("--slack", type=float, default=0.01, help="cost slack as a fraction (default 0.01: 1 %%)")
    alt.add_argument("--axis", action="extend", nargs="+", metavar="NAME",
                     help="lease_share, owned_gpu_share, asic_share, funded:<program>, site_mw:<site>, "
                     "ordered:<hardware>, provider_share:<provider> (one or more; default: all of them)")
    alt.add_argument("--out", type=Path, help="report folder (default outputs/<input stem>-alternatives/)")
    alt.add_argument("--scheduler", help="address of a running Dask scheduler (default: a local cluster)")
    alt.add_argument("--workers", type=int, help="local workers (default: one per core)")
    alt.add_argument("--time-limit", type=float, dest="time_limit",
                     help="solver time limit of the plan and of each case, s (default: the workbook's; "
                     "at most 20 s a case)")
    alt.add_argument("--mip-gap", type=float, dest="mip_gap", help="relative MIP gap (default: the workbook's)")
    alt.add_argument("--no-progress", action="store_true", help="no progress bar")


def cmd_alternatives(args: argparse.Namespace) -> int:
    from planner.analysis.alternatives import alternatives_tables, run_alternatives, solve_plan
    from planner.analysis.axes import default_axes, unknown_axes
    from planner.report.alternatives_page import ranges_block
    from planner.solver.highs import default_workers

    if not 0.0 <= args.slack <= 1.0:
        print(f"--slack {args.slack}: expected a fraction between 0 and 1", file=sys.stderr)
        return 2
    try:
        inp = load(args.input, {})
    except InputError as err:
        from planner.cli import _print_problems

        return _print_problems(err, args.input)
    axes = args.axis or default_axes(inp)
    unknown = unknown_axes(inp, axes)
    if unknown:
        print(f"--axis {', '.join(unknown)}: not an axis of this workbook (lease_share, owned_gpu_share, asic_share, "
              "funded:<unfunded program>, site_mw:<site>, ordered:<hardware>, provider_share:<provider>)",
              file=sys.stderr)
        return 2
    gap = inp.settings.mip_gap if args.mip_gap is None else args.mip_gap
    limit = args.time_limit or inp.settings.time_limit_s
    t0 = time.perf_counter()
    try:
        plan = solve_plan(inp, axes, gap, limit, default_workers())
    except ValueError as err:
        print(str(err), file=sys.stderr)
        return 2
    if "cost" not in plan:
        print(f"no plan found ({plan['status']}): nothing to compare alternatives with", file=sys.stderr)
        return 3
    rows = run_alternatives(inp, axes, float(plan["cost"]) * (1 + args.slack), plan["start"], gap,  # type: ignore[arg-type]
                            args.time_limit or min(limit, 20.0), args.scheduler, args.workers,
                            progress=not args.no_progress, audit=audit_plan)
    tables = alternatives_tables(plan, rows, args.slack, time.perf_counter() - t0)
    out = args.out or Path("outputs") / f"{args.input.stem}-alternatives"
    try:
        write_report(tables, out, workbook="alternatives.xlsx", blocks=[ranges_block(tables["Axes"])])
        _write_extra(out, tables, rows, f"Near-optimal alternatives of {args.input.name}")
    except OSError as err:
        print(f"cannot write the report to {out}: {err}", file=sys.stderr)
        return 2
    s = dict(zip(tables["Summary"].metric, tables["Summary"].value))
    print(f"{len(rows)} extremes of {len(axes)} axes ({int(s['cases_with_a_plan'])} found) within "
          f"{100 * args.slack:g} % of ${float(plan['cost']):,.0f}; report in {out}/")
    return 0


def _write_extra(out: Path, tables, rows, title: str) -> None:
    """``alternatives.html`` and each alternative's Actions in ``csv/``, each written as a new file."""
    from planner.report.alternatives_page import alternatives_html

    for r in rows:
        if r.get("actions") is not None:
            name = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"actions-{r['axis']}-{r['sense']}") + ".csv"
            tmp = out / "csv" / f".{name}.tmp"
            r["actions"].to_csv(tmp, index=False)
            os.replace(as_new_file(tmp), out / "csv" / name)
    tmp = out / ".alternatives.html.tmp"
    tmp.write_text(alternatives_html(title, tables))
    os.replace(as_new_file(tmp), out / "alternatives.html")
