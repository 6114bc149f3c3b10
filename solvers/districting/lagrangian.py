"""Lagrangian relaxation of the balanced assignment, for problems too large for the LP."""

from __future__ import annotations

import logging
import time

import numpy as np

from solvers.districting.assignment import Candidates
from solvers.districting.balance import Balance
from solvers.districting.model import DistrictingProblem

logger = logging.getLogger(__name__)

# First subgradient step, as a multiple of the mean number of points per district. With
# weights relative to the mean district total (about k / n per point), a relative overload
# of 1.0 then raises the reduced cost of the district's points by about one mean candidate
# cost.
_FIRST_STEP = 2.0

# Exponent of the diminishing step size, step_t = first step / (1 + t) ** exponent.
_STEP_DECAY = 0.7


def solve_lagrangian(
    problem: DistrictingProblem,
    candidates: Candidates,
    balance: Balance,
    *,
    n_iterations: int,
    n_split: int,
    deadline: float,
) -> tuple[np.ndarray, str]:
    r"""Approximate the balanced assignment by dualising the balance bounds.

    With multipliers :math:`\lambda_{jt}` on the bounds of district :math:`j` and measure
    :math:`t`, each free point joins the candidate that minimises the reduced cost
    :math:`c_{ij} + \sum_t \lambda_{jt} w_{it}`, where :math:`w_{it}` is its weight relative to
    the mean district total. Each subgradient step raises :math:`\lambda_{jt}` in proportion
    to how far district :math:`j` lies above its upper bound, and lowers it in proportion to
    how far it lies below its lower bound. In a realignment a further multiplier prices every
    move while the move limit is exceeded. The labelling with the least summed violation, then
    the fewest moves over the limit, then the least cost, is kept.

    Returns ``(n, C)`` shares in the format of
    :func:`~solvers.districting.assignment.solve_relaxation`: 1 on each point's candidate,
    except for the ``n_split`` free points whose two best reduced costs are closest, which
    get 0.5 on each so that the rounding model reconsiders them. The status names the
    iterations run and the violation left.

    NOTE: unlike the LP, this relaxation has no term that keeps every district non-empty. An
    empty district is filled only through a positive lower bound or the rounding model's
    penalty for empty districts.
    """
    started = time.monotonic()
    n, _ = candidates.districts.shape
    k, q = problem.n_districts, balance.n_bounded
    rows = np.arange(n)
    cost = _normalised_costs(candidates)
    moving = _moving_mask(problem, candidates)
    limit = problem.max_moved if problem.max_moved is not None else None

    multipliers = np.zeros((k, q))
    move_price = 0.0
    best: tuple[tuple[float, int, float], np.ndarray, np.ndarray] | None = None
    iteration = 0
    for iteration in range(n_iterations):
        prices = multipliers[candidates.districts]
        reduced = cost + np.einsum("icq,iq->ic", prices, balance.weights)
        if moving is not None:
            reduced = reduced + move_price * moving
        column = np.argmin(reduced, axis=1)
        labels = candidates.districts[rows, column]
        totals = balance.totals(labels, k)
        above = np.maximum(totals - balance.upper, 0.0)
        below = np.maximum(balance.lower - totals, 0.0)
        excess = 0
        if moving is not None and limit is not None:
            excess = max(int(moving[rows, column].sum()) - limit, 0)
        key = (float(balance.violation(totals).sum()), excess, float(cost[rows, column].sum()))
        if best is None or key < best[0]:
            best = (key, column, reduced)

        step = _FIRST_STEP * (n / k) / (1 + iteration) ** _STEP_DECAY
        multipliers += step * (above - below)
        if moving is not None and limit is not None:
            used = int(moving[rows, column].sum())
            move_price = max(0.0, move_price + step * (used - limit) / max(n, 1))
        if time.monotonic() > deadline:
            break

    assert best is not None
    (violation, _, _), column, reduced = best
    if moving is not None and limit is not None:
        column = _enforce_move_limit(column, reduced, moving, problem, candidates, limit)
    share = _shares(column, reduced, candidates, problem.free, n_split)
    status = f"{iteration + 1} iterations, violation {violation:.4f}"
    logger.debug(
        "Lagrangian relaxation: %d points, %d candidate pairs, %s in %.1f s",
        n,
        int(candidates.valid.sum()),
        status,
        time.monotonic() - started,
    )
    return share, status


def _normalised_costs(candidates: Candidates) -> np.ndarray:
    """Return the candidate costs over their positive mean, ``inf`` where not a candidate."""
    positive = candidates.cost[candidates.valid & (candidates.cost > 0)]
    scale = float(positive.mean()) if positive.size else 1.0
    return np.where(candidates.valid, candidates.cost / scale, np.inf)


def _moving_mask(problem: DistrictingProblem, candidates: Candidates) -> np.ndarray | None:
    """Return whether each candidate moves a point away from its current district."""
    if problem.current is None or problem.max_moved is None:
        return None
    current = problem.current[:, None]
    return np.asarray((current >= 0) & (candidates.districts != current), dtype=np.float64)


def _enforce_move_limit(
    column: np.ndarray,
    reduced: np.ndarray,
    moving: np.ndarray,
    problem: DistrictingProblem,
    candidates: Candidates,
    limit: int,
) -> np.ndarray:
    """Send the moved points that gain least back to their current district until within limit.

    Every point with a current district lists it among its candidates, so the limit can
    always be met this way. Locked points are never sent back.
    """
    assert problem.current is not None
    rows = np.arange(column.size)
    moved = np.flatnonzero((moving[rows, column] > 0) & problem.free)
    forced = int(moving[rows, column].sum()) - moved.size
    n_back = moved.size + forced - limit
    if n_back <= 0:
        return column
    home = np.argmax(candidates.districts[moved] == problem.current[moved, None], axis=1)
    gain = reduced[moved, home] - reduced[moved, column[moved]]
    back = np.argsort(gain, kind="stable")[:n_back]
    adjusted = column.copy()
    adjusted[moved[back]] = home[back]
    return adjusted


def _shares(
    column: np.ndarray,
    reduced: np.ndarray,
    candidates: Candidates,
    free: np.ndarray,
    n_split: int,
) -> np.ndarray:
    """Give each point its column, and split the closest calls between their best two."""
    n, width = reduced.shape
    rows = np.arange(n)
    share = np.zeros((n, width))
    share[rows, column] = 1.0
    others = np.where(candidates.valid, reduced, np.inf)
    others[rows, column] = np.inf
    second = np.argmin(others, axis=1)
    gap = others[rows, second] - reduced[rows, column]
    open_points = np.flatnonzero(free & np.isfinite(gap))
    split = open_points[np.argsort(gap[open_points], kind="stable")[:n_split]]
    share[split, column[split]] = 0.5
    share[split, second[split]] = 0.5
    return share
