"""Travel-time and distance matrices on the directed road graph, and their disk cache."""

from __future__ import annotations

import itertools
import logging
import shutil
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from network_helpers import OSM, haversine_m, way_xml, write_osm

from gtm_optimizer.network import (
    RoadNetwork,
    Snapping,
    TravelMatrices,
    build_matrices,
    load_network,
    snap_points,
)
from gtm_optimizer.network.cache import matrix_cache_key

# A block A-B-C-D of residential streets at 4.6 N whose south side A -> B is one-way east.
BLOCK_NODES = {
    1: (4.600, -74.080),  # A
    2: (4.600, -74.078),  # B
    3: (4.602, -74.078),  # C
    4: (4.602, -74.080),  # D
}
VAN_RESIDENTIAL_MPS = 25 * 0.95 / 3.6
L_AB = haversine_m(4.600, -74.080, 4.600, -74.078)
L_BC = haversine_m(4.600, -74.078, 4.602, -74.078)
L_CD = haversine_m(4.602, -74.078, 4.602, -74.080)
L_DA = haversine_m(4.602, -74.080, 4.600, -74.080)
# P1 and P2 lie on A -> B, a quarter and three quarters of the way; Q halfway along C-D.
BLOCK_LAT = [4.600, 4.600, 4.602]
BLOCK_LON = [-74.0795, -74.0785, -74.079]


@pytest.fixture(scope="module")
def block(tmp_path_factory: pytest.TempPathFactory) -> RoadNetwork:
    ways = [
        way_xml(10, [1, 2], {"highway": "residential", "oneway": "yes"}),
        way_xml(11, [2, 3, 4, 1], {"highway": "residential"}),
    ]
    path = write_osm(tmp_path_factory.mktemp("block") / "block.osm", BLOCK_NODES, ways)
    return load_network(path)


@pytest.fixture(scope="module")
def block_matrices(block: RoadNetwork) -> TravelMatrices:
    return build_matrices(block, snap_points(block, BLOCK_LAT, BLOCK_LON))


@pytest.fixture(scope="module")
def node_sample(aguascalientes: RoadNetwork) -> np.ndarray:
    rng = np.random.default_rng(7)
    return rng.choice(sorted(aguascalientes.main_component), size=30, replace=False)


@pytest.fixture(scope="module")
def node_snapping(aguascalientes: RoadNetwork, node_sample: np.ndarray) -> Snapping:
    lat = [aguascalientes.graph.nodes[node]["y"] for node in node_sample]
    lon = [aguascalientes.graph.nodes[node]["x"] for node in node_sample]
    return snap_points(aguascalientes, lat, lon)


@pytest.fixture(scope="module")
def node_matrices(aguascalientes: RoadNetwork, node_snapping: Snapping) -> TravelMatrices:
    return build_matrices(aguascalientes, node_snapping)


@pytest.fixture(scope="module")
def random_snapping(aguascalientes: RoadNetwork) -> Snapping:
    rng = np.random.default_rng(11)
    min_lon, min_lat, max_lon, max_lat = aguascalientes.bbox_lonlat
    return snap_points(
        aguascalientes, rng.uniform(min_lat, max_lat, 80), rng.uniform(min_lon, max_lon, 80)
    )


def test_block_around_one_way(block_matrices: TravelMatrices) -> None:
    # P1 -> Q leaves east along A -> B, then B -> C and half of C -> D.
    expected_s = (0.75 * L_AB + L_BC + 0.5 * L_CD) / VAN_RESIDENTIAL_MPS
    assert block_matrices.duration_s[0, 2] == pytest.approx(expected_s, abs=0.05)


def test_block_back_against_one_way(block_matrices: TravelMatrices) -> None:
    # Q -> P1 cannot use B -> A: it drives half of C-D back to D, D -> A, then a quarter of A-B.
    expected_s = (0.5 * L_CD + L_DA + 0.25 * L_AB) / VAN_RESIDENTIAL_MPS
    assert block_matrices.duration_s[2, 0] == pytest.approx(expected_s, abs=0.05)


def test_block_asymmetric(block_matrices: TravelMatrices) -> None:
    assert block_matrices.duration_s[0, 2] != pytest.approx(block_matrices.duration_s[2, 0])


