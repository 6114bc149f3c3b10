"""One map per route: the line along the roads, numbered stops, the depot and a title box."""

from __future__ import annotations

import logging
import math
import time
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
from branca.element import Element

from gtm_optimizer.i18n import _, ngettext
from gtm_optimizer.reporting.maps.base import (
    Bounds,
    add_box,
    create_map,
    fit_to_bounds,
    frame_bounds,
    require_columns,
    territory_colours,
    to_wgs84,
    write_map,
)
from gtm_optimizer.reporting.maps.depots import DEPOT_COLUMNS, add_depot_markers
from gtm_optimizer.reporting.maps.routes import (
    ROUTE_COLUMNS,
    add_route_line,
    line_locations,
    route_fields,
)
from gtm_optimizer.reporting.maps.text import escape_text, field_table, format_decimal

logger = logging.getLogger(__name__)

STOP_COLUMNS = (
    "route_id",
    "sequence",
    "customer_id",
    "name",
    "lat",
    "lon",
    "arrival",
    "departure",
    "load",
)

_STOP_ICON_PX = 24


def write_route_maps(
    folder: Path,
    *,
    routes: gpd.GeoDataFrame,
    stops: pd.DataFrame,
    depots: gpd.GeoDataFrame,
    offline: bool = False,
) -> list[Path]:
    """Write one map per route to ``folder / f"{route_id}.html"``.

    Parameters
    ----------
    folder
        Folder of the maps; created if missing.
    routes
        Route rows with LineString geometry in WGS84 and the columns of :data:`ROUTE_COLUMNS`.
    stops
        One row per stop with the columns of :data:`STOP_COLUMNS`; ``sequence`` counts from 1.
    depots
        Depot points; each map shows the depot nearest to the start of its route.
    offline
        Inline Leaflet and the other scripts and styles so that only the tiles need internet.

    Returns
    -------
    list[Path]
        The written files, in the order of ``routes``.

    Raises
    ------
    ValueError
        If a layer lacks a column or a CRS, or a route id is repeated or is no valid file name.
    MapAssetsNotFoundError
        If ``offline`` is set and local copies of the scripts or styles are missing.
    """
    started_s = time.perf_counter()
    routes = to_wgs84(routes, name="routes", columns=ROUTE_COLUMNS)
    depots = to_wgs84(depots, name="depots", columns=DEPOT_COLUMNS)
    require_columns(stops, STOP_COLUMNS, name="stops")
    _check_route_ids(routes["route_id"].astype(str))

    # NOTE: colours follow the sorted territory ids of the routes, so they match the index map
    # unless a territory there has no route.
    colours = territory_colours(map(str, routes["territory_id"]))
    stops_by_route = {
        str(route_id): frame.sort_values("sequence")
        for route_id, frame in stops.groupby("route_id", sort=False)
    }
    paths = []
    for route in routes.itertuples(index=False):
        route_stops = stops_by_route.get(str(route.route_id), stops.iloc[0:0])
        colour = colours.get(str(route.territory_id), "#000000")
        fmap = build_route_map(route, route_stops, depots, colour=colour)
        paths.append(write_map(fmap, folder / f"{route.route_id}.html", offline=offline))

    logger.info(
        ngettext(
            "Wrote {count} route map to {folder} in {seconds} s",
            "Wrote {count} route maps to {folder} in {seconds} s",
            len(paths),
        ).format(count=len(paths), folder=folder, seconds=f"{time.perf_counter() - started_s:.1f}")
    )
    return paths


def build_route_map(
    route: Any, stops: pd.DataFrame, depots: gpd.GeoDataFrame, *, colour: str
) -> folium.Map:
    """Build the map of one route row with its stops sorted by sequence."""
    fmap = create_map(title=_("Route {route_id}").format(route_id=route.route_id))
    add_route_line(fmap, route, colour=colour, weight_px=5)
    located = stops.dropna(subset=["lat", "lon"])
    add_stop_markers(fmap, located, colour=colour)

    depot = _nearest_depot(route, located, depots)
    add_depot_markers(fmap, depot)
    add_box(fmap, field_table(route_fields(route)), position="top")

    stop_bounds: Bounds | None = None
    if not located.empty:
        stop_bounds = (
            float(located["lon"].min()),
            float(located["lat"].min()),
            float(located["lon"].max()),
            float(located["lat"].max()),
        )
    route_bounds = frame_bounds(gpd.GeoDataFrame(geometry=[route.geometry], crs=4326))
    fit_to_bounds(fmap, [route_bounds, stop_bounds, frame_bounds(depot)])
    return fmap


def add_stop_markers(parent: Element, stops: pd.DataFrame, *, colour: str) -> int:
    """Add a numbered marker with a popup for each stop, in the order of ``stops``."""
    for stop in stops.itertuples(index=False):
        sequence = int(stop.sequence)
        icon_html = (
            f'<div style="width:{_STOP_ICON_PX}px;height:{_STOP_ICON_PX}px;'
            f"line-height:{_STOP_ICON_PX}px;border-radius:50%;background:{colour};"
            'color:white;font:bold 11px sans-serif;text-align:center;border:1px solid white">'
            f"{sequence}</div>"
        )
        popup = field_table(
            [
                (_("Stop"), str(sequence)),
                (_("Customer"), str(stop.customer_id)),
                (_("Name"), str(stop.name)),
                (_("Arrival"), str(stop.arrival)),
                (_("Departure"), str(stop.departure)),
                (_("Load"), format_decimal(stop.load, decimals=1)),
            ]
        )
        half_px = _STOP_ICON_PX // 2
        folium.Marker(
            location=[float(stop.lat), float(stop.lon)],
            icon=folium.DivIcon(
                html=icon_html,
                icon_size=(_STOP_ICON_PX, _STOP_ICON_PX),
                icon_anchor=(half_px, half_px),
            ),
            tooltip=folium.Tooltip(escape_text(f"{sequence}. {stop.name}")),
            popup=folium.Popup(popup, max_width=320),
        ).add_to(parent)
    return len(stops)


def _nearest_depot(route: Any, stops: pd.DataFrame, depots: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the depot nearest to the start of the route as a frame of at most one row.

    Routes carry no depot id, and every route starts at its depot, so the depot nearest to
    the route's first vertex (or its first stop when the line is empty) is the route's own.
    The distance is equirectangular, which is precise enough to tell depots apart.
    """
    depots = depots[~(depots.geometry.isna() | depots.geometry.is_empty)]
    parts = line_locations(route.geometry)
    if parts:
        lat, lon = parts[0][0]
    elif not stops.empty:
        lat, lon = float(stops["lat"].iloc[0]), float(stops["lon"].iloc[0])
    else:
        return depots.iloc[0:0]
    if depots.empty:
        return depots

    scale = math.cos(math.radians(lat))
    squared = ((depots.geometry.x - lon) * scale) ** 2 + (depots.geometry.y - lat) ** 2
    return depots.loc[[squared.idxmin()]]


def _check_route_ids(route_ids: pd.Series) -> None:
    """Raise ``ValueError`` if a route id repeats or cannot be used as a file name."""
    duplicated = sorted(set(route_ids[route_ids.duplicated()]))
    if duplicated:
        raise ValueError(
            f"route ids must be unique, but these repeat: {', '.join(duplicated)}. "
            "Give each route its own id."
        )
    for route_id in route_ids:
        if route_id in ("", ".", "..") or "/" in route_id or "\\" in route_id:
            raise ValueError(
                f"route id {route_id!r} cannot name a map file. Use ids without '/' or '\\'."
            )
