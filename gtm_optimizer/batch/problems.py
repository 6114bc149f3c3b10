"""One routing problem per territory for the day's orders, warm-started from the plan.

Each territory keeps its plan vehicle and depot. The day's problem holds the territory's
orders; its initial route is the plan's route of the same weekday and cycle week, restricted
to the customers that ordered, in the plan's order. Customers the plan did not visit that day
start outside it, and the solver inserts them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gtm_optimizer.batch.plan import Plan
from gtm_optimizer.routing import route_id
from gtm_optimizer.scenario import Scenario, VehicleType, parse_clock
from solvers.routing import Client, Depot, RoutingProblem, RoutingResult, solve
from solvers.routing import VehicleType as SolverVehicleType


@dataclass(frozen=True)
class RerouteDay:
    """The routing problem of one territory on the re-routed date.

    ``rows[c]`` is client ``c``'s row in the day's order table and ``points[1 + c]`` its
    point in the travel matrices; ``points[0]`` is the depot. ``week`` counts from 1.
    """

    route_id: str
    territory_id: str
    week: int
    weekday: int
    vehicle: VehicleType
    depot_id: str
    rows: np.ndarray
    points: np.ndarray
    problem: RoutingProblem
    warm_start: bool


def build_reroute_days(
    plan: Plan,
    orders: pd.DataFrame,
    duration_s: np.ndarray,
    distance_m: np.ndarray,
    depot_points: dict[str, int],
    *,
    week: int,
    weekday: int,
) -> list[RerouteDay]:
    """Build the problem of every territory that has orders.

    Parameters
    ----------
    plan
        The plan whose territories, vehicles and routes are kept.
    orders
        The day's routable orders: ``territory_id``, ``key``, ``customer_id``, ``volume``,
        ``service_s``, ``tw_start_s``, ``tw_end_s`` and ``point`` (row in the matrices).
    duration_s, distance_m
        Travel matrices over every point.
    depot_points
        Matrix point of each depot id.
    week, weekday
        Cycle week (from 1) and weekday (0 = Monday) of the date.
    """
    depots = {depot.id: depot for depot in plan.scenario.depots}
    days = []
    for territory_id, group in orders.groupby("territory_id", sort=True):
        vehicle = plan.vehicles[str(territory_id)]
        depot = depots[vehicle.depot]
        rows = group.index.to_numpy()
        points = np.array([depot_points[depot.id], *group["point"].to_numpy(int)])
        sequence = plan.route_sequence(str(territory_id), week, weekday)
        position = {key: c for c, key in enumerate(group["key"])}
        initial = tuple(position[key] for key in sequence if key in position)
        problem = _problem(
            plan.scenario,
            group,
            vehicle,
            depot.open,
            depot.close,
            duration_s[np.ix_(points, points)],
            distance_m[np.ix_(points, points)],
            (initial,) if initial else None,
        )
        days.append(
            RerouteDay(
                route_id=route_id(str(territory_id), week - 1, weekday, plan.cycle_weeks),
                territory_id=str(territory_id),
                week=week,
                weekday=weekday,
                vehicle=vehicle,
                depot_id=depot.id,
                rows=rows,
                points=points,
                problem=problem,
                warm_start=bool(initial),
            )
        )
    return days


def _problem(
    scenario: Scenario,
    group: pd.DataFrame,
    vehicle: VehicleType,
    depot_open: str,
    depot_close: str,
    duration_s: np.ndarray,
    distance_m: np.ndarray,
    initial_routes: tuple[tuple[int, ...], ...] | None,
) -> RoutingProblem:
    clients = []
    for location, order in enumerate(group.itertuples(index=False), start=1):
        start, end = float(order.tw_start_s), float(order.tw_end_s)
        windows = () if math.isnan(start) else ((start, end),)
        clients.append(
            Client(
                location=location,
                demand=(float(order.volume),),
                service_s=float(order.service_s),
                time_windows=windows,
                required=True,
                name=str(order.customer_id),
            )
        )
    shift_start, shift_end = vehicle.shift_s
    solver_vehicle = SolverVehicleType(
        count=1,
        capacity=(vehicle.capacity,),
        start_depot=0,
        shift_start_s=max(shift_start, parse_clock(depot_open)),
        shift_end_s=min(shift_end, parse_clock(depot_close)),
        max_duration_s=(
            vehicle.max_shift_h * 3600.0 if vehicle.max_shift_h is not None else math.inf
        ),
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
        initial_routes=initial_routes,
    )


def solve_day(
    problem: RoutingProblem, backend: str, time_limit_s: float, seed: int, max_iterations: int
) -> RoutingResult:
    """Solve one day's problem; a module-level function so that workers can import it."""
    return solve(
        problem,
        backend=backend,
        time_limit_s=time_limit_s,
        seed=seed,
        max_iterations=max_iterations,
    )
