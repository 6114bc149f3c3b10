"""Cost-to-serve model: route costs, per-visit costs and receivables, per customer and week.

Cost components of a customer, per week (``cts_*`` columns):

* ``cts_route``: its allocated share of the routes that visit it (vehicle fixed cost per day,
  cost per hour, cost per km), see :mod:`gtm_optimizer.costing.allocation`;
* ``cts_drop``: cost per drop times visits;
* ``cts_handling``: handling cost per unit times weekly volume;
* ``cts_order_taking``: order-taking cost per visit times visits;
* ``cts_receivables``: cost of the credit given, ``revenue × credit_days / 365 × annual cost of
  capital`` (the weekly share of the yearly financing cost of the average balance).

``cts_total`` is their sum and ``cts_pct`` is ``100 × cts_total / revenue`` (NaN without
revenue). Weekly figures of a multi-week calendar are averages over the cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gtm_optimizer.costing.allocation import allocate_by_time, time_shares_s
from gtm_optimizer.routing import RouteDay
from gtm_optimizer.scenario import WEEKDAYS, Costs, format_clock
from solvers.routing import Route, RoutingResult

CTS_COMPONENTS = ("cts_route", "cts_drop", "cts_handling", "cts_order_taking", "cts_receivables")


@dataclass(frozen=True)
class CostToServe:
    """Routes, stops and per-customer cost to serve of a solved cycle."""

    routes: pd.DataFrame
    stops: pd.DataFrame
    customer_costs: pd.DataFrame


def cost_routes(
    route_days: list[RouteDay],
    results: list[RoutingResult],
    customers: pd.DataFrame,
    costs: Costs,
    *,
    cycle_weeks: int,
) -> CostToServe:
    """Tabulate routes and stops and compute every customer's weekly cost to serve."""
    route_rows: list[dict[str, object]] = []
    stop_rows: list[dict[str, object]] = []
    for day, result in zip(route_days, results, strict=True):
        for route in result.routes:
            _tabulate_route(day, route, customers, route_rows, stop_rows)
    routes = pd.DataFrame(route_rows, columns=_ROUTE_COLUMNS)
    stops = pd.DataFrame(stop_rows, columns=_STOP_COLUMNS)
    customer_costs = _customer_costs(customers, stops, costs, cycle_weeks)
    return CostToServe(routes, stops, customer_costs)


_ROUTE_COLUMNS = [
    "route_id", "territory_id", "week", "weekday", "vehicle_type", "depot_id", "n_stops",
    "distance_km", "duration_h", "wait_h", "service_h", "start", "end", "start_s", "end_s",
    "load",
    "cost_fixed", "cost_distance", "cost_time", "cost_total",
]
_STOP_COLUMNS = [
    "route_id", "territory_id", "sequence", "customer_id", "row", "point", "arrival",
    "start_service", "departure", "arrival_s", "start_s", "departure_s", "wait_s", "service_s",
    "load", "time_share_s", "allocated_cost",
]


def _tabulate_route(day: RouteDay, route: Route, customers: pd.DataFrame,
                    route_rows: list[dict[str, object]],
                    stop_rows: list[dict[str, object]]) -> None:
    problem = day.problem
    service = np.array([client.service_s for client in problem.clients])
    location = np.array([client.location for client in problem.clients])
    shares = time_shares_s(route, problem.duration_s, service, location,
                           depot_location=0)
    allocated = allocate_by_time(route.cost_total, shares)
    # One vehicle per territory and day, so the day's id is the route's id.
    route_id = day.route_id
    demand = np.array([client.demand[0] for client in problem.clients])
    visits = route.visits
    delivered = float(demand[[visit.client for visit in visits]].sum())
    load_on_board = delivered
    for sequence, visit in enumerate(visits, start=1):
        row = int(day.customer_rows[visit.client])
        stop_rows.append({
            "route_id": route_id,
            "territory_id": day.territory_id,
            "sequence": sequence,
            "customer_id": customers["customer_id"].iat[row],
            "row": row,
            "point": int(day.points[problem.clients[visit.client].location]),
            "arrival": format_clock(visit.arrival_s),
            "start_service": format_clock(visit.start_s),
            "departure": format_clock(visit.departure_s),
            "arrival_s": visit.arrival_s,
            "start_s": visit.start_s,
            "departure_s": visit.departure_s,
            "wait_s": visit.wait_s,
            "service_s": service[visit.client],
            "load": load_on_board,
            "time_share_s": shares[sequence - 1],
            "allocated_cost": allocated[sequence - 1],
        })
        load_on_board -= float(demand[visit.client])
    route_rows.append({
        "route_id": route_id,
        "territory_id": day.territory_id,
        "week": day.week + 1,
        "weekday": WEEKDAYS[day.weekday],
        "vehicle_type": day.vehicle.name,
        "depot_id": day.depot_id,
        "n_stops": len(visits),
        "distance_km": route.distance_m / 1000.0,
        "duration_h": route.duration_s / 3600.0,
        "wait_h": route.wait_s / 3600.0,
        "service_h": float(service[[v.client for v in visits]].sum()) / 3600.0,
        "start": format_clock(route.start_s),
        "end": format_clock(route.end_s),
        "start_s": route.start_s,
        "end_s": route.end_s,
        "load": delivered,
        "cost_fixed": route.cost_fixed,
        "cost_distance": route.cost_distance,
        "cost_time": route.cost_time,
        "cost_total": route.cost_total,
    })


def _customer_costs(customers: pd.DataFrame, stops: pd.DataFrame, costs: Costs,
                    cycle_weeks: int) -> pd.DataFrame:
    n = len(customers)
    visits_in_cycle = np.bincount(stops["row"].to_numpy(int), minlength=n)
    route_cost = np.bincount(stops["row"].to_numpy(int),
                             weights=stops["allocated_cost"].to_numpy(float), minlength=n)
    visits_per_week = visits_in_cycle / cycle_weeks
    revenue = customers["revenue_per_week"].to_numpy(float)
    served_share = np.divide(visits_per_week, customers["visits_per_week"].to_numpy(float),
                             out=np.zeros(n), where=customers["visits_per_week"].to_numpy() > 0)
    frame = pd.DataFrame({
        "visits_routed_per_week": visits_per_week,
        "cts_route": route_cost / cycle_weeks,
        "cts_drop": costs.cost_per_drop * visits_per_week,
        "cts_handling": costs.handling_cost_per_unit
        * customers["volume_per_week"].to_numpy(float) * served_share,
        "cts_order_taking": costs.order_taking_cost_per_visit * visits_per_week,
        "cts_receivables": revenue * customers["credit_days"].to_numpy(float) / 365.0
        * costs.annual_cost_of_capital * served_share,
    })
    frame["cts_total"] = frame[list(CTS_COMPONENTS)].sum(axis=1)
    frame["cts_per_visit"] = np.divide(frame["cts_total"], visits_per_week,
                                       out=np.full(n, np.nan), where=visits_per_week > 0)
    frame["cts_pct"] = np.divide(100.0 * frame["cts_total"], revenue,
                                 out=np.full(n, np.nan), where=revenue > 0)
    frame["contribution_after_cts"] = revenue * served_share - frame["cts_total"]
    return frame
