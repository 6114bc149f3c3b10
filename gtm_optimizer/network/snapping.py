"""Snapping of points (customers, depots) onto the nearest road edge.

A point is reached by driving along its edge from the edge's start node to the snap position
and then covering the access leg (the straight line from the road to the point, ``snap_m``)
at a slow access speed. It is left by covering the access leg back and driving on to the
edge's end node. On a two-way street both directed edges are candidates, so a point can be
reached from either end and left towards either end.
"""

from __future__ import annotations

import logging
import math
import time
from collections import Counter
from dataclasses import dataclass

import numpy as np
import shapely
from numpy.typing import ArrayLike, NDArray

from gtm_optimizer.code_labels import count_list, reason_label
from gtm_optimizer.i18n import _
from gtm_optimizer.network.lines import RoadLines, road_lines
from gtm_optimizer.network.road import RoadNetwork

logger = logging.getLogger(__name__)

#: Reasons a point cannot be used, as stored in :attr:`Snapping.reason`.
REASON_INVALID_COORDINATES = "invalid_coordinates"
REASON_OUTSIDE = "outside_network_area"
REASON_TOO_FAR = "too_far_from_road"
REASON_ONE_WAY = "unreachable_one_way"
REASON_ISLAND = "unreachable_island"

DEFAULT_MAX_SNAP_M = 500.0
DEFAULT_ACCESS_SPEED_KPH = 10.0

#: Number of candidate directed edges kept per point: along and against the road line.
N_SLOTS = 2

#: A snap position closer than this to an edge's end node is taken to be at that node, in
#: metres, so a point placed on a node can be reached through any edge of that node.
AT_NODE_TOLERANCE_M = 0.01


@dataclass(frozen=True, eq=False)
class Snapping:
    """Snap positions of points on the road network, with their usability.

    All arrays have one entry (or row) per point, in input order.

    Attributes
    ----------
    lat, lon
        The input coordinates in degrees.
    edge_u, edge_v, edge_key
        OSM node ids and key of the directed edge the point snaps to; -1 when it snapped to
        nothing (invalid coordinates).
    offset_m
        Distance along that edge from ``edge_u`` to the snap position.
    snap_m
        Straight distance from the point to the road (the access leg); NaN when not snapped.
    snap_lon, snap_lat
        The snap position on the road, in degrees.
    usable
        Whether the point can be reached from, and can get back to, the main component.
    reason
        ``""`` when usable, otherwise one of ``"invalid_coordinates"``,
        ``"outside_network_area"``, ``"too_far_from_road"``, ``"unreachable_one_way"``,
        ``"unreachable_island"``.
    slot_edge
        (n, 2) compact edge indices of the candidate directed edges (the road line's edge
        along and against its direction); -1 where the road is one-way.
    slot_offset_m
        (n, 2) distance from each candidate edge's start node to the snap position.
    at_node
        Compact index of the node the snap position lies on (within 1 cm), else -1.
    max_snap_m, access_speed_kph
        The settings the points were snapped with.
    network_hash
        Content hash of the network the points were snapped to.
    """

    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    edge_u: NDArray[np.int64]
    edge_v: NDArray[np.int64]
    edge_key: NDArray[np.int64]
    offset_m: NDArray[np.float64]
    snap_m: NDArray[np.float64]
    snap_lon: NDArray[np.float64]
    snap_lat: NDArray[np.float64]
    usable: NDArray[np.bool_]
    reason: NDArray[np.object_]
    slot_edge: NDArray[np.int64]
    slot_offset_m: NDArray[np.float64]
    at_node: NDArray[np.int64]
    max_snap_m: float
    access_speed_kph: float
    network_hash: str

    @property
    def n_points(self) -> int:
        """Number of points."""
        return len(self.lat)

    @property
    def access_s(self) -> NDArray[np.float64]:
        """Time of each point's access leg, one way, in seconds (0 when not snapped)."""
        return np.nan_to_num(self.snap_m) / (self.access_speed_kph / 3.6)


