"""End-to-end solves on small hand-checked instances, with both backends."""

from __future__ import annotations

import dataclasses
import importlib

import numpy as np
import pytest

from solvers.routing import (
    BACKENDS,
    Client,
    Depot,
    OrToolsSearch,
    RoutingProblem,
    RoutingResult,
    Unserved,
    VehicleType,
    solve,
)

H = 3600.0
MIN = 60.0

backends = pytest.mark.parametrize("backend", BACKENDS)


def _solve(problem: RoutingProblem, backend: str, **options: float) -> RoutingResult:
    return solve(problem, backend=backend, time_limit_s=2.0, seed=0, max_iterations=300, **options)


def _star_problem(
    clients: tuple[Client, ...], depot_to_client_s: float, between_clients_s: float
) -> RoutingProblem:
    """Depot at location 0, client ``i`` at location ``i + 1``; distance is 10 m per second."""
    n = len(clients) + 1
    duration_s = np.full((n, n), between_clients_s)
    duration_s[0, :] = depot_to_client_s
    duration_s[:, 0] = depot_to_client_s
    np.fill_diagonal(duration_s, 0.0)
    vehicle = VehicleType(
        1, (100.0,), shift_start_s=7 * H, shift_end_s=17 * H, cost_per_km=1.2, cost_per_hour=25.0
    )
    return RoutingProblem(duration_s, duration_s * 10.0, (Depot(0),), clients, (vehicle,))


def _one_way_street() -> RoutingProblem:
    """Depot at 0 km and clients at 1, 2 and 3 km on a one-way street.

    Driving outbound costs the distance on the street; driving back toward the depot takes a
    2 km detour. At 100 s per km the only optimal route is 1, 2, 3 km then back: 1 + 1 + 1 +
    (3 + 2) = 8 km and 800 s of driving.
    """
    position_km = np.array([0.0, 1.0, 2.0, 3.0])
    step_km = position_km[None, :] - position_km[:, None]
    distance_km = np.where(step_km >= 0.0, step_km, -step_km + 2.0)
    np.fill_diagonal(distance_km, 0.0)
    clients = tuple(Client(location, (1.0,), service_s=60.0) for location in (1, 2, 3))
    vehicle = VehicleType(
        2,
        (10.0,),
        shift_start_s=8 * H,
        shift_end_s=17 * H,
        fixed_cost=5.0,
        cost_per_km=1.0,
        cost_per_hour=36.0,
    )
    return RoutingProblem(
        distance_km * 100.0, distance_km * 1000.0, (Depot(0),), clients, (vehicle,)
    )


@backends
def test_line_optimal_order(backend: str) -> None:
    result = _solve(_one_way_street(), backend)
    assert [route.clients for route in result.routes] == [(0, 1, 2)]


@backends
def test_line_optimal_cost(backend: str) -> None:
    result = _solve(_one_way_street(), backend)
    # Fixed 5 + 8 km at 1.0 + (800 s driving + 180 s service) at 36 per hour = 5 + 8 + 9.8.
    assert result.objective == pytest.approx(22.8)


@backends
def test_line_timetable(backend: str) -> None:
    route = _solve(_one_way_street(), backend).routes[0]
    assert route.start_s == pytest.approx(8 * H)
    assert route.end_s == pytest.approx(8 * H + 980.0)
    assert [visit.start_s for visit in route.visits] == pytest.approx(
        [8 * H + 100.0, 8 * H + 260.0, 8 * H + 420.0]
    )


@backends
def test_line_load_on_arrival(backend: str) -> None:
    route = _solve(_one_way_street(), backend).routes[0]
    assert [visit.load for visit in route.visits] == [(3.0,), (2.0,), (1.0,)]


@backends
def test_line_unused_vehicle(backend: str) -> None:
    result = _solve(_one_way_street(), backend)
    assert result.unused_vehicles == (1,)


def _fractional_problem() -> RoutingProblem:
    demands_m3 = (0.4, 0.6, 0.7, 0.8, 0.9)
    clients = tuple(Client(i + 1, (d,), service_s=10 * MIN) for i, d in enumerate(demands_m3))
    problem = _star_problem(clients, 15 * MIN, 5 * MIN)
    vans = VehicleType(2, (2.0,), shift_start_s=7 * H, shift_end_s=17 * H, cost_per_km=1.2)
    return dataclasses.replace(problem, vehicle_types=(vans,))


