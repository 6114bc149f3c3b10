"""Point-to-point trips: the cheapest combination of legs and node-to-node paths.

A trip from point ``i`` to point ``j`` is the cheapest of leave leg + node-to-node path +
arrive leg over the candidate edges of both points. When both points lie on one edge in
driving order, the direct drive along it is a candidate too. The full matrix, its blocks,
the point-to-centre rectangles and the drawn route lines all choose trips with
:func:`combine_legs`, so they agree with each other.

Trip times are added and compared in the dtype of the node tables (float32, like the output
matrices), which cut the combination time by 30 % on 5,000 points. NOTE: two trips whose
times are equal to float32 precision (about 0.1 ms at 30 minutes) are told apart only by
the fixed order of the options, so the distance may be that of either; 9 of 25 million pairs
of the Campo Grande benchmark were such ties, the largest 1.7 km apart.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from gtm_optimizer.network.legs import N_CANDIDATES, PointLegs
from gtm_optimizer.network.search import TableRequest
from gtm_optimizer.network.snapping import N_SLOTS

#: Option codes returned by :func:`combine_legs`: ``leave_column * 3 + arrive_column`` for a
#: trip through the node graph (columns of :class:`PointLegs`), ``DIRECT_OPTION + slot`` for a
#: direct drive along the edge of that slot.
DIRECT_OPTION = N_CANDIDATES * N_CANDIDATES

# Rows of a trip table combined at once; bounds the temporary (rows, columns) arrays to
# about 30 bytes per row and column (29 measured with float32 node tables).
_COMBINE_BLOCK_ROWS = 256


@dataclass(frozen=True, eq=False)
class TripPlan:
    """The trips from points ``rows`` to points ``cols`` and the node tables they need.

    Attributes
    ----------
    rows, cols
        Point indices of the rows and columns of the trip tables.
    usable_rows, usable_cols
        Positions in ``rows`` and ``cols`` of the usable points.
    request
        Source nodes (leave nodes of the usable rows) and target nodes (arrive nodes of the
        usable columns) of the node tables.
    leave_pos, arrive_pos
        (k, 3) position of each usable row's leave nodes in ``request.sources`` and of each
        usable column's arrive nodes in ``request.targets``; -1 where a candidate is missing.
    """

    rows: NDArray[np.int64]
    cols: NDArray[np.int64]
    usable_rows: NDArray[np.int64]
    usable_cols: NDArray[np.int64]
    request: TableRequest
    leave_pos: NDArray[np.int64]
    arrive_pos: NDArray[np.int64]


def plan_trips(
    legs: PointLegs,
    usable: NDArray[np.bool_],
    rows: NDArray[np.int64],
    cols: NDArray[np.int64],
    *,
    reverse: bool,
) -> TripPlan:
    """Plan the trips from points ``rows`` to points ``cols``; ``reverse`` searches backwards."""
    usable_rows = np.flatnonzero(usable[rows])
    usable_cols = np.flatnonzero(usable[cols])
    leave_node = legs.leave_node[rows[usable_rows]]
    arrive_node = legs.arrive_node[cols[usable_cols]]
    sources = np.unique(leave_node[leave_node >= 0])
    targets = np.unique(arrive_node[arrive_node >= 0])
    return TripPlan(
        rows=rows,
        cols=cols,
        usable_rows=usable_rows,
        usable_cols=usable_cols,
        request=TableRequest(sources, targets, reverse),
        leave_pos=_positions(sources, leave_node),
        arrive_pos=_positions(targets, arrive_node),
    )


def _positions(nodes: NDArray[np.int64], lookup: NDArray[np.int64]) -> NDArray[np.int64]:
    """Return the position of each ``lookup`` node in the sorted ``nodes``, -1 for no node."""
    position = np.searchsorted(nodes, np.maximum(lookup, 0))
    return np.where(lookup >= 0, position, -1).astype(np.int64)


def fill_trips(
    legs: PointLegs,
    plan: TripPlan,
    node_time: NDArray[np.float32],
    node_dist: NDArray[np.float32],
    *,
    workers: int,
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Compute the float32 (rows, cols) trip times and distances of a plan.

    Entries of unusable points are ``inf``, and a usable point's trip to itself is 0. Blocks
    of rows are combined on ``workers`` threads; numpy releases the GIL in the array work.

    Raises
    ------
    RuntimeError
        If a trip between two usable points has no path, which the usability rules exclude.
    """
    shape = (len(plan.rows), len(plan.cols))
    duration_s = np.full(shape, np.inf, dtype=np.float32)
    distance_m = np.full(shape, np.inf, dtype=np.float32)
    blocks = [
        np.arange(start, min(start + _COMBINE_BLOCK_ROWS, len(plan.usable_rows)))
        for start in range(0, len(plan.usable_rows), _COMBINE_BLOCK_ROWS)
    ]
    if not blocks or len(plan.usable_cols) == 0:
        return duration_s, distance_m

    def fill(block: NDArray[np.int64]) -> None:
        block_s, block_m = _block_trips(legs, plan, block, node_time, node_dist)
        where = np.ix_(plan.usable_rows[block], plan.usable_cols)
        duration_s[where] = block_s
        distance_m[where] = block_m

    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(blocks)))) as pool:
        list(pool.map(fill, blocks))
    return duration_s, distance_m


