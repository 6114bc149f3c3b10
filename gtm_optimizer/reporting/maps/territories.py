"""Territory polygons, filled lightly in their territory's colour, with a KPI tooltip."""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Element
from shapely.geometry import mapping

from gtm_optimizer.i18n import _
from gtm_optimizer.reporting.maps.text import field_table, format_cop, format_decimal

TERRITORY_COLUMNS = ("territory_id", "n_customers", "revenue_per_week", "workload_h_per_week")


def territory_tooltip_html(territory: Any) -> str:
    """Render the tooltip of one territory row: id, customers, revenue and workload."""
    return field_table(
        [
            (_("Territory"), str(territory.territory_id)),
            (_("Customers"), format_decimal(territory.n_customers, decimals=0)),
            (_("Revenue per week"), format_cop(territory.revenue_per_week)),
            (
                _("Workload per week"),
                _("{hours} h").format(
                    hours=format_decimal(territory.workload_h_per_week, decimals=1)
                ),
            ),
        ]
    )


def add_territory_polygon(group: Element, territory: Any, *, colour: str) -> bool:
    """Add the (Multi)Polygon of one territory row to ``group``; skip an empty geometry.

    Returns
    -------
    bool
        Whether a polygon was added.
    """
    if territory.geometry is None or territory.geometry.is_empty:
        return False
    style = {"color": colour, "weight": 2, "fillColor": colour, "fillOpacity": 0.12}
    folium.GeoJson(
        data=mapping(territory.geometry),
        style_function=lambda _feature: style,
        tooltip=folium.Tooltip(territory_tooltip_html(territory)),
    ).add_to(group)
    return True
