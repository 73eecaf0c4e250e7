"""Command line: ``planner run | validate | template | sweep | roll | alternatives``.

Exit codes: 0 a plan was written (optimal, or an incumbent at the time limit),
2 input errors (every one listed, nothing written), 3 no plan exists.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from planner.cli_alternatives import add_parser as add_alternatives
from planner.cli_alternatives import cmd_alternatives
from planner.cli_decompose import abort, mpi_rank, quiet_unless_rank0, relaunch
from planner.cli_decompose import add_arguments as add_decompose
from planner.pipeline import AuditError, add_value_of_risk, load, plan, timed
from planner.report.writer import write_report
from planner.solver.diagnose import NoPlanError
from planner.workbook.errors import SHOWN_PROBLEMS, InputError
from planner.workbook.template import write_template

log = logging.getLogger("planner")


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="planner", description="Plan AI compute capacity from an Excel workbook.")
    # options of every command, accepted before or after the command's name
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS, help="log warnings only")
    sub = ap.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", parents=[common], help="solve a workbook and write the report")
    run.add_argument("input", type=Path)
    run.add_argument("--out", type=Path, help="report folder (default outputs/<input stem>/)")
    run.add_argument("--time-limit", type=float, dest="time_limit", help="solver time limit, s")
    run.add_argument("--mip-gap", type=float, dest="mip_gap", help="relative MIP gap")
    run.add_argument("--workers", type=int, help="HiGHS searches at once, sharing plans (default: "
                     "solver_workers in Settings, else one per core, at most 2; 1: repeatable)")
    run.add_argument("--repeatable", action="store_true", help="one HiGHS search on --workers threads "
                     "(HiGHS's own parallel search): the same plan every run (solver_mode in Settings)")
    run.add_argument("--relax-and-fix", dest="relax_and_fix", action="store_true",
                     help="search 1 first solves with only phases and funding whole, then with those fixed: "
                     "often a better bound on large deterministic plans, slower on small ones and trees (solver_mode)")
    run.add_argument("--previous", type=Path, metavar="PLAN",
                     help="a previous plan (report folder or its plan.xlsx): adds the Changes table")
    run.add_argument("--keep-through", dest="keep_through", metavar="QUARTER",
                     help="with --previous: keep that plan's decisions up to QUARTER (and its funding)")
    add_decompose(run)
    run.add_argument("--value-of-risk", dest="value_of_risk", choices=("auto", "on", "off"),
                     help="vss and evpi with Scenarios, computed after the report is written and added to it "
                     "(default: value_of_risk in Settings, auto: when they cost less than the plan)")
    run.add_argument("--scheduler", help="address of a running Dask scheduler for the vss/evpi MIPs (default: "
                     "a local cluster)")
    roll = sub.add_parser("roll", parents=[common], help="the workbook for planning again from a later quarter",
                          description="Every decision of PLAN taken before QUARTER becomes pipeline "
                          "(ExistingLeases, ExistingFleet, CommittedPhases, funded programs); start_quarter "
                          "becomes QUARTER.")
    roll.add_argument("input", type=Path)
    roll.add_argument("plan", type=Path, metavar="PLAN", help="report folder or its plan.xlsx")
    roll.add_argument("--to", required=True, metavar="QUARTER", help="the new start_quarter, e.g. 2026Q4")
    roll.add_argument("--out", type=Path, help="new workbook (default: INPUT's folder, <stem>-<QUARTER>.xlsx)")
    roll.add_argument("--scenario", help="the branch that happened, when the plan's scenarios decided "
                      "differently before QUARTER")
    val = sub.add_parser("validate", parents=[common], help="check a workbook without solving")
    val.add_argument("input", type=Path)
    tpl = sub.add_parser("template", parents=[common], help="write an empty, documented workbook")
    tpl.add_argument("output", type=Path)
    sw = sub.add_parser("sweep", parents=[common], help="solve a grid of what-ifs in parallel on Dask",
                        description="Each --vary SHEET.COLUMN=V1,V2,... scales a column by each multiplier "
                        "(1.2) or adds each offset (+2); Demand.* varies every workload. The full grid is solved.")
    sw.add_argument("input", type=Path)
    sw.add_argument("--vary", action="append", required=True, metavar="SHEET.COLUMN=V1,V2,...")
    sw.add_argument("--scheduler", help="address of a running Dask scheduler (default: a local cluster)")
    sw.add_argument("--workers", type=int, help="local workers (default: one per core)")
    sw.add_argument("--out", type=Path, help="report folder (default outputs/<input stem>-sweep/)")
    sw.add_argument("--time-limit", type=float, dest="time_limit", help="solver time limit per case, s")
    sw.add_argument("--mip-gap", type=float, dest="mip_gap", help="relative MIP gap per case")
    sw.add_argument("--no-progress", action="store_true", help="no progress bar")
    add_alternatives(sub, common)
    ap.add_argument("-q", "--quiet", action="store_true", help="log warnings only")
    return ap


def _print_problems(err: InputError, path: Path) -> int:
    print(f"{path}: {len(err.problems)} input error(s); nothing was written:", file=sys.stderr)
    for p in err.problems[:SHOWN_PROBLEMS]:
        print(f"  - {p}", file=sys.stderr)
    if len(err.problems) > SHOWN_PROBLEMS:
        print(f"  ... and {len(err.problems) - SHOWN_PROBLEMS:,} more (fix these first; all are checked again)",
              file=sys.stderr)
    return 2


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and a.resolve().samefile(b.resolve())
    except OSError:
        return False


def cmd_run(args: argparse.Namespace) -> int:
    out = args.out or Path("outputs") / args.input.stem
    if args.mip_gap is not None and not 0 <= args.mip_gap < 1:
        print(f"--mip-gap must be in [0, 1), got {args.mip_gap}", file=sys.stderr)
        return 2
    if args.time_limit is not None and args.time_limit <= 0:
        print(f"--time-limit must be positive, got {args.time_limit}", file=sys.stderr)
        return 2
    if args.workers is not None and args.workers < 1:
        print(f"--workers must be at least 1, got {args.workers}", file=sys.stderr)
        return 2
    if _same_file(args.input, out / "plan.xlsx") or _same_file(args.input, out):
        print(f"refusing to overwrite the input {args.input} with the report", file=sys.stderr)
        return 2
    if out.exists() and not out.is_dir():
        print(f"--out {out} is a file, not a folder", file=sys.stderr)
        return 2
    launch = mpi_rank()
    if args.decompose and launch is None:
        return relaunch(args.argv, args.processes)
    if args.decompose:
        quiet_unless_rank0(launch[1])
    try:
        result = plan(args.input, args.mip_gap, args.time_limit, workers=args.workers,
                      repeatable=True if args.repeatable else None,
                      relax_and_fix=True if args.relax_and_fix else None, previous=args.previous,
                      keep_through=args.keep_through, decompose=args.decompose,
                      value_of_risk=args.value_of_risk, defer_risk=True)
        if result is None:
            return 0  # a process of the decomposition other than rank 0: rank 0 reports
    except InputError as err:
        return _print_problems(err, args.input)
    except NoPlanError as err:
        print(f"{args.input}: no plan: {err}", file=sys.stderr)
        return 3
    except AuditError as err:
        print(f"{args.input}: the plan failed its audit, so no report was written (this is a bug in the "
              "planner; please report it with the workbook):", file=sys.stderr)
        for v in err.result.audit.violations[:20]:
            print(f"  - {v}", file=sys.stderr)
        return 3
    try:
        with timed(result.timings, "write"):
            write_report(result.tables, out)
    except OSError as err:
        print(f"cannot write the report to {out}: {err}", file=sys.stderr)
        return 2
    print(f"{headline(result)}; report in {out}/", flush=True)
    if result.risk_pending:
        return _value_of_risk(result, out, args.scheduler)
    return 0


def _value_of_risk(result, out: Path, scheduler: str | None) -> int:
    """vss and evpi after the plan's report is out, then the report again with them (or, when they fail,
    the plan's report as it is and a warning)."""
    n = 2 + len(result.inputs.scenarios)
    log.info("value of risk: %d MIPs (expected value, each scenario alone, the expected-value plan) on Dask", n)
    try:
        result = add_value_of_risk(result, scheduler)
        with timed(result.timings, "write"):
            write_report(result.tables, out)
    except Exception as err:  # the plan's report stands; only vss and evpi are missing
        log.warning("vss and evpi were not computed (%s: %s); the report holds the plan without them",
                    type(err).__name__, err)
        return 0
    s = result.tables["Summary"].set_index("metric")["value"]
    print(f"vss ${float(s['vss']):,.0f}, evpi ${float(s['evpi']):,.0f}; added to the report in {out}/")
    return 0


