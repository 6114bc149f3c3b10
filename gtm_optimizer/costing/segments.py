"""Cost-to-serve segments: revenue against CTS %, four quadrants, one action each.

A served customer has high revenue when its weekly revenue is at or above the revenue
threshold, which is the median of the served customers unless the scenario sets one. It has a
high CTS % when its CTS % is above the CTS % threshold. A customer without revenue has no CTS % and
counts as high CTS %.

==========================  ============  =========  ====================
segment                     revenue       CTS %      recommended action
==========================  ============  =========  ====================
``high_revenue_low_cts``    high          low        ``develop``
``high_revenue_high_cts``   high          high       ``reduce_frequency``
``low_revenue_high_cts``    low           high       ``change_channel``
``low_revenue_low_cts``     low           low        ``grow_revenue``
==========================  ============  =========  ====================

``develop``: profitable and efficient, worth more attention. ``reduce_frequency``: keep the
customer but visit it less often, or with larger drops. ``change_channel``: serve it through
telesales, e-commerce or a distributor. ``grow_revenue``: cheap to serve, so more revenue from it
pays off. Customers not served get ``not_served`` and no action.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SEGMENT_ACTIONS = {
    "high_revenue_low_cts": "develop",
    "high_revenue_high_cts": "reduce_frequency",
    "low_revenue_high_cts": "change_channel",
    "low_revenue_low_cts": "grow_revenue",
}
"""Recommended action of each segment."""

NOT_SERVED = "not_served"


def segment_customers(
    revenue_per_week: np.ndarray,
    cts_pct: np.ndarray,
    *,
    cts_pct_threshold: float,
    revenue_threshold_per_week: float | None = None,
    served: np.ndarray | None = None,
) -> pd.DataFrame:
    """Place every customer in a revenue and CTS % quadrant with its recommended action.

    Parameters
    ----------
    revenue_per_week
        Weekly revenue of each customer.
    cts_pct
        CTS over revenue, in percent; NaN for a customer without revenue.
    cts_pct_threshold
        CTS % above which a customer counts as costly.
    revenue_threshold_per_week
        Revenue from which a customer counts as high revenue; ``None`` uses the median
        revenue of the served customers.
    served
        Which customers are served; all when omitted.

    Returns
    -------
    pandas.DataFrame
        ``cts_segment`` and ``recommended_action``, one row per customer in input order.
    """
    if cts_pct_threshold < 0.0:
        raise ValueError(f"cts_pct_threshold = {cts_pct_threshold} must be >= 0")
    revenue = np.asarray(revenue_per_week, dtype=float)
    pct = np.asarray(cts_pct, dtype=float)
    mask = np.ones(len(revenue), bool) if served is None else np.asarray(served, dtype=bool)
    threshold = revenue_threshold_per_week
    if threshold is None:
        threshold = float(np.median(revenue[mask])) if mask.any() else 0.0

    high_revenue = revenue >= threshold
    # A customer without CTS % (NaN) has no revenue to carry any cost, so it counts as high.
    high_cts = ~(pct <= cts_pct_threshold)
    segment = np.where(
        high_revenue,
        np.where(high_cts, "high_revenue_high_cts", "high_revenue_low_cts"),
        np.where(high_cts, "low_revenue_high_cts", "low_revenue_low_cts"),
    ).astype(object)
    segment[~mask] = NOT_SERVED
    action = [SEGMENT_ACTIONS.get(name, "") for name in segment]
    return pd.DataFrame({"cts_segment": segment, "recommended_action": action})
