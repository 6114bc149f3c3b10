"""PyVRP backend: iterated local search on the scaled problem.

The search runs in up to two phases. The first treats required clients as required, which is
PyVRP's fastest mode (optional clients make each iteration about three times slower on
X-n101-k25 with PyVRP 0.14). When that phase finds no feasible plan within a tenth of the
iteration budget or half the time limit, it stops there, the day is taken as over-constrained,
and a second phase makes every client optional with its drop penalty as prize, which yields a
partial plan. A first phase that has a feasible plan searches on until its budget runs out.

A client with several time windows becomes one copy per window in a mutually exclusive client
group, so at most one copy is visited.

PyVRP has no objective term for stability. With a stability penalty, the search starts from the
previous routes and every new best solution it finds is returned as a candidate, so the caller
can pick the one with the lowest cost plus penalties. The search itself does not weigh
stability, so a plan that trades a little cost for stability is found only when it lies on the
search's path. The previous plan, when feasible, always does.

The search stops after ``max_iterations`` iterations, or at the time limit, whichever comes
first. With ``no_improvement_iterations``, it also stops once it has a feasible plan and that
many iterations in a row have not improved the best one. Iterations are counted by the search
itself, so two runs with the same seed and budgets return the same routes, provided neither
reaches the time limit first. The run's ``reproducible`` flag shows which budget ended it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyvrp
from pyvrp import (
    ClientGroup,
    IteratedLocalSearchCallbacks,
    IteratedLocalSearchParams,
    Location,
    PenaltyParams,
    ProblemData,
    Solution,
    SolveParams,
)

from solvers.routing.model import RoutingProblem
from solvers.routing.plan import BackendRun, PlannedRoute
from solvers.routing.scaling import ScaledProblem

__all__ = ["solve_with_pyvrp"]

logger = logging.getLogger(__name__)

# Penalty times violation must stay below int64 with margin. Violations are bounded by the
# scaled quantities, which fit in 2**44.
_MAX_PENALTY_PRODUCT = 2**62


# PyVRP passes this cost to stopping criteria while the best solution is infeasible.
_INFEASIBLE_COST = np.iinfo(np.int64).max


class _Budget:
    """Stopping criterion: an iteration budget with a wall-clock deadline as a safety cap.

    With ``give_up_after`` or ``give_up_at``, the search also stops when it still has no
    feasible solution after that many iterations, or at that clock time. With
    ``no_improvement``, it stops when a feasible best solution has not improved for that many
    iterations (``converged`` is then True).
    """

    def __init__(
        self,
        max_iterations: int,
        deadline: float,
        give_up_after: int | None,
        give_up_at: float | None = None,
        no_improvement: int | None = None,
    ) -> None:
        self.max_iterations = max_iterations
        self.deadline = deadline
        self.give_up_after = give_up_after
        self.give_up_at = give_up_at
        self.no_improvement = no_improvement
        self.iterations = 0
        self.timed_out = False
        self.converged = False
        self._best_cost = _INFEASIBLE_COST
        self._improved_at = 0

    def __call__(self, best_cost: int) -> bool:
        if best_cost < self._best_cost:
            self._best_cost = best_cost
            self._improved_at = self.iterations
        if self.iterations >= self.max_iterations:
            return True
        if best_cost >= _INFEASIBLE_COST and self._gave_up():
            return True
        if self._stalled(best_cost):
            self.converged = True
            return True
        if time.perf_counter() > self.deadline:
            self.timed_out = True
            return True
        self.iterations += 1
        return False

    def _stalled(self, best_cost: int) -> bool:
        if self.no_improvement is None or best_cost >= _INFEASIBLE_COST:
            return False
        return self.iterations - self._improved_at >= self.no_improvement

    def _gave_up(self) -> bool:
        if self.give_up_after is not None and self.iterations >= self.give_up_after:
            return True
        return self.give_up_at is not None and time.perf_counter() > self.give_up_at


class _BestSolutions(IteratedLocalSearchCallbacks):
    """Keeps every new best solution of the search."""

    def __init__(self) -> None:
        self.solutions: list[Solution] = []

    def on_best(self, best: Solution) -> None:
        self.solutions.append(best)


def _build_data(scaled: ScaledProblem, enforce_required: bool) -> tuple[ProblemData, list[int]]:
    """Return PyVRP's problem data and, for each PyVRP client, its scaled client index."""
    n_locations = scaled.duration.shape[0]
    # PyVRP uses coordinates only for plotting, and the search works on the matrices.
    locations = [Location(x=0.0, y=0.0) for _ in range(n_locations)]
    depots = [pyvrp.Depot(location=location) for location in scaled.depot_locations]

    clients: list[pyvrp.Client] = []
    groups: list[ClientGroup] = []
    owner: list[int] = []
    for i in range(scaled.n_clients):
        required = enforce_required and bool(scaled.required[i])
        group = None
        if len(scaled.windows[i]) > 1:
            group = len(groups)
            groups.append(ClientGroup(required=required))
        for early, late in scaled.windows[i]:
            if group is not None:
                groups[group].add_client(len(clients))
            clients.append(
                pyvrp.Client(
                    location=int(scaled.locations[i]),
                    delivery=[int(x) for x in scaled.demand[i]],
                    service_duration=int(scaled.service[i]),
                    tw_early=early,
                    tw_late=late,
                    prize=0 if required else int(scaled.penalties[i]),
                    # PyVRP allows only optional clients in a mutually exclusive group.
                    required=required and group is None,
                    group=group,
                )
            )
            owner.append(i)

    # PyVRP's stubs type matrices as np.ndarray[int], a form numpy's own stubs do not produce.
    distance: Any = scaled.distance
    duration: Any = scaled.duration
    data = ProblemData(
        locations,
        clients,
        depots,
        [_vehicle_type(scaled, t) for t in range(len(scaled.vehicle_types))],
        [distance],
        [duration],
        groups,
    )
    return data, owner