def _block_trips(
    legs: PointLegs,
    plan: TripPlan,
    block: NDArray[np.int64],
    node_time: NDArray[np.float32],
    node_dist: NDArray[np.float32],
) -> tuple[NDArray[np.floating], NDArray[np.floating]]:
    points_from = plan.rows[plan.usable_rows[block]]
    points_to = plan.cols[plan.usable_cols]
    block_s, block_m, _options = combine_legs(
        legs,
        points_from,
        points_to,
        node_time,
        node_dist,
        plan.leave_pos[block],
        plan.arrive_pos,
    )
    same = points_from[:, None] == points_to[None, :]
    block_s[same] = 0.0
    block_m[same] = 0.0
    if not np.isfinite(block_s).all():
        raise RuntimeError(
            "internal error: a trip between two usable points has no path; every usable point "
            "reaches and is reached from the main component, so this must not happen"
        )
    return block_s, block_m


def combine_legs(
    legs: PointLegs,
    rows: NDArray[np.int64],
    cols: NDArray[np.int64],
    node_time: NDArray[np.floating],
    node_dist: NDArray[np.floating],
    leave_pos: NDArray[np.int64],
    arrive_pos: NDArray[np.int64],
) -> tuple[NDArray[np.floating], NDArray[np.floating], NDArray[np.int8]]:
    """Return the fastest trip between points ``rows`` and ``cols`` over every leg choice.

    ``leave_pos[r, a]`` is the row of ``node_time`` for the leave node of point ``rows[r]``
    in candidate column ``a``, and ``arrive_pos[c, b]`` the column of the arrive node of point
    ``cols[c]`` in candidate column ``b`` (-1: none). Options are tried in a fixed order and
    a later one wins only when strictly faster.
    Also returns the option chosen per pair (see :data:`DIRECT_OPTION`), -1 where no trip
    exists.
    """
    best = _BestTrips((len(rows), len(cols)), node_time.dtype)
    for a in range(N_CANDIDATES):
        from_rows = _present(legs.leave_s[rows, a])
        if from_rows is None:
            continue
        for b in range(N_CANDIDATES):
            to_cols = _present(legs.arrive_s[cols, b])
            if to_cols is None:
                continue
            points = (rows[from_rows], cols[to_cols])
            positions = (leave_pos[from_rows, a], arrive_pos[to_cols, b])
            trip_s, trip_m = _node_trips(legs, node_time, node_dist, points, positions, a, b)
            best.keep_faster(from_rows, to_cols, trip_s, trip_m, a * N_CANDIDATES + b)

    for slot in range(N_SLOTS):
        r, c, trip_s, trip_m = _direct_trips(legs, rows, cols, slot)
        best.keep_faster_pairs(r, c, trip_s, trip_m, DIRECT_OPTION + slot)
    return best.duration_s, best.distance_m, best.option


class _BestTrips:
    """The fastest trip found so far per pair, its distance and its option code."""

    def __init__(self, shape: tuple[int, int], dtype: np.dtype[Any]) -> None:
        self.duration_s = np.full(shape, np.inf, dtype=dtype)
        self.distance_m = np.full(shape, np.inf, dtype=dtype)
        self.option = np.full(shape, -1, dtype=np.int8)

    def keep_faster(
        self,
        rows: NDArray[np.int64] | slice,
        cols: NDArray[np.int64] | slice,
        trip_s: NDArray[np.floating],
        trip_m: NDArray[np.floating],
        code: int,
    ) -> None:
        """Keep the trips of the block ``rows`` x ``cols`` that are strictly faster."""
        if isinstance(rows, slice) and isinstance(cols, slice):
            better = trip_s < self.duration_s
            np.copyto(self.duration_s, trip_s, where=better)
            np.copyto(self.distance_m, trip_m, where=better)
            self.option[better] = code
            return
        n_rows, n_cols = self.duration_s.shape
        block = np.ix_(_as_indices(rows, n_rows), _as_indices(cols, n_cols))
        current_s = self.duration_s[block]
        better = trip_s < current_s
        self.duration_s[block] = np.where(better, trip_s, current_s)
        self.distance_m[block] = np.where(better, trip_m, self.distance_m[block])
        self.option[block] = np.where(better, np.int8(code), self.option[block])

    def keep_faster_pairs(
        self,
        rows: NDArray[np.int64],
        cols: NDArray[np.int64],
        trip_s: NDArray[np.floating],
        trip_m: NDArray[np.floating],
        code: int,
    ) -> None:
        """Keep the trips of the pairs ``(rows[k], cols[k])`` that are strictly faster."""
        better = trip_s < self.duration_s[rows, cols]
        rows, cols = rows[better], cols[better]
        self.duration_s[rows, cols] = trip_s[better]
        self.distance_m[rows, cols] = trip_m[better]
        self.option[rows, cols] = code


