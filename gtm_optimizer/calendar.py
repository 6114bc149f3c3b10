"""Visit calendar (rutero): adapts each territory's customers to the scheduling solver.

The calendar covers a cycle of weeks long enough for every frequency present: one week when
all customers are visited weekly or more, two weeks when some are visited every two weeks,
four when some are visited every four weeks. A customer's visits in the cycle are the
(week, weekday) pairs of its pattern.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gtm_optimizer.code_labels import balance_label
from gtm_optimizer.errors import InputError, Problem
from gtm_optimizer.i18n import _, ngettext
from gtm_optimizer.scenario import WEEKDAYS
from solvers.scheduling import ScheduleResult, ScheduleSettings, assign_visit_days
from solvers.scheduling.packing import choose_days_off

logger = logging.getLogger(__name__)

# plan_calendar leaves the solver's settings at their defaults, so this is the day tolerance
# that its calendars were balanced to.
DAY_TOLERANCE = ScheduleSettings().day_tolerance


@dataclass(frozen=True)
class VisitCalendar:
    """Weekdays and cycle weeks of every customer's visits.

    ``visits[i]`` lists customer ``i``'s visits in the cycle as ``(week, weekday)`` pairs,
    weeks counted from 0 and weekdays from 0 = Monday. ``days_off`` gives, per territory id,
    the weekdays without routes when the calendar packs visits into fewer days.
    """

    cycle_weeks: int
    days: tuple[tuple[int, ...], ...]
    week: np.ndarray
    visits: tuple[tuple[tuple[int, int], ...], ...]
    day_workload_h: dict[str, np.ndarray]
    runtime_s: float
    days_off: dict[str, tuple[int, ...]] = field(default_factory=dict)

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
    max_day_volume: float | None = None,
    day_fill: float | None = None,
    min_working_days: dict[str, int] | None = None,
    seed: int = 0,
    time_limit_s: float = 10.0,
) -> VisitCalendar:
    """Assign visit weekdays to every customer, territory by territory.

    Each day of a territory should fit one shift of ``max_day_s`` and, with
    ``max_day_volume``, one vehicle load of the customers' ``volume_per_visit``.

    With ``day_fill``, each territory gets days off so that its estimated weekly workload
    fills as few shifts of ``max_day_s`` as it can at that share of a shift
    (:func:`~solvers.scheduling.packing.choose_days_off`); the days off are in
    :attr:`VisitCalendar.days_off`. ``min_working_days`` raises the number of working days of
    the territories it names. Without ``day_fill``, every territory works every working day.

    Raises
    ------
    InputError
        If a customer's frequency or closed days leave no allowed weekday pattern; the
        problem names the customer.
    """
    started = time.perf_counter()
    n = len(customers)
    frequency = customers["visits_per_week"].to_numpy(float)
    volume = customers["volume_per_visit"].to_numpy(float) if max_day_volume else None
    cycle = cycle_weeks_for(frequency)
    days: list[tuple[int, ...]] = [()] * n
    week = np.zeros(n, dtype=int)
    day_workload: dict[str, np.ndarray] = {}
    days_off: dict[str, tuple[int, ...]] = {}
    closed = _closed_matrix(customers, working_days)

    for label, tid in enumerate(territory_ids):
        rows = np.flatnonzero(territory_labels == label)
        if rows.size == 0:
            day_workload[tid] = np.zeros(working_days)
            days_off[tid] = ()
            continue
        days_off[tid] = ()
        if day_fill is not None:
            days_off[tid] = choose_days_off(
                frequency[rows], workload_s_per_visit[rows], n_days=working_days,
                max_day_s=max_day_s, fill=day_fill, closed_days=closed[rows],
                demand_per_visit=None if volume is None else volume[rows],
                max_day_demand=max_day_volume, min_days=(min_working_days or {}).get(tid, 1),
            )
        try:
            result = assign_visit_days(
                frequency[rows],
                workload_s_per_visit[rows],
                n_days=working_days,
                coords_m=coords_m[rows],
                closed_days=closed[rows],
                max_day_s=max_day_s,
                days_off=days_off[tid],
                demand_per_visit=None if volume is None else volume[rows],
                max_day_demand=max_day_volume,
                seed=seed,
                time_limit_s=time_limit_s,
            )
        except ValueError as error:
            raise _as_input_error(error, customers, rows) from error
        if result.status != "balanced":
            _log_unbalanced_days(tid, result, frequency[rows], max_day_s,
                                 None if volume is None else volume[rows], max_day_volume)
        for local, row in enumerate(rows):
            days[row] = tuple(result.days[local])
            week[row] = int(result.week[local])
        day_workload[tid] = np.asarray(result.day_workload_s) / 3600.0

    visits = tuple(cycle_visits(days[i], int(week[i]), frequency[i], cycle) for i in range(n))
    runtime = time.perf_counter() - started
    customers_text = ngettext("{count} customer", "{count} customers", n).format(count=n)
    # English writes "a 1-week cycle" and "a 2-week cycle" alike, but Spanish needs both forms.
    logger.info(
        ngettext("Planned visit days for {customers} over a {weeks}-week cycle in {seconds:.1f} s",
                 "Planned visit days for {customers} over a {weeks}-week cycle in {seconds:.1f} s",
                 cycle).format(customers=customers_text, weeks=cycle, seconds=runtime)
    )
    return VisitCalendar(cycle, tuple(days), week, visits, day_workload, runtime, days_off)


def _log_unbalanced_days(territory_id: str, result: ScheduleResult, frequency: np.ndarray,
                         max_day_s: float, volume: np.ndarray | None,
                         max_day_volume: float | None) -> None:
    """Warn that a territory's days are above a shift or a vehicle load, or uneven.

    The days with visits are uneven when one of them lies outside the day tolerance around
    their mean. Days without visits are left out: a territory too small to fill every
    working day is no news to the planner, although the solver counts it as unbalanced.
    The solver's English message, which lists each day outside its bounds, goes to the debug
    log in every case.
    """
    logger.debug("Visit days solver message for %s: %s", territory_id, result.message)
    loads_h = np.asarray(result.week_day_workload_s, dtype=float) / 3600.0
    worked_h = loads_h[loads_h > 0]
    if result.status != "over_capacity" and not _uneven(worked_h, DAY_TOLERANCE):
        return
    volume_text = ""
    if volume is not None and max_day_volume:
        volume_text = "; " + _("largest day volume {volume:g}, vehicle load {load:g}").format(
            volume=_largest_day_volume(result, volume, frequency), load=max_day_volume)
    logger.warning(
        _(
            "Visit days of territory {territory}: {status}; busiest day {busiest_h:.1f} h, "
            "quietest day with visits {quietest_h:.1f} h, shift {shift_h:.1f} h{volume_text}"
        ).format(
            territory=territory_id,
            status=balance_label(result.status),
            busiest_h=float(worked_h.max()) if worked_h.size else 0.0,
            quietest_h=float(worked_h.min()) if worked_h.size else 0.0,
            shift_h=max_day_s / 3600.0,
            volume_text=volume_text,
        )
    )


def _uneven(worked_h: np.ndarray, tolerance: float) -> bool:
    """Return whether a day's workload lies outside ``1 ± tolerance`` times the days' mean."""
    if worked_h.size == 0:
        return False
    mean_h = float(worked_h.mean())
    # The slack keeps days that are equal up to float rounding inside the tolerance.
    slack_h = 1e-9 * mean_h
    upper_h = mean_h * (1.0 + tolerance) + slack_h
    lower_h = mean_h * (1.0 - tolerance) - slack_h
    return bool(worked_h.max() > upper_h or worked_h.min() < lower_h)


def _largest_day_volume(result: ScheduleResult, volume: np.ndarray,
                        frequency: np.ndarray) -> float:
    """Return the largest volume delivered on one day of the cycle, over every week."""
    n_weeks = int(np.asarray(result.week_day_workload_s).shape[0])
    totals: dict[tuple[int, int], float] = {}
    for point, days in enumerate(result.days):
        for slot in cycle_visits(days, int(result.week[point]), frequency[point], n_weeks):
            totals[slot] = totals.get(slot, 0.0) + float(volume[point])
    return max(totals.values(), default=0.0)


def cycle_visits(days: tuple[int, ...], week: int, frequency: float,
                 cycle: int) -> tuple[tuple[int, int], ...]:
    """Return the ``(week, weekday)`` visits in a cycle of ``cycle`` weeks.

    ``week`` is 0 for a customer visited every week, else its week of the 2- or 4-week period.
    """
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
