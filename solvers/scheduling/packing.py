"""Days off that pack a territory's visits into as few working days as its shift allows.

A route-day costs its vehicle's fixed cost whether the day is full or not, so a territory whose
weekly workload fits in three shifts is cheaper served on three days than spread thin over
five. :func:`choose_days_off` picks how many days and which ones:

1. the fewest working days ``k`` such that the weekly workload fits in ``k`` shifts, and
   the weekly volume in ``k`` vehicle loads, each filled to ``fill``, and at least as many
   days as the most frequent point visits;
2. among the ``k``-day sets on which every point still has an allowed pattern (its
   frequency's patterns, avoiding its closed days; points with fixed days keep them), the
   set whose working days are spread most evenly over the week;
3. if no ``k``-day set suits every point, ``k + 1`` days, and so on up to every day.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

from solvers.scheduling.patterns import visit_patterns

__all__ = ["choose_days_off"]

# Calendar days in a week: the gap from the last working day to the next week's first.
_WEEK_DAYS = 7


def choose_days_off(
    visits_per_week: np.ndarray,
    workload_s: np.ndarray,
    *,
    n_days: int,
    max_day_s: float,
    fill: float,
    closed_days: np.ndarray | None = None,
    fixed_days: Sequence[tuple[int, ...] | None] | None = None,
    demand_per_visit: np.ndarray | None = None,
    max_day_demand: float | None = None,
    min_days: int = 1,
) -> tuple[int, ...]:
    """Return the weekdays (0 = Monday) to leave without visits, possibly none.

    Parameters
    ----------
    visits_per_week
        ``(n,)`` visit frequency of each point, as in
        :func:`~solvers.scheduling.assign_visit_days`.
    workload_s
        ``(n,)`` seconds per visit, service plus the point's share of travel.
    n_days
        Working weekdays from Monday.
    max_day_s
        Shift length in seconds.
    fill
        Share of a shift that the estimated workload may fill, in (0, 1]; the rest absorbs
        the error of the estimate and the legs from and to the depot.
    closed_days
        ``(n, n_days)`` True where the point is closed.
    fixed_days
        Given weekdays per point, or None; fixed points constrain nothing here, because
        they keep their days.
    demand_per_visit, max_day_demand
        ``(n,)`` volume per visit and the volume of one vehicle load, or None.
    min_days
        Fewest working days to keep, for a caller that found the estimate too optimistic.

    Returns
    -------
    tuple of int
        The days off, in increasing order.
    """
    if not 0.0 < fill <= 1.0:
        raise ValueError(f"fill = {fill} must be in (0, 1], e.g. 0.85 for 85 % of a shift")
    if not max_day_s > 0.0:
        raise ValueError(f"max_day_s = {max_day_s} must be a positive number of seconds")
    frequency = np.asarray(visits_per_week, dtype=float)
    n = frequency.size
    if n == 0:
        return ()
    weekly_s = float(np.asarray(workload_s, dtype=float) @ frequency)
    by_volume = 1
    if demand_per_visit is not None and max_day_demand is not None:
        weekly_volume = float(np.asarray(demand_per_visit, dtype=float) @ frequency)
        by_volume = math.ceil(weekly_volume / (max_day_demand * fill) - 1e-9)
    needed = max(
        math.ceil(weekly_s / (max_day_s * fill) - 1e-9),
        by_volume,
        math.ceil(float(frequency.max())),
        min_days,
    )
    closed = np.zeros((n, n_days), dtype=bool) if closed_days is None else closed_days
    fixed = [None] * n if fixed_days is None else list(fixed_days)
    free = [point for point in range(n) if fixed[point] is None]
    for n_working in range(min(needed, n_days), n_days):
        candidates = [
            days
            for days in itertools.combinations(range(n_days), n_working)
            if _suits_every_point(set(days), free, frequency, closed, n_days)
        ]
        if candidates:
            best = max(candidates, key=lambda days: _spread(days, n_days))
            return tuple(day for day in range(n_days) if day not in best)
    return ()


def _suits_every_point(
    working: set[int], points: list[int], frequency: np.ndarray, closed: np.ndarray, n_days: int
) -> bool:
    """Return whether every point has an allowed pattern on open ``working`` days."""
    for point in points:
        open_days = {day for day in working if not closed[point, day]}
        patterns = visit_patterns(float(frequency[point]), n_days)
        if not any(set(pattern) <= open_days for pattern in patterns):
            return False
    return True


def _spread(days: tuple[int, ...], n_days: int) -> tuple[int, int, tuple[int, ...]]:
    """Rank a set of working days: largest smallest gap, then smallest gap sum of squares.

    Gaps are counted in calendar days, the last working day followed by the first of the
    next week, so Mon+Thu (gaps 3 and 4) ranks above Mon+Tue (1 and 6). Ties go to the
    earlier days: Mon+Thu before Mon+Fri (4 and 3).
    """
    gaps = [later - earlier for earlier, later in itertools.pairwise(days)]
    gaps.append(days[0] + _WEEK_DAYS - days[-1])
    # Earlier days first among equals: negate so that max() prefers the smaller tuple.
    return min(gaps), -sum(gap * gap for gap in gaps), tuple(-day for day in days)
