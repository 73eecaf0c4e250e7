"""Pyomo's post-import hooks that the planner switches off, to keep time outside the solver small.

Pyomo registers a hook on the first import of some libraries, by anyone, that loads more of
them: for scipy also scipy.stats, .integrate and .spatial (about 0.5 s); for matplotlib also
pyplot and pylab (about 0.15 s). The planner needs only scipy.sparse (the standard-form
compiler's matrices) and draws its charts without matplotlib, but another library in the same
process (a notebook's) may import it. The hooks are attributes of Pyomo's deferred-import
flags, an internal: if they move, this does nothing and the planner is only slower.

For the same reason the planner imports ``pyomo.core`` (components, sets, domains, ``value``,
``quicksum``), not ``pyomo.environ``: the latter also registers every solver interface,
writer and contrib plugin (pynumero, preprocessing, ...), about 0.2 s per run. The model is
compiled with the standard-form compiler's class directly, so no plugin is needed.
"""

from __future__ import annotations

from pyomo.common import dependencies


def drop_import_hooks() -> None:
    """Stop Pyomo's hooks on the scipy and matplotlib imports from loading unused submodules."""
    for flag in (getattr(dependencies, "scipy_available", None), getattr(dependencies, "matplotlib_available", None)):
        if getattr(flag, "_callback", None) is not None:
            flag._callback = None
