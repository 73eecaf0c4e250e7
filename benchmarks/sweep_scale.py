"""Sweep throughput: cases per minute with 1 and 2 local Dask workers.

    python -m benchmarks.sweep_scale [--cases-per-axis 4]

A grid of lease-price and demand multipliers over a small synthetic workbook
(each case solves in about a second), run once per worker count.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from planner.analysis.sweep import run_sweep
from planner.analysis.variation import parse_vary
from planner.workbook.synthetic import Size, generate, write
from planner.workbook.validate import load_inputs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases-per-axis", type=int, default=4)
    args = ap.parse_args()
    k = args.cases_per_axis
    prices = ",".join(f"{0.8 + 0.4 * i / (k - 1):.3f}" for i in range(k))
    demand = ",".join(f"{0.85 + 0.3 * i / (k - 1):.3f}" for i in range(k))
    with tempfile.TemporaryDirectory() as d:
        path = write(generate(Size(quarters=8, workloads=3, hardware=3, sites=2, offers=3, programs=1,
                                   budget=True), 3), Path(d) / "sweep.xlsx")
        inp = load_inputs(path)
        variations = [parse_vary(f"LeaseOffers.price_per_unit_quarter={prices}"), parse_vary(f"Demand.*={demand}")]
        rate = {}
        for workers in (1, 2):
            t = time.perf_counter()
            df = run_sweep(inp, variations, workers=workers, gap=1e-4, time_limit_s=60, progress=False)
            seconds = time.perf_counter() - t
            solving = df.attrs["solving_seconds"]
            rate[workers] = (60 * len(df) / seconds, 60 * len(df) / solving)
            print(f"workers={workers}: {len(df)} cases in {seconds:.1f} s with cluster start-up "
                  f"({rate[workers][0]:.1f} cases/min), {solving:.1f} s from first submit to last result "
                  f"({rate[workers][1]:.1f} cases/min); failed {int(df.total_cost.isna().sum())}; "
                  f"mean case {df.seconds.mean():.2f} s", flush=True)
        print(f"speed-up with 2 workers: {rate[2][0] / rate[1][0]:.2f}x with start-up, "
              f"{rate[2][1] / rate[1][1]:.2f}x without")


if __name__ == "__main__":
    main()
