"""Road-following polylines of routes, for maps and ``routes.geojson``.

Each leg between two stops follows the same choice of candidate edges and the same fastest
path that :func:`build_matrices` priced, so the drawn line and the matrix distance agree.
Shortest-path trees are kept per source node and network (a bounded cache), and the trees a
route needs are computed in one scipy call.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from itertools import pairwise

import numpy as np
import shapely
from numpy.typing import NDArray
from scipy.sparse.csgraph import dijkstra
from shapely.ops import substring

from gtm_optimizer.network.legs import AT_NODE_COLUMN, N_CANDIDATES, PointLegs, point_legs
from gtm_optimizer.network.lines import RoadLines, road_lines
from gtm_optimizer.network.road import RoadNetwork
from gtm_optimizer.network.snapping import Snapping, check_same_network
from gtm_optimizer.network.trips import DIRECT_OPTION, combine_legs

# Memory budget of the cached shortest-path trees of one network, in bytes.
_TREE_CACHE_BYTES = 64 * 1024 * 1024

# Vertices closer than this, in degrees (about 0.1 mm), are one vertex: a point converted to
# the projected CRS and back differs from the original by round-off.
_SAME_VERTEX_DEG = 1e-9


class _TreeCache:
    """Least-recently-used shortest-path trees (times and predecessors) by source node."""

    def __init__(self, network: RoadNetwork) -> None:
        self._network = weakref.ref(network)
        n_nodes = network.compact.n_nodes
        self._capacity = max(64, _TREE_CACHE_BYTES // max(1, n_nodes * 12))
        self._trees: OrderedDict[int, tuple[NDArray[np.float64], NDArray[np.int32]]] = (
            OrderedDict()
        )
        self._lock = threading.Lock()

    def trees(
        self, sources: Sequence[int]
    ) -> dict[int, tuple[NDArray[np.float64], NDArray[np.int32]]]:
        """Return the tree of each source node, computing the missing ones in one call."""
        network = self._network()
        if network is None:
            raise RuntimeError("the road network of this path cache no longer exists")
        with self._lock:
            missing = sorted({int(s) for s in sources} - self._trees.keys())
        if missing:
            times_s, predecessors = dijkstra(
                network.compact.time_csr, directed=True, indices=missing, return_predecessors=True
            )
            with self._lock:
                for row, source in enumerate(missing):
                    self._trees[source] = (times_s[row].copy(), predecessors[row].astype(np.int32))
        with self._lock:
            found = {}
            for source in sources:
                self._trees.move_to_end(int(source))
                found[int(source)] = self._trees[int(source)]
            while len(self._trees) > max(self._capacity, len(found)):
                self._trees.popitem(last=False)
        return found


_TREE_CACHES: weakref.WeakKeyDictionary[RoadNetwork, _TreeCache] = weakref.WeakKeyDictionary()
_LEGS: weakref.WeakKeyDictionary[Snapping, PointLegs] = weakref.WeakKeyDictionary()


def route_path_lonlat(
    network: RoadNetwork, snapping: Snapping, sequence: Sequence[int]
) -> list[tuple[float, float]]:
    """Return the road-following polyline of a route through points in the given order.

    The line starts at the first point, runs along its access leg to the road, follows the
    partial and whole edges of each fastest leg, and ends at the last point.

    Parameters
    ----------
    network
        The road network the points were snapped to.
    snapping
        The snapped points.
    sequence
        Point indices in visiting order, usually starting and ending at the depot.

    Returns
    -------
    list of tuple of float
        (lon, lat) vertices with no two consecutive vertices equal.

    Raises
    ------
    ValueError
        If an index is out of range or names an unusable point, or the points were snapped
        to another network.
    """
    check_same_network(network, snapping)
    stops = _check_sequence(snapping, sequence)
    if not stops:
        return []
    legs = _LEGS.get(snapping)
    if legs is None:
        legs = point_legs(network, snapping)
        _LEGS[snapping] = legs
    cache = _TREE_CACHES.get(network)
    if cache is None:
        cache = _TreeCache(network)
        _TREE_CACHES[network] = cache

    pairs = [(origin, end) for origin, end in pairwise(stops) if origin != end]
    leave_nodes = legs.leave_node[stops]
    trees = cache.trees([int(node) for node in np.unique(leave_nodes[leave_nodes >= 0])])
    options = _leg_options(legs, trees, pairs)
    lines = road_lines(network)
    pieces = [np.array([[snapping.lon[stops[0]], snapping.lat[stops[0]]]])]
    for (origin, destination), option in zip(pairs, options, strict=True):
        pieces.extend(
            _leg_pieces(network, snapping, legs, lines, trees, origin, destination, option)
        )
    return _drop_repeats(np.concatenate(pieces))


def _check_sequence(snapping: Snapping, sequence: Sequence[int]) -> list[int]:
    stops = [int(index) for index in sequence]
    for index in stops:
        if not 0 <= index < snapping.n_points:
            raise ValueError(
                f"route index {index} is out of range; use indices 0..{snapping.n_points - 1}"
            )
        if not snapping.usable[index]:
            raise ValueError(
                f"route index {index} is an unusable point ({snapping.reason[index]}); "
                "leave it out of the route"
            )
    return stops


def _leg_options(
    legs: PointLegs,
    trees: dict[int, tuple[NDArray[np.float64], NDArray[np.int32]]],
    pairs: list[tuple[int, int]],
) -> list[int]:
    """Choose each leg's candidate combination exactly as the matrix did, in one batch."""
    if not pairs:
        return []
    origins = np.array([origin for origin, _ in pairs], dtype=np.int64)
    destinations = np.array([destination for _, destination in pairs], dtype=np.int64)
    sources = np.unique(legs.leave_node[origins][legs.leave_node[origins] >= 0])
    targets = np.unique(legs.arrive_node[destinations][legs.arrive_node[destinations] >= 0])
    # float32 like the matrix's node tables, so ties are broken the same way.
    node_time = np.array([trees[int(source)][0][targets] for source in sources], np.float32)
    node_time = node_time.reshape(len(sources), len(targets))

    leave_pos = np.searchsorted(sources, np.maximum(legs.leave_node[origins], 0))
    arrive_pos = np.searchsorted(targets, np.maximum(legs.arrive_node[destinations], 0))
    _, _, option = combine_legs(
        legs,
        origins,
        destinations,
        node_time,
        np.zeros_like(node_time),
        np.where(legs.leave_node[origins] >= 0, leave_pos, -1),
        np.where(legs.arrive_node[destinations] >= 0, arrive_pos, -1),
    )
    chosen = np.diagonal(option)
    if (chosen < 0).any():
        raise RuntimeError("internal error: a leg between two usable points has no path")
    return [int(code) for code in chosen]


