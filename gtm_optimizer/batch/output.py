"""Writing a re-routed day as one output folder, all or nothing.

Files: ``summary.json`` (KPIs, change counts, settings, runtime per stage), ``stops.csv``,
``routes.geojson``, ``unserved.csv`` (orders not routed, with reason), ``rejects.csv`` (order
rows rejected, with line, column, value, reason and fix) and ``changes.csv`` (see
:mod:`gtm_optimizer.batch.changes`).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import geopandas as gpd

from gtm_optimizer.batch.reroute import RerouteResult
from gtm_optimizer.i18n import _
from gtm_optimizer.reporting.writers import atomic_folder, write_json

logger = logging.getLogger(__name__)

REROUTE_FILES = (
    "summary.json",
    "stops.csv",
    "routes.geojson",
    "unserved.csv",
    "rejects.csv",
    "changes.csv",
)


def write_reroute(result: RerouteResult, out_dir: Path) -> Path:
    """Write every output file of a re-routing run into ``out_dir`` (replaced as a whole)."""
    started = time.perf_counter()
    with atomic_folder(out_dir) as folder:
        result.stops.to_csv(folder / "stops.csv", index=False)
        result.unserved.to_csv(folder / "unserved.csv", index=False)
        result.rejects.to_csv(folder / "rejects.csv", index=False)
        result.changes.to_csv(folder / "changes.csv", index=False)
        _write_geojson(result.routes, folder / "routes.geojson")
        write_json(folder / "summary.json", {**result.summary, "outputs": list(REROUTE_FILES)})
    logger.info(
        _("Wrote re-routed {day} to {folder} in {seconds:.1f} s").format(
            day=result.day.isoformat(), folder=out_dir, seconds=time.perf_counter() - started
        )
    )
    return Path(out_dir)


def _write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    if frame.empty:
        path.write_text('{"type": "FeatureCollection", "features": []}\n', encoding="utf-8")
        return
    frame.to_file(path, driver="GeoJSON")