def test_block_same_edge_forward(block_matrices: TravelMatrices) -> None:
    # P1 -> P2 drives straight along A -> B.
    assert block_matrices.distance_m[0, 1] == pytest.approx(0.5 * L_AB, abs=0.05)


def test_block_same_edge_backward(block_matrices: TravelMatrices) -> None:
    # P2 -> P1 must go round the whole block.
    expected_m = 0.25 * L_AB + L_BC + L_CD + L_DA + 0.25 * L_AB
    assert block_matrices.distance_m[1, 0] == pytest.approx(expected_m, abs=0.05)


def test_matches_networkx_times(
    aguascalientes: RoadNetwork, node_sample: np.ndarray, node_matrices: TravelMatrices
) -> None:
    worst_s = 0.0
    for i, source in enumerate(node_sample):
        times_s = nx.single_source_dijkstra_path_length(
            aguascalientes.graph, source, weight="travel_time"
        )
        for j, target in enumerate(node_sample):
            worst_s = max(worst_s, abs(times_s[target] - float(node_matrices.duration_s[i, j])))
    assert worst_s < 1e-3


def test_distance_of_fastest_path(
    aguascalientes: RoadNetwork, node_sample: np.ndarray, node_matrices: TravelMatrices
) -> None:
    graph = aguascalientes.graph
    worst_m = 0.0
    for i, source in enumerate(node_sample):
        _, paths = nx.single_source_dijkstra(graph, source, weight="travel_time")
        for j, target in enumerate(node_sample):
            path = paths[target]
            length_m = 0.0
            for u, v in itertools.pairwise(path):
                fastest = min(graph.get_edge_data(u, v).values(), key=lambda e: e["travel_time"])
                length_m += fastest["length"]
            worst_m = max(worst_m, abs(length_m - float(node_matrices.distance_m[i, j])))
    assert worst_m < 0.01


def test_usable_entries_finite(random_snapping: Snapping, aguascalientes: RoadNetwork) -> None:
    matrices = build_matrices(aguascalientes, random_snapping)
    usable = np.flatnonzero(matrices.usable)
    block = matrices.duration_s[np.ix_(usable, usable)]
    assert not np.isnan(block).any()
    assert block.max() < 1e6
    assert np.isfinite(matrices.distance_m[np.ix_(usable, usable)]).all()


def test_unusable_rows_and_columns_inf(b01: RoadNetwork, b01_points: pd.DataFrame) -> None:
    snapping = snap_points(b01, b01_points.lat, b01_points.lon)
    matrices = build_matrices(b01, snapping)
    assert np.isinf(matrices.duration_s[2:, :]).all()
    assert np.isinf(matrices.duration_s[:, 2:]).all()
    assert np.isinf(matrices.distance_m[2:, :]).all()


def test_only_unusable_points(b01: RoadNetwork) -> None:
    # A single point on the trap spur 3 -> 5: nothing to route, every entry inf.
    matrices = build_matrices(b01, snap_points(b01, [43.7389], [7.4225]))
    assert np.isinf(matrices.duration_s).all()


def test_no_points(b01: RoadNetwork) -> None:
    matrices = build_matrices(b01, snap_points(b01, [], []))
    assert matrices.duration_s.shape == (0, 0)


def test_usable_block_b01(b01: RoadNetwork, b01_points: pd.DataFrame) -> None:
    snapping = snap_points(b01, b01_points.lat, b01_points.lon)
    matrices = build_matrices(b01, snapping)
    assert np.isfinite(matrices.duration_s[:2, :2]).all()
    assert matrices.duration_s[0, 0] == 0.0


def test_matrix_dtype(block_matrices: TravelMatrices) -> None:
    assert block_matrices.duration_s.dtype == np.float32
    assert block_matrices.distance_m.dtype == np.float32


def test_matrix_source(block_matrices: TravelMatrices) -> None:
    assert block_matrices.source == "osm_road_network"
    assert block_matrices.circuity is None


