"""Contribution after cost to serve, and customer value over a horizon of years.

Contribution per week is the gross margin on the revenue minus the cost to serve:
``gross_margin_pct / 100 × revenue − CTS``. A customer's value is the discounted contribution
of the years ahead, with the chance that the customer is still buying falling by the retention
rate each year::

    value = Σ_{t=1..T} contribution_year × retention^(t−1) / (1 + discount)^t

where ``contribution_year = weeks_per_year × contribution per week``, the weeks being those on
which customers buy (the scenario's ``costs.weeks_per_year``, 48 by default). The first year
counts in full (the customer is buying today) and is discounted once, as a year-end cash flow.

Example: 1 000 per week over 52 weeks for T = 3 years, retention 0.8 and discount 0.1 gives
52 000 per year and ``52 000 × (1/1.1 + 0.8/1.21 + 0.64/1.331) ≈ 106 656.6``.
"""

from __future__ import annotations

import numpy as np

WEEKS_PER_YEAR = 52.0
"""Calendar weeks in a year, the default of :func:`customer_value`."""


def contribution_per_week(
    revenue_per_week: np.ndarray, cts_per_week: np.ndarray, *, gross_margin_pct: float
) -> np.ndarray:
    """Return the gross margin on ``revenue_per_week`` minus ``cts_per_week``.

    Parameters
    ----------
    revenue_per_week
        Revenue of each customer.
    cts_per_week
        Cost to serve of each customer.
    gross_margin_pct
        Gross margin on revenue before the cost to serve, in percent (25 for 25 %).
    """
    if not 0.0 <= gross_margin_pct <= 100.0:
        raise ValueError(
            f"gross_margin_pct = {gross_margin_pct} must be a percentage between 0 and 100"
        )
    revenue = np.asarray(revenue_per_week, dtype=float)
    return gross_margin_pct / 100.0 * revenue - np.asarray(cts_per_week, dtype=float)


def value_factor(*, horizon_years: int, retention_rate: float, discount_rate: float) -> float:
    """Return ``Σ_{t=1..T} retention^(t−1) / (1 + discount)^t``: the value of 1 per year.

    Parameters
    ----------
    horizon_years
        Number of years ``T`` counted, at least 1.
    retention_rate
        Fraction of customers still buying one year later, between 0 and 1.
    discount_rate
        Yearly discount rate as a fraction (0.12 for 12 %), between 0 and 1.
    """
    if horizon_years < 1:
        raise ValueError(f"horizon_years = {horizon_years} must be at least 1")
    if not 0.0 <= retention_rate <= 1.0:
        raise ValueError(f"retention_rate = {retention_rate} must be a fraction between 0 and 1")
    if not 0.0 <= discount_rate <= 1.0:
        raise ValueError(
            f"discount_rate = {discount_rate} must be a fraction between 0 and 1; "
            "write 12 % as 0.12"
        )
    years = np.arange(1, horizon_years + 1)
    return float(np.sum(retention_rate ** (years - 1) / (1.0 + discount_rate) ** years))


def customer_value(
    contribution_per_week: np.ndarray,
    *,
    horizon_years: int,
    retention_rate: float,
    discount_rate: float,
    weeks_per_year: float = WEEKS_PER_YEAR,
) -> np.ndarray:
    """Return each customer's discounted contribution over ``horizon_years``.

    Parameters
    ----------
    contribution_per_week
        Contribution after cost to serve, per week.
    horizon_years, retention_rate, discount_rate
        See :func:`value_factor`.
    weeks_per_year
        Weeks that turn a weekly contribution into a yearly one.

    Returns
    -------
    numpy.ndarray
        ``contribution_per_week × weeks_per_year × value_factor(...)``; a customer that loses
        money has a negative value.
    """
    if weeks_per_year <= 0.0:
        raise ValueError(f"weeks_per_year = {weeks_per_year} must be > 0")
    factor = value_factor(
        horizon_years=horizon_years, retention_rate=retention_rate, discount_rate=discount_rate
    )
    return np.asarray(contribution_per_week, dtype=float) * weeks_per_year * factor
