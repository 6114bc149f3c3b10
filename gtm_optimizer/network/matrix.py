"""Many-to-many travel-time and distance matrices on the directed road graph.

Shortest paths by travel time run with :func:`scipy.sparse.csgraph.dijkstra` from the exit
nodes of the points, in chunks of source nodes spread over a thread pool (scipy releases the
GIL while it searches). The distance of each fastest path is summed over its predecessor tree
by pointer doubling, so no Python loop runs per node. A point-to-point trip is the cheapest of
leave leg + node-to-node path + arrive leg over the candidate edges of both points, or the
direct drive along one edge when both points lie on it in driving order.
"""

from __future__ import annotations

import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra

from gtm_optimizer.i18n import _
from gtm_optimizer.network.cache import (
    matrix_cache_key,
    read_cached_matrices,
    write_cached_matrices,
)
from gtm_optimizer.network.compact import CompactGraph
from gtm_optimizer.network.legs import N_CANDIDATES, PointLegs, point_legs
from gtm_optimizer.network.road import RoadNetwork
from gtm_optimizer.network.snapping import N_SLOTS, Snapping, check_same_network
from gtm_optimizer.network.travel_matrices import SOURCE_ROAD_NETWORK, TravelMatrices

logger = logging.getLogger(__name__)

# Rows of the point matrix combined at once; bounds the temporary (rows, n) arrays.
_COMBINE_BLOCK_ROWS = 512

#: Option codes returned by :func:`combine_legs`: ``leave_column * 3 + arrive_column`` for a
#: trip through the node graph (columns of :class:`PointLegs`), ``DIRECT_OPTION + slot`` for a
#: direct drive along the edge of that slot.
DIRECT_OPTION = N_CANDIDATES * N_CANDIDATES


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
        Threads for the shortest-path searches; -1 uses every core.
    chunk_size
        Source nodes per shortest-path call. Each running call holds about 50 bytes per
        source node and graph node (57 MB measured for 256 sources on the 4,232-node Duitama
        graph), so lower it for very large networks.

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
    workers = _check_settings(n_jobs, chunk_size)
    check_same_network(network, snapping)
    key = matrix_cache_key(network, snapping) if cache_dir is not None else ""
    if cache_dir is not None:
        cached = read_cached_matrices(Path(cache_dir), key, snapping.n_points)
        if cached is not None:
            _log_done(cached, started, "hit")
            return cached

    legs = point_legs(network, snapping)
    duration_s, distance_m = _point_matrices(
        network.compact, legs, snapping.usable, workers, chunk_size
    )
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


def _check_settings(n_jobs: int, chunk_size: int) -> int:
    if n_jobs == 0 or n_jobs < -1:
        raise ValueError(f"n_jobs is {n_jobs!r}; use -1 for every core or a positive count")
    if chunk_size < 1:
        raise ValueError(f"chunk_size is {chunk_size!r}; use a positive number such as 256")
    if n_jobs == -1:
        return os.cpu_count() or 1
    return n_jobs


