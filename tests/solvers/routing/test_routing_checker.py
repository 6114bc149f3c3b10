"""The feasibility checker catches broken routes."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from solvers.routing import Client, Depot, RoutingProblem, RoutingResult, VehicleType, check_result
from solvers.routing.plan import PlannedRoute
from solvers.routing.schedule import build_route

H = 3600.0
MIN = 60.0


def _problem() -> RoutingProblem:
    """Three clients 10 min from the depot and from each other; vans of 2.0 m³."""
    duration_s = np.full((4, 4), 10 * MIN)
    np.fill_diagonal(duration_s, 0.0)
    clients = (
        Client(1, (0.9,), service_s=5 * MIN, time_windows=((8 * H, 9 * H),)),
        Client(2, (0.8,), service_s=5 * MIN),
        Client(3, (0.7,), service_s=5 * MIN, time_windows=((8 * H, 8 * H + 20 * MIN),)),
    )
    vans = VehicleType(
        2,
        (2.0,),
        shift_start_s=7 * H,
        shift_end_s=17 * H,
        fixed_cost=10.0,
        cost_per_km=1.0,
        cost_per_hour=20.0,
    )
    return RoutingProblem(duration_s, duration_s * 10.0, (Depot(0),), clients, (vans,))


def _result(problem: RoutingProblem, *plans: tuple[int, ...]) -> RoutingResult:
    routes = tuple(build_route(problem, PlannedRoute(0, plan, 7 * H)) for plan in plans)
    return RoutingResult(routes, (), "TEST", "pyvrp", 0.0, 0.0, None)


def test_valid_plan_passes() -> None:
    problem = _problem()
    assert check_result(problem, _result(problem, (2, 0), (1,))) == []


def test_overloaded_route() -> None:
    problem = _problem()
    # 0.9 + 0.8 + 0.7 = 2.4 m³ in a van of 2.0 m³.
    violations = check_result(problem, _result(problem, (2, 0, 1)))
    assert violations == ["route 0 carries 2.4 in dimension 0, above its capacity 2"]


def test_window_missed() -> None:
    problem = _problem()
    roomy = dataclasses.replace(problem.vehicle_types[0], capacity=(3.0,))
    problem = dataclasses.replace(problem, vehicle_types=(roomy,))
    # Client 0 is served 08:00-08:05 and client 1 08:15-08:20, so client 2 is reached at
    # 08:30, after its window 08:00-08:20 closed.
    violations = check_result(problem, _result(problem, (0, 1, 2)))
    assert violations == [
        "route 0, client 2: service starts at 08:30, outside its windows 08:00-08:20"
    ]


def test_wrong_cost() -> None:
    problem = _problem()
    result = _result(problem, (2, 0), (1,))
    route = dataclasses.replace(result.routes[1], cost_time=result.routes[1].cost_time + 1.0)
    broken = dataclasses.replace(result, routes=(result.routes[0], route))
    violations = check_result(problem, broken)
    assert len(violations) == 1
    assert violations[0].startswith("route 1 reports time cost")


def test_client_visited_twice() -> None:
    problem = _problem()
    result = _result(problem, (2, 0), (1, 0))
    assert (
        "client 0 is visited 2 times and listed unserved 0 times; expected exactly once in "
        "total" in check_result(problem, result)
    )


def test_client_missing() -> None:
    problem = _problem()
    assert check_result(problem, _result(problem, (2, 0))) == [
        "client 1 is neither visited nor listed as unserved"
    ]


def test_arrival_inconsistent() -> None:
    problem = _problem()
    result = _result(problem, (2, 0), (1,))
    visit = dataclasses.replace(
        result.routes[1].visits[0], arrival_s=result.routes[1].visits[0].arrival_s - 30 * MIN
    )
    route = dataclasses.replace(result.routes[1], visits=(visit,))
    violations = check_result(
        problem, dataclasses.replace(result, routes=(result.routes[0], route))
    )
    assert any("arrival" in v and "the matrix gives" in v for v in violations)


def test_too_many_routes() -> None:
    problem = _problem()
    result = _result(problem, (0,), (1,), (2,))
    assert check_result(problem, result) == ["vehicle type 0 has 3 routes but only 2 vehicles"]


@pytest.mark.parametrize("tolerance_s", [0.5, 1.0])
def test_return_after_shift(tolerance_s: float) -> None:
    problem = _problem()
    late = dataclasses.replace(problem.vehicle_types[0], shift_end_s=7 * H + 30 * MIN)
    problem = dataclasses.replace(problem, vehicle_types=(late,))
    # Leaving at 07:00: 10 min out, 5 min service at 08:00 at the earliest; back far after 07:30.
    result = _result(problem, (1,), (2, 0))
    violations = check_result(problem, result, tolerance_s=tolerance_s)
    assert any("after the shift ends at 07:30" in v for v in violations)
