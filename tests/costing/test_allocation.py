"""Allocation of a route's cost to its stops, checked by hand on a three-customer route."""

from __future__ import annotations

import numpy as np
import pytest

from gtm_optimizer.costing.allocation import allocate_by_time, time_shares_s
from solvers.routing import Route, Visit

# Depot at location 0, customers at 1, 2, 3; legs 0→1 600 s, 1→2 300 s, 2→3 300 s, 3→0 900 s.
DURATION_S = np.array(
    [
        [0, 600, 900, 1200],
        [600, 0, 300, 600],
        [900, 300, 0, 300],
        [900, 600, 300, 0],
    ],
    dtype=float,
)
SERVICE_S = np.array([600.0, 600.0, 600.0])
LOCATION = np.array([1, 2, 3])


def three_stop_route(wait_first_s: float = 0.0) -> Route:
    start = 8 * 3600.0
    times = [
        start + 600 + wait_first_s,
        start + 600 + wait_first_s + 600 + 300,
        start + 600 + wait_first_s + 2 * 600 + 600,
    ]
    visits = tuple(
        Visit(
            client=c,
            arrival_s=t - (wait_first_s if c == 0 else 0),
            start_s=t,
            departure_s=t + 600,
            wait_s=wait_first_s if c == 0 else 0.0,
            load=(0.0,),
        )
        for c, t in enumerate(times)
    )
    duration = 3900.0 + wait_first_s
    return Route(
        vehicle_type=0,
        depot=0,
        visits=visits,
        start_s=start,
        end_s=start + duration,
        distance_m=10_000.0,
        duration_s=duration,
        wait_s=wait_first_s,
        load=(0.0,),
        cost_fixed=100_000.0,
        cost_distance=8_500.0,
        cost_time=duration / 3600 * 12_000,
    )


def test_time_shares_by_hand() -> None:
    shares = time_shares_s(three_stop_route(), DURATION_S, SERVICE_S, LOCATION, 0)
    # First stop: the whole depot leg, its service, half the next leg; and so on.
    assert shares.tolist() == [1350.0, 900.0, 1650.0]


def test_time_shares_sum_to_duration() -> None:
    route = three_stop_route(wait_first_s=240.0)
    shares = time_shares_s(route, DURATION_S, SERVICE_S, LOCATION, 0)
    assert shares.sum() == pytest.approx(route.duration_s)


def test_waiting_charged_to_its_stop() -> None:
    shares = time_shares_s(
        three_stop_route(wait_first_s=240.0), DURATION_S, SERVICE_S, LOCATION, 0
    )
    assert shares[0] == 1350.0 + 240.0


def test_allocation_by_hand() -> None:
    route = three_stop_route()
    assert route.cost_total == pytest.approx(121_500.0)
    shares = time_shares_s(route, DURATION_S, SERVICE_S, LOCATION, 0)
    allocated = allocate_by_time(route.cost_total, shares)
    assert allocated == pytest.approx([42_057.6923, 28_038.4615, 51_403.8462])


def test_allocation_adds_up() -> None:
    route = three_stop_route(wait_first_s=240.0)
    shares = time_shares_s(route, DURATION_S, SERVICE_S, LOCATION, 0)
    assert allocate_by_time(route.cost_total, shares).sum() == pytest.approx(route.cost_total)


def test_allocation_zero_time_splits_evenly() -> None:
    assert allocate_by_time(90.0, np.zeros(3)).tolist() == [30.0, 30.0, 30.0]
