"""Travel matrices for large instances: per-group blocks and point-to-centre rectangles.

Routing needs trips only inside each territory (its customers plus its depot), and territory
design needs trips from every customer to a few centres. Computing just those parts keeps
memory proportional to the blocks instead of to the square of the number of points. Entries
are those of :func:`build_matrices`, from the same shortest-path searches and the same
choice of legs.

Typical use::

    snapping = snap_points(network, points.lat, points.lon)
    blocks = build_matrix_blocks(network, snapping, [territory_a, territory_b])
    to_centres = build_matrix_rectangle(network, snapping, customers, centres)
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike, NDArray

from gtm_optimizer.i18n import _
from gtm_optimizer.network.legs import point_legs
from gtm_optimizer.network.road import RoadNetwork
from gtm_optimizer.network.search import check_parallel_settings, node_tables
from gtm_optimizer.network.snapping import Snapping, check_same_network
from gtm_optimizer.network.travel_matrices import SOURCE_ROAD_NETWORK, TravelMatrices
from gtm_optimizer.network.trips import fill_trips, plan_trips

logger = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class MatrixRectangle:
    """Travel times and distances from some points (sources) to others (targets).

    Entry ``[i, j]`` is the trip from point ``sources[i]`` to point ``targets[j]`` of the
    snapping. Entries of unusable points are ``inf``; a usable point's trip to itself is 0.

    Attributes
    ----------
    sources, targets
        Point indices of the rows and of the columns.
    duration_s
        (len(sources), len(targets)) float32 travel times in seconds.
    distance_m
        (len(sources), len(targets)) float32 distances in metres of the fastest trips.
    """

    sources: NDArray[np.int64]
    targets: NDArray[np.int64]
    duration_s: NDArray[np.float32]
    distance_m: NDArray[np.float32]

    def __post_init__(self) -> None:
        shape = (len(self.sources), len(self.targets))
        for name in ("duration_s", "distance_m"):
            array = getattr(self, name)
            if array.shape != shape:
                raise ValueError(
                    f"MatrixRectangle.{name} has shape {array.shape}; expected {shape} to "
                    "match the sources and targets"
                )
            if array.dtype != np.float32:
                raise ValueError(
                    f"MatrixRectangle.{name} has dtype {array.dtype}; convert it to float32"
                )


def build_matrix_blocks(
    network: RoadNetwork,
    snapping: Snapping,
    groups: Sequence[ArrayLike],
    *,
    n_jobs: int = -1,
    chunk_size: int = 256,
) -> list[TravelMatrices]:
    """Compute the travel matrices inside each group of points, and nothing between groups.

    Parameters
    ----------
    network
        The road network the points were snapped to.
    snapping
        The snapped points.
    groups
        Point indices of each group, such as one territory's customers plus its depot. A
        point may belong to several groups.
    n_jobs
        Worker processes for the shortest-path searches; -1 uses every core available.
    chunk_size
        Source nodes per shortest-path call, as in :func:`build_matrices`.

    Returns
    -------
    list of TravelMatrices
        One per group, in order: entry ``[i, j]`` of block ``k`` is the trip from point
        ``groups[k][i]`` to point ``groups[k][j]``, equal to that entry of the full matrix.

    Raises
    ------
    ValueError
        If a group is not a one-dimensional array of point indices in range, a setting is out
        of range, or the points were snapped to another network.
    """
    started = time.perf_counter()
    workers = check_parallel_settings(n_jobs, chunk_size)
    check_same_network(network, snapping)
    members = [
        _point_indices(group, snapping.n_points, f"groups[{k}]") for k, group in enumerate(groups)
    ]

    legs = point_legs(network, snapping)
    plans = [plan_trips(legs, snapping.usable, group, group, reverse=False) for group in members]
    tables = node_tables(
        network.compact, [plan.request for plan in plans], workers=workers, chunk_size=chunk_size
    )
    blocks = []
    for plan, (node_time, node_dist) in zip(plans, tables, strict=True):
        duration_s, distance_m = fill_trips(legs, plan, node_time, node_dist, workers=workers)
        blocks.append(
            TravelMatrices(
                duration_s=duration_s,
                distance_m=distance_m,
                usable=snapping.usable[plan.rows],
                source=SOURCE_ROAD_NETWORK,
            )
        )

    logger.info(
        _(
            "Built {count} travel matrix blocks ({entries} entries, largest {largest}x{largest}) "
            "in {seconds:.2f} s"
        ).format(
            count=len(blocks),
            entries=sum(block.n_points**2 for block in blocks),
            largest=max((block.n_points for block in blocks), default=0),
            seconds=time.perf_counter() - started,
        )
    )
    return blocks


def build_matrix_rectangle(
    network: RoadNetwork,
    snapping: Snapping,
    sources: ArrayLike,
    targets: ArrayLike,
    *,
    n_jobs: int = -1,
    chunk_size: int = 256,
) -> MatrixRectangle:
    """Compute the trips from every source point to every target point.

    The shortest-path searches start from whichever side has fewer road nodes to search
    from: with thousands of customers and a few centres, they run backwards from the
    centres, so the cost grows with the number of centres.

    Parameters
    ----------
    network
        The road network the points were snapped to.
    snapping
        The snapped points.
    sources, targets
        Point indices of the rows (customers) and of the columns (centres, depots).
    n_jobs
        Worker processes for the shortest-path searches; -1 uses every core available.
    chunk_size
        Source nodes per shortest-path call, as in :func:`build_matrices`.

    Returns
    -------
    MatrixRectangle
        float32 (len(sources), len(targets)) times and distances.

    Raises
    ------
    ValueError
        If ``sources`` or ``targets`` is not a one-dimensional array of point indices in
        range, a setting is out of range, or the points were snapped to another network.
    """
    started = time.perf_counter()
    workers = check_parallel_settings(n_jobs, chunk_size)
    check_same_network(network, snapping)
    rows = _point_indices(sources, snapping.n_points, "sources")
    cols = _point_indices(targets, snapping.n_points, "targets")

    legs = point_legs(network, snapping)
    plan = plan_trips(legs, snapping.usable, rows, cols, reverse=False)
    reverse = len(plan.request.targets) < len(plan.request.sources)
    if reverse:
        plan = replace(plan, request=replace(plan.request, reverse=True))
    ((node_time, node_dist),) = node_tables(
        network.compact, [plan.request], workers=workers, chunk_size=chunk_size
    )
    duration_s, distance_m = fill_trips(legs, plan, node_time, node_dist, workers=workers)

    logger.info(
        _(
            "Built {rows}x{cols} travel matrix rectangle, searching {direction} from {nodes} "
            "road nodes, in {seconds:.2f} s"
        ).format(
            rows=len(rows),
            cols=len(cols),
            direction=_("backwards") if reverse else _("forwards"),
            nodes=len(plan.request.targets if reverse else plan.request.sources),
            seconds=time.perf_counter() - started,
        )
    )
    return MatrixRectangle(rows, cols, duration_s, distance_m)


def _point_indices(indices: ArrayLike, n_points: int, name: str) -> NDArray[np.int64]:
    """Return ``indices`` as an int64 array after checking its shape, type and range."""
    array = np.asarray(indices)
    if array.ndim != 1:
        raise ValueError(
            f"{name} has shape {array.shape}; pass a one-dimensional array of point indices"
        )
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise ValueError(f"{name} has dtype {array.dtype}; pass integer point indices")
    array = array.astype(np.int64)
    outside = array[(array < 0) | (array >= n_points)]
    if outside.size:
        raise ValueError(
            f"{name} contains point index {int(outside[0])}; use indices 0..{n_points - 1} of "
            "the snapping"
        )
    return array
