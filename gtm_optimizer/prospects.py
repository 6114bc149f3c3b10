"""Prospects: outlets of the universe that are not customers, priced by cheapest insertion.

For each prospect, the cheapest route to add it to and what that visit would cost (detour time
and distance at the route's vehicle costs, plus the per-visit costs), ranked so that the outlets
cheapest to win come first. Detours use straight-line distances stretched by the road
network's measured circuity at the routes' average driving speed: an estimate for ranking,
which re-planning with the prospect as a customer confirms.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from gtm_optimizer.costing import prospect_costs, straight_line_travel
from gtm_optimizer.i18n import _
from gtm_optimizer.inputs.readers import read_table
from gtm_optimizer.network import measure_circuity
from gtm_optimizer.scenario import Scenario

logger = logging.getLogger(__name__)

DEFAULT_CIRCUITY = 1.3
DEFAULT_SPEED_KPH = 25.0
ID_COLUMNS = ("customer_id", "outlet_id")


def read_prospects(path: Path, customer_ids: set[str]) -> pd.DataFrame:
    """Return the universe outlets of ``path`` whose id is not a customer id.

    Ids are compared after trimming and case-folding, like customer ids.
    """
    universe = read_table(path)
    id_column = next((c for c in ID_COLUMNS if c in universe.columns), None)
    if id_column is None or "lat" not in universe or "lon" not in universe:
        logger.warning(
            _("Universe file {path} has no id, lat and lon columns; prospects skipped").format(
                path=path)
        )
        return pd.DataFrame()
    keys = universe[id_column].str.strip().str.casefold()
    known = {key.strip().casefold() for key in customer_ids}
    prospects = universe[~keys.isin(known)].copy()
    prospects["prospect_id"] = prospects[id_column].str.strip()
    prospects["lat"] = pd.to_numeric(prospects["lat"], errors="coerce")
    prospects["lon"] = pd.to_numeric(prospects["lon"], errors="coerce")
    return prospects.dropna(subset=["lat", "lon"]).reset_index(drop=True)


def rank_prospects(
    scenario: Scenario,
    customer_ids: set[str],
    routes: gpd.GeoDataFrame,
    stops: pd.DataFrame,
    depots: gpd.GeoDataFrame,
    network: Any,
) -> pd.DataFrame:
    """Price every prospect of the scenario's universe file; empty without one."""
    path = scenario.resolve(scenario.inputs.universe)
    if path is None or not path.is_file() or routes.empty:
        return pd.DataFrame()
    prospects = read_prospects(path, customer_ids)
    if prospects.empty:
        return prospects

    crs = gpd.GeoSeries(gpd.points_from_xy(stops["lon"], stops["lat"]),
                        crs=4326).estimate_utm_crs()
    prospect_xy = _projected(prospects["lon"], prospects["lat"], crs)
    stop_xy = _projected(stops["lon"], stops["lat"], crs)
    depot_xy = dict(zip(depots["depot_id"], _projected(depots.geometry.x, depots.geometry.y,
                                                       crs).tolist(), strict=True))
    fleet = {vehicle.name: vehicle for vehicle in scenario.fleet}
    route_table = pd.DataFrame({
        "route_id": routes["route_id"],
        "depot_x": [depot_xy[d][0] for d in routes["depot_id"]],
        "depot_y": [depot_xy[d][1] for d in routes["depot_id"]],
        "cost_per_hour": [fleet[v].cost_per_hour for v in routes["vehicle_type"]],
        "cost_per_km": [fleet[v].cost_per_km for v in routes["vehicle_type"]],
    })
    stop_table = stops[["route_id", "sequence"]].assign(x=stop_xy[:, 0], y=stop_xy[:, 1])
    costs = scenario.costs
    table = prospect_costs(
        prospect_xy, route_table, stop_table,
        straight_line_travel(speed_kph=_driving_speed_kph(routes),
                             circuity=_circuity(network)),
        prospect_ids=prospects["prospect_id"].tolist(),
        service_s=float(np.median(stops["service_s"])) if len(stops) else 0.0,
        drop_cost_per_visit=costs.cost_per_drop + costs.order_taking_cost_per_visit,
    )
    details = prospects.set_index("prospect_id")
    for column in ("name", "outlet_type", "lat", "lon"):
        if column in details:
            table[column] = table["prospect_id"].map(details[column])
    return table


def _projected(lon: Any, lat: Any, crs: Any) -> np.ndarray:
    series = gpd.GeoSeries(gpd.points_from_xy(lon, lat), crs=4326).to_crs(crs)
    return np.column_stack([series.x, series.y])


def _driving_speed_kph(routes: pd.DataFrame) -> float:
    driving_h = (routes["duration_h"] - routes["wait_h"] - routes["service_h"]).sum()
    if driving_h <= 0:
        return DEFAULT_SPEED_KPH
    return float(routes["distance_km"].sum() / driving_h)


def _circuity(network: Any) -> float:
    if network is None:
        return DEFAULT_CIRCUITY
    return max(1.0, float(measure_circuity(network)))
