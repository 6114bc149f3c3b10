"""Routes, unserved clients and run facts returned by :func:`solvers.routing.solve`."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DEMAND_EXCEEDS_CAPACITY",
    "MAX_DISTANCE",
    "MAX_DURATION",
    "NOT_ROUTED",
    "UNSERVED_REASONS",
    "WINDOW_OUTSIDE_SHIFT",
    "WINDOW_SHORTER_THAN_SERVICE",
    "WINDOW_UNREACHABLE",
    "Route",
    "RoutingResult",
    "Unserved",
    "Visit",
]

DEMAND_EXCEEDS_CAPACITY = "demand_exceeds_capacity"
WINDOW_OUTSIDE_SHIFT = "window_outside_shift"
WINDOW_SHORTER_THAN_SERVICE = "window_shorter_than_service"
WINDOW_UNREACHABLE = "window_unreachable"
MAX_DURATION = "max_duration"
MAX_DISTANCE = "max_distance"
NOT_ROUTED = "not_routed"

UNSERVED_REASONS = (
    DEMAND_EXCEEDS_CAPACITY,
    WINDOW_OUTSIDE_SHIFT,
    WINDOW_SHORTER_THAN_SERVICE,
    WINDOW_UNREACHABLE,
    MAX_DURATION,
    MAX_DISTANCE,
    NOT_ROUTED,
)
"""Machine-readable reasons for :class:`Unserved`, stable across releases.

* ``demand_exceeds_capacity``: no vehicle type can carry the client's demand.
* ``window_outside_shift``: every time window lies entirely outside every vehicle's shift.
* ``window_shorter_than_service``: every window opens so late in the shift that the service,
  started at the opening, would end after the shift ends.
* ``window_unreachable``: starting at the beginning of the shift, a vehicle arrives after every
  window has closed, or cannot get back to its depot before the shift ends.
* ``max_duration``: depot to client and back, with the service, takes longer than every
  vehicle's ``max_duration_s``.
* ``max_distance``: depot to client and back is longer than every vehicle's ``max_distance_m``.
* ``not_routed``: the client could be served alone, but the solver left it out because the
  fleet, the shifts or the windows leave no room for it (or, for an optional client, because
  serving it costs more than its penalty).
"""


@dataclass(frozen=True)
class Visit:
    """One client served on a route.

    ``load`` is the load on board when the vehicle arrives, before this client's delivery is
    unloaded, one entry per capacity dimension.
    """

    client: int
    arrival_s: float
    start_s: float
    departure_s: float
    wait_s: float
    load: tuple[float, ...]


@dataclass(frozen=True)
class Route:
    """One vehicle's trip from its start depot through its visits to its end depot.

    Times come from the unrounded inputs. ``start_s`` is the departure from the depot and
    ``end_s`` the return, and ``duration_s`` is their difference, waiting included. ``load`` is the
    total delivered per dimension. Costs are ``fixed_cost``, ``distance_m / 1000 *
    cost_per_km`` and ``duration_s / 3600 * cost_per_hour`` of the vehicle type.
    """

    vehicle_type: int
    depot: int
    visits: tuple[Visit, ...]
    start_s: float
    end_s: float
    distance_m: float
    duration_s: float
    wait_s: float
    load: tuple[float, ...]
    cost_fixed: float
    cost_distance: float
    cost_time: float

    @property
    def cost_total(self) -> float:
        """Sum of the fixed, distance and time costs."""
        return self.cost_fixed + self.cost_distance + self.cost_time

    @property
    def clients(self) -> tuple[int, ...]:
        """Client indexes in visiting order."""
        return tuple(visit.client for visit in self.visits)


@dataclass(frozen=True)
class Unserved:
    """A client left out of the plan, with a reason from :data:`UNSERVED_REASONS`."""

    client: int
    reason: str
    detail: str


@dataclass(frozen=True)
class RoutingResult:
    """The plan found by one solve.

    Parameters
    ----------
    routes
        Routes with at least one visit.
    unserved
        Clients left out, each with its reason, ordered by client index.
    status
        Name of the backend's outcome: OR-Tools' routing status (``ROUTING_SUCCESS`` ...), or
        for PyVRP the criterion that stopped the search (``ITERATION_LIMIT``,
        ``NO_IMPROVEMENT``, ``TIME_LIMIT``). ``NOTHING_TO_ROUTE`` when no client reached a solver.
    backend
        ``"pyvrp"`` or ``"ortools"``.
    objective
        Total route cost, plus the penalties of unserved optional clients that have an
        explicit penalty, plus the stability penalties paid, from the unrounded inputs.
    runtime_s
        Wall-clock time of the whole solve, checks included.
    n_iterations
        Search iterations of PyVRP, or solutions found by OR-Tools.
    unused_vehicles
        Vehicles without a route, per vehicle type.
    reproducible
        Whether the search stopped on its iteration budget rather than on the time limit. Only
        then does the same seed guarantee the same routes.
    n_moved
        Clients that no longer share a route with the clients of their previous route.
    """

    routes: tuple[Route, ...]
    unserved: tuple[Unserved, ...]
    status: str
    backend: str
    objective: float
    runtime_s: float
    n_iterations: int | None
    unused_vehicles: tuple[int, ...] = ()
    reproducible: bool = True
    n_moved: int = 0
