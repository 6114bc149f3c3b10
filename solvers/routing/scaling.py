"""Integer version of a routing problem for the solver backends, with overflow checks.

Both PyVRP and OR-Tools work on integers. The conversion is conservative, so that a plan that
is feasible in integers stays feasible when replayed on the unrounded inputs:

* durations, service times and distances are rounded up to whole seconds and metres;
* window opening times and the earliest departure are rounded up, window closing times, latest
  departures and returns, the longest route duration and distance are rounded down;
* demand and capacity of each dimension are multiplied by ``10**k``, with the smallest
  ``k <= DEMAND_DECIMALS`` that makes every value of that dimension integral. Finer values are
  rounded conservatively (demand up, capacity down), so a positive demand never becomes 0;
* money is multiplied by ``money_scale``, a power of ten of at least 100 (cents) chosen so that
  the smallest non-zero cost per metre or per second becomes at least 100 units (rounding
  moves it by at most 0.5 %). When no vehicle type has a distance or time cost, one unit per
  metre is used so that the solvers still prefer short routes.

Values within 1e-6 of an integer count as that integer, so 0.4 * 1000 scales to 400.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from solvers.routing.model import RoutingProblem
from solvers.routing.prechecks import clip_windows

__all__ = [
    "DEMAND_DECIMALS",
    "MAX_OBJECTIVE",
    "MAX_SCALED_VALUE",
    "ScaledProblem",
    "ScaledVehicleType",
    "scale_problem",
]

DEMAND_DECIMALS = 3
MAX_SCALED_VALUE = 2**44
"""Largest scaled time, distance, demand or capacity. PyVRP 0.14 warns of overflow above it
(``pyvrp.constants.MAX_VALUE``)."""
MAX_OBJECTIVE = 2**56
"""Largest worst-case objective: every route at its cost bound plus every penalty. The margin
of 2**7 below int64 leaves room for the solvers' own penalty terms."""

_INTEGER_ATOL = 1e-6
_MIN_RATE_UNITS = 100
_MAX_MONEY_EXPONENT = 9


def round_up(value: float) -> int:
    """Round up, treating values within 1e-6 of an integer as that integer."""
    nearest = round(value)
    return int(nearest) if abs(value - nearest) <= _INTEGER_ATOL else math.ceil(value)


def round_down(value: float) -> int:
    """Round down, treating values within 1e-6 of an integer as that integer."""
    nearest = round(value)
    return int(nearest) if abs(value - nearest) <= _INTEGER_ATOL else math.floor(value)


@dataclass(frozen=True)
class ScaledVehicleType:
    """A vehicle type in integer units; times in seconds, distances in metres."""

    count: int
    capacity: tuple[int, ...]
    start_depot: int
    end_depot: int
    earliest_departure: int
    latest_departure: int
    latest_return: int
    max_duration: int
    max_distance: int
    fixed_cost: int
    unit_distance_cost: int
    unit_duration_cost: int
    route_cost_bound: int


@dataclass(frozen=True, eq=False)
class ScaledProblem:
    """The routable clients of a problem in integer units.

    Scaled client ``i`` is client ``clients[i]`` of the original problem. ``windows[i]`` contains
    at least one non-empty window, clipped to the fleet's working hours. ``dropped`` lists the
    clients left out because no window contains a whole second. Money is in units of
    ``1 / money_scale`` of the caller's currency.
    """

    clients: tuple[int, ...]
    dropped: tuple[int, ...]
    locations: np.ndarray
    duration: np.ndarray
    distance: np.ndarray
    service: np.ndarray
    windows: tuple[tuple[tuple[int, int], ...], ...]
    demand: np.ndarray
    demand_factors: tuple[int, ...]
    vehicle_types: tuple[ScaledVehicleType, ...]
    depot_locations: tuple[int, ...]
    required: np.ndarray
    penalties: np.ndarray
    stability_penalty: int
    money_scale: int
    horizon: int

    @property
    def n_clients(self) -> int:
        """Number of scaled clients."""
        return len(self.clients)


def _check_fits(name: str, value: float, limit: int, fix: str) -> None:
    if value > limit:
        raise ValueError(f"scaled {name} = {value:.6g} exceeds {limit:.6g}; {fix}")


def _demand_factor(values: Sequence[float]) -> int:
    for decimals in range(DEMAND_DECIMALS + 1):
        factor = 10**decimals
        if all(abs(v * factor - round(v * factor)) <= _INTEGER_ATOL for v in values):
            return factor
    return 10**DEMAND_DECIMALS


