"""The tuning set and the evaluation set in one run, the default against the plain formulation.

    python -m benchmarks.evaluate [--time-limit S] [--only FAMILY ...] [--sets tuning evaluation] [--out FILE]

The tuning set is ``benchmarks.run``'s instances (studied and tuned on), in three families:
``tune-small`` (case302, small-hard, hard-9/22/24/29; time to 1e-5), ``tune-scen`` (scen5, scen20;
time to 1e-3), ``tune-large`` (the example and q28; gap after the limit) and ``tune-d24`` (generated
as ``d24`` below with seeds 40000-40011, added on 2026-12-02 to study where relax-and-fix loses on
20-28 quarters without looking at the evaluation sets' instances), ``tune-t7`` (trees of the ``t12``
size with 7 or 8 scenarios, seeds 26000-26011, time to 1e-4) and ``tune-s20`` (scen20's size with 12, 16
or 20 scenarios, seeds 27000-27008, time to 1e-3), both added on 2026-12-06 to look for the default's
loss against plain on scenario models without looking at the evaluation sets' instances.

The evaluation set's families (seeds fixed here, never tuned on):

* ``d12``: 12 quarters, deterministic, the benchmark's small size (2 sites, 5 offers, a program,
  budgets), 10 seeds, target 1e-5;
* ``s12``: the same with 3-8 scenarios and risk aversion 0.3, 10 seeds, target 1e-5;
* ``t12``: the same as scenario trees with a committed pipeline, slips and failed programs
  (MODEL.md 9 and 10), 6 seeds, target 1e-4;
* ``d24``: 20-28 quarters, deterministic, 3 workloads, 4 sites, 8 offers, 3 programs, 6 seeds,
  gap after the time limit.

The second evaluation set (``--sets evaluation-2``: families ``d12b``, ``s12b``, ``t12b``, ``d24b``) has
the same sizes and new seeds, fixed on 2026-12-02 before their first run, after the first set had been
looked at while the relax-and-fix search was designed.

Per family: the shifted geometric mean (shift 1 s) of the time to the target (the limit where
it is not reached) for the small ones, and of the gap after the limit (shift 0.01 %) for
``d24``; for each formulation of ``--forms`` (default: ``plain``, one search of MODEL.md's
formulation; ``tight-2f``, two searches of which search 1 relaxes and fixes the strategic decisions
first, ``planner run --relax-and-fix``; ``tight-2``, the default, two searches of the whole MILP)
and the ratios of the last to the others; and every instance where the last is slower than another
by more than 10 %.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.run import INSTANCES, machine
from benchmarks.trees import TREE_SIZE, measure, much_worse, publish, sgm
from planner.workbook.synthetic import Size, generate, write

SMALL = dict(quarters=12, workloads=2, hardware=3, sites=2, offers=5, programs=1, budget=True)


@dataclass(frozen=True)
class Family:
    name: str
    seeds: tuple[int, ...]
    target: float
    timed: bool  # True: time to target; False: gap after the limit
    tuning: tuple[str, ...] = ()  # names of benchmarks.run instances (a tuning family)

    def instances(self, folder: Path) -> list[tuple[str, Path]]:
        """(label, workbook) of every instance, written into ``folder`` where generated."""
        if self.tuning:
            pool = {i.name: i for i in INSTANCES}
            return [(n, pool[n].workbook(folder)) for n in self.tuning]
        return [(f"{self.name}-{seed}", write(generate(self.size(seed), seed), folder / f"{self.name}-{seed}.xlsx"))
                for seed in self.seeds]

    def size(self, seed: int) -> Size:
        """The workbook size of ``seed``: by the family's kind (its name without ``tune-`` and a trailing
        ``b``: d12b .. d24b and tune-d24 have the sizes of d12 .. d24), from the seed and its index ``k``."""
        kind = self.name.rstrip("b").removeprefix("tune-")
        return SIZES[kind](seed, seed - self.seeds[0])


#: Size of a family's instance by kind, from (seed, index of the seed in the family).
SIZES: dict[str, Callable[[int, int], Size]] = {
    "d12": lambda seed, k: Size(**SMALL),
    "s12": lambda seed, k: Size(**SMALL, scenarios=3 + k % 6, risk_aversion=0.3),
    "t12": lambda seed, k: Size(**TREE_SIZE, scenarios=3 + k % 6),
    "d24": lambda seed, k: Size(quarters=(20, 24, 28)[k % 3], workloads=3, hardware=4, sites=4, offers=8,
                                programs=3, budget=True, demand_scale=3.0),
    # scen20's size with 12, 16 or 20 scenarios; the t12 size with 7 or 8 scenarios
    "s20": lambda seed, k: Size(quarters=12, workloads=3, hardware=3, sites=2, offers=5, programs=2, budget=True,
                                scenarios=(12, 16, 20)[seed % 3], risk_aversion=0.3),
    "t7": lambda seed, k: Size(**TREE_SIZE, scenarios=7 + seed % 2),
}


TUNING = (Family("tune-small", (), 1e-5, True, ("case302", "small-hard", "hard-9", "hard-22", "hard-24", "hard-29")),
          Family("tune-scen", (), 1e-3, True, ("scen5", "scen20")),
          Family("tune-large", (), 1e-4, False, ("example", "q28")),
          Family("tune-d24", tuple(range(40000, 40012)), 1e-4, False),
          Family("tune-t7", tuple(range(26000, 26012)), 1e-4, True),
          Family("tune-s20", tuple(range(27000, 27009)), 1e-3, True))

FAMILIES = (Family("d12", tuple(range(2000, 2010)), 1e-5, True),
            Family("s12", tuple(range(3000, 3010)), 1e-5, True),
            Family("t12", tuple(range(5000, 5006)), 1e-4, True),
            Family("d24", tuple(range(4000, 4006)), 1e-4, False))

FAMILIES_2 = (Family("d12b", tuple(range(12000, 12010)), 1e-5, True),
              Family("s12b", tuple(range(13000, 13010)), 1e-5, True),
              Family("t12b", tuple(range(15000, 15006)), 1e-4, True),
              Family("d24b", tuple(range(14000, 14006)), 1e-4, False))

SETS = {"tuning": TUNING, "evaluation": FAMILIES, "evaluation-2": FAMILIES_2}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--time-limit", type=float, default=60.0)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--sets", nargs="*", default=["evaluation"], choices=list(SETS))
    ap.add_argument("--forms", nargs="*", default=["plain", "tight-2f", "tight-2"],
                    help="formulations (benchmarks.run.parse_formulation); the last is compared with the others")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    families = [fam for name in args.sets for fam in SETS[name] if not args.only or fam.name in args.only]
    folder = Path("/tmp/planner-evaluate")
    folder.mkdir(exist_ok=True)
    forms, last = args.forms, args.forms[-1]
    lines = [f"Machine: {machine()}; time limit {args.time_limit:g} s.", "",
             f"| instance | cols ({forms[0]}) | " + " | ".join(f"{f}: time (s) | {f}: gap" for f in forms) + " |",
             "|---|---|" + "---|---|" * len(forms)]
    summary, slower = [], []
    for fam in families:
        values: dict[str, list[float]] = {form: [] for form in forms}
        for label, path in fam.instances(folder):
            got = {form: measure(path, form, fam.target, args.time_limit) for form in forms}
            for form, r in got.items():
                values[form].append(float(r.get("t_target", args.time_limit)) if fam.timed else 100 * r["gap"])
            cols = next(iter(got.values()))["cols"]
            lines.append(f"| {label} | {cols} | " + " | ".join(
                f"{r.get('t_target', math.nan):.1f} | {100 * r['gap']:.4f} %" for r in got.values()) + " |")
            print(lines[-1], flush=True)
            slower += [f"{label}: {last} {values[last][-1]:.3g} against {form} {values[form][-1]:.3g} "
                       f"{'s' if fam.timed else '%'}" for form in forms[:-1]
                       if much_worse(values[last][-1], values[form][-1], fam.timed)]
        shift = 1.0 if fam.timed else 0.01
        what = f"time to {fam.target:g} (s)" if fam.timed else "gap after the limit (%)"
        means = {form: sgm(v, shift) for form, v in values.items()}
        cells = [f"{m:.3g}" for m in means.values()] + [f"{means[last] / means[f]:.2f}" for f in forms[:-1]]
        summary.append(f"| {fam.name} | {len(values[last])} | {what} | " + " | ".join(cells) + " |")
    lines += ["", "| family | instances | shifted geometric mean of | " + " | ".join(forms) + " | "
              + " | ".join(f"{last} / {f}" for f in forms[:-1]) + " |",
              "|---|---|---|" + "---|" * (2 * len(forms) - 1), *summary, "",
              f"{last} slower than another by more than 10 %: " + ("; ".join(slower) or "none")]
    publish(lines, args.out)


if __name__ == "__main__":
    main()
