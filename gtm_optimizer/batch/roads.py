"""Travel matrices of the day's points: the depots, then every order.

Orders whose point cannot be reached on the road network, or that have no territory, are
split off as unserved with the snapping reason (or ``no_territory``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from gtm_optimizer.batch.day_orders import point_table
from gtm_optimizer.batch.plan import Plan
from gtm_optimizer.batch.tables import NO_TERRITORY, UNSERVED_COLUMNS
from gtm_optimizer.code_labels import reason_label
from gtm_optimizer.errors import ScenarioError
from gtm_optimizer.i18n import _
from gtm_optimizer.network import (
    build_matrices,
    load_network,
    route_path_lonlat,
    snap_points,
    straight_line_matrices,
)


@dataclass(frozen=True)
class RoadMatrices:
    """Travel matrices of the day's points, their usability, and the network behind them."""

    duration_s: np.ndarray
    distance_m: np.ndarray
    usable: np.ndarray
    reason: np.ndarray
    source: str
    network: Any
    snapping: Any


def travel_matrices(plan: Plan, orders: pd.DataFrame, cache_dir: Path | None) -> RoadMatrices:
    """Return the matrices over the depots and the orders, on roads or straight lines."""
    scenario = plan.scenario
    lat, lon = point_table(plan, orders)
    if scenario.network.straight_line:
        matrices = straight_line_matrices(
            lat, lon, speed_kph=scenario.network.straight_line_speed_kph
        )
        reason = np.where(matrices.usable, "", "invalid_coordinates").astype(object)
        return RoadMatrices(
            matrices.duration_s,
            matrices.distance_m,
            matrices.usable,
            reason,
            matrices.source,
            None,
            None,
        )
    path = scenario.resolve(scenario.network.path)
    assert path is not None
    network = load_network(
        path, profile=scenario.network.profile, speeds_kph=scenario.network.speeds_kph or None
    )
    snapping = snap_points(network, lat, lon, max_snap_m=scenario.network.max_snap_m)
    matrices = build_matrices(network, snapping, cache_dir=cache_dir)
    return RoadMatrices(
        matrices.duration_s,
        matrices.distance_m,
        np.asarray(matrices.usable),
        np.asarray(snapping.reason, dtype=object),
        matrices.source,
        network,
        snapping,
    )


def split_routable(
    plan: Plan, orders: pd.DataFrame, roads: RoadMatrices
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the orders that can be routed, with their matrix point, and the rest as unserved."""
    n_depots = len(plan.scenario.depots)
    for index, depot in enumerate(plan.scenario.depots):
        if not roads.usable[index]:
            raise ScenarioError(
                _(
                    "Depot {depot} cannot be reached on the road network ({reason}); move it onto "
                    "a road inside the network area."
                ).format(depot=depot.id, reason=reason_label(str(roads.reason[index])))
            )
    frame = orders.assign(point=np.arange(len(orders)) + n_depots)
    usable = roads.usable[n_depots:] & frame["territory_id"].ne("").to_numpy()
    records = []
    for row in np.flatnonzero(~usable):
        reason = str(roads.reason[n_depots + row]) or NO_TERRITORY
        records.append(
            {
                "customer_id": frame.at[row, "customer_id"],
                "route_id": "",
                "reason": reason,
                "detail": "",
                "line": frame.at[row, "line"],
            }
        )
    return frame[usable], pd.DataFrame(records, columns=UNSERVED_COLUMNS)


def road_path(roads: RoadMatrices, points: list[int]) -> list[tuple[float, float]]:
    """Return the road-following (lon, lat) line through matrix points; none without roads."""
    if roads.network is None:
        return []
    return route_path_lonlat(roads.network, roads.snapping, points)
