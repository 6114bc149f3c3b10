"""Balanced, compact territory design: the public entry point."""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy.spatial.distance import cdist

from solvers.districting.assignment import Candidates, build_candidates, solve_relaxation
from solvers.districting.balance import Balance
from solvers.districting.contiguity import remove_enclaves
from solvers.districting.costs import CostModel, centre_costs
from solvers.districting.lagrangian import solve_lagrangian
from solvers.districting.local_search import LocalSearch
from solvers.districting.model import DistrictingProblem, DistrictingResult
from solvers.districting.report import build_result
from solvers.districting.rounding import round_assignment
from solvers.districting.seeding import seed_centres
from solvers.districting.settings import DistrictingSettings

logger = logging.getLogger(__name__)

# Points per district that the Lagrangian relaxation marks as split for the rounding model.
_SPLIT_PER_DISTRICT = 2


def design_districts(
    measures: np.ndarray,
    n_districts: int,
    *,
    coords_m: np.ndarray | None = None,
    cost_s: np.ndarray | None = None,
    tolerances: Sequence[float | None],
    locked: np.ndarray | None = None,
    current: np.ndarray | None = None,
    max_moved_share: float | None = None,
    home_bases: np.ndarray | None = None,
    contiguity: bool = False,
    measure_names: Sequence[str] | None = None,
    measure_units: Sequence[str] | None = None,
    settings: DistrictingSettings | None = None,
    seed: int = 0,
    time_limit_s: float = 30.0,
) -> DistrictingResult:
    r"""Split points into balanced, compact districts.

    Model. Points :math:`i` carry measures :math:`a_{it} \ge 0` and district :math:`j` has a
    centre point :math:`c_j`. With :math:`x_{ij} = 1` when point :math:`i` is in district
    :math:`j`, the design minimises

    .. math:: \sum_{ij} d(c_j, i)\, x_{ij} + \mu \sum_{i:\, r_i \ge 0} (1 - x_{i r_i})

    subject to

    * :math:`\sum_j x_{ij} = 1` for every point;
    * :math:`(1 - \tau_t)\, \bar a_t \le \sum_i a_{it} x_{ij} \le (1 + \tau_t)\, \bar a_t` for
      every district and every measure with a tolerance :math:`\tau_t`, where
      :math:`\bar a_t = \sum_i a_{it} / k` is the mean district total;
    * :math:`x_{i l_i} = 1` for every locked point;
    * :math:`\sum_{i:\, r_i \ge 0} (1 - x_{i r_i}) \le \lfloor s\, n_r \rfloor` in a
      realignment, where :math:`r_i` is the current district, :math:`n_r` the number of
      points with one and :math:`s` is ``max_moved_share``;
    * every district keeps at least one point;
    * :math:`c_j` is the medoid of district :math:`j` (the member that minimises the sum of
      costs from it to the members), or the home base when one is given.

    :math:`d(c, i)` is ``cost_s[c, i]`` when a cost matrix is given, else the straight-line
    distance in metres. :math:`\mu` is ``settings.move_cost_factor`` times the mean cost from
    a point to its nearest first centre. When no labelling meets the tolerances, the search
    minimises the summed relative violation first and the cost second, and the message names
    the districts that break each tolerance.

    Method. The first centres come from k-means on the coordinates (or k-means++ sampling on
    the cost matrix), snapped to real points. Each round then runs five steps:

    1. restrict every free point to its ``settings.n_candidates`` nearest centres;
    2. solve the linear relaxation of the assignment with HiGHS or, above
       ``settings.max_relaxation_pairs`` candidate pairs, a Lagrangian relaxation of the
       balance bounds by subgradient steps;
    3. round it with a two-stage CP-SAT model, balance first and cost second;
    4. improve it by moves and swaps of boundary points;
    5. move each centre to its district's medoid.

    Rounds stop when the centres no longer change, when a balanced round lowers the cost of
    the previous balanced round by less than ``settings.round_tolerance``, after
    ``settings.n_rounds`` rounds or at the time limit, and the best round is kept.

    With ``contiguity``, an enclave is a point whose ``settings.enclave_neighbours`` nearest
    points all belong to other districts. Each enclave moves to the most common district
    among those neighbours when the move respects its lock and the move limit, leaves no
    district empty and does not increase the summed violation of the tolerances. This does
    not guarantee connected districts.

    Parameters
    ----------
    measures
        ``(n, m)`` non-negative activity measures per point, e.g. weekly workload hours,
        weekly revenue and 1.0 to count points.
    n_districts
        Number of districts ``k``, from 1 to ``n``.
    coords_m
        ``(n, 2)`` projected x, y in metres.
    cost_s
        ``(n, n)`` travel time in seconds from row point to column point, which may be
        asymmetric. At least one of ``coords_m`` and ``cost_s`` is required.
    tolerances
        One entry per measure: a two-sided relative tolerance in ``[0, 1)`` around the mean
        district total, or ``None`` for a measure that is only reported.
    locked
        ``(n,)`` district index that each point must stay in, ``-1`` for a free point.
    current
        ``(n,)`` current district of each point, ``-1`` for none. Result districts keep the
        same indices.
    max_moved_share
        With ``current``: the largest share, in ``[0, 1]``, of the points with a current
        district that may change district.
    home_bases
        Fixed district centres: ``(k,)`` point indices or ``(k, 2)`` coordinates in metres. A
        coordinate is used exactly for straight-line costs and snapped to the nearest point
        for a cost matrix. ``centers`` reports the nearest point.
    contiguity
        Whether to move enclaves to the surrounding district.
    measure_names, measure_units
        Name and unit of each measure for messages, e.g. ``("workload", "revenue")`` and
        ``("h", "COP")``. By default ``"measure 0"``, ... without units.
    settings
        Search parameters, by default those of :class:`DistrictingSettings`.
    seed
        Seed of k-means, of the sampling and of CP-SAT.
    time_limit_s
        Time budget of the search in seconds. The final centre update, the contiguity pass
        and the report run after it. The same seed gives the same design unless this limit,
        rather than ``settings.n_rounds`` or the deterministic CP-SAT limit, stops the
        search.

    Returns
    -------
    DistrictingResult
        Labels, centres, balance and compactness. ``status`` is ``"tolerance_not_met"``,
        with the numbers in ``message``, when indivisible points or the locks make the
        tolerances impossible or the search found no labelling that meets them.

    Raises
    ------
    ValueError
        For invalid shapes or values, with the offending value: e.g. more districts than
        points, a negative measure, a tolerance outside ``[0, 1)`` or a lock out of range.
    """
    started = time.monotonic()
    settings = settings if settings is not None else DistrictingSettings()
    if not time_limit_s > 0:
        raise ValueError(f"time_limit_s must be positive; got {time_limit_s}")
    problem = _build_problem(
        measures,
        n_districts,
        coords_m=coords_m,
        cost_s=cost_s,
        tolerances=tolerances,
        locked=locked,
        current=current,
        max_moved_share=max_moved_share,
        home_bases=home_bases,
        contiguity=contiguity,
        measure_names=measure_names,
        measure_units=measure_units,
    )
    costs = CostModel.from_problem(problem)
    balance = Balance.from_problem(problem)
    deadline = started + time_limit_s

    centres = seed_centres(problem, costs, settings, seed=seed)
    first_cost = centre_costs(problem, costs, centres)
    move_cost = 0.0
    if problem.current is not None:
        move_cost = settings.move_cost_factor * float(first_cost.min(axis=0).mean())
    logger.debug(
        "Seeding: %d centres for %d points in %.1f s",
        problem.n_districts,
        problem.n_points,
        time.monotonic() - started,
    )

    best = _search(problem, costs, balance, centres, settings, move_cost, deadline, seed)
    timed_out = time.monotonic() > deadline
    n_enclaves = None
    if problem.contiguity:
        neighbours = costs.neighbours(settings.enclave_neighbours)
        n_enclaves = remove_enclaves(best.search, neighbours)
    result = build_result(
        problem,
        best.search.labels,
        best.centres,
        n_enclaves=n_enclaves,
        timed_out=timed_out,
    )
    logger.debug(
        "Territory design: %d points into %d districts, %s, %d moved, in %.1f s",
        problem.n_points,
        problem.n_districts,
        result.status,
        result.n_moved,
        time.monotonic() - started,
    )
    return result