def test_threads_and_chunks_agree(aguascalientes: RoadNetwork, random_snapping: Snapping) -> None:
    single = build_matrices(aguascalientes, random_snapping, n_jobs=1, chunk_size=256)
    parallel = build_matrices(aguascalientes, random_snapping, n_jobs=2, chunk_size=7)
    np.testing.assert_array_equal(single.duration_s, parallel.duration_s)
    np.testing.assert_array_equal(single.distance_m, parallel.distance_m)


def test_n_jobs_zero(block: RoadNetwork) -> None:
    snapping = snap_points(block, BLOCK_LAT, BLOCK_LON)
    with pytest.raises(ValueError, match="n_jobs is 0"):
        build_matrices(block, snapping, n_jobs=0)


def test_chunk_size_zero(block: RoadNetwork) -> None:
    snapping = snap_points(block, BLOCK_LAT, BLOCK_LON)
    with pytest.raises(ValueError, match="chunk_size is 0"):
        build_matrices(block, snapping, chunk_size=0)


def test_snapping_of_other_network(b01: RoadNetwork, block: RoadNetwork) -> None:
    snapping = snap_points(block, BLOCK_LAT, BLOCK_LON)
    with pytest.raises(ValueError, match="snapped to another road network"):
        build_matrices(b01, snapping)


def test_cache_hit(
    aguascalientes: RoadNetwork,
    random_snapping: Snapping,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    first = build_matrices(aguascalientes, random_snapping, cache_dir=tmp_path)
    with caplog.at_level(logging.INFO, logger="gtm_optimizer.network"):
        second = build_matrices(aguascalientes, random_snapping, cache_dir=tmp_path)
    assert "cache hit" in caplog.text
    np.testing.assert_array_equal(first.duration_s, second.duration_s)
    np.testing.assert_array_equal(first.usable, second.usable)


def test_cache_first_call_misses(
    block: RoadNetwork, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    snapping = snap_points(block, BLOCK_LAT, BLOCK_LON)
    with caplog.at_level(logging.INFO, logger="gtm_optimizer.network"):
        build_matrices(block, snapping, cache_dir=tmp_path)
    assert "cache miss" in caplog.text


def test_cache_leaves_one_file(block: RoadNetwork, tmp_path: Path) -> None:
    snapping = snap_points(block, BLOCK_LAT, BLOCK_LON)
    build_matrices(block, snapping, cache_dir=tmp_path)
    assert [path.suffix for path in tmp_path.iterdir()] == [".npz"]


def test_cache_key_changes_with_points(block: RoadNetwork) -> None:
    moved = snap_points(block, BLOCK_LAT, [-74.0795, -74.0786, -74.079])
    original = snap_points(block, BLOCK_LAT, BLOCK_LON)
    assert matrix_cache_key(block, moved) != matrix_cache_key(block, original)


def test_cache_key_changes_with_format(
    aguascalientes: RoadNetwork, aguascalientes_bz2: RoadNetwork
) -> None:
    lat, lon = [21.868], [-102.276]
    pbf_key = matrix_cache_key(aguascalientes, snap_points(aguascalientes, lat, lon))
    bz2_key = matrix_cache_key(aguascalientes_bz2, snap_points(aguascalientes_bz2, lat, lon))
    assert pbf_key != bz2_key


def test_cache_key_changes_with_file_bytes(
    b01: RoadNetwork, b01_points: pd.DataFrame, tmp_path: Path
) -> None:
    copy = tmp_path / "B01_copy.osm"
    shutil.copyfile(OSM / "B01_oneway.osm", copy)
    with copy.open("a", encoding="utf-8") as stream:
        stream.write("\n")
    edited = load_network(copy)
    edited_key = matrix_cache_key(edited, snap_points(edited, b01_points.lat, b01_points.lon))
    original_key = matrix_cache_key(b01, snap_points(b01, b01_points.lat, b01_points.lon))
    assert edited_key != original_key


def test_cache_key_changes_with_profile(b01: RoadNetwork, b01_points: pd.DataFrame) -> None:
    truck = load_network(OSM / "B01_oneway.osm", profile="truck")
    truck_key = matrix_cache_key(truck, snap_points(truck, b01_points.lat, b01_points.lon))
    van_key = matrix_cache_key(b01, snap_points(b01, b01_points.lat, b01_points.lon))
    assert truck_key != van_key
