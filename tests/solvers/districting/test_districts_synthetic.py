"""Territory design on a seeded instance of 300 points in six clusters."""

import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans

from solvers.districting import DistrictingResult, DistrictingSettings, design_districts

N_POINTS = 300
N_DISTRICTS = 6
# Workload ±5 %, revenue ±10 %, customer count reported only.
TOLERANCES = (0.05, 0.10, None)


def make_instance(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Return coordinates in metres and (workload h, revenue, count) of clustered points."""
    rng = np.random.default_rng(seed)
    centres_m = rng.uniform(0, 20_000, (N_DISTRICTS, 2))
    cluster = rng.integers(0, N_DISTRICTS, N_POINTS)
    coords_m = centres_m[cluster] + rng.normal(0, 1_500, (N_POINTS, 2))
    measures = np.column_stack(
        [
            rng.uniform(0.5, 3.0, N_POINTS),
            rng.lognormal(10, 0.5, N_POINTS),
            np.ones(N_POINTS),
        ]
    )
    return coords_m, measures


@pytest.fixture(scope="module")
def instance() -> tuple[np.ndarray, np.ndarray]:
    return make_instance(1)


@pytest.fixture(scope="module")
def design(instance) -> DistrictingResult:
    coords_m, measures = instance
    return design_districts(
        measures, N_DISTRICTS, coords_m=coords_m, tolerances=TOLERANCES, seed=0
    )


@pytest.fixture(scope="module")
def heavier_district(instance, design) -> np.ndarray:
    """Measures after district 0's workload grew by 30 %, which unbalances the design."""
    _, measures = instance
    changed = measures.copy()
    changed[design.labels == 0, 0] *= 1.3
    return changed


def kmeans_compactness_m(coords_m: np.ndarray) -> float:
    """Sum of distances from each plain k-means cluster's medoid to its members."""
    labels = KMeans(N_DISTRICTS, random_state=0, n_init=10).fit(coords_m).labels_
    total = 0.0
    for cluster in range(N_DISTRICTS):
        members = coords_m[labels == cluster]
        total += cdist(members, members).sum(axis=1).min()
    return total


def matched_moves(before: np.ndarray, after: np.ndarray) -> int:
    """Points in a different district after matching district indices one to one."""
    overlap = np.zeros((N_DISTRICTS, N_DISTRICTS))
    np.add.at(overlap, (before, after), 1)
    rows, columns = linear_sum_assignment(-overlap)
    return int(N_POINTS - overlap[rows, columns].sum())


def test_workload_within_tolerance(design):
    assert design.status == "balanced"
    assert design.max_deviation[0] <= 0.05 + 1e-9
    assert design.max_deviation[1] <= 0.10 + 1e-9


def test_totals_match_labels(instance, design):
    _, measures = instance
    district = 2
    assert design.totals[district] == pytest.approx(
        measures[design.labels == district].sum(axis=0)
    )
    assert design.totals.sum(axis=0) == pytest.approx(measures.sum(axis=0))


def test_compactness_near_kmeans(instance, design):
    coords_m, _ = instance

    assert design.compactness_m <= 1.10 * kmeans_compactness_m(coords_m)


def test_same_seed_same_labels(instance, design):
    coords_m, measures = instance

    again = design_districts(
        measures, N_DISTRICTS, coords_m=coords_m, tolerances=TOLERANCES, seed=0
    )

    assert np.array_equal(again.labels, design.labels)


def test_realignment_cap_respected(instance, design, heavier_district):
    # Without a move cost the realignment moves freely; a 2 % cap allows 6 of 300 points.
    coords_m, _ = instance
    settings = DistrictingSettings(move_cost_factor=0.0)
    options = {
        "coords_m": coords_m,
        "tolerances": (0.05, None, None),
        "current": design.labels,
        "settings": settings,
    }

    free = design_districts(heavier_district, N_DISTRICTS, **options)
    capped = design_districts(heavier_district, N_DISTRICTS, max_moved_share=0.02, **options)

    assert free.n_moved > 6
    assert capped.n_moved <= 6
    assert capped.status == "balanced"


def test_realignment_moves_fewer_than_new_design(instance, design, heavier_district):
    coords_m, _ = instance
    tolerances = (0.05, None, None)

    realigned = design_districts(
        heavier_district,
        N_DISTRICTS,
        coords_m=coords_m,
        tolerances=tolerances,
        current=design.labels,
    )
    fresh = design_districts(
        heavier_district, N_DISTRICTS, coords_m=coords_m, tolerances=tolerances, seed=0
    )

    assert realigned.status == "balanced"
    assert realigned.n_moved < matched_moves(design.labels, fresh.labels)
    assert realigned.n_moved == int(np.sum(realigned.labels != design.labels))


def test_locks_respected(instance):
    coords_m, measures = instance
    rng = np.random.default_rng(7)
    locked = np.full(N_POINTS, -1)
    chosen = rng.choice(N_POINTS, 30, replace=False)
    locked[chosen] = rng.integers(0, N_DISTRICTS, chosen.size)

    result = design_districts(
        measures, N_DISTRICTS, coords_m=coords_m, tolerances=TOLERANCES, locked=locked
    )

    assert np.array_equal(result.labels[chosen], locked[chosen])
    assert result.status == "balanced"


def test_travel_time_matrix(instance):
    # Travel time at 10 m/s, 20 % longer in one direction than the other.
    coords_m, measures = instance
    cost_s = cdist(coords_m, coords_m) / 10.0
    cost_s = np.triu(cost_s) * 1.2 + np.tril(cost_s)

    result = design_districts(measures, N_DISTRICTS, cost_s=cost_s, tolerances=TOLERANCES, seed=0)

    expected_s = cost_s[result.centers[result.labels], np.arange(N_POINTS)].sum()
    assert result.status == "balanced"
    assert result.compactness_s == pytest.approx(expected_s)


# max_relaxation_pairs = 0 sends every round through the Lagrangian relaxation, the path
# that instances above 20,000 candidate pairs take.
LAGRANGIAN = DistrictingSettings(max_relaxation_pairs=0)


@pytest.fixture(scope="module")
def lagrangian_design(instance) -> DistrictingResult:
    coords_m, measures = instance
    return design_districts(
        measures, N_DISTRICTS, coords_m=coords_m, tolerances=TOLERANCES, settings=LAGRANGIAN
    )


def test_lagrangian_balanced(lagrangian_design):
    assert lagrangian_design.status == "balanced"


def test_lagrangian_workload_within_tolerance(lagrangian_design):
    assert lagrangian_design.max_deviation[0] <= 0.05 + 1e-9


def test_lagrangian_compactness_near_kmeans(instance, lagrangian_design):
    coords_m, _ = instance
    assert lagrangian_design.compactness_m <= 1.10 * kmeans_compactness_m(coords_m)


def test_lagrangian_cap_respected(instance, design, heavier_district):
    # A 2 % cap allows 6 of the 300 points to move, even without a move cost.
    coords_m, _ = instance
    settings = DistrictingSettings(max_relaxation_pairs=0, move_cost_factor=0.0)
    capped = design_districts(
        heavier_district,
        N_DISTRICTS,
        coords_m=coords_m,
        tolerances=(0.05, None, None),
        current=design.labels,
        max_moved_share=0.02,
        settings=settings,
    )
    assert capped.n_moved <= 6
