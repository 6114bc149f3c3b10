"""Backend-neutral description of a vehicle routing problem.

Times are seconds from a reference instant of the caller's choice (usually midnight of the
planning day), distances are metres, money is in the caller's currency. Every value is a float
and is checked when the object is built, so a solver backend never receives a malformed problem.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["Client", "Depot", "RoutingProblem", "ShiftBounds", "VehicleType"]


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _is_nonnegative(value: float) -> bool:
    return not math.isnan(value) and value >= 0.0


def _as_float_tuple(values: Sequence[float], name: str) -> tuple[float, ...]:
    result = tuple(float(value) for value in values)
    for value in result:
        _require(
            math.isfinite(value) and value >= 0.0,
            f"{name} = {result} must contain finite non-negative numbers",
        )
    return result


@dataclass(frozen=True)
class Depot:
    """A place where vehicles start or end their routes.

    Parameters
    ----------
    location
        Row and column of the depot in the problem's matrices.
    tw_early_s
        Opening time: no vehicle leaves the depot earlier.
    tw_late_s
        Closing time: vehicles leave this depot and return to it no later.
    name
        Label used in messages.
    """

    location: int
    tw_early_s: float = 0.0
    tw_late_s: float = math.inf
    name: str = ""

    def __post_init__(self) -> None:
        _require(self.location >= 0, f"Depot location = {self.location} must be >= 0")
        _require(
            math.isfinite(self.tw_early_s) and self.tw_early_s >= 0.0,
            f"Depot tw_early_s = {self.tw_early_s} must be a finite time >= 0",
        )
        _require(
            not math.isnan(self.tw_late_s) and self.tw_late_s >= self.tw_early_s,
            f"Depot tw_late_s = {self.tw_late_s} is before tw_early_s = {self.tw_early_s}; "
            "swap them",
        )


@dataclass(frozen=True)
class Client:
    """A stop to serve: one delivery or one visit.

    Service starts within one of the time windows, and it may end after the window closes. A
    10:00-10:15 window with 45 minutes of service is therefore feasible, with service starting
    no later than 10:15, and a zero-width window 14:00-14:00 means service starts exactly at
    14:00.

    Parameters
    ----------
    location
        Row and column of the client in the problem's matrices.
    demand
        Quantity delivered, one entry per capacity dimension (volume, weight, cases).
    service_s
        Time spent at the client.
    time_windows
        ``(tw_early_s, tw_late_s)`` pairs in increasing order, which must not overlap. Empty
        means the client accepts service at any time of the vehicle's shift.
    required
        Whether the client must be served. A required client is still left out, and reported,
        when no vehicle can serve it.
    penalty
        Cost of not serving an optional client. ``None`` derives a penalty larger than the cost
        of any route, so the client is left out only when it cannot be served.
    name
        Label used in messages.
    """

    location: int
    demand: tuple[float, ...]
    service_s: float = 0.0
    time_windows: tuple[tuple[float, float], ...] = ()
    required: bool = True
    penalty: float | None = None
    name: str = ""

    def __post_init__(self) -> None:
        label = self.name or f"at location {self.location}"
        _require(self.location >= 0, f"Client {label}: location must be >= 0")
        object.__setattr__(self, "demand", _as_float_tuple(self.demand, f"Client {label} demand"))
        _require(
            math.isfinite(self.service_s) and self.service_s >= 0.0,
            f"Client {label}: service_s = {self.service_s} must be a finite duration >= 0",
        )
        windows = tuple((float(early), float(late)) for early, late in self.time_windows)
        object.__setattr__(self, "time_windows", windows)
        self._check_windows(label)
        if self.penalty is not None:
            _require(
                not self.required,
                f"Client {label}: penalty = {self.penalty} applies only to optional clients; "
                "set required=False or leave penalty as None",
            )
            _require(
                math.isfinite(self.penalty) and self.penalty >= 0.0,
                f"Client {label}: penalty = {self.penalty} must be a finite amount >= 0",
            )

    def _check_windows(self, label: str) -> None:
        previous_late_s = -math.inf
        for early_s, late_s in self.time_windows:
            _require(
                math.isfinite(early_s) and early_s >= 0.0,
                f"Client {label}: window start {early_s} must be a finite time >= 0",
            )
            _require(
                not math.isnan(late_s) and late_s >= early_s,
                f"Client {label}: window ({early_s}, {late_s}) ends before it starts; "
                "swap its start and end",
            )
            _require(
                early_s >= previous_late_s,
                f"Client {label}: windows {self.time_windows} overlap or are out of order; "
                "sort them and merge overlapping ones",
            )
            previous_late_s = late_s


@dataclass(frozen=True)
class VehicleType:
    """A group of identical vehicles.

    Parameters
    ----------
    count
        Number of vehicles available.
    capacity
        Capacity per dimension, in the units of :attr:`Client.demand`.
    start_depot
        Index into :attr:`RoutingProblem.depots` where routes start.
    end_depot
        Index into :attr:`RoutingProblem.depots` where routes end. ``None`` means
        ``start_depot``.
    shift_start_s
        Earliest departure from the start depot.
    shift_end_s
        Latest return to the end depot.
    max_duration_s
        Maximum route duration, from leaving the depot to returning, waiting included.
    max_distance_m
        Maximum route distance.
    fixed_cost
        Cost of using one vehicle for one route.
    cost_per_km
        Cost per kilometre driven.
    cost_per_hour
        Cost per hour of route duration, waiting included.
    name
        Label used in messages.
    """

    count: int
    capacity: tuple[float, ...]
    start_depot: int = 0
    end_depot: int | None = None
    shift_start_s: float = 0.0
    shift_end_s: float = math.inf
    max_duration_s: float = math.inf
    max_distance_m: float = math.inf
    fixed_cost: float = 0.0
    cost_per_km: float = 0.0
    cost_per_hour: float = 0.0
    name: str = ""

    def __post_init__(self) -> None:
        label = self.name or "without name"
        _require(
            self.count >= 1,
            f"VehicleType {label}: count = {self.count} must be >= 1; "
            "leave out vehicle types with no vehicles",
        )
        capacity = _as_float_tuple(self.capacity, f"VehicleType {label} capacity")
        object.__setattr__(self, "capacity", capacity)
        _require(self.start_depot >= 0, f"VehicleType {label}: start_depot must be >= 0")
        _require(
            self.end_depot is None or self.end_depot >= 0,
            f"VehicleType {label}: end_depot = {self.end_depot} must be >= 0 or None",
        )
        _require(
            math.isfinite(self.shift_start_s) and self.shift_start_s >= 0.0,
            f"VehicleType {label}: shift_start_s = {self.shift_start_s} must be finite and >= 0",
        )
        _require(
            _is_nonnegative(self.shift_end_s) and self.shift_end_s >= self.shift_start_s,
            f"VehicleType {label}: shift_end_s = {self.shift_end_s} is before "
            f"shift_start_s = {self.shift_start_s}",
        )
        for name in ("max_duration_s", "max_distance_m"):
            value = getattr(self, name)
            _require(
                not math.isnan(value) and value > 0.0,
                f"VehicleType {label}: {name} = {value} must be > 0 (inf for no limit)",
            )
        for name in ("fixed_cost", "cost_per_km", "cost_per_hour"):
            value = getattr(self, name)
            _require(
                math.isfinite(value) and value >= 0.0,
                f"VehicleType {label}: {name} = {value} must be a finite amount >= 0",
            )

    @property
    def return_depot(self) -> int:
        """Index of the depot where this type's routes end."""
        return self.start_depot if self.end_depot is None else self.end_depot