@backends
def test_fractional_demand_two_vans(backend: str) -> None:
    # 3.4 m³ in vans of 2.0 m³: one van cannot carry it all.
    result = _solve(_fractional_problem(), backend)
    assert len(result.routes) == 2
    assert result.unserved == ()


@backends
def test_fractional_demand_no_overload(backend: str) -> None:
    result = _solve(_fractional_problem(), backend)
    for route in result.routes:
        assert route.load[0] <= 2.0


@backends
def test_fractional_demand_total(backend: str) -> None:
    result = _solve(_fractional_problem(), backend)
    assert sum(route.load[0] for route in result.routes) == pytest.approx(3.4)


@backends
def test_demand_above_capacity(backend: str) -> None:
    clients = tuple(Client(i + 1, (d,), service_s=15 * MIN) for i, d in enumerate((20, 150, 30)))
    problem = _star_problem(clients, 15 * MIN, 5 * MIN)
    problem = dataclasses.replace(problem, vehicle_types=(VehicleType(2, (100.0,)),))
    result = _solve(problem, backend)
    assert result.unserved == (
        Unserved(1, "demand_exceeds_capacity", "demand 150 > largest capacity 100"),
    )
    assert sorted(c for route in result.routes for c in route.clients) == [0, 2]


def _same_window_problem() -> RoutingProblem:
    """Six clients, each with window 09:00-09:30 and 20 min of service, one van.

    The depot is 30 min from every client and clients are 5 min apart. Service must start
    within the window: the first starts at 09:00 and ends at 09:20, the second starts on
    arrival at 09:25, and a third would arrive at 09:50, after the window closes. So 2 fit.
    """
    clients = tuple(
        Client(i + 1, (10.0,), service_s=20 * MIN, time_windows=((9 * H, 9.5 * H),))
        for i in range(6)
    )
    return _star_problem(clients, 30 * MIN, 5 * MIN)


@backends
def test_same_window_partial_plan(backend: str) -> None:
    result = _solve(_same_window_problem(), backend)
    assert [len(route.visits) for route in result.routes] == [2]


@backends
def test_same_window_start_times(backend: str) -> None:
    route = _solve(_same_window_problem(), backend).routes[0]
    assert [visit.start_s for visit in route.visits] == pytest.approx([9 * H, 9 * H + 25 * MIN])


@backends
def test_same_window_not_routed(backend: str) -> None:
    result = _solve(_same_window_problem(), backend)
    assert [item.reason for item in result.unserved] == ["not_routed"] * 4


def _shift_edge_problem() -> RoutingProblem:
    """Shift 07:00-17:00, clients 10 min from the depot and from each other."""
    windows = (
        ((8 * H, 12 * H),),
        ((18 * H, 20 * H),),
        ((5 * H, 6.5 * H),),
        ((16.5 * H, 23 * H + 59 * MIN),),
    )
    clients = tuple(
        Client(i + 1, (5.0,), service_s=10 * MIN, time_windows=w) for i, w in enumerate(windows)
    )
    return _star_problem(clients, 10 * MIN, 10 * MIN)


@backends
def test_window_outside_shift(backend: str) -> None:
    result = _solve(_shift_edge_problem(), backend)
    assert result.unserved == (
        Unserved(
            1, "window_outside_shift", "windows 18:00-20:00 lie outside the shift 07:00-17:00"
        ),
        Unserved(
            2, "window_outside_shift", "windows 05:00-06:30 lie outside the shift 07:00-17:00"
        ),
    )


@backends
def test_window_clipped_to_shift(backend: str) -> None:
    # Window 16:30-23:59 is clipped to 16:30-17:00: service 16:30-16:40, back at 16:50.
    result = _solve(_shift_edge_problem(), backend)
    visit = next(v for route in result.routes for v in route.visits if v.client == 3)
    assert visit.start_s == pytest.approx(16.5 * H)


def _narrow_window_problem() -> RoutingProblem:
    clients = (
        Client(1, (8.0,), service_s=45 * MIN, time_windows=((10 * H, 10.25 * H),)),
        Client(2, (12.0,), service_s=30 * MIN, time_windows=((14 * H, 14 * H),)),
    )
    return _star_problem(clients, 20 * MIN, 20 * MIN)