@dataclass
class _Round:
    """The outcome of one round: its local search state, centres and ranking key."""

    search: LocalSearch
    centres: np.ndarray
    key: tuple[float, float]


def _search(
    problem: DistrictingProblem,
    costs: CostModel,
    balance: Balance,
    centres: np.ndarray,
    settings: DistrictingSettings,
    move_cost: float,
    deadline: float,
    seed: int,
) -> _Round:
    """Alternate assignment and centre updates, and return the best round.

    A new round starts only when the previous one would fit in the remaining time.
    """
    best: _Round | None = None
    previous: _Round | None = None
    for _ in range(settings.n_rounds):
        round_started = time.monotonic()
        centre_cost = centre_costs(problem, costs, centres)
        candidates = build_candidates(
            problem, centre_cost, n_candidates=settings.n_candidates, move_cost=move_cost
        )
        share = _relax(problem, candidates, balance, settings, deadline)
        labels, _ = round_assignment(
            problem,
            candidates,
            balance,
            share,
            settings,
            time_limit_s=deadline - time.monotonic(),
            seed=seed,
        )
        search = LocalSearch(
            problem, candidates, balance, centre_cost, labels, move_cost=move_cost
        )
        search.run(max_passes=settings.max_local_search_passes, deadline=deadline)

        points = np.arange(problem.n_points)
        violation = float(balance.violation(search.totals).sum())
        cost = float(search.point_cost(points, search.labels).sum())
        current = _Round(search=search, centres=centres.copy(), key=(violation, cost))
        converged = _converged(previous, current, settings.round_tolerance)
        if best is None or current.key < best.key:
            best = current
        previous = current
        round_s = time.monotonic() - round_started
        if converged or problem.home_points is not None or time.monotonic() + round_s > deadline:
            break
        updated = _update_centres(problem, costs, search.labels, centres, settings)
        if np.array_equal(updated, centres):
            break
        centres = updated
    assert best is not None
    if problem.home_points is None:
        best.centres = _update_centres(problem, costs, best.search.labels, best.centres, settings)
    return best


