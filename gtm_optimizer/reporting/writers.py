"""Writing a run's output folder: CSV, GeoJSON, JSON and maps, all or nothing.

The folder is first written under a temporary name beside the target and renamed into place
at the end. A reader therefore finds the complete previous output, the complete new one, or
nothing, and never half a run.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from gtm_optimizer.i18n import _
from gtm_optimizer.results import RunResult

logger = logging.getLogger(__name__)

CUSTOMER_COLUMNS = [
    "customer_id", "name", "outlet_type", "segment", "channel", "territory_id", "visit_days",
    "visit_week", "route_ids", "visits_per_week", "visits_routed_per_week", "revenue_per_week",
    "volume_per_week", "service_min", "credit_days", "workload_h_per_week", "cts_route",
    "cts_drop", "cts_handling", "cts_order_taking", "cts_receivables", "cts_overhead",
    "cts_total", "cts_per_visit", "cts_pct", "gross_margin", "contribution_after_cts",
    "customer_value", "cts_segment", "recommended_action", "channel_reason", "served",
    "unserved_reason", "snap_m", "lat", "lon",
]
STOP_COLUMNS = [
    "route_id", "territory_id", "sequence", "customer_id", "name", "arrival", "start_service",
    "departure", "wait_s", "service_s", "load", "time_share_s", "allocated_cost", "lat", "lon",
]


@contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder that replaces ``target`` when the block ends without error."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = None
    if target.exists():
        previous = target.with_name(f".{target.name}.old-{os.getpid()}-{time.time_ns()}")
        target.rename(previous)
    staging.rename(target)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)


def write_outputs(result: RunResult, out_dir: Path, *, maps: bool = True,
                  offline_maps: bool = False) -> Path:
    """Write every output file of a run into ``out_dir`` (replaced as a whole).

    Returns
    -------
    pathlib.Path
        The output folder.
    """
    started = time.perf_counter()
    with atomic_folder(out_dir) as folder:
        _write_tables(result, folder)
        if maps:
            _write_maps(result, folder, offline=offline_maps)
        _write_reports(result, folder, maps=maps)
        result.summary["outputs"] = sorted(
            [str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()]
            + ["scenario.json", "summary.json"]
        )
        write_json(folder / "scenario.json", result.scenario.to_resolved_dict())
        write_json(folder / "summary.json", result.summary)
    logger.info(
        _("Wrote outputs to {folder} in {seconds:.1f} s").format(
            folder=out_dir, seconds=time.perf_counter() - started)
    )
    return Path(out_dir)


def _write_tables(result: RunResult, folder: Path) -> None:
    customers = pd.DataFrame(result.customers.drop(columns="geometry"))
    columns = [c for c in CUSTOMER_COLUMNS if c in customers.columns]
    customers[columns].to_csv(folder / "customers.csv", index=False)
    result.stops[[c for c in STOP_COLUMNS if c in result.stops.columns]].to_csv(
        folder / "stops.csv", index=False)
    result.unserved.to_csv(folder / "unserved.csv", index=False)
    result.rejects.to_csv(folder / "rejects.csv", index=False)
    if not result.prospects.empty:
        result.prospects.to_csv(folder / "prospects.csv", index=False)
    _write_geojson(result.routes, folder / "routes.geojson")
    _write_geojson(result.territories, folder / "territories.geojson")


def _write_geojson(frame: gpd.GeoDataFrame, path: Path) -> None:
    if frame.empty:
        path.write_text('{"type": "FeatureCollection", "features": []}\n', encoding="utf-8")
        return
    frame.to_file(path, driver="GeoJSON")


def _write_reports(result: RunResult, folder: Path, *, maps: bool) -> None:
    # Imported here because the report package reads the output column lists of this module.
    from gtm_optimizer.reporting.report import write_report_html, write_report_xlsx

    write_report_xlsx(result, folder / "report.xlsx")
    write_report_html(result, folder / "report.html",
                      map_href="maps/index.html" if maps else None)


def _write_maps(result: RunResult, folder: Path, *, offline: bool) -> None:
    from gtm_optimizer.reporting.maps import write_index_map, write_route_maps

    maps = folder / "maps"
    maps.mkdir()
    write_index_map(
        maps / "index.html", customers=result.customers, routes=result.routes,
        territories=result.territories, depots=result.depots, offline=offline,
        title=result.scenario.name,
    )
    write_route_maps(maps / "routes", routes=result.routes, stops=result.stops,
                     depots=result.depots, offline=offline)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        number = float(value)
        return None if math.isnan(number) or math.isinf(number) else number
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, Path):
        return str(value)
    return value


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as indented JSON; NaN and infinity become ``null``."""
    path.write_text(json.dumps(_plain(data), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