def headline(result) -> str:
    """What the run found, in words: ``plan within 0.86 % of the best possible (target 1 %)``."""
    s, target = result.solution, result.target_gap
    within = f"within {100 * s.gap:.2f} % of the best possible (target {100 * target:g} %)"
    if s.status == "optimal":
        what = "optimal plan" if s.gap <= 1e-9 else f"plan {within}"
    else:
        what = f"the best plan found by the time limit, {within}"
    return f"{what}: total cost ${s.objective:,.0f}"


def cmd_sweep(args: argparse.Namespace) -> int:
    import time

    from planner.analysis.variation import VariationError, parse_vary

    try:
        from planner.analysis.sweep import run_sweep, sweep_tables
    except ImportError as err:
        print(f"planner sweep needs Dask (a dependency): pip install -c constraints.txt . ({err})", file=sys.stderr)
        return 2
    try:
        variations = [parse_vary(v) for v in args.vary]
    except VariationError as err:
        print(str(err), file=sys.stderr)
        return 2
    timings: dict[str, float] = {}
    try:
        inp = load(args.input, timings)
    except InputError as err:
        return _print_problems(err, args.input)
    out = args.out or Path("outputs") / f"{args.input.stem}-sweep"
    t0 = time.perf_counter()
    df = run_sweep(inp, variations, args.scheduler, args.workers, args.mip_gap, args.time_limit,
                   progress=not args.no_progress)
    seconds = time.perf_counter() - t0
    tables, blocks = sweep_tables(df, variations, seconds, args.scheduler or (args.workers or os.cpu_count()))
    try:
        write_report(tables, out, workbook="sweep.xlsx", blocks=blocks)
    except OSError as err:
        print(f"cannot write the report to {out}: {err}", file=sys.stderr)
        return 2
    failed = int(df.total_cost.isna().sum())
    print(f"{len(df)} cases in {seconds:.1f} s ({failed} failed); report in {out}/")
    return 0