def _money_scale(problem: RoutingProblem) -> int:
    rates = [
        rate
        for vehicle in problem.vehicle_types
        for rate in (vehicle.cost_per_km / 1000.0, vehicle.cost_per_hour / 3600.0)
        if rate > 0.0
    ]
    exponent = 2
    if rates:
        smallest = min(rates)
        while exponent < _MAX_MONEY_EXPONENT and smallest * 10**exponent < _MIN_RATE_UNITS:
            exponent += 1
    return 10**exponent


def _scale_matrices(problem: RoutingProblem) -> tuple[np.ndarray, np.ndarray]:
    fix = "check the matrix units (seconds and metres) or split the problem"
    scaled = []
    for name, matrix in (("duration_s", problem.duration_s), ("distance_m", problem.distance_m)):
        _check_fits(name, float(matrix.max(initial=0.0)), MAX_SCALED_VALUE, fix)
        near = np.rint(matrix)
        rounded = np.where(np.abs(matrix - near) <= _INTEGER_ATOL, near, np.ceil(matrix))
        scaled.append(rounded.astype(np.int64))
    return scaled[0], scaled[1]


def _horizon(problem: RoutingProblem, clients: Sequence[int], max_arc: int) -> int:
    """Return an integer time that no route of the problem can need to exceed."""
    fix = "express times in seconds from the start of the planning day, or shorten the shifts"
    bounds = [problem.shift_bounds(t) for t in range(len(problem.vehicle_types))]
    if all(math.isfinite(b.latest_return_s) for b in bounds):
        horizon = max(round_down(b.latest_return_s) for b in bounds)
        _check_fits("horizon", horizon, MAX_SCALED_VALUE, fix)
        return horizon
    finite_times = [b.earliest_departure_s for b in bounds]
    finite_times += [b.latest_return_s for b in bounds if math.isfinite(b.latest_return_s)]
    for c in clients:
        finite_times += [t for w in problem.clients[c].time_windows for t in w if math.isfinite(t)]
    service = sum(round_up(problem.clients[c].service_s) for c in clients)
    # Waiting only ever lasts until some window opens, so after the latest finite time every
    # route is at most one arc per stop plus the service times.
    horizon = round_up(max(finite_times)) + (len(clients) + 1) * max_arc + service + 1
    _check_fits("horizon", horizon, MAX_SCALED_VALUE, fix)
    return horizon


def _scale_windows(
    problem: RoutingProblem, clients: Sequence[int], horizon: int
) -> list[tuple[tuple[int, int], ...]]:
    bounds = [problem.shift_bounds(t) for t in range(len(problem.vehicle_types))]
    start_s = min(b.earliest_departure_s for b in bounds)
    end_s = min(max(b.latest_return_s for b in bounds), float(horizon))
    scaled = []
    for c in clients:
        windows = problem.clients[c].time_windows or ((0.0, math.inf),)
        rounded = (
            (round_up(early), round_down(late))
            for early, late in clip_windows(windows, start_s, end_s)
        )
        scaled.append(tuple((early, late) for early, late in rounded if early <= late))
    return scaled


def _scale_demand(
    problem: RoutingProblem, clients: Sequence[int]
) -> tuple[np.ndarray, list[tuple[int, ...]], tuple[int, ...]]:
    n_dimensions = problem.n_dimensions
    demand = np.zeros((len(clients), n_dimensions), dtype=np.int64)
    capacities = [[0] * n_dimensions for _ in problem.vehicle_types]
    factors = []
    for d in range(n_dimensions):
        values = [problem.clients[c].demand[d] for c in clients]
        values += [vehicle.capacity[d] for vehicle in problem.vehicle_types]
        factor = _demand_factor(values)
        factors.append(factor)
        for i, c in enumerate(clients):
            demand[i, d] = round_up(problem.clients[c].demand[d] * factor)
        for t, vehicle in enumerate(problem.vehicle_types):
            capacities[t][d] = round_down(vehicle.capacity[d] * factor)
        largest = max(int(demand[:, d].sum()), *(cap[d] for cap in capacities))
        _check_fits(
            f"demand or capacity of dimension {d}",
            largest,
            MAX_SCALED_VALUE,
            "express demand in larger units",
        )
    return demand, [tuple(cap) for cap in capacities], tuple(factors)


