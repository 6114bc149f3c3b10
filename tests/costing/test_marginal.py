"""Marginal and time allocation of one route, checked by hand on a three-customer route."""

from __future__ import annotations

import numpy as np
import pytest

from gtm_optimizer.costing.allocation import allocate_by_time, time_shares_s
from gtm_optimizer.costing.marginal import allocate_by_marginal, removal_savings, route_savings
from solvers.routing import Route, Visit

# Depot at location 0, customers at 1, 2, 3, visited in that order.
# Legs 0→1 600 s, 1→2 300 s, 2→3 300 s, 3→0 900 s: 2 100 s of driving.
DURATION_S = np.array(
    [
        [0, 600, 900, 1200],
        [600, 0, 300, 600],
        [900, 300, 0, 300],
        [900, 600, 300, 0],
    ],
    dtype=float,
)
# Legs 0→1 4 000 m, 1→2 1 500 m, 2→3 1 500 m, 3→0 6 000 m: 13 km.
DISTANCE_M = np.array(
    [
        [0, 4000, 5000, 6000],
        [4000, 0, 1500, 3000],
        [5000, 1500, 0, 1500],
        [6000, 3000, 1500, 0],
    ],
    dtype=float,
)
PATH = np.array([0, 1, 2, 3, 0])
SERVICE_S = np.array([600.0, 600.0, 600.0])
NO_WAIT_S = np.zeros(3)
COST_PER_HOUR = 12_000.0
COST_PER_KM = 850.0
# 100 100 fixed + 13 km × 850 (11 050) + 3 900 s × 12 000 / h (13 000) = 124 150.
ROUTE_COST = 124_150.0


def three_stop_route() -> Route:
    start_s = 8 * 3600.0
    starts_s = [start_s + 600, start_s + 1500, start_s + 2400]
    visits = tuple(
        Visit(client=c, arrival_s=t, start_s=t, departure_s=t + 600, wait_s=0.0, load=(0.0,))
        for c, t in enumerate(starts_s)
    )
    return Route(
        vehicle_type=0,
        depot=0,
        visits=visits,
        start_s=start_s,
        end_s=start_s + 3900,
        distance_m=13_000.0,
        duration_s=3900.0,
        wait_s=0.0,
        load=(0.0,),
        cost_fixed=100_100.0,
        cost_distance=11_050.0,
        cost_time=13_000.0,
    )


def savings() -> np.ndarray:
    return removal_savings(
        PATH,
        DURATION_S,
        DISTANCE_M,
        SERVICE_S,
        NO_WAIT_S,
        cost_per_hour=COST_PER_HOUR,
        cost_per_km=COST_PER_KM,
    )


def test_route_cost_by_hand() -> None:
    assert three_stop_route().cost_total == ROUTE_COST


def test_removal_savings_by_hand() -> None:
    # Stop 1: 600 + 300 − 900 + 600 service = 600 s (2 000), 4 000 + 1 500 − 5 000 = 500 m (425).
    # Stop 2: 300 + 300 − 600 + 600 = 600 s (2 000), 1 500 + 1 500 − 3 000 = 0 m.
    # Stop 3: 300 + 900 − 900 + 600 = 900 s (3 000), 1 500 + 6 000 − 5 000 = 2 500 m (2 125).
    assert savings() == pytest.approx([2425.0, 2000.0, 5125.0])


def test_marginal_allocation_by_hand() -> None:
    # The savings add up to 9 550 and the route costs 124 150 = 13 × 9 550.
    allocated = allocate_by_marginal(ROUTE_COST, savings())
    assert allocated == pytest.approx([31_525.0, 26_000.0, 66_625.0])


def test_marginal_allocation_adds_up() -> None:
    assert allocate_by_marginal(ROUTE_COST, savings()).sum() == pytest.approx(ROUTE_COST)


def test_time_allocation_by_hand() -> None:
    # Shares 1 350, 900 and 1 650 s of 3 900 s; 124 150 / 3 900 per second.
    shares = time_shares_s(three_stop_route(), DURATION_S, SERVICE_S, np.array([1, 2, 3]), 0)
    allocated = allocate_by_time(ROUTE_COST, shares)
    assert allocated == pytest.approx([42_975.0, 28_650.0, 52_525.0])


def test_time_allocation_adds_up() -> None:
    shares = time_shares_s(three_stop_route(), DURATION_S, SERVICE_S, np.array([1, 2, 3]), 0)
    assert allocate_by_time(ROUTE_COST, shares).sum() == pytest.approx(ROUTE_COST)


def test_route_savings_match_arrays() -> None:
    from_route = route_savings(
        three_stop_route(),
        DURATION_S,
        DISTANCE_M,
        SERVICE_S,
        np.array([1, 2, 3]),
        0,
        cost_per_hour=COST_PER_HOUR,
        cost_per_km=COST_PER_KM,
    )
    assert from_route == pytest.approx(savings())


def test_waiting_saved_with_stop() -> None:
    waits = np.array([0.0, 360.0, 0.0])
    with_wait = removal_savings(
        PATH, DURATION_S, DISTANCE_M, SERVICE_S, waits, cost_per_hour=3600.0, cost_per_km=0.0
    )
    # 600 s of detour and service plus 360 s of waiting, at 1 per second.
    assert with_wait[1] == pytest.approx(960.0)


def test_negative_detour_counts_zero() -> None:
    # Going 0→2 directly is longer (2 000 s) than through 1 (600 + 300 s).
    duration_s = DURATION_S.copy()
    duration_s[0, 2] = 2000.0
    saved = removal_savings(
        np.array([0, 1, 2, 0]),
        duration_s,
        np.zeros((4, 4)),
        np.zeros(2),
        np.zeros(2),
        cost_per_hour=3600.0,
        cost_per_km=0.0,
    )
    assert saved[0] == 0.0


def test_zero_savings_split_evenly() -> None:
    assert allocate_by_marginal(90.0, np.zeros(3)).tolist() == [30.0, 30.0, 30.0]


def test_single_stop_takes_route() -> None:
    assert allocate_by_marginal(500.0, np.array([120.0])).tolist() == [500.0]


def test_savings_reject_short_service() -> None:
    with pytest.raises(ValueError, match="give one per stop"):
        removal_savings(
            PATH,
            DURATION_S,
            DISTANCE_M,
            SERVICE_S[:2],
            NO_WAIT_S,
            cost_per_hour=1.0,
            cost_per_km=1.0,
        )
