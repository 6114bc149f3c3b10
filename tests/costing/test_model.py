"""The cost-to-serve stage on a route solved by PyVRP, with both allocation methods."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from gtm_optimizer.costing.model import CostToServe, cost_routes
from gtm_optimizer.routing import RouteDay
from gtm_optimizer.scenario import Costs, VehicleType
from solvers.routing import Client, Depot, RoutingProblem, RoutingResult, solve
from solvers.routing import VehicleType as SolverVehicleType

# Depot and three customers on a straight road at 0, 1, 2 and 3 km, driven at 36 km/h
# (100 s per km). Driving out and back in either direction is 6 km and 600 s.
POSITION_KM = np.array([0.0, 1.0, 2.0, 3.0])
DISTANCE_M = np.abs(POSITION_KM[:, None] - POSITION_KM[None, :]) * 1000.0
DURATION_S = DISTANCE_M / 10.0
# 1 per second, 1 per metre, so the route costs 1 600 + 6 000 m + 2 400 s = 10 000.
VEHICLE = VehicleType(
    name="van",
    count=1,
    depot="DEP",
    capacity=100,
    shift_start="08:00",
    shift_end="17:00",
    fixed_cost_per_day=1600.0,
    cost_per_hour=3600.0,
    cost_per_km=1000.0,
)
CUSTOMERS = pd.DataFrame(
    {
        "customer_id": ["near", "middle", "far"],
        "revenue_per_week": [100_000.0, 100_000.0, 100_000.0],
        "volume_per_week": [1.0, 1.0, 1.0],
        "visits_per_week": [1.0, 1.0, 1.0],
        "credit_days": [0.0, 0.0, 0.0],
    }
)


def route_day() -> RouteDay:
    problem = RoutingProblem(
        duration_s=DURATION_S,
        distance_m=DISTANCE_M,
        depots=(Depot(location=0),),
        clients=tuple(
            Client(location=c + 1, demand=(1.0,), service_s=600.0, name=name)
            for c, name in enumerate(CUSTOMERS["customer_id"])
        ),
        vehicle_types=(
            SolverVehicleType(
                count=1,
                capacity=(100.0,),
                shift_start_s=8 * 3600.0,
                shift_end_s=17 * 3600.0,
                fixed_cost=1600.0,
                cost_per_km=1000.0,
                cost_per_hour=3600.0,
            ),
        ),
    )
    return RouteDay(
        route_id="T01-Mon",
        territory_id="T01",
        week=0,
        weekday=0,
        vehicle=VEHICLE,
        depot_id="DEP",
        points=np.arange(4),
        customer_rows=np.arange(3),
        problem=problem,
    )


@pytest.fixture(scope="module")
def solved() -> tuple[RouteDay, RoutingResult]:
    day = route_day()
    result = solve(day.problem, backend="pyvrp", time_limit_s=2.0, seed=1)
    assert result.status in ("ITERATION_LIMIT", "TIME_LIMIT")
    return day, result


def costed(solved: tuple[RouteDay, RoutingResult], allocation: str) -> CostToServe:
    day, result = solved
    costs = Costs.model_validate({"allocation": allocation})
    return cost_routes([day], [result], CUSTOMERS, costs, cycle_weeks=1)


def test_route_cost_by_hand(solved: tuple[RouteDay, RoutingResult]) -> None:
    cts = costed(solved, "time")
    assert cts.routes["cost_total"].tolist() == pytest.approx([10_000.0])


def test_time_allocation_by_hand(solved: tuple[RouteDay, RoutingResult]) -> None:
    # Either direction: near 100 + 600 + 50 s, middle 50 + 600 + 50 s, far 50 + 600 + 300 s.
    cts = costed(solved, "time")
    route = cts.customer_costs["cts_route"].to_numpy()
    assert route == pytest.approx(10_000.0 * np.array([750.0, 700.0, 950.0]) / 2400.0)


def test_marginal_allocation_by_hand(solved: tuple[RouteDay, RoutingResult]) -> None:
    # Without near or middle the route only skips 600 s of service; without far it also
    # skips 2 km and 200 s. Savings 600, 600 and 2 800 scaled to 10 000.
    cts = costed(solved, "marginal")
    assert cts.customer_costs["cts_route"].to_numpy() == pytest.approx([1500.0, 1500.0, 7000.0])


@pytest.mark.parametrize("allocation", ["time", "marginal"])
def test_allocations_add_up(solved: tuple[RouteDay, RoutingResult], allocation: str) -> None:
    cts = costed(solved, allocation)
    assert cts.stops["allocated_cost"].sum() == pytest.approx(cts.routes["cost_total"].sum())


def test_stops_carry_both_bases(solved: tuple[RouteDay, RoutingResult]) -> None:
    stops = costed(solved, "time").stops.set_index("customer_id")
    assert stops.loc[["near", "middle", "far"], "marginal_saving"].tolist() == pytest.approx(
        [600.0, 600.0, 2800.0]
    )


def test_stage_logs_counts(
    solved: tuple[RouteDay, RoutingResult], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="gtm_optimizer.costing.model"):
        costed(solved, "marginal")
    assert "Costed 1 routes, 3 stops and 3 customers (marginal allocation)" in caplog.text