def _converged(previous: _Round | None, current: _Round, round_tolerance: float) -> bool:
    """Return whether two balanced rounds in a row differ in cost by less than the tolerance.

    A tolerance of 0 turns the check off.
    """
    if round_tolerance == 0 or previous is None or previous.key[0] > 0 or current.key[0] > 0:
        return False
    return previous.key[1] - current.key[1] < round_tolerance * previous.key[1]


def _relax(
    problem: DistrictingProblem,
    candidates: Candidates,
    balance: Balance,
    settings: DistrictingSettings,
    deadline: float,
) -> np.ndarray | None:
    """Solve the LP relaxation, or the Lagrangian one above ``settings.max_relaxation_pairs``."""
    n_pairs = int(candidates.valid[problem.free].sum())
    if n_pairs <= settings.max_relaxation_pairs:
        share, _ = solve_relaxation(
            problem, candidates, balance, time_limit_s=deadline - time.monotonic()
        )
        return share
    share, _ = solve_lagrangian(
        problem,
        candidates,
        balance,
        n_iterations=settings.lagrangian_iterations,
        n_split=_SPLIT_PER_DISTRICT * problem.n_districts,
        deadline=deadline,
    )
    return share


def _update_centres(
    problem: DistrictingProblem,
    costs: CostModel,
    labels: np.ndarray,
    centres: np.ndarray,
    settings: DistrictingSettings,
) -> np.ndarray:
    """Move each centre to its district's medoid; an empty district keeps its centre."""
    updated = centres.copy()
    for district in range(problem.n_districts):
        members = np.flatnonzero(labels == district)
        if members.size:
            updated[district] = costs.medoid(
                members, int(centres[district]), settings.n_medoid_candidates
            )
    return updated


