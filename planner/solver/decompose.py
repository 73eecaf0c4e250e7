"""Scenario decomposition of a tree (MODEL.md 10) on mpi-sppy, under MPI.

The tree's non-anticipativity (each whole decision taken once per class of scenarios) is the only thing
that ties its scenarios together. mpi-sppy relaxes it and runs *cylinders*, each on its share of the MPI
processes, every one holding the scenarios as sub-MIPs (:mod:`.scenario_model`, one HiGHS search each):

* a progressive-hedging hub (proximal terms linearised, so every sub-problem
  stays a MILP), a Lagrangian spoke that prices non-anticipativity with the hub's multipliers W and proves
  the bound ``sum_σ p[σ] min_x (f_σ(x) + W_σ x) <= optimum`` (valid because ``sum_σ p[σ] W_σ = 0`` at every
  node), and an xhat-shuffle spoke that fixes the decisions of the tree's nodes at one scenario's values,
  solves every scenario's recourse and keeps the cheapest such plan.

So the processes are a multiple of 3, a third per cylinder. (A two-cylinder wheel, a subgradient hub with the
xhat spoke, was tried for 2 and 4 processes: its first multipliers made sub-MIPs unbounded on the conformance
tree ``tree605``, so it is not offered.)

They stop at the time limit or when the plan is within ``mip_gap`` of the bound. The plan's whole decisions
(one value per tree node) come back to rank 0 as ``fixed`` decisions keyed like the tree model's; the caller
solves the tree model with them fixed (every scenario's recourse, an LP) to report and audit it.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

from planner.model import build_model
from planner.model.build import cvar_unit
from planner.solver.diagnose import NoPlanError
from planner.solver.highs import Solver
from planner.solver.scenario_model import SCALE, scenario_creator, scenario_denouement
from planner.solver.solved import Solved, solve_inputs, timed
from planner.solver.tree_nodes import NodeTree
from planner.workbook.inputs import Inputs


@dataclass
class Decomposed:
    """What a decomposition found (on rank 0): ``fixed`` whole decisions of its best plan (None: no plan),
    the plan's cost and the proven bound ($, the workbook's objective), and how."""

    fixed: dict[str, dict[tuple, float]] | None
    plan_usd: float
    bound_usd: float
    bound_method: str
    plan_method: str
    processes: int
    seconds: float
    details: dict[str, object] = field(default_factory=dict)


def _config(gap: float, time_limit_s: float):
    """mpi-sppy's options: HiGHS (persistent) on one thread per sub-MIP, each to a tenth of the run's gap,
    linearised proximal terms, stop at ``gap`` or ``time_limit_s`` (checked between iterations: an iteration
    solves every scenario a process holds, so a tree of 100 scenarios on 3 processes overruns by about one)."""
    from mpisppy.utils import config

    cfg = config.Config()
    cfg.popular_args()
    cfg.two_sided_args()
    cfg.ph_args()
    cfg.lagrangian_args()
    cfg.xhatshuffle_args()
    cfg.sep_rho_args()
    cfg.add_mipgap_specs()
    cfg.solver_name = "appsi_highs"
    cfg.max_solver_threads = 1
    sub_gap = max(gap / 10, 1e-7)  # each sub-MIP well inside the run's gap (the bound uses its dual bound)
    cfg.iter0_mipgap = sub_gap
    cfg.iterk_mipgap = sub_gap
    cfg.lagrangian_iter0_mipgap = sub_gap
    cfg.lagrangian_iterk_mipgap = sub_gap
    cfg.max_iterations = 100000
    cfg.time_limit = max(1, int(time_limit_s))
    cfg.rel_gap = gap
    cfg.abs_gap = 0.0
    cfg.linearize_proximal_terms = True
    cfg.default_rho = 1.0
    cfg.sep_rho = True
    cfg.lagrangian = True
    cfg.xhatshuffle = True
    return cfg


def _unit(inp: Inputs) -> float:
    """The $ unit of η: the tree model's (:func:`~planner.model.build.cvar_unit`) of the first scenario."""
    if inp.risk_aversion == 0.0:
        return 1.0
    return cvar_unit(build_model(inp.alone(inp.tree.names[0]), scope=inp)[1])


def _cylinders(cfg, inp: Inputs, nodes: NodeTree, kwargs: dict, size: int):
    """(hub, spokes, bound method, plan method) for ``size`` MPI processes (module docstring)."""
    from mpisppy.utils import cfg_vanilla as vanilla

    beans = (cfg, scenario_creator, scenario_denouement, list(nodes.scenarios))
    names = nodes.all_nodenames
    xhat = vanilla.xhatshuffle_spoke(*beans, all_nodenames=names, scenario_creator_kwargs=kwargs)
    if size % 3:
        raise ValueError(f"--decompose runs on a multiple of 3 MPI processes (got {size})")
    hub = vanilla.ph_hub(*beans, scenario_creator_kwargs=kwargs, all_nodenames=names)
    vanilla.add_sep_rho(hub, cfg)
    lagrangian = vanilla.lagrangian_spoke(*beans, scenario_creator_kwargs=kwargs, all_nodenames=names)
    return hub, [lagrangian, xhat], "Lagrangian (mpi-sppy, PH multipliers)", "xhat shuffle (mpi-sppy)"