def _vehicle_type(scaled: ScaledProblem, t: int) -> pyvrp.VehicleType:
    vehicle = scaled.vehicle_types[t]
    return pyvrp.VehicleType(
        num_available=vehicle.count,
        capacity=list(vehicle.capacity),
        start_depot=vehicle.start_depot,
        end_depot=vehicle.end_depot,
        fixed_cost=vehicle.fixed_cost,
        tw_early=vehicle.earliest_departure,
        tw_late=vehicle.latest_return,
        shift_duration=vehicle.max_duration,
        max_distance=vehicle.max_distance,
        unit_distance_cost=vehicle.unit_distance_cost,
        unit_duration_cost=vehicle.unit_duration_cost,
        start_late=vehicle.latest_departure,
    )


def _penalty_params(scaled: ScaledProblem, enforce_required: bool) -> PenaltyParams:
    """Return penalty bounds large enough that no prize pays for a unit of violation.

    PyVRP's default cap (100 000 per unit) is far below a drop penalty that exceeds a route's
    cost, so the search would keep inserting unservable clients with a little time warp.
    """
    default = PenaltyParams()
    prizes = scaled.penalties[~scaled.required] if enforce_required else scaled.penalties
    largest_prize = int(prizes.max(initial=0))
    max_penalty = max(default.max_penalty, 2.0 * largest_prize)
    worst_violation = int(scaled.demand.sum()) + sum(
        v.count * scaled.horizon for v in scaled.vehicle_types
    )
    if max_penalty * worst_violation > _MAX_PENALTY_PRODUCT:
        raise ValueError(
            f"PyVRP penalty bound {max_penalty:.3g} times the largest violation "
            f"{worst_violation} exceeds 2**62; lower the client penalties or split the problem"
        )
    return PenaltyParams(max_penalty=max_penalty)


def _pick_copies(
    scaled: ScaledProblem, vehicle_type: int, route: Sequence[int], first_copy: list[int]
) -> list[int]:
    """Return the PyVRP client of each scaled client on a warm-start route.

    With several windows, the copy is the first window still open when a vehicle leaving at
    the earliest departure arrives.
    """
    vehicle = scaled.vehicle_types[vehicle_type]
    location = scaled.depot_locations[vehicle.start_depot]
    time_now = vehicle.earliest_departure
    copies = []
    for i in route:
        arrival = time_now + int(scaled.duration[location, scaled.locations[i]])
        windows = scaled.windows[i]
        k = next((k for k, (_, late) in enumerate(windows) if late >= arrival), len(windows) - 1)
        copies.append(first_copy[i] + k)
        time_now = max(arrival, windows[k][0]) + int(scaled.service[i])
        location = int(scaled.locations[i])
    return copies


