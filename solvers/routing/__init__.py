"""Vehicle routing on travel matrices, with PyVRP and OR-Tools backends.

Build a :class:`RoutingProblem` from matrices, depots, clients and vehicle types, then call
:func:`solve`. Clients that cannot be served are returned as :class:`Unserved` with a
machine-readable reason, and every returned plan has passed :func:`check_result` on the
unrounded inputs.
"""

from solvers.routing.checker import check_result
from solvers.routing.model import Client, Depot, RoutingProblem, ShiftBounds, VehicleType
from solvers.routing.ortools_backend import DEFAULT_ORTOOLS_SEARCH, OrToolsSearch
from solvers.routing.result import (
    UNSERVED_REASONS,
    Route,
    RoutingResult,
    Unserved,
    Visit,
)
from solvers.routing.solve import BACKENDS, DEFAULT_BACKEND, DEFAULT_MAX_ITERATIONS, solve

__all__ = [
    "BACKENDS",
    "DEFAULT_BACKEND",
    "DEFAULT_MAX_ITERATIONS",
    "DEFAULT_ORTOOLS_SEARCH",
    "UNSERVED_REASONS",
    "Client",
    "Depot",
    "OrToolsSearch",
    "Route",
    "RoutingProblem",
    "RoutingResult",
    "ShiftBounds",
    "Unserved",
    "VehicleType",
    "Visit",
    "check_result",
    "solve",
]