def _leg_pieces(
    network: RoadNetwork,
    snapping: Snapping,
    legs: PointLegs,
    lines: RoadLines,
    trees: dict[int, tuple[NDArray[np.float64], NDArray[np.int32]]],
    origin: int,
    destination: int,
    option: int,
) -> list[NDArray[np.float64]]:
    """Return the (lon, lat) pieces of one leg after the origin point, up to the destination."""
    pieces = [np.array([[snapping.snap_lon[origin], snapping.snap_lat[origin]]])]
    if option >= DIRECT_OPTION:
        slot = option - DIRECT_OPTION
        start_m, end_m = legs.offset_m[origin, slot], legs.offset_m[destination, slot]
        pieces.append(_partial_edge(network, lines, int(legs.edge[origin, slot]), start_m, end_m))
    else:
        leave, arrive = divmod(option, N_CANDIDATES)
        if leave != AT_NODE_COLUMN:
            edge = int(legs.edge[origin, leave])
            end_m = legs.edge_length_m[origin, leave]
            pieces.append(_partial_edge(network, lines, edge, legs.offset_m[origin, leave], end_m))
        source = int(legs.leave_node[origin, leave])
        target = int(legs.arrive_node[destination, arrive])
        pieces.append(_node_path(network, lines, trees[source][1], source, target))
        if arrive != AT_NODE_COLUMN:
            edge = int(legs.edge[destination, arrive])
            end_m = legs.offset_m[destination, arrive]
            pieces.append(_partial_edge(network, lines, edge, 0.0, end_m))
    pieces.append(
        np.array(
            [
                [snapping.snap_lon[destination], snapping.snap_lat[destination]],
                [snapping.lon[destination], snapping.lat[destination]],
            ]
        )
    )
    return pieces


def _partial_edge(
    network: RoadNetwork, lines: RoadLines, edge: int, start_m: float, end_m: float
) -> NDArray[np.float64]:
    """Return the (lon, lat) vertices of an edge between two distances from its start node."""
    length_m = float(network.compact.edge_length_m[edge])
    if length_m <= 0:
        return np.empty((0, 2))
    line = lines.geometry[lines.edge_line[edge]]
    if not lines.edge_forward[edge]:
        line = shapely.reverse(line)
    start = min(max(start_m / length_m, 0.0), 1.0)
    end = min(max(end_m / length_m, 0.0), 1.0)
    xy = shapely.get_coordinates(substring(line, start, end, normalized=True))
    lon, lat = lines.to_lonlat.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([lon, lat])


def _node_path(
    network: RoadNetwork,
    lines: RoadLines,
    predecessors: NDArray[np.int32],
    source: int,
    target: int,
) -> NDArray[np.float64]:
    """Return the (lon, lat) vertices of the fastest path between two nodes."""
    compact = network.compact
    path = [target]
    while path[-1] != source:
        previous = int(predecessors[path[-1]])
        if previous < 0:
            raise RuntimeError(f"internal error: node {target} is not reachable from {source}")
        path.append(previous)
    if len(path) == 1:
        return np.array([[compact.node_lon[source], compact.node_lat[source]]])

    nodes = np.array(path[::-1], dtype=np.int64)
    edges = compact.pair_edge(nodes[:-1], nodes[1:])
    return np.concatenate([lines.edge_lonlat[edge] for edge in edges])


def _drop_repeats(coords: NDArray[np.float64]) -> list[tuple[float, float]]:
    """Drop vertices that repeat the previous one, up to projection round-off (1e-9 degrees)."""
    step = np.abs(np.diff(coords, axis=0)).max(axis=1)
    distinct = coords[np.concatenate([[True], step > _SAME_VERTEX_DEG])]
    return [(lon, lat) for lon, lat in distinct.tolist()]