def _point_matrices(
    compact: CompactGraph,
    legs: PointLegs,
    usable_mask: NDArray[np.bool_],
    workers: int,
    chunk_size: int,
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Fill the (n, n) matrices: inf in unusable rows and columns, 0 on the usable diagonal."""
    n = len(legs.access_s)
    duration_s = np.full((n, n), np.inf, dtype=np.float32)
    distance_m = np.full((n, n), np.inf, dtype=np.float32)
    usable = np.flatnonzero(usable_mask)

    sources = np.unique(legs.leave_node[legs.leave_node >= 0])
    targets = np.unique(legs.arrive_node[legs.arrive_node >= 0])
    node_time, node_dist = node_to_node(
        compact, sources, targets, workers=workers, chunk_size=chunk_size
    )
    row_pos = _positions(sources, legs.leave_node)
    col_pos = _positions(targets, legs.arrive_node)

    for start in range(0, len(usable), _COMBINE_BLOCK_ROWS):
        rows = usable[start : start + _COMBINE_BLOCK_ROWS]
        block_s, block_m, _options = combine_legs(
            legs, rows, usable, node_time, node_dist, row_pos[rows], col_pos[usable]
        )
        duration_s[np.ix_(rows, usable)] = block_s
        distance_m[np.ix_(rows, usable)] = block_m

    duration_s[usable, usable] = 0.0
    distance_m[usable, usable] = 0.0
    if not np.isfinite(duration_s[np.ix_(usable, usable)]).all():
        raise RuntimeError(
            "internal error: a trip between two usable points has no path; every usable point "
            "reaches and is reached from the main component, so this must not happen"
        )
    return duration_s, distance_m


def _positions(nodes: NDArray[np.int64], lookup: NDArray[np.int64]) -> NDArray[np.int64]:
    """Return the position of each ``lookup`` node in the sorted ``nodes``, -1 for no node."""
    position = np.searchsorted(nodes, np.maximum(lookup, 0))
    return np.where(lookup >= 0, position, -1).astype(np.int64)


def node_to_node(
    compact: CompactGraph,
    sources: NDArray[np.int64],
    targets: NDArray[np.int64],
    *,
    workers: int,
    chunk_size: int,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Return fastest travel times and their path lengths from each source to each target.

    Unreachable pairs are ``inf`` in both arrays.
    """
    if len(sources) == 0:
        return np.zeros((0, len(targets))), np.zeros((0, len(targets)))

    def search(chunk: NDArray[np.int64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        times_s, predecessors = dijkstra(
            compact.time_csr, directed=True, indices=chunk, return_predecessors=True
        )
        lengths_m = tree_lengths_m(compact, predecessors)
        times_s = times_s[:, targets]
        return times_s, np.where(np.isfinite(times_s), lengths_m[:, targets], np.inf)

    chunks = [sources[start : start + chunk_size] for start in range(0, len(sources), chunk_size)]
    with ThreadPoolExecutor(max_workers=min(workers, len(chunks))) as pool:
        results = list(pool.map(search, chunks))
    return np.vstack([r[0] for r in results]), np.vstack([r[1] for r in results])


def tree_lengths_m(compact: CompactGraph, predecessors: NDArray[np.int32]) -> NDArray[np.float64]:
    """Sum edge lengths from each shortest-path tree root to every node, by pointer doubling.

    Each round adds to every node the length accumulated by the node its pointer names, then
    moves the pointer twice as far up the tree, so a tree of depth d takes log2(d) rounds of
    vectorised work. Roots and unreachable nodes point at a sentinel column of length 0.
    """
    n_rows, n = predecessors.shape
    has_parent = predecessors >= 0
    columns = np.broadcast_to(np.arange(n), predecessors.shape)

    length_m = np.zeros((n_rows, n + 1))
    parent_edge = compact.pair_edge(
        predecessors[has_parent].astype(np.int64), columns[has_parent].astype(np.int64)
    )
    length_m[:, :n][has_parent] = compact.edge_length_m[parent_edge]

    pointer = np.full((n_rows, n + 1), n, dtype=np.int64)
    pointer[:, :n] = np.where(has_parent, predecessors, n)
    while (pointer[:, :n] != n).any():
        length_m += np.take_along_axis(length_m, pointer, axis=1)
        pointer = np.take_along_axis(pointer, pointer, axis=1)
    return length_m[:, :n]


def combine_legs(
    legs: PointLegs,
    rows: NDArray[np.int64],
    cols: NDArray[np.int64],
    node_time: NDArray[np.float64],
    node_dist: NDArray[np.float64],
    leave_pos: NDArray[np.int64],
    arrive_pos: NDArray[np.int64],
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.int8]]:
    """Return the fastest trip between points ``rows`` and ``cols`` over every leg choice.

    ``leave_pos[r, a]`` is the row of ``node_time`` for the leave node of point ``rows[r]``
    in candidate column ``a``, and ``arrive_pos[c, b]`` the column of the arrive node of point
    ``cols[c]`` in candidate column ``b`` (-1: none).
    Also returns the option chosen per pair (see :data:`DIRECT_OPTION`), -1 where no trip
    exists.
    """
    shape = (len(rows), len(cols))
    best_s = np.full(shape, np.inf)
    best_m = np.full(shape, np.inf)
    option = np.full(shape, -1, dtype=np.int8)

    for a in range(N_CANDIDATES):
        from_pos = leave_pos[:, a]
        for b in range(N_CANDIDATES):
            to_pos = arrive_pos[:, b]
            linked = (from_pos >= 0)[:, None] & (to_pos >= 0)[None, :]
            between = np.ix_(np.maximum(from_pos, 0), np.maximum(to_pos, 0))
            trip_s = legs.leave_s[rows, a][:, None] + node_time[between]
            trip_s = np.where(linked, trip_s + legs.arrive_s[cols, b][None, :], np.inf)
            trip_m = legs.leave_m[rows, a][:, None] + node_dist[between]
            trip_m = trip_m + legs.arrive_m[cols, b][None, :]
            _keep_better(best_s, best_m, option, trip_s, trip_m, a * N_CANDIDATES + b)

    for a in range(N_SLOTS):
        trip_s, trip_m = _direct_trips(legs, rows, cols, a)
        _keep_better(best_s, best_m, option, trip_s, trip_m, DIRECT_OPTION + a)
    return best_s, best_m, option


def _direct_trips(
    legs: PointLegs, rows: NDArray[np.int64], cols: NDArray[np.int64], slot: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Trips that drive straight along a shared edge from one snap position to a later one."""
    edge_from = legs.edge[rows, slot][:, None]
    edge_to = legs.edge[cols, slot][None, :]
    ahead_m = legs.offset_m[cols, slot][None, :] - legs.offset_m[rows, slot][:, None]
    shared = (edge_from >= 0) & (edge_from == edge_to) & (ahead_m >= 0)

    length_m = legs.edge_length_m[rows, slot][:, None]
    safe_length_m = np.where(length_m > 0, length_m, 1.0)
    drive_s = np.where(length_m > 0, ahead_m / safe_length_m, 0.0)
    drive_s = drive_s * legs.edge_time_s[rows, slot][:, None]
    access_s = legs.access_s[rows][:, None] + legs.access_s[cols][None, :]
    access_m = legs.access_m[rows][:, None] + legs.access_m[cols][None, :]
    trip_s = np.where(shared, access_s + drive_s, np.inf)
    trip_m = np.where(shared, access_m + ahead_m, np.inf)
    return trip_s, trip_m


def _keep_better(
    best_s: NDArray[np.float64],
    best_m: NDArray[np.float64],
    option: NDArray[np.int8],
    trip_s: NDArray[np.float64],
    trip_m: NDArray[np.float64],
    code: int,
) -> None:
    better = trip_s < best_s
    best_s[better] = trip_s[better]
    best_m[better] = trip_m[better]
    option[better] = code


def _log_done(matrices: TravelMatrices, started: float, cache: str) -> None:
    logger.info(
        _(
            "Built {n}x{n} travel matrices ({usable} usable points) in {seconds:.2f} s, "
            "cache {cache}"
        ).format(
            n=matrices.n_points,
            usable=int(matrices.usable.sum()),
            seconds=time.perf_counter() - started,
            cache=cache,
        )
    )
