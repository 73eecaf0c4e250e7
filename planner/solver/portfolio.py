"""Several HiGHS searches of one MIP at once, one per core, sharing what they find.

HiGHS's branch and bound runs on one thread, and on these plans its path (and so its
time to a given gap) varies a lot with the random seed: the example's time to a 1 %
gap ranged from 5.6 s to more than 45 s over seeds 0-3. A portfolio runs k searches
of the same matrix with seeds 0 .. k-1, the odd-numbered ones with more effort on
primal heuristics (:func:`search_options`), each on its own thread (``Highs.run``
releases Python's GIL), and joins them through a shared board:

* each search posts every improving plan; the others pick up a better plan than their
  own through HiGHS's user-solution callback (before each dive), so a plan found by
  one prunes the trees of all;
* each search posts its dual bound; every bound is valid for the one MIP, so the
  portfolio's gap is ``(min_i primal_i - max_i bound_i) / |min_i primal_i|``;
* every search stops as soon as that gap reaches the target, or when one search ends
  on its own (proved its gap, proved infeasibility, hit a limit).

The plan is the best one posted; the bound is the best one posted by a search whose bounds
are consistent with every plan. A bound above another search's feasible plan (by more than
HiGHS's tolerances) can only come from numerical trouble inside that search, so that search's
bounds are set aside (:attr:`Board.distrusted`): they neither stop the portfolio nor enter its
gap, and the caller is told. (This is how a badly scaled model showed itself: one search
returned "optimal" at a cost above another's plan.) Which search finds
what first depends on thread timing, so with k > 1 two runs of one workbook can return
different plans, each within the gap (``k = 1`` is the single, repeatable search).

A search may run in *stages*, several HiGHS runs one after the other on its thread
(:class:`Stage`): a relaxation of the MILP, whose dual bound is a bound of the MILP but whose
plans are not plans of it; a restriction (some columns fixed), whose plans are plans of the MILP
but whose bound is not a bound of it; then the MILP itself. Each stage tells the board only what is
valid for the MILP (:mod:`planner.solver.relax_fix` builds such a search).

A search that is deep inside HiGHS's root-node heuristics can take a second or two to
reach its next callback. The portfolio does not wait for it: :func:`run` returns when
the answer is decided, and the late thread (not a daemon, so Python waits for it at
exit) stops at its next callback while the caller writes the report.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import highspy
import numpy as np

S = highspy.HighsModelStatus

#: Called with (seconds since the searches started, the portfolio's gap) each time the gap shrinks.
Progress = Callable[[float, float], None]

#: Called every few seconds with (seconds since the start, best plan, best bound), in the searches' units.
Ticker = Callable[[float, float, float], None]

#: Threads of searches started by :func:`run` (see :func:`join_stragglers`).
_started: list[threading.Thread] = []


#: HiGHS's ``mip_heuristic_effort`` of the odd-numbered searches of a portfolio (HiGHS's default,
#: 0.05, for the others): one search leans to finding plans, which it shares, and one to the bound.
#: Measured against seeds alone (benchmarks/README.md): the example's time to 1 % over seed pairs
#: (0,1) .. (6,7) 5.1, 15.6, 6.3, 16.3 s against 5.1, 45+, 5.6, 32.6 s; q28's gap after 60 s over
#: (0,1) .. (4,5) 0.32, 0.25, 0.21 % against 0.27, 0.49, 0.25 %.
HEURISTIC_EFFORT = 0.3

#: How far (relative) a search's bound may exceed another's plan before it is distrusted: well
#: above HiGHS's own optimality tolerances (1e-7 relative), well below a meaningful gap.
CROSSING_TOLERANCE = 1e-6


def search_options(i: int) -> dict[str, object]:
    """The options that make search ``i`` of a portfolio differ: its seed and, for odd i, more
    effort on primal heuristics. Options given by the caller win over these."""
    return {"random_seed": i, **({"mip_heuristic_effort": HEURISTIC_EFFORT} if i % 2 else {})}


def supported() -> bool:
    """True when this highspy has the callbacks a portfolio needs (plans in and out, interrupt)."""
    cb = getattr(highspy, "cb", None)
    return (hasattr(highspy.Highs, "cbMipUserSolution") and cb is not None
            and hasattr(cb.HighsCallbackInput, "setSolution"))


def relative_gap(primal: float, bound: float) -> float:
    """HiGHS's relative gap ``(primal - bound) / |primal|`` (0 when equal, inf without a plan)."""
    if not math.isfinite(primal):
        return math.inf
    if primal == bound:
        return 0.0
    return (primal - bound) / abs(primal) if primal else math.inf


