"""Labels, units and number formats of the KPIs and table columns that reports show.

Labels are looked up when a report is written, not at import, so that they follow the language
set by the CLI. A KPI or column without an entry here keeps its machine name as label, so a
KPI added to the summary later still shows up.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Literal

import numpy as np

from gtm_optimizer.i18n import _
from gtm_optimizer.reporting.maps.text import format_decimal, weekday_label

KpiKind = Literal["count", "decimal", "money", "percent", "volume"]

KPI_KINDS: dict[str, KpiKind] = {
    "customers": "count",
    "customers_served": "count",
    "customers_fully_served": "count",
    "customers_unserved": "count",
    "customers_direct": "count",
    "customers_distributor": "count",
    "customers_telesales": "count",
    "customers_ecommerce": "count",
    "rows_rejected": "count",
    "universe": "count",
    "numeric_distribution_pct": "percent",
    "prospects": "count",
    "territories": "count",
    "routes_per_week": "decimal",
    "visits_per_week": "decimal",
    "km_per_week": "decimal",
    "hours_per_week": "decimal",
    "revenue_per_week": "money",
    "cts_per_week": "money",
    "cts_pct": "percent",
    "contribution_per_week": "money",
    "route_cost_per_week": "money",
    "cost_per_drop": "money",
    "route_cost_per_drop": "money",
    "drops_per_route": "decimal",
    "average_drop_size": "volume",
    "max_territory_workload_deviation_pct": "percent",
}
"""Kind of every known KPI, in the order reports list them."""

NO_VALUE = "–"


@dataclass(frozen=True)
class Units:
    """Currency and volume unit of a run, as written in its summary."""

    currency: str = "COP"
    volume_unit: str = "cases"


def kpi_label(key: str) -> str:
    """Return the translated label of a KPI of ``summary["kpis"]``, or ``key`` if unknown."""
    labels = {
        "customers": _("Customers"),
        "customers_served": _("Customers served"),
        "customers_fully_served": _("Customers with every visit routed"),
        "customers_unserved": _("Customers not served"),
        "customers_direct": _("Customers on direct routes"),
        "customers_distributor": _("Customers served by a distributor"),
        "customers_telesales": _("Customers served by telesales"),
        "customers_ecommerce": _("Customers served by e-commerce"),
        "rows_rejected": _("Input rows rejected"),
        "universe": _("Outlets in the universe"),
        "numeric_distribution_pct": _("Numeric distribution"),
        "prospects": _("Prospects"),
        "territories": _("Territories"),
        "routes_per_week": _("Routes per week"),
        "visits_per_week": _("Visits per week"),
        "km_per_week": _("Kilometres per week"),
        "hours_per_week": _("Hours per week"),
        "revenue_per_week": _("Revenue per week"),
        "cts_per_week": _("Cost to serve per week"),
        "cts_pct": _("Cost to serve, share of revenue (%)"),
        "contribution_per_week": _("Contribution after cost to serve per week"),
        "route_cost_per_week": _("Route cost per week"),
        "cost_per_drop": _("Cost to serve per drop"),
        "route_cost_per_drop": _("Route cost per drop"),
        "drops_per_route": _("Drops per route"),
        "average_drop_size": _("Average drop size"),
        "max_territory_workload_deviation_pct": _("Largest territory workload deviation"),
    }
    return labels.get(key, key)


def kpi_unit(key: str, units: Units) -> str:
    """Return the unit a KPI's value is written in: a currency, ``%``, ``km``, ``h`` or ``""``."""
    kind = KPI_KINDS.get(key)
    if kind == "money":
        return units.currency
    if kind == "percent":
        return "%"
    if kind == "volume":
        return units.volume_unit
    return {"km_per_week": "km", "hours_per_week": "h"}.get(key, "")


def kpi_number_format(key: str) -> str:
    """Return the Excel number format of a KPI: whole numbers for counts and money."""
    if KPI_KINDS.get(key) in ("count", "money"):
        return "#,##0"
    return "#,##0.0"


def is_number(value: object) -> bool:
    """Return whether ``value`` is a finite real number, NumPy's included, and not a bool."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        return False
    return math.isfinite(float(value))


def format_number(value: object, *, decimals: int) -> str:
    """Format a number in the language in force; anything else becomes ``–``."""
    if not is_number(value):
        return NO_VALUE
    assert isinstance(value, numbers.Real)
    return format_decimal(float(value), decimals=decimals)


def format_kpi(key: str, value: object, units: Units) -> str:
    """Format a KPI value with its unit, e.g. ``4.1 %`` or ``15,424,771 COP``."""
    if not is_number(value):
        return NO_VALUE
    kind = KPI_KINDS.get(key, "decimal")
    decimals = {"count": 0, "money": 0}.get(kind, 1)
    text = format_number(value, decimals=decimals)
    unit = kpi_unit(key, units)
    return f"{text} {unit}" if unit else text


def format_delta(key: str, delta: object, delta_pct: object, units: Units) -> str:
    """Format a change against the reference scenario, e.g. ``+1,200 COP (+3.5 %)``.

    A change of a KPI that is itself a percentage is written in percentage points
    (``+0.4 pp``), without a relative change.
    """
    if not is_number(delta):
        return NO_VALUE
    assert isinstance(delta, numbers.Real)
    sign = "+" if float(delta) > 0 else ""
    if KPI_KINDS.get(key) == "percent":
        points = format_number(delta, decimals=1)
        return sign + _("{points} pp").format(points=points)
    text = sign + format_kpi(key, delta, units)
    if is_number(delta_pct):
        assert isinstance(delta_pct, numbers.Real)
        pct_sign = "+" if float(delta_pct) > 0 else ""
        text += f" ({pct_sign}{format_number(delta_pct, decimals=1)} %)"
    return text


def visit_days_text(visit_days: str) -> str:
    """Translate a visit pattern such as ``Mon+Thu``; an unknown day is kept as written."""
    if not visit_days:
        return ""
    days = []
    for day in visit_days.split("+"):
        try:
            days.append(weekday_label(day))
        except ValueError:
            days.append(day)
    return "+".join(days)