@dataclass(frozen=True)
class ShiftBounds:
    """Times a vehicle type can work, once its shift and its depots' hours are combined."""

    earliest_departure_s: float
    latest_departure_s: float
    latest_return_s: float


def _checked_matrix(values: np.ndarray, name: str) -> np.ndarray:
    matrix = np.array(values, dtype=np.float64)
    _require(
        matrix.ndim == 2 and matrix.shape[0] == matrix.shape[1],
        f"{name} has shape {matrix.shape}; expected a square (n_locations, n_locations) matrix",
    )
    bad = np.argwhere(~np.isfinite(matrix))
    if len(bad):
        row, column = (int(i) for i in bad[0])
        raise ValueError(
            f"{name}[{row}, {column}] = {matrix[row, column]} is not finite "
            f"({len(bad)} such cells); remove unreachable locations before building the problem"
        )
    bad = np.argwhere(matrix < 0.0)
    if len(bad):
        row, column = (int(i) for i in bad[0])
        raise ValueError(f"{name}[{row}, {column}] = {matrix[row, column]} must be >= 0")
    diagonal = np.flatnonzero(np.diag(matrix))
    if len(diagonal):
        i = int(diagonal[0])
        raise ValueError(f"{name}[{i}, {i}] = {matrix[i, i]} must be 0 (a location to itself)")
    matrix.setflags(write=False)
    return matrix


