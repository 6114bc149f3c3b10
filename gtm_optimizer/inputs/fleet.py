"""Checks that the customers fit the fleet and the plan: capacity, shifts, windows, territories.

These ask whether valid values can be served by this scenario, so they need both the customer
table and the scenario. A vehicle's working day is its shift cut to its depot's opening hours,
and to ``max_shift_h`` when set, as a run builds it.

* Service longer than every working day is an error: no fleet serves it, and it is usually a
  unit mistake (seconds written as minutes).
* A drop larger than every vehicle's capacity is a warning, and so are a window outside
  every working day and a service that cannot end before the working day ends. The run lists
  such a customer as unserved with that reason and routes everyone else. Orders are never
  split.
* The run uses the part of a window inside the working day, and service starts within that
  part. A window with less than half of its length inside is a warning.
* More territories than customers that can be served is an error that stops the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from gtm_optimizer.errors import ERROR, WARNING, Problem
from gtm_optimizer.i18n import _
from gtm_optimizer.scenario import Scenario, format_clock, parse_clock

__all__ = ["WorkingDay", "check_fleet_fit", "check_territory_count", "working_day"]

# Relative slack when comparing a drop with a capacity, so that 0.1 + 0.2 fits in 0.3.
_CAPACITY_RTOL = 1e-9


@dataclass(frozen=True)
class WorkingDay:
    """The hours the fleet can work, over every vehicle type, in seconds after midnight."""

    start_s: float
    end_s: float
    longest_s: float

    def label(self) -> str:
        """Return the hours as ``07:00-17:00``."""
        return f"{format_clock(self.start_s)}-{format_clock(self.end_s)}"


def working_day(scenario: Scenario) -> WorkingDay:
    """Return the earliest start, the latest end and the longest day of the fleet."""
    depots = {depot.id: depot for depot in scenario.depots}
    starts, ends, lengths = [], [], []
    for vehicle in scenario.fleet:
        depot = depots[vehicle.depot]
        shift_start, shift_end = vehicle.shift_s
        start_s = max(shift_start, parse_clock(depot.open))
        end_s = min(shift_end, parse_clock(depot.close))
        length_s = max(end_s - start_s, 0.0)
        if vehicle.max_shift_h is not None:
            length_s = min(length_s, vehicle.max_shift_h * 3600.0)
        starts.append(start_s)
        ends.append(end_s)
        lengths.append(length_s)
    return WorkingDay(min(starts), max(ends), max(lengths))


def check_fleet_fit(customers: pd.DataFrame, scenario: Scenario, *, file: str) -> list[Problem]:
    """Report customers the fleet cannot serve as given, one problem per customer and cause."""
    day = working_day(scenario)
    capacity = max(vehicle.capacity for vehicle in scenario.fleet)
    problems = []
    for row in range(len(customers)):
        located = _Located(customers, row, file)
        service = _service_problems(located, day)
        problems.extend(service)
        problems.extend(_capacity_problems(located, capacity, scenario.volume_unit))
        if not service:
            problems.extend(_window_problems(located, day))
    return problems


class _Located:
    """One customer row, and the problems located at it."""

    def __init__(self, customers: pd.DataFrame, row: int, file: str) -> None:
        self.values = customers.iloc[row]
        self.file = file

    def problem(
        self,
        code: str,
        message: str,
        fix: str,
        *,
        column: str,
        value: str,
        severity: Literal["error", "warning"] = ERROR,
    ) -> Problem:
        return Problem(
            code=code,
            message=message,
            fix=fix,
            file=self.file,
            line=int(self.values["line"]),
            column=column,
            customer_id=str(self.values["customer_id"]),
            value=value,
            severity=severity,
        )


def _service_problems(located: _Located, day: WorkingDay) -> list[Problem]:
    service_s = float(located.values["service_s"])
    if not service_s > day.longest_s:
        return []
    return [
        located.problem(
            "service_longer_than_shift",
            _(
                "service of {service:g} min is longer than the longest working day of {day:g} min"
            ).format(service=service_s / 60.0, day=day.longest_s / 60.0),
            _("Check the unit: service_min is minutes per visit."),
            column="service_min",
            value=f"{service_s / 60.0:g}",
        )
    ]


def _capacity_problems(located: _Located, capacity: float, unit: str) -> list[Problem]:
    drop = float(located.values["volume_per_visit"])
    if not drop > capacity * (1.0 + _CAPACITY_RTOL):
        return []
    return [
        located.problem(
            "demand_exceeds_capacity",
            _(
                "demand {drop:g} > largest capacity {capacity:g} ({unit} per visit); the "
                "customer is listed as unserved"
            ).format(drop=drop, capacity=capacity, unit=unit),
            _(
                "Add a larger vehicle type to the fleet, visit the customer more often, or check "
                "the volume."
            ),
            column="volume_per_visit",
            value=f"{drop:g}",
            severity=WARNING,
        )
    ]


def _window_problems(located: _Located, day: WorkingDay) -> list[Problem]:
    start_s = float(located.values["tw_start_s"])
    end_s = float(located.values["tw_end_s"])
    if np.isnan(start_s):
        return []
    window = f"{format_clock(start_s)}-{format_clock(end_s)}"

    def warning(code: str, message: str, fix: str) -> Problem:
        return located.problem(
            code, message, fix, column="tw_start", value=window, severity=WARNING
        )

    if end_s < day.start_s or start_s > day.end_s:
        return [
            warning(
                "window_outside_shift",
                _(
                    "time window {window} lies outside the working day {day}; the customer "
                    "is listed as unserved"
                ).format(window=window, day=day.label()),
                _("Correct the window, or extend the fleet's shift_start and shift_end."),
            )
        ]
    problems = []
    clipped = (max(start_s, day.start_s), min(end_s, day.end_s))
    if clipped != (day.start_s, day.end_s) and _mostly_outside((start_s, end_s), clipped):
        problems.append(
            warning(
                "window_clipped",
                _(
                    "time window {window} extends beyond the working day {day}; the run "
                    "uses {clipped}"
                ).format(
                    window=window,
                    day=day.label(),
                    clipped=f"{format_clock(clipped[0])}-{format_clock(clipped[1])}",
                ),
                _("Nothing to do if that is right; otherwise correct the window."),
            )
        )
    service_s = float(located.values["service_s"])
    if clipped[0] + service_s > day.end_s:
        problems.append(
            warning(
                "service_after_shift",
                _(
                    "service of {service:g} min starting when the window opens at {start} "
                    "ends after the working day ends at {end}; the customer is listed as "
                    "unserved"
                ).format(
                    service=service_s / 60.0,
                    start=format_clock(clipped[0]),
                    end=format_clock(day.end_s),
                ),
                _("Open the window earlier, or extend the fleet's shift_end."),
            )
        )
    return problems


def _mostly_outside(window: tuple[float, float], clipped: tuple[float, float]) -> bool:
    """Whether less than half of a window lies in the working day.

    Trimming a little off a long window (07:00-11:30 in a day from 07:30) changes nothing a
    planner would act on, and a window around the whole day (00:00-24:00) constrains nothing,
    so only a window that loses most of its length inside the day is reported.
    """
    length_s = window[1] - window[0]
    return clipped != window and (clipped[1] - clipped[0]) < 0.5 * length_s


def check_territory_count(scenario: Scenario, n_customers: int) -> list[Problem]:
    """Report a territory count above the number of customers that can be served."""
    territories = scenario.plan.territories
    if territories == "auto" or int(territories) <= n_customers:
        return []
    return [
        Problem(
            code="too_many_territories",
            message=_("{k} territories requested, only {n} customers").format(
                k=territories, n=n_customers
            ),
            fix=_("Lower plan.territories to at most the number of customers."),
            value=str(territories),
        )
    ]
