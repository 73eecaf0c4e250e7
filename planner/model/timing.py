"""When each decision may be taken and when it is in service (MODEL.md sections 1 and 3).

All ranges are horizon indices clipped to 0 .. N-1, so nothing is charged or
counted outside the horizon. These windows define the model's sparse index
sets and are reused by the results and the cost accounting, so that every
part of the planner agrees on them.
"""

from __future__ import annotations

from planner.workbook.inputs import ExistingLease, FleetBatch, Hardware, Inputs, LeaseOffer, Site


def sign_quarters(inp: Inputs, o: LeaseOffer) -> range:
    """Quarters t where ``lease[o, t]`` exists: inside the signing window and
    starting (``t + lead_time``) inside the horizon."""
    return range(max(0, o.first_sign), min(o.last_sign, inp.n - 1 - o.lead_time) + 1)


def lease_active(inp: Inputs, o: LeaseOffer, t: int) -> range:
    """Quarters a lease signed in t is active: ``t + lead_time`` for ``term`` quarters."""
    first = t + o.lead_time
    return range(max(0, first), min(inp.n, first + o.term))


def order_earliest(inp: Inputs, h: Hardware) -> int:
    """First quarter (may be < 0) hardware h may be ordered: ``available_from + slip_quarters``."""
    slip = inp.programs[h.program].slip_quarters if h.program else 0
    return h.available_from + slip


def order_quarters(inp: Inputs, h: Hardware) -> range:
    """Quarters t where ``order[h, s, t]`` exists: available, and in service inside the horizon."""
    return range(max(0, order_earliest(inp, h)), inp.n - h.lead_time)


def in_service(inp: Inputs, h: Hardware, t: int, scenario: str | None = None) -> range:
    """Quarters an order placed in t is in service: ``life`` quarters from ``t + lead_time``.

    In a scenario with extra ASIC slip, program hardware arrives late (MODEL.md 7):
    service starts at ``max(t + lead_time, available_from + slip_quarters + asic_slip + lead_time)``.
    """
    first = t + h.lead_time
    if h.program and scenario is not None:
        extra = inp.scenarios[scenario].asic_slip
        if extra:
            first = max(first, order_earliest(inp, h) + extra + h.lead_time)
    return range(max(0, first), min(inp.n, first + h.life))


def start_quarters(inp: Inputs, s: Site) -> range:
    """Quarters t where ``phase[s, t]`` exists: from ``earliest_start``, online inside the horizon."""
    if s.max_phases <= 0:
        return range(0)
    return range(max(0, s.earliest_start), inp.n - s.lead_time)


def online(inp: Inputs, s: Site, t: int) -> range:
    """Quarters a phase started in t is online: from ``t + lead_time`` for ever."""
    return range(max(0, t + s.lead_time), inp.n)


def fleet_quarters(inp: Inputs, b: FleetBatch) -> range:
    """Quarters an existing batch is in service: q = 0 .. ``last_quarter``."""
    return range(0, min(inp.n, b.last_quarter + 1))


def existing_lease_quarters(inp: Inputs, e: ExistingLease) -> range:
    """Quarters an existing lease is active: ``first_quarter`` .. ``last_quarter``."""
    return range(max(0, e.first_quarter), min(inp.n, e.last_quarter + 1))
