"""Territory design on tiny instances whose result is worked out by hand."""

import numpy as np
import pytest

from solvers.districting import DistrictingSettings, design_districts

# Two clusters of three points, 10 km apart.
TWO_CLUSTERS_M = np.array(
    [[0, 0], [0, 100], [100, 0], [10_000, 0], [10_000, 100], [10_100, 0]], dtype=float
)


def test_two_clusters_equal_weights():
    result = design_districts(np.ones((6, 1)), 2, coords_m=TWO_CLUSTERS_M, tolerances=(0.1,))

    assert result.labels[0] == result.labels[1] == result.labels[2]
    assert result.labels[3] == result.labels[4] == result.labels[5]
    assert result.labels[0] != result.labels[3]
    assert result.status == "balanced"
    assert result.balanced


def test_two_clusters_totals_and_compactness():
    result = design_districts(np.ones((6, 1)), 2, coords_m=TWO_CLUSTERS_M, tolerances=(0.1,))

    # Each medoid is the corner point of its cluster: 100 m to one neighbour, 100 m to the
    # other, so the sum over six points is 4 × 100 m.
    assert result.totals.ravel().tolist() == [3.0, 3.0]
    assert result.compactness_m == pytest.approx(400.0)
    assert result.compactness_s is None
    assert result.max_deviation.tolist() == [0.0]


def test_unequal_weights_move_nearest_point():
    # Point 3 sits 3 km from the first cluster and 7 km from the rest of the second. With
    # weights 1, 1, 1 and 2, 2, 2 the mean district is 4.5 and ±20 % allows 3.6 to 5.4, so
    # exactly one point of weight 2 must join the first cluster: point 3 is the cheapest.
    coords_m = TWO_CLUSTERS_M.copy()
    coords_m[3] = [3_000, 0]
    measures = np.array([[1], [1], [1], [2], [2], [2]], dtype=float)

    result = design_districts(measures, 2, coords_m=coords_m, tolerances=(0.2,))

    first = result.labels[0]
    assert np.flatnonzero(result.labels == first).tolist() == [0, 1, 2, 3]
    assert sorted(result.totals.ravel().tolist()) == [4.0, 5.0]
    assert result.status == "balanced"


def test_one_district_per_point():
    measures = np.array([[1.0], [2.0], [3.0]])

    result = design_districts(measures, 3, coords_m=TWO_CLUSTERS_M[:3], tolerances=(None,), seed=3)

    assert sorted(result.labels.tolist()) == [0, 1, 2]
    assert result.centers[result.labels].tolist() == [0, 1, 2]
    assert result.totals[result.labels, 0].tolist() == [1.0, 2.0, 3.0]
    assert result.compactness_m == 0.0


def test_single_district():
    result = design_districts(np.ones((6, 1)), 1, coords_m=TWO_CLUSTERS_M, tolerances=(0.0,))

    assert result.labels.tolist() == [0] * 6
    assert result.status == "balanced"


def test_locks_fix_district_indices():
    locked = np.array([1, -1, -1, 0, -1, -1])

    result = design_districts(
        np.ones((6, 1)), 2, coords_m=TWO_CLUSTERS_M, tolerances=(0.1,), locked=locked
    )

    assert result.labels.tolist() == [1, 1, 1, 0, 0, 0]


def test_lock_against_geography():
    # Point 0 is locked into the far cluster's district. Balance ±10 % on counts then sends
    # one far point the other way, and point 3 is the one nearest the first cluster.
    locked = np.array([1, -1, -1, 1, -1, -1])

    result = design_districts(
        np.ones((6, 1)), 2, coords_m=TWO_CLUSTERS_M, tolerances=(0.1,), locked=locked
    )

    assert result.labels[0] == 1
    assert result.labels[3] == 1
    assert np.bincount(result.labels).tolist() == [3, 3]


def test_cost_matrix_only():
    # Travel times in seconds: 60 s inside a cluster, 900 s out and 1,200 s back between
    # clusters (asymmetric).
    cluster = np.repeat([0, 1], 3)
    cost_s = np.where(cluster[:, None] == cluster[None, :], 60.0, 900.0)
    cost_s[3:, :3] = 1_200.0
    np.fill_diagonal(cost_s, 0.0)

    result = design_districts(np.ones((6, 1)), 2, cost_s=cost_s, tolerances=(0.0,))

    assert result.labels[0] == result.labels[1] == result.labels[2]
    assert result.labels[3] != result.labels[0]
    assert result.compactness_s == pytest.approx(4 * 60.0)
    assert result.compactness_m is None


