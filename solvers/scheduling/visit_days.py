"""The weekly visit calendar (rutero): the public entry point."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import numpy as np

from solvers.scheduling.balance import DayBand
from solvers.scheduling.compactness import DayGeometry
from solvers.scheduling.cp_sat import solve_with_cp_sat
from solvers.scheduling.greedy import assign_greedily, improve_locally
from solvers.scheduling.model import ScheduleProblem, ScheduleResult
from solvers.scheduling.options import VisitOptions, build_options
from solvers.scheduling.report import build_schedule_result
from solvers.scheduling.settings import ScheduleSettings

logger = logging.getLogger(__name__)


def assign_visit_days(
    visits_per_week: np.ndarray,
    workload_s: np.ndarray,
    *,
    n_days: int = 5,
    coords_m: np.ndarray | None = None,
    cost_s: np.ndarray | None = None,
    closed_days: np.ndarray | None = None,
    fixed_days: Sequence[tuple[int, ...] | None] | None = None,
    max_day_s: float | None = None,
    days_off: Sequence[int] = (),
    demand_per_visit: np.ndarray | None = None,
    max_day_demand: float | None = None,
    settings: ScheduleSettings | None = None,
    seed: int = 0,
    time_limit_s: float = 10.0,
) -> ScheduleResult:
    r"""Choose the weekdays, and the cycle week, of every point's visits.

    Model. Each point :math:`i` takes exactly one option :math:`o`: an allowed weekday
    pattern of its frequency (see :mod:`solvers.scheduling.patterns`) that avoids its closed
    days and the days off, or its fixed days, combined with a week of the cycle for visits
    every 2 or 4 weeks. A slot :math:`s` is one weekday of one week of the cycle (1, 2 or 4
    weeks, the longest any point needs); :math:`S` is the set of slots on working days. Its
    load is :math:`L_s = \sum_i w_i\, [s \in o_i]` with :math:`w_i` the workload per visit.
    With :math:`\bar L` the mean load of a slot of :math:`S`,
    :math:`\tau` the day tolerance and :math:`C` the shift ``max_day_s``, the calendar
    minimises lexicographically

    1. :math:`\sum_{s \in S} e_s + \sum_s \max(0, L_s - C) + |S| \max_{s \in S} e_s`, where
       :math:`e_s = \max(0,\, L_s - (1 + \tau)\bar L,\, (1 - \tau)\bar L - L_s)` is the load
       outside the band, and
    2. the compactness :math:`\sum_i \sum_{d \in o_i} \rho_i\, c_{id}`, where :math:`c_{id}`
       is the cost from day :math:`d`'s centre to point :math:`i` and :math:`\rho_i` the
       share of weeks in which the point is visited.

    Method. Day centres start from ``n_days`` k-means clusters taken in angular order
    (Monday to the last day around the territory's centre) and follow the points assigned
    to each day in later rounds. Territories of up to ``settings.max_cp_sat_points`` points
    are solved with CP-SAT in two stages, hinted with a greedy assignment. Larger ones use
    the greedy assignment and a local search that reassigns one point at a time.

    Parameters
    ----------
    visits_per_week
        ``(n,)`` visit frequency: a whole number from 1 to ``n_days``, 0.5 (every 2 weeks)
        or 0.25 (every 4 weeks).
    workload_s
        ``(n,)`` seconds per visit: service time plus the point's share of travel.
    n_days
        Working weekdays from Monday: 5 for Mon-Fri, 6 adds Saturday.
    coords_m
        ``(n, 2)`` projected x, y in metres, for compact days.
    cost_s
        ``(n, n)`` travel time in seconds, for compact days. It is preferred over
        ``coords_m`` when both are given.
    closed_days
        ``(n, n_days)`` True where the point is closed that weekday.
    fixed_days
        Per point, a given weekday tuple (0 = Monday) or ``None``. A fixed tuple is used as
        is, even when it is not one of the allowed patterns.
    max_day_s
        Daily capacity (shift) in seconds. Days above it are avoided when possible and
        reported.
    days_off
        Weekdays (0 = Monday) on which no point without fixed days is visited, to pack the
        visits into fewer route-days. The balance then counts only the other days.
    demand_per_visit, max_day_demand
        ``(n,)`` volume per visit and the volume one day's route can carry. CP-SAT counts
        each day's volume above it in the imbalance, as it does workload above the shift,
        with one visit's mean volume weighing as much as one visit's mean workload. Days
        above it are reported. The greedy method of large territories does not look at it.
    settings
        Search parameters, by default those of :class:`ScheduleSettings`.
    seed
        Seed of k-means, of the sampling and of CP-SAT.
    time_limit_s
        Time budget in seconds. The same seed gives the same calendar unless this limit,
        rather than the deterministic effort limit, stops CP-SAT.

    Returns
    -------
    ScheduleResult
        Days and week per point, the workload per weekday, and a status and message that
        name every day outside the tolerance or above the shift.

    Raises
    ------
    ValueError
        For an invalid frequency (naming the point index and the value), a point whose
        closed days leave no allowed pattern, invalid fixed days or bad shapes.
    """
    started = time.monotonic()
    settings = settings if settings is not None else ScheduleSettings()
    if not time_limit_s > 0:
        raise ValueError(f"time_limit_s must be positive; got {time_limit_s}")
    problem = _build_problem(
        visits_per_week,
        workload_s,
        n_days=n_days,
        coords_m=coords_m,
        cost_s=cost_s,
        closed_days=closed_days,
        fixed_days=fixed_days,
        max_day_s=max_day_s,
        days_off=tuple(int(day) for day in days_off),
        demand_per_visit=demand_per_visit,
        max_day_demand=max_day_demand,
    )
    options = build_options(problem)
    band = DayBand.from_problem(problem, options, settings.day_tolerance)
    geometry = DayGeometry(problem, seed=seed)
    deadline = started + time_limit_s

    chosen, solver_status = _search(
        problem, options, band, geometry, settings, deadline=deadline, seed=seed
    )
    result = build_schedule_result(problem, options, chosen, band, settings, solver_status)
    logger.debug(
        "Visit days: %d points on %d days, %s (%s), in %.1f s",
        problem.n_points,
        problem.n_days,
        result.status,
        solver_status,
        time.monotonic() - started,
    )
    return result


def _search(
    problem: ScheduleProblem,
    options: VisitOptions,
    band: DayBand,
    geometry: DayGeometry,
    settings: ScheduleSettings,
    *,
    deadline: float,
    seed: int,
) -> tuple[np.ndarray, str]:
    """Alternate assignment rounds and day-centre updates; return the best assignment.

    A later round replaces the earlier assignment unless its imbalance is larger.
    """
    day_cost = geometry.initial_costs()
    chosen: np.ndarray | None = None
    solver_status = ""
    for round_index in range(settings.n_rounds):
        option_cost = _option_costs(options, day_cost)
        remaining_s = max(deadline - time.monotonic(), 0.0)
        candidate, status = _solve_round(
            problem,
            options,
            option_cost,
            band,
            chosen,
            settings,
            time_limit_s=remaining_s / (settings.n_rounds - round_index),
            seed=seed,
        )
        loads = options.slot_loads(candidate, problem.workload_s)
        if chosen is None or band.imbalance(loads) <= band.imbalance(
            options.slot_loads(chosen, problem.workload_s)
        ):
            chosen, solver_status = candidate, status
        if not geometry.enabled or time.monotonic() > deadline:
            break
        day_cost = geometry.costs_after(options, chosen)
    assert chosen is not None
    return chosen, solver_status


def _solve_round(
    problem: ScheduleProblem,
    options: VisitOptions,
    option_cost: np.ndarray,
    band: DayBand,
    previous: np.ndarray | None,
    settings: ScheduleSettings,
    *,
    time_limit_s: float,
    seed: int,
) -> tuple[np.ndarray, str]:
    """Assign options once for fixed day centres; return them and the method's status."""
    workload = problem.workload_s
    start = (
        previous if previous is not None else assign_greedily(options, workload, option_cost, band)
    )
    if problem.n_points <= settings.max_cp_sat_points:
        chosen, status = solve_with_cp_sat(
            options,
            workload,
            option_cost,
            band,
            start,
            settings,
            demand=_demand_limit(problem),
            time_limit_s=time_limit_s,
            seed=seed,
        )
        return chosen, f"CP-SAT {status}"
    chosen = improve_locally(
        options,
        workload,
        option_cost,
        band,
        start,
        max_passes=settings.max_local_search_passes,
        deadline=time.monotonic() + time_limit_s,
    )
    return chosen, "greedy and local search"


def _demand_limit(problem: ScheduleProblem) -> tuple[np.ndarray, float] | None:
    """Return the volume per visit and the daily limit, when the problem has both."""
    if problem.demand_per_visit is None or problem.max_day_demand is None:
        return None
    return problem.demand_per_visit, problem.max_day_demand


def _option_costs(options: VisitOptions, day_cost: np.ndarray) -> np.ndarray:
    """Return each option's compactness cost: its days' costs times its weekly share."""
    costs = np.array(
        [
            day_cost[point, list(days)].sum()
            for point, days in zip(options.point, options.days, strict=True)
        ]
    )
    return np.asarray(costs * options.weekly_share)


def _build_problem(
    visits_per_week: np.ndarray,
    workload_s: np.ndarray,
    *,
    n_days: int,
    coords_m: np.ndarray | None,
    cost_s: np.ndarray | None,
    closed_days: np.ndarray | None,
    fixed_days: Sequence[tuple[int, ...] | None] | None,
    max_day_s: float | None,
    days_off: tuple[int, ...],
    demand_per_visit: np.ndarray | None,
    max_day_demand: float | None,
) -> ScheduleProblem:
    """Convert the caller's arrays and build the validated problem."""
    frequencies = np.asarray(visits_per_week, dtype=np.float64)
    n = frequencies.shape[0] if frequencies.ndim == 1 else 0
    closed = (
        np.zeros((n, n_days), dtype=bool)
        if closed_days is None
        else np.asarray(closed_days, dtype=bool)
    )
    fixed = (
        tuple(None for _ in range(n))
        if fixed_days is None
        else tuple(
            None if days is None else tuple(int(day) for day in days) for days in fixed_days
        )
    )
    return ScheduleProblem(
        visits_per_week=frequencies,
        workload_s=np.asarray(workload_s, dtype=np.float64),
        n_days=n_days,
        closed_days=closed,
        fixed_days=fixed,
        coords_m=None if coords_m is None else np.asarray(coords_m, dtype=np.float64),
        cost_s=None if cost_s is None else np.asarray(cost_s),
        max_day_s=max_day_s,
        days_off=days_off,
        demand_per_visit=None
        if demand_per_visit is None
        else np.asarray(demand_per_visit, dtype=np.float64),
        max_day_demand=max_day_demand,
    )
