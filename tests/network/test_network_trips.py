"""The vectorised choice of legs, checked against a plain loop over every pair and option."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gtm_optimizer.network import (
    RoadNetwork,
    Snapping,
    TravelMatrices,
    build_matrices,
    snap_points,
)
from gtm_optimizer.network.legs import N_CANDIDATES, PointLegs, point_legs
from gtm_optimizer.network.search import node_to_node
from gtm_optimizer.network.snapping import N_SLOTS


@pytest.fixture(scope="module")
def points(aguascalientes: RoadNetwork) -> Snapping:
    """60 random points plus 10 on nodes, so every kind of candidate occurs."""
    rng = np.random.default_rng(23)
    min_lon, min_lat, max_lon, max_lat = aguascalientes.bbox_lonlat
    lat = list(rng.uniform(min_lat, max_lat, 60))
    lon = list(rng.uniform(min_lon, max_lon, 60))
    for node in rng.choice(sorted(aguascalientes.main_component), size=10, replace=False):
        lat.append(aguascalientes.graph.nodes[node]["y"])
        lon.append(aguascalientes.graph.nodes[node]["x"])
    return snap_points(aguascalientes, lat, lon)


@pytest.fixture(scope="module")
def legs(aguascalientes: RoadNetwork, points: Snapping) -> PointLegs:
    return point_legs(aguascalientes, points)


@pytest.fixture(scope="module")
def matrices(aguascalientes: RoadNetwork, points: Snapping) -> TravelMatrices:
    return build_matrices(aguascalientes, points, n_jobs=1)


def loop_trip_s(legs: PointLegs, times_s: dict[tuple[int, int], float], i: int, j: int) -> float:
    """Return the fastest trip from point i to point j, trying every option one by one."""
    if i == j:
        return 0.0
    best_s = math.inf
    for a in range(N_CANDIDATES):
        for b in range(N_CANDIDATES):
            start, end = int(legs.leave_node[i, a]), int(legs.arrive_node[j, b])
            if start >= 0 and end >= 0:
                trip_s = legs.leave_s[i, a] + times_s[start, end] + legs.arrive_s[j, b]
                best_s = min(best_s, trip_s)
    for slot in range(N_SLOTS):
        edge = legs.edge[i, slot]
        ahead_m = legs.offset_m[j, slot] - legs.offset_m[i, slot]
        if edge >= 0 and edge == legs.edge[j, slot] and ahead_m >= 0:
            drive_s = ahead_m / legs.edge_length_m[i, slot] * legs.edge_time_s[i, slot]
            best_s = min(best_s, legs.access_s[i] + legs.access_s[j] + drive_s)
    return best_s


def test_points_cover_candidates(legs: PointLegs, points: Snapping) -> None:
    usable = points.usable
    assert (legs.leave_node[usable, 2] >= 0).sum() >= 10
    assert (legs.leave_node[usable, 1] < 0).any()


def test_matrix_equals_loop(
    aguascalientes: RoadNetwork, points: Snapping, legs: PointLegs, matrices: TravelMatrices
) -> None:
    usable = np.flatnonzero(points.usable)
    sources = np.unique(legs.leave_node[usable][legs.leave_node[usable] >= 0])
    targets = np.unique(legs.arrive_node[usable][legs.arrive_node[usable] >= 0])
    table_s, _table_m = node_to_node(aguascalientes.compact, sources, targets)
    times_s = {
        (int(u), int(v)): float(table_s[r, c])
        for r, u in enumerate(sources)
        for c, v in enumerate(targets)
    }
    worst_s = 0.0
    for i in usable:
        for j in usable:
            expected_s = loop_trip_s(legs, times_s, int(i), int(j))
            worst_s = max(worst_s, abs(expected_s - float(matrices.duration_s[i, j])))
    # float32 sums of trips of up to about 10 minutes: a few tenths of a millisecond.
    assert worst_s < 1e-3
