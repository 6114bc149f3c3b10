"""Prospects: what it would cost to add an outlet of the universe to an existing route.

For each prospect and each route, the cheapest insertion puts the prospect between the two
consecutive points of the route (depot, stops, depot) where the detour is smallest. The
detour of inserting ``p`` between ``a`` and ``b`` is ``t[a, p] + t[p, b] − t[a, b]`` in time
and the same in distance. The marginal cost of one visit is::

    (detour_s + service_s) / 3600 × cost_per_hour + detour_m / 1000 × cost_per_km
        + drop_cost_per_visit

with the route's own vehicle costs, and ``drop_cost_per_visit`` the costs charged per visit
(cost per drop plus order taking). Each prospect keeps its cheapest route, and the table is
sorted by that cost, cheapest first, to show a planner which outlets are cheap to win.

NOTE: the insertion does not check the route's shift, capacity or time windows. A prospect
that looks cheap may not fit, so re-solving the routes with the prospect confirms it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from gtm_optimizer.i18n import _

logger = logging.getLogger(__name__)

TravelFunction = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]
"""``travel(origins, destinations) -> (duration_s, distance_m)``, each of shape
``(len(origins), len(destinations))``; points are rows of coordinates the function
understands."""


def straight_line_travel(*, speed_kph: float, circuity: float = 1.3) -> TravelFunction:
    """Return a travel function on planar coordinates in metres.

    Distances are straight-line distances times ``circuity`` (roads are longer than the
    straight line), and times are those distances at ``speed_kph``.
    """
    if speed_kph <= 0.0:
        raise ValueError(f"speed_kph = {speed_kph} must be > 0")
    if circuity < 1.0:
        raise ValueError(f"circuity = {circuity} must be >= 1; roads are never shorter")

    def travel(origins: np.ndarray, destinations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        a = np.asarray(origins, dtype=float)[:, None, :]
        b = np.asarray(destinations, dtype=float)[None, :, :]
        distance_m = np.sqrt(((a - b) ** 2).sum(axis=2)) * circuity
        return distance_m / (speed_kph / 3.6), distance_m

    return travel


def prospect_costs(
    prospects_xy: np.ndarray,
    routes: pd.DataFrame,
    stops: pd.DataFrame,
    travel: TravelFunction,
    *,
    prospect_ids: Sequence[str] | None = None,
    service_s: float = 0.0,
    drop_cost_per_visit: float = 0.0,
) -> pd.DataFrame:
    """Rank prospects by the marginal cost of adding one visit to their cheapest route.

    Parameters
    ----------
    prospects_xy
        Coordinates of the prospects, one row each, as ``travel`` reads them.
    routes
        One row per route: ``route_id``, ``depot_x``, ``depot_y``, ``cost_per_hour`` and
        ``cost_per_km``.
    stops
        ``route_id``, ``sequence`` and ``x``, ``y`` of every stop.
    travel
        Travel times and distances between points, see :data:`TravelFunction`.
    prospect_ids
        Ids reported for the prospects; their positions when omitted.
    service_s
        Service time of a visit to a prospect.
    drop_cost_per_visit
        Costs charged per visit besides the route's (cost per drop, order taking).

    Returns
    -------
    pandas.DataFrame
        One row per prospect, cheapest first: ``prospect_id``, ``route_id``, ``insert_after``
        (the sequence of the stop it follows, 0 for the depot), ``detour_s``, ``detour_km``,
        ``cost_time``, ``cost_distance``, ``cost_drop``, ``marginal_cost`` and ``rank``.
    """
    started = time.perf_counter()
    points = np.asarray(prospects_xy, dtype=float)
    ids = list(range(len(points))) if prospect_ids is None else list(prospect_ids)
    if len(ids) != len(points):
        raise ValueError(f"prospect_ids has {len(ids)} ids for {len(points)} prospects")
    if routes.empty:
        raise ValueError("routes is empty; prospects can only be inserted into existing routes")

    best: dict[str, np.ndarray] | None = None
    for route in routes.to_dict("records"):
        path = _route_path(route, stops)
        insertion = _cheapest_insertion(
            points,
            path,
            travel,
            service_s=service_s,
            cost_per_hour=float(route["cost_per_hour"]),
            cost_per_km=float(route["cost_per_km"]),
        )
        insertion["route_id"] = np.full(len(points), route["route_id"], dtype=object)
        if best is None:
            best = insertion
        else:
            better = insertion["cost"] < best["cost"]
            best = {key: np.where(better, insertion[key], best[key]) for key in best}
    assert best is not None

    table = pd.DataFrame(
        {
            "prospect_id": ids,
            "route_id": best["route_id"],
            "insert_after": best["position"].astype(int),
            "detour_s": best["detour_s"],
            "detour_km": best["detour_m"] / 1000.0,
            "cost_time": best["cost_time"],
            "cost_distance": best["cost_distance"],
            "cost_drop": float(drop_cost_per_visit),
        }
    )
    table["marginal_cost"] = table["cost_time"] + table["cost_distance"] + table["cost_drop"]
    table = table.sort_values("marginal_cost", kind="stable").reset_index(drop=True)
    table["rank"] = np.arange(1, len(table) + 1)
    logger.info(
        _("Costed {prospects} prospects against {routes} routes in {seconds:.2f} s").format(
            prospects=len(table), routes=len(routes), seconds=time.perf_counter() - started
        )
    )
    return table


def _route_path(route: dict[Hashable, Any], stops: pd.DataFrame) -> np.ndarray:
    depot = [float(route["depot_x"]), float(route["depot_y"])]
    own = stops[stops["route_id"] == route["route_id"]].sort_values("sequence")
    return np.vstack([depot, own[["x", "y"]].to_numpy(float), depot])


def _cheapest_insertion(
    points: np.ndarray,
    path: np.ndarray,
    travel: TravelFunction,
    *,
    service_s: float,
    cost_per_hour: float,
    cost_per_km: float,
) -> dict[str, np.ndarray]:
    to_s, to_m = travel(path[:-1], points)
    from_s, from_m = travel(points, path[1:])
    leg_s, leg_m = travel(path[:-1], path[1:])
    # Gap j runs from path[j] to path[j + 1]; the detour never counts below zero.
    detour_s = np.maximum(to_s + from_s.T - np.diag(leg_s)[:, None], 0.0)
    detour_m = np.maximum(to_m + from_m.T - np.diag(leg_m)[:, None], 0.0)
    cost_time = (detour_s + service_s) / 3600.0 * cost_per_hour
    cost_distance = detour_m / 1000.0 * cost_per_km
    cost = cost_time + cost_distance
    position = np.argmin(cost, axis=0)
    columns = np.arange(len(points))
    return {
        "position": position,
        "cost": cost[position, columns],
        "detour_s": detour_s[position, columns],
        "detour_m": detour_m[position, columns],
        "cost_time": cost_time[position, columns],
        "cost_distance": cost_distance[position, columns],
    }