@backends
def test_service_longer_than_window(backend: str) -> None:
    # 45 min of service in a 10:00-10:15 window: it starts within the window and ends later.
    route = _solve(_narrow_window_problem(), backend).routes[0]
    visit = next(v for v in route.visits if v.client == 0)
    assert 10 * H <= visit.start_s <= 10.25 * H
    assert visit.departure_s == pytest.approx(visit.start_s + 45 * MIN)


@backends
def test_zero_width_window(backend: str) -> None:
    route = _solve(_narrow_window_problem(), backend).routes[0]
    visit = next(v for v in route.visits if v.client == 1)
    assert visit.start_s == 14 * H


def _two_window_problem() -> RoutingProblem:
    """Client 0 (1 h from the depot) accepts 08:00-08:06 or 14:00-15:00; client 1 (10 min
    from the depot, 1 h from client 0) accepts 08:00-08:12. Serving client 0 in the morning
    makes client 1 late, so client 0 must be served at 14:00."""
    duration_s = np.array([[0.0, H, 10 * MIN], [H, 0.0, H], [10 * MIN, H, 0.0]])
    clients = (
        Client(
            1,
            (1.0,),
            service_s=10 * MIN,
            time_windows=((8 * H, 8 * H + 6 * MIN), (14 * H, 15 * H)),
        ),
        Client(2, (1.0,), service_s=10 * MIN, time_windows=((8 * H, 8 * H + 12 * MIN),)),
    )
    vehicle = VehicleType(1, (10.0,), shift_start_s=7 * H, shift_end_s=17 * H, cost_per_hour=10.0)
    return RoutingProblem(duration_s, duration_s, (Depot(0),), clients, (vehicle,))


@backends
def test_second_window_used(backend: str) -> None:
    route = _solve(_two_window_problem(), backend).routes[0]
    assert [(v.client, v.start_s) for v in route.visits][1] == (0, 14 * H)


def _two_depot_problem() -> RoutingProblem:
    """Depot 0 (north, location 0) and depot 1 (south, location 1), one van each.

    Client 0 shares the north depot's location. Clients 1-3 are 5 min from the north depot
    and from each other, and 60 min from the south depot.
    """
    duration_s = np.full((5, 5), 5 * MIN)
    duration_s[1, :] = 60 * MIN
    duration_s[:, 1] = 60 * MIN
    duration_s[0, 2:] = 5 * MIN
    duration_s[2:, 0] = 5 * MIN
    np.fill_diagonal(duration_s, 0.0)
    locations = (0, 2, 3, 4)
    clients = tuple(Client(location, (10.0,), service_s=5 * MIN) for location in locations)
    vans = (
        VehicleType(1, (100.0,), start_depot=0, fixed_cost=10.0, cost_per_km=1.0, name="north"),
        VehicleType(1, (100.0,), start_depot=1, fixed_cost=10.0, cost_per_km=1.0, name="south"),
    )
    return RoutingProblem(duration_s, duration_s * 10.0, (Depot(0), Depot(1)), clients, vans)


@backends
def test_two_depots_unused_vehicle(backend: str) -> None:
    result = _solve(_two_depot_problem(), backend)
    assert result.unused_vehicles == (0, 1)


@backends
def test_two_depots_route_from_north(backend: str) -> None:
    result = _solve(_two_depot_problem(), backend)
    assert [(route.vehicle_type, route.depot) for route in result.routes] == [(0, 0)]


@backends
def test_two_depots_no_depot_stop(backend: str) -> None:
    # Every stop is one of the four clients, the one at the depot's location included.
    result = _solve(_two_depot_problem(), backend)
    assert sorted(result.routes[0].clients) == [0, 1, 2, 3]


def _random_problem(n_clients: int, seed: int) -> RoutingProblem:
    rng = np.random.default_rng(seed)
    points_m = rng.uniform(0.0, 20_000.0, size=(n_clients + 1, 2))
    distance_m = np.hypot(*(points_m[:, None, :] - points_m[None, :, :]).transpose(2, 0, 1))
    opens_s = rng.uniform(8 * H, 14 * H, size=n_clients)
    clients = tuple(
        Client(
            i + 1,
            (float(rng.integers(1, 10)),),
            service_s=5 * MIN,
            time_windows=((float(opens_s[i]), float(opens_s[i]) + 2 * H),),
        )
        for i in range(n_clients)
    )
    vans = VehicleType(
        4,
        (60.0,),
        shift_start_s=7 * H,
        shift_end_s=18 * H,
        fixed_cost=20.0,
        cost_per_km=1.0,
        cost_per_hour=10.0,
    )
    return RoutingProblem(distance_m / 10.0, distance_m, (Depot(0),), clients, (vans,))