def _build_problem(
    measures: np.ndarray,
    n_districts: int,
    *,
    coords_m: np.ndarray | None,
    cost_s: np.ndarray | None,
    tolerances: Sequence[float | None],
    locked: np.ndarray | None,
    current: np.ndarray | None,
    max_moved_share: float | None,
    home_bases: np.ndarray | None,
    contiguity: bool,
    measure_names: Sequence[str] | None,
    measure_units: Sequence[str] | None,
) -> DistrictingProblem:
    """Convert the caller's arrays and build the validated problem."""
    measure_array = np.asarray(measures, dtype=np.float64)
    n = measure_array.shape[0] if measure_array.ndim >= 1 else 0
    m = measure_array.shape[1] if measure_array.ndim == 2 else 0
    coords = None if coords_m is None else np.asarray(coords_m, dtype=np.float64)
    locked_array = (
        np.full(n, -1, dtype=np.int64) if locked is None else _as_labels("locked", locked)
    )
    current_array = None if current is None else _as_labels("current", current)

    max_moved = None
    if max_moved_share is not None:
        if not 0 <= max_moved_share <= 1:
            raise ValueError(
                f"max_moved_share must be in [0, 1]; got {max_moved_share}, e.g. use 0.1 to "
                "let at most 10 % of the points change district"
            )
        n_current = int(np.sum(current_array >= 0)) if current_array is not None else 0
        max_moved = math.floor(max_moved_share * n_current + 1e-9)

    home_points, home_xy = _home_bases(home_bases, coords)
    return DistrictingProblem(
        measures=measure_array,
        n_districts=int(n_districts),
        tolerances=tuple(tolerances),
        coords_m=coords,
        cost_s=None if cost_s is None else np.asarray(cost_s),
        locked=locked_array,
        current=current_array,
        max_moved=max_moved,
        home_points=home_points,
        home_xy_m=home_xy,
        contiguity=contiguity,
        measure_names=(
            tuple(measure_names)
            if measure_names is not None
            else tuple(f"measure {column}" for column in range(m))
        ),
        measure_units=tuple(measure_units) if measure_units is not None else ("",) * m,
    )


def _as_labels(name: str, values: np.ndarray) -> np.ndarray:
    """Convert district indices to int64, rejecting values that are not whole numbers."""
    array = np.asarray(values)
    if array.dtype.kind not in "iu":
        as_float = array.astype(np.float64)
        fractional = np.flatnonzero(~np.isfinite(as_float) | (as_float != np.round(as_float)))
        if fractional.size:
            point = int(fractional[0])
            raise ValueError(
                f"{name}[{point}] = {array.flat[point]} is not a district index; use whole "
                "numbers, -1 for none"
            )
    return array.astype(np.int64)


def _home_bases(
    home_bases: np.ndarray | None, coords: np.ndarray | None
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Return home bases as point indices, plus their coordinates when given as such."""
    if home_bases is None:
        return None, None
    array = np.asarray(home_bases)
    if array.ndim == 2:
        if array.shape[1] != 2:
            raise ValueError(
                f"home_bases as coordinates must have shape (k, 2); got {array.shape}"
            )
        home_xy = array.astype(np.float64)
        if coords is None:
            raise ValueError(
                "home_bases given as coordinates need coords_m; give coords_m or point indices"
            )
        return np.argmin(cdist(home_xy, coords), axis=1).astype(np.int64), home_xy
    return _as_labels("home_bases", array), None
