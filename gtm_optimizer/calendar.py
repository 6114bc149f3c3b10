"""Visit calendar (rutero): adapts each territory's customers to the scheduling solver.

The calendar covers a cycle of weeks long enough for every frequency present: one week when
all customers are visited weekly or more, two weeks when some are visited every two weeks,
four when some are visited every four weeks. A customer's visits in the cycle are the
(week, weekday) pairs of its pattern.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gtm_optimizer.errors import InputError, Problem
from gtm_optimizer.i18n import _
from gtm_optimizer.scenario import WEEKDAYS
from solvers.scheduling import assign_visit_days

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class VisitCalendar:
    """Weekdays and cycle weeks of every customer's visits.

    ``visits[i]`` lists customer ``i``'s visits in the cycle as ``(week, weekday)`` pairs,
    weeks counted from 0 and weekdays from 0 = Monday.
    """

    cycle_weeks: int
    days: tuple[tuple[int, ...], ...]
    week: np.ndarray
    visits: tuple[tuple[tuple[int, int], ...], ...]
    day_workload_h: dict[str, np.ndarray]
    runtime_s: float

    def visit_days_label(self, row: int) -> str:
        """Return the weekdays of customer ``row`` as ``Mon+Thu``.

        The cycle week of a customer visited every two or four weeks is in :attr:`week`.
        """
        return "+".join(WEEKDAYS[day] for day in self.days[row])


def cycle_weeks_for(visits_per_week: np.ndarray) -> int:
    """Return the number of weeks after which every customer's calendar repeats."""
    if np.any(np.isclose(visits_per_week, 0.25)):
        return 4
    if np.any(np.isclose(visits_per_week, 0.5)):
        return 2
    return 1


def plan_calendar(
    customers: pd.DataFrame,
    territory_labels: np.ndarray,
    territory_ids: tuple[str, ...],
    workload_s_per_visit: np.ndarray,
    coords_m: np.ndarray,
    *,
    working_days: int,
    max_day_s: float,
    seed: int = 0,
    time_limit_s: float = 10.0,
) -> VisitCalendar:
    """Assign visit weekdays to every customer, territory by territory.

    Raises
    ------
    InputError
        If a customer's frequency or closed days leave no allowed weekday pattern; the
        problem names the customer.
    """
    started = time.perf_counter()
    n = len(customers)
    frequency = customers["visits_per_week"].to_numpy(float)
    cycle = cycle_weeks_for(frequency)
    days: list[tuple[int, ...]] = [()] * n
    week = np.zeros(n, dtype=int)
    day_workload: dict[str, np.ndarray] = {}
    closed = _closed_matrix(customers, working_days)

    for label, tid in enumerate(territory_ids):
        rows = np.flatnonzero(territory_labels == label)
        if rows.size == 0:
            day_workload[tid] = np.zeros(working_days)
            continue
        try:
            result = assign_visit_days(
                frequency[rows],
                workload_s_per_visit[rows],
                n_days=working_days,
                coords_m=coords_m[rows],
                closed_days=closed[rows],
                max_day_s=max_day_s,
                seed=seed,
                time_limit_s=time_limit_s,
            )
        except ValueError as error:
            raise _as_input_error(error, customers, rows) from error
        for local, row in enumerate(rows):
            days[row] = tuple(result.days[local])
            week[row] = int(result.week[local])
        day_workload[tid] = np.asarray(result.day_workload_s) / 3600.0

    visits = tuple(_cycle_visits(days[i], int(week[i]), frequency[i], cycle) for i in range(n))
    runtime = time.perf_counter() - started
    logger.info("Planned visit days for %d customers over a %d-week cycle in %.1f s",
                n, cycle, runtime)
    return VisitCalendar(cycle, tuple(days), week, visits, day_workload, runtime)


def _cycle_visits(days: tuple[int, ...], week: int, frequency: float,
                  cycle: int) -> tuple[tuple[int, int], ...]:
    if week == 0:
        return tuple((w, d) for w in range(cycle) for d in days)
    # Every two weeks: parity 1 or 2; every four weeks: week 1 to 4.
    period = 2 if np.isclose(frequency, 0.5) else 4
    return tuple((w, d) for w in range(cycle) if w % period == week - 1 for d in days)


def _closed_matrix(customers: pd.DataFrame, working_days: int) -> np.ndarray:
    closed = np.zeros((len(customers), working_days), dtype=bool)
    if "closed_days" not in customers:
        return closed
    for row, days in enumerate(customers["closed_days"]):
        for day in days or ():
            if day < working_days:
                closed[row, day] = True
    return closed


def _as_input_error(error: ValueError, customers: pd.DataFrame, rows: np.ndarray) -> InputError:
    text = str(error)
    customer_id = ""
    line = None
    if text.startswith("point "):
        local = int(text.split()[1].rstrip(":"))
        customer_id = str(customers["customer_id"].iat[rows[local]])
        line = int(customers["line"].iat[rows[local]])
    return InputError(
        [
            Problem(
                code="no_visit_pattern",
                message=_("no weekday pattern fits this customer: {detail}").format(detail=text),
                fix=_("Check visits_per_week and closed_days."),
                line=line,
                column="visits_per_week",
                customer_id=customer_id,
            )
        ]
    )
