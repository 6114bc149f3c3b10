"""Road-following polylines of routes."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from network_helpers import haversine_m, way_xml, write_osm

from gtm_optimizer.network import (
    RoadNetwork,
    Snapping,
    TravelMatrices,
    build_matrices,
    load_network,
    route_path_lonlat,
    snap_points,
)


def _polyline_m(coords: list[tuple[float, float]]) -> float:
    return sum(
        haversine_m(lat1, lon1, lat2, lon2)
        for (lon1, lat1), (lon2, lat2) in itertools.pairwise(coords)
    )


@pytest.fixture(scope="module")
def stops(aguascalientes: RoadNetwork) -> tuple[Snapping, TravelMatrices, list[int]]:
    rng = np.random.default_rng(3)
    min_lon, min_lat, max_lon, max_lat = aguascalientes.bbox_lonlat
    snapping = snap_points(
        aguascalientes,
        rng.uniform(min_lat, max_lat, 60),
        rng.uniform(min_lon, max_lon, 60),
        max_snap_m=80.0,
    )
    matrices = build_matrices(aguascalientes, snapping)
    usable = [int(i) for i in np.flatnonzero(snapping.usable)]
    return snapping, matrices, usable


def test_route_starts_at_start(
    aguascalientes: RoadNetwork, stops: tuple[Snapping, TravelMatrices, list[int]]
) -> None:
    snapping, _, usable = stops
    route = [usable[0], *usable[1:12], usable[0]]
    coords = route_path_lonlat(aguascalientes, snapping, route)
    assert coords[0] == (snapping.lon[usable[0]], snapping.lat[usable[0]])


def test_route_ends_at_end(
    aguascalientes: RoadNetwork, stops: tuple[Snapping, TravelMatrices, list[int]]
) -> None:
    snapping, _, usable = stops
    route = usable[:12]
    coords = route_path_lonlat(aguascalientes, snapping, route)
    assert coords[-1] == (snapping.lon[usable[11]], snapping.lat[usable[11]])


def test_route_length_matches_matrix(
    aguascalientes: RoadNetwork, stops: tuple[Snapping, TravelMatrices, list[int]]
) -> None:
    snapping, matrices, usable = stops
    route = [usable[0], *usable[1:20], usable[0]]
    expected_m = sum(float(matrices.distance_m[a, b]) for a, b in itertools.pairwise(route))
    coords = route_path_lonlat(aguascalientes, snapping, route)
    assert _polyline_m(coords) == pytest.approx(expected_m, rel=0.05)


def test_route_follows_one_way(tmp_path) -> None:
    # Block A(4.600,-74.080) -> B(4.600,-74.078) one-way east, B-C-D-A two-way. From P on
    # A -> B to Q on C-D the van must pass B, never A.
    nodes = {1: (4.600, -74.080), 2: (4.600, -74.078), 3: (4.602, -74.078), 4: (4.602, -74.080)}
    ways = [
        way_xml(10, [1, 2], {"highway": "residential", "oneway": "yes"}),
        way_xml(11, [2, 3, 4, 1], {"highway": "residential"}),
    ]
    network = load_network(write_osm(tmp_path / "block.osm", nodes, ways))
    snapping = snap_points(network, [4.600, 4.602], [-74.0795, -74.079])
    coords = route_path_lonlat(network, snapping, [0, 1])
    assert any(haversine_m(lat, lon, 4.600, -74.078) < 0.5 for lon, lat in coords)
    assert not any(haversine_m(lat, lon, 4.600, -74.080) < 0.5 for lon, lat in coords)


def test_route_b01_round_trip(b01: RoadNetwork, b01_points: pd.DataFrame) -> None:
    snapping = snap_points(b01, b01_points.lat, b01_points.lon)
    matrices = build_matrices(b01, snapping)
    coords = route_path_lonlat(b01, snapping, [0, 1, 0])
    expected_m = float(matrices.distance_m[0, 1] + matrices.distance_m[1, 0])
    assert _polyline_m(coords) == pytest.approx(expected_m, rel=0.05)


def test_route_no_repeated_vertices(b01: RoadNetwork, b01_points: pd.DataFrame) -> None:
    snapping = snap_points(b01, b01_points.lat, b01_points.lon)
    coords = route_path_lonlat(b01, snapping, [0, 1, 0])
    assert all(a != b for a, b in itertools.pairwise(coords))


def test_route_unusable_stop(b01: RoadNetwork, b01_points: pd.DataFrame) -> None:
    snapping = snap_points(b01, b01_points.lat, b01_points.lon)
    with pytest.raises(ValueError, match=r"route index 2 is an unusable point"):
        route_path_lonlat(b01, snapping, [0, 2, 0])


def test_route_index_out_of_range(b01: RoadNetwork, b01_points: pd.DataFrame) -> None:
    snapping = snap_points(b01, b01_points.lat, b01_points.lon)
    with pytest.raises(ValueError, match="route index 9 is out of range"):
        route_path_lonlat(b01, snapping, [0, 9])


def test_route_empty(b01: RoadNetwork, b01_points: pd.DataFrame) -> None:
    snapping = snap_points(b01, b01_points.lat, b01_points.lon)
    assert route_path_lonlat(b01, snapping, []) == []
