"""Road lines in the projected CRS: the geometry that points are snapped to.

A two-way street is two directed edges with the same shape. Both are folded into one *line*
that remembers its edge in each direction, so a point snapped to the street can be reached
from either end and left towards either end.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pyproj
import shapely
from numpy.typing import NDArray

from gtm_optimizer.network.compact import CompactGraph
from gtm_optimizer.network.geometry import edge_lonlat_coords, lonlat_transformers

if TYPE_CHECKING:
    from gtm_optimizer.network.road import RoadNetwork


@dataclass(frozen=True, eq=False)
class RoadLines:
    """Projected road lines with a spatial index.

    Attributes
    ----------
    geometry
        LineString of each line in the projected CRS, in the direction of its forward edge.
    forward_edge, backward_edge
        Compact edge index driving along, and against, the line's direction; -1 when the road
        is one-way and has no edge in that direction.
    edge_line, edge_forward
        For each compact edge: its line, and whether it runs along the line's direction.
    edge_lonlat
        (m, 2) array of (lon, lat) vertices of each compact edge, from start to end node.
    tree
        STRtree over ``geometry``.
    to_projected, to_lonlat
        Transformers between lon/lat and the projected CRS, in (x, y) order.
    """

    geometry: NDArray[np.object_]
    forward_edge: NDArray[np.int64]
    backward_edge: NDArray[np.int64]
    edge_line: NDArray[np.int64]
    edge_forward: NDArray[np.bool_]
    edge_lonlat: list[NDArray[np.float64]]
    tree: shapely.STRtree
    to_projected: pyproj.Transformer
    to_lonlat: pyproj.Transformer


_CACHE: weakref.WeakKeyDictionary[RoadNetwork, RoadLines] = weakref.WeakKeyDictionary()


def road_lines(network: RoadNetwork) -> RoadLines:
    """Return the road lines of a network, built once per network object."""
    lines = _CACHE.get(network)
    if lines is None:
        lines = _build_road_lines(network)
        _CACHE[network] = lines
    return lines


def _build_road_lines(network: RoadNetwork) -> RoadLines:
    compact = network.compact
    to_projected, to_lonlat = lonlat_transformers(network.projected_crs)

    lonlat = [
        edge_lonlat_coords(network.graph, int(compact.node_ids[u]), int(compact.node_ids[v]), k)
        for u, v, k in zip(compact.edge_u, compact.edge_v, compact.edge_key, strict=True)
    ]
    edge_line, edge_forward, canonical = _group_twin_edges(compact, lonlat)
    n_lines = len(canonical)

    forward_edge = np.full(n_lines, -1, dtype=np.int64)
    backward_edge = np.full(n_lines, -1, dtype=np.int64)
    # Visit edges from slowest to fastest so the fastest of parallel duplicates wins.
    for edge in np.argsort(-compact.edge_time_s, kind="stable"):
        target = forward_edge if edge_forward[edge] else backward_edge
        target[edge_line[edge]] = edge

    coords = np.concatenate([lonlat[edge] for edge in canonical])
    counts = np.array([len(lonlat[edge]) for edge in canonical], dtype=np.int64)
    x, y = to_projected.transform(coords[:, 0], coords[:, 1])
    geometry = shapely.linestrings(
        np.column_stack([x, y]), indices=np.repeat(np.arange(n_lines), counts)
    )
    return RoadLines(
        geometry=geometry,
        forward_edge=forward_edge,
        backward_edge=backward_edge,
        edge_line=edge_line,
        edge_forward=edge_forward,
        edge_lonlat=lonlat,
        tree=shapely.STRtree(geometry),
        to_projected=to_projected,
        to_lonlat=to_lonlat,
    )


def _group_twin_edges(
    compact: CompactGraph, lonlat: list[NDArray[np.float64]]
) -> tuple[NDArray[np.int64], NDArray[np.bool_], list[int]]:
    """Fold edges with the same shape, in either direction, into lines.

    Returns the line of each edge, whether the edge runs along its line, and the canonical
    (first) edge of each line, whose direction defines the line's direction.
    """
    edge_u, edge_v, edge_length_m = compact.edge_u, compact.edge_v, compact.edge_length_m
    n_edges = len(edge_u)
    edge_line = np.empty(n_edges, dtype=np.int64)
    edge_forward = np.empty(n_edges, dtype=bool)
    canonical: list[int] = []
    candidates: dict[tuple[int, int, float], list[int]] = {}

    for edge in range(n_edges):
        u, v = int(edge_u[edge]), int(edge_v[edge])
        key = (min(u, v), max(u, v), round(float(edge_length_m[edge]), 1))
        match = None
        for line in candidates.get(key, []):
            shape = lonlat[canonical[line]]
            if _same_shape(shape, lonlat[edge]):
                match = (line, True)
            elif _same_shape(shape, lonlat[edge][::-1]):
                match = (line, False)
            if match:
                break
        if match is None:
            match = (len(canonical), True)
            canonical.append(edge)
            candidates.setdefault(key, []).append(match[0])
        edge_line[edge], edge_forward[edge] = match
    return edge_line, edge_forward, canonical


def _same_shape(first: NDArray[np.float64], second: NDArray[np.float64]) -> bool:
    return first.shape == second.shape and bool(np.allclose(first, second, rtol=0, atol=1e-9))
