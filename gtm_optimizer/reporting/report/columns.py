"""Translated headers and spreadsheet number formats of the run's table columns.

The machine names are those of the CSV outputs (``customers.csv``, ``stops.csv``) and of the
route and territory layers. A column without an entry keeps its machine name as header and
gets a general number format.
"""

from __future__ import annotations

from gtm_optimizer.i18n import _

# Excel number formats. Money is in whole units of the scenario's currency. Shares such as
# ``cts_pct`` are already in percent (12.5 means 12.5 %), so they get a plain decimal format.
WHOLE = "#,##0"
ONE_DECIMAL = "#,##0.0"
TWO_DECIMALS = "#,##0.00"
DEGREES = "0.000000"

_FORMATS = {
    WHOLE: (
        "revenue_per_week",
        "cts_route",
        "cts_drop",
        "cts_handling",
        "cts_order_taking",
        "cts_receivables",
        "cts_total",
        "cts_per_visit",
        "contribution_after_cts",
        "allocated_cost",
        "cost_fixed",
        "cost_distance",
        "cost_time",
        "cost_total",
        "cts_per_week",
        "cost_per_week",
        "wait_s",
        "service_s",
        "time_share_s",
        "start_s",
        "end_s",
        "n_stops",
        "n_customers",
        "sequence",
        "week",
        "visit_week",
        "snap_m",
        "credit_days",
        "cts_overhead",
        "gross_margin",
        "customer_value",
    ),
    ONE_DECIMAL: (
        "volume_per_week",
        "service_min",
        "workload_h_per_week",
        "cts_pct",
        "load",
        "routes_per_week",
        "km_per_week",
        "routed_workload_h_per_week",
        "travel_h_per_week",
        "distance_km",
        "duration_h",
        "wait_h",
        "service_h",
        "visits_routed_per_week",
    ),
    TWO_DECIMALS: ("visits_per_week", "balance_index"),
    DEGREES: ("lat", "lon"),
}
NUMBER_FORMATS = {column: fmt for fmt, columns in _FORMATS.items() for column in columns}
"""Excel number format of each numeric column."""


def column_label(column: str) -> str:
    """Return the translated header of a table column, or ``column`` if unknown."""
    labels = {
        "customer_id": _("Customer"),
        "name": _("Name"),
        "outlet_type": _("Outlet type"),
        "segment": _("Segment"),
        "channel": _("Channel"),
        "territory_id": _("Territory"),
        "visit_days": _("Visit days"),
        "visit_week": _("Visit week"),
        "route_ids": _("Routes"),
        "visits_per_week": _("Visits per week"),
        "visits_routed_per_week": _("Visits routed per week"),
        "revenue_per_week": _("Revenue per week"),
        "volume_per_week": _("Volume per week"),
        "service_min": _("Service (min)"),
        "credit_days": _("Credit days"),
        "workload_h_per_week": _("Workload per week (h)"),
        "cts_route": _("Route cost"),
        "cts_drop": _("Drop cost"),
        "cts_handling": _("Handling cost"),
        "cts_order_taking": _("Order-taking cost"),
        "cts_receivables": _("Receivables cost"),
        "cts_overhead": _("Overhead cost"),
        "gross_margin": _("Gross margin"),
        "customer_value": _("Customer value"),
        "cts_segment": _("Cost-to-serve segment"),
        "recommended_action": _("Recommended action"),
        "channel_reason": _("Channel chosen because"),
        "cts_total": _("Cost to serve per week"),
        "cts_per_visit": _("Cost to serve per visit"),
        "cts_pct": _("CTS %"),
        "contribution_after_cts": _("Contribution after cost to serve"),
        "served": _("Served"),
        "unserved_reason": _("Unserved because"),
        "snap_m": _("Distance to road (m)"),
        "lat": _("Latitude"),
        "lon": _("Longitude"),
        "route_id": _("Route"),
        "sequence": _("Stop"),
        "arrival": _("Arrival"),
        "start_service": _("Service start"),
        "departure": _("Departure"),
        "wait_s": _("Wait (s)"),
        "service_s": _("Service (s)"),
        "load": _("Load"),
        "time_share_s": _("Time share (s)"),
        "allocated_cost": _("Allocated route cost"),
        "week": _("Week"),
        "weekday": _("Weekday"),
        "vehicle_type": _("Vehicle type"),
        "depot_id": _("Depot"),
        "n_stops": _("Stops"),
        "distance_km": _("Distance (km)"),
        "duration_h": _("Duration (h)"),
        "wait_h": _("Wait (h)"),
        "service_h": _("Service (h)"),
        "start": _("Start"),
        "end": _("End"),
        "start_s": _("Start (s after midnight)"),
        "end_s": _("End (s after midnight)"),
        "cost_fixed": _("Fixed cost"),
        "cost_distance": _("Distance cost"),
        "cost_time": _("Time cost"),
        "cost_total": _("Cost"),
        "n_customers": _("Customers"),
        "cts_per_week": _("Cost to serve per week"),
        "routes_per_week": _("Routes per week"),
        "km_per_week": _("Kilometres per week"),
        "routed_workload_h_per_week": _("Routed workload per week (h)"),
        "travel_h_per_week": _("Travel per week (h)"),
        "cost_per_week": _("Route cost per week"),
        "balance_index": _("Workload balance index"),
        "reason": _("Reason"),
        "detail": _("Detail"),
    }
    return labels.get(column, column)
