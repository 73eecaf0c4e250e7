"""The Pyomo model as one matrix for HiGHS, and the plan back into the model.

Path: Pyomo's ``LinearStandardFormCompiler`` (mixed form: rows keep their
sense) -> one ``highspy.HighsLp`` (handed to ``Highs.passModel`` by
:mod:`planner.solver.highs`). Columns are in the model's declaration order
(component by component, each over its sorted index), rows likewise, so the
same workbook gives the same matrix.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import highspy
import numpy as np
import pyomo.core as pyo
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler, _LinearStandardFormCompiler_impl

from planner.solver.pyomo_hooks import drop_import_hooks

drop_import_hooks()
import scipy.sparse  # noqa: E402  (after the hooks are dropped: only scipy.sparse is loaded)

# The compiler's array types, through its documented class-attribute hooks (resolving them
# itself would go through Pyomo's deferred scipy module).
_LinearStandardFormCompiler_impl._to_vector = np.fromiter
_LinearStandardFormCompiler_impl._csc_matrix = scipy.sparse.csc_array
_LinearStandardFormCompiler_impl._csr_matrix = scipy.sparse.csr_array


@dataclass
class Compiled:
    """The model as one matrix, with the Pyomo objects of its columns and rows."""

    lp: highspy.HighsLp
    columns: list  # VarData per column
    rows: list  # (ConstraintData, sense) per row: 1 <=, -1 >=, 0 ==
    integer: np.ndarray  # bool per column
    seconds: float
    model: pyo.ConcreteModel | None = None  # kept alive: rows and columns refer to it weakly


def compile_model(m: pyo.ConcreteModel) -> Compiled:
    """Compile ``m`` to a ``HighsLp`` in canonical column and row order."""
    t0 = time.perf_counter()
    order = [v for var in m.component_objects(pyo.Var, descend_into=True) for v in var.values()]
    info = LinearStandardFormCompiler().write(m, mixed_form=True, set_sense=None, column_order=order)
    A = info.A.tocsc()
    cost = info.c.toarray().ravel() if info.c.shape[0] else np.zeros(A.shape[1])
    lower = np.array([-math.inf if v.lb is None else v.lb for v in info.columns], dtype=float)
    upper = np.array([math.inf if v.ub is None else v.ub for v in info.columns], dtype=float)
    rhs = np.asarray(info.rhs, dtype=float)
    sense = np.array([s for _, s in info.rows], dtype=int)
    integer = np.array([v.is_integer() or v.is_binary() for v in info.columns], dtype=bool)
    lp = lp_from_arrays(A, cost, lower, upper, np.where(sense <= 0, rhs, -math.inf),
                        np.where(sense >= 0, rhs, math.inf), integer,
                        float(info.c_offset[0]) if len(info.c_offset) else 0.0)
    return Compiled(lp, list(info.columns), [(con, s) for con, s in info.rows], integer,
                    time.perf_counter() - t0, m)


def lp_from_arrays(A: scipy.sparse.csc_array, cost: np.ndarray, lower: np.ndarray, upper: np.ndarray,
                   row_lower: np.ndarray, row_upper: np.ndarray, integer: np.ndarray, offset: float) -> highspy.HighsLp:
    """``min cost x + offset, row_lower <= A x <= row_upper, lower <= x <= upper, x[integer] whole`` as
    a ``HighsLp`` (``A`` column-wise, as given: explicit zeros are kept)."""
    n_rows, n_cols = A.shape
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_cols, n_rows
    lp.col_cost_, lp.offset_ = np.asarray(cost, dtype=float), float(offset)
    lp.col_lower_, lp.col_upper_ = np.asarray(lower, dtype=float), np.asarray(upper, dtype=float)
    lp.row_lower_, lp.row_upper_ = np.asarray(row_lower, dtype=float), np.asarray(row_upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = A.indptr, A.indices, A.data
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n_cols, n_rows
    lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in integer]
    return lp


def objective_scale(lp: highspy.HighsLp) -> int:
    """Power of two e such that costs / 2**e are at most about 2**10.

    Money in dollars gives costs near 1e9, which HiGHS flags as badly scaled.
    Dividing the objective by a power of two is exact in floating point, so the
    plan's cost is recovered to the last bit by multiplying back.
    """
    costs = np.abs(np.asarray(lp.col_cost_, dtype=float))
    if not costs.size or costs.max() <= 2.0**10:
        return 0
    return int(math.ceil(math.log2(costs.max()))) - 10


def copy_lp(lp: highspy.HighsLp) -> highspy.HighsLp:
    """A copy of ``lp`` whose fields can be replaced one by one (the constraint matrix object is
    shared; highspy hands out the vectors as new lists on every access, so they are copied)."""
    out = highspy.HighsLp()
    out.num_col_, out.num_row_ = lp.num_col_, lp.num_row_
    out.col_cost_, out.offset_ = lp.col_cost_, lp.offset_
    out.col_lower_, out.col_upper_ = lp.col_lower_, lp.col_upper_
    out.row_lower_, out.row_upper_ = lp.row_lower_, lp.row_upper_
    out.a_matrix_, out.integrality_ = lp.a_matrix_, lp.integrality_
    return out


def scaled_lp(lp: highspy.HighsLp) -> tuple[highspy.HighsLp, int]:
    """``lp`` with its objective divided by 2**e (:func:`objective_scale`), and e; ``lp`` itself if e = 0."""
    e = objective_scale(lp)
    if not e:
        return lp, 0
    scaled = copy_lp(lp)
    scaled.col_cost_, scaled.offset_ = np.ldexp(np.asarray(lp.col_cost_), -e), math.ldexp(lp.offset_, -e)
    return scaled, e

