"""Validated inputs and the result of a visit calendar."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solvers.scheduling.patterns import (
    WEEKDAY_NAMES,
    check_frequency,
    check_n_days,
    days_per_week,
)


@dataclass(frozen=True, eq=False)
class ScheduleProblem:
    """Inputs of a visit calendar, checked for shape, range and consistency.

    Build it through :func:`~solvers.scheduling.assign_visit_days`, which converts the
    caller's arrays. Every check raises ``ValueError`` naming the point index and the value.

    Parameters
    ----------
    visits_per_week
        ``(n,)`` visit frequency: 0.25, 0.5 or a whole number from 1 to ``n_days``.
    workload_s
        ``(n,)`` seconds per visit, service plus the point's share of travel.
    n_days
        Working weekdays from Monday.
    coords_m
        ``(n, 2)`` projected coordinates in metres, or ``None``.
    cost_s
        ``(n, n)`` travel time in seconds, or ``None``.
    closed_days
        ``(n, n_days)`` True where the point is closed on that weekday.
    fixed_days
        Given weekday set per point, or ``None`` for a free point.
    max_day_s
        Daily capacity (shift) in seconds, or ``None``.
    days_off
        Weekdays without visits for every point that has no fixed days, so that the visits
        pack into the other days.
    demand_per_visit
        ``(n,)`` volume delivered per visit, or ``None``.
    max_day_demand
        Volume one day's route can carry (the vehicle's capacity), or ``None``.
    """

    visits_per_week: np.ndarray
    workload_s: np.ndarray
    n_days: int
    closed_days: np.ndarray
    fixed_days: tuple[tuple[int, ...] | None, ...]
    coords_m: np.ndarray | None = None
    cost_s: np.ndarray | None = None
    max_day_s: float | None = None
    days_off: tuple[int, ...] = ()
    demand_per_visit: np.ndarray | None = None
    max_day_demand: float | None = None

    def __post_init__(self) -> None:
        check_n_days(self.n_days)
        n = self.n_points
        if self.visits_per_week.ndim != 1:
            raise ValueError(
                f"visits_per_week must be a 1-D array, one value per point; "
                f"got shape {self.visits_per_week.shape}"
            )
        for point, frequency in enumerate(self.visits_per_week):
            check_frequency(float(frequency), self.n_days, point=point)
        if self.workload_s.shape != (n,):
            raise ValueError(
                f"workload_s must have shape ({n},), one value per point; "
                f"got {self.workload_s.shape}"
            )
        bad = np.flatnonzero(~np.isfinite(self.workload_s) | (self.workload_s < 0))
        if bad.size:
            raise ValueError(
                f"point {bad[0]}: workload {self.workload_s[bad[0]]} s per visit; use a finite, "
                "non-negative number of seconds"
            )
        self._check_geometry()
        if self.closed_days.shape != (n, self.n_days):
            raise ValueError(
                f"closed_days must have shape ({n}, {self.n_days}), one row per point and one "
                f"column per working day; got {self.closed_days.shape}"
            )
        self._check_fixed_days()
        bad_days = [day for day in self.days_off if not 0 <= day < self.n_days]
        if bad_days or len(set(self.days_off)) >= self.n_days:
            raise ValueError(
                f"days_off = {self.days_off} must be distinct weekdays from 0 to "
                f"{self.n_days - 1} that leave at least one working day"
            )
        self._check_demand()
        if self.max_day_s is not None and not self.max_day_s > 0:
            raise ValueError(
                f"max_day_s must be a positive number of seconds; got {self.max_day_s}"
            )

    @property
    def n_points(self) -> int:
        """Number of points ``n``."""
        return int(self.visits_per_week.shape[0])

    def _check_geometry(self) -> None:
        n = self.n_points
        if self.coords_m is not None:
            if self.coords_m.shape != (n, 2):
                raise ValueError(
                    f"coords_m must have shape ({n}, 2) for {n} points; got {self.coords_m.shape}"
                )
            if not np.all(np.isfinite(self.coords_m)):
                point = int(np.argwhere(~np.isfinite(self.coords_m))[0, 0])
                raise ValueError(
                    f"point {point}: coordinates {self.coords_m[point].tolist()} are not finite"
                )
        if self.cost_s is not None:
            if self.cost_s.shape != (n, n):
                raise ValueError(
                    f"cost_s must have shape ({n}, {n}) for {n} points; got {self.cost_s.shape}"
                )
            bad = ~np.isfinite(self.cost_s) | (self.cost_s < 0)
            if np.any(bad):
                row, column = np.argwhere(bad)[0]
                raise ValueError(
                    f"cost_s must be finite and non-negative; cost_s[{row}, {column}] is "
                    f"{self.cost_s[row, column]}"
                )

    def _check_demand(self) -> None:
        if self.demand_per_visit is not None:
            if self.demand_per_visit.shape != (self.n_points,):
                raise ValueError(
                    f"demand_per_visit must have shape ({self.n_points},), one value per "
                    f"point; got {self.demand_per_visit.shape}"
                )
            bad = np.flatnonzero(~np.isfinite(self.demand_per_visit) | (self.demand_per_visit < 0))
            if bad.size:
                raise ValueError(
                    f"point {bad[0]}: demand {self.demand_per_visit[bad[0]]} per visit; use a "
                    "finite, non-negative number"
                )
        if self.max_day_demand is not None and not self.max_day_demand > 0:
            raise ValueError(
                f"max_day_demand must be a positive volume; got {self.max_day_demand}"
            )

    def _check_fixed_days(self) -> None:
        if len(self.fixed_days) != self.n_points:
            raise ValueError(
                f"fixed_days has {len(self.fixed_days)} entries for {self.n_points} points; "
                "give one weekday tuple or None per point"
            )
        for point, days in enumerate(self.fixed_days):
            if days is None:
                continue
            frequency = float(self.visits_per_week[point])
            needed = days_per_week(frequency)
            if any(not 0 <= day < self.n_days for day in days):
                raise ValueError(
                    f"point {point}: fixed days {days} must be weekdays from 0 (Mon) to "
                    f"{self.n_days - 1} ({WEEKDAY_NAMES[self.n_days - 1]})"
                )
            if len(set(days)) != len(days) or len(days) != needed:
                raise ValueError(
                    f"point {point}: fixed days {days} for {frequency:g} visits per week; give "
                    f"{needed} distinct weekdays"
                )
            closed = [day for day in days if self.closed_days[point, day]]
            if closed:
                names = ", ".join(WEEKDAY_NAMES[day] for day in closed)
                raise ValueError(
                    f"point {point}: fixed days {days} include {names}, when the point is "
                    "closed; change the fixed days or the closed days"
                )


@dataclass(frozen=True, eq=False)
class ScheduleResult:
    """A visit calendar (rutero): the weekdays and cycle week of each point's visits.

    Attributes
    ----------
    days
        Weekday tuple per point, 0 = Monday.
    week
        ``(n,)`` week of the cycle: 0 = every week, 1 or 2 = week A or B of a biweekly
        point, 1 to 4 = week of a point visited every 4 weeks.
    day_workload_s
        ``(n_days,)`` average weekly workload per weekday in seconds. A biweekly visit
        counts half and a four-weekly visit a quarter.
    week_day_workload_s
        ``(n_weeks, n_days)`` workload per weekday in each week of the cycle, in seconds.
        The cycle has 4 weeks when a point is visited every 4 weeks, 2 when one is visited
        every 2 weeks, else 1.
    status
        ``"balanced"`` when every day of every week is within the day tolerance and the
        capacity, ``"unbalanced"`` when a day is outside the tolerance, ``"over_capacity"``
        when a day exceeds ``max_day_s``.
    solver_status
        The method and its status, e.g. ``"CP-SAT OPTIMAL"`` or ``"greedy and local search"``.
    message
        English summary with the numbers of each day outside the tolerance or capacity.
    """

    days: tuple[tuple[int, ...], ...]
    week: np.ndarray
    day_workload_s: np.ndarray
    week_day_workload_s: np.ndarray
    status: str
    solver_status: str
    message: str
