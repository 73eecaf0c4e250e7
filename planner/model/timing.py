"""When each decision may be taken and when it is in service (MODEL.md sections 1, 3, 7, 9, 10).

All ranges are horizon indices clipped to 0 .. N-1, so nothing is charged or
counted outside the horizon. These windows define the model's sparse index
sets and are reused by the results and the cost accounting, so that every
part of the planner agrees on them.

Existing batches that may be sold (MODEL.md 11) are sold at the start of a quarter from 0 to their
``last_quarter``; on-demand sources rent in their own quarters (``OnDemandSource.quarters``).

Windows of service take a scenario (None: the nominal window): in scenario σ a lease starts
``lease_slip`` late, hardware without a program arrives ``delivery_slip`` late, program
hardware no earlier than its program's slipped availability (``asic_slip``), and a phase comes
online ``build_slip`` late (section 10). Decision windows (which variables exist) follow the
lead times without slip.
"""

from __future__ import annotations

from planner.workbook.inputs import (
    CommittedPhase,
    ExistingLease,
    FleetBatch,
    Hardware,
    Inputs,
    LeaseOffer,
    LeaseOption,
    Site,
)


def sign_quarters(inp: Inputs, o: LeaseOffer) -> range:
    """Quarters t where ``lease[o, t]`` exists: inside the signing window and
    starting (``t + lead_time``) inside the horizon."""
    return range(max(0, o.first_sign), min(o.last_sign, inp.n - 1 - o.lead_time) + 1)


def reserve_quarters(inp: Inputs, x: LeaseOption) -> range:
    """Quarters t where ``reserve[x, t]`` exists: the option's buy window clipped to the horizon (MODEL.md 12)."""
    return range(max(0, x.buy_first), min(x.buy_last, inp.n - 1) + 1)


def exercise_quarters(inp: Inputs, x: LeaseOption) -> range:
    """Quarters t where ``exercise[x, t]`` exists: inside the exercise window, and the lease of its offer
    starting (``t + lead_time``) inside the horizon (MODEL.md 12)."""
    lead = inp.offers[x.offer].lead_time
    return range(max(0, x.exercise_first), min(x.exercise_last, inp.n - 1 - lead) + 1)


def lease_active(inp: Inputs, o: LeaseOffer, t: int, scenario: str | None = None) -> range:
    """Quarters a lease signed in t is active (and paid): ``t + lead_time + lease_slip`` for ``term`` quarters."""
    first = t + o.lead_time + (inp.scenarios[scenario].lease_slip if scenario is not None else 0)
    return range(max(0, first), min(inp.n, first + o.term))


def order_earliest(inp: Inputs, h: Hardware) -> int:
    """First quarter (may be < 0) hardware h may be ordered: ``available_from + slip_quarters``."""
    slip = inp.programs[h.program].slip_quarters if h.program else 0
    return h.available_from + slip


def order_quarters(inp: Inputs, h: Hardware) -> range:
    """Quarters t where ``order[h, s, t]`` exists: available, at or after its program's last gate
    (MODEL.md 12), and in service inside the horizon."""
    gate = inp.last_gate(h.program)
    first = max(0, order_earliest(inp, h), gate.quarter if gate else 0)
    return range(first, inp.n - h.lead_time)


def in_service(inp: Inputs, h: Hardware, t: int, scenario: str | None = None) -> range:
    """Quarters an order placed in t is in service: ``life`` quarters from its first quarter.

    That is ``t + lead_time``; in scenario σ, for program hardware no earlier than
    ``available_from + slip_quarters + asic_slip + lead_time`` (late chips arrive late, MODEL.md 7),
    for other hardware ``delivery_slip`` later (MODEL.md 10). A failed program's hardware keeps
    this window: its capital is charged over it (see :func:`failed`).
    """
    first = t + h.lead_time
    if scenario is not None:
        sc = inp.scenarios[scenario]
        if h.program:
            if sc.asic_slip:
                first = max(first, order_earliest(inp, h) + sc.asic_slip + h.lead_time)
        else:
            first += sc.delivery_slip
    return range(max(0, first), min(inp.n, first + h.life))


def failed(inp: Inputs, h: Hardware, scenario: str) -> bool:
    """True when h's program fails in the scenario: ordered units give no capacity, power or energy."""
    return h.program is not None and h.program in inp.scenarios[scenario].failed


def start_quarters(inp: Inputs, s: Site) -> range:
    """Quarters t where ``phase[s, t]`` exists: from ``earliest_start``, online inside the horizon."""
    if s.max_phases <= 0:
        return range(0)
    return range(max(0, s.earliest_start), inp.n - s.lead_time)


def online(inp: Inputs, s: Site, t: int, scenario: str | None = None) -> range:
    """Quarters a phase started in t is online: from ``t + lead_time + build_slip`` for ever."""
    slip = inp.scenarios[scenario].build_slip if scenario is not None else 0
    return range(max(0, t + s.lead_time + slip), inp.n)


def committed_online(inp: Inputs, c: CommittedPhase, scenario: str | None = None) -> range:
    """Quarters committed phases are online: from ``online_quarter`` (slipped if still to come) for ever."""
    return range(min(inp.n, c.online_from(inp.scenarios[scenario] if scenario is not None else None)), inp.n)


def fleet_quarters(inp: Inputs, b: FleetBatch, scenario: str | None = None) -> range:
    """Quarters an existing batch is in service: ``first_quarter`` (blank: 0) .. ``last_quarter``,
    both ``delivery_slip`` later in the scenario when the batch has still to arrive."""
    return b.quarters(inp.n, inp.scenarios[scenario] if scenario is not None else None)


def existing_lease_quarters(inp: Inputs, e: ExistingLease, scenario: str | None = None) -> range:
    """Quarters an existing lease is active: ``first_quarter`` .. ``last_quarter``, both
    ``lease_slip`` later in the scenario when it starts after start_quarter."""
    return e.quarters(inp.n, inp.scenarios[scenario] if scenario is not None else None)


def sale_quarters(inp: Inputs, b: FleetBatch) -> range:
    """Quarters t where ``sell[b, t]`` exists: 0 .. ``last_quarter`` (clipped to the horizon) for a batch
    with a ``resale_value`` that is in service at start_quarter; none otherwise (MODEL.md 11)."""
    if not b.saleable:
        return range(0)
    return range(0, min(b.last_quarter, inp.n - 1) + 1)
