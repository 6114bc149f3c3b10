"""Reasons and numbers for clients that no vehicle can serve."""

from __future__ import annotations

import numpy as np
import pytest

from solvers.routing import Client, Depot, RoutingProblem, Unserved, VehicleType
from solvers.routing.prechecks import clip_windows, find_unservable, format_clock

H = 3600.0
MIN = 60.0


def _problem(client: Client, *vehicles: VehicleType, travel_s: float = 30 * MIN) -> RoutingProblem:
    """One depot at location 0 and one client at location 1, ``travel_s`` apart, 10 m/s."""
    duration_s = np.array([[0.0, travel_s], [travel_s, 0.0]])
    fleet = vehicles or (VehicleType(1, (100.0,), shift_start_s=7 * H, shift_end_s=17 * H),)
    return RoutingProblem(duration_s, duration_s * 10.0, (Depot(0),), (client,), fleet)


def test_format_clock_minutes() -> None:
    assert format_clock(9 * H + 5 * MIN) == "09:05"


def test_format_clock_seconds() -> None:
    assert format_clock(9 * H + 7.0) == "09:00:07"


def test_clip_partly_outside() -> None:
    assert clip_windows(((16.5 * H, 23 * H + 59 * MIN),), 7 * H, 17 * H) == ((16.5 * H, 17 * H),)


def test_clip_drops_outside() -> None:
    assert clip_windows(((18 * H, 20 * H), (5 * H, 6.5 * H)), 7 * H, 17 * H) == ()


def test_servable_client_passes() -> None:
    client = Client(1, (10.0,), service_s=10 * MIN, time_windows=((9 * H, 10 * H),))
    assert find_unservable(_problem(client)) == ()


def test_demand_above_capacity() -> None:
    assert find_unservable(_problem(Client(1, (150.0,)))) == (
        Unserved(0, "demand_exceeds_capacity", "demand 150 > largest capacity 100"),
    )


def test_demand_above_capacity_dimension() -> None:
    vans = (VehicleType(1, (100.0, 2.0)), VehicleType(1, (50.0, 4.0)))
    problem = _problem(Client(1, (80.0, 3.0)), *vans)
    # 80 fits the first van only, 3 fits the second only: no single van carries both.
    assert find_unservable(problem)[0].detail == (
        "demand (80.0, 3.0) fits no single vehicle type in every dimension at once"
    )


def test_window_outside_shift() -> None:
    client = Client(1, (1.0,), time_windows=((18 * H, 20 * H),))
    assert find_unservable(_problem(client)) == (
        Unserved(
            0, "window_outside_shift", "windows 18:00-20:00 lie outside the shift 07:00-17:00"
        ),
    )


def test_window_closes_before_arrival() -> None:
    # Leaving at 07:00 with 30 min of travel arrives at 07:30, after 07:00-07:20.
    client = Client(1, (1.0,), time_windows=((7 * H, 7 * H + 20 * MIN),))
    assert find_unservable(_problem(client)) == (
        Unserved(
            0, "window_unreachable", "earliest arrival 07:30 is after the window closes at 07:20"
        ),
    )


def test_return_after_shift_end() -> None:
    # Service 16:40-16:50, then 30 min back: 17:20, after the 17:00 shift end.
    client = Client(1, (1.0,), service_s=10 * MIN, time_windows=((16 * H + 40 * MIN, 17 * H),))
    assert find_unservable(_problem(client)) == (
        Unserved(
            0,
            "window_unreachable",
            "earliest return to the depot 17:20 is after the shift ends at 17:00",
        ),
    )


def test_window_shorter_than_service() -> None:
    # 16:55-18:00 is clipped to 16:55-17:00; 10 min of service from 16:55 ends at 17:05.
    client = Client(1, (1.0,), service_s=10 * MIN, time_windows=((16 * H + 55 * MIN, 18 * H),))
    assert find_unservable(_problem(client, travel_s=MIN))[0].reason == (
        "window_shorter_than_service"
    )


def test_service_longer_than_window_servable() -> None:
    # Service starts within 10:00-10:15 and may run past 10:15.
    client = Client(1, (1.0,), service_s=45 * MIN, time_windows=((10 * H, 10.25 * H),))
    assert find_unservable(_problem(client)) == ()


def test_zero_width_window_servable() -> None:
    client = Client(1, (1.0,), service_s=30 * MIN, time_windows=((14 * H, 14 * H),))
    assert find_unservable(_problem(client)) == ()


def test_max_duration() -> None:
    vehicle = VehicleType(1, (100.0,), max_duration_s=H)
    client = Client(1, (1.0,), service_s=15 * MIN)
    assert find_unservable(_problem(client, vehicle)) == (
        Unserved(
            0,
            "max_duration",
            "depot to client and back with service takes 75 min > max duration 60 min",
        ),
    )


def test_max_distance() -> None:
    vehicle = VehicleType(1, (100.0,), max_distance_m=30_000.0)
    # 30 min at 10 m/s is 18 km each way.
    assert find_unservable(_problem(Client(1, (1.0,)), vehicle)) == (
        Unserved(0, "max_distance", "depot to client and back is 36 km > max distance 30 km"),
    )


def test_closest_vehicle_type_reason() -> None:
    small = VehicleType(1, (5.0,), name="small")
    short_shift = VehicleType(1, (100.0,), shift_start_s=7 * H, shift_end_s=8 * H, name="early")
    client = Client(1, (10.0,), time_windows=((9 * H, 10 * H),))
    # The small van cannot carry it; the early van can, but works outside the window.
    assert find_unservable(_problem(client, small, short_shift)) == (
        Unserved(
            0,
            "window_outside_shift",
            "windows 09:00-10:00 lie outside the shift "
            "07:00-08:00 (vehicle type early, the closest to "
            "serving it)",
        ),
    )


def test_any_vehicle_type_suffices() -> None:
    small = VehicleType(1, (5.0,))
    large = VehicleType(1, (100.0,))
    assert find_unservable(_problem(Client(1, (10.0,)), small, large)) == ()


@pytest.mark.parametrize(
    "windows",
    [((5 * H, 6.5 * H),), ((18 * H, 20 * H),), ((5 * H, 6 * H), (18 * H, 19 * H))],
)
def test_every_window_outside(windows: tuple[tuple[float, float], ...]) -> None:
    client = Client(1, (1.0,), time_windows=windows)
    assert find_unservable(_problem(client))[0].reason == "window_outside_shift"