def _present(leg_s: NDArray[np.float64]) -> NDArray[np.int64] | slice | None:
    """Select the points that have a candidate (a finite leg): all, some or none of them.

    When most points have the candidate, a slice of all of them is cheaper than gathering
    and scattering the few that do not.
    """
    present = np.isfinite(leg_s)
    count = int(present.sum())
    if count == 0:
        return None
    if 2 * count > len(present):
        return slice(None)
    return np.flatnonzero(present)


def _as_indices(selection: NDArray[np.int64] | slice, size: int) -> NDArray[np.int64]:
    return np.arange(size) if isinstance(selection, slice) else selection


def _node_trips(
    legs: PointLegs,
    node_time: NDArray[np.floating],
    node_dist: NDArray[np.floating],
    points: tuple[NDArray[np.int64], NDArray[np.int64]],
    positions: tuple[NDArray[np.int64], NDArray[np.int64]],
    a: int,
    b: int,
) -> tuple[NDArray[np.floating], NDArray[np.floating]]:
    """Return the trips that leave by candidate ``a`` and arrive by candidate ``b``.

    A selected point may still lack its candidate. Its leg is infinite, so whatever table
    entry its clipped position reads, its trips are infinite and never win.
    """
    points_from, points_to = points
    dtype = node_time.dtype
    from_row = np.maximum(positions[0], 0)
    to_column = np.maximum(positions[1], 0)
    trip_s = node_time[from_row].take(to_column, axis=1)
    trip_s += legs.leave_s[points_from, a].astype(dtype)[:, None]
    trip_s += legs.arrive_s[points_to, b].astype(dtype)[None, :]
    trip_m = node_dist[from_row].take(to_column, axis=1)
    trip_m += legs.leave_m[points_from, a].astype(dtype)[:, None]
    trip_m += legs.arrive_m[points_to, b].astype(dtype)[None, :]
    return trip_s, trip_m


def _direct_trips(
    legs: PointLegs, rows: NDArray[np.int64], cols: NDArray[np.int64], slot: int
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """Return the pairs that can drive straight along their shared edge of ``slot``.

    Only pairs whose points lie on the same edge are visited: the columns are sorted by edge,
    and each row reads the run of columns on its own edge. Returns row and column positions,
    times and distances of the pairs whose destination lies ahead of the origin.
    """
    edge_from = legs.edge[rows, slot]
    edge_to = legs.edge[cols, slot]
    order = np.argsort(edge_to, kind="stable")
    low = np.searchsorted(edge_to[order], edge_from, side="left")
    high = np.searchsorted(edge_to[order], edge_from, side="right")
    counts = np.where(edge_from >= 0, high - low, 0)
    run_start = np.cumsum(counts) - counts
    r = np.repeat(np.arange(len(rows)), counts)
    c = order[np.arange(int(counts.sum())) + np.repeat(low - run_start, counts)]

    ahead_m = legs.offset_m[cols[c], slot] - legs.offset_m[rows[r], slot]
    ahead = ahead_m >= 0
    r, c, ahead_m = r[ahead], c[ahead], ahead_m[ahead]
    point_from, point_to = rows[r], cols[c]
    length_m = legs.edge_length_m[point_from, slot]
    safe_length_m = np.where(length_m > 0, length_m, 1.0)
    drive_s = np.where(length_m > 0, ahead_m / safe_length_m, 0.0)
    drive_s = drive_s * legs.edge_time_s[point_from, slot]
    trip_s = legs.access_s[point_from] + legs.access_s[point_to] + drive_s
    trip_m = legs.access_m[point_from] + legs.access_m[point_to] + ahead_m
    return r, c, trip_s, trip_m
