"""Shortest-path tables: worker processes, backward searches and pruned dangling trees."""

from __future__ import annotations

import logging

import networkx as nx
import numpy as np
import pytest
from network_helpers import haversine_m, way_xml, write_osm

from gtm_optimizer.network import RoadNetwork, Snapping, build_matrices, load_network, snap_points
from gtm_optimizer.network.search import MIN_PARALLEL_SOURCES, node_to_node
from gtm_optimizer.network.search_graph import prune_dangling, search_graph

# A two-way block A-B-C-D with a cul-de-sac D-E-F hanging off D. Road types alternate, so
# simplification keeps every node.
CUL_DE_SAC_NODES = {
    1: (4.600, -74.080),  # A
    2: (4.600, -74.078),  # B
    3: (4.602, -74.078),  # C
    4: (4.602, -74.080),  # D
    5: (4.604, -74.080),  # E
    6: (4.606, -74.080),  # F
}
CUL_DE_SAC_WAYS = [
    (10, [1, 2], "residential"),
    (11, [2, 3], "tertiary"),
    (12, [3, 4], "residential"),
    (13, [4, 1], "tertiary"),
    (14, [4, 5], "unclassified"),
    (15, [5, 6], "residential"),
]


@pytest.fixture(scope="module")
def cul_de_sac(tmp_path_factory: pytest.TempPathFactory) -> RoadNetwork:
    ways = [way_xml(way, nodes, {"highway": kind}) for way, nodes, kind in CUL_DE_SAC_WAYS]
    folder = tmp_path_factory.mktemp("cul_de_sac")
    return load_network(write_osm(folder / "cul_de_sac.osm", CUL_DE_SAC_NODES, ways))


def test_cul_de_sac_keeps_nodes(cul_de_sac: RoadNetwork) -> None:
    assert sorted(cul_de_sac.graph.nodes) == [1, 2, 3, 4, 5, 6]


def osm_ids(network: RoadNetwork, kept: np.ndarray) -> list[int]:
    return network.compact.node_ids[kept].tolist()


def indices(network: RoadNetwork, osm: list[int]) -> np.ndarray:
    return network.compact.node_index(np.array(osm, dtype=np.int64))


def test_prune_strips_cul_de_sac(cul_de_sac: RoadNetwork) -> None:
    # Only A and C are needed: the dead end F goes, then E, which became a dead end.
    _graph, kept = prune_dangling(search_graph(cul_de_sac.compact), indices(cul_de_sac, [1, 3]))
    assert osm_ids(cul_de_sac, kept) == [1, 2, 3, 4]


def test_prune_keeps_needed_dead_end(cul_de_sac: RoadNetwork) -> None:
    _graph, kept = prune_dangling(search_graph(cul_de_sac.compact), indices(cul_de_sac, [1, 6]))
    assert osm_ids(cul_de_sac, kept) == [1, 2, 3, 4, 5, 6]


def test_prune_keeps_edges(cul_de_sac: RoadNetwork) -> None:
    # The block's 4 two-way sides are 8 directed edges.
    graph, _kept = prune_dangling(search_graph(cul_de_sac.compact), indices(cul_de_sac, [1, 3]))
    assert graph.forward_csr.nnz == 8


def test_prune_aguascalientes_size(aguascalientes: RoadNetwork) -> None:
    # Measured: 20 needed nodes keep 658 of the 844 nodes.
    rng = np.random.default_rng(4)
    needed = np.sort(rng.choice(np.flatnonzero(aguascalientes.compact.main_mask), 20, False))
    graph, kept = prune_dangling(search_graph(aguascalientes.compact), needed)
    assert graph.n_nodes == 658
    assert np.isin(needed, kept).all()