def _scale_vehicle_type(
    problem: RoutingProblem,
    vehicle_type: int,
    capacity: tuple[int, ...],
    money_scale: int,
    horizon: int,
    route_distance_bound: int,
    fallback_distance_cost: bool,
) -> ScaledVehicleType:
    vehicle = problem.vehicle_types[vehicle_type]
    bounds = problem.shift_bounds(vehicle_type)
    earliest = round_up(bounds.earliest_departure_s)
    latest_return = round_down(min(bounds.latest_return_s, float(horizon)))
    max_duration = round_down(min(vehicle.max_duration_s, float(horizon)))
    max_distance = round_down(min(vehicle.max_distance_m, float(route_distance_bound)))
    unit_distance_cost = round(vehicle.cost_per_km / 1000.0 * money_scale)
    if fallback_distance_cost:
        unit_distance_cost = 1
    unit_duration_cost = round(vehicle.cost_per_hour / 3600.0 * money_scale)
    fixed_cost = round(vehicle.fixed_cost * money_scale)
    longest = min(max_duration, max(latest_return - earliest, 0))
    bound = fixed_cost + unit_distance_cost * max_distance + unit_duration_cost * longest
    # The unrounded rates may be slightly higher than the integer ones, so the bound covers both.
    unrounded = money_scale * (
        vehicle.fixed_cost
        + vehicle.cost_per_km / 1000.0 * max_distance
        + vehicle.cost_per_hour / 3600.0 * longest
    )
    bound = max(bound, math.ceil(unrounded))
    return ScaledVehicleType(
        count=vehicle.count,
        capacity=capacity,
        start_depot=vehicle.start_depot,
        end_depot=vehicle.return_depot,
        earliest_departure=earliest,
        latest_departure=round_down(min(bounds.latest_departure_s, float(latest_return))),
        latest_return=latest_return,
        max_duration=max_duration,
        max_distance=max_distance,
        fixed_cost=fixed_cost,
        unit_distance_cost=unit_distance_cost,
        unit_duration_cost=unit_duration_cost,
        route_cost_bound=bound,
    )


def _penalties(
    problem: RoutingProblem, clients: Sequence[int], money_scale: int, derived: int
) -> list[int]:
    """Return drop penalties: optional clients first, then required ones above them all."""
    penalties = [0] * len(clients)
    for i, c in enumerate(clients):
        client = problem.clients[c]
        if not client.required:
            penalties[i] = (
                derived if client.penalty is None else round(client.penalty * money_scale)
            )
    optional_total = sum(penalties)
    # A required client outweighs every optional client together, and any single route.
    for i, c in enumerate(clients):
        if problem.clients[c].required:
            penalties[i] = derived + optional_total
    return penalties


def scale_problem(problem: RoutingProblem, clients: Sequence[int]) -> ScaledProblem:
    """Convert the given clients of ``problem`` and its fleet to integers.

    A client whose windows contain no whole second once clipped to the fleet's working hours
    cannot be scheduled in integers. It is left out and listed in ``ScaledProblem.dropped``.

    Raises
    ------
    ValueError
        When a scaled quantity, or the worst-case objective, does not fit the solvers' integer
        ranges. The message names the quantity.
    """
    duration, distance = _scale_matrices(problem)
    horizon = _horizon(problem, clients, int(duration.max(initial=0)))
    all_windows = _scale_windows(problem, clients, horizon)
    kept = tuple(c for c, w in zip(clients, all_windows, strict=True) if w)
    windows = tuple(w for w in all_windows if w)
    demand, capacities, factors = _scale_demand(problem, kept)
    money_scale = _money_scale(problem)
    no_rates = all(v.cost_per_km == 0.0 and v.cost_per_hour == 0.0 for v in problem.vehicle_types)
    route_distance_bound = (len(kept) + 1) * int(distance.max(initial=0))
    vehicle_types = tuple(
        _scale_vehicle_type(
            problem, t, capacities[t], money_scale, horizon, route_distance_bound, no_rates
        )
        for t in range(len(problem.vehicle_types))
    )
    derived = max(v.route_cost_bound for v in vehicle_types) + 1
    penalties = _penalties(problem, kept, money_scale, derived)
    stability = round(problem.stability_penalty * money_scale)

    worst_routes = sum(v.count * v.route_cost_bound for v in vehicle_types)
    # PyVRP gets one copy of a client per window, each carrying the client's penalty.
    worst_penalties = sum(p * len(w) for p, w in zip(penalties, windows, strict=True))
    worst = worst_routes + worst_penalties + stability * len(kept)
    _check_fits(
        "worst-case objective",
        worst,
        MAX_OBJECTIVE,
        "lower the costs, penalties or stability_penalty, or split the problem",
    )
    return ScaledProblem(
        clients=kept,
        dropped=tuple(c for c, w in zip(clients, all_windows, strict=True) if not w),
        locations=np.array([problem.clients[c].location for c in kept], dtype=np.int64),
        duration=duration,
        distance=distance,
        service=np.array([round_up(problem.clients[c].service_s) for c in kept], np.int64),
        windows=windows,
        demand=demand,
        demand_factors=factors,
        vehicle_types=vehicle_types,
        depot_locations=tuple(depot.location for depot in problem.depots),
        required=np.array([problem.clients[c].required for c in kept], dtype=bool),
        penalties=np.array(penalties, dtype=np.int64),
        stability_penalty=stability,
        money_scale=money_scale,
        horizon=horizon,
    )
