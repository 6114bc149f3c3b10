"""Each customer's weekly cost to serve, contribution, value and segment.

Cost components of a customer, per week (``cts_*`` columns):

* ``cts_route``: its allocated share of the routes that visit it (see
  :mod:`gtm_optimizer.costing.model`);
* ``cts_drop``: cost per drop times visits;
* ``cts_handling``: handling cost per unit times weekly volume;
* ``cts_order_taking``: order-taking cost per visit times visits;
* ``cts_receivables``: cost of the credit given, ``revenue × credit_days / 365 × annual cost of
  capital`` (the weekly share of the yearly financing cost of the average balance);
* ``cts_overhead``: its share of the weekly overheads, by the scenario's driver.

``cts_total`` is their sum and ``cts_pct`` is ``100 × cts_total / revenue`` (NaN without
revenue). Weekly figures of a multi-week calendar are averages over the cycle. A customer whose
visits were only partly routed is charged handling and receivables, and earns gross margin, for
the routed share of its visits.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gtm_optimizer.costing.parameters import allocate_overhead, receivables_cost_per_week
from gtm_optimizer.costing.segments import segment_customers
from gtm_optimizer.costing.value import contribution_per_week, customer_value
from gtm_optimizer.scenario import Costs

CTS_COMPONENTS = (
    "cts_route",
    "cts_drop",
    "cts_handling",
    "cts_order_taking",
    "cts_receivables",
    "cts_overhead",
)


def customer_cost_table(
    customers: pd.DataFrame, stops: pd.DataFrame, costs: Costs, *, cycle_weeks: int
) -> pd.DataFrame:
    """Return every customer's weekly cost to serve, contribution, value and segment.

    Parameters
    ----------
    customers
        ``revenue_per_week``, ``volume_per_week``, ``visits_per_week`` and ``credit_days`` of
        each customer.
    stops
        ``row`` (the customer's row in ``customers``) and ``allocated_cost`` of every stop of
        the cycle.
    costs
        Cost parameters.
    cycle_weeks
        Weeks of the visit calendar.

    Returns
    -------
    pandas.DataFrame
        One row per customer, in ``customers`` order: ``visits_routed_per_week``, the
        :data:`CTS_COMPONENTS`, ``cts_total``, ``cts_per_visit``, ``cts_pct``,
        ``gross_margin``, ``contribution_after_cts`` (weekly), ``customer_value`` (over
        ``costs.horizon_years``), ``cts_segment`` and ``recommended_action``.
    """
    if cycle_weeks < 1:
        raise ValueError(f"cycle_weeks = {cycle_weeks} must be at least 1")
    frame = _cost_components(customers, stops, costs, cycle_weeks)
    n = len(frame)
    visits = frame["visits_routed_per_week"].to_numpy(float)
    revenue = customers["revenue_per_week"].to_numpy(float)
    served_revenue = revenue * frame.pop("served_share").to_numpy(float)

    frame["cts_total"] = frame[list(CTS_COMPONENTS)].sum(axis=1)
    cts = frame["cts_total"].to_numpy(float)
    frame["cts_per_visit"] = np.divide(cts, visits, out=np.full(n, np.nan), where=visits > 0)
    frame["cts_pct"] = np.divide(100.0 * cts, revenue, out=np.full(n, np.nan), where=revenue > 0)
    frame["gross_margin"] = costs.gross_margin_pct / 100.0 * served_revenue
    frame["contribution_after_cts"] = contribution_per_week(
        served_revenue, cts, gross_margin_pct=costs.gross_margin_pct
    )
    frame["customer_value"] = customer_value(
        frame["contribution_after_cts"].to_numpy(float),
        horizon_years=costs.horizon_years,
        retention_rate=costs.retention_rate,
        discount_rate=costs.discount_rate,
        weeks_per_year=costs.weeks_per_year,
    )
    segments = segment_customers(
        revenue,
        frame["cts_pct"].to_numpy(float),
        cts_pct_threshold=costs.cts_pct_threshold,
        revenue_threshold_per_week=costs.revenue_threshold_per_week,
        served=visits > 0,
    )
    frame["cts_segment"] = segments["cts_segment"].to_numpy()
    frame["recommended_action"] = segments["recommended_action"].to_numpy()
    return frame


def _cost_components(
    customers: pd.DataFrame, stops: pd.DataFrame, costs: Costs, cycle_weeks: int
) -> pd.DataFrame:
    n = len(customers)
    rows = stops["row"].to_numpy(int)
    visits_per_week = np.bincount(rows, minlength=n) / cycle_weeks
    route_cost = np.bincount(rows, weights=stops["allocated_cost"].to_numpy(float), minlength=n)
    frequency = customers["visits_per_week"].to_numpy(float)
    served_share = np.divide(visits_per_week, frequency, out=np.zeros(n), where=frequency > 0)
    revenue = customers["revenue_per_week"].to_numpy(float)
    volume = customers["volume_per_week"].to_numpy(float)
    return pd.DataFrame(
        {
            "visits_routed_per_week": visits_per_week,
            "served_share": served_share,
            "cts_route": route_cost / cycle_weeks,
            "cts_drop": costs.cost_per_drop * visits_per_week,
            "cts_handling": costs.handling_cost_per_unit * volume * served_share,
            "cts_order_taking": costs.order_taking_cost_per_visit * visits_per_week,
            "cts_receivables": receivables_cost_per_week(
                revenue,
                customers["credit_days"].to_numpy(float),
                annual_cost_of_capital=costs.annual_cost_of_capital,
            )
            * served_share,
            "cts_overhead": allocate_overhead(
                costs.overhead_per_week,
                driver=costs.overhead_driver,
                revenue_per_week=revenue,
                volume_per_week=volume,
                visits_per_week=visits_per_week,
                served=visits_per_week > 0,
            ),
        }
    )