def cmd_roll(args: argparse.Namespace) -> int:
    from planner.replan.previous import read_plan
    from planner.replan.roll import roll

    out = args.out or args.input.with_name(f"{args.input.stem}-{args.to.strip().upper()}.xlsx")
    if _same_file(args.input, out):
        print(f"refusing to overwrite the input {args.input} with the rolled workbook", file=sys.stderr)
        return 2
    try:
        written = roll(args.input, read_plan(args.plan), args.to, out, args.scenario)
    except InputError as err:
        return _print_problems(err, args.input)
    except OSError as err:
        print(f"cannot write {out}: {err}", file=sys.stderr)
        return 2
    print(f"rolled to {args.to}: {written}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    timings: dict[str, float] = {}
    try:
        inp = load(args.input, timings)
    except InputError as err:
        return _print_problems(err, args.input)
    print(f"{args.input}: valid: {inp.n} quarters, {len(inp.workloads)} workloads, {len(inp.hardware)} "
          f"hardware types, {len(inp.sites)} sites, {len(inp.offers)} lease offers, {len(inp.programs)} programs")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point: never a traceback unless PLANNER_DEBUG is set (exit 1 on an internal error)."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # whoever read stdout stopped reading (``planner ... | head``): not a bug
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 141  # 128 + SIGPIPE, as the shell reports a command killed by a closed pipe
    except Exception as exc:
        if os.environ.get("PLANNER_DEBUG"):
            raise
        print(f"internal error: {type(exc).__name__}: {exc} (this is a bug in the planner; run again with "
              "PLANNER_DEBUG=1 for the traceback and report it)", file=sys.stderr)
        if "mpi4py" in sys.modules and (mpi_rank() or (1, 0))[0] > 1:
            abort(1)  # the other processes of a decomposition would wait for this one forever
        return 1


def _main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("pyomo").setLevel(logging.ERROR)
    if args.command == "run":
        return cmd_run(args)
    if args.command == "validate":
        return cmd_validate(args)
    if args.command == "sweep":
        return cmd_sweep(args)
    if args.command == "roll":
        return cmd_roll(args)
    if args.command == "alternatives":
        return cmd_alternatives(args)
    try:
        write_template(args.output)
    except OSError as err:
        print(f"cannot write {args.output}: {err}", file=sys.stderr)
        return 2
    print(f"template written to {args.output}")
    return 0


def entry() -> None:
    """The ``planner`` command: :func:`main`, then, except for sweeps, exit at once.

    Everything is written and closed when ``main`` returns; what is left is tearing down the
    interpreter (freeing the Pyomo model, pandas and HiGHS objects one by one: about 0.55 s on
    the example) and waiting for a portfolio search that has not yet seen its stop (see
    :mod:`planner.solver.portfolio`). ``os._exit`` skips both. Once Dask is loaded (a sweep) the command
    exits normally instead, so that Dask's and multiprocessing's exit handlers run; so does a decomposition
    (MPI's).
    """
    code = main(sys.argv[1:])
    if any(m in sys.modules for m in ("dask", "distributed", "mpi4py")):
        sys.exit(code)  # Dask's, multiprocessing's and MPI's exit handlers (MPI_Finalize) run
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (``planner run ... | head``) or stream
            pass
    os._exit(code)


if __name__ == "__main__":
    entry()
