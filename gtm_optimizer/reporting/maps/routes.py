"""Route lines along the roads, coloured by territory, with a KPI tooltip."""

from __future__ import annotations

from typing import Any

import folium
from branca.element import Element
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from gtm_optimizer.i18n import _
from gtm_optimizer.reporting.maps.text import (
    field_table,
    format_cop,
    format_decimal,
    weekday_label,
)

ROUTE_COLUMNS = (
    "route_id",
    "territory_id",
    "weekday",
    "n_stops",
    "distance_km",
    "duration_h",
    "start",
    "end",
    "load",
    "cost_total",
)


def route_fields(route: Any) -> list[tuple[str, str]]:
    """Return the labelled KPIs of one route row, shared by its tooltip and title box."""
    return [
        (_("Route"), str(route.route_id)),
        (_("Weekday"), weekday_label(str(route.weekday))),
        (_("Stops"), format_decimal(route.n_stops, decimals=0)),
        (_("Distance"), _("{km} km").format(km=format_decimal(route.distance_km, decimals=1))),
        (_("Duration"), _("{hours} h").format(hours=format_decimal(route.duration_h, decimals=1))),
        (_("Start – end"), f"{route.start} – {route.end}"),
        (_("Cost"), format_cop(route.cost_total)),
    ]


def line_locations(geometry: BaseGeometry | None) -> list[list[tuple[float, float]]]:
    """Return the (latitude, longitude) vertices of each part of a (Multi)LineString.

    Raises
    ------
    ValueError
        If the geometry is neither a LineString nor a MultiLineString.
    """
    if geometry is None or geometry.is_empty:
        return []
    if isinstance(geometry, LineString):
        parts = [geometry]
    elif isinstance(geometry, MultiLineString):
        parts = list(geometry.geoms)
    else:
        raise ValueError(
            f"a route geometry is a {geometry.geom_type}; routes need LineString or "
            "MultiLineString geometry that follows the roads"
        )
    return [[(lat, lon) for lon, lat, *_z in part.coords] for part in parts]


def add_route_line(group: Element, route: Any, *, colour: str, weight_px: int = 4) -> bool:
    """Add the line of one route row to ``group``; skip an empty geometry.

    Returns
    -------
    bool
        Whether a line was added.
    """
    locations = line_locations(route.geometry)
    if not locations:
        return False
    folium.PolyLine(
        locations=locations if len(locations) > 1 else locations[0],
        color=colour,
        weight=weight_px,
        opacity=0.85,
        tooltip=folium.Tooltip(field_table(route_fields(route))),
    ).add_to(group)
    return True
