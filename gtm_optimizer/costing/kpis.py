"""Cost-to-serve KPIs of a plan: totals, CTS % by group, numeric distribution and drops.

Every figure is computed from the customer and route tables alone, so it can be recomputed
by hand from ``customers.csv`` and ``routes.geojson``:

* ``cts_per_week`` and ``revenue_per_week``: sums over the served customers; ``cts_pct`` is
  ``100 × cts / revenue``;
* ``cts_pct_by``: the same ratio within each channel, territory and segment;
* ``numeric_distribution_pct``: served customers (through any channel) over the outlets of
  the universe, in percent;
* ``cost_per_drop``: the cost to serve of the customers served directly over their drops per
  week; ``route_cost_per_drop``: route cost over stops of the cycle;
* ``drops_per_route``: stops over routes; ``average_drop_size``: volume delivered over stops.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from gtm_optimizer.costing.parameters import DIRECT, check_columns

GROUP_COLUMNS = ("channel", "territory_id", "segment", "cts_segment")


def cost_kpis(
    customers: pd.DataFrame,
    routes: pd.DataFrame,
    universe_count: int,
    *,
    group_columns: Sequence[str] = GROUP_COLUMNS,
) -> dict[str, Any]:
    """Return the cost-to-serve KPIs of a plan as plain numbers.

    Parameters
    ----------
    customers
        One row per customer: ``served`` (through any channel), ``channel``,
        ``revenue_per_week``, ``cts_total`` (for a customer served through another channel,
        the weekly cost of that channel), ``visits_routed_per_week`` and the group columns.
    routes
        One row per route of the cycle: ``n_stops``, ``load`` and ``cost_total``.
    universe_count
        Outlets in the area, customers or not.
    group_columns
        Columns to break CTS % down by; the ones missing from ``customers`` are left out.

    Returns
    -------
    dict
        The KPIs in the module docstring. A ratio whose denominator is zero is ``None``.
    """
    needed = ["served", "channel", "revenue_per_week", "cts_total", "visits_routed_per_week"]
    check_columns(customers, needed, table_name="customers")
    check_columns(routes, ["n_stops", "load", "cost_total"], table_name="routes")
    served = customers[customers["served"].astype(bool)]
    if universe_count < len(served) or universe_count <= 0:
        raise ValueError(
            f"universe_count = {universe_count} is below the {len(served)} served customers "
            "or not positive; count every outlet of the area, customers included"
        )
    cts = float(served["cts_total"].sum())
    revenue = float(served["revenue_per_week"].sum())
    direct = served[served["channel"] == DIRECT]
    direct_drops = float(direct["visits_routed_per_week"].sum())
    stops = float(routes["n_stops"].sum())
    return {
        "cts_per_week": cts,
        "revenue_per_week": revenue,
        "cts_pct": _ratio(100.0 * cts, revenue),
        "cts_pct_by": {
            column: _cts_pct_by(served, column)
            for column in group_columns
            if column in customers.columns
        },
        "customers_served": len(served),
        "universe": int(universe_count),
        "numeric_distribution_pct": 100.0 * len(served) / universe_count,
        "cost_per_drop": _ratio(float(direct["cts_total"].sum()), direct_drops),
        "route_cost_per_drop": _ratio(float(routes["cost_total"].sum()), stops),
        "drops_per_route": _ratio(stops, float(len(routes))),
        "average_drop_size": _ratio(float(routes["load"].sum()), stops),
    }


def _ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator > 0 else None


def _cts_pct_by(served: pd.DataFrame, column: str) -> dict[str, float | None]:
    sums = served.groupby(column)[["cts_total", "revenue_per_week"]].sum()
    return {
        str(name): _ratio(100.0 * float(row["cts_total"]), float(row["revenue_per_week"]))
        for name, row in sums.iterrows()
    }
