"""Initial district centres: k-means on coordinates, or k-means++ sampling on a cost matrix."""

from __future__ import annotations

import warnings

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning

from solvers.districting.costs import CostModel
from solvers.districting.model import DistrictingProblem
from solvers.districting.settings import DistrictingSettings


def seed_centres(
    problem: DistrictingProblem,
    costs: CostModel,
    settings: DistrictingSettings,
    *,
    seed: int,
) -> np.ndarray:
    """Return the ``(k,)`` point index of each district's first centre.

    Home bases are used as given. A district with current or locked points is anchored at
    the medoid of those points, so that district indices keep their meaning. The other
    districts take the centres of a k-means run on the coordinates (weighted by the first
    measure), snapped to the nearest unused point. Without coordinates, they are drawn by
    k-means++ sampling on the travel time in both directions.
    """
    if problem.home_points is not None:
        return problem.home_points.copy()

    anchors = _anchor_centres(problem, costs, settings)
    if costs.coords_m is not None:
        return _kmeans_centres(problem, costs.coords_m, anchors, seed=seed)
    return _sampled_centres(problem, costs, anchors, seed=seed)


def _anchor_centres(
    problem: DistrictingProblem, costs: CostModel, settings: DistrictingSettings
) -> np.ndarray:
    """Return each district's anchor point (medoid of its current and locked points) or -1."""
    anchors = np.full(problem.n_districts, -1, dtype=np.int64)
    for district in range(problem.n_districts):
        members = problem.locked == district
        if problem.current is not None:
            members |= problem.current == district
        if members.any():
            anchors[district] = costs.medoid(
                np.flatnonzero(members), None, settings.n_medoid_candidates
            )
    return anchors


def _kmeans_centres(
    problem: DistrictingProblem, coords_m: np.ndarray, anchors: np.ndarray, *, seed: int
) -> np.ndarray:
    """Fill the districts without an anchor with snapped k-means centres."""
    k = problem.n_districts
    weights = problem.measures[:, 0]
    sample_weight = weights if weights.sum() > 0 else None
    with warnings.catch_warnings():
        # Duplicate coordinates can give fewer distinct clusters than k, but the snapping below
        # still returns k distinct points.
        warnings.simplefilter("ignore", ConvergenceWarning)
        kmeans = KMeans(n_clusters=k, random_state=seed, n_init="auto")
        kmeans.fit(coords_m, sample_weight=sample_weight)
    centroids = kmeans.cluster_centers_

    anchored = np.flatnonzero(anchors >= 0)
    unused_centroids = np.ones(k, dtype=bool)
    if anchored.size:
        # Give each anchored district its nearest k-means centre, so that the free centres
        # go where no anchor is.
        distance_m = cdist(coords_m[anchors[anchored]], centroids)
        _, matched = linear_sum_assignment(distance_m)
        unused_centroids[matched] = False

    centres = anchors.copy()
    used = set(anchors[anchored].tolist())
    for district, centroid in zip(
        np.flatnonzero(anchors < 0), centroids[unused_centroids], strict=True
    ):
        distance_m = np.linalg.norm(coords_m - centroid, axis=1)
        for point in np.argsort(distance_m, kind="stable"):
            if int(point) not in used:
                centres[district] = point
                used.add(int(point))
                break
    return centres


def _sampled_centres(
    problem: DistrictingProblem, costs: CostModel, anchors: np.ndarray, *, seed: int
) -> np.ndarray:
    """Fill the districts without an anchor by k-means++ sampling on the cost matrix."""
    assert costs.cost_s is not None
    rng = np.random.default_rng(seed)
    n = problem.n_points
    centres = anchors.copy()
    chosen = [int(point) for point in anchors if point >= 0]
    nearest = np.full(n, np.inf)
    for point in chosen:
        nearest = np.minimum(nearest, _both_ways(costs.cost_s, point))

    for district in np.flatnonzero(anchors < 0):
        available = np.ones(n, dtype=bool)
        available[chosen] = False
        squared = np.where(available, np.where(np.isfinite(nearest), nearest, 1.0) ** 2, 0.0)
        if squared.sum() <= 0:
            squared = available.astype(float)
        point = int(rng.choice(n, p=squared / squared.sum()))
        centres[district] = point
        chosen.append(point)
        nearest = np.minimum(nearest, _both_ways(costs.cost_s, point))
    return centres


def _both_ways(cost_s: np.ndarray, point: int) -> np.ndarray:
    """Return the travel time from ``point`` to every point and back."""
    return np.asarray(cost_s[point], dtype=np.float64) + cost_s[:, point]
