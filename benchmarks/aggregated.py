"""An aggregated capacity row per quarter, for HiGHS's own MIR cuts (issue 17, "close the bound").

    python -m benchmarks.aggregated [--only NAME ...] [--time-limit S]     # tuning instances
    python -m benchmarks.aggregated --evaluation [--families d12 ...]      # the evaluation set

HiGHS derives mixed-integer rounding cuts from single rows and from short paths of rows
(at most 6). The whole-block rounding that separates the example's and q28's plans from
their LP bound sits across dozens of rows: per workload, a coverage row of allocation
columns; per hardware type, a capacity row tying those to the blocks in service. Summing
them gives one valid row per quarter and scenario directly in the whole decisions:

    sum_h max_w eff(h, w) * fleet[h, q, σ] + sum_c max_w thr(h(c), w) * active[c, q, σ]
        + sum_w unmet[w, q, σ] >= sum_w required(w, q, σ)

(each workload's du on h is at most ``max_w eff(h, w)`` per accelerator, and the
accelerators used are at most those in service). The LP relaxation already satisfies
it; what it adds is a row from which HiGHS's c-MIR separator can round the block counts.
This script measures the default solve (tight, two searches) with and without the rows.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from benchmarks.run import INSTANCES, solve_tracked
from planner.model import build_model
from planner.model.parts import Lin, Parts, constraint
from planner.solver.compile import compile_model
from planner.solver.portfolio import join_stragglers
from planner.workbook.validate import load_inputs


def add_capacity_rows(p: Parts) -> int:
    """Add ``capacity_total[q, σ]`` (module docstring) to ``p.m``; returns how many rows."""
    inp, m = p.inp, p.m
    rows = {}
    unmet = m.find_component("unmet")
    for q in range(inp.n):
        for sc in inp.scenarios:
            lin = Lin()
            for (h, qq, s2), fleet in p.fleet.items():
                rate = max((inp.eff(h, w) for w in inp.workloads), default=0.0)
                if qq == q and s2 == sc and rate > 0:
                    lin.const += rate * fleet.const
                    lin.terms += [(rate * c, v) for c, v in fleet.terms]
            for (c, qq, s2), active in p.active.items():
                rate = max((inp.throughput.get((p.contracts[c][1], w), 0.0) for w in inp.workloads), default=0.0)
                if qq == q and s2 == sc and rate > 0:
                    lin.const += rate * active.const
                    lin.terms += [(rate * k, v) for k, v in active.terms]
            for w in inp.workloads:
                lin.add(1.0, unmet[w, q, sc])
            rows[q, sc] = lin.expr() >= sum(inp.required(w, q, sc) for w in inp.workloads)
    constraint(m, "capacity_total", rows)
    return len(rows)


def _solve(inp, aggregate: bool, target: float, limit: float) -> tuple[int, dict]:
    model, parts = build_model(inp)
    added = add_capacity_rows(parts) if aggregate else 0
    result = solve_tracked(compile_model(model), target, limit, 2)
    join_stragglers()
    return added, result


def evaluation(families: list[str] | None, limit: float) -> None:
    """Without and with the rows on the evaluation set (benchmarks.evaluate's families)."""
    from benchmarks.evaluate import FAMILIES
    from benchmarks.trees import much_worse, sgm

    print("| family | instances | shifted geometric mean of | without | with | with / without | worse by > 10 % |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as d:
        for fam in FAMILIES:
            if families and fam.name not in families:
                continue
            values: dict[bool, list[float]] = {False: [], True: []}
            worse = []
            for label, path in fam.instances(Path(d)):
                inp = load_inputs(path)
                for aggregate in (False, True):
                    r = _solve(inp, aggregate, fam.target, limit)[1]
                    values[aggregate].append(float(r.get("t_target", limit)) if fam.timed else 100 * r["gap"])
                a, b = values[False][-1], values[True][-1]
                if much_worse(b, a, fam.timed):
                    worse.append(f"{label} ({b:.3g} against {a:.3g})")
            shift = 1.0 if fam.timed else 0.01
            pm, dm = sgm(values[False], shift), sgm(values[True], shift)
            what = f"time to {fam.target:g} (s)" if fam.timed else "gap after the limit (%)"
            print(f"| {fam.name} | {len(values[False])} | {what} | {pm:.3g} | {dm:.3g} | {dm / pm:.2f} | "
                  f"{'; '.join(worse) or 'none'} |", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--evaluation", action="store_true")
    ap.add_argument("--families", nargs="*")
    ap.add_argument("--only", nargs="*", default=["q28", "example", "case302", "small-hard", "hard-9", "hard-24"])
    ap.add_argument("--time-limit", type=float, default=60.0)
    args = ap.parse_args()
    if args.evaluation:
        evaluation(args.families, args.time_limit)
        return
    pool = {i.name: i for i in INSTANCES}
    print("| instance | target | rows added | without: time (s) | without: gap | with: time (s) | with: gap |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as d:
        for name in args.only:
            inst = pool[name]
            path = inst.workbook(Path(d))
            inp = load_inputs(path)
            target = inst.gap if inst.gap <= 1e-4 else 1e-4  # large cases: the gap after the limit
            got = [_solve(inp, aggregate, target, args.time_limit) for aggregate in (False, True)]
            (_, a), (added, b) = got
            print(f"| {name} | {target:g} | {added} | {a.get('t_target', float('nan')):.1f} | "
                  f"{100 * a['gap']:.4f} % | {b.get('t_target', float('nan')):.1f} | {100 * b['gap']:.4f} % |",
                  flush=True)

if __name__ == "__main__":
    main()
