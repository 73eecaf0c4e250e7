"""``planner run --decompose`` on a tree of 100 scenarios (issue 32): bound, plan, gap, audit, memory.

    python -m benchmarks.decompose_scale [--scenarios 100] [--processes 3 6] [--limit S] [--out FILE]

The workbook is :func:`benchmarks.big_trees.tree_workbook` (the example's data with a random tree, seed
2000 + scenarios: the evaluation seed). Each run is the ``planner`` command as a subprocess, started alone
(it launches itself under MPICH's ``mpiexec`` with ``--processes``); the process tree is polled every
0.5 s for the peak resident memory of each process. Reported: wall time, the Solver table's bound, plan,
gap and methods, the audit, and the largest peak over the processes.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil

from benchmarks.big_trees import SETS, tree_workbook
from benchmarks.trees import publish


def run(book: Path, processes: int, limit: float, out: Path) -> dict[str, object]:
    """One decomposed run; its figures (module docstring)."""
    command = [sys.executable, "-m", "planner.cli", "run", str(book), "--decompose", "--processes",
               str(processes), "--time-limit", str(limit), "--mip-gap", "0.01", "--out", str(out), "-q"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak: dict[int, int] = {}
    root = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            for p in [root, *root.children(recursive=True)]:
                peak[p.pid] = max(peak.get(p.pid, 0), p.memory_info().rss)
        except psutil.Error:
            pass
        time.sleep(0.5)
    text = proc.stdout.read() if proc.stdout else ""
    wall = time.perf_counter() - t0
    if proc.returncode:
        return {"processes": processes, "wall": wall, "error": text[-800:]}
    solver = pd.read_csv(out / "csv" / "solver.csv").set_index("metric")["value"]
    summary = pd.read_csv(out / "csv" / "summary.csv").set_index("metric")["value"]
    return {"processes": processes, "wall": wall, "plan": float(solver["objective"]),
            "bound": float(solver["best_bound"]), "gap": float(solver["mip_gap"]), "audit": summary["audit"],
            "bound_from": solver["best_bound_from"], "plan_from": solver["plan_from"],
            "peak_gb": max(peak.values(), default=0) / 2**30}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenarios", type=int, default=100)
    ap.add_argument("--processes", type=int, nargs="*", default=[3, 6])
    ap.add_argument("--limit", type=float, default=600.0)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    folder = Path("/tmp/planner-big-trees")
    folder.mkdir(exist_ok=True)
    book = tree_workbook(SETS["eval"] + args.scenarios, args.scenarios, folder)
    lines = [f"{book.name}: {args.scenarios} scenarios, time limit {args.limit:g} s", "",
             "| processes | wall (s) | plan | bound | gap | audit | peak memory per process (GB) | error |",
             "|" + "---|" * 8]
    for n in args.processes:
        r = run(book, n, args.limit, folder / f"decomposed-{n}")
        lines.append(f"| {n} | {r['wall']:.0f} | {r.get('plan', float('nan')):.6e} | "
                     f"{r.get('bound', float('nan')):.6e} | {100 * r.get('gap', float('nan')):.2f} % | "
                     f"{r.get('audit', '-')} | {r.get('peak_gb', float('nan')):.2f} | {r.get('error', '')} |")
        print(lines[-1], flush=True)
    publish(lines, args.out)


if __name__ == "__main__":
    main()