def _plan(result: RoutingResult) -> list[tuple[int, tuple[int, ...], float]]:
    return [(route.vehicle_type, route.clients, route.start_s) for route in result.routes]


@backends
def test_same_seed_same_routes(backend: str) -> None:
    problem = _random_problem(25, seed=7)
    first = solve(problem, backend=backend, time_limit_s=20.0, seed=3, max_iterations=200)
    second = solve(problem, backend=backend, time_limit_s=20.0, seed=3, max_iterations=200)
    assert first.reproducible
    assert _plan(first) == _plan(second)


@backends
def test_warm_start_no_worse(backend: str) -> None:
    problem = _random_problem(30, seed=11)
    reference = solve(problem, backend=backend, time_limit_s=10.0, seed=0, max_iterations=1000)
    warm = dataclasses.replace(
        problem, initial_routes=tuple(route.clients for route in reference.routes)
    )
    result = solve(warm, backend=backend, time_limit_s=10.0, seed=5, max_iterations=1)
    assert len(result.unserved) <= len(reference.unserved)
    assert result.objective <= reference.objective + 1e-6


def _crossed_routes_problem(stability_penalty: float) -> RoutingProblem:
    """Clients 0, 1 in the west and 2, 3 in the east, each 10 km from the depot.

    Clients on the same side are 1 km apart, sides are 20 km apart. Vans carry two clients.
    Grouping by side costs 21 + 21 = 42 km; the previous plan paired 0 with 2 and 1 with 3 at
    40 + 40 = 80 km. Regrouping moves one client of each previous pair: 2 moved clients.
    """
    side = np.array([0, 1, 1, 2, 2])
    distance_km = np.where(side[:, None] == side[None, :], 1.0, 20.0)
    distance_km[0, :] = 10.0
    distance_km[:, 0] = 10.0
    np.fill_diagonal(distance_km, 0.0)
    clients = tuple(Client(location, (1.0,)) for location in (1, 2, 3, 4))
    vans = VehicleType(2, (2.0,), cost_per_km=1.0)
    return RoutingProblem(
        distance_km * 60.0,
        distance_km * 1000.0,
        (Depot(0),),
        clients,
        (vans,),
        stability_penalty=stability_penalty,
        previous_route_of=(0, 1, 0, 1),
    )


@backends
def test_stability_keeps_previous_pairs(backend: str) -> None:
    # Regrouping saves 38 km but would pay 2 x 100.
    result = _solve(_crossed_routes_problem(100.0), backend)
    assert sorted(tuple(sorted(route.clients)) for route in result.routes) == [(0, 2), (1, 3)]
    assert result.objective == pytest.approx(80.0)


@backends
def test_stability_allows_saving_move(backend: str) -> None:
    # Regrouping saves 38 km and pays 2 x 10.
    result = _solve(_crossed_routes_problem(10.0), backend)
    assert result.n_moved == 2
    assert result.objective == pytest.approx(42.0 + 20.0)


@backends
def test_nothing_to_route(backend: str) -> None:
    clients = (Client(1, (500.0,)),)
    result = _solve(_star_problem(clients, 10 * MIN, 10 * MIN), backend)
    assert result.status == "NOTHING_TO_ROUTE"
    assert result.routes == ()


@backends
def test_optional_client_penalty(backend: str) -> None:
    # Serving the far optional client costs 2 x 100 km at 1.2 per km, more than its penalty 50.
    clients = (Client(1, (1.0,)), Client(2, (1.0,), required=False, penalty=50.0))
    duration_s = np.array(
        [[0.0, 60.0, 10_000.0], [60.0, 0.0, 10_000.0], [10_000.0, 10_000.0, 0.0]]
    )
    vehicle = VehicleType(1, (10.0,), cost_per_km=1.2)
    problem = RoutingProblem(duration_s, duration_s * 10.0, (Depot(0),), clients, (vehicle,))
    result = _solve(problem, backend)
    assert [item.client for item in result.unserved] == [1]
    # Route 0.6 km x 2 at 1.2 per km, plus the optional client's penalty.
    assert result.objective == pytest.approx(1.44 + 50.0)


