"""Details of unserved clients, from the real route solver, written again in Spanish."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from gtm_optimizer import i18n
from gtm_optimizer.routing_details import translate_routing_detail
from solvers.routing import Client, Depot, RoutingProblem, VehicleType, solve
from solvers.routing.prechecks import find_unservable

# One client 600 s (5 km) from the depot each way, a 07:00-17:00 shift.
SHIFT_START_S = 7 * 3600.0
SHIFT_END_S = 17 * 3600.0


def clock_s(hours: int, minutes: int) -> float:
    return hours * 3600.0 + minutes * 60.0


def problem(
    *,
    demand: float = 10.0,
    service_s: float = 0.0,
    windows: tuple[tuple[float, float], ...] = (),
    vehicle_types: int = 1,
    **vehicle: Any,
) -> RoutingProblem:
    return RoutingProblem(
        duration_s=np.array([[0.0, 600.0], [600.0, 0.0]]),
        distance_m=np.array([[0.0, 5000.0], [5000.0, 0.0]]),
        depots=(Depot(location=0),),
        clients=(Client(location=1, demand=(demand,), service_s=service_s, time_windows=windows),),
        vehicle_types=tuple(
            VehicleType(
                count=1,
                capacity=(100.0,),
                shift_start_s=SHIFT_START_S,
                shift_end_s=SHIFT_END_S,
                name=f"van{index + 1}",
                **vehicle,
            )
            for index in range(vehicle_types)
        ),
    )


CASES = {
    # 150 cases on a 100-case van.
    "capacity": (problem(demand=150.0), "demanda 150 > capacidad máxima 100"),
    # 18:00-20:00 lies after the 17:00 end of the shift.
    "outside_shift": (
        problem(windows=((clock_s(18, 0), clock_s(20, 0)),)),
        "las ventanas 18:00-20:00 quedan fuera del turno 07:00-17:00",
    ),
    # 20 min of service from 16:50 ends at 17:10.
    "service_after_shift": (
        problem(service_s=1200.0, windows=((clock_s(16, 50), clock_s(17, 0)),)),
        "el servicio de 20 min, iniciado al abrir la ventana a las 16:50, termina después del "
        "fin del turno a las 17:00",
    ),
    # Leaving at 07:00 and driving 10 min, the van arrives at 07:10, after the 07:05 close.
    "late_arrival": (
        problem(windows=((clock_s(7, 0), clock_s(7, 5)),)),
        "la llegada más temprana, 07:10, es posterior al cierre de la ventana a las 07:05",
    ),
    # Service 16:45-16:55, then 10 min back: 17:05.
    "late_return": (
        problem(service_s=600.0, windows=((clock_s(16, 45), clock_s(16, 55)),)),
        "el regreso más temprano al centro de distribución, 17:05, es posterior al fin del "
        "turno a las 17:00",
    ),
    # 10 min out, 10 min of service, 10 min back: 30 min against 25.
    "max_duration": (
        problem(service_s=600.0, max_duration_s=1500.0),
        "ir del centro de distribución al cliente y volver, con el servicio, toma 30 min > "
        "duración máxima 25 min",
    ),
    # 5 km out and 5 km back against 8 km.
    "max_distance": (
        problem(max_distance_m=8000.0),
        "ir del centro de distribución al cliente y volver son 10 km > distancia máxima 8 km",
    ),
    # Both van types fail the same way, so the solver names the first.
    "vehicle_suffix": (
        problem(demand=10.0, max_distance_m=8000.0, vehicle_types=2),
        "ir del centro de distribución al cliente y volver son 10 km > distancia máxima 8 km "
        "(tipo de vehículo van1, el que más se acercó a atenderlo)",
    ),
}


def solver_detail(case: str) -> str:
    (item,) = find_unservable(CASES[case][0])
    return item.detail


@pytest.mark.parametrize("case", CASES)
def test_spanish_precheck_detail(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    detail = solver_detail(case)
    monkeypatch.setitem(i18n._current, "language", "es")
    assert translate_routing_detail(detail) == CASES[case][1]


@pytest.mark.parametrize("case", CASES)
def test_english_detail_unchanged(case: str) -> None:
    detail = solver_detail(case)
    assert translate_routing_detail(detail) == detail


def test_crowded_day_detail_spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two clients want the van at 07:10-07:20 for 30 min each, so one of them is left out.
    window = ((clock_s(7, 10), clock_s(7, 20)),)
    crowded = RoutingProblem(
        duration_s=np.array([[0.0, 600.0, 600.0], [600.0, 0.0, 60.0], [600.0, 60.0, 0.0]]),
        distance_m=np.full((3, 3), 1000.0) - np.eye(3) * 1000.0,
        depots=(Depot(location=0),),
        clients=tuple(
            Client(location=location, demand=(1.0,), service_s=1800.0, time_windows=window)
            for location in (1, 2)
        ),
        vehicle_types=(
            VehicleType(
                count=1, capacity=(10.0,), shift_start_s=SHIFT_START_S, shift_end_s=SHIFT_END_S
            ),
        ),
    )
    result = solve(crowded, backend="pyvrp", time_limit_s=0.5, seed=1)
    (item,) = result.unserved
    monkeypatch.setitem(i18n._current, "language", "es")
    assert translate_routing_detail(item.detail).startswith("el optimizador ")


def test_open_end_translated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._current, "language", "es")
    detail = "windows 18:00-open end lie outside the shift 07:00-17:00"
    expected = "las ventanas 18:00-sin fin quedan fuera del turno 07:00-17:00"
    assert translate_routing_detail(detail) == expected


def test_unknown_detail_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._current, "language", "es")
    assert translate_routing_detail("the depot is closed") == "the depot is closed"
