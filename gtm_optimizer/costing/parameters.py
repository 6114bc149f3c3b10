"""Cost parameters beyond the fleet's, applied to customers week by week.

The vehicles' fixed cost per day, cost per hour and cost per km enter through the routes (see
:mod:`gtm_optimizer.costing.allocation`). The scenario's ``costs`` section adds:

* a cost per drop and an order-taking cost per visit, times the visits routed per week;
* a handling cost per unit, times the weekly volume delivered;
* the cost of receivables ("cartera"), ``revenue × credit_days / 365 × annual cost of
  capital``: the average balance owed is ``52 × revenue × credit_days / 365``, it costs the
  annual cost of capital per year, and a week carries 1/52 of that;
* overheads per week, shared among the served customers by a driver (revenue, volume, visits
  or equal parts).

Money is in the scenario's currency. The channel names used across the package are defined
here too.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

DIRECT = "direct"
DISTRIBUTOR = "distributor"
TELESALES = "telesales"
ECOMMERCE = "ecommerce"
CHANNELS = (DIRECT, DISTRIBUTOR, TELESALES, ECOMMERCE)
"""Channels a customer can be served through, in the order they are reported."""

UNSERVED = "unserved"
"""Outcome of a customer that no channel serves."""

OVERHEAD_DRIVERS = ("revenue", "volume", "visits", "equal")
ALLOCATION_METHODS = ("time", "marginal")


def check_columns(table: pd.DataFrame, columns: Iterable[str], *, table_name: str) -> None:
    """Raise ``ValueError`` naming the ``columns`` missing from ``table``."""
    missing = [column for column in columns if column not in table.columns]
    if missing:
        raise ValueError(
            f"{table_name} is missing the columns {missing}; it has {list(table.columns)}"
        )


def receivables_cost_per_week(
    revenue_per_week: np.ndarray, credit_days: np.ndarray, *, annual_cost_of_capital: float
) -> np.ndarray:
    """Return the weekly cost of financing the credit given to each customer.

    Parameters
    ----------
    revenue_per_week
        Revenue invoiced per week.
    credit_days
        Days of credit granted.
    annual_cost_of_capital
        Yearly cost of the money lent, as a fraction (0.14 for 14 %).

    Returns
    -------
    numpy.ndarray
        ``revenue_per_week × credit_days / 365 × annual_cost_of_capital``.
    """
    if not 0.0 <= annual_cost_of_capital <= 1.0:
        raise ValueError(
            f"annual_cost_of_capital = {annual_cost_of_capital} must be a fraction between "
            "0 and 1; write 14 % as 0.14"
        )
    revenue = np.asarray(revenue_per_week, dtype=float)
    days = np.asarray(credit_days, dtype=float)
    return revenue * days / 365.0 * annual_cost_of_capital


def allocate_overhead(
    overhead_per_week: float,
    *,
    driver: str,
    revenue_per_week: np.ndarray,
    volume_per_week: np.ndarray,
    visits_per_week: np.ndarray,
    served: np.ndarray,
) -> np.ndarray:
    """Share the weekly overheads among the served customers in proportion to a driver.

    Parameters
    ----------
    overhead_per_week
        Overheads to share (office, supervisors, systems).
    driver
        One of :data:`OVERHEAD_DRIVERS`: ``revenue``, ``volume``, ``visits`` (the visits
        routed) or ``equal`` (the same amount for every served customer).
    revenue_per_week, volume_per_week, visits_per_week
        The drivers, one value per customer.
    served
        Which customers share the overheads; the others get zero.

    Returns
    -------
    numpy.ndarray
        Each customer's share. The shares add up to ``overhead_per_week`` whenever a customer
        is served; when the driver sums to zero over the served customers, they share equally.
    """
    if driver not in OVERHEAD_DRIVERS:
        raise ValueError(
            f"overhead driver {driver!r} is not known; use one of: {', '.join(OVERHEAD_DRIVERS)}"
        )
    if overhead_per_week < 0.0:
        raise ValueError(f"overhead_per_week = {overhead_per_week} must be >= 0")
    drivers = {
        "revenue": revenue_per_week,
        "volume": volume_per_week,
        "visits": visits_per_week,
        "equal": np.ones(len(served)),
    }
    mask = np.asarray(served, dtype=bool)
    weight = np.where(mask, np.asarray(drivers[driver], dtype=float), 0.0)
    total = float(weight.sum())
    if total <= 0.0:
        weight = mask.astype(float)
        total = float(weight.sum())
    if total <= 0.0:
        return np.zeros(len(mask))
    return overhead_per_week * weight / total
