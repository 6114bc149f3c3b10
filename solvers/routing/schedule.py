"""Timetables and costs of routes, computed from the unrounded inputs.

Backends return a visiting order and a departure time in whole seconds. The timetable is then
replayed in floats: each arrival is the previous departure plus the travel time, and service
starts at the arrival or when the first window still open at that moment opens. Because the
integer model rounds travel and service up, the float timetable is never later than the
solver's, so every window the solver met is still met.

The departure is then delayed as far as the visits' windows allow, up to the total waiting
time, which removes waiting without moving the return: the route duration only shrinks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from solvers.routing.model import RoutingProblem
from solvers.routing.plan import PlannedRoute
from solvers.routing.result import Route, Visit

__all__ = ["build_route"]


@dataclass(frozen=True)
class _Timetable:
    arrivals_s: tuple[float, ...]
    starts_s: tuple[float, ...]
    window_ends_s: tuple[float, ...]
    end_s: float


def _timetable(
    problem: RoutingProblem, vehicle_type: int, clients: Sequence[int], departure_s: float
) -> _Timetable:
    vehicle = problem.vehicle_types[vehicle_type]
    location = problem.depots[vehicle.start_depot].location
    time_s = departure_s
    arrivals, starts, window_ends = [], [], []
    for c in clients:
        client = problem.clients[c]
        arrival_s = time_s + float(problem.duration_s[location, client.location])
        windows = client.time_windows or ((0.0, math.inf),)
        # The solver's plan meets some window. A missed one is left for the checker to report.
        early_s, late_s = next(
            ((early, late) for early, late in windows if late >= arrival_s), (arrival_s, arrival_s)
        )
        start_s = max(arrival_s, early_s)
        arrivals.append(arrival_s)
        starts.append(start_s)
        window_ends.append(late_s)
        time_s = start_s + client.service_s
        location = client.location
    end_location = problem.depots[vehicle.return_depot].location
    end_s = time_s + float(problem.duration_s[location, end_location])
    return _Timetable(tuple(arrivals), tuple(starts), tuple(window_ends), end_s)


def _departure_delay(
    timetable: _Timetable, departure_s: float, latest_departure_s: float
) -> float:
    """Return how long the departure can be delayed without moving the return.

    Delaying the departure by ``delay`` moves the start at visit ``i`` by
    ``max(0, delay - waited_i)``, where ``waited_i`` is the waiting up to and including visit
    ``i``. The moved start must stay within that visit's window.
    """
    delay = latest_departure_s - departure_s
    waited_s = 0.0
    for arrival_s, start_s, late_s in zip(
        timetable.arrivals_s, timetable.starts_s, timetable.window_ends_s, strict=True
    ):
        waited_s += start_s - arrival_s
        delay = min(delay, waited_s + late_s - start_s)
    return max(0.0, min(delay, waited_s))


def build_route(problem: RoutingProblem, planned: PlannedRoute) -> Route:
    """Return the route's timetable, loads, distance and costs from the unrounded inputs."""
    t = planned.vehicle_type
    vehicle = problem.vehicle_types[t]
    bounds = problem.shift_bounds(t)
    departure_s = min(
        max(planned.departure_s, bounds.earliest_departure_s), bounds.latest_departure_s
    )
    timetable = _timetable(problem, t, planned.clients, departure_s)
    departure_s += _departure_delay(timetable, departure_s, bounds.latest_departure_s)
    timetable = _timetable(problem, t, planned.clients, departure_s)

    demands = np.array([problem.clients[c].demand for c in planned.clients], dtype=np.float64)
    demands = demands.reshape(len(planned.clients), problem.n_dimensions)
    delivered = demands.sum(axis=0)
    on_board = delivered - np.vstack([np.zeros(problem.n_dimensions), np.cumsum(demands, 0)])
    visits = tuple(
        Visit(
            client=c,
            arrival_s=arrival_s,
            start_s=start_s,
            departure_s=start_s + problem.clients[c].service_s,
            wait_s=start_s - arrival_s,
            load=tuple(float(x) for x in on_board[i]),
        )
        for i, (c, arrival_s, start_s) in enumerate(
            zip(planned.clients, timetable.arrivals_s, timetable.starts_s, strict=True)
        )
    )

    locations = [problem.depots[vehicle.start_depot].location]
    locations += [problem.clients[c].location for c in planned.clients]
    locations.append(problem.depots[vehicle.return_depot].location)
    distance_m = float(problem.distance_m[locations[:-1], locations[1:]].sum())
    duration_s = timetable.end_s - departure_s
    return Route(
        vehicle_type=t,
        depot=vehicle.start_depot,
        visits=visits,
        start_s=departure_s,
        end_s=timetable.end_s,
        distance_m=distance_m,
        duration_s=duration_s,
        wait_s=sum(visit.wait_s for visit in visits),
        load=tuple(float(x) for x in delivered),
        cost_fixed=vehicle.fixed_cost,
        cost_distance=distance_m / 1000.0 * vehicle.cost_per_km,
        cost_time=duration_s / 3600.0 * vehicle.cost_per_hour,
    )
