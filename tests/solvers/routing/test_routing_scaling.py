"""Integer scaling: conservative rounding and overflow checks."""

from __future__ import annotations

import numpy as np
import pytest

from solvers.routing import Client, Depot, RoutingProblem, VehicleType
from solvers.routing.scaling import round_down, round_up, scale_problem

H = 3600.0


def _problem(
    clients: tuple[Client, ...],
    vehicle: VehicleType | None = None,
    duration_s: np.ndarray | None = None,
) -> RoutingProblem:
    n = len(clients) + 1
    if duration_s is None:
        duration_s = np.full((n, n), 600.0)
        np.fill_diagonal(duration_s, 0.0)
    vehicle = vehicle or VehicleType(
        2, (2.0,), shift_start_s=7 * H, shift_end_s=17 * H, cost_per_km=1.2, cost_per_hour=25.0
    )
    return RoutingProblem(duration_s, duration_s * 10.0, (Depot(0),), clients, (vehicle,))


def _fractional() -> RoutingProblem:
    return _problem(tuple(Client(i + 1, (d,)) for i, d in enumerate((0.4, 0.6, 0.7, 0.8, 0.9))))


def test_round_up_near_integer() -> None:
    assert round_up(0.4 * 1000) == 400


def test_round_up_fraction() -> None:
    assert round_up(10.2) == 11


def test_round_down_fraction() -> None:
    assert round_down(10.8) == 10


def test_fractional_demand_factor() -> None:
    assert scale_problem(_fractional(), range(5)).demand_factors == (10,)


def test_fractional_demand_values() -> None:
    assert scale_problem(_fractional(), range(5)).demand[:, 0].tolist() == [4, 6, 7, 8, 9]


def test_fractional_capacity_value() -> None:
    assert scale_problem(_fractional(), range(5)).vehicle_types[0].capacity == (20,)


def test_fine_demand_rounded_conservatively() -> None:
    # Four decimals exceed the 3-decimal precision: demand rounds up, capacity down.
    vehicle = VehicleType(1, (1.23456,))
    scaled = scale_problem(_problem((Client(1, (0.00012,)),), vehicle), [0])
    assert scaled.demand_factors == (1000,)
    assert scaled.demand[0, 0] == 1
    assert scaled.vehicle_types[0].capacity == (1234,)


def test_durations_rounded_up() -> None:
    duration_s = np.array([[0.0, 10.2], [10.7, 0.0]])
    scaled = scale_problem(_problem((Client(1, (1.0,)),), duration_s=duration_s), [0])
    assert scaled.duration.tolist() == [[0, 11], [11, 0]]


def test_windows_rounded_inward() -> None:
    client = Client(1, (1.0,), time_windows=((9 * H + 0.5, 10 * H + 0.5),))
    scaled = scale_problem(_problem((client,)), [0])
    assert scaled.windows == (((9 * 3600 + 1, 10 * 3600),),)


def test_window_clipped_to_shift() -> None:
    client = Client(1, (1.0,), time_windows=((16.5 * H, 23 * H + 59 * 60),))
    scaled = scale_problem(_problem((client,)), [0])
    assert scaled.windows == (((59_400, 61_200),),)


def test_sub_second_window_dropped() -> None:
    client = Client(1, (1.0,), time_windows=((9 * H + 0.2, 9 * H + 0.7),))
    scaled = scale_problem(_problem((client,)), [0])
    assert scaled.dropped == (0,)


def test_money_scale_cents() -> None:
    # 1.2 per km is 0.0012 per metre: 10**5 units make it 120.
    assert scale_problem(_fractional(), range(5)).money_scale == 100_000


def test_unit_costs() -> None:
    vehicle = scale_problem(_fractional(), range(5)).vehicle_types[0]
    assert vehicle.unit_distance_cost == 120
    assert vehicle.unit_duration_cost == round(25.0 / 3600.0 * 100_000)


def test_required_penalty_above_optional() -> None:
    clients = (
        Client(1, (0.5,)),
        Client(2, (0.5,), required=False, penalty=3.0),
        Client(3, (0.5,), required=False),
    )
    scaled = scale_problem(_problem(clients), range(3))
    derived = max(v.route_cost_bound for v in scaled.vehicle_types) + 1
    assert scaled.penalties.tolist() == [derived + 300_000 + derived, 300_000, derived]


def test_derived_penalty_above_route_cost() -> None:
    # Worst route: fixed 0, 10 h at 25 per hour (250) and 2 arcs of 6 km at 1.2 per km (14.4).
    scaled = scale_problem(_problem((Client(1, (0.5,), required=False),)), [0])
    assert scaled.penalties[0] > (250.0 + 14.4) * scaled.money_scale


def test_objective_overflow_named() -> None:
    client = Client(1, (1.0,), required=False, penalty=1e15)
    with pytest.raises(ValueError, match=r"scaled worst-case objective = .* exceeds 7.20576e\+16"):
        scale_problem(_problem((client,)), [0])


def test_matrix_overflow_named() -> None:
    duration_s = np.array([[0.0, 2.0**45], [1.0, 0.0]])
    with pytest.raises(ValueError, match=r"scaled duration_s = 3.51844e\+13 exceeds 1.75922e\+13"):
        scale_problem(_problem((Client(1, (1.0,)),), duration_s=duration_s), [0])


def test_open_shift_horizon_finite() -> None:
    vehicle = VehicleType(1, (10.0,), shift_start_s=7 * H)
    scaled = scale_problem(_problem((Client(1, (1.0,), service_s=300.0),), vehicle), [0])
    # Latest finite time 07:00, plus two arcs of 600 s, 300 s of service and 1 s.
    assert scaled.horizon == 7 * 3600 + 2 * 600 + 300 + 1