def test_unknown_backend() -> None:
    with pytest.raises(
        ValueError, match=r"backend = 'gurobi' is not one of \('pyvrp', 'ortools'\)"
    ):
        solve(_one_way_street(), backend="gurobi")


def test_zero_time_limit() -> None:
    with pytest.raises(ValueError, match=r"time_limit_s = 0.0 must be a finite number"):
        solve(_one_way_street(), time_limit_s=0.0)


def test_infeasible_plan_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    # The package re-exports the function solve, which hides the module of the same name.
    solve_module = importlib.import_module("solvers.routing.solve")
    original = solve_module.build_route

    def cheap_route(problem, planned):  # type: ignore[no-untyped-def]
        route = original(problem, planned)
        return dataclasses.replace(route, cost_distance=0.0)

    monkeypatch.setattr(solve_module, "build_route", cheap_route)
    with pytest.raises(
        RuntimeError,
        match=r"infeasible on the unrounded inputs: route 0 reports "
        r"distance cost 0",
    ):
        _solve(_one_way_street(), "pyvrp")


def test_solve_log_line(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level("DEBUG", logger="solvers.routing.solve"):
        _solve(_one_way_street(), "pyvrp")
    assert "Routed 3 clients with pyvrp on 1 routes (2 vehicles): 0 unserved" in caplog.text


# --- stopping on convergence ----------------------------------------------------------------


def test_no_improvement_stops_early() -> None:
    problem = _random_problem(25, seed=7)
    result = solve(
        problem, time_limit_s=60.0, seed=3, max_iterations=100_000, no_improvement_iterations=200
    )
    assert result.status == "NO_IMPROVEMENT"
    assert result.reproducible
    assert result.n_iterations < 100_000


def test_no_improvement_same_as_budget() -> None:
    # The criterion only cuts the search short, so running exactly as many iterations on an
    # iteration budget follows the same path and returns the same routes.
    problem = _random_problem(25, seed=7)
    stalled = solve(
        problem, time_limit_s=60.0, seed=3, max_iterations=100_000, no_improvement_iterations=200
    )
    budget = solve(problem, time_limit_s=60.0, seed=3, max_iterations=stalled.n_iterations)
    assert _plan(stalled) == _plan(budget)
    assert stalled.objective == pytest.approx(budget.objective)


def test_no_improvement_rejects_zero() -> None:
    with pytest.raises(ValueError, match=r"no_improvement_iterations = 0 must be >= 1"):
        solve(_one_way_street(), no_improvement_iterations=0)


# --- OR-Tools search strategy ---------------------------------------------------------------


def test_ortools_search_rejects_unknown_strategy() -> None:
    with pytest.raises(ValueError, match=r"first_solution_strategy = 'NEAREST' is not one of"):
        OrToolsSearch(first_solution_strategy="NEAREST")


def test_ortools_search_rejects_unknown_metaheuristic() -> None:
    with pytest.raises(ValueError, match=r"metaheuristic = 'TABU' is not one of"):
        OrToolsSearch(metaheuristic="TABU")


@pytest.mark.parametrize(
    ("first_solution_strategy", "metaheuristic"),
    [
        ("PATH_CHEAPEST_ARC", "GREEDY_DESCENT"),
        ("SAVINGS", "GUIDED_LOCAL_SEARCH"),
        ("CHRISTOFIDES", "SIMULATED_ANNEALING"),
    ],
)
def test_ortools_search_finds_line_optimum(
    first_solution_strategy: str, metaheuristic: str
) -> None:
    search = OrToolsSearch(first_solution_strategy, metaheuristic)
    result = solve(
        _one_way_street(),
        backend="ortools",
        time_limit_s=2.0,
        max_iterations=300,
        ortools_search=search,
    )
    # The optimum of test_line_optimal_cost: 1, 2, 3 km outbound, then back by the detour.
    assert [route.clients for route in result.routes] == [(0, 1, 2)]
    assert result.objective == pytest.approx(22.8)
