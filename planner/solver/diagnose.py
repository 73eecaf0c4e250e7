"""Explain, in the planner's terms, why a model has no feasible plan.

A workbook that passes validation always has a plan (unmet demand is allowed
at its penalty), so this runs only on a bug or a hand-modified model. The LP
relaxation is handed to HiGHS's IIS finder (``iis_strategy`` 6: from the LP,
irreducible; the default strategy returns an empty set on these models) and
each row and bound of the irreducible set is named as the sheet and limit it
comes from.
"""

from __future__ import annotations

import highspy

from planner.solver.compile import Compiled
from planner.solver.highs import Solution, Solver, _new_highs, solve
from planner.workbook.inputs import Inputs


class NoPlanError(Exception):
    """The solver found no plan; the message is in the planner's terms."""


_ROWS = {
    "coverage": ("Demand", "demand of {0} in {1}"),
    "owned_capacity": ("Hardware", "owned {0} accelerators in {1}"),
    "lease_capacity": ("LeaseOffers", "accelerators of lease {0} in {1}"),
    "power": ("Sites", "power at site {0} in {1}"),
    "supply": ("Hardware", "max_order_per_quarter of {0} in {1}"),
    "asic_share": ("Workloads", "asic_share_max of {0} in {1}"),
    "provider_share": ("Providers", "max_share of {0} in {1}"),
    "budget": ("Budget", "capex_max of year {0}"),
    "max_phases": ("Sites", "max_phases of site {0}"),
    "cvar_excess": ("Scenarios", "CVaR excess of scenario {0}"),
    "powered_cap": ("ExistingFleet", "powered {0} at {1} in {2}, at most those delivered"),
    "stranded_cap": ("ExistingFleet", "waiting {0} at {1} in {2}, at most those delivered"),
    "sell_limit": ("ExistingFleet", "units of {0} sold"),
    "option_held": ("LeaseOptions", "blocks of option {0} exercised by {1}, at most those bought"),
    "option_limit": ("LeaseOptions", "max_blocks of option {0}"),
    "gate_link": ("ProgramGates", "gate {1} of program {0}, only after funding and the earlier gates"),
}
_COLUMNS = {
    "unmet": "unmet demand of {0} in {1}",
    "lease": "blocks of lease offer {0} signed in {1} (max_blocks_per_quarter)",
    "order": "blocks of {0} ordered for {1} in {2} (order limit)",
    "phase": "phases of site {0} started in {1} (max_phases)",
    "commit": "funding of program {0}",
    "sell": "accelerators of {0} sold in {1} (units)",
    "ondemand": "on-demand {0} rented in {1} (OnDemand max_units)",
    "reserve": "blocks of option {0} bought in {1} (max_blocks)",
    "exercise": "blocks of option {0} exercised in {1}",
    "go": "gate {1} of program {0} in {2}",
}


def _describe(name: str, index: tuple, inp: Inputs, table: dict) -> str:
    parts = [inp.quarter_label(i) if isinstance(i, int) and name != "budget" else str(i) for i in index]
    entry = table.get(name)
    if entry is None:
        return f"{name}[{', '.join(parts)}]"
    if isinstance(entry, tuple):
        sheet, text = entry
        return f"{sheet}: {text.format(*parts, *([''] * 3))}"
    return entry.format(*parts, *([""] * 3))


def explain_infeasible(compiled: Compiled, inp: Inputs) -> str:
    """The rows and bounds that cannot all hold, as sentences; '' if HiGHS finds no IIS."""
    lp = compiled.lp
    lp.integrality_ = [highspy.HighsVarType.kContinuous] * lp.num_col_
    h = _new_highs({"output_flag": False, "iis_strategy": 6})
    h.passModel(lp)
    h.run()
    status, iis = h.getIis()
    if status != highspy.HighsStatus.kOk or not iis.valid_:
        return ""
    lines = []
    for k in iis.row_index_:
        con = compiled.rows[k][0]
        index = con.index() if isinstance(con.index(), tuple) else (con.index(),)
        lines.append(_describe(con.parent_component().name, index, inp, _ROWS))
    for k in iis.col_index_:
        var = compiled.columns[k]
        name = var.parent_component().name
        if name in ("use_owned", "use_lease", "excess", "eta", "powered", "stranded"):
            continue
        index = var.index() if isinstance(var.index(), tuple) else (var.index(),)
        lines.append("bound on " + _describe(name, index, inp, _COLUMNS))
    return "these limits cannot all hold at once: " + "; ".join(dict.fromkeys(lines))


def solve_or_explain(compiled: Compiled, inp: Inputs, gap: float, limit: float,
                     solver: Solver = solve, kept: str | None = None, start=None) -> Solution:
    """Solve with ``solver``; raise NoPlanError in the planner's terms when there is no plan.
    ``kept``: the decisions fixed from a previous plan (``--keep-through``), which can leave no plan.
    ``start``: a plan the solver starts from (:mod:`planner.solver.tree_start`)."""
    solution = solver(compiled, gap, limit) if start is None else solver(compiled, gap, limit, start=start)
    if solution.has_plan:
        return solution
    if solution.status == "time_limit":
        raise NoPlanError(f"no plan was found within the time limit of {limit:g} s; "
                          "raise --time-limit (or time_limit_s in Settings) and run again")
    why = explain_infeasible(compiled, inp) if solution.status == "infeasible" else ""
    if kept and solution.status == "infeasible":
        raise NoPlanError(f"no plan keeps {kept}: " + (why or "HiGHS names no smaller set of limits") +
                          ". Keep fewer quarters (--keep-through) or change the workbook.")
    raise NoPlanError(
        f"the solver reports the model is {solution.status}. Every workbook that passes validation "
        "should have a plan (unmet demand is always allowed at its penalty), so this is a bug in the "
        "planner: please report it with the workbook." + (f" HiGHS's irreducible set: {why}" if why else ""))
