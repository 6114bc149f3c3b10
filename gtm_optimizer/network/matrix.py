"""Many-to-many travel-time and distance matrices on the directed road graph.

The fastest node-to-node paths come from :mod:`gtm_optimizer.network.search` and are joined
to the points by their legs in :mod:`gtm_optimizer.network.trips`. Matrices are cached on
disk by content hash (:mod:`gtm_optimizer.network.cache`).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np

from gtm_optimizer.i18n import _
from gtm_optimizer.network.cache import (
    matrix_cache_key,
    read_cached_matrices,
    write_cached_matrices,
)
from gtm_optimizer.network.legs import point_legs
from gtm_optimizer.network.road import RoadNetwork
from gtm_optimizer.network.search import check_parallel_settings, node_tables
from gtm_optimizer.network.snapping import Snapping, check_same_network
from gtm_optimizer.network.travel_matrices import SOURCE_ROAD_NETWORK, TravelMatrices
from gtm_optimizer.network.trips import fill_trips, plan_trips

logger = logging.getLogger(__name__)


def build_matrices(
    network: RoadNetwork,
    snapping: Snapping,
    *,
    cache_dir: Path | None = None,
    n_jobs: int = -1,
    chunk_size: int = 256,
) -> TravelMatrices:
    """Compute the travel-time and distance matrices between snapped points.

    Parameters
    ----------
    network
        The road network the points were snapped to.
    snapping
        The snapped points; unusable points get ``inf`` rows and columns.
    cache_dir
        Folder of the on-disk cache; None disables caching.
    n_jobs
        Worker processes for the shortest-path searches and threads for joining the legs;
        -1 uses every core available to this process.
    chunk_size
        Source nodes per shortest-path call. A call needs about 30 bytes per source node and
        graph node (57 MB measured for 256 sources on the 7,928-node Campo Grande graph), and
        each worker runs one call at a time, so lower it for very large networks.

    Returns
    -------
    TravelMatrices
        float32 (n, n) durations and distances with ``source="osm_road_network"``.

    Raises
    ------
    ValueError
        If ``n_jobs`` or ``chunk_size`` is out of range, or the points were snapped to
        another network.
    """
    started = time.perf_counter()
    workers = check_parallel_settings(n_jobs, chunk_size)
    check_same_network(network, snapping)
    key = matrix_cache_key(network, snapping) if cache_dir is not None else ""
    if cache_dir is not None:
        cached = read_cached_matrices(Path(cache_dir), key, snapping.n_points)
        if cached is not None:
            _log_done(cached, started, "hit")
            return cached

    legs = point_legs(network, snapping)
    everyone = np.arange(snapping.n_points)
    plan = plan_trips(legs, snapping.usable, everyone, everyone, reverse=False)
    # Unpacking the one table runs the generator to its end, which shuts the pool down.
    ((node_time, node_dist),) = node_tables(
        network.compact, [plan.request], workers=workers, chunk_size=chunk_size
    )
    duration_s, distance_m = fill_trips(legs, plan, node_time, node_dist, workers=workers)
    matrices = TravelMatrices(
        duration_s=duration_s,
        distance_m=distance_m,
        usable=snapping.usable.copy(),
        source=SOURCE_ROAD_NETWORK,
    )
    if cache_dir is not None:
        write_cached_matrices(Path(cache_dir), key, matrices)
    _log_done(matrices, started, "miss" if cache_dir is not None else "off")
    return matrices


def _log_done(matrices: TravelMatrices, started: float, cache: str) -> None:
    """Log the matrix size and build time. ``cache`` is ``"hit"``, ``"miss"`` or ``"off"``."""
    cache_labels = {"hit": _("cache hit"), "miss": _("cache miss"), "off": _("no cache")}
    logger.info(
        _(
            "Built {n}x{n} travel matrices ({usable} usable points) in {seconds:.2f} s, {cache}"
        ).format(
            n=matrices.n_points,
            usable=int(matrices.usable.sum()),
            seconds=time.perf_counter() - started,
            cache=cache_labels[cache],
        )
    )
