"""Independent cases on Dask: the engine of sweeps and near-optimal alternatives.

The typed inputs are scattered to the workers once; each case calls ``fn(inputs, *args)`` on a worker and
returns its row. A case whose worker dies or whose task is lost gets ``failed(args, exc)`` as its row; the
others go on. Cluster: a ``LocalCluster`` with one single-threaded worker process per core by default (each
case is one HiGHS search on one thread, so the machine is never oversubscribed), or the running scheduler at
``scheduler``.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from planner.workbook.inputs import Inputs


def client_for(scheduler: str | None, workers: int | None):
    """(client, cluster): a client of the scheduler at ``scheduler``, or of a new LocalCluster (cluster None
    when the scheduler was given)."""
    from dask.distributed import Client, LocalCluster

    for name in ("distributed", "distributed.scheduler", "distributed.nanny", "distributed.core",
                 "distributed.worker", "distributed.http.proxy"):
        logging.getLogger(name).setLevel(logging.WARNING)
    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster), cluster


@contextmanager
def cluster(scheduler: str | None, workers: int | None) -> Iterator[object]:
    """A Dask client for several rounds of cases (:func:`run_cases` with ``client``), closed after."""
    client, local = client_for(scheduler, workers)
    try:
        yield client
    finally:
        client.close()
        if local is not None:
            local.close()


def run_cases(inp: Inputs, fn: Callable[..., dict], cases: list[tuple], failed: Callable[[tuple, Exception], dict],
              scheduler: str | None = None, workers: int | None = None, progress: bool = True,
              desc: str = "cases", client: object | None = None) -> tuple[list[dict], float]:
    """The rows of ``fn(inp, *case)`` for every case, in the order of ``cases``, and the seconds from the first
    submit to the last result (no cluster start-up). ``client``: a client to use (else one for this call)."""
    if client is None:
        with cluster(scheduler, workers) as own:
            return run_cases(inp, fn, cases, failed, progress=progress, desc=desc, client=own)
    from dask.distributed import as_completed

    # hash=False: a second round on the same client scatters the inputs anew (with the default hashed key
    # the second scatter of the same inputs never returned: measured with dask 2026)
    shared = client.scatter(inp, broadcast=True, hash=False)  # type: ignore[attr-defined]
    t_submit = time.perf_counter()
    futures = {client.submit(fn, shared, *case, pure=False): i for i, case in enumerate(cases)}  # type: ignore[attr-defined]
    rows: dict[int, dict] = {}
    done = as_completed(list(futures))
    if progress:
        from tqdm import tqdm
        done = tqdm(done, total=len(futures), desc=desc, unit="case")
    for fut in done:
        i = futures[fut]
        try:
            rows[i] = fut.result()
        except Exception as exc:  # the worker died or the scheduler lost the task
            rows[i] = failed(cases[i], exc)
    return [rows[i] for i in range(len(cases))], time.perf_counter() - t_submit