def test_pruned_search_matches_networkx(aguascalientes: RoadNetwork) -> None:
    rng = np.random.default_rng(9)
    main = np.flatnonzero(aguascalientes.compact.main_mask)
    sources = np.sort(rng.choice(main, 8, replace=False))
    targets = np.sort(rng.choice(main, 12, replace=False))
    times_s, _lengths_m = node_to_node(aguascalientes.compact, sources, targets)
    node_ids = aguascalientes.compact.node_ids
    worst_s = 0.0
    for i, source in enumerate(sources):
        expected = nx.single_source_dijkstra_path_length(
            aguascalientes.graph, int(node_ids[source]), weight="travel_time"
        )
        for j, target in enumerate(targets):
            worst_s = max(worst_s, abs(expected[int(node_ids[target])] - float(times_s[i, j])))
    assert worst_s < 1e-3


def test_cul_de_sac_trip_through_block(cul_de_sac: RoadNetwork) -> None:
    # From halfway along A-B to halfway along C-D, E and F pruned from the search: half of
    # A-B and of C-D (residential, 25 km/h) plus B-C or D-A (tertiary, 35 km/h), at 95 % for
    # a van. Both ways round are equally long.
    snapping = snap_points(cul_de_sac, [4.600, 4.602], [-74.079, -74.079])
    matrices = build_matrices(cul_de_sac, snapping)
    half_ab_m = haversine_m(4.600, -74.080, 4.600, -74.078) / 2
    half_cd_m = haversine_m(4.602, -74.078, 4.602, -74.080) / 2
    bc_m = haversine_m(4.600, -74.078, 4.602, -74.078)
    expected_s = (half_ab_m + half_cd_m) / (25 * 0.95 / 3.6) + bc_m / (35 * 0.95 / 3.6)
    assert matrices.duration_s[0, 1] == pytest.approx(expected_s, abs=0.05)


@pytest.fixture(scope="module")
def node_points(aguascalientes: RoadNetwork) -> tuple[np.ndarray, Snapping]:
    """300 points placed on distinct nodes of the main component, enough to use the pool."""
    rng = np.random.default_rng(5)
    nodes = rng.choice(sorted(aguascalientes.main_component), size=300, replace=False)
    lat = [aguascalientes.graph.nodes[node]["y"] for node in nodes]
    lon = [aguascalientes.graph.nodes[node]["x"] for node in nodes]
    return nodes, snap_points(aguascalientes, lat, lon)


def test_pool_used(
    aguascalientes: RoadNetwork,
    node_points: tuple[np.ndarray, Snapping],
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.DEBUG, logger="gtm_optimizer.network.search"):
        build_matrices(aguascalientes, node_points[1], n_jobs=2)
    assert "on 2 process(es)" in caplog.text


def test_pool_equals_one_process(
    aguascalientes: RoadNetwork, node_points: tuple[np.ndarray, Snapping]
) -> None:
    assert node_points[1].n_points >= MIN_PARALLEL_SOURCES
    single = build_matrices(aguascalientes, node_points[1], n_jobs=1)
    pooled = build_matrices(aguascalientes, node_points[1], n_jobs=2, chunk_size=64)
    np.testing.assert_array_equal(single.duration_s, pooled.duration_s)
    np.testing.assert_array_equal(single.distance_m, pooled.distance_m)


def test_pool_matches_networkx(
    aguascalientes: RoadNetwork, node_points: tuple[np.ndarray, Snapping]
) -> None:
    nodes, snapping = node_points
    pooled = build_matrices(aguascalientes, snapping, n_jobs=2)
    worst_s = 0.0
    for i in range(0, 300, 50):
        times_s = nx.single_source_dijkstra_path_length(
            aguascalientes.graph, nodes[i], weight="travel_time"
        )
        for j in range(300):
            worst_s = max(worst_s, abs(times_s[nodes[j]] - float(pooled.duration_s[i, j])))
    assert worst_s < 1e-3


def test_reverse_search_transposes(aguascalientes: RoadNetwork) -> None:
    compact = aguascalientes.compact
    sources = np.flatnonzero(compact.main_mask)[:20]
    targets = np.flatnonzero(compact.main_mask)[-5:]
    forward_s, forward_m = node_to_node(compact, sources, targets)
    reverse_s, reverse_m = node_to_node(compact, sources, targets, reverse=True)
    np.testing.assert_allclose(reverse_s, forward_s, rtol=1e-6)
    np.testing.assert_allclose(reverse_m, forward_m, rtol=1e-6)
