"""Route and stop tables of a solved cycle, and the cost-to-serve stage that builds them.

Each route's cost (vehicle fixed cost per day, cost per hour, cost per km) reaches its stops by
time (:mod:`gtm_optimizer.costing.allocation`) or by marginal saving
(:mod:`gtm_optimizer.costing.marginal`), as ``costs.allocation`` sets. The stop table carries
both bases (``time_share_s``, ``marginal_saving``) and the amount allocated, so either method
can be checked by hand; :mod:`gtm_optimizer.costing.customer_costs` turns the stops into each
customer's weekly cost to serve.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gtm_optimizer.costing.allocation import allocate_by_time, time_shares_s
from gtm_optimizer.costing.customer_costs import CTS_COMPONENTS, customer_cost_table
from gtm_optimizer.costing.marginal import allocate_by_marginal, route_savings
from gtm_optimizer.i18n import _
from gtm_optimizer.routing import RouteDay
from gtm_optimizer.scenario import WEEKDAYS, Costs, format_clock
from solvers.routing import Route, RoutingResult

logger = logging.getLogger(__name__)

__all__ = ["CTS_COMPONENTS", "CostToServe", "cost_routes"]


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
    """Tabulate routes and stops and compute every customer's weekly cost to serve.

    Parameters
    ----------
    route_days, results
        The route-day problems and their solutions, in the same order.
    customers
        The routed customers; ``RouteDay.customer_rows`` index its rows.
    costs
        Cost parameters; ``costs.allocation`` chooses how route costs reach the stops.
    cycle_weeks
        Weeks of the visit calendar, to turn cycle totals into weekly figures.
    """
    started = time.perf_counter()
    route_rows: list[dict[str, object]] = []
    stop_rows: list[dict[str, object]] = []
    for day, result in zip(route_days, results, strict=True):
        for route in result.routes:
            stop_rows.extend(_stop_rows(day, route, customers, costs.allocation))
            route_rows.append(_route_row(day, route))
    routes = pd.DataFrame(route_rows, columns=_ROUTE_COLUMNS)
    stops = pd.DataFrame(stop_rows, columns=_STOP_COLUMNS)
    customer_costs = customer_cost_table(customers, stops, costs, cycle_weeks=cycle_weeks)
    logger.info(
        _(
            "Costed {routes} routes, {stops} stops and {customers} customers ({allocation}) "
            "in {seconds:.2f} s"
        ).format(
            routes=len(routes),
            stops=len(stops),
            customers=len(customer_costs),
            allocation=_allocation_label(costs.allocation),
            seconds=time.perf_counter() - started,
        )
    )
    return CostToServe(routes, stops, customer_costs)


def _allocation_label(allocation: str) -> str:
    """Return the translated name of a route cost allocation (``costs.allocation``)."""
    labels = {"time": _("time allocation"), "marginal": _("marginal allocation")}
    return labels.get(allocation, allocation)


_ROUTE_COLUMNS = [
    "route_id",
    "territory_id",
    "week",
    "weekday",
    "vehicle_type",
    "depot_id",
    "n_stops",
    "distance_km",
    "duration_h",
    "wait_h",
    "service_h",
    "start",
    "end",
    "start_s",
    "end_s",
    "load",
    "cost_fixed",
    "cost_distance",
    "cost_time",
    "cost_total",
]
_STOP_COLUMNS = [
    "route_id",
    "territory_id",
    "sequence",
    "customer_id",
    "row",
    "point",
    "arrival",
    "start_service",
    "departure",
    "arrival_s",
    "start_s",
    "departure_s",
    "wait_s",
    "service_s",
    "load",
    "time_share_s",
    "marginal_saving",
    "allocated_cost",
]


def _stop_rows(
    day: RouteDay, route: Route, customers: pd.DataFrame, allocation: str
) -> list[dict[str, object]]:
    problem = day.problem
    vehicle = problem.vehicle_types[route.vehicle_type]
    service = np.array([client.service_s for client in problem.clients])
    location = np.array([client.location for client in problem.clients])
    shares = time_shares_s(route, problem.duration_s, service, location, depot_location=0)
    savings = route_savings(
        route,
        problem.duration_s,
        problem.distance_m,
        service,
        location,
        depot_location=0,
        cost_per_hour=vehicle.cost_per_hour,
        cost_per_km=vehicle.cost_per_km,
    )
    if allocation == "marginal":
        allocated = allocate_by_marginal(route.cost_total, savings)
    else:
        allocated = allocate_by_time(route.cost_total, shares)

    demand = np.array([client.demand[0] for client in problem.clients])
    load_on_board = float(demand[[visit.client for visit in route.visits]].sum())
    rows: list[dict[str, object]] = []
    for sequence, visit in enumerate(route.visits, start=1):
        row = int(day.customer_rows[visit.client])
        rows.append(
            {
                # One vehicle per territory and day, so the day's id is the route's id.
                "route_id": day.route_id,
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
                "marginal_saving": savings[sequence - 1],
                "allocated_cost": allocated[sequence - 1],
            }
        )
        load_on_board -= float(demand[visit.client])
    return rows


def _route_row(day: RouteDay, route: Route) -> dict[str, object]:
    problem = day.problem
    clients = [visit.client for visit in route.visits]
    service_s = sum(problem.clients[c].service_s for c in clients)
    return {
        "route_id": day.route_id,
        "territory_id": day.territory_id,
        "week": day.week + 1,
        "weekday": WEEKDAYS[day.weekday],
        "vehicle_type": day.vehicle.name,
        "depot_id": day.depot_id,
        "n_stops": len(clients),
        "distance_km": route.distance_m / 1000.0,
        "duration_h": route.duration_s / 3600.0,
        "wait_h": route.wait_s / 3600.0,
        "service_h": service_s / 3600.0,
        "start": format_clock(route.start_s),
        "end": format_clock(route.end_s),
        "start_s": route.start_s,
        "end_s": route.end_s,
        "load": float(sum(problem.clients[c].demand[0] for c in clients)),
        "cost_fixed": route.cost_fixed,
        "cost_distance": route.cost_distance,
        "cost_time": route.cost_time,
        "cost_total": route.cost_total,
    }
