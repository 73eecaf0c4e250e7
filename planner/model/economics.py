"""Discounting and capital charges (MODEL.md section 1)."""

from __future__ import annotations

from collections.abc import Iterable


def discount(q: int, rate: float) -> float:
    """d(q) = (1 + r) ** (-q / 4): present value of $1 paid in quarter q."""
    return (1.0 + rate) ** (-q / 4.0)


def crf(life: int, rate: float) -> float:
    """Quarterly capital recovery factor: rq / (1 - (1 + rq) ** -L), or 1 / L when r = 0.

    ``rq = (1 + r) ** 0.25 - 1`` is the quarterly rate; a capex C with life L
    quarters costs ``C * crf(L)`` in each quarter it is in service.
    """
    rq = (1.0 + rate) ** 0.25 - 1.0
    if rq == 0.0:
        return 1.0 / life
    return rq / (1.0 - (1.0 + rq) ** (-life))


def pv(quarters: Iterable[int], rate: float) -> float:
    """Sum of d(q) over ``quarters``: present value of $1 per quarter in each."""
    return sum(discount(q, rate) for q in quarters)


def energy_per_unit_quarter(power_kw: float, pue: float, hours: float, price_per_mwh: float) -> float:
    """$ of energy per accelerator-quarter: power_kw x pue x hours x price / 1000."""
    return power_kw * pue * hours * price_per_mwh / 1000.0


def cvar(costs: list[float], probabilities: list[float], alpha: float) -> float:
    """CVaR_alpha of a discrete cost distribution (Rockafellar-Uryasev).

    min over eta of eta + 1 / (1 - alpha) * sum p * max(0, cost - eta); the minimum
    is attained at one of the costs, so only those are tried.
    """
    return min(eta + sum(p * max(0.0, c - eta) for c, p in zip(costs, probabilities)) / (1.0 - alpha)
               for eta in costs)
