"""Compact days: the cost of visiting each point on each weekday, from day centres."""

from __future__ import annotations

import warnings

import numpy as np
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans
from sklearn.exceptions import ConvergenceWarning

from solvers.scheduling.model import ScheduleProblem
from solvers.scheduling.options import VisitOptions


class DayGeometry:
    """Day centres and the ``(n, n_days)`` cost of visiting each point on each weekday.

    The cost is the straight-line distance in metres from the day's centroid when only
    coordinates are given. With a cost matrix, each day's centre is a point and the cost is
    the mean of the travel times from that point and back. The first centres split the
    points into ``n_days`` k-means clusters (k-means++ sampling on the travel times without
    coordinates), with Monday to the last day taken in angular order around the territory's
    centre. Later centres follow the points assigned to each day. Without coordinates and
    cost matrix, or with fewer points than days, every cost is 0.
    """

    def __init__(self, problem: ScheduleProblem, *, seed: int) -> None:
        self.problem = problem
        self.seed = seed
        self.enabled = (
            problem.coords_m is not None or problem.cost_s is not None
        ) and problem.n_points >= problem.n_days
        # Weekly workload, kept positive so that every point counts in a weighted mean.
        weights = problem.workload_s * problem.visits_per_week
        largest = float(weights.max(initial=0.0))
        self.weights = weights + 1e-6 * largest if largest > 0 else np.ones(problem.n_points)

    def initial_costs(self) -> np.ndarray:
        """Return the day costs of the first centres."""
        problem = self.problem
        if not self.enabled:
            return np.zeros((problem.n_points, problem.n_days))
        if problem.coords_m is not None:
            centroids = self._angular_clusters(problem.coords_m)
            if problem.cost_s is None:
                return np.asarray(cdist(problem.coords_m, centroids))
            centres = np.argmin(cdist(centroids, problem.coords_m), axis=1)
        else:
            centres = self._sampled_centres()
        return self._travel_costs(centres)

    def costs_after(self, options: VisitOptions, chosen: np.ndarray) -> np.ndarray:
        """Return the day costs of centres moved to the points visited on each day."""
        problem = self.problem
        if not self.enabled:
            return np.zeros((problem.n_points, problem.n_days))
        visited = np.zeros((problem.n_points, problem.n_days), dtype=bool)
        for row in chosen:
            visited[options.point[row], list(options.days[row])] = True
        if problem.cost_s is None:
            assert problem.coords_m is not None
            centroids = np.array(
                [self._centroid(visited[:, day]) for day in range(problem.n_days)]
            )
            return np.asarray(cdist(problem.coords_m, centroids))
        centres = np.array(
            [self._medoid(np.flatnonzero(visited[:, day])) for day in range(problem.n_days)]
        )
        return self._travel_costs(centres)

    def _centroid(self, members: np.ndarray) -> np.ndarray:
        """Return the workload-weighted mean position of the masked points, or of all points."""
        coords_m = self.problem.coords_m
        assert coords_m is not None
        if not members.any():
            return np.asarray(coords_m.mean(axis=0))
        return np.asarray(np.average(coords_m[members], axis=0, weights=self.weights[members]))

    def _angular_clusters(self, coords_m: np.ndarray) -> np.ndarray:
        """Return ``n_days`` k-means centroids ordered by angle around the weighted centre."""
        with warnings.catch_warnings():
            # Duplicate coordinates can give fewer distinct clusters than days.
            warnings.simplefilter("ignore", ConvergenceWarning)
            kmeans = KMeans(n_clusters=self.problem.n_days, random_state=self.seed, n_init="auto")
            kmeans.fit(coords_m, sample_weight=self.weights)
        centroids = kmeans.cluster_centers_
        centre = np.average(coords_m, axis=0, weights=self.weights)
        angles = np.arctan2(centroids[:, 1] - centre[1], centroids[:, 0] - centre[0])
        return np.asarray(centroids[np.argsort(angles, kind="stable")])

    def _sampled_centres(self) -> np.ndarray:
        """Draw ``n_days`` centre points by k-means++ sampling on the two-way travel time."""
        cost_s = self.problem.cost_s
        assert cost_s is not None
        rng = np.random.default_rng(self.seed)
        n = self.problem.n_points
        centres = [int(rng.choice(n, p=self.weights / self.weights.sum()))]
        nearest = cost_s[centres[0]] + cost_s[:, centres[0]]
        for _ in range(1, self.problem.n_days):
            squared = np.asarray(nearest, dtype=np.float64) ** 2
            squared[centres] = 0.0
            if squared.sum() <= 0:
                squared = np.ones(n)
                squared[centres] = 0.0
            centre = int(rng.choice(n, p=squared / squared.sum()))
            centres.append(centre)
            nearest = np.minimum(nearest, cost_s[centre] + cost_s[:, centre])
        return np.array(centres, dtype=np.int64)

    def _medoid(self, members: np.ndarray) -> int:
        """Return the member with the least two-way travel time to the other members."""
        cost_s = self.problem.cost_s
        assert cost_s is not None
        if members.size == 0:
            return int(np.argmax(self.weights))
        block = cost_s[np.ix_(members, members)]
        return int(members[np.argmin(block.sum(axis=1) + block.sum(axis=0))])

    def _travel_costs(self, centres: np.ndarray) -> np.ndarray:
        """Return the mean of the travel times from each centre to each point and back."""
        cost_s = self.problem.cost_s
        assert cost_s is not None
        outbound = np.asarray(cost_s[centres], dtype=np.float64)
        inbound = np.asarray(cost_s[:, centres], dtype=np.float64).T
        return np.asarray(((outbound + inbound) / 2.0).T)
