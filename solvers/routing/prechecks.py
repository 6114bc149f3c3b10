"""Clients that no vehicle can serve, found and explained before any solver runs.

Each client is tried alone with every vehicle type. The checks ask whether the vehicle can
carry it, whether one of its windows falls in the shift, whether the vehicle can arrive before
the window closes and return before the shift ends, and whether the round trip fits the
maximum route duration and distance. A client that fails with every vehicle type is reported
with the reason of the vehicle type that came closest to serving it, so solvers only receive
clients that could at least be served on a route of their own.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from solvers.routing.model import Client, RoutingProblem
from solvers.routing.result import (
    DEMAND_EXCEEDS_CAPACITY,
    MAX_DISTANCE,
    MAX_DURATION,
    WINDOW_OUTSIDE_SHIFT,
    WINDOW_SHORTER_THAN_SERVICE,
    WINDOW_UNREACHABLE,
    Unserved,
)

__all__ = ["clip_windows", "find_unservable", "format_clock"]

# Check order: a vehicle type that fails a later check came closer to serving the client.
_STAGES = (
    DEMAND_EXCEEDS_CAPACITY,
    WINDOW_OUTSIDE_SHIFT,
    WINDOW_SHORTER_THAN_SERVICE,
    WINDOW_UNREACHABLE,
    MAX_DURATION,
    MAX_DISTANCE,
)

# Relative slack when comparing demand with capacity, so that 0.1 + 0.2 fits in 0.3.
_CAPACITY_RTOL = 1e-9


def format_clock(time_s: float) -> str:
    """Format seconds from the reference instant as ``HH:MM`` (``HH:MM:SS`` when needed)."""
    if math.isinf(time_s):
        return "open end"
    hours, remainder = divmod(round(time_s), 3600)
    minutes, seconds = divmod(remainder, 60)
    text = f"{hours:02d}:{minutes:02d}"
    return f"{text}:{seconds:02d}" if seconds else text


def _format_minutes(duration_s: float) -> str:
    return f"{round(duration_s / 60.0, 1):g} min"


def _format_windows(windows: Sequence[tuple[float, float]]) -> str:
    return ", ".join(f"{format_clock(early)}-{format_clock(late)}" for early, late in windows)


def clip_windows(
    windows: Sequence[tuple[float, float]], start_s: float, end_s: float
) -> tuple[tuple[float, float], ...]:
    """Intersect time windows with ``[start_s, end_s]``, dropping those entirely outside.

    A window that only touches the interval (ends exactly at ``start_s``) is kept as a
    zero-width window.
    """
    clipped = []
    for early_s, late_s in windows:
        if late_s >= start_s and early_s <= end_s:
            clipped.append((max(early_s, start_s), min(late_s, end_s)))
    return tuple(clipped)


def find_unservable(problem: RoutingProblem) -> tuple[Unserved, ...]:
    """Return the clients that no vehicle type can serve, ordered by client index."""
    unserved = []
    for index, client in enumerate(problem.clients):
        failures = [
            _first_failure(problem, client, vehicle_type)
            for vehicle_type in range(len(problem.vehicle_types))
        ]
        if any(failure is None for failure in failures):
            continue
        found = [failure for failure in failures if failure is not None]
        unserved.append(_explain(problem, index, client, found))
    return tuple(unserved)


def _explain(
    problem: RoutingProblem, index: int, client: Client, failures: list[tuple[str, str]]
) -> Unserved:
    reason = max((reason for reason, _ in failures), key=_STAGES.index)
    if reason == DEMAND_EXCEEDS_CAPACITY:
        return Unserved(index, reason, _capacity_detail(problem, client))
    vehicle_type, detail = next(
        (t, detail) for t, (r, detail) in enumerate(failures) if r == reason
    )
    if len(problem.vehicle_types) > 1:
        name = problem.vehicle_types[vehicle_type].name or str(vehicle_type)
        detail = f"{detail} (vehicle type {name}, the closest to serving it)"
    return Unserved(index, reason, detail)


def _capacity_detail(problem: RoutingProblem, client: Client) -> str:
    for dimension, demand in enumerate(client.demand):
        largest = max(vehicle.capacity[dimension] for vehicle in problem.vehicle_types)
        if demand > largest * (1.0 + _CAPACITY_RTOL):
            suffix = f" (dimension {dimension})" if problem.n_dimensions > 1 else ""
            return f"demand {demand:g} > largest capacity {largest:g}{suffix}"
    return f"demand {client.demand} fits no single vehicle type in every dimension at once"


def _first_failure(
    problem: RoutingProblem, client: Client, vehicle_type: int
) -> tuple[str, str] | None:
    """Return the first check this vehicle type fails for the client alone, with numbers."""
    vehicle = problem.vehicle_types[vehicle_type]
    for demand, capacity in zip(client.demand, vehicle.capacity, strict=True):
        if demand > capacity * (1.0 + _CAPACITY_RTOL):
            return DEMAND_EXCEEDS_CAPACITY, ""

    bounds = problem.shift_bounds(vehicle_type)
    shift = (bounds.earliest_departure_s, bounds.latest_return_s)
    windows = clip_windows(client.time_windows, *shift) if client.time_windows else (shift,)
    if not windows:
        return WINDOW_OUTSIDE_SHIFT, (
            f"windows {_format_windows(client.time_windows)} lie outside the shift "
            f"{_format_windows([shift])}"
        )
    if client.time_windows and all(
        early + client.service_s > bounds.latest_return_s for early, _ in windows
    ):
        early = windows[0][0]
        return WINDOW_SHORTER_THAN_SERVICE, (
            f"service of {_format_minutes(client.service_s)} starting when the window opens at "
            f"{format_clock(early)} ends after the shift ends at "
            f"{format_clock(bounds.latest_return_s)}"
        )
    return _travel_failure(problem, client, vehicle_type, windows)


def _travel_failure(
    problem: RoutingProblem,
    client: Client,
    vehicle_type: int,
    windows: tuple[tuple[float, float], ...],
) -> tuple[str, str] | None:
    vehicle = problem.vehicle_types[vehicle_type]
    bounds = problem.shift_bounds(vehicle_type)
    start_location = problem.depots[vehicle.start_depot].location
    end_location = problem.depots[vehicle.return_depot].location
    outbound_s = float(problem.duration_s[start_location, client.location])
    inbound_s = float(problem.duration_s[client.location, end_location])

    arrival_s = bounds.earliest_departure_s + outbound_s
    open_windows = [(early, late) for early, late in windows if late >= arrival_s]
    if not open_windows:
        return WINDOW_UNREACHABLE, (
            f"earliest arrival {format_clock(arrival_s)} is after the window closes at "
            f"{format_clock(windows[-1][1])}"
        )
    start_s = max(arrival_s, open_windows[0][0])
    return_s = start_s + client.service_s + inbound_s
    if return_s > bounds.latest_return_s:
        return WINDOW_UNREACHABLE, (
            f"earliest return to the depot {format_clock(return_s)} is after the shift ends at "
            f"{format_clock(bounds.latest_return_s)}"
        )

    round_trip_s = outbound_s + client.service_s + inbound_s
    if round_trip_s > vehicle.max_duration_s:
        return MAX_DURATION, (
            f"depot to client and back with service takes {_format_minutes(round_trip_s)} > "
            f"max duration {_format_minutes(vehicle.max_duration_s)}"
        )
    round_trip_m = float(
        problem.distance_m[start_location, client.location]
        + problem.distance_m[client.location, end_location]
    )
    if round_trip_m > vehicle.max_distance_m:
        return MAX_DISTANCE, (
            f"depot to client and back is {round(round_trip_m / 1000.0, 3):g} km > max "
            f"distance {round(vehicle.max_distance_m / 1000.0, 3):g} km"
        )
    return None
