"""Solve a routing problem with one of the backends and return a checked plan.

Stages: explain the clients no vehicle can serve (:mod:`~solvers.routing.prechecks`), convert
the rest to integers (:mod:`~solvers.routing.scaling`), search with the chosen backend, replay
its routes on the unrounded inputs (:mod:`~solvers.routing.schedule`), and verify the plan
with :func:`~solvers.routing.checker.check_result` before returning it.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import time
from collections.abc import Callable, Sequence

from solvers.routing.checker import check_result
from solvers.routing.model import RoutingProblem
from solvers.routing.ortools_backend import (
    DEFAULT_ORTOOLS_SEARCH,
    OrToolsSearch,
    solve_with_ortools,
)
from solvers.routing.plan import BackendRun, PlannedRoute
from solvers.routing.prechecks import find_unservable
from solvers.routing.pyvrp_backend import solve_with_pyvrp
from solvers.routing.result import NOT_ROUTED, Route, RoutingResult, Unserved
from solvers.routing.scaling import ScaledProblem, scale_problem
from solvers.routing.schedule import build_route
from solvers.routing.stability import count_moved, previous_groups

__all__ = ["BACKENDS", "DEFAULT_BACKEND", "DEFAULT_MAX_ITERATIONS", "solve"]

logger = logging.getLogger(__name__)

BACKENDS = ("pyvrp", "ortools")
DEFAULT_BACKEND = "pyvrp"
"""Backend with the lower gap to best-known costs at equal time. At 10 s per instance, PyVRP
averaged 2.3 % on 20 X instances and 0.3 % on the 56 Solomon instances, and OR-Tools 9.3 % and
4.6 % (``benchmarks/routing.py``, results in ``benchmarks/results/routing.md``)."""
DEFAULT_MAX_ITERATIONS = 5_000
"""Iteration budget: PyVRP iterations, or OR-Tools solutions. The time limit caps it."""
# PyVRP 0.14 ran the first 25 and the first 40 clients of 8 X and Solomon instances. On all 16,
# 2 000 iterations reached the best plan of a 50 000-iteration search. With 40 clients it ran
# about 3 800 iterations per processor second. 5 000 keeps a 2.5x margin and ends in about
# 1.4 s, so a 2-5 s time limit rarely cuts the search short and results stay reproducible.

_BACKEND_FUNCTIONS: dict[str, Callable[..., BackendRun]] = {
    "pyvrp": solve_with_pyvrp,
    "ortools": solve_with_ortools,
}


@dataclasses.dataclass(frozen=True)
class _Choice:
    routes: tuple[Route, ...]
    n_moved: int
    score: float


def solve(
    problem: RoutingProblem,
    *,
    backend: str = DEFAULT_BACKEND,
    time_limit_s: float = 10.0,
    seed: int = 0,
    max_iterations: int = DEFAULT_MAX_ITERATIONS,
    no_improvement_iterations: int | None = None,
    ortools_search: OrToolsSearch = DEFAULT_ORTOOLS_SEARCH,
) -> RoutingResult:
    """Plan routes for ``problem``.

    Parameters
    ----------
    problem
        The problem to solve.
    backend
        One of :data:`BACKENDS`.
    time_limit_s
        Wall-clock cap on the search.
    seed
        Seed of PyVRP's random number generator. OR-Tools' search is deterministic and ignores
        it.
    max_iterations
        Search budget: PyVRP iterations, or solutions found by OR-Tools. A search that ends on
        this budget rather than the time limit returns the same routes for the same seed
        (``RoutingResult.reproducible``).
    no_improvement_iterations
        PyVRP only: end the search once it has a feasible plan that has not improved for this
        many iterations (status ``NO_IMPROVEMENT``); such a run is reproducible too. None
        searches on until ``max_iterations`` or the time limit. OR-Tools ignores it.
    ortools_search
        First solution strategy and metaheuristic of the OR-Tools backend. PyVRP ignores it.

    Returns
    -------
    RoutingResult
        Routes with visits, and every other client listed as unserved with a reason.

    Raises
    ------
    ValueError
        For an unknown backend, a non-positive budget, or a problem whose scaled values do not
        fit the solvers' integers.
    RuntimeError
        When the backend returns no solution, or a plan that fails the feasibility check on
        the unrounded inputs.
    """
    _check_options(backend, time_limit_s, seed, max_iterations)
    if no_improvement_iterations is not None and no_improvement_iterations < 1:
        raise ValueError(
            f"no_improvement_iterations = {no_improvement_iterations} must be >= 1, or None "
            "to search until max_iterations"
        )
    started = time.perf_counter()
    unserved = list(find_unservable(problem))
    excluded = {item.client for item in unserved}
    routable = [c for c in range(len(problem.clients)) if c not in excluded]

    scaled = scale_problem(problem, routable) if routable else None
    if scaled is not None:
        unserved += [_no_whole_second(problem, c) for c in scaled.dropped]
    if scaled is None or scaled.n_clients == 0:
        run = BackendRun(((),), "NOTHING_TO_ROUTE", 0, True)
    else:
        options: dict[str, object] = {"search": ortools_search}
        if backend == "pyvrp":
            options = {"no_improvement_iterations": no_improvement_iterations}
        run = _BACKEND_FUNCTIONS[backend](
            problem,
            scaled,
            time_limit_s=time_limit_s,
            seed=seed,
            max_iterations=max_iterations,
            initial_routes=_warm_start(problem),
            keep_candidates=_stability_applies(problem),
            **options,
        )

    choice = _choose(problem, scaled, run.plans)
    served = {visit.client for route in choice.routes for visit in route.visits}
    if scaled is not None:
        unserved += [
            _not_routed(problem, c, run.status) for c in scaled.clients if c not in served
        ]
    result = _assemble(problem, backend, run, choice, unserved, started)
    violations = check_result(problem, result)
    if violations:
        raise RuntimeError(
            f"{backend} returned a plan that is infeasible on the unrounded inputs: "
            + "; ".join(violations)
        )
    result = dataclasses.replace(result, runtime_s=time.perf_counter() - started)
    logger.debug(
        "Routed %d clients with %s on %d routes (%d vehicles): %d unserved, objective %.2f, "
        "status %s, %.2f s",
        len(problem.clients),
        backend,
        len(result.routes),
        problem.n_vehicles,
        len(result.unserved),
        result.objective,
        result.status,
        result.runtime_s,
    )
    return result


def _check_options(backend: str, time_limit_s: float, seed: int, max_iterations: int) -> None:
    if backend not in BACKENDS:
        raise ValueError(f"backend = {backend!r} is not one of {BACKENDS}")
    if not (math.isfinite(time_limit_s) and time_limit_s > 0.0):
        raise ValueError(f"time_limit_s = {time_limit_s} must be a finite number of seconds > 0")
    if seed < 0:
        raise ValueError(f"seed = {seed} must be >= 0")
    if max_iterations < 1:
        raise ValueError(f"max_iterations = {max_iterations} must be >= 1")


def _stability_applies(problem: RoutingProblem) -> bool:
    return problem.previous_route_of is not None and problem.stability_penalty > 0.0


def _warm_start(problem: RoutingProblem) -> Sequence[Sequence[int]] | None:
    """Return the routes to start from, per vehicle.

    Without ``initial_routes``, a stability penalty starts from the previous routes' groups
    (clients in index order, one group per vehicle while vehicles last).
    """
    if problem.initial_routes is not None:
        return problem.initial_routes
    if _stability_applies(problem):
        assert problem.previous_route_of is not None
        return previous_groups(problem.previous_route_of)[: problem.n_vehicles]
    return None


def _choose(
    problem: RoutingProblem,
    scaled: ScaledProblem | None,
    plans: Sequence[Sequence[PlannedRoute]],
) -> _Choice:
    """Return the candidate plan with the lowest cost, drop penalties and stability penalty.

    Later candidates win ties, so the backend's final plan is kept unless an earlier one is
    strictly better.
    """
    best: _Choice | None = None
    for plan in reversed(plans):
        routes = tuple(build_route(problem, planned) for planned in plan)
        n_moved = 0
        if problem.previous_route_of is not None:
            n_moved = count_moved(problem.previous_route_of, [r.clients for r in routes])
        score = sum(route.cost_total for route in routes)
        score += problem.stability_penalty * n_moved
        if scaled is not None and len(plans) > 1:
            served = {c for route in routes for c in route.clients}
            score += sum(
                float(p) / scaled.money_scale
                for c, p in zip(scaled.clients, scaled.penalties, strict=True)
                if c not in served
            )
        if best is None or score < best.score:
            best = _Choice(routes, n_moved, score)
    assert best is not None
    return best


def _no_whole_second(problem: RoutingProblem, client: int) -> Unserved:
    return Unserved(
        client,
        NOT_ROUTED,
        f"windows {problem.clients[client].time_windows} contain no whole second within the "
        "shifts; the solvers schedule in whole seconds",
    )


def _not_routed(problem: RoutingProblem, client: int, status: str) -> Unserved:
    penalty = problem.clients[client].penalty
    if status == "NO_FEASIBLE_SOLUTION":
        detail = (
            "the solver found no feasible plan within its budget; raise time_limit_s or "
            "max_iterations"
        )
    elif penalty is not None:
        detail = f"optional client left out: serving it costs more than its penalty {penalty:g}"
    else:
        detail = "left out by the solver: the fleet, shifts and time windows leave no room for it"
    return Unserved(client, NOT_ROUTED, detail)


def _assemble(
    problem: RoutingProblem,
    backend: str,
    run: BackendRun,
    choice: _Choice,
    unserved: list[Unserved],
    started: float,
) -> RoutingResult:
    unserved.sort(key=lambda item: item.client)
    penalties = sum(
        problem.clients[item.client].penalty or 0.0
        for item in unserved
        if not problem.clients[item.client].required
    )
    objective = (
        sum(route.cost_total for route in choice.routes)
        + penalties
        + problem.stability_penalty * choice.n_moved
    )
    used = [0] * len(problem.vehicle_types)
    for route in choice.routes:
        used[route.vehicle_type] += 1
    return RoutingResult(
        routes=choice.routes,
        unserved=tuple(unserved),
        status=run.status,
        backend=backend,
        objective=objective,
        runtime_s=time.perf_counter() - started,
        n_iterations=run.n_iterations,
        unused_vehicles=tuple(
            v.count - n for v, n in zip(problem.vehicle_types, used, strict=True)
        ),
        reproducible=run.reproducible,
        n_moved=choice.n_moved,
    )
