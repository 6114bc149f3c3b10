"""Route building: one vehicle routing problem per territory, cycle week and weekday.

Each territory is worked by one vehicle of the fleet (the rep's), taken in fleet order; with
several depots, each territory gets the vehicle whose depot is nearest its customers. A
route-day problem contains the territory's depot and the customers visited that day. Customers
are required, so the solver drops one only when the day has no room for it, and returns the
reason.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment

from gtm_optimizer.calendar import VisitCalendar
from gtm_optimizer.execution import map_tasks
from gtm_optimizer.i18n import _
from gtm_optimizer.scenario import WEEKDAYS, Scenario, VehicleType, parse_clock
from solvers.routing import Client, Depot, RoutingProblem, RoutingResult, solve
from solvers.routing import VehicleType as SolverVehicleType

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RouteDay:
    """One routing problem: a territory's vehicle on one day of the cycle.

    ``points`` are indexes into the full matrix: ``points[0]`` is the depot and
    ``points[1 + c]`` the location of client ``c``; ``customer_rows[c]`` is client ``c``'s row
    in the customer table.
    """

    route_id: str
    territory_id: str
    week: int
    weekday: int
    vehicle: VehicleType
    depot_id: str
    points: np.ndarray
    customer_rows: np.ndarray
    problem: RoutingProblem


def vehicles_for_territories(scenario: Scenario, n_territories: int) -> list[VehicleType]:
    """Return the vehicle type of each territory: one vehicle each, in fleet order.

    When there are more territories than vehicles, the fleet is reused in order (a rep per
    territory, with the vehicle type's costs).
    """
    expanded = [vehicle for vehicle in scenario.fleet for _ in range(vehicle.count)]
    return [expanded[i % len(expanded)] for i in range(n_territories)]


def match_vehicles_to_territories(
    scenario: Scenario,
    territory_labels: np.ndarray,
    n_territories: int,
    duration_s: np.ndarray,
    customer_points: np.ndarray,
    depot_points: dict[str, int],
) -> list[VehicleType]:
    """Return the vehicle type of each territory, each vehicle at the depot nearest its area.

    The vehicles are those of :func:`vehicles_for_territories`. With a single depot every
    territory keeps the vehicle of its position. With several, a linear assignment (SciPy's
    ``linear_sum_assignment``) gives territory ``t`` vehicle ``v`` so that the summed mean round
    trip from each vehicle's depot to its territory's customers, in ``duration_s`` seconds, is
    least.
    """
    vehicles = vehicles_for_territories(scenario, n_territories)
    if len({vehicle.depot for vehicle in vehicles}) < 2:
        return vehicles
    cost = np.zeros((n_territories, len(vehicles)))
    for label in range(n_territories):
        points = customer_points[territory_labels == label]
        if points.size == 0:
            continue
        for index, vehicle in enumerate(vehicles):
            depot = depot_points[vehicle.depot]
            round_trip_s = duration_s[depot, points] + duration_s[points, depot]
            cost[label, index] = float(np.mean(round_trip_s))
    rows, columns = linear_sum_assignment(cost)
    matched = list(vehicles)
    for label, index in zip(rows, columns, strict=True):
        matched[int(label)] = vehicles[int(index)]
    return matched


def route_id(territory_id: str, week: int, weekday: int, cycle_weeks: int) -> str:
    """Return the display id of a route: ``T01-Mon``, or ``T01-W2-Mon`` in a multi-week cycle."""
    day = WEEKDAYS[weekday]
    if cycle_weeks == 1:
        return f"{territory_id}-{day}"
    return f"{territory_id}-W{week + 1}-{day}"


def build_route_days(
    scenario: Scenario,
    customers: pd.DataFrame,
    calendar: VisitCalendar,
    territory_labels: np.ndarray,
    territory_ids: tuple[str, ...],
    duration_s: np.ndarray,
    distance_m: np.ndarray,
    customer_points: np.ndarray,
    depot_points: dict[str, int],
) -> list[RouteDay]:
    """Build every route-day problem of the cycle.

    ``customer_points[row]`` and ``depot_points[depot_id]`` index the full matrices.
    """
    vehicles = match_vehicles_to_territories(
        scenario, territory_labels, len(territory_ids), duration_s, customer_points,
        depot_points,
    )
    depots = {depot.id: depot for depot in scenario.depots}
    by_day: dict[tuple[int, int, int], list[int]] = {}
    for row, visits in enumerate(calendar.visits):
        for week, weekday in visits:
            by_day.setdefault((int(territory_labels[row]), week, weekday), []).append(row)

    route_days = []
    for (label, week, weekday), rows in sorted(by_day.items()):
        vehicle = vehicles[label]
        depot = depots[vehicle.depot]
        points = np.array([depot_points[depot.id], *customer_points[rows]])
        problem = _problem(scenario, customers, rows, vehicle, depot.open, depot.close,
                           duration_s[np.ix_(points, points)], distance_m[np.ix_(points, points)])
        route_days.append(
            RouteDay(
                route_id=route_id(territory_ids[label], week, weekday, calendar.cycle_weeks),
                territory_id=territory_ids[label],
                week=week,
                weekday=weekday,
                vehicle=vehicle,
                depot_id=depot.id,
                points=points,
                customer_rows=np.asarray(rows),
                problem=problem,
            )
        )
    return route_days


def _problem(scenario: Scenario, customers: pd.DataFrame, rows: list[int], vehicle: VehicleType,
             depot_open: str, depot_close: str, duration_s: np.ndarray,
             distance_m: np.ndarray) -> RoutingProblem:
    shift_start, shift_end = vehicle.shift_s
    clients = []
    for location, row in enumerate(rows, start=1):
        start, end = customers["tw_start_s"].iat[row], customers["tw_end_s"].iat[row]
        windows = () if math.isnan(start) else ((float(start), float(end)),)
        clients.append(
            Client(
                location=location,
                demand=(float(customers["volume_per_visit"].iat[row]),),
                service_s=float(customers["service_s"].iat[row]),
                time_windows=windows,
                required=True,
                name=str(customers["customer_id"].iat[row]),
            )
        )
    max_duration = (vehicle.max_shift_h * 3600.0 if vehicle.max_shift_h is not None
                    else math.inf)
    solver_vehicle = SolverVehicleType(
        count=1,
        capacity=(vehicle.capacity,),
        start_depot=0,
        shift_start_s=max(shift_start, parse_clock(depot_open)),
        shift_end_s=min(shift_end, parse_clock(depot_close)),
        max_duration_s=max_duration,
        fixed_cost=vehicle.fixed_cost_per_day,
        cost_per_km=vehicle.cost_per_km,
        cost_per_hour=vehicle.cost_per_hour,
        name=vehicle.name,
    )
    return RoutingProblem(
        duration_s=np.asarray(duration_s, dtype=float),
        distance_m=np.asarray(distance_m, dtype=float),
        depots=(Depot(location=0),),
        clients=tuple(clients),
        vehicle_types=(solver_vehicle,),
    )


def solve_route_days(
    route_days: list[RouteDay],
    *,
    backend: str,
    time_limit_s: float,
    seed: int,
    workers: int = 0,
    no_improvement_iterations: int | None = None,
) -> list[RoutingResult]:
    """Solve every route-day problem in parallel; results follow ``route_days`` order.

    ``no_improvement_iterations`` ends a PyVRP search early once it stops improving (see
    :func:`solvers.routing.solve`).
    """
    started = time.perf_counter()
    tasks = [(day.problem, backend, time_limit_s, seed, no_improvement_iterations)
             for day in route_days]
    results = map_tasks(_solve_one, tasks, workers=workers)
    n_unserved = sum(len(result.unserved) for result in results)
    logger.info(
        _("Solved {problems} route-day problems with {backend} in {seconds:.1f} s ({unserved} "
          "visits unserved)").format(problems=len(route_days), backend=backend,
                                     seconds=time.perf_counter() - started, unserved=n_unserved)
    )
    return results


def _solve_one(problem: RoutingProblem, backend: str, time_limit_s: float, seed: int,
               no_improvement_iterations: int | None) -> RoutingResult:
    return solve(problem, backend=backend, time_limit_s=time_limit_s, seed=seed,
                 no_improvement_iterations=no_improvement_iterations)
