"""Assembly of a run's results: GeoDataFrames of customers, routes and territories, and KPIs.

Money columns are in the scenario's currency (``summary["currency"]``); quantities carry their
unit in the name (``_km``, ``_h``, ``_per_week``).
"""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import LineString

from gtm_optimizer.calendar import VisitCalendar
from gtm_optimizer.costing import CTS_COMPONENTS, cost_kpis
from gtm_optimizer.costing.model import CostToServe
from gtm_optimizer.i18n import _
from gtm_optimizer.inputs.customers import CustomerTable
from gtm_optimizer.inputs.reachability import reachable_road_m
from gtm_optimizer.network import route_path_lonlat
from gtm_optimizer.routing import RouteDay
from gtm_optimizer.routing_details import translate_routing_detail
from gtm_optimizer.scenario import Scenario
from gtm_optimizer.territories import TerritoryPlan, territory_polygons
from solvers.routing import RoutingResult


@dataclass
class RunResult:
    """Everything a run produced, in memory; :func:`write_outputs` puts it on disk.

    ``matrices`` are the travel matrices of every depot and customer, and ``point_of`` maps
    each depot id and customer id to its row in them, so that any route can be recomputed.
    """

    scenario: Scenario
    customers: gpd.GeoDataFrame
    stops: pd.DataFrame
    routes: gpd.GeoDataFrame
    territories: gpd.GeoDataFrame
    depots: gpd.GeoDataFrame
    unserved: pd.DataFrame
    rejects: pd.DataFrame
    summary: dict[str, Any]
    matrices: Any = None
    point_of: dict[str, int] = field(default_factory=dict)
    prospects: pd.DataFrame = field(default_factory=pd.DataFrame)


def assemble_result(
    *,
    scenario: Scenario,
    table: CustomerTable,
    customers: pd.DataFrame,
    routed_rows: np.ndarray,
    territories: TerritoryPlan,
    calendar: VisitCalendar,
    route_days: list[RouteDay],
    results: list[RoutingResult],
    cts: CostToServe,
    network: Any,
    snapping: Any,
    matrices: Any,
    n_depots: int,
    point_lonlat: np.ndarray,
    clock: Any,
    design_log: dict[str, Any] | None = None,
) -> RunResult:
    """Join the stages' results into the output tables and the summary."""
    routed = customers.iloc[routed_rows].reset_index(drop=True)
    unserved = _unserved(customers, routed_rows, snapping, matrices, n_depots, route_days,
                         results, routed, network)
    customer_frame = _customer_frame(customers, routed_rows, territories, calendar, cts,
                                     unserved, snapping, n_depots)
    stops = _stops(cts.stops, routed)
    depots = gpd.GeoDataFrame(
        {"depot_id": [d.id for d in scenario.depots], "name": [d.name for d in scenario.depots]},
        geometry=gpd.points_from_xy([d.lon for d in scenario.depots],
                                    [d.lat for d in scenario.depots]),
        crs=4326,
    )
    routes = _route_frame(cts.routes, cts.stops, route_days, network, snapping, point_lonlat)
    territory_frame = _territory_frame(customer_frame, routes, territories, calendar)
    summary = _summary(scenario, table, customer_frame, routes, territory_frame, unserved,
                       matrices, network, snapping, calendar, clock)
    summary["design"] = design_log or {}
    used = set(routes["depot_id"]) if len(routes) else set()
    summary["unused_depots"] = [depot.id for depot in scenario.depots if depot.id not in used]
    point_of = {depot.id: index for index, depot in enumerate(scenario.depots)}
    point_of.update({str(cid): n_depots + row for row, cid in enumerate(customers["customer_id"])})
    return RunResult(scenario, customer_frame, stops, routes, territory_frame, depots, unserved,
                     table.rejects, summary, matrices, point_of)


