"""Axes of near-optimal alternatives and the decision groups they are compared on (``planner alternatives``).

Every axis is a linear expression of a built model (a :class:`~planner.model.parts.Lin`), probability-weighted
over the scenarios σ (p[σ]); k(σ, t) is σ's class of decisions in t:

* ``lease_share``, ``owned_gpu_share``, ``asic_share``: du served by leased GPUs (signed leases and offers, not
  on-demand), by owned GPUs and by ASICs (owned or leased), as a share of the required du over the horizon:
  sum_σ p[σ] sum_{q, w} du[σ, q, w] / sum_σ p[σ] sum_{q, w} required(w, q, σ);
* ``funded:<program>``: sum_σ p[σ] commit[p, k(σ, 0)] (0 or 1 without a tree);
* ``site_mw:<site>``: MW of phases started, phase_mw x sum_σ p[σ] sum_t phase[s, t, k(σ, t)];
* ``ordered:<hardware>``: accelerators ordered, order_block x sum_σ p[σ] sum_t ordered[h, t, k(σ, t)];
* ``provider_share:<provider>``: du served by the provider's leases and on-demand capacity, as a share of the
  required du.

Decision groups (the Firm decisions table): program funding, MW of phases started per site and year and over all
sites per year, accelerators ordered per type and year, lease blocks signed per offer and year, each
probability-weighted the same way.
"""

from __future__ import annotations

from collections import defaultdict

from planner.model.parts import Lin, Parts
from planner.workbook.inputs import Inputs

SHARES = ("lease_share", "owned_gpu_share", "asic_share")


def default_axes(inp: Inputs) -> list[str]:
    """The three shares, each unfunded program's funding, each buildable site's MW, each type that can be ordered
    and each provider's share."""
    axes = list(SHARES)
    axes += [f"funded:{p}" for p, prog in inp.programs.items() if not prog.funded]
    axes += [f"site_mw:{s}" for s, site in inp.sites.items() if site.max_phases > 0 and site.phase_mw > 0]
    axes += [f"ordered:{h}" for h, hw in inp.hardware.items() if hw.max_order_per_quarter != 0]
    axes += [f"provider_share:{p}" for p in inp.providers]
    return axes


def unknown_axes(inp: Inputs, axes: list[str]) -> list[str]:
    """The axes the workbook does not have (checked before anything is solved)."""
    known = {*SHARES, *(f"funded:{p}" for p, prog in inp.programs.items() if not prog.funded),
             *(f"site_mw:{s}" for s in inp.sites), *(f"ordered:{h}" for h in inp.hardware),
             *(f"provider_share:{p}" for p in inp.providers)}
    return [a for a in axes if a not in known]


def axis_unit(axis: str) -> str:
    """The unit an axis is counted in."""
    kind = axis.split(":", 1)[0]
    return {"funded": "program", "site_mw": "MW", "ordered": "accelerators"}.get(kind, "share of required du")


def axis_terms(p: Parts, axis: str) -> Lin:
    """The axis as linear terms of ``p``'s model; ValueError for an axis the workbook does not have."""
    inp, kind, _, name = p.inp, *axis.partition(":")
    prob = {sc: s.probability for sc, s in inp.scenarios.items()}
    lin = Lin()
    if kind == "funded" and name in inp.programs and not inp.programs[name].funded:
        for sc in inp.scenarios:
            lin.add(prob[sc], p.dec["commit"][name, p.tree.cls(sc, 0)])
    elif kind == "site_mw" and name in inp.sites:
        for (s, t, k), var in p.dec["phase"].items():
            if s == name:
                lin.add(inp.sites[s].phase_mw * _weight(p, k, t), var)
    elif kind == "ordered" and name in inp.hardware:
        for (h, t, k), ordered in p.ordered.items():
            if h == name:
                w = inp.hardware[h].order_block * _weight(p, k, t)
                lin.terms.extend((w * c, v) for c, v in ordered.terms)
    elif kind in SHARES or (kind == "provider_share" and name in inp.providers):
        return _share(p, kind, name, prob)
    else:
        raise ValueError(f"unknown axis {axis!r} for this workbook (see `planner alternatives --help`)")
    return lin


def _weight(p: Parts, k: str, t: int) -> float:
    """Probability of the scenarios of class k in quarter t."""
    return sum(p.inp.scenarios[sc].probability for sc in p.tree.members(k, t))


def _share(p: Parts, kind: str, provider: str, prob: dict[str, float]) -> Lin:
    """du served by one kind of source (or one provider) over the required du, probability-weighted."""
    inp, m = p.inp, p.m
    required = sum(prob[sc] * inp.required(w, q, sc) for sc in inp.scenarios for w in inp.workloads
                   for q in range(inp.n))
    lin = Lin()
    if kind in ("owned_gpu_share", "asic_share"):
        for (h, w, _q, sc), var in m.use_owned.items():
            if (inp.hardware[h].kind == "asic") == (kind == "asic_share"):
                lin.add(prob[sc] * inp.eff(h, w) / required, var)
    for (c, w, _q, sc), var in m.use_lease.items():
        owner, h = p.contracts[c]
        asic, rented = inp.hardware[h].kind == "asic", c in p.ondemand
        take = {"lease_share": not asic and not rented, "asic_share": asic, "owned_gpu_share": False,
                "provider_share": owner == provider}[kind]
        if take:
            lin.add(prob[sc] * inp.throughput.get((h, w), 0.0) / required, var)
    return lin


def decision_groups(p: Parts) -> dict[str, float]:
    """The plan's value of each decision group (see the module docstring), from the loaded variables."""
    inp = p.inp
    out: dict[str, float] = defaultdict(float)
    for (name, k), var in p.dec["commit"].items():
        out[f"fund {name}"] += _weight(p, k, 0) * (var.value or 0.0)
    for (s, t, k), var in p.dec["phase"].items():
        mw = inp.sites[s].phase_mw * _weight(p, k, t) * (var.value or 0.0)
        out[f"MW started at {s} in {inp.year(t)}"] += mw
        out[f"MW started, all sites, in {inp.year(t)}"] += mw
    for (h, t, k), ordered in p.ordered.items():
        units = inp.hardware[h].order_block * _weight(p, k, t) * sum(c * (v.value or 0.0) for c, v in ordered.terms)
        out[f"{h} ordered in {inp.year(t)}"] += units
    for (o, t, k), var in p.dec["lease"].items():
        out[f"blocks of {o} signed in {inp.year(t)}"] += _weight(p, k, t) * (var.value or 0.0)
    return {key: round(value, 6) for key, value in out.items()}