def test_home_bases_stay_centres():
    result = design_districts(
        np.ones((6, 1)),
        2,
        coords_m=TWO_CLUSTERS_M,
        tolerances=(0.1,),
        home_bases=np.array([4, 1]),
    )

    assert result.centers.tolist() == [4, 1]
    assert result.labels.tolist() == [1, 1, 1, 0, 0, 0]


def test_home_bases_as_coordinates():
    # A depot at (5 km, 0) serves district 0; the second base sits inside the far cluster.
    home_xy_m = np.array([[5_000.0, 0.0], [10_090.0, 10.0]])

    result = design_districts(
        np.ones((6, 1)), 2, coords_m=TWO_CLUSTERS_M, tolerances=(None,), home_bases=home_xy_m
    )

    assert result.labels.tolist() == [0, 0, 0, 1, 1, 1]
    # Centres report the nearest point: (100, 0) is 4.9 km from the depot, and (10,100, 0)
    # is 14 m from the second base.
    assert result.centers.tolist() == [2, 5]
    # Distances run from the bases themselves: 5,000 + 5,001 + 4,900 m to the first cluster
    # and 90.6 + 127.3 + 14.1 m inside the second.
    assert result.compactness_m == pytest.approx(15_133.0, abs=1.0)


def test_impossible_tolerance_reported():
    # The mean district has workload 6 h, so ±5 % allows at most 6.3 h: point 2 alone has 10 h.
    measures = np.array([[1.0], [1.0], [10.0]])

    result = design_districts(
        measures,
        2,
        coords_m=TWO_CLUSTERS_M[:3],
        tolerances=(0.05,),
        measure_names=("workload",),
        measure_units=("h",),
    )

    assert result.status == "tolerance_not_met"
    assert not result.balanced
    assert "workload 10 h is 66.7 % above the mean 6 h; tolerance 5 %" in result.message
    assert "workload 2 h is 66.7 % below the mean 6 h; tolerance 5 %" in result.message
    assert "point 2 has workload 10 h, above the upper bound 6.3 h of a district" in (
        result.message
    )


def test_indivisible_counts_reported():
    # Seven customers in two districts: the mean is 3.5, and a tolerance of 0 % cannot be met
    # with whole customers, so the best design has 4 and 3.
    result = design_districts(
        np.ones((7, 1)),
        2,
        coords_m=np.arange(14, dtype=float).reshape(7, 2),
        tolerances=(0.0,),
        measure_names=("customers",),
    )

    assert result.status == "tolerance_not_met"
    assert sorted(result.totals.ravel().tolist()) == [3.0, 4.0]
    assert "customers 4 is 14.3 % above the mean 3.5; tolerance 0 %" in result.message


def test_enclave_moved_with_contiguity():
    # Point 1 lies inside the first cluster but is currently in district 1. A high move cost
    # keeps it there, unless contiguity moves the enclave to the district all around it.
    rng = np.random.default_rng(4)
    near_m = rng.normal(0, 200, (10, 2))
    far_m = rng.normal(0, 200, (10, 2)) + np.array([10_000.0, 0.0])
    coords_m = np.vstack([near_m, far_m])
    current = np.repeat([0, 1], 10)
    current[1] = 1
    settings = DistrictingSettings(move_cost_factor=1_000.0)

    kept = design_districts(
        np.ones((20, 1)),
        2,
        coords_m=coords_m,
        tolerances=(None,),
        current=current,
        settings=settings,
    )
    joined = design_districts(
        np.ones((20, 1)),
        2,
        coords_m=coords_m,
        tolerances=(None,),
        current=current,
        contiguity=True,
        settings=settings,
    )

    assert kept.labels[1] == 1
    assert kept.n_enclaves is None
    assert joined.labels[1] == 0
    assert joined.n_enclaves == 0
    assert joined.n_moved == 1


def test_move_limit_reported():
    # Balance needs one of the three points of district 0 to move, but the limit is 0 moves.
    coords_m = np.array([[0.0, 0.0], [100.0, 0.0], [200.0, 0.0], [300.0, 0.0]])

    result = design_districts(
        np.ones((4, 1)),
        2,
        coords_m=coords_m,
        tolerances=(0.1,),
        current=np.array([0, 0, 0, 1]),
        max_moved_share=0.0,
    )

    assert result.n_moved == 0
    assert result.status == "tolerance_not_met"
    assert "The move limit of 0 points is used up" in result.message
