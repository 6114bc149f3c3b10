"""Routing benchmark: instance conversion, independent scoring, and short real solves.

The instances are X-n101-k25 (CVRP, best-known cost 27591) and Solomon C101 (VRPTW,
best-known distance-only cost 827.3, which is optimal), copied with their best-known `.sol`
files and MIT licences into tests/data/bench.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest
import vrplib

from benchmarks.routing import (
    BestKnown,
    Instance,
    Row,
    check_routes,
    load_instance,
    merge_rows,
    parse_args,
    parse_ortools_search,
    route_cost,
    select_instances,
    solve_instance,
    to_problem,
    write_solution,
)

BENCH = Path(__file__).parent.parent / "data" / "bench"
BEST = {"X-n101-k25": BestKnown("X", 27591.0, True), "C101": BestKnown("Solomon", 827.3, False)}


def _best_known_routes(instance: Instance) -> list[list[int]]:
    folder = "cvrp_x" if instance.set_name == "X" else "solomon"
    solution = vrplib.read_solution(BENCH / folder / f"{instance.name}.sol")
    return [list(route) for route in solution["routes"]]


@pytest.fixture(scope="module")
def x_instance() -> Instance:
    return load_instance(BENCH, "X-n101-k25", BEST)


@pytest.fixture(scope="module")
def c101() -> Instance:
    return load_instance(BENCH, "C101", BEST)


@pytest.fixture(scope="module")
def x_pyvrp(x_instance: Instance) -> tuple[Row, list[list[int]]]:
    return solve_instance(x_instance, "pyvrp", time_limit_s=2.0, seed=0)


@pytest.fixture(scope="module")
def c101_pyvrp(c101: Instance) -> tuple[Row, list[list[int]]]:
    return solve_instance(c101, "pyvrp", time_limit_s=2.0, seed=0)


def test_x_arc_rounded(x_instance: Instance) -> None:
    # Depot (365, 689) to node 1 (146, 180): sqrt(219² + 509²) = 554.11, rounded to 554.
    assert to_problem(x_instance).distance_m[0, 1] == 554.0


def test_solomon_arc_truncated(c101: Instance) -> None:
    # Depot (40, 50) to node 1 (45, 68): sqrt(5² + 18²) = 18.68, truncated to 18.6 = 186 tenths.
    assert to_problem(c101).distance_m[0, 1] == 186.0


def test_solomon_window_in_tenths(c101: Instance) -> None:
    # Node 1 opens at 912 and closes at 967 in the file's units.
    assert to_problem(c101).clients[0].time_windows == ((9120.0, 9670.0),)


def test_solomon_service_in_tenths(c101: Instance) -> None:
    assert to_problem(c101).clients[0].service_s == 900.0


def test_x_fleet_one_per_client(x_instance: Instance) -> None:
    assert to_problem(x_instance).n_vehicles == 100


def test_solomon_fleet_from_file(c101: Instance) -> None:
    assert to_problem(c101).n_vehicles == 25


def test_x_best_known_cost(x_instance: Instance) -> None:
    assert route_cost(x_instance, _best_known_routes(x_instance)) == 27591.0


def test_solomon_best_known_cost(c101: Instance) -> None:
    assert route_cost(c101, _best_known_routes(c101)) == pytest.approx(827.3, abs=1e-9)


def test_x_best_known_feasible(x_instance: Instance) -> None:
    assert check_routes(x_instance, _best_known_routes(x_instance)) == []


def test_solomon_best_known_feasible(c101: Instance) -> None:
    assert check_routes(c101, _best_known_routes(c101)) == []


def test_check_missing_node(x_instance: Instance) -> None:
    # The first best-known route is 31 46 35.
    routes = _best_known_routes(x_instance)
    routes[0] = routes[0][1:]
    assert check_routes(x_instance, routes) == ["nodes not visited: 31"]


def test_check_many_missing(x_instance: Instance) -> None:
    # The first two best-known routes are 31 46 35 and 15 22 41 20.
    routes = _best_known_routes(x_instance)[2:]
    assert check_routes(x_instance, routes) == ["nodes not visited: 15, 20, 22, 31, 35 and 2 more"]


def test_check_node_twice(x_instance: Instance) -> None:
    routes = _best_known_routes(x_instance)
    routes[1] = [*routes[1], routes[0][0]]
    assert check_routes(x_instance, routes)[0] == "some node is visited more than once"


def test_check_capacity(x_instance: Instance) -> None:
    # The first two best-known routes carry 191 and 205 with a capacity of 206.
    routes = _best_known_routes(x_instance)
    merged = [routes[0] + routes[1], *routes[2:]]
    assert check_routes(x_instance, merged) == ["route 1 carries 396 > capacity 206"]


def test_check_window(c101: Instance) -> None:
    # Reversed, the first best-known route starts 75, 1. Node 75 opens at 997 and takes 90 of
    # service, and node 1 is 3.0 away, so node 1 is reached at 1090, after it closes at 967.
    routes = _best_known_routes(c101)
    routes[0] = routes[0][::-1]
    assert check_routes(c101, routes)[0] == (
        "route 1 reaches node 1 at 1090, after its window closes at 967"
    )


def test_solution_file_round_trip(c101: Instance, tmp_path: Path) -> None:
    routes = _best_known_routes(c101)
    write_solution(tmp_path / "C101.sol", c101, routes)
    assert vrplib.read_solution(tmp_path / "C101.sol")["routes"] == routes


def test_solution_file_cost(c101: Instance, tmp_path: Path) -> None:
    write_solution(tmp_path / "C101.sol", c101, _best_known_routes(c101))
    assert vrplib.read_solution(tmp_path / "C101.sol")["cost"] == 827.3


def test_x_pyvrp_feasible(x_pyvrp: tuple[Row, list[list[int]]]) -> None:
    assert x_pyvrp[0].feasible


def test_x_pyvrp_gap(x_pyvrp: tuple[Row, list[list[int]]]) -> None:
    # Measured with seed 0: 0.14 % in 2 s, 1.4 % in 1 s.
    assert x_pyvrp[0].gap_pct < 2.0


def test_x_pyvrp_whole_time_limit(x_pyvrp: tuple[Row, list[list[int]]]) -> None:
    assert x_pyvrp[0].runtime_s >= 1.9


def test_x_pyvrp_cost_matches_vrplib(x_pyvrp: tuple[Row, list[list[int]]]) -> None:
    # vrplib's unrounded Euclidean edge weights, rounded arc by arc, are the X convention.
    row, routes = x_pyvrp
    weights = vrplib.read_instance(BENCH / "cvrp_x" / "X-n101-k25.vrp")["edge_weight"]
    nodes = [[0, *route, 0] for route in routes]
    expected = sum(round(weights[a, b]) for path in nodes for a, b in itertools.pairwise(path))
    assert row.cost == expected


def test_solomon_pyvrp_feasible(c101_pyvrp: tuple[Row, list[list[int]]]) -> None:
    assert c101_pyvrp[0].feasible


def test_solomon_pyvrp_gap(c101_pyvrp: tuple[Row, list[list[int]]]) -> None:
    assert c101_pyvrp[0].gap_pct < 1.0


def test_solomon_ortools_gap(c101: Instance) -> None:
    row, _ = solve_instance(c101, "ortools", time_limit_s=2.0, seed=0)
    assert row.gap_pct < 1.0


def test_first_clients_cut() -> None:
    cut = load_instance(BENCH, "C101", BEST, first_clients=25)
    assert (cut.name, cut.n_clients) == ("C101-first25", 25)


def test_first_clients_no_best_known() -> None:
    assert math.isnan(load_instance(BENCH, "C101", BEST, first_clients=25).bks)


def test_select_core20() -> None:
    assert select_instances("core20", BEST) == ["X-n101-k25"]


def test_select_unknown() -> None:
    with pytest.raises(ValueError, match=r"instances \['X-n9'\] are not in the best-known"):
        select_instances("C101,X-n9", BEST)


def test_merge_replaces_same_run(tmp_path: Path) -> None:
    first = Row("C101", "pyvrp", 2.0, 830.0, 827.3, 0.33, True, 10, 2.0, 100, 100, 2.0)
    second = Row("C101", "pyvrp", 2.0, 827.3, 827.3, 0.0, True, 10, 2.0, 100, 100, 2.0)
    merge_rows(tmp_path / "routing.csv", [first])
    assert merge_rows(tmp_path / "routing.csv", [second]) == [second]


def test_merge_keeps_other_runs(tmp_path: Path) -> None:
    first = Row("C101", "pyvrp", 2.0, 830.0, 827.3, 0.33, True, 10, 2.0, 100, 100, 2.0)
    other = Row("C101", "ortools", 2.0, 827.3, 827.3, 0.0, True, 10, 2.0, 100, 100, 2.0)
    merge_rows(tmp_path / "routing.csv", [first])
    assert len(merge_rows(tmp_path / "routing.csv", [other])) == 2


def test_ortools_strategy_unknown() -> None:
    args = parse_args(["--ortools-first-solution", "NEAREST"])
    with pytest.raises(ValueError, match="first_solution_strategy = 'NEAREST' is not one of"):
        parse_ortools_search(args)
