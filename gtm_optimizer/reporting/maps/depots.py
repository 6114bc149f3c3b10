"""Depot markers: dark squares, distinct from the round customer and stop markers."""

from __future__ import annotations

import folium
import geopandas as gpd
from branca.element import Element

from gtm_optimizer.i18n import _
from gtm_optimizer.reporting.maps.text import escape_text, field_table

DEPOT_COLUMNS = ("depot_id", "name")

_DEPOT_ICON_HTML = (
    '<div style="width:16px;height:16px;background:#222;border:2px solid #fff;'
    'border-radius:3px;box-shadow:0 0 3px #000"></div>'
)


def add_depot_markers(parent: Element, depots: gpd.GeoDataFrame) -> int:
    """Add one square marker per depot to ``parent`` and return how many were added."""
    added = 0
    for depot in depots.itertuples(index=False):
        if depot.geometry is None or depot.geometry.is_empty:
            continue
        popup = field_table([(_("Depot"), str(depot.depot_id)), (_("Name"), str(depot.name))])
        folium.Marker(
            location=[depot.geometry.y, depot.geometry.x],
            icon=folium.DivIcon(html=_DEPOT_ICON_HTML, icon_size=(20, 20), icon_anchor=(10, 10)),
            tooltip=folium.Tooltip(escape_text(_("Depot {name}").format(name=depot.name))),
            popup=folium.Popup(popup, max_width=320),
        ).add_to(parent)
        added += 1
    return added