def _initial_solution(
    problem: RoutingProblem,
    scaled: ScaledProblem,
    data: ProblemData,
    owner: list[int],
    initial_routes: Sequence[Sequence[int]],
) -> Solution:
    first = [0] * scaled.n_clients
    for pyvrp_client in reversed(range(len(owner))):
        first[owner[pyvrp_client]] = pyvrp_client
    scaled_index = {c: i for i, c in enumerate(scaled.clients)}
    routes = []
    for vehicle, route in enumerate(initial_routes):
        kept = [scaled_index[c] for c in route if c in scaled_index]
        if kept:
            t = problem.vehicle_type_of(vehicle)
            visits = _pick_copies(scaled, t, kept, first)
            routes.append(pyvrp.Route(data, visits, t))
    return Solution(data, routes)


def _planned(
    scaled: ScaledProblem, owner: list[int], solution: Solution
) -> tuple[PlannedRoute, ...]:
    plan = []
    for route in solution.routes():
        clients = tuple(
            scaled.clients[owner[activity.idx]] for activity in route if activity.is_client()
        )
        plan.append(PlannedRoute(route.vehicle_type(), clients, float(route.start_time())))
    return tuple(plan)


@dataclass(frozen=True)
class _Phase:
    data: ProblemData
    owner: list[int]
    initial: Solution | None
    best: Solution
    new_bests: list[Solution]
    iterations: int
    timed_out: bool
    converged: bool


def _search(
    problem: RoutingProblem,
    scaled: ScaledProblem,
    budget: _Budget,
    seed: int,
    enforce_required: bool,
    initial_routes: Sequence[Sequence[int]] | None,
) -> _Phase:
    data, owner = _build_data(scaled, enforce_required)
    initial = None
    if initial_routes:
        initial = _initial_solution(problem, scaled, data, owner, initial_routes)
    callbacks = _BestSolutions()
    params = SolveParams(
        ils=IteratedLocalSearchParams(callbacks=callbacks),
        penalty=_penalty_params(scaled, enforce_required),
    )
    result = pyvrp.solve(
        data,
        budget,
        seed=seed,
        collect_stats=False,
        display=False,
        params=params,
        initial_solution=initial,
    )
    return _Phase(
        data,
        owner,
        initial,
        result.best,
        callbacks.solutions,
        result.num_iterations,
        budget.timed_out,
        budget.converged,
    )


def solve_with_pyvrp(
    problem: RoutingProblem,
    scaled: ScaledProblem,
    *,
    time_limit_s: float,
    seed: int,
    max_iterations: int,
    no_improvement_iterations: int | None = None,
    initial_routes: Sequence[Sequence[int]] | None = None,
    keep_candidates: bool = False,
) -> BackendRun:
    """Search routes with PyVRP and return its best plan.

    ``no_improvement_iterations`` ends a search whose feasible best has not improved for that
    many iterations. ``initial_routes`` are original client indexes per vehicle. With
    ``keep_candidates``, every new best solution found on the way, and a feasible warm start,
    are returned as well.
    """
    started = time.perf_counter()
    deadline = started + time_limit_s
    give_up_after = max(1, max_iterations // 10)
    # Without a feasible plan, the first phase gives up at half the time, so that an
    # over-constrained day keeps time for the second phase and returns a partial plan instead
    # of nothing. With one, it searches until the deadline.
    phase = _search(
        problem,
        scaled,
        _Budget(
            max_iterations,
            deadline,
            give_up_after,
            started + time_limit_s / 2.0,
            no_improvement_iterations,
        ),
        seed,
        True,
        initial_routes,
    )
    iterations = phase.iterations
    if not phase.best.is_feasible() and scaled.required.any():
        logger.debug(
            "PyVRP found no plan serving every required client in %d iterations; "
            "searching again with drop penalties",
            phase.iterations,
        )
        budget = _Budget(max_iterations, deadline, None, None, no_improvement_iterations)
        phase = _search(problem, scaled, budget, seed, False, initial_routes)
        iterations += phase.iterations

    status = "ITERATION_LIMIT"
    if phase.timed_out:
        status = "TIME_LIMIT"
    elif phase.converged:
        status = "NO_IMPROVEMENT"
    best = phase.best
    if not best.is_feasible():
        logger.warning("PyVRP found no feasible plan in %d iterations", iterations)
        status = "NO_FEASIBLE_SOLUTION"
        best = Solution(phase.data, [])

    candidates = []
    if keep_candidates:
        found = list(phase.new_bests)
        if phase.initial is not None:
            found.insert(0, phase.initial)
        candidates = [_planned(scaled, phase.owner, s) for s in found if s.is_feasible()]
    plans = (*candidates, _planned(scaled, phase.owner, best))
    return BackendRun(plans, status, iterations, not phase.timed_out)