@dataclass(frozen=True)
class StageRun:
    """One finished stage of a search (a search of the whole MILP has one stage): what it solved,
    when (seconds since the searches started), how HiGHS ended it, and when the search last
    improved the portfolio's plan during it."""

    search: int
    label: str
    start: float
    end: float
    status: str
    best_plan_at: float | None = None

    def __str__(self) -> str:
        found = "" if self.best_plan_at is None else f", best plan at {self.best_plan_at:.1f} s"
        return f"search {self.search}: {self.label} {self.start:.1f}-{self.end:.1f} s ({self.status}{found})"


@dataclass
class Board:
    """What the searches share (objective values in the scaled units the searches see)."""

    target_gap: float
    primal: float = math.inf
    plan: np.ndarray | None = None
    owner: int = -1
    version: int = 0
    bounds: list[float] = field(default_factory=list)
    sources: dict[int, str] = field(default_factory=dict)  # per search: the stage that posted its bound
    nodes: list[int] = field(default_factory=list)  # per search, as last reported
    plan_found: dict[int, float] = field(default_factory=dict)  # per search: when it last improved the plan (s)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    progress: Progress | None = None  # told (seconds since start, gap) when the gap shrinks
    start: float = field(default_factory=time.perf_counter)
    last_gap: float = math.inf
    distrusted: set[int] = field(default_factory=set)  # searches whose bound exceeded a plan
    timeline: list[StageRun] = field(default_factory=list)  # every finished stage of every search

    @property
    def bound(self) -> float:
        """The best bound of the searches still trusted."""
        return max((b for i, b in enumerate(self.bounds) if i not in self.distrusted), default=-math.inf)

    @property
    def bound_source(self) -> str:
        """Where the best trusted bound comes from: ``search i (label of its stage)``."""
        trusted = [(b, i) for i, b in enumerate(self.bounds) if i not in self.distrusted and b > -math.inf]
        if not trusted:
            return "none"
        i = max(trusted)[1]
        return f"search {i} ({self.sources.get(i, 'the MILP')})"

    def _check_bounds(self) -> None:
        """Set aside every search whose bound exceeds the best plan by more than
        ``CROSSING_TOLERANCE`` (relative; called with the lock held)."""
        slack = CROSSING_TOLERANCE * max(1.0, abs(self.primal))
        for i, b in enumerate(self.bounds):
            if b > self.primal + slack:
                self.distrusted.add(i)

    def gap(self) -> float:
        return relative_gap(self.primal, self.bound)

    def post_plan(self, worker: int, objective: float, plan: np.ndarray) -> None:
        with self.lock:
            if objective < self.primal:
                self.primal, self.plan, self.owner = objective, plan, worker
                self.version += 1
                self.plan_found[worker] = time.perf_counter() - self.start
                self._check_bounds()
                self._report()

    def post_bound(self, worker: int, bound: float, source: str = "the MILP") -> None:
        """Record ``bound`` (posted by ``source``, a stage's label); decide the stop when the portfolio's
        gap reaches the target."""
        with self.lock:
            if bound > self.bounds[worker]:
                self.bounds[worker] = bound
                self.sources[worker] = source
                self._check_bounds()
                self._report()
            if self.gap() <= self.target_gap:
                self.stop.set()

    def _report(self) -> None:
        """Tell ``progress`` of a smaller gap (called with the lock held)."""
        gap = self.gap()
        if gap < self.last_gap:
            self.last_gap = gap
            if self.progress is not None:
                self.progress(time.perf_counter() - self.start, gap)


@dataclass
class Search:
    """How one search ended: HiGHS's status (None while it runs, or when it ended before its last
    stage), or the error it raised."""

    status: highspy.HighsModelStatus | None = None
    error: BaseException | None = None


@dataclass
class Stage:
    """One HiGHS run of a search and what it may tell the board.

    * ``make(seconds)``: the HiGHS instance with its model passed and its options set, allowed
      ``seconds`` (what is left of the time limit);
    * ``bounds``: its dual bound is a bound of the MILP (the MILP's own, or a relaxation's);
    * ``plans``: its plans are plans of the MILP (the MILP's own, or a restriction's);
    * ``takes(plan)``: whether a plan of the board is a plan of its model (None: every plan is);
    * ``restricted``: its model is a restriction of the MILP, so it stops once its own bound is within
      the target gap of the board's best plan (nothing better enough is left to find in it);
    * ``relaxation``: its model is a relaxation of the MILP, so it stops once its own best plan is
      within the target gap of the board's bound (its bound cannot raise the board's any more);
    * ``then(h)``: the next stage, given this stage's finished HiGHS (None, or no ``then``: the last);
    * ``label``: what the stage solves, in words (reported with the bound it posts).

    A search whose last stage ends on its own (not interrupted) ends the portfolio; a search that
    ends before its last stage (no time left, nothing to go on with) does not.
    """

    make: Callable[[float], highspy.Highs]
    bounds: bool = True
    plans: bool = True
    takes: Callable[[np.ndarray], bool] | None = None
    restricted: bool = False
    relaxation: bool = False
    then: Callable[[highspy.Highs], Stage | None] | None = None
    label: str = "the MILP"


