"""What section 12's real options did in a plan (MODEL.md 12): Actions rows and quarterly costs.

* ``buy lease option``: blocks of option x bought in t, ``fee_usd`` = fee_per_block x blocks;
* ``exercise lease option``: blocks exercised in t, a lease of the option's offer signed in t
  (accelerators, contract value = block_units x blocks x price x term);
* ``pass programme gate``: a program going through gate g in its quarter, ``cash_capex_usd`` = the gate's cost.
Costs (undiscounted $ of the quarter): option fees when bought, exercised leases in ``lease_usd`` over
their active quarters (slips included), gate costs in the gate's quarter.
"""

from __future__ import annotations

from planner.model.timing import lease_active
from planner.report.plan import Plan

BUY, EXERCISE, GATE = "buy lease option", "exercise lease option", "pass programme gate"


def option_rows(plan: Plan) -> list[dict]:
    """Actions rows of options bought and exercised, and of gates passed (columns of ``ACTION_COLUMNS``)."""
    inp, tree, label = plan.inp, plan.tree, plan.inp.quarter_label
    rows = []
    for (xn, t, k), blocks in plan.reserve.items():
        x = inp.options[xn]
        o = inp.offers[x.offer]
        rows.append(dict(quarter=label(t), action=BUY, what=xn, where=o.provider,
                         detail=f"the right to sign blocks of {o.name} ({o.hardware}) from "
                                f"{label(max(0, x.exercise_first))} to {label(min(inp.n - 1, x.exercise_last))}",
                         quantity=round(blocks), unit=f"blocks of {o.block_units}", accelerators=0, mw=0.0,
                         cash_capex_usd=0.0, contract_value_usd=0.0, fee_usd=blocks * x.fee_per_block,
                         from_quarter=label(t), to_quarter="", scenarios=tree.label(k, t)))
    for (xn, t, k), blocks in plan.exercise.items():
        o = inp.offers[inp.options[xn].offer]
        units = blocks * o.block_units
        rows.append(dict(quarter=label(t), action=EXERCISE, what=xn, where=o.name,
                         detail=f"{o.hardware} from {o.provider} for {o.term} quarters from {o.lead_time} quarters "
                                f"after exercise", quantity=round(blocks), unit=f"blocks of {o.block_units}",
                         accelerators=units, mw=0.0, cash_capex_usd=0.0,
                         contract_value_usd=units * o.price_per_unit_quarter * o.term,
                         from_quarter=label(t + o.lead_time), to_quarter=label(t + o.lead_time + o.term - 1),
                         scenarios=tree.label(k, t)))
    for (pn, gate, t, k), x in plan.go.items():
        if x > 0.5:
            g = inp.gate(pn, gate)
            rows.append(dict(quarter=label(t), action=GATE, what=pn, where=gate,
                             detail=f"program {pn} goes through {gate}", quantity=1, unit="gate",
                             accelerators=0, mw=0.0, cash_capex_usd=g.cost,  # type: ignore[union-attr]
                             contract_value_usd=0.0,
                             from_quarter=label(t), to_quarter="", scenarios=tree.label(k, t)))
    return rows


def option_costs(plan: Plan, sc: str, cost: dict[str, list[float]]) -> None:
    """Add scenario sc's option fees, exercised leases and gate costs to ``cost`` ($ by category and quarter)."""
    inp = plan.inp
    for (xn, t), blocks in plan.taken(plan.reserve, sc):
        cost["option_fees_usd"][t] += blocks * inp.options[xn].fee_per_block
    for (xn, t), blocks in plan.taken(plan.exercise, sc):
        o = inp.offers[inp.options[xn].offer]
        for q in lease_active(inp, o, t, sc):
            cost["lease_usd"][q] += o.price_per_unit_quarter * o.block_units * blocks
    for (pn, gate, t), x in plan.taken(plan.go, sc):
        cost["gate_costs_usd"][t] += inp.gate(pn, gate).cost * x  # type: ignore[union-attr]
