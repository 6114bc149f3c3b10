"""Extraction of retail outlets (the market universe) from an OpenStreetMap file."""

from __future__ import annotations

import logging
import time
from collections import Counter
from pathlib import Path

import numpy as np
import osmium
import pandas as pd
import shapely

from gtm_optimizer.errors import NetworkError
from gtm_optimizer.i18n import _
from gtm_optimizer.network.osm import is_osm_file

logger = logging.getLogger(__name__)

#: ``amenity`` values that are outlets a consumer-goods company sells to.
OUTLET_AMENITIES = frozenset(
    [
        "pharmacy",
        "marketplace",
        "fuel",
        "bar",
        "pub",
        "cafe",
        "fast_food",
        "restaurant",
        "ice_cream",
    ]
)

#: ``shop`` values that are not trading outlets.
NON_TRADING_SHOPS = frozenset(["vacant", "no"])

#: Tags copied into ``osm_tags``, in this order.
OUTLET_DETAIL_TAGS = ("brand", "opening_hours", "addr:street")

OUTLET_COLUMNS = ["outlet_id", "name", "outlet_type", "osm_tags", "lat", "lon"]


def extract_outlets(path: Path) -> pd.DataFrame:
    """Read the retail and food outlets of an OSM file.

    An outlet is a node, or a closed way (placed at its centroid), tagged with any ``shop``
    value except ``vacant`` and ``no``, or with an ``amenity`` in :data:`OUTLET_AMENITIES`.
    Multipolygon relations are not read.

    Parameters
    ----------
    path
        ``.osm``, ``.osm.bz2``, ``.osm.gz`` or ``.osm.pbf`` file.

    Returns
    -------
    pandas.DataFrame
        One row per outlet, sorted by ``outlet_id``, with columns:

        - ``outlet_id``: ``"osm-n<node id>"`` or ``"osm-w<way id>"``.
        - ``name``: the ``name`` tag, or ``""``.
        - ``outlet_type``: the ``shop`` value for shops (``"convenience"``), otherwise the
          ``amenity`` value (``"pharmacy"``); a shop that is also an amenity counts as a shop.
        - ``osm_tags``: ``"k=v;k=v"`` of the present tags among ``brand``, ``opening_hours``
          and ``addr:street``; a ``;`` or ``\\`` inside a value is escaped with ``\\``.
        - ``lat``, ``lon``: WGS84 degrees.

    Raises
    ------
    NetworkError
        If the file is missing, has an unknown format or cannot be parsed.
    """
    started = time.perf_counter()
    path = Path(path)
    if not path.is_file() or not is_osm_file(path):
        raise NetworkError(
            _("Outlet file {path} is missing or is not an OSM file (.osm, .osm.pbf).").format(
                path=path
            )
        )

    rows: list[dict[str, object]] = []
    n_skipped = 0
    try:
        processor = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
        processor.with_locations()
        processor.with_filter(osmium.filter.KeyFilter("shop", "amenity"))
        for element in processor:
            if not isinstance(element, osmium.osm.Node | osmium.osm.Way):
                continue
            tags = {tag.k: tag.v for tag in element.tags}
            outlet_type = _outlet_type(tags)
            if outlet_type is None:
                continue
            position = _position(element)
            if position is None:
                n_skipped += 1
                continue
            rows.append(_outlet_row(element, tags, outlet_type, position))
    except RuntimeError as error:
        raise NetworkError(
            _("Outlet file {path} cannot be read: {cause}.").format(path=path, cause=error)
        ) from error

    outlets = pd.DataFrame(rows, columns=OUTLET_COLUMNS)
    outlets = outlets.sort_values("outlet_id", kind="stable").reset_index(drop=True)
    _log_counts(path, outlets, n_skipped, time.perf_counter() - started)
    return outlets


def _outlet_type(tags: dict[str, str]) -> str | None:
    shop = tags.get("shop")
    if shop is not None and shop not in NON_TRADING_SHOPS:
        return shop
    amenity = tags.get("amenity")
    if amenity in OUTLET_AMENITIES:
        return amenity
    return None


def _position(element: osmium.osm.Node | osmium.osm.Way) -> tuple[float, float] | None:
    """Return (lat, lon) of a node, or of the centroid of a closed way; None otherwise."""
    if isinstance(element, osmium.osm.Node):
        return (element.location.lat, element.location.lon)
    if not element.is_closed():
        return None
    if not all(node.location.valid() for node in element.nodes):
        return None

    coords = np.array([(node.location.lon, node.location.lat) for node in element.nodes])
    polygon = shapely.Polygon(coords) if len(coords) >= 4 else None
    if polygon is not None and polygon.is_valid and polygon.area > 0:
        centroid = polygon.centroid
        return (centroid.y, centroid.x)
    # A degenerate ring (all nodes on a line) has no area: use the mean of its vertices.
    lon, lat = coords[:-1].mean(axis=0)
    return (float(lat), float(lon))


def _outlet_row(
    element: osmium.osm.Node | osmium.osm.Way,
    tags: dict[str, str],
    outlet_type: str,
    position: tuple[float, float],
) -> dict[str, object]:
    prefix = "n" if isinstance(element, osmium.osm.Node) else "w"
    details = [
        f"{key}={_escape(tags[key])}" for key in OUTLET_DETAIL_TAGS if tags.get(key, "") != ""
    ]
    return {
        "outlet_id": f"osm-{prefix}{element.id}",
        "name": tags.get("name", ""),
        "outlet_type": outlet_type,
        "osm_tags": ";".join(details),
        "lat": position[0],
        "lon": position[1],
    }


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;")


def _log_counts(path: Path, outlets: pd.DataFrame, n_skipped: int, seconds: float) -> None:
    counts = Counter(outlets["outlet_type"])
    details = ", ".join(f"{kind} {count}" for kind, count in counts.most_common())
    logger.info(
        _(
            "Read {count} outlets from {name} ({details}); {skipped} open or incomplete ways "
            "skipped, {seconds:.2f} s"
        ).format(
            count=len(outlets),
            name=path.name,
            details=details or _("none"),
            skipped=n_skipped,
            seconds=seconds,
        )
    )