@dataclass
class Outcome:
    """The portfolio's answer (scaled objective units)."""

    status: highspy.HighsModelStatus
    primal: float
    plan: np.ndarray | None
    bound: float
    gap: float
    nodes: int
    seconds: float
    distrusted: tuple[int, ...] = ()  # searches whose bounds exceeded a plan (numerical trouble)
    bound_source: str = "none"  # the search (and stage) whose bound is ``bound``
    timeline: tuple[StageRun, ...] = ()  # the stages that ended before the answer, in order of ending


def restriction_done(own_bound: float, primal: float, target_gap: float) -> bool:
    """A restriction's search can stop: its bound ``own_bound`` is within ``target_gap`` (relative) of the
    board's best plan ``primal``, ``own_bound >= primal - target_gap * |primal|``, so no plan of it is
    better than the board's by more than the target (False while the board has no plan)."""
    return math.isfinite(primal) and own_bound >= primal - target_gap * abs(primal)


def relaxation_done(own_plan: float, bound: float, target_gap: float) -> bool:
    """A relaxation's search can stop: its best plan ``own_plan`` (a plan of the relaxation) is within
    ``target_gap`` of the board's bound, ``own_plan <= bound + target_gap * |own_plan|``, so its own bound
    cannot raise the board's by more than the target. False while the relaxation has no plan
    (``own_plan`` = inf: HiGHS's first callbacks, before its first plan), whatever the board's bound."""
    return math.isfinite(own_plan) and own_plan <= bound + target_gap * abs(own_plan)


def _attach(h: highspy.Highs, worker: int, board: Board, stage: Stage, nodes_before: int = 0) -> None:
    """Subscribe stage ``stage`` of search ``worker`` (HiGHS ``h``) to ``board``: post what the stage
    may post (plans, bounds), pick up better plans it can take, stop when the board says so."""
    seen = [0]
    columns = h.getNumCol()

    def improving(event) -> None:  # kCallbackMipImprovingSolution: plan in the model's columns
        out = event.data_out
        plan = np.array(out.mip_solution, dtype=float)
        if stage.plans and len(plan) == columns:  # (HiGHS documents the original model's columns)
            board.post_plan(worker, float(out.objective_function_value), plan)

    def user_solution(event) -> None:  # kCallbackMipUserSolution: offer the board's plan if better
        with board.lock:
            if board.version == seen[0] or board.owner == worker:
                return
            seen[0] = board.version
            if not board.primal < event.data_out.mip_primal_bound:
                return
            plan = board.plan
        if stage.takes is None or stage.takes(plan):
            event.data_in.setSolution(plan)

    def interrupt(event) -> None:  # kCallbackMipInterrupt: called at every node, and in the root
        out = event.data_out
        board.nodes[worker] = nodes_before + int(out.mip_node_count)
        bound = float(out.mip_dual_bound)
        if stage.bounds:
            board.post_bound(worker, bound, stage.label)
        elif stage.restricted and restriction_done(bound, board.primal, board.target_gap):
            event.data_in.user_interrupt = True
        if stage.relaxation and relaxation_done(float(out.mip_primal_bound), board.bound, board.target_gap):
            event.data_in.user_interrupt = True
        if board.stop.is_set():
            event.data_in.user_interrupt = True

    h.cbMipImprovingSolution.subscribe(improving)
    h.cbMipUserSolution.subscribe(user_solution)
    h.cbMipInterrupt.subscribe(interrupt)


def _run_stages(h: highspy.Highs, stage: Stage, worker: int, board: Board, search: Search,
                deadline: float) -> None:
    """Run search ``worker`` stage by stage from ``stage`` (HiGHS ``h``), posting each stage's outcome."""
    nodes_before = 0
    while True:
        _attach(h, worker, board, stage, nodes_before)
        began = time.perf_counter() - board.start
        h.run()
        info = h.getInfo()
        nodes_before += int(info.mip_node_count)
        board.nodes[worker] = nodes_before
        if stage.plans and info.primal_solution_status == 2:  # its own incumbent (also posted by callback)
            board.post_plan(worker, float(info.objective_function_value), np.array(h.getSolution().col_value))
        if stage.bounds:
            board.post_bound(worker, float(info.mip_dual_bound), stage.label)
        status = h.getModelStatus()
        _log_stage(board, worker, stage.label, began, status)
        if stage.then is None:
            search.status = status
            return
        if board.stop.is_set():
            search.status = S.kInterrupt
            return
        following = stage.then(h)
        left = deadline - time.perf_counter()
        if following is None or left <= 0:
            return  # ended before its last stage: the others go on
        stage, h = following, following.make(left)