def _unserved(customers: pd.DataFrame, routed_rows: np.ndarray, snapping: Any, matrices: Any,
              n_depots: int, route_days: list[RouteDay], results: list[RoutingResult],
              routed: pd.DataFrame, network: Any) -> pd.DataFrame:
    records = []
    usable = np.asarray(matrices.usable, dtype=bool)[n_depots:]
    unreachable = np.flatnonzero(~usable)
    connected_m = np.full(len(customers), np.nan)
    if network is not None and unreachable.size:
        connected_m[unreachable] = reachable_road_m(
            network, customers["lat"].to_numpy(float)[unreachable],
            customers["lon"].to_numpy(float)[unreachable])
    for row in unreachable:
        reason = str(snapping.reason[n_depots + row]) if snapping is not None else "unreachable"
        detail = ""
        if snapping is not None:
            detail = _snapping_detail(reason, float(snapping.snap_m[n_depots + row]),
                                      float(connected_m[row]))
        records.append({"customer_id": customers["customer_id"].iat[row], "route_id": "",
                        "reason": reason, "detail": detail})
    for day, result in zip(route_days, results, strict=True):
        for item in result.unserved:
            routed_row = int(day.customer_rows[item.client])
            records.append({"customer_id": routed["customer_id"].iat[routed_row],
                            "route_id": day.route_id, "reason": item.reason,
                            "detail": translate_routing_detail(item.detail)})
    return pd.DataFrame(records, columns=["customer_id", "route_id", "reason", "detail"])


def _snapping_detail(reason: str, snap_m: float, connected_m: float) -> str:
    """Return the ``detail`` of a customer that could not be placed on a usable road."""
    if reason == "too_far_from_road":
        return _("nearest road {snap_m:.0f} m").format(snap_m=snap_m)
    if reason.startswith("unreachable"):
        return _("road {snap_m:.0f} m away, nearest connected road {connected_m:.0f} m").format(
            snap_m=snap_m, connected_m=connected_m)
    return ""


def _customer_frame(customers: pd.DataFrame, routed_rows: np.ndarray,
                    territories: TerritoryPlan, calendar: VisitCalendar, cts: CostToServe,
                    unserved: pd.DataFrame, snapping: Any, n_depots: int) -> gpd.GeoDataFrame:
    n = len(customers)
    frame = customers[["customer_id", "name", "outlet_type", "segment", "channel", "lat", "lon",
                       "revenue_per_week", "volume_per_week", "visits_per_week", "service_s",
                       "credit_days"]].copy()
    frame["service_min"] = frame.pop("service_s") / 60.0
    if snapping is not None:
        frame["snap_m"] = np.asarray(snapping.snap_m, dtype=float)[n_depots:]
    frame["territory_id"] = ""
    frame["visit_days"] = ""
    frame["route_ids"] = ""
    frame["workload_h_per_week"] = 0.0
    for column in (*CTS_COMPONENTS, "cts_total", "cts_per_visit", "cts_pct",
                   "contribution_after_cts", "visits_routed_per_week"):
        frame[column] = np.nan if column in ("cts_pct", "cts_per_visit") else 0.0
    ids = territories.territory_ids
    frame.loc[routed_rows, "territory_id"] = [ids[label] for label in territories.labels]
    frame.loc[routed_rows, "visit_days"] = [calendar.visit_days_label(i)
                                            for i in range(len(routed_rows))]
    frame["visit_week"] = 0
    frame.loc[routed_rows, "visit_week"] = calendar.week
    frame.loc[routed_rows, "workload_h_per_week"] = territories.workload_h_per_week
    routes_of = cts.stops.groupby("row")["route_id"].agg(lambda ids: ";".join(sorted(ids)))
    frame.loc[routed_rows[routes_of.index.to_numpy(int)], "route_ids"] = routes_of.to_numpy()
    for column in cts.customer_costs.columns:
        frame.loc[routed_rows, column] = cts.customer_costs[column].to_numpy()
    for column in ("cts_segment", "recommended_action"):
        if column in frame:
            values = frame[column].astype(object)
            frame[column] = values.where(values.notna(), "not_served")
    unserved_reason = unserved.groupby("customer_id")["reason"].agg(
        lambda reasons: ";".join(sorted(set(reasons))))
    reasons = frame["customer_id"].map(unserved_reason).astype(object)
    frame["unserved_reason"] = reasons.where(reasons.notna(), "")
    frame["served"] = frame["visits_routed_per_week"].to_numpy() > 0
    frame["channel"] = frame["channel"].replace("", "direct")
    assert len(frame) == n
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
                            crs=4326)


def _stops(stops: pd.DataFrame, routed: pd.DataFrame) -> pd.DataFrame:
    frame = stops.copy()
    rows = frame["row"].to_numpy(int)
    frame["name"] = routed["name"].to_numpy()[rows]
    frame["lat"] = routed["lat"].to_numpy()[rows]
    frame["lon"] = routed["lon"].to_numpy()[rows]
    return frame.drop(columns=["row", "point"])