def snap_points(
    network: RoadNetwork,
    lat: ArrayLike,
    lon: ArrayLike,
    *,
    max_snap_m: float = DEFAULT_MAX_SNAP_M,
    access_speed_kph: float = DEFAULT_ACCESS_SPEED_KPH,
) -> Snapping:
    """Snap points to the nearest road edge and decide which points can be used.

    Parameters
    ----------
    network
        The road network.
    lat, lon
        Point coordinates in WGS84 degrees, one-dimensional and of equal length.
    max_snap_m
        Points farther than this from any road are unusable (``"too_far_from_road"``).
    access_speed_kph
        Speed on the access leg between the road and the point (walking or parking).

    Returns
    -------
    Snapping
        Per point: edge, offset, snap distance, usability and reason.

    Raises
    ------
    ValueError
        If the coordinate arrays differ in shape or a setting is not positive.
    """
    started = time.perf_counter()
    lat_deg, lon_deg = _check_inputs(lat, lon, max_snap_m, access_speed_kph)
    lines = road_lines(network)

    finite = np.isfinite(lat_deg) & np.isfinite(lon_deg)
    line, snap_m, fraction, snap_x, snap_y = _nearest_lines(lines, lat_deg, lon_deg, finite)
    slot_edge, slot_offset_m = _slots(network, lines, line, fraction)
    at_node = _node_at_snap(network, slot_edge, slot_offset_m)
    snap_lon, snap_lat = lines.to_lonlat.transform(snap_x, snap_y)

    reason = _reasons(network, lat_deg, lon_deg, finite, snap_m, slot_edge, at_node, max_snap_m)
    primary = np.where(slot_edge[:, 0] >= 0, 0, 1)
    rows = np.arange(len(lat_deg))
    edge = slot_edge[rows, primary]
    compact = network.compact
    has_edge = edge >= 0
    safe_edge = np.where(has_edge, edge, 0)
    snapping = Snapping(
        lat=lat_deg,
        lon=lon_deg,
        edge_u=np.where(has_edge, compact.node_ids[compact.edge_u[safe_edge]], -1),
        edge_v=np.where(has_edge, compact.node_ids[compact.edge_v[safe_edge]], -1),
        edge_key=np.where(has_edge, compact.edge_key[safe_edge], -1),
        offset_m=np.where(has_edge, slot_offset_m[rows, primary], np.nan),
        snap_m=snap_m,
        snap_lon=np.asarray(snap_lon, dtype=np.float64),
        snap_lat=np.asarray(snap_lat, dtype=np.float64),
        usable=reason == "",
        reason=reason,
        slot_edge=slot_edge,
        slot_offset_m=slot_offset_m,
        at_node=at_node,
        max_snap_m=float(max_snap_m),
        access_speed_kph=float(access_speed_kph),
        network_hash=network.content_hash,
    )
    _log_summary(snapping, time.perf_counter() - started)
    return snapping


def check_same_network(network: RoadNetwork, snapping: Snapping) -> None:
    """Raise ValueError if the points were snapped to another network.

    Raises
    ------
    ValueError
        If ``snapping`` was made on a network with another content hash.
    """
    if snapping.network_hash != network.content_hash:
        raise ValueError(
            f"the points were snapped to another road network (hash "
            f"{snapping.network_hash[:12]}, this one {network.content_hash[:12]}); snap them "
            "again with snap_points on this network"
        )


def _check_inputs(
    lat: ArrayLike, lon: ArrayLike, max_snap_m: float, access_speed_kph: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    lat_deg = np.asarray(lat, dtype=np.float64)
    lon_deg = np.asarray(lon, dtype=np.float64)
    if lat_deg.ndim != 1 or lat_deg.shape != lon_deg.shape:
        raise ValueError(
            f"lat and lon must be one-dimensional arrays of equal length, got shapes "
            f"{lat_deg.shape} and {lon_deg.shape}"
        )
    if not (math.isfinite(max_snap_m) and max_snap_m > 0):
        raise ValueError(f"max_snap_m is {max_snap_m!r}; use a positive distance in metres")
    if not (math.isfinite(access_speed_kph) and access_speed_kph > 0):
        raise ValueError(
            f"access_speed_kph is {access_speed_kph!r}; use a positive speed in km/h such as 10"
        )
    return lat_deg, lon_deg


def _nearest_lines(
    lines: RoadLines,
    lat_deg: NDArray[np.float64],
    lon_deg: NDArray[np.float64],
    finite: NDArray[np.bool_],
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64], NDArray, NDArray]:
    """Find each point's nearest road line, distance, fraction along it and snap position."""
    n = len(lat_deg)
    line = np.full(n, -1, dtype=np.int64)
    snap_m = np.full(n, np.nan)
    fraction = np.zeros(n)
    snap_x = np.full(n, np.nan)
    snap_y = np.full(n, np.nan)
    if not finite.any():
        return line, snap_m, fraction, snap_x, snap_y

    x, y = lines.to_projected.transform(lon_deg[finite], lat_deg[finite])
    points = shapely.points(x, y)
    # Among lines at the same distance (a point on a node touches all its lines) the lowest
    # line index wins, so the result does not depend on the tree's internal order.
    point_index, line_index = lines.tree.query_nearest(points, all_matches=True)
    order = np.lexsort((line_index, point_index))
    point_index, line_index = point_index[order], line_index[order]
    first = np.flatnonzero(np.diff(point_index, prepend=-1) != 0)
    point_index, line_index = point_index[first], line_index[first]
    rows = np.flatnonzero(finite)[point_index]
    line[rows] = line_index

    geometry = lines.geometry[line_index]
    along_m = shapely.line_locate_point(geometry, points[point_index])
    snapped = shapely.line_interpolate_point(geometry, along_m)
    snap_m[rows] = shapely.distance(points[point_index], snapped)
    length_m = shapely.length(geometry)
    fraction[rows] = np.divide(along_m, length_m, out=np.zeros_like(along_m), where=length_m > 0)
    snap_x[rows] = shapely.get_x(snapped)
    snap_y[rows] = shapely.get_y(snapped)
    return line, snap_m, fraction, snap_x, snap_y