#: How a stage ended, in words (from HiGHS's status).
_ENDED = {S.kOptimal: "solved to the gap", S.kTimeLimit: "time limit", S.kInfeasible: "infeasible"}


def _log_stage(board: Board, worker: int, label: str, began: float, status: highspy.HighsModelStatus) -> None:
    """Add the stage just ended to the board's timeline, with when its search last improved the plan."""
    with board.lock:
        now = time.perf_counter() - board.start
        if status == S.kInterrupt:
            ended = "the portfolio's answer decided" if board.stop.is_set() else "stopped by its rule"
        else:
            ended = _ENDED.get(status, str(status).rsplit(".", 1)[-1])
        found = board.plan_found.get(worker)
        board.timeline.append(StageRun(worker, label, began, now, ended,
                                       found if found is not None and found >= began else None))


def run(searches: list[Stage], target_gap: float, time_limit_s: float, progress: Progress | None = None,
        ticker: Ticker | None = None, tick_s: float = 5.0,
        start: tuple[float, np.ndarray] | None = None) -> Outcome:
    """Run one search per entry of ``searches`` (its first stage; see :class:`Stage`), each on its own
    thread; return when the answer is decided (see the module docstring). ``ticker`` is called every
    ``tick_s`` seconds with the board's plan and bound. ``start``: (objective, plan) on the board before the
    searches start, offered to each like a plan of another search."""
    workers = len(searches)
    board = Board(target_gap, bounds=[-math.inf] * workers, nodes=[0] * workers, progress=progress)
    if start is not None:
        board.post_plan(-1, *start)
    outcomes = [Search() for _ in range(workers)]
    highs = [stage.make(time_limit_s) for stage in searches]  # here: creating HiGHS redirects fd 1 briefly

    def work(i: int) -> None:
        search = outcomes[i]
        try:
            _run_stages(highs[i], searches[i], i, board, search, deadline)
        except BaseException as exc:  # noqa: BLE001 - reported by the caller's thread
            search.error = exc
        finally:
            if search.error is not None or (search.status is not None and search.status != S.kInterrupt):
                board.stop.set()  # a search that ended on its own ends the portfolio

    t0 = board.start = time.perf_counter()
    deadline = t0 + time_limit_s
    threads = [threading.Thread(target=work, args=(i,), name=f"highs-search-{i}") for i in range(workers)]
    for t in threads:
        t.start()
    _started.extend(threads)
    next_tick = t0 + tick_s
    try:
        while not board.stop.is_set() and any(t.is_alive() for t in threads) and time.perf_counter() < deadline + 5.0:
            board.stop.wait(0.05)
            if ticker is not None and time.perf_counter() >= next_tick:
                next_tick += tick_s
                with board.lock:
                    primal, bound = board.primal, board.bound
                ticker(time.perf_counter() - t0, primal, bound)
    finally:  # also on Ctrl-C: every search stops at its next callback
        board.stop.set()
    with board.lock:  # the answer: what the board holds now
        board._check_bounds()
        primal, plan, bound, nodes = board.primal, board.plan, board.bound, sum(board.nodes)
        distrusted, source = tuple(sorted(board.distrusted)), board.bound_source
        timeline = tuple(board.timeline)
    seconds = time.perf_counter() - t0
    for s in outcomes:
        if s.error is not None:
            raise s.error
    gap = relative_gap(primal, bound)
    trusted = [s for i, s in enumerate(outcomes) if i not in distrusted]
    return Outcome(_status(trusted, gap, target_gap), primal, plan, bound, gap, nodes, seconds, distrusted,
                   source, timeline)


def join_stragglers(timeout_s: float | None = None) -> None:
    """Wait until every search started by :func:`run` in this process has ended (benchmarks call
    this so that a late search does not run into the next measurement)."""
    while _started:
        _started.pop().join(timeout_s)


def _status(searches: list[Search], gap: float, target: float) -> highspy.HighsModelStatus:
    """The portfolio's status: a search's own verdict on the model first (infeasible, unbounded,
    error), then "optimal" if the gap is reached, else the status of a search that ended on its own
    (time limit, solution limit, ...), else time limit."""
    done = [s.status for s in searches if s.status is not None and s.status != S.kInterrupt]
    for verdict in (S.kInfeasible, S.kUnboundedOrInfeasible, S.kUnbounded):
        if verdict in done:
            return verdict
    if gap <= target or S.kOptimal in done:
        return S.kOptimal
    return done[0] if done else S.kTimeLimit
