"""Workload per weekday, status and English message of a visit calendar."""

from __future__ import annotations

import numpy as np

from solvers.scheduling.balance import DayBand
from solvers.scheduling.model import ScheduleProblem, ScheduleResult
from solvers.scheduling.options import VisitOptions
from solvers.scheduling.patterns import WEEKDAY_NAMES
from solvers.scheduling.settings import ScheduleSettings

# Relative slack below which a load counts as inside its bound, against float rounding.
_SLACK = 1e-9

# Days listed in a message before the rest are only counted.
_MAX_LISTED = 5


def build_schedule_result(
    problem: ScheduleProblem,
    options: VisitOptions,
    chosen: np.ndarray,
    band: DayBand,
    settings: ScheduleSettings,
    solver_status: str,
) -> ScheduleResult:
    """Compute the workloads and the message of the chosen options."""
    loads = options.slot_loads(chosen, problem.workload_s).reshape(options.n_weeks, options.n_days)
    over = _over_capacity(loads, band)
    over_volume = _over_volume(problem, options, chosen)
    outside = _outside_band(loads, band, settings.day_tolerance)
    tolerance = f"±{_percent(settings.day_tolerance)} of the mean day {_duration(band.mean)}"
    if over or over_volume:
        status = "over_capacity"
        parts = []
        if over:
            parts.append(f"Days above the shift of {_duration(band.capacity)}: {_listing(over)}")
        if over_volume:
            parts.append(
                f"Days above the volume of {problem.max_day_demand:g} per route: "
                f"{_listing(over_volume)}"
            )
        message = ". ".join(parts)
        if outside:
            message += f". Days outside {tolerance}: {_listing(outside)}"
    elif outside:
        status = "unbalanced"
        message = f"Days outside {tolerance}: {_listing(outside)}"
    else:
        status = "balanced"
        message = f"Every day within {tolerance}"
    return ScheduleResult(
        days=tuple(options.days[row] for row in chosen),
        week=options.week[chosen].copy(),
        day_workload_s=loads.mean(axis=0),
        week_day_workload_s=loads,
        status=status,
        solver_status=solver_status,
        message=f"{message} ({solver_status}).",
    )


def _listing(items: list[str]) -> str:
    """Join the first ``_MAX_LISTED`` descriptions and count the rest."""
    listed = items[:_MAX_LISTED]
    if len(items) > _MAX_LISTED:
        listed.append(f"{len(items) - _MAX_LISTED} more days")
    return "; ".join(listed)


def _outside_band(loads: np.ndarray, band: DayBand, day_tolerance: float) -> list[str]:
    """Describe each day of each week outside the band, e.g. "Wed 5.2 h is 18 % above"."""
    found = []
    open_slots = band.open_slots.reshape(loads.shape)
    for week, day in np.argwhere(
        open_slots & ((loads > band.upper * (1 + _SLACK)) | (loads < band.lower * (1 - _SLACK)))
    ):
        load = float(loads[week, day])
        relative = load / band.mean - 1.0 if band.mean > 0 else 0.0
        side = "above" if relative > 0 else "below"
        found.append(
            f"{_slot_name(int(week), int(day), loads.shape[0])} {_duration(load)} is "
            f"{_percent(abs(relative))} {side}"
        )
    return found


def _over_capacity(loads: np.ndarray, band: DayBand) -> list[str]:
    """Describe each day of each week above the shift."""
    return [
        f"{_slot_name(int(week), int(day), loads.shape[0])} {_duration(float(loads[week, day]))}"
        for week, day in np.argwhere(loads > band.capacity * (1 + _SLACK))
    ]


def _over_volume(problem: ScheduleProblem, options: VisitOptions, chosen: np.ndarray) -> list[str]:
    """Describe each day of each week whose volume exceeds ``max_day_demand``."""
    if problem.demand_per_visit is None or problem.max_day_demand is None:
        return []
    limit = problem.max_day_demand
    volume = options.slot_loads(chosen, problem.demand_per_visit)
    volume = volume.reshape(options.n_weeks, options.n_days)
    return [
        f"{_slot_name(int(week), int(day), options.n_weeks)} {float(volume[week, day]):.0f}"
        for week, day in np.argwhere(volume > limit * (1 + _SLACK))
    ]


def _slot_name(week: int, day: int, n_weeks: int) -> str:
    """Name a slot: "Wed", or "Wed of week 2" in a cycle of several weeks."""
    name = WEEKDAY_NAMES[day]
    return name if n_weeks == 1 else f"{name} of week {week + 1}"


def _duration(seconds: float) -> str:
    """Format seconds as whole minutes below an hour ("45 min"), else hours ("5.2 h")."""
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _percent(share: float) -> str:
    """Format a share as a percentage with one decimal: 0.18 as "18 %", 0.055 as "5.5 %"."""
    return f"{100 * share:.1f}".removesuffix(".0") + " %"
