"""Validation of the routing problem's building blocks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from solvers.routing import Client, Depot, RoutingProblem, VehicleType

H = 3600.0


def _matrix() -> np.ndarray:
    return np.array([[0.0, 10.0, 20.0], [10.0, 0.0, 10.0], [20.0, 10.0, 0.0]])


def _problem(**changes: object) -> RoutingProblem:
    fields: dict[str, object] = {
        "duration_s": _matrix(),
        "distance_m": _matrix(),
        "depots": (Depot(0),),
        "clients": (Client(1, (1.0,)), Client(2, (2.0,))),
        "vehicle_types": (VehicleType(2, (10.0,)),),
    }
    fields.update(changes)
    return RoutingProblem(**fields)  # type: ignore[arg-type]


def test_matrix_inf_rejected() -> None:
    duration_s = _matrix()
    duration_s[1, 2] = math.inf
    with pytest.raises(
        ValueError, match=r"duration_s\[1, 2\] = inf is not finite \(1 such cells\)"
    ):
        _problem(duration_s=duration_s)


def test_matrix_nan_rejected() -> None:
    distance_m = _matrix()
    distance_m[2, 0] = math.nan
    with pytest.raises(ValueError, match=r"distance_m\[2, 0\] = nan is not finite"):
        _problem(distance_m=distance_m)


def test_matrix_negative_rejected() -> None:
    duration_s = _matrix()
    duration_s[0, 1] = -5.0
    with pytest.raises(ValueError, match=r"duration_s\[0, 1\] = -5.0 must be >= 0"):
        _problem(duration_s=duration_s)


def test_matrix_shape_mismatch() -> None:
    with pytest.raises(ValueError, match=r"distance_m has shape \(2, 2\)"):
        _problem(distance_m=np.zeros((2, 2)))


def test_matrix_read_only() -> None:
    problem = _problem()
    with pytest.raises(ValueError, match="read-only"):
        problem.duration_s[0, 1] = 1.0


def test_client_reversed_window() -> None:
    with pytest.raises(ValueError, match=r"window \(36000.0, 32400.0\) ends before it starts"):
        Client(1, (1.0,), time_windows=((10 * H, 9 * H),))


def test_client_overlapping_windows() -> None:
    with pytest.raises(ValueError, match="overlap or are out of order"):
        Client(1, (1.0,), time_windows=((8 * H, 10 * H), (9 * H, 11 * H)))


def test_client_touching_windows_allowed() -> None:
    client = Client(1, (1.0,), time_windows=((8 * H, 10 * H), (10 * H, 11 * H)))
    assert len(client.time_windows) == 2


def test_client_penalty_needs_optional() -> None:
    with pytest.raises(ValueError, match="penalty = 5 applies only to optional clients"):
        Client(1, (1.0,), penalty=5)


def test_client_negative_demand() -> None:
    with pytest.raises(ValueError, match=r"demand = \(-1.0,\) must contain finite non-negative"):
        Client(1, (-1.0,))


def test_demand_dimensions_mismatch() -> None:
    with pytest.raises(ValueError, match=r"clients\[0\].demand = \(1.0, 2.0\) has 2 dimensions"):
        _problem(clients=(Client(1, (1.0, 2.0)),))


def test_depot_index_out_of_range() -> None:
    with pytest.raises(ValueError, match=r"vehicle_types\[0\] uses depot 3, but there are only 1"):
        _problem(vehicle_types=(VehicleType(1, (10.0,), start_depot=3),))


def test_client_location_out_of_range() -> None:
    with pytest.raises(ValueError, match=r"clients\[1\].location = 7 is outside the 3x3"):
        _problem(clients=(Client(1, (1.0,)), Client(7, (1.0,))))


def test_vehicle_count_zero() -> None:
    with pytest.raises(ValueError, match="count = 0 must be >= 1"):
        VehicleType(0, (10.0,))


def test_vehicle_shift_reversed() -> None:
    with pytest.raises(
        ValueError, match=r"shift_end_s = 25200\.0 is before shift_start_s = 61200\.0"
    ):
        VehicleType(1, (10.0,), shift_start_s=17 * H, shift_end_s=7 * H)


def test_shift_outside_depot_hours() -> None:
    with pytest.raises(ValueError, match="leaves no time within the depots' opening hours"):
        _problem(
            depots=(Depot(0, tw_early_s=18 * H, tw_late_s=20 * H),),
            vehicle_types=(VehicleType(1, (10.0,), shift_start_s=7 * H, shift_end_s=17 * H),),
        )


def test_shift_bounds_combine_depot_hours() -> None:
    problem = _problem(
        depots=(Depot(0, tw_early_s=6 * H, tw_late_s=16 * H),),
        vehicle_types=(VehicleType(1, (10.0,), shift_start_s=7 * H, shift_end_s=17 * H),),
    )
    bounds = problem.shift_bounds(0)
    assert bounds.earliest_departure_s == 7 * H
    assert bounds.latest_return_s == 16 * H


def test_initial_routes_duplicate_client() -> None:
    with pytest.raises(ValueError, match="initial_routes visits client 1 twice"):
        _problem(initial_routes=((0, 1), (1,)))


def test_initial_routes_too_many() -> None:
    with pytest.raises(ValueError, match="initial_routes has 3 routes but the fleet has 2"):
        _problem(initial_routes=((0,), (1,), ()))


def test_previous_route_of_length() -> None:
    with pytest.raises(ValueError, match=r"previous_route_of has 1 entries; expected one per"):
        _problem(previous_route_of=(0,))


def test_vehicle_type_of_numbering() -> None:
    problem = _problem(vehicle_types=(VehicleType(2, (10.0,)), VehicleType(1, (5.0,))))
    assert [problem.vehicle_type_of(v) for v in range(3)] == [0, 0, 1]