def _fixed_from(tree_nonants: dict[str, list], inp: Inputs, nodes: NodeTree) -> dict[str, dict[tuple, float]]:
    """The plan's whole decisions keyed for the tree model: node ``ROOT_0`` of stage i is the class ``rep``
    of the stage's first quarter, the class of every decision of the stage's quarters."""
    model = scenario_creator(nodes.scenarios[0], inp, nodes)  # the order of each stage's nonants
    order = model._planner_nonants
    fixed: dict[str, dict[tuple, float]] = {}
    for node in nodes.nodes:
        values = tree_nonants.get(node.name, [])
        for (name, base, _var), (_label, value) in zip(order[node.stage], values):
            if name == "eta" or value is None:
                continue
            t = next((i for i in base if isinstance(i, int)), 0)
            fixed.setdefault(name, {})[(*base, inp.tree.cls(node.members[0], t))] = float(round(value))
    return fixed


def _gather_plan(wheel, comm):
    """The best plan's nonants, ``{node: [(name, value), ...]}``, sent to global rank 0 (None elsewhere or
    when no cylinder found a plan)."""
    winner = wheel._determine_innerbound_winner()
    tree = None
    if winner:
        opt = wheel.spcomm.opt
        if getattr(opt, "tree_solution_available", False) or opt.load_best_solution():
            tree = opt.gather_nonant_tree_to_rank0(get_zero_prob_values=True)
    flags = comm.allgather(comm.rank if (winner and wheel.cylinder_rank == 0) else -1)
    source = max(flags)
    if source < 0:
        return None
    if source == 0:
        return tree if comm.rank == 0 else None
    if comm.rank == source:
        comm.send(tree, dest=0, tag=77)
        return None
    if comm.rank == 0:
        return comm.recv(source=source, tag=77)
    return None


def decompose(inp: Inputs, gap: float, time_limit_s: float,
              fixed: dict[str, dict[tuple, float]] | None = None) -> Decomposed | None:
    """Run the decomposition on every process of MPI's world; returns the result on rank 0, None on the
    others. ``fixed``: decisions of the tree fixed (``--keep-through``)."""
    from mpi4py import MPI
    from mpisppy.spin_the_wheel import WheelSpinner

    comm = MPI.COMM_WORLD
    t0 = time.perf_counter()
    nodes = NodeTree.of(inp.tree, {n: sc.probability for n, sc in inp.scenarios.items()})
    kwargs = {"inputs": inp, "nodes": nodes, "unit": _unit(inp), "fixed": fixed}
    cfg = _config(gap, time_limit_s)
    hub, spokes, bound_method, plan_method = _cylinders(cfg, inp, nodes, kwargs, comm.size)
    wheel = WheelSpinner(hub, spokes)
    wheel.spin()
    tree_nonants = _gather_plan(wheel, comm)
    if comm.rank != 0:
        return None
    plan = wheel.BestInnerBound * SCALE if tree_nonants is not None else math.inf
    bound = wheel.BestOuterBound * SCALE if wheel.BestOuterBound is not None else -math.inf
    return Decomposed(_fixed_from(tree_nonants, inp, nodes) if tree_nonants is not None else None,
                      plan, bound, bound_method, plan_method, comm.size, time.perf_counter() - t0,
                      {"stages": len(nodes.starts), "nodes": len(nodes.nodes)})


def solve_decomposed(inp: Inputs, gap: float, time_limit_s: float, solver: Solver,
                     fixed: dict[str, dict[tuple, float]] | None = None,
                     timings: dict[str, float] | None = None) -> Solved | None:
    """The tree solved by :func:`decompose` (on every MPI process); on rank 0 the tree model with the plan's
    whole decisions fixed, solved by ``solver`` (each scenario's recourse), with the decomposition's bound,
    gap and methods; None on the other ranks. Raises NoPlanError when the decomposition found no plan."""
    with timed(timings if timings is not None else {}, "decompose"):
        found = decompose(inp, gap, time_limit_s, fixed)
    if found is None:
        return None
    if found.fixed is None:
        raise NoPlanError(f"the decomposition found no plan within the time limit of {time_limit_s:g} s; raise "
                          "--time-limit (or time_limit_s in Settings) and run again")
    plan_fixed = {name: {**(fixed or {}).get(name, {}), **values} for name, values in found.fixed.items()}
    solved = solve_inputs(inp, gap, time_limit_s, fixed=plan_fixed, solver=solver, timings=timings)
    sol = solved.solution
    if not sol.has_plan:
        raise NoPlanError("the decomposition's plan has no recourse in some scenario (a bug: please report it "
                          "with the workbook)")
    bound = min(found.bound_usd, sol.objective)
    rel = (sol.objective - bound) / max(abs(sol.objective), 1e-9)
    solution = replace(sol, best_bound=bound, gap=rel, status="optimal" if rel <= gap + 1e-12 else "time_limit",
                       seconds=found.seconds + sol.seconds, bound_source=found.bound_method,
                       plan_source=f"{found.plan_method}, recourse by HiGHS",
                       options={**sol.options, "decompose_processes": found.processes,
                                "decompose_stages": found.details.get("stages")})
    return Solved(solved.model, solved.parts, solved.compiled, solution)
