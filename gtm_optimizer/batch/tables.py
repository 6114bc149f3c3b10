"""Tables of a re-routed day: stops, routes and unserved orders.

Every order of the day ends up in exactly one of ``stops`` or ``unserved``, each unserved
order with a machine-readable reason: the snapping reasons of
:class:`~gtm_optimizer.network.Snapping`, the solver reasons of
:data:`solvers.routing.UNSERVED_REASONS`, or one of the batch's own:

* ``deadline_exceeded``: the batch deadline passed before its territory's route was solved;
* ``solver_error``: the solve of its territory failed (the detail names the error);
* ``no_territory``: no customer of the plan has a territory to join.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString

from gtm_optimizer.batch.problems import RerouteDay
from gtm_optimizer.execution import TaskOutcome
from gtm_optimizer.i18n import _
from gtm_optimizer.routing_details import translate_routing_detail
from gtm_optimizer.scenario import WEEKDAYS, format_clock
from solvers.routing import Route, RoutingResult

DEADLINE_EXCEEDED = "deadline_exceeded"
SOLVER_ERROR = "solver_error"
NO_TERRITORY = "no_territory"

STOP_COLUMNS = [
    "route_id",
    "territory_id",
    "sequence",
    "customer_id",
    "key",
    "arrival",
    "start_service",
    "departure",
    "wait_s",
    "service_s",
    "volume",
    "load",
    "line",
    "lat",
    "lon",
]
ROUTE_COLUMNS = [
    "route_id",
    "territory_id",
    "week",
    "weekday",
    "vehicle_type",
    "depot_id",
    "n_stops",
    "volume",
    "distance_km",
    "duration_h",
    "wait_h",
    "start",
    "end",
    "cost_fixed",
    "cost_distance",
    "cost_time",
    "cost_total",
    "status",
    "reproducible",
    "warm_start",
    "solve_s",
]
UNSERVED_COLUMNS = ["customer_id", "route_id", "reason", "detail", "line"]


@dataclass(frozen=True)
class DayTables:
    """Stops, routes (without geometry) and unserved orders of the solved day."""

    stops: pd.DataFrame
    routes: pd.DataFrame
    unserved: pd.DataFrame
    route_points: dict[str, list[int]]


def tabulate_days(
    orders: pd.DataFrame,
    days: Sequence[RerouteDay],
    outcomes: Sequence[TaskOutcome[RoutingResult]],
    deadline_s: float,
) -> DayTables:
    """Turn the solver outcomes of every territory into the day's tables."""
    stops: list[dict[str, object]] = []
    routes: list[dict[str, object]] = []
    unserved: list[dict[str, object]] = []
    route_points: dict[str, list[int]] = {}
    for day, outcome in zip(days, outcomes, strict=True):
        if not outcome.ok or outcome.value is None:
            reason, detail = _failure(outcome, deadline_s)
            unserved += [
                _unserved(orders, int(row), day.route_id, reason, detail) for row in day.rows
            ]
            continue
        result = outcome.value
        for route in result.routes:
            stops += _stops(orders, day, route)
            routes.append(_route(day, route, result))
            route_points[day.route_id] = [
                int(day.points[0]),
                *(int(day.points[1 + c]) for c in route.clients),
                int(day.points[0]),
            ]
        unserved += [
            _unserved(
                orders,
                int(day.rows[item.client]),
                day.route_id,
                item.reason,
                translate_routing_detail(item.detail),
            )
            for item in result.unserved
        ]
    return DayTables(
        pd.DataFrame(stops, columns=STOP_COLUMNS),
        pd.DataFrame(routes, columns=ROUTE_COLUMNS),
        pd.DataFrame(unserved, columns=UNSERVED_COLUMNS),
        route_points,
    )


def _failure(outcome: TaskOutcome[RoutingResult], deadline_s: float) -> tuple[str, str]:
    if outcome.timed_out:
        return DEADLINE_EXCEEDED, _(
            "the batch deadline of {deadline_s} s passed before this route was solved; "
            "raise --deadline-s or lower --time-limit"
        ).format(deadline_s=f"{deadline_s:g}")
    return SOLVER_ERROR, outcome.error or _("the solver returned no result")


def _unserved(
    orders: pd.DataFrame, row: int, route_id: str, reason: str, detail: str
) -> dict[str, object]:
    return {
        "customer_id": orders.at[row, "customer_id"],
        "route_id": route_id,
        "reason": reason,
        "detail": detail,
        "line": orders.at[row, "line"],
    }


def _stops(orders: pd.DataFrame, day: RerouteDay, route: Route) -> list[dict[str, object]]:
    records = []
    for sequence, visit in enumerate(route.visits, start=1):
        row = int(day.rows[visit.client])
        records.append(
            {
                "route_id": day.route_id,
                "territory_id": day.territory_id,
                "sequence": sequence,
                "customer_id": orders.at[row, "customer_id"],
                "key": orders.at[row, "key"],
                "arrival": format_clock(visit.arrival_s),
                "start_service": format_clock(visit.start_s),
                "departure": format_clock(visit.departure_s),
                "wait_s": visit.wait_s,
                "service_s": visit.departure_s - visit.start_s,
                "volume": orders.at[row, "volume"],
                "load": visit.load[0],
                "line": orders.at[row, "line"],
                "lat": orders.at[row, "lat"],
                "lon": orders.at[row, "lon"],
            }
        )
    return records


def _route(day: RerouteDay, route: Route, result: RoutingResult) -> dict[str, object]:
    return {
        "route_id": day.route_id,
        "territory_id": day.territory_id,
        "week": day.week,
        "weekday": WEEKDAYS[day.weekday],
        "vehicle_type": day.vehicle.name,
        "depot_id": day.depot_id,
        "n_stops": len(route.visits),
        "volume": route.load[0],
        "distance_km": route.distance_m / 1000.0,
        "duration_h": route.duration_s / 3600.0,
        "wait_h": route.wait_s / 3600.0,
        "start": format_clock(route.start_s),
        "end": format_clock(route.end_s),
        "cost_fixed": route.cost_fixed,
        "cost_distance": route.cost_distance,
        "cost_time": route.cost_time,
        "cost_total": route.cost_total,
        "status": result.status,
        "reproducible": result.reproducible,
        "warm_start": day.warm_start,
        "solve_s": result.runtime_s,
    }


def route_geometries(
    routes: pd.DataFrame,
    route_points: dict[str, list[int]],
    path_of: Callable[[list[int]], list[tuple[float, float]]],
) -> gpd.GeoDataFrame:
    """Return the routes with their road-following lines (WGS84).

    ``path_of`` turns a route's matrix points, depot to depot, into (lon, lat) vertices.
    """
    lines = []
    for route_id in routes["route_id"]:
        coords = path_of(route_points[route_id])
        lines.append(LineString(coords) if len(coords) >= 2 else LineString())
    return gpd.GeoDataFrame(routes, geometry=lines, crs=4326)