@dataclass(frozen=True, eq=False)
class RoutingProblem:
    """A one-day routing problem on travel matrices.

    Parameters
    ----------
    duration_s
        Travel time from row location to column location, shape (n_locations, n_locations).
        Asymmetric values are allowed. Unreachable pairs must be removed by the caller: any
        inf or NaN is rejected.
    distance_m
        Travel distance, same shape and rules as ``duration_s``.
    depots
        Depots, indexed by :attr:`VehicleType.start_depot` and :attr:`VehicleType.end_depot`.
    clients
        Stops to serve. A location may be shared by several clients and depots.
    vehicle_types
        The fleet.
    initial_routes
        Client index sequences to start the search from. Route ``k`` goes to the ``k``-th
        vehicle, with vehicles numbered type by type in ``vehicle_types`` order.
    stability_penalty
        Cost paid for each client that no longer shares a route with the clients of its
        previous route (see ``previous_route_of``). The backends approximate it during the
        search (see :mod:`~solvers.routing.pyvrp_backend` and
        :mod:`~solvers.routing.ortools_backend`). The returned plan's objective counts it
        exactly, as :mod:`~solvers.routing.stability` defines it.
    previous_route_of
        For each client, the index of its route in an earlier plan, or -1 when it had none.
    """

    duration_s: np.ndarray
    distance_m: np.ndarray
    depots: tuple[Depot, ...]
    clients: tuple[Client, ...]
    vehicle_types: tuple[VehicleType, ...]
    initial_routes: tuple[tuple[int, ...], ...] | None = None
    stability_penalty: float = 0.0
    previous_route_of: tuple[int, ...] | None = None
    _shift_bounds: tuple[ShiftBounds, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "duration_s", _checked_matrix(self.duration_s, "duration_s"))
        object.__setattr__(self, "distance_m", _checked_matrix(self.distance_m, "distance_m"))
        _require(
            self.duration_s.shape == self.distance_m.shape,
            f"duration_s has shape {self.duration_s.shape} but distance_m has shape "
            f"{self.distance_m.shape}; both must cover the same locations",
        )
        object.__setattr__(self, "depots", tuple(self.depots))
        object.__setattr__(self, "clients", tuple(self.clients))
        object.__setattr__(self, "vehicle_types", tuple(self.vehicle_types))
        _require(len(self.depots) >= 1, "RoutingProblem needs at least one depot")
        _require(len(self.vehicle_types) >= 1, "RoutingProblem needs at least one vehicle type")
        self._check_locations()
        self._check_dimensions()
        bounds = tuple(self._compute_shift_bounds(t) for t in range(len(self.vehicle_types)))
        object.__setattr__(self, "_shift_bounds", bounds)
        self._check_plan_inputs()

    @property
    def n_locations(self) -> int:
        """Number of rows (and columns) of the matrices."""
        return int(self.duration_s.shape[0])

    @property
    def n_dimensions(self) -> int:
        """Number of capacity dimensions."""
        return len(self.vehicle_types[0].capacity)

    @property
    def n_vehicles(self) -> int:
        """Number of vehicles of all types together."""
        return sum(vehicle.count for vehicle in self.vehicle_types)

    def shift_bounds(self, vehicle_type: int) -> ShiftBounds:
        """Return when vehicles of one type may leave and must be back."""
        return self._shift_bounds[vehicle_type]

    def vehicle_type_of(self, vehicle: int) -> int:
        """Return the type of a vehicle numbered type by type in ``vehicle_types`` order."""
        first = 0
        for index, vehicle_type in enumerate(self.vehicle_types):
            if vehicle < first + vehicle_type.count:
                return index
            first += vehicle_type.count
        raise ValueError(f"vehicle {vehicle} is out of range; the fleet has {first} vehicles")

    def _check_locations(self) -> None:
        n = self.n_locations
        for index, depot in enumerate(self.depots):
            _require(
                depot.location < n,
                f"depots[{index}].location = {depot.location} is outside the {n}x{n} matrices",
            )
        for index, client in enumerate(self.clients):
            _require(
                client.location < n,
                f"clients[{index}].location = {client.location} is outside the {n}x{n} matrices",
            )
        for index, vehicle in enumerate(self.vehicle_types):
            for depot_index in (vehicle.start_depot, vehicle.return_depot):
                _require(
                    depot_index < len(self.depots),
                    f"vehicle_types[{index}] uses depot {depot_index}, but there are only "
                    f"{len(self.depots)} depots",
                )

    def _check_dimensions(self) -> None:
        n_dimensions = self.n_dimensions
        for index, vehicle in enumerate(self.vehicle_types):
            _require(
                len(vehicle.capacity) == n_dimensions,
                f"vehicle_types[{index}].capacity has {len(vehicle.capacity)} dimensions; "
                f"vehicle_types[0] has {n_dimensions}",
            )
        for index, client in enumerate(self.clients):
            _require(
                len(client.demand) == n_dimensions,
                f"clients[{index}].demand = {client.demand} has {len(client.demand)} "
                f"dimensions; the vehicle capacities have {n_dimensions}",
            )

    def _compute_shift_bounds(self, vehicle_type: int) -> ShiftBounds:
        vehicle = self.vehicle_types[vehicle_type]
        start_depot = self.depots[vehicle.start_depot]
        end_depot = self.depots[vehicle.return_depot]
        earliest_departure_s = max(vehicle.shift_start_s, start_depot.tw_early_s)
        latest_return_s = min(vehicle.shift_end_s, end_depot.tw_late_s)
        latest_departure_s = min(start_depot.tw_late_s, latest_return_s)
        _require(
            earliest_departure_s <= latest_departure_s,
            f"vehicle_types[{vehicle_type}]: the shift {vehicle.shift_start_s}-"
            f"{vehicle.shift_end_s} s leaves no time within the depots' opening hours; "
            "check the shift and the depot time windows",
        )
        return ShiftBounds(earliest_departure_s, latest_departure_s, latest_return_s)

    def _check_plan_inputs(self) -> None:
        n_clients = len(self.clients)
        _require(
            math.isfinite(self.stability_penalty) and self.stability_penalty >= 0.0,
            f"stability_penalty = {self.stability_penalty} must be a finite amount >= 0",
        )
        if self.initial_routes is not None:
            routes = tuple(tuple(int(c) for c in route) for route in self.initial_routes)
            object.__setattr__(self, "initial_routes", routes)
            _require(
                len(routes) <= self.n_vehicles,
                f"initial_routes has {len(routes)} routes but the fleet has "
                f"{self.n_vehicles} vehicles",
            )
            seen: set[int] = set()
            for route in routes:
                for client in route:
                    _require(
                        0 <= client < n_clients,
                        f"initial_routes refers to client {client}; valid: 0..{n_clients - 1}",
                    )
                    _require(client not in seen, f"initial_routes visits client {client} twice")
                    seen.add(client)
        if self.previous_route_of is not None:
            previous = tuple(int(route) for route in self.previous_route_of)
            object.__setattr__(self, "previous_route_of", previous)
            _require(
                len(previous) == n_clients,
                f"previous_route_of has {len(previous)} entries; expected one per client "
                f"({n_clients})",
            )
            _require(
                all(route >= -1 for route in previous),
                "previous_route_of entries must be route indexes >= 0, or -1 for none",
            )
