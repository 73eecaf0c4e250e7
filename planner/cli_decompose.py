"""``planner run BIG.xlsx --decompose``: the scenario decomposition's processes (:mod:`planner.solver.decompose`).

Under ``mpiexec`` (a cluster's launcher, or MPICH's from the ``mpich`` wheel) every process runs the command;
rank 0 writes the report and prints, the others only solve their scenarios. Started without ``mpiexec``, the
command starts itself under the ``mpiexec`` installed beside Python with ``--processes`` local processes
(default 3: the hub, the bound and the plan, one process each), so one machine needs nothing more.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

#: Environment variables MPI launchers set in every process they start: (size, rank).
LAUNCHERS = (("PMI_SIZE", "PMI_RANK"), ("OMPI_COMM_WORLD_SIZE", "OMPI_COMM_WORLD_RANK"),
             ("PMIX_SIZE", "PMIX_RANK"), ("MPI_LOCALNRANKS", "MPI_LOCALRANKID"))


def add_arguments(run: argparse.ArgumentParser) -> None:
    """The ``run`` options of the decomposition."""
    run.add_argument("--decompose", action="store_true",
                     help="solve a scenario tree by scenario decomposition (mpi-sppy: progressive hedging, "
                     "a Lagrangian bound and plans from the scenarios), under mpiexec or on local processes")
    run.add_argument("--processes", type=int, help="with --decompose outside mpiexec: local MPI processes "
                     "(a multiple of 3, default 3: progressive hedging, the Lagrangian bound and the plans "
                     "each get a third)")


def mpi_rank() -> tuple[int, int] | None:
    """(size, rank) of this process in an MPI launch, from the launcher's environment (None: not launched)."""
    for size, rank in LAUNCHERS:
        if size in os.environ:
            return int(os.environ[size]), int(os.environ.get(rank, "0"))
    return None


def relaunch(argv: list[str], processes: int | None) -> int:
    """Run ``planner argv`` under MPICH's ``mpiexec`` with ``processes`` processes; its exit code."""
    n = processes or 3
    if n < 3 or n % 3:
        print(f"--processes must be a multiple of 3 (3, 6, 9, ..), got {n}", file=sys.stderr)
        return 2
    launcher = Path(sys.executable).parent / "mpiexec"
    mpiexec = str(launcher) if launcher.exists() else shutil.which("mpiexec")
    if mpiexec is None:
        print("--decompose needs MPI: no mpiexec found (pip install mpich mpi4py mpi-sppy)", file=sys.stderr)
        return 2
    return subprocess.run([mpiexec, "-n", str(n), sys.executable, "-m", "planner.cli", *argv]).returncode


def quiet_unless_rank0(rank: int) -> None:
    """Processes other than rank 0 print nothing (rank 0 speaks for the run)."""
    if rank:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.dup2(devnull, sys.stderr.fileno())


def abort(code: int) -> None:
    """Stop every process of the launch (one that fails would leave the others waiting on it)."""
    from mpi4py import MPI

    MPI.COMM_WORLD.Abort(code)