def _route_frame(routes: pd.DataFrame, stops: pd.DataFrame, route_days: list[RouteDay],
                 network: Any, snapping: Any, point_lonlat: np.ndarray) -> gpd.GeoDataFrame:
    depot_point = {day.route_id: int(day.points[0]) for day in route_days}
    points_of = stops.groupby("route_id", sort=False)["point"].agg(list)
    geometries = []
    for route_id in routes["route_id"]:
        depot = depot_point[route_id]
        sequence = [depot, *points_of.get(route_id, []), depot]
        if network is not None:
            coords = route_path_lonlat(network, snapping, sequence)
        else:
            coords = [tuple(point_lonlat[point]) for point in sequence]
        geometries.append(LineString(coords) if len(coords) >= 2 else LineString())
    return gpd.GeoDataFrame(routes, geometry=geometries, crs=4326)


def _territory_frame(customers: gpd.GeoDataFrame, routes: gpd.GeoDataFrame,
                     territories: TerritoryPlan, calendar: VisitCalendar) -> gpd.GeoDataFrame:
    assigned = customers[customers["territory_id"] != ""]
    crs_m = assigned.estimate_utm_crs().to_string() if len(assigned) else "EPSG:3857"
    labels = np.array([territories.territory_ids.index(t) for t in assigned["territory_id"]])
    polygons = territory_polygons(assigned["lon"].to_numpy(), assigned["lat"].to_numpy(),
                                  labels, territories.territory_ids, crs_m)
    weeks = calendar.cycle_weeks
    per_route = routes.assign(travel_h=routes["duration_h"] - routes["wait_h"]
                              - routes["service_h"])
    routed = per_route.groupby("territory_id").agg(
        routes_per_week=("route_id", "count"), km_per_week=("distance_km", "sum"),
        routed_workload_h_per_week=("duration_h", "sum"), travel_h_per_week=("travel_h", "sum"),
        cost_per_week=("cost_total", "sum"))
    routed = routed.assign(**{column: routed[column] / weeks for column in routed.columns})
    designed = assigned.groupby("territory_id").agg(
        n_customers=("customer_id", "count"), revenue_per_week=("revenue_per_week", "sum"),
        workload_h_per_week=("workload_h_per_week", "sum"), cts_per_week=("cts_total", "sum"))
    table = designed.join(routed, how="left").fillna(0.0).reset_index()
    mean = table["routed_workload_h_per_week"].mean()
    table["balance_index"] = table["routed_workload_h_per_week"] / mean if mean > 0 else 1.0
    table["cts_pct"] = 100.0 * table["cts_per_week"] / table["revenue_per_week"]
    frame = polygons.merge(table, on="territory_id", how="left")
    return gpd.GeoDataFrame(frame, geometry="geometry", crs=4326)


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in ("gtm-optimizer", "pyvrp", "ortools", "osmnx", "scikit-learn", "scipy"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def _summary(scenario: Scenario, table: CustomerTable, customers: gpd.GeoDataFrame,
             routes: gpd.GeoDataFrame, territories: gpd.GeoDataFrame, unserved: pd.DataFrame,
             matrices: Any, network: Any, snapping: Any, calendar: VisitCalendar,
             clock: Any) -> dict[str, Any]:
    weeks = calendar.cycle_weeks
    served = customers[customers["served"]]
    revenue = float(served["revenue_per_week"].sum())
    cts_total = float(customers["cts_total"].sum())
    drops_per_week = float(customers["visits_routed_per_week"].sum())
    routes_per_week = len(routes) / weeks
    kpis = {
        "customers": len(customers),
        "customers_served": int(customers["served"].sum()),
        "customers_fully_served": int((customers["visits_routed_per_week"]
                                       >= customers["visits_per_week"] - 1e-9).sum()),
        "customers_unserved": int((~customers["served"]).sum()),
        "rows_rejected": int(table.rejects["line"].nunique()) if len(table.rejects) else 0,
        "territories": len(territories),
        "routes_per_week": routes_per_week,
        "visits_per_week": drops_per_week,
        "km_per_week": float(routes["distance_km"].sum()) / weeks,
        "hours_per_week": float(routes["duration_h"].sum()) / weeks,
        "revenue_per_week": revenue,
        "cts_per_week": cts_total,
        "cts_pct": 100.0 * cts_total / revenue if revenue > 0 else None,
        "route_cost_per_week": float(routes["cost_total"].sum()) / weeks,
        "cost_per_drop": cts_total / drops_per_week if drops_per_week else None,
        "drops_per_route": drops_per_week / routes_per_week if routes_per_week else None,
        "average_drop_size": float((served["volume_per_week"]).sum()) / drops_per_week
        if drops_per_week else None,
        "max_territory_workload_deviation_pct": float(
            100 * (territories["balance_index"] - 1).abs().max()) if len(territories) else 0.0,
    }
    cts_by = {
        column: customers[customers["served"]].groupby(column).apply(
            lambda g: 100 * g["cts_total"].sum() / g["revenue_per_week"].sum()
            if g["revenue_per_week"].sum() > 0 else None, include_groups=False).to_dict()
        for column in ("channel", "territory_id", "segment")
    }
    summary: dict[str, Any] = {
        "scenario": scenario.name,
        "currency": scenario.currency,
        "volume_unit": scenario.volume_unit,
        "distance_source": matrices.source,
        "cycle_weeks": weeks,
        "kpis": kpis,
        "cts_pct_by": cts_by,
        "unserved_by_reason": unserved["reason"].value_counts().to_dict(),
        "assumptions": scenario.assumptions,
        "settings": {
            "plan": scenario.plan.model_dump(mode="json"),
            "solver": scenario.solver.model_dump(mode="json"),
            "network": scenario.network.model_dump(mode="json"),
            "costs": scenario.costs.model_dump(mode="json"),
            "on_invalid_rows": scenario.on_invalid_rows,
        },
        "runtime_s": dict(clock.seconds),
        "peak_rss_mb": dict(clock.peak_rss_mb),
        "versions": _versions(),
    }
    if network is not None:
        summary["network"] = {
            "file": str(network.source),
            "nodes": network.graph.number_of_nodes(),
            "edges": network.graph.number_of_edges(),
            "ways_trimmed": network.n_ways_trimmed,
            "median_snap_m": float(np.median(np.asarray(snapping.snap_m, dtype=float))),
        }
    return summary


def apply_channels(result: RunResult, decision: Any, *, universe_count: int) -> None:
    """Record each customer's channel in the result and compute the cost-to-serve KPIs.

    Customers moved off the direct channel carry the weekly cost of their channel as
    ``cts_total``; customers no channel serves profitably enough are listed as unserved.
    """
    customers = result.customers
    customers["channel_reason"] = ""
    if decision is not None:
        table = decision.customers.set_index("customer_id")
        other = table[table["channel"] != "direct"]
        rows = customers["customer_id"].isin(other.index)
        ids = customers.loc[rows, "customer_id"]
        chosen = ids.map(other["channel"])
        cost = ids.map(other["channel_cost"]).astype(float)
        revenue = customers.loc[rows, "revenue_per_week"].astype(float)
        customers.loc[rows, "channel"] = chosen
        customers.loc[rows, "cts_total"] = cost
        customers.loc[rows, "cts_pct"] = np.where(revenue > 0, 100.0 * cost / revenue, np.nan)
        customers.loc[rows, "contribution_after_cts"] = ids.map(other["contribution"])
        customers.loc[rows, "served"] = chosen != "unserved"
        customers["channel_reason"] = customers["customer_id"].map(table["reason"]).fillna("")
        dropped = customers.loc[rows & (customers["channel"] == "unserved"), "customer_id"]
        extra = pd.DataFrame({"customer_id": dropped, "route_id": "",
                              "reason": "no_profitable_channel", "detail": ""})
        result.unserved = pd.concat([result.unserved, extra], ignore_index=True)
    kpis = cost_kpis(pd.DataFrame(customers.drop(columns="geometry")), result.routes,
                     universe_count)
    result.summary["cts_pct_by"] = kpis.pop("cts_pct_by")
    result.summary["kpis"].update(kpis)
    result.summary["kpis"]["contribution_per_week"] = float(
        customers["contribution_after_cts"].fillna(0.0).sum())
    result.summary["kpis"]["customers_unserved"] = int((~customers["served"]).sum())
    result.summary["channel_mix"] = customers["channel"].value_counts().to_dict()
