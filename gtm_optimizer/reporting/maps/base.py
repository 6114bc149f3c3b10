"""Map creation, tiles and attribution, data checks, fitting to the data and atomic writing."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

import folium
import geopandas as gpd
import pandas as pd

from gtm_optimizer.i18n import get_language
from gtm_optimizer.reporting.maps.offline import inline_assets
from gtm_optimizer.reporting.maps.text import FIELD_TABLE_CSS, escape_text

# OpenStreetMap's licence requires this credit wherever its tiles are shown.
OSM_ATTRIBUTION = (
    '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a>'
)

# Territory i is drawn in PALETTE[i % len(PALETTE)]. Grey is left out because it marks
# unserved customers.
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
    "#393b79",
)

# A map of one point would otherwise open at the tile server's maximum zoom.
MAX_FIT_ZOOM = 16

Bounds = tuple[float, float, float, float]

_BOX_POSITIONS = {
    "top": "top:10px;left:60px;",
    "bottomleft": "bottom:30px;left:10px;",
}


def create_map(*, title: str = "") -> folium.Map:
    """Create an empty map with OpenStreetMap tiles and their attribution.

    Parameters
    ----------
    title
        Text of the HTML ``<title>``; empty leaves the page untitled.
    """
    fmap = folium.Map(location=None, tiles=None, control_scale=True)
    folium.TileLayer(
        "OpenStreetMap", attr=OSM_ATTRIBUTION, name="OpenStreetMap", control=False
    ).add_to(fmap)
    style = folium.Element(f"<style>{FIELD_TABLE_CSS}</style>")
    fmap.get_root().header.add_child(style)  # type: ignore[attr-defined]
    if title:
        fmap.get_root().title = escape_text(title)  # type: ignore[attr-defined]
    return fmap


def territory_colours(territory_ids: Iterable[str]) -> dict[str, str]:
    """Assign palette colours to territories in sorted id order; ``""`` gets none."""
    ordered = sorted({str(territory_id) for territory_id in territory_ids} - {""})
    return {
        territory_id: PALETTE[index % len(PALETTE)] for index, territory_id in enumerate(ordered)
    }


def require_columns(frame: pd.DataFrame, columns: Sequence[str], *, name: str) -> None:
    """Raise ``ValueError`` naming every column of ``columns`` that is missing from ``frame``."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        present = ", ".join(map(str, frame.columns))
        raise ValueError(
            f"{name} is missing the column(s) {', '.join(missing)} (it has: {present}). "
            f"Add them, because the maps need all of: {', '.join(columns)}."
        )


def to_wgs84(frame: gpd.GeoDataFrame, *, name: str, columns: Sequence[str]) -> gpd.GeoDataFrame:
    """Check the columns and CRS of a layer and return it in WGS84 (EPSG:4326).

    Raises
    ------
    ValueError
        If a column is missing or the frame has no CRS.
    """
    require_columns(frame, columns, name=name)
    if frame.crs is None:
        raise ValueError(
            f"{name} has no CRS. Set it with .set_crs('EPSG:4326') if its coordinates are "
            "longitude and latitude."
        )
    if frame.crs.to_epsg() != 4326:
        return frame.to_crs(4326)
    return frame


def frame_bounds(frame: gpd.GeoDataFrame) -> Bounds | None:
    """Return ``(west, south, east, north)`` of the non-empty geometries, or ``None``."""
    geometry = frame.geometry[~(frame.geometry.isna() | frame.geometry.is_empty)]
    if geometry.empty:
        return None
    west, south, east, north = geometry.total_bounds
    return float(west), float(south), float(east), float(north)


def fit_to_bounds(fmap: folium.Map, boxes: Iterable[Bounds | None]) -> None:
    """Fit the map view to the union of ``boxes``; with no box the world view stays."""
    present = [box for box in boxes if box is not None]
    if not present:
        return
    west = min(box[0] for box in present)
    south = min(box[1] for box in present)
    east = max(box[2] for box in present)
    north = max(box[3] for box in present)
    fmap.fit_bounds([[south, west], [north, east]], max_zoom=MAX_FIT_ZOOM)


def add_box(fmap: folium.Map, inner_html: str, *, position: Literal["top", "bottomleft"]) -> None:
    """Pin a white box of HTML (a title or a legend) over the map at ``position``."""
    style = (
        "position:fixed;z-index:1000;background:white;padding:6px 10px;border-radius:4px;"
        "box-shadow:0 1px 4px rgba(0,0,0,0.4);font:12px sans-serif;" + _BOX_POSITIONS[position]
    )
    box = folium.Element(f'<div class="gtm-map-box" style="{style}">{inner_html}</div>')
    fmap.get_root().html.add_child(box)  # type: ignore[attr-defined]


def write_map(fmap: folium.Map, path: Path, *, offline: bool) -> Path:
    """Save the map to ``path`` atomically, inlining its scripts and styles if ``offline``.

    The HTML goes to a temporary file in the same folder, which then replaces ``path``, so a
    reader never sees half a map. The page's ``lang`` attribute is the language in force.

    Raises
    ------
    MapAssetsNotFoundError
        If ``offline`` is set and local copies of the scripts or styles are missing.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        fmap.save(str(temporary))
        html = temporary.read_text(encoding="utf-8")
        # branca's page template writes a bare <html> tag and offers no setting for lang.
        html = html.replace("<html>", f'<html lang="{get_language()}">', 1)
        if offline:
            html = inline_assets(html)
        temporary.write_text(html, encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path
