"""The (weekday pattern, cycle week) options of each point and the day slots they fill."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solvers.scheduling.model import ScheduleProblem
from solvers.scheduling.patterns import (
    CYCLE_WEEKS,
    WEEKDAY_NAMES,
    cycle_weeks,
    format_days,
    visit_patterns,
)


@dataclass(frozen=True, eq=False)
class VisitOptions:
    """Every allowed (weekday pattern, week) option of every point.

    A slot is one weekday of one week of the cycle, numbered ``week * n_days + day``.
    Options of point ``i`` are rows ``first[i]:first[i + 1]``. ``slots`` marks the slots an
    option visits, and ``weekly_share`` is the share of weeks in which it visits: 1, 1/2 or
    1/4.
    """

    n_days: int
    n_weeks: int
    point: np.ndarray
    days: tuple[tuple[int, ...], ...]
    week: np.ndarray
    slots: np.ndarray
    weekly_share: np.ndarray
    first: np.ndarray

    @property
    def n_slots(self) -> int:
        """Number of slots, ``n_weeks * n_days``."""
        return self.n_weeks * self.n_days

    def of_point(self, point: int) -> range:
        """Return the option rows of one point."""
        return range(int(self.first[point]), int(self.first[point + 1]))

    def slot_loads(self, chosen: np.ndarray, workload_s: np.ndarray) -> np.ndarray:
        """Return the ``(n_slots,)`` workload of each slot for one chosen option per point."""
        return np.asarray(workload_s @ self.slots[chosen])


def build_options(problem: ScheduleProblem) -> VisitOptions:
    """List the options of every point, honouring fixed days and closed days.

    Raises
    ------
    ValueError
        When a point's closed days leave none of its allowed patterns, naming the point.
    """
    n_days = problem.n_days
    frequencies = [float(value) for value in problem.visits_per_week]
    n_weeks = max([CYCLE_WEEKS.get(value, 1) for value in frequencies], default=1)

    points: list[int] = []
    days: list[tuple[int, ...]] = []
    weeks: list[int] = []
    first = [0]
    for point, frequency in enumerate(frequencies):
        fixed = problem.fixed_days[point]
        patterns = (
            [tuple(sorted(fixed))]
            if fixed is not None
            else _open_patterns(problem, point, frequency)
        )
        for pattern in patterns:
            for week in cycle_weeks(frequency):
                points.append(point)
                days.append(pattern)
                weeks.append(week)
        first.append(len(points))

    week_array = np.array(weeks, dtype=np.int64)
    slots = np.zeros((len(points), n_weeks * n_days), dtype=np.float64)
    for row, (pattern, week) in enumerate(zip(days, weeks, strict=True)):
        for cycle_week in _visited_weeks(week, frequencies[points[row]], n_weeks):
            slots[row, [cycle_week * n_days + day for day in pattern]] = 1.0
    share = np.array(
        [1.0 / CYCLE_WEEKS.get(frequencies[point], 1) for point in points], dtype=np.float64
    )
    return VisitOptions(
        n_days=n_days,
        n_weeks=n_weeks,
        point=np.array(points, dtype=np.int64),
        days=tuple(days),
        week=week_array,
        slots=slots,
        weekly_share=share,
        first=np.array(first, dtype=np.int64),
    )


def _open_patterns(
    problem: ScheduleProblem, point: int, frequency: float
) -> list[tuple[int, ...]]:
    """Return the allowed patterns of a point that avoid its closed days and the days off."""
    allowed = visit_patterns(frequency, problem.n_days)
    closed = problem.closed_days[point].copy()
    closed[list(problem.days_off)] = True
    open_patterns = [pattern for pattern in allowed if not closed[list(pattern)].any()]
    if not open_patterns:
        closed_names = ", ".join(WEEKDAY_NAMES[day] for day in np.flatnonzero(closed))
        allowed_names = ", ".join(format_days(pattern) for pattern in allowed)
        raise ValueError(
            f"point {point}: closed on {closed_names or 'no day'}, which leaves no allowed "
            f"pattern for {frequency:g} visits per week (allowed: {allowed_names}); open a day, "
            "change the frequency or give fixed_days"
        )
    return open_patterns


def _visited_weeks(week: int, frequency: float, n_weeks: int) -> list[int]:
    """Return the 0-based cycle weeks in which an option visits."""
    if week == 0:
        return list(range(n_weeks))
    period = CYCLE_WEEKS[frequency]
    return [cycle_week for cycle_week in range(n_weeks) if cycle_week % period == week - 1]
