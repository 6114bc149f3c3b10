"""OR-Tools backend: local search on the scaled problem.

Every client is a node in its own disjunction with its drop penalty, so an over-constrained day
yields a partial plan. Several time windows are one cumul range with the gaps removed. A
depot is a node only when some vehicle starts or ends there, so it is never a stop.

:class:`OrToolsSearch` names the first solution strategy and the metaheuristic.

The search stops after ``max_iterations`` solutions (OR-Tools' ``solution_limit``) or at the
time limit, whichever comes first. OR-Tools' routing search has no random seed and is
deterministic for a given model and parameters. Two runs stopped by the solution limit
therefore return the same routes, but a run stopped by the time limit may not. ``seed`` is
unused.

Stability: each group of clients that shared a previous route gets
``AddSoftSameVehicleConstraint``, which charges the stability penalty once per extra vehicle
the group is spread over, not once per moved client. The plan is then judged on the exact
per-client count like every other.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from ortools.constraint_solver import pywrapcp, routing_enums_pb2

from solvers.routing.model import RoutingProblem
from solvers.routing.plan import BackendRun, PlannedRoute
from solvers.routing.scaling import ScaledProblem
from solvers.routing.stability import previous_groups

__all__ = ["DEFAULT_ORTOOLS_SEARCH", "OrToolsSearch", "solve_with_ortools"]

logger = logging.getLogger(__name__)

_TIME = "time"

# EVALUATOR_STRATEGY needs a first solution evaluator and SWEEP needs node coordinates, and
# this backend sets neither.
_FIRST_SOLUTION_STRATEGIES = tuple(
    value.name
    for value in routing_enums_pb2.FirstSolutionStrategy.Value.DESCRIPTOR.values
    if value.name not in ("UNSET", "EVALUATOR_STRATEGY", "SWEEP")
)
_METAHEURISTICS = tuple(
    value.name
    for value in routing_enums_pb2.LocalSearchMetaheuristic.Value.DESCRIPTOR.values
    if value.name != "UNSET"
)


@dataclass(frozen=True)
class OrToolsSearch:
    """Search strategy of the OR-Tools backend.

    The defaults come from ``benchmarks/routing.py``, which compared 13 pairs on X-n101-k25,
    X-n200-k36, X-n401-k29, R101 and RC201 at 10 s each (``benchmarks/results/routing.md``).
    They scored best on the two time-window instances, and second of the eight first solution
    strategies tried with guided local search on all five. PARALLEL_SAVINGS scored best on all
    five but ran 52 s under a 10 s limit on X-n749-k98.

    NOTE: with several hundred clients, a solve can overrun the time limit: X-n351-k40 took
    20 s under 10 s, and X-n701-k44 took 116 s under 60 s. In the comparison, only the savings
    strategies overran by more than 1.1 s, so they probably build their first plan without
    checking the clock.

    Parameters
    ----------
    first_solution_strategy
        Name of an OR-Tools ``FirstSolutionStrategy``, the heuristic that builds the starting
        plan, e.g. ``"PATH_CHEAPEST_ARC"`` or ``"SAVINGS"``.
    metaheuristic
        Name of an OR-Tools ``LocalSearchMetaheuristic``, the rule that lets the local search
        leave local optima, e.g. ``"GUIDED_LOCAL_SEARCH"``. ``"GREEDY_DESCENT"`` stops at
        the first local optimum.
    """

    first_solution_strategy: str = "SAVINGS"
    metaheuristic: str = "GUIDED_LOCAL_SEARCH"

    def __post_init__(self) -> None:
        if self.first_solution_strategy not in _FIRST_SOLUTION_STRATEGIES:
            raise ValueError(
                f"first_solution_strategy = {self.first_solution_strategy!r} is not one of "
                f"{_FIRST_SOLUTION_STRATEGIES}"
            )
        if self.metaheuristic not in _METAHEURISTICS:
            raise ValueError(
                f"metaheuristic = {self.metaheuristic!r} is not one of {_METAHEURISTICS}"
            )


DEFAULT_ORTOOLS_SEARCH = OrToolsSearch()


class _Nodes:
    """Translation between OR-Tools variable indexes, OR-Tools nodes and scaled clients.

    Nodes ``0 .. n_depot_nodes - 1`` are the depots that vehicles use, and node
    ``n_depot_nodes + i`` is scaled client ``i``. OR-Tools' variable indexes differ from nodes
    (a depot shared by several vehicles has one index per vehicle start and end), so every
    conversion goes through this class.
    """

    def __init__(self, scaled: ScaledProblem) -> None:
        used = sorted({d for v in scaled.vehicle_types for d in (v.start_depot, v.end_depot)})
        self.depot_node = {depot: node for node, depot in enumerate(used)}
        self.n_depot_nodes = len(used)
        self.n_nodes = len(used) + scaled.n_clients
        self.locations = np.concatenate(
            [[scaled.depot_locations[d] for d in used], scaled.locations]
        ).astype(np.int64)
        starts, ends = [], []
        for vehicle in scaled.vehicle_types:
            starts += [self.depot_node[vehicle.start_depot]] * vehicle.count
            ends += [self.depot_node[vehicle.end_depot]] * vehicle.count
        self.vehicle_types = [
            t for t, v in enumerate(scaled.vehicle_types) for _ in range(v.count)
        ]
        self.manager = pywrapcp.RoutingIndexManager(self.n_nodes, len(starts), starts, ends)

    def client_node(self, client: int) -> int:
        return self.n_depot_nodes + client

    def index_of_client(self, client: int) -> int:
        return int(self.manager.NodeToIndex(self.client_node(client)))

    def client_of_index(self, from_index: int) -> int:
        from_node = int(self.manager.IndexToNode(from_index))
        return from_node - self.n_depot_nodes

    def node_matrix(self, matrix: np.ndarray) -> np.ndarray:
        """Return a location matrix re-indexed by node."""
        return matrix[np.ix_(self.locations, self.locations)]


def _add_time(
    routing: pywrapcp.RoutingModel, nodes: _Nodes, scaled: ScaledProblem
) -> pywrapcp.RoutingDimension:
    service = np.concatenate([np.zeros(nodes.n_depot_nodes, np.int64), scaled.service])
    # Cumul at a node is the start of service there, so travel from it includes its service.
    transit = nodes.node_matrix(scaled.duration) + service[:, None]
    callback = routing.RegisterTransitMatrix(transit.tolist())
    routing.AddDimension(callback, scaled.horizon, scaled.horizon, False, _TIME)
    dimension = routing.GetDimensionOrDie(_TIME)
    for i, windows in enumerate(scaled.windows):
        cumul = dimension.CumulVar(nodes.index_of_client(i))
        cumul.SetRange(windows[0][0], windows[-1][1])
        for (_, late), (early, _) in itertools.pairwise(windows):
            if late + 1 <= early - 1:
                cumul.RemoveInterval(late + 1, early - 1)
    for v, t in enumerate(nodes.vehicle_types):
        vehicle = scaled.vehicle_types[t]
        start, end = dimension.CumulVar(routing.Start(v)), dimension.CumulVar(routing.End(v))
        start.SetRange(vehicle.earliest_departure, vehicle.latest_departure)
        end.SetRange(vehicle.earliest_departure, vehicle.latest_return)
        dimension.SetSpanUpperBoundForVehicle(vehicle.max_duration, v)
        dimension.SetSpanCostCoefficientForVehicle(vehicle.unit_duration_cost, v)
    # Finalizers run in the order added: the earliest return first, then the latest departure
    # that keeps it, which removes avoidable waiting.
    for v in range(len(nodes.vehicle_types)):
        routing.AddVariableMinimizedByFinalizer(dimension.CumulVar(routing.End(v)))
    for v in range(len(nodes.vehicle_types)):
        routing.AddVariableMaximizedByFinalizer(dimension.CumulVar(routing.Start(v)))
    return dimension


def _add_loads_and_distance(
    routing: pywrapcp.RoutingModel, nodes: _Nodes, scaled: ScaledProblem
) -> None:
    for d in range(scaled.demand.shape[1]):
        demand = [0] * nodes.n_depot_nodes + [int(x) for x in scaled.demand[:, d]]
        callback = routing.RegisterUnaryTransitVector(demand)
        capacities = [scaled.vehicle_types[t].capacity[d] for t in nodes.vehicle_types]
        routing.AddDimensionWithVehicleCapacity(callback, 0, capacities, True, f"load_{d}")
    distance = nodes.node_matrix(scaled.distance)
    callback = routing.RegisterTransitMatrix(distance.tolist())
    limits = [scaled.vehicle_types[t].max_distance for t in nodes.vehicle_types]
    routing.AddDimensionWithVehicleCapacity(callback, 0, limits, True, "distance")
    cost_callbacks: dict[int, int] = {}
    for v, t in enumerate(nodes.vehicle_types):
        vehicle = scaled.vehicle_types[t]
        unit = vehicle.unit_distance_cost
        if unit not in cost_callbacks:
            cost_callbacks[unit] = routing.RegisterTransitMatrix((distance * unit).tolist())
        routing.SetArcCostEvaluatorOfVehicle(cost_callbacks[unit], v)
        routing.SetFixedCostOfVehicle(vehicle.fixed_cost, v)


def _add_drops_and_stability(
    routing: pywrapcp.RoutingModel, nodes: _Nodes, problem: RoutingProblem, scaled: ScaledProblem
) -> None:
    for i in range(scaled.n_clients):
        routing.AddDisjunction([nodes.index_of_client(i)], int(scaled.penalties[i]))
    if problem.previous_route_of is None or scaled.stability_penalty == 0:
        return
    scaled_index = {c: i for i, c in enumerate(scaled.clients)}
    for members in previous_groups(problem.previous_route_of):
        indexes = [nodes.index_of_client(scaled_index[c]) for c in members if c in scaled_index]
        if len(indexes) > 1:
            routing.AddSoftSameVehicleConstraint(indexes, scaled.stability_penalty)


def _search_parameters(time_limit_s: float, max_iterations: int, search: OrToolsSearch) -> object:
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    strategies = routing_enums_pb2.FirstSolutionStrategy.Value
    parameters.first_solution_strategy = strategies.Value(search.first_solution_strategy)
    metaheuristics = routing_enums_pb2.LocalSearchMetaheuristic.Value
    parameters.local_search_metaheuristic = metaheuristics.Value(search.metaheuristic)
    parameters.time_limit.FromMilliseconds(max(1, round(time_limit_s * 1000.0)))
    parameters.solution_limit = max_iterations
    return parameters


def _warm_start(
    routing: pywrapcp.RoutingModel,
    nodes: _Nodes,
    scaled: ScaledProblem,
    initial_routes: Sequence[Sequence[int]],
) -> pywrapcp.Assignment | None:
    scaled_index = {c: i for i, c in enumerate(scaled.clients)}
    routes: list[list[int]] = [[] for _ in nodes.vehicle_types]
    for vehicle, route in enumerate(initial_routes):
        routes[vehicle] = [
            nodes.index_of_client(scaled_index[c]) for c in route if c in scaled_index
        ]
    assignment = routing.ReadAssignmentFromRoutes(routes, True)
    if assignment is None:
        logger.warning("OR-Tools rejected the initial routes as infeasible; starting cold")
    return assignment


def _read_plan(
    routing: pywrapcp.RoutingModel,
    nodes: _Nodes,
    scaled: ScaledProblem,
    solution: pywrapcp.Assignment,
    time_dimension: pywrapcp.RoutingDimension,
) -> tuple[PlannedRoute, ...]:
    plan = []
    for v, t in enumerate(nodes.vehicle_types):
        if not routing.IsVehicleUsed(solution, v):
            continue
        clients = []
        from_index = solution.Value(routing.NextVar(routing.Start(v)))
        while not routing.IsEnd(from_index):
            clients.append(scaled.clients[nodes.client_of_index(from_index)])
            from_index = solution.Value(routing.NextVar(from_index))
        departure = solution.Min(time_dimension.CumulVar(routing.Start(v)))
        plan.append(PlannedRoute(t, tuple(clients), float(departure)))
    return tuple(plan)


def solve_with_ortools(
    problem: RoutingProblem,
    scaled: ScaledProblem,
    *,
    time_limit_s: float,
    seed: int,
    max_iterations: int,
    initial_routes: Sequence[Sequence[int]] | None = None,
    keep_candidates: bool = False,
    search: OrToolsSearch = DEFAULT_ORTOOLS_SEARCH,
) -> BackendRun:
    """Search routes with OR-Tools and return its best plan.

    ``initial_routes`` are original client indexes per vehicle. ``seed`` and
    ``keep_candidates`` are accepted for a uniform backend interface. The stability penalty is
    part of the OR-Tools objective instead. ``search`` sets the first solution strategy and
    the metaheuristic.

    Raises
    ------
    RuntimeError
        When OR-Tools returns no solution. The message names its status.
    """
    started = time.perf_counter()
    nodes = _Nodes(scaled)
    routing = pywrapcp.RoutingModel(nodes.manager)
    time_dimension = _add_time(routing, nodes, scaled)
    _add_loads_and_distance(routing, nodes, scaled)
    _add_drops_and_stability(routing, nodes, problem, scaled)
    remaining_s = max(0.001, time_limit_s - (time.perf_counter() - started))
    parameters = _search_parameters(remaining_s, max_iterations, search)
    routing.CloseModelWithParameters(parameters)

    initial = _warm_start(routing, nodes, scaled, initial_routes) if initial_routes else None
    if initial is not None:
        solution = routing.SolveFromAssignmentWithParameters(initial, parameters)
    else:
        solution = routing.SolveWithParameters(parameters)
    status = routing_enums_pb2.RoutingSearchStatus.Value.Name(routing.status())
    if solution is None:
        raise RuntimeError(
            f"OR-Tools returned no solution (status {status}) within {time_limit_s:g} s; "
            "raise time_limit_s"
        )
    n_solutions = int(routing.solver().Solutions())
    reproducible = n_solutions >= max_iterations or status == "ROUTING_OPTIMAL"
    plan = _read_plan(routing, nodes, scaled, solution, time_dimension)
    return BackendRun((plan,), status, n_solutions, reproducible)
