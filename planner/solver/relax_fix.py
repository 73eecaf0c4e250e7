"""A search in three stages: relax the small decisions, fix the large ones, then the MILP.

Build phases (150-250 MW each in the example) and program funding are few, lumpy decisions; order
and lease blocks are many and small. On the large cases HiGHS's search spends its time branching on
blocks while the phases, which carry most of the gap, stay fractional (the example: fixing the
phases at a good plan's values leaves 0.15 % of root gap, not 0.61 %). So this search

1. solves **R**, the MILP with only the strategic columns whole (:data:`STRATEGIC`: ``phase``,
   ``commit``, ``go``) and every other column continuous. R is a relaxation: its dual bound is a bound of
   the MILP (the example: $96.57B after about 28 s, where the whole MILP's search stands at
   $96.44-96.48B after 60 s), and any plan of the MILP is a plan of R (taken from the board). It
   stops at the target gap, or once its best plan is within that gap of the portfolio's bound
   (it can no longer raise the bound);
2. solves **F**, the MILP with the strategic columns fixed at R's solution. F is a restriction:
   its plans are plans of the MILP (the example: $96.73B, against $96.88B found by the whole
   MILP's search in 60 s), its bound is not a bound of it; it stops once its bound is within the
   target gap of the best plan of the portfolio (there is nothing better enough left in it), or
   after its budget (:func:`f_budget`: four times R's time, at least 2 s);
3. searches the MILP itself, as the other searches of the portfolio do.

Stages 1 and 2 are skipped when the model has no strategic column to relax around (no phase that
may be started, no program that may be funded).
"""

from __future__ import annotations

from collections.abc import Callable

import highspy
import numpy as np

from planner.model import STRATEGIC
from planner.solver.compile import Compiled, copy_lp
from planner.solver.portfolio import Stage

#: Builds a HiGHS instance from options (the caller's, which keeps HiGHS's banner off fd 1).
NewHighs = Callable[[dict[str, object]], highspy.Highs]


#: F's budget: ``F_BUDGET_FACTOR`` times the seconds R took, at least ``F_BUDGET_MIN_S``. Without one, F
#: ran until the time limit on the large cases (q28: 592 of 600 s, its last better plan at 190 s) and
#: on trees, where R is solved in well under a second and F is nearly as hard as the MILP.
F_BUDGET_FACTOR = 4.0
F_BUDGET_MIN_S = 2.0


def f_budget(r_seconds: float) -> float:
    """Seconds F may run before search 1 goes on to the whole MILP: ``max(F_BUDGET_MIN_S,
    F_BUDGET_FACTOR * r_seconds)``."""
    return max(F_BUDGET_MIN_S, F_BUDGET_FACTOR * r_seconds)


#: A run of the whole MILP stopped by its time limit with a gap above this (a fraction) on a
#: deterministic plan of at least :data:`ADVICE_MIN_QUARTERS` quarters gets the advice to relax and fix:
#: on the benchmark's 20-28-quarter plans with 0.4-0.8 % left after 60 s it roughly halved the gap;
#: where the whole searches got to 0.03-0.2 % it left a third to a half more (tenth round).
ADVICE_GAP = 0.003
ADVICE_MIN_QUARTERS = 20


def advice(unused: bool, quarters: int, scenarios: int, gap: float) -> str | None:
    """What to try when a run stopped at ``gap`` (relative, best plan - best bound over best plan):
    ``--relax-and-fix`` when the run could have used it and did not (``unused``: a portfolio of two
    or more searches, none staged), the plan has one scenario and at least :data:`ADVICE_MIN_QUARTERS`
    quarters, and ``gap`` exceeds :data:`ADVICE_GAP`; else None."""
    if not unused or scenarios != 1 or quarters < ADVICE_MIN_QUARTERS or not gap > ADVICE_GAP:
        return None
    return (f"a deterministic plan of {quarters} quarters stopped {100 * gap:.2f} % from its bound: "
            "--relax-and-fix (solver_mode = relax-and-fix) settles the phases and funding first and "
            "narrowed such gaps on most of the benchmark's plans in the same time (not on every one)")


def strategic_columns(compiled: Compiled) -> np.ndarray:
    """Bool per column: an integer column of a :data:`~planner.model.STRATEGIC` decision that is not
    fixed by its bounds (a kept decision, a funded program's fixed value)."""
    names = np.array([v.parent_component().name in STRATEGIC for v in compiled.columns], dtype=bool)
    lp = compiled.lp
    free = np.asarray(lp.col_lower_, dtype=float) < np.asarray(lp.col_upper_, dtype=float)
    return names & compiled.integer & free


def relaxed(lp: highspy.HighsLp, keep: np.ndarray) -> highspy.HighsLp:
    """``lp`` with only the columns in ``keep`` integer (R: a relaxation of the MILP)."""
    out = copy_lp(lp)
    out.integrality_ = [kind if k else highspy.HighsVarType.kContinuous for kind, k in zip(lp.integrality_, keep)]
    return out


def restricted(lp: highspy.HighsLp, columns: np.ndarray, values: np.ndarray) -> highspy.HighsLp:
    """``lp`` with ``columns`` fixed at ``values`` (F: a restriction of the MILP)."""
    out = copy_lp(lp)
    lower, upper = np.array(lp.col_lower_, dtype=float), np.array(lp.col_upper_, dtype=float)
    lower[columns], upper[columns] = values, values
    out.col_lower_, out.col_upper_ = lower, upper
    return out


def search(lp: highspy.HighsLp, strategic: np.ndarray, options: dict[str, object], new_highs: NewHighs,
           last: Stage) -> Stage:
    """The first stage (R) of the relax-and-fix search of ``lp`` (the scaled MILP), which goes on to F and
    then to ``last`` (the MILP's own search); ``last`` itself when no column is strategic.
    ``options``: HiGHS options of R and F (their ``time_limit`` is what is left)."""
    if not strategic.any():
        return last

    def highs(model: highspy.HighsLp, seconds: float) -> highspy.Highs:
        h = new_highs({**options, "time_limit": seconds})
        h.passModel(model)
        return h

    def fixed_stage(r: highspy.Highs) -> Stage | None:
        if r.getInfo().primal_solution_status != 2:
            return last  # R found nothing to fix around (no time): go on with the MILP
        values = np.round(np.asarray(r.getSolution().col_value, dtype=float)[strategic])
        f = restricted(lp, strategic, values)
        budget = f_budget(r.getRunTime())
        return Stage(lambda seconds: highs(f, min(seconds, budget)), bounds=False, restricted=True,
                     label=f"restriction (at most {budget:.1f} s)",
                     takes=lambda plan: bool(np.all(np.abs(np.asarray(plan)[strategic] - values) < 0.5)),
                     then=lambda _f: last)

    r = relaxed(lp, strategic)
    return Stage(lambda seconds: highs(r, seconds), plans=False, relaxation=True, then=fixed_stage,
                 label=f"relaxation: only {', '.join(STRATEGIC[:-1])} and {STRATEGIC[-1]} whole")
