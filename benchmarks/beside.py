"""This checkout beside another (an earlier commit), instance by instance, in one run.

    git worktree add /tmp/planner-before <commit>
    python -m benchmarks.beside /tmp/planner-before [--sets evaluation evaluation-2] [--forms tight-2]
                                [--time-limit S] [--example] [--out FILE]

For each instance of the chosen sets (:mod:`benchmarks.evaluate`'s families, written once by this
checkout's generator) each checkout measures the same workbook in a fresh process of its own
(``benchmarks.trees.measure`` run with that checkout first on ``sys.path``), the earlier one first,
then this one, so both see the same machine at nearly the same time. Per family: the shifted
geometric mean of the time to the family's target (small ones, shift 1 s) or of the gap after the
limit (large ones, shift 0.01 %), the ratio this / before, and every instance where this checkout is
more than 10 % worse (:func:`benchmarks.trees.much_worse`). ``--example``: also the shipped
example's time to 1 % (a tuning case; the earlier checkout's example, which both can read), three
runs each. Used for MODEL.md section 11 (the same workbooks, whose optimum section 11 changes),
where the question is whether the new rows cost speed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from pathlib import Path

from benchmarks.evaluate import SETS
from benchmarks.run import ROOT, machine
from benchmarks.trees import much_worse, publish, sgm

_MEASURE = ("import json, sys; from pathlib import Path; from benchmarks.trees import measure; "
            "r = measure(Path(sys.argv[1]), sys.argv[2], float(sys.argv[3]), float(sys.argv[4])); "
            "print(json.dumps({k: v for k, v in r.items() if isinstance(v, (int, float))}))")


def measured(checkout: Path, path: Path, form: str, target: float, limit: float) -> dict[str, float]:
    """``measure`` of one workbook by the code of ``checkout``, in a process of its own."""
    env = dict(os.environ, PYTHONPATH=str(checkout))
    proc = subprocess.run([sys.executable, "-c", _MEASURE, str(path), form, repr(target), repr(limit)],
                          cwd=checkout, env=env, capture_output=True, text=True, timeout=limit * 4 + 300)
    if proc.returncode != 0:
        return {"error": 1.0, "gap": math.nan}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _value(r: dict[str, float], timed: bool, limit: float) -> float:
    return float(r.get("t_target", limit)) if timed else 100 * float(r.get("gap", math.nan))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("before", type=Path, help="checkout of the earlier code")
    ap.add_argument("--sets", nargs="*", default=["evaluation", "evaluation-2"], choices=list(SETS))
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--form", default="tight-2")
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--example", action="store_true")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    folder = Path("/tmp/planner-beside")
    folder.mkdir(exist_ok=True)
    checkouts = {"before": args.before.resolve(), "this": ROOT}
    lines = [f"Machine: {machine()}; {args.form}; time limit {args.time_limit:g} s; before = {args.before}.", "",
             "| instance | before: time (s) | before: gap | this: time (s) | this: gap | this cost / before |",
             "|---|---|---|---|---|---|"]
    summary, worse = [], []
    families = [f for name in args.sets for f in SETS[name] if not args.only or f.name in args.only]
    for fam in families:
        values: dict[str, list[float]] = {"before": [], "this": []}
        for label, path in fam.instances(folder):
            got = {who: measured(c, path, args.form, fam.target, args.time_limit) for who, c in checkouts.items()}
            for who, r in got.items():
                values[who].append(_value(r, fam.timed, args.time_limit))
            ratio = got["this"].get("objective", math.nan) / got["before"].get("objective", math.nan)
            lines.append(f"| {label} | " + " | ".join(f"{r.get('t_target', math.nan):.1f} | {100 * r['gap']:.4f} %"
                                                      for r in got.values()) + f" | {ratio:.4f} |")
            print(lines[-1], flush=True)
            if much_worse(values["this"][-1], values["before"][-1], fam.timed):
                worse.append(f"{label}: {values['this'][-1]:.3g} against {values['before'][-1]:.3g} "
                             f"{'s' if fam.timed else '%'}")
        shift = 1.0 if fam.timed else 0.01
        means = {who: sgm(v, shift) for who, v in values.items()}
        what = f"time to {fam.target:g} (s)" if fam.timed else "gap after the limit (%)"
        summary.append(f"| {fam.name} | {len(values['this'])} | {what} | {means['before']:.3g} | {means['this']:.3g} "
                       f"| {means['this'] / means['before']:.2f} |")
    lines += ["", "| family | instances | shifted geometric mean of | before | this | this / before |",
              "|---|---|---|---|---|---|", *summary, "",
              "this more than 10 % worse: " + ("; ".join(worse) or "none")]
    if args.example:
        lines += ["", "| example, time to 1 % (s) | run 1 | run 2 | run 3 |", "|---|---|---|---|"]
        for who, c in checkouts.items():
            example = checkouts["before"] / "inputs" / "example.xlsx"  # the one both can read
            runs = [measured(c, example, args.form, 1e-2, 120.0) for _ in range(3)]
            lines.append(f"| {who} | " + " | ".join(f"{r.get('t_target', math.nan):.1f}" for r in runs) + " |")
            print(lines[-1], flush=True)
    publish(lines, args.out)


if __name__ == "__main__":
    main()
