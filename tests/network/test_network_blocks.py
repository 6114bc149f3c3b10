"""Per-group matrix blocks and point-to-centre rectangles, checked against the full matrix."""

from __future__ import annotations

import logging

import numpy as np
import pytest

from gtm_optimizer.network import (
    RoadNetwork,
    Snapping,
    TravelMatrices,
    build_matrices,
    build_matrix_blocks,
    build_matrix_rectangle,
    snap_points,
)

# Three territories of the random points, one with a point listed twice and one that
# shares points with the first.
GROUPS = [np.arange(0, 40), np.array([45, 4, 77, 4, 60]), np.arange(30, 80)]
# Centres 42 and 9 are usable; 7 (too far from a road) and 61 (one-way trap) give inf columns.
CENTRES = np.array([7, 42, 9, 61])


@pytest.fixture(scope="module")
def points(aguascalientes: RoadNetwork) -> Snapping:
    """80 random points over the extract: usable ones and unusable ones of every kind."""
    rng = np.random.default_rng(11)
    min_lon, min_lat, max_lon, max_lat = aguascalientes.bbox_lonlat
    return snap_points(
        aguascalientes, rng.uniform(min_lat, max_lat, 80), rng.uniform(min_lon, max_lon, 80)
    )


@pytest.fixture(scope="module")
def full(aguascalientes: RoadNetwork, points: Snapping) -> TravelMatrices:
    return build_matrices(aguascalientes, points, n_jobs=1)


@pytest.fixture(scope="module")
def blocks(aguascalientes: RoadNetwork, points: Snapping) -> list[TravelMatrices]:
    return build_matrix_blocks(aguascalientes, points, GROUPS)


def test_points_mix_usable_and_not(points: Snapping) -> None:
    # The block tests below must cover inf rows as well as finite trips.
    assert 0 < int(points.usable.sum()) < points.n_points


@pytest.mark.parametrize("k", range(len(GROUPS)))
def test_block_durations_equal_full_slice(
    blocks: list[TravelMatrices], full: TravelMatrices, k: int
) -> None:
    expected = full.duration_s[np.ix_(GROUPS[k], GROUPS[k])]
    np.testing.assert_array_equal(blocks[k].duration_s, expected)


@pytest.mark.parametrize("k", range(len(GROUPS)))
def test_block_distances_equal_full_slice(
    blocks: list[TravelMatrices], full: TravelMatrices, k: int
) -> None:
    expected = full.distance_m[np.ix_(GROUPS[k], GROUPS[k])]
    np.testing.assert_array_equal(blocks[k].distance_m, expected)


@pytest.mark.parametrize("k", range(len(GROUPS)))
def test_block_usable_follows_group(
    blocks: list[TravelMatrices], points: Snapping, k: int
) -> None:
    np.testing.assert_array_equal(blocks[k].usable, points.usable[GROUPS[k]])


def test_block_repeated_point_zero(blocks: list[TravelMatrices], points: Snapping) -> None:
    # Point 4 is listed twice in the second group: its trip to its copy is a trip to itself.
    assert points.usable[4]
    assert blocks[1].duration_s[1, 3] == 0.0


def test_blocks_none(aguascalientes: RoadNetwork, points: Snapping) -> None:
    assert build_matrix_blocks(aguascalientes, points, []) == []


def test_blocks_log(
    aguascalientes: RoadNetwork, points: Snapping, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="gtm_optimizer.network"):
        build_matrix_blocks(aguascalientes, points, GROUPS)
    # 40 * 40 + 5 * 5 + 50 * 50 entries.
    assert "Built 3 travel matrix blocks (4125 entries, largest 50x50)" in caplog.text


def test_block_index_out_of_range(aguascalientes: RoadNetwork, points: Snapping) -> None:
    with pytest.raises(ValueError, match=r"groups\[1\] contains point index 80"):
        build_matrix_blocks(aguascalientes, points, [[0, 1], [2, 80]])


def test_block_negative_index(aguascalientes: RoadNetwork, points: Snapping) -> None:
    with pytest.raises(ValueError, match=r"groups\[0\] contains point index -1"):
        build_matrix_blocks(aguascalientes, points, [[-1, 2]])


def test_block_two_dimensional(aguascalientes: RoadNetwork, points: Snapping) -> None:
    with pytest.raises(ValueError, match=r"groups\[0\] has shape \(2, 2\)"):
        build_matrix_blocks(aguascalientes, points, [[[0, 1], [2, 3]]])


def test_block_float_indices(aguascalientes: RoadNetwork, points: Snapping) -> None:
    with pytest.raises(ValueError, match="groups\\[0\\] has dtype float64"):
        build_matrix_blocks(aguascalientes, points, [np.array([0.0, 1.0])])


def test_block_other_network(b01: RoadNetwork, points: Snapping) -> None:
    with pytest.raises(ValueError, match="snapped to another road network"):
        build_matrix_blocks(b01, points, [[0, 1]])


def test_rectangle_searches_backwards(
    aguascalientes: RoadNetwork, points: Snapping, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="gtm_optimizer.network"):
        build_matrix_rectangle(aguascalientes, points, np.arange(80), CENTRES)
    assert "Built 80x4 travel matrix rectangle, searching backwards" in caplog.text


def test_rectangle_durations_equal_full(
    aguascalientes: RoadNetwork, points: Snapping, full: TravelMatrices
) -> None:
    rectangle = build_matrix_rectangle(aguascalientes, points, np.arange(80), CENTRES)
    # A backward search adds the same edge times in another order, so allow float32 round-off.
    np.testing.assert_allclose(rectangle.duration_s, full.duration_s[:, CENTRES], rtol=1e-6)


def test_rectangle_distances_equal_full(
    aguascalientes: RoadNetwork, points: Snapping, full: TravelMatrices
) -> None:
    rectangle = build_matrix_rectangle(aguascalientes, points, np.arange(80), CENTRES)
    np.testing.assert_allclose(rectangle.distance_m, full.distance_m[:, CENTRES], rtol=1e-6)


def test_rectangle_forward_equal_full(
    aguascalientes: RoadNetwork, points: Snapping, full: TravelMatrices
) -> None:
    # Few sources and many targets: the search runs forwards from the sources.
    sources = np.array([5, 9])
    rectangle = build_matrix_rectangle(aguascalientes, points, sources, np.arange(80))
    np.testing.assert_array_equal(rectangle.duration_s, full.duration_s[sources, :])


def test_rectangle_keeps_indices(aguascalientes: RoadNetwork, points: Snapping) -> None:
    rectangle = build_matrix_rectangle(aguascalientes, points, [4, 2], CENTRES)
    assert rectangle.sources.tolist() == [4, 2]
    assert rectangle.targets.tolist() == CENTRES.tolist()
    assert rectangle.duration_s.dtype == np.float32


def test_rectangle_bad_target(aguascalientes: RoadNetwork, points: Snapping) -> None:
    with pytest.raises(ValueError, match="targets contains point index 99"):
        build_matrix_rectangle(aguascalientes, points, [0], [99])


def test_rectangle_n_jobs_zero(aguascalientes: RoadNetwork, points: Snapping) -> None:
    with pytest.raises(ValueError, match="n_jobs is 0"):
        build_matrix_rectangle(aguascalientes, points, [0], [1], n_jobs=0)
