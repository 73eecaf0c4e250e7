"""Tight upper bounds on the integer decisions, from supply, power and demand.

Used by the tight formulation (``build_model(tight=True)``, the default); the
plain formulation keeps only the limits MODEL.md states (supply, signing,
max phases). Every bound here keeps the optimum:

* power (dominance): blocks of h ordered for site s in one quarter
  <= ceil(1000 * (existing_mw + phase_mw * (max_phases + committed phases)) / (power_kw * order_block)).
  Since MODEL.md 11 units may wait unpowered, so a block more than the site can ever power may pay (the
  rest of a block powers the site's last kW): ceil, not floor. An order above that holds more units
  than the site can ever power at once, so cutting it to the bound keeps every powered unit;
* demand (dominance): no source ever needs to hold more accelerators than it can
  put to use, ``max over q, σ of sum_w cap(w, q, σ) / du(h, w)`` with
  ``cap = required`` (times ``asic_share_max`` for kind asic); a larger order or
  lease only adds cost (every cost is >= 0) and frees nothing, so blocks
  <= ceil(that / block).
"""

from __future__ import annotations

import math

from planner.workbook.inputs import Hardware, Inputs, LeaseOffer, LeaseOption, Site

#: Order cap of program hardware with a blank ``max_order_per_quarter`` (MODEL.md 4.5).
PROGRAM_BIG_M = 1e7


def supply_blocks(h: Hardware) -> int | None:
    """Most order blocks of h in one quarter from its supply limit (None: no limit)."""
    limit = h.max_order_per_quarter
    if limit is None:
        limit = PROGRAM_BIG_M if h.program else None
    if limit is None:
        return None
    return math.floor(limit / h.order_block + 1e-9)


def useful_units(inp: Inputs, hardware: str, rate) -> float:
    """Most accelerators of ``hardware`` that can ever serve at once (``rate(w)``: du per unit)."""
    kind = inp.hardware[hardware].kind
    best = 0.0
    for sc in inp.scenarios:
        for q in range(inp.n):
            total = 0.0
            for w, wl in inp.workloads.items():
                r = rate(w)
                if r > 0:
                    cap = inp.required(w, q, sc) * (wl.asic_share_max if kind == "asic" else 1.0)
                    total += cap / r
            best = max(best, total)
    return best


def order_blocks(inp: Inputs, h: Hardware, s: Site, tight: bool) -> int | None:
    """Upper bound on ``order[h, s, t]`` (None: none)."""
    cap = supply_blocks(h)
    if not tight:
        return cap
    bounds = [b for b in (cap,) if b is not None]
    if h.power_kw > 0:
        committed = sum(c.phases for c in inp.committed if c.site == s.name)
        mw = s.existing_mw + s.phase_mw * (s.max_phases + committed)
        bounds.append(math.ceil(1000.0 * mw / (h.power_kw * h.order_block) - 1e-9))
    units = useful_units(inp, h.name, lambda w: inp.eff(h.name, w))
    bounds.append(math.ceil(units / h.order_block - 1e-9))
    return max(0, min(bounds))


def lease_blocks(inp: Inputs, o: LeaseOffer, tight: bool) -> int | None:
    """Upper bound on ``lease[o, t]`` (None: none)."""
    return _leased_blocks(inp, o, o.max_blocks_per_quarter, tight)


def _leased_blocks(inp: Inputs, o: LeaseOffer, cap: int | None, tight: bool) -> int | None:
    """``cap`` (None: none), and when ``tight`` at most the blocks of o that could ever serve at once."""
    if not tight:
        return cap
    units = useful_units(inp, o.hardware, lambda w: inp.throughput.get((o.hardware, w), 0.0))
    demand = math.ceil(units / o.block_units - 1e-9)
    return demand if cap is None else min(cap, demand)


def option_blocks(inp: Inputs, x: LeaseOption, tight: bool) -> int | None:
    """Upper bound on ``exercise[x, t]`` (None: none): ``max_blocks``, and in the tight formulation the
    blocks of the offer's hardware that could ever serve (demand dominance, as for ``lease``)."""
    return _leased_blocks(inp, inp.offers[x.offer], x.max_blocks, tight)
