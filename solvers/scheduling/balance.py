"""The band of balanced day workloads and the imbalance of a set of slot loads."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from solvers.scheduling.model import ScheduleProblem
from solvers.scheduling.options import VisitOptions


@dataclass(frozen=True, eq=False)
class DayBand:
    """Bounds on the workload of each slot (one weekday of one cycle week), in seconds.

    ``open_slots`` marks the slots on working days; slots on the problem's ``days_off`` are
    left out of the mean and of the balance.
    ``lower`` and ``upper`` are the mean workload of an open slot times
    ``1 ∓ day_tolerance``; ``capacity`` is the shift, or infinity.
    """

    mean: float
    lower: float
    upper: float
    capacity: float
    open_slots: np.ndarray

    @property
    def n_open(self) -> int:
        """Number of open slots."""
        return int(self.open_slots.sum())

    @classmethod
    def from_problem(
        cls, problem: ScheduleProblem, options: VisitOptions, day_tolerance: float
    ) -> DayBand:
        """Compute the band from the total workload of a cycle, which no choice changes."""
        first_options = options.first[:-1]
        total = float(problem.workload_s @ options.slots[first_options].sum(axis=1))
        working = np.ones(options.n_days, dtype=bool)
        working[list(problem.days_off)] = False
        open_slots = np.tile(working, options.n_weeks)
        mean = total / max(int(open_slots.sum()), 1)
        capacity = problem.max_day_s if problem.max_day_s is not None else math.inf
        return cls(
            mean=mean,
            lower=mean * (1.0 - day_tolerance),
            upper=mean * (1.0 + day_tolerance),
            capacity=capacity,
            open_slots=open_slots,
        )

    def imbalance(self, loads: np.ndarray) -> float:
        """Return the imbalance of slot loads, the quantity that the calendar minimises.

        It is the summed workload outside the band and above the capacity, plus the number
        of open slots times the largest excess outside the band, which spreads the excess
        over the days instead of piling it on one.
        """
        outside = np.maximum(loads - self.upper, 0.0) + np.maximum(self.lower - loads, 0.0)
        outside = np.where(self.open_slots, outside, 0.0)
        over = np.maximum(loads - self.capacity, 0.0)
        return float(outside.sum() + over.sum() + self.n_open * outside.max(initial=0.0))
