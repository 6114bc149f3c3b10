"""Candidate lists and the linear relaxation of the balanced assignment."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog

from solvers.districting.balance import Balance
from solvers.districting.model import DistrictingProblem

logger = logging.getLogger(__name__)

# Penalty per unit of relative imbalance, per point, in units of the mean candidate cost. At
# 100 per point, leaving a tolerance by 1 % costs more than any saving a point's move can bring.
_IMBALANCE_PENALTY_PER_POINT = 100.0

_HIGHS_STATUS = {
    0: "optimal",
    1: "iteration or time limit reached",
    2: "infeasible",
    3: "unbounded",
    4: "numerical difficulties",
}


@dataclass(frozen=True, eq=False)
class Candidates:
    """The districts each point may join, and the cost of each choice.

    ``districts[i]`` lists point ``i``'s candidate districts, nearest first. ``valid`` masks
    the usable entries, of which a locked point has one. ``cost`` is the cost from the
    district centre to the point plus the move cost of a realignment.
    """

    districts: np.ndarray
    valid: np.ndarray
    cost: np.ndarray


def build_candidates(
    problem: DistrictingProblem,
    centre_cost: np.ndarray,
    *,
    n_candidates: int,
    move_cost: float,
) -> Candidates:
    """List each point's nearest centres, its current district and its lock.

    A point with a current district always keeps it as a candidate, so that staying is
    possible. A locked point has its lock as its only candidate.
    """
    k = centre_cost.shape[0]
    width = min(n_candidates, k)
    if width == k:
        nearest = np.argsort(centre_cost, axis=0, kind="stable").T
    else:
        nearest = np.argpartition(centre_cost, width - 1, axis=0)[:width].T
        order = np.argsort(np.take_along_axis(centre_cost.T, nearest, axis=1), axis=1)
        nearest = np.take_along_axis(nearest, order, axis=1)
    districts = np.ascontiguousarray(nearest, dtype=np.int64)

    if problem.current is not None:
        missing = (problem.current >= 0) & ~(districts == problem.current[:, None]).any(axis=1)
        districts[missing, -1] = problem.current[missing]

    valid = np.ones(districts.shape, dtype=bool)
    locked = np.flatnonzero(problem.locked >= 0)
    districts[locked] = problem.locked[locked, None]
    valid[locked, 1:] = False

    cost = np.take_along_axis(centre_cost.T, districts, axis=1)
    if problem.current is not None and move_cost > 0:
        moves = (problem.current[:, None] >= 0) & (districts != problem.current[:, None])
        cost = cost + move_cost * moves
    return Candidates(districts=districts, valid=valid, cost=cost)


def solve_relaxation(
    problem: DistrictingProblem,
    candidates: Candidates,
    balance: Balance,
    *,
    time_limit_s: float,
) -> tuple[np.ndarray | None, str]:
    """Solve the linear relaxation of the balanced assignment with HiGHS.

    Returns the ``(n, C)`` share of each point given to each candidate, or ``None`` when HiGHS
    returned no solution, and the HiGHS status in words. The bounds are elastic, so the
    relaxation is always feasible: each unit of relative imbalance costs
    ``_IMBALANCE_PENALTY_PER_POINT`` per point, as does an empty district.
    """
    started = time.monotonic()
    n, width = candidates.districts.shape
    k, q = problem.n_districts, balance.n_bounded
    points, columns = np.nonzero(candidates.valid)
    districts = candidates.districts[points, columns]
    n_edges = points.size

    edge_cost = candidates.cost[points, columns]
    positive = edge_cost[edge_cost > 0]
    cost_scale = float(positive.mean()) if positive.size else 1.0
    penalty = _IMBALANCE_PENALTY_PER_POINT * n
    n_slacks = 2 * k * q + k
    objective = np.concatenate([edge_cost / cost_scale, np.full(n_slacks, penalty)])

    edge_index = np.arange(n_edges)
    a_eq = sp.csr_matrix((np.ones(n_edges), (points, edge_index)), shape=(n, n_edges + n_slacks))
    a_ub, b_ub = _inequalities(problem, balance, points, districts, n_edges)
    result = linprog(
        objective,
        A_ub=a_ub,
        b_ub=b_ub,
        A_eq=a_eq,
        b_eq=np.ones(n),
        bounds=(0, None),
        method="highs-ipm",
        options={"time_limit": max(time_limit_s, 0.1), "presolve": True},
    )
    status = _HIGHS_STATUS.get(result.status, f"status {result.status}")
    logger.debug(
        "Balanced assignment relaxation: %d points, %d candidate pairs, HiGHS %s in %.1f s",
        n,
        n_edges,
        status,
        time.monotonic() - started,
    )
    if result.x is None or result.status != 0:
        # An interior point cut short by the time limit splits nearly every point, which is
        # worse than no relaxation at all.
        logger.debug(
            "Relaxation stopped without an optimal solution (HiGHS %s), so each point starts "
            "at its nearest centre",
            status,
        )
        return None, status
    share = np.zeros((n, width))
    share[points, columns] = result.x[:n_edges]
    return share, status


def _inequalities(
    problem: DistrictingProblem,
    balance: Balance,
    points: np.ndarray,
    districts: np.ndarray,
    n_edges: int,
) -> tuple[sp.csr_matrix, np.ndarray]:
    """Build the balance, non-empty and move-limit rows as ``A_ub @ x <= b_ub``.

    Slack columns follow the edge columns: ``k * q`` above the upper bounds, ``k * q`` below
    the lower bounds, then one per district for an empty district.
    """
    k, q = problem.n_districts, balance.n_bounded
    edge_index = np.arange(n_edges)
    district_rows = np.arange(k)
    triplets = _Triplets()

    for position in range(q):
        weight = balance.weights[points, position]
        above = n_edges + k * position + district_rows
        below = above + k * q
        rows = triplets.add_rows(k, np.full(k, balance.upper[position]))
        triplets.add(rows[districts], edge_index, weight)
        triplets.add(rows, above, -np.ones(k))
        rows = triplets.add_rows(k, np.full(k, -balance.lower[position]))
        triplets.add(rows[districts], edge_index, -weight)
        triplets.add(rows, below, -np.ones(k))

    rows = triplets.add_rows(k, -np.ones(k))
    triplets.add(rows[districts], edge_index, -np.ones(n_edges))
    triplets.add(rows, n_edges + 2 * k * q + district_rows, -np.ones(k))

    if problem.current is not None and problem.max_moved is not None:
        has_current = problem.current >= 0
        stays = has_current[points] & (districts == problem.current[points])
        n_staying = int(has_current.sum()) - problem.max_moved
        rows = triplets.add_rows(1, np.array([-float(n_staying)]))
        triplets.add(
            np.full(int(stays.sum()), rows[0]), edge_index[stays], -np.ones(int(stays.sum()))
        )
    return triplets.matrix(n_edges + 2 * k * q + k)


class _Triplets:
    """Accumulates the (row, column, value) entries and right-hand sides of a sparse matrix."""

    def __init__(self) -> None:
        self.rows: list[np.ndarray] = []
        self.columns: list[np.ndarray] = []
        self.values: list[np.ndarray] = []
        self.limits: list[np.ndarray] = []
        self.n_rows = 0

    def add_rows(self, count: int, limits: np.ndarray) -> np.ndarray:
        """Append ``count`` rows with the given right-hand sides and return their indices."""
        indices = np.arange(self.n_rows, self.n_rows + count)
        self.n_rows += count
        self.limits.append(limits)
        return indices

    def add(self, rows: np.ndarray, columns: np.ndarray, values: np.ndarray) -> None:
        """Add entries; repeated (row, column) pairs are summed."""
        self.rows.append(rows)
        self.columns.append(columns)
        self.values.append(values)

    def matrix(self, n_columns: int) -> tuple[sp.csr_matrix, np.ndarray]:
        """Return the CSR matrix and the right-hand side vector."""
        matrix = sp.csr_matrix(
            (
                np.concatenate(self.values),
                (np.concatenate(self.rows), np.concatenate(self.columns)),
            ),
            shape=(self.n_rows, n_columns),
        )
        return matrix, np.concatenate(self.limits)
