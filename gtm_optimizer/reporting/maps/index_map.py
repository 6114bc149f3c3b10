"""The index map of a run: territories, customers, routes per weekday and depots."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

import folium
import geopandas as gpd

from gtm_optimizer.i18n import _, ngettext
from gtm_optimizer.reporting.maps.base import (
    add_box,
    create_map,
    fit_to_bounds,
    frame_bounds,
    territory_colours,
    to_wgs84,
    write_map,
)
from gtm_optimizer.reporting.maps.customers import (
    CLUSTER_THRESHOLD,
    CUSTOMER_COLUMNS,
    UNSERVED_COLOUR,
    add_customer_markers,
    cts_colour,
    cts_legend_html,
)
from gtm_optimizer.reporting.maps.depots import DEPOT_COLUMNS, add_depot_markers
from gtm_optimizer.reporting.maps.routes import ROUTE_COLUMNS, add_route_line
from gtm_optimizer.reporting.maps.territories import TERRITORY_COLUMNS, add_territory_polygon
from gtm_optimizer.reporting.maps.text import WEEKDAYS, escape_text, weekday_label

logger = logging.getLogger(__name__)

# Above this many layers the layer list starts collapsed so that it does not cover the map.
_EXPANDED_LAYER_LIMIT = 12


def write_index_map(
    path: Path,
    *,
    customers: gpd.GeoDataFrame,
    routes: gpd.GeoDataFrame,
    territories: gpd.GeoDataFrame,
    depots: gpd.GeoDataFrame,
    offline: bool = False,
    title: str = "",
) -> Path:
    """Write the interactive overview map of a run to ``path``.

    The map has one toggleable layer per territory (its polygon, served customers and routes),
    one per weekday (that day's routes, hidden at first), one for unserved customers and one for
    depots. Customers are coloured by CTS %; above :data:`CLUSTER_THRESHOLD` customers they are
    clustered.

    Parameters
    ----------
    path
        The HTML file to write; its folder is created if missing.
    customers, routes, territories, depots
        The run's layers in WGS84, with the columns the map writers document (see the
        ``*_COLUMNS`` constants); another CRS is reprojected.
    offline
        Inline Leaflet and the other scripts and styles so that only the tiles need internet.
    title
        Title shown over the map and as the page title; empty shows none.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    ValueError
        If a layer lacks a column, has no CRS, or a weekday is unknown.
    MapAssetsNotFoundError
        If ``offline`` is set and local copies of the scripts or styles are missing.
    """
    started_s = time.perf_counter()
    customers = to_wgs84(customers, name="customers", columns=CUSTOMER_COLUMNS)
    routes = to_wgs84(routes, name="routes", columns=ROUTE_COLUMNS)
    territories = to_wgs84(territories, name="territories", columns=TERRITORY_COLUMNS)
    depots = to_wgs84(depots, name="depots", columns=DEPOT_COLUMNS)

    served = customers[customers["served"].astype(bool)]
    ids = [*territories["territory_id"], *served["territory_id"], *routes["territory_id"]]
    colours = territory_colours(map(str, ids))

    fmap = create_map(title=title)
    clustered = len(customers) > CLUSTER_THRESHOLD
    n_layers = _add_territory_layers(
        fmap, served, routes, territories, colours=colours, clustered=clustered
    )
    n_layers += _add_weekday_layers(fmap, routes, colours=colours)
    n_layers += _add_unserved_layer(fmap, customers, clustered=clustered)
    depot_layer = folium.FeatureGroup(name=escape_text(_("Depots")))
    add_depot_markers(depot_layer, depots)
    depot_layer.add_to(fmap)
    folium.LayerControl(collapsed=n_layers + 1 > _EXPANDED_LAYER_LIMIT).add_to(fmap)

    add_box(fmap, cts_legend_html(), position="bottomleft")
    if title:
        add_box(fmap, f"<b>{escape_text(title)}</b>", position="top")
    frames = (customers, routes, territories, depots)
    fit_to_bounds(fmap, [frame_bounds(frame) for frame in frames])
    write_map(fmap, path, offline=offline)

    n_territories, n_customers, n_routes = len(territories), len(customers), len(routes)
    territories_text = ngettext("{count} territory", "{count} territories", n_territories)
    customers_text = ngettext("{count} customer", "{count} customers", n_customers)
    routes_text = ngettext("{count} route", "{count} routes", n_routes)
    logger.info(
        _(
            "Wrote the index map {path}: {territories}, {customers}, {routes} in {seconds} s"
        ).format(
            path=path,
            territories=territories_text.format(count=n_territories),
            customers=customers_text.format(count=n_customers),
            routes=routes_text.format(count=n_routes),
            seconds=f"{time.perf_counter() - started_s:.1f}",
        )
    )
    return path


def _add_territory_layers(
    fmap: folium.Map,
    served: gpd.GeoDataFrame,
    routes: gpd.GeoDataFrame,
    territories: gpd.GeoDataFrame,
    *,
    colours: dict[str, str],
    clustered: bool,
) -> int:
    """Add one layer per territory, plus one for served customers without a territory."""
    for territory_id, colour in colours.items():
        swatch = f'<span style="color:{colour}">&#9632;</span> '
        label = _("Territory {territory_id}").format(territory_id=territory_id)
        group = folium.FeatureGroup(name=swatch + escape_text(label))
        for territory in territories[territories["territory_id"] == territory_id].itertuples():
            add_territory_polygon(group, territory, colour=colour)
        for route in routes[routes["territory_id"] == territory_id].itertuples():
            add_route_line(group, route, colour=colour)
        own_customers = served[served["territory_id"] == territory_id]
        add_customer_markers(group, own_customers, clustered=clustered, colour_of=_cts_fill)
        group.add_to(fmap)

    without_territory = served[served["territory_id"].astype(str) == ""]
    if without_territory.empty:
        return len(colours)
    group = folium.FeatureGroup(name=escape_text(_("Customers without territory")))
    add_customer_markers(group, without_territory, clustered=clustered, colour_of=_cts_fill)
    group.add_to(fmap)
    return len(colours) + 1


def _add_weekday_layers(
    fmap: folium.Map, routes: gpd.GeoDataFrame, *, colours: dict[str, str]
) -> int:
    """Add one hidden layer per weekday with routes, holding that weekday's routes."""
    # weekday_label raises ValueError on an unknown weekday before any layer is added.
    labels = {day: weekday_label(day) for day in set(routes["weekday"].astype(str))}
    ordered = [day for day in WEEKDAYS if day in labels]
    for weekday in ordered:
        label = _("Routes on {weekday}").format(weekday=labels[weekday])
        group = folium.FeatureGroup(name=escape_text(label), show=False)
        for route in routes[routes["weekday"] == weekday].itertuples():
            add_route_line(group, route, colour=colours.get(str(route.territory_id), "#000000"))
        group.add_to(fmap)
    return len(ordered)


def _add_unserved_layer(fmap: folium.Map, customers: gpd.GeoDataFrame, *, clustered: bool) -> int:
    """Add the layer of unserved customers in grey, if there are any."""
    unserved = customers[~customers["served"].astype(bool)]
    if unserved.empty:
        return 0
    group = folium.FeatureGroup(name=escape_text(_("Unserved customers")))
    add_customer_markers(group, unserved, clustered=clustered, colour_of=_unserved_fill)
    group.add_to(fmap)
    return 1


def _cts_fill(customer: Any) -> str:
    return cts_colour(customer.cts_pct)


def _unserved_fill(customer: Any) -> str:
    return UNSERVED_COLOUR