def _slots(
    network: RoadNetwork,
    lines: RoadLines,
    line: NDArray[np.int64],
    fraction: NDArray[np.float64],
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Return the candidate edges of each point and the offsets from their start nodes."""
    n = len(line)
    slot_edge = np.full((n, N_SLOTS), -1, dtype=np.int64)
    slot_offset_m = np.full((n, N_SLOTS), np.nan)
    snapped = line >= 0
    forward = lines.forward_edge[line[snapped]]
    backward = lines.backward_edge[line[snapped]]
    slot_edge[snapped, 0] = forward
    slot_edge[snapped, 1] = backward

    length_m = network.compact.edge_length_m
    slot_offset_m[snapped, 0] = np.where(
        forward >= 0, fraction[snapped] * length_m[forward], np.nan
    )
    slot_offset_m[snapped, 1] = np.where(
        backward >= 0, (1.0 - fraction[snapped]) * length_m[backward], np.nan
    )
    return slot_edge, slot_offset_m


def _node_at_snap(
    network: RoadNetwork, slot_edge: NDArray[np.int64], slot_offset_m: NDArray[np.float64]
) -> NDArray[np.int64]:
    """Return the node each snap position lies on, or -1 when it lies inside an edge."""
    compact = network.compact
    at_node = np.full(len(slot_edge), -1, dtype=np.int64)
    for slot in range(N_SLOTS - 1, -1, -1):
        edge = slot_edge[:, slot]
        valid = edge >= 0
        safe = np.where(valid, edge, 0)
        offset_m = slot_offset_m[:, slot]
        at_start = valid & (offset_m <= AT_NODE_TOLERANCE_M)
        at_end = valid & (compact.edge_length_m[safe] - offset_m <= AT_NODE_TOLERANCE_M)
        at_node[at_end] = compact.edge_v[safe[at_end]]
        at_node[at_start] = compact.edge_u[safe[at_start]]
    return at_node


def _reasons(
    network: RoadNetwork,
    lat_deg: NDArray[np.float64],
    lon_deg: NDArray[np.float64],
    finite: NDArray[np.bool_],
    snap_m: NDArray[np.float64],
    slot_edge: NDArray[np.int64],
    at_node: NDArray[np.int64],
    max_snap_m: float,
) -> NDArray[np.object_]:
    """Return each point's reason to be unusable, or ``""``; the first failing check wins."""
    compact = network.compact
    valid = slot_edge >= 0
    safe = np.where(valid, slot_edge, 0)
    on_node = at_node >= 0
    node = np.maximum(at_node, 0)
    can_arrive = (valid & compact.reach_from_main[compact.edge_u[safe]]).any(axis=1)
    can_arrive |= on_node & compact.reach_from_main[node]
    can_leave = (valid & compact.reach_to_main[compact.edge_v[safe]]).any(axis=1)
    can_leave |= on_node & compact.reach_to_main[node]
    first_edge = np.where(valid[:, 0], safe[:, 0], safe[:, 1])
    part = compact.weak_label[compact.edge_u[first_edge]]

    min_lon, min_lat, max_lon, max_lat = network.bbox_lonlat
    inside = (lon_deg >= min_lon) & (lon_deg <= max_lon) & (lat_deg >= min_lat)
    inside &= lat_deg <= max_lat

    reason = np.full(len(lat_deg), "", dtype=object)
    unreachable = ~(can_arrive & can_leave)
    reason[unreachable] = REASON_ONE_WAY
    reason[unreachable & (part != compact.main_weak_label)] = REASON_ISLAND
    reason[finite & ~(snap_m <= max_snap_m)] = REASON_TOO_FAR
    reason[finite & ~inside] = REASON_OUTSIDE
    reason[~finite] = REASON_INVALID_COORDINATES
    return reason


def _log_summary(snapping: Snapping, seconds: float) -> None:
    counts = Counter(str(reason) for reason in snapping.reason if reason)
    snapped = snapping.snap_m[np.isfinite(snapping.snap_m)]
    median_m = float(np.median(snapped)) if len(snapped) else float("nan")
    details = count_list(sorted(counts.items()), reason_label)
    n_usable = int(snapping.usable.sum())
    logger.info(
        _(
            "Snapped {count} points: {usable} usable, {unusable} unusable ({details}), median "
            "snap distance {median_m:.1f} m, {seconds:.2f} s"
        ).format(
            count=snapping.n_points,
            usable=n_usable,
            unusable=snapping.n_points - n_usable,
            details=details or _("none"),
            median_m=median_m,
            seconds=seconds,
        )
    )
