"""Independent feasibility check of a routing result against the unrounded inputs.

The check trusts neither the solver nor the timetable code. It recomputes every arrival, load,
distance and cost of each reported route from the problem's float matrices, compares them with
the values the route reports, then checks them against capacities, windows, shifts and limits.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from solvers.routing.model import Client, RoutingProblem
from solvers.routing.prechecks import format_clock
from solvers.routing.result import UNSERVED_REASONS, Route, RoutingResult, Visit

__all__ = ["check_result"]

# Relative tolerance for loads, distances and costs, which are sums of floats.
_RTOL = 1e-6


def _close(value: float, expected: float) -> bool:
    return abs(value - expected) <= _RTOL * max(1.0, abs(expected))


def _all_close(values: tuple[float, ...], expected: np.ndarray) -> bool:
    return len(values) == len(expected) and all(
        _close(a, float(b)) for a, b in zip(values, expected, strict=True)
    )


def check_result(
    problem: RoutingProblem, result: RoutingResult, *, tolerance_s: float = 1.0
) -> list[str]:
    """Return every violation of ``result`` as a readable sentence; empty means feasible.

    Parameters
    ----------
    problem
        The problem that was solved.
    result
        The plan to check.
    tolerance_s
        Slack allowed on every time comparison, for float rounding.
    """
    violations = _check_coverage(problem, result)
    routes_per_type = Counter(route.vehicle_type for route in result.routes)
    for t, n_routes in sorted(routes_per_type.items()):
        if 0 <= t < len(problem.vehicle_types) and n_routes > problem.vehicle_types[t].count:
            violations.append(
                f"vehicle type {t} has {n_routes} routes but only "
                f"{problem.vehicle_types[t].count} vehicles"
            )
    for r, route in enumerate(result.routes):
        violations += _check_route(problem, r, route, tolerance_s)
    return violations


def _check_coverage(problem: RoutingProblem, result: RoutingResult) -> list[str]:
    n_clients = len(problem.clients)
    visited = Counter(visit.client for route in result.routes for visit in route.visits)
    unserved = Counter(item.client for item in result.unserved)
    violations = []
    for client in sorted(set(visited) | set(unserved)):
        if not 0 <= client < n_clients:
            violations.append(f"client {client} does not exist (valid: 0..{n_clients - 1})")
        elif visited[client] + unserved[client] > 1:
            violations.append(
                f"client {client} is visited {visited[client]} times and listed unserved "
                f"{unserved[client]} times; expected exactly once in total"
            )
    for client in range(n_clients):
        if client not in visited and client not in unserved:
            violations.append(f"client {client} is neither visited nor listed as unserved")
    for item in result.unserved:
        if item.reason not in UNSERVED_REASONS:
            violations.append(f"client {item.client} has unknown unserved reason {item.reason!r}")
    return violations


def _check_route(problem: RoutingProblem, r: int, route: Route, tolerance_s: float) -> list[str]:
    name = f"route {r}"
    if not 0 <= route.vehicle_type < len(problem.vehicle_types):
        return [f"{name} uses vehicle type {route.vehicle_type}, which does not exist"]
    if not route.visits:
        return [f"{name} has no visits; empty routes must not be listed"]
    if any(not 0 <= visit.client < len(problem.clients) for visit in route.visits):
        return [f"{name} visits a client that does not exist"]
    vehicle = problem.vehicle_types[route.vehicle_type]
    violations = []
    if route.depot != vehicle.start_depot:
        violations.append(
            f"{name} starts at depot {route.depot}, but its vehicle type starts at depot "
            f"{vehicle.start_depot}"
        )
    violations += _check_loads(problem, name, route)
    violations += _check_times(problem, name, route, tolerance_s)
    violations += _check_distance_and_costs(problem, name, route)
    return violations


def _check_loads(problem: RoutingProblem, name: str, route: Route) -> list[str]:
    vehicle = problem.vehicle_types[route.vehicle_type]
    demands = np.array([problem.clients[v.client].demand for v in route.visits], np.float64)
    demands = demands.reshape(len(route.visits), problem.n_dimensions)
    delivered = demands.sum(axis=0)
    violations = []
    for d, (total, capacity) in enumerate(zip(delivered, vehicle.capacity, strict=True)):
        if total > capacity * (1.0 + _RTOL):
            violations.append(
                f"{name} carries {total:g} in dimension {d}, above its capacity {capacity:g}"
            )
    if not _all_close(route.load, delivered):
        violations.append(f"{name} reports load {route.load} but delivers {tuple(delivered)}")
    on_board = delivered.copy()
    for visit, demand in zip(route.visits, demands, strict=True):
        if not _all_close(visit.load, on_board):
            violations.append(
                f"{name}: load on arrival at client {visit.client} is {visit.load}, "
                f"expected {tuple(float(x) for x in on_board)}"
            )
        on_board -= demand
    return violations


def _check_times(
    problem: RoutingProblem, name: str, route: Route, tolerance_s: float
) -> list[str]:
    vehicle = problem.vehicle_types[route.vehicle_type]
    bounds = problem.shift_bounds(route.vehicle_type)
    violations = []
    if route.start_s < bounds.earliest_departure_s - tolerance_s:
        violations.append(
            f"{name} leaves at {format_clock(route.start_s)}, before the shift starts at "
            f"{format_clock(bounds.earliest_departure_s)}"
        )
    if route.start_s > bounds.latest_departure_s + tolerance_s:
        violations.append(
            f"{name} leaves at {format_clock(route.start_s)}, after the depot closes at "
            f"{format_clock(bounds.latest_departure_s)}"
        )
    location = problem.depots[vehicle.start_depot].location
    time_s = route.start_s
    total_wait_s = 0.0
    for visit in route.visits:
        client = problem.clients[visit.client]
        expected_arrival_s = time_s + float(problem.duration_s[location, client.location])
        violations += _check_visit(name, visit, client, expected_arrival_s, tolerance_s)
        total_wait_s += visit.wait_s
        time_s = visit.departure_s
        location = client.location

    end_location = problem.depots[vehicle.return_depot].location
    expected_end_s = time_s + float(problem.duration_s[location, end_location])
    if abs(route.end_s - expected_end_s) > tolerance_s:
        violations.append(
            f"{name} returns at {format_clock(route.end_s)}; the matrix gives "
            f"{format_clock(expected_end_s)}"
        )
    if route.end_s > bounds.latest_return_s + tolerance_s:
        violations.append(
            f"{name} returns at {format_clock(route.end_s)}, after the shift ends at "
            f"{format_clock(bounds.latest_return_s)}"
        )
    if abs(route.duration_s - (route.end_s - route.start_s)) > tolerance_s:
        violations.append(f"{name} reports duration {route.duration_s:g} s, not end - start")
    if route.duration_s > vehicle.max_duration_s + tolerance_s:
        violations.append(
            f"{name} lasts {route.duration_s:g} s, above max_duration_s {vehicle.max_duration_s:g}"
        )
    if abs(route.wait_s - total_wait_s) > tolerance_s:
        violations.append(
            f"{name} reports {route.wait_s:g} s of waiting; visits add up to {total_wait_s:g} s"
        )
    return violations


def _check_visit(
    name: str, visit: Visit, client: Client, expected_arrival_s: float, tolerance_s: float
) -> list[str]:
    where = f"{name}, client {visit.client}"
    violations = []
    if abs(visit.arrival_s - expected_arrival_s) > tolerance_s:
        violations.append(
            f"{where}: arrival {format_clock(visit.arrival_s)} but the matrix gives "
            f"{format_clock(expected_arrival_s)}"
        )
    if visit.start_s < visit.arrival_s - tolerance_s:
        violations.append(f"{where}: service starts before the vehicle arrives")
    if abs(visit.wait_s - (visit.start_s - visit.arrival_s)) > tolerance_s:
        violations.append(f"{where}: wait {visit.wait_s:g} s is not start - arrival")
    if abs(visit.departure_s - (visit.start_s + client.service_s)) > tolerance_s:
        violations.append(f"{where}: departure is not start + service time {client.service_s:g} s")
    windows = client.time_windows
    if windows and not any(
        early - tolerance_s <= visit.start_s <= late + tolerance_s for early, late in windows
    ):
        spans = ", ".join(f"{format_clock(e)}-{format_clock(lt)}" for e, lt in windows)
        violations.append(
            f"{where}: service starts at {format_clock(visit.start_s)}, outside its windows "
            f"{spans}"
        )
    return violations


def _check_distance_and_costs(problem: RoutingProblem, name: str, route: Route) -> list[str]:
    vehicle = problem.vehicle_types[route.vehicle_type]
    locations = [problem.depots[vehicle.start_depot].location]
    locations += [problem.clients[visit.client].location for visit in route.visits]
    locations.append(problem.depots[vehicle.return_depot].location)

    violations = []
    arcs_s = problem.duration_s[locations[:-1], locations[1:]]
    arcs_m = problem.distance_m[locations[:-1], locations[1:]]
    if not (np.isfinite(arcs_s).all() and np.isfinite(arcs_m).all()):
        violations.append(f"{name} uses an arc with no finite travel time or distance")
    distance_m = float(arcs_m.sum())
    if not _close(route.distance_m, distance_m):
        violations.append(
            f"{name} reports {route.distance_m:g} m; the matrix gives {distance_m:g} m"
        )
    if distance_m > vehicle.max_distance_m * (1.0 + _RTOL):
        violations.append(
            f"{name} drives {distance_m:g} m, above max_distance_m {vehicle.max_distance_m:g}"
        )

    duration_s = route.end_s - route.start_s
    expected = {
        "fixed": (route.cost_fixed, vehicle.fixed_cost),
        "distance": (route.cost_distance, distance_m / 1000.0 * vehicle.cost_per_km),
        "time": (route.cost_time, duration_s / 3600.0 * vehicle.cost_per_hour),
    }
    for kind, (reported, recomputed) in expected.items():
        if not _close(reported, recomputed):
            violations.append(
                f"{name} reports {kind} cost {reported:.6g}; recomputed {recomputed:.6g}"
            )
    return violations
