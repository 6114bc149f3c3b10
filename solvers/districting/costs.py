"""Costs between points: travel time from a matrix, or straight-line distance from coordinates."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial.distance import cdist
from sklearn.neighbors import NearestNeighbors

from solvers.districting.model import DistrictingProblem

# Rows of the cost matrix processed at once when searching neighbours, which bounds the memory
# of the symmetrised block to about 8 MB per 1,000 points.
_NEIGHBOUR_CHUNK_ROWS = 1024


@dataclass(frozen=True, eq=False)
class CostModel:
    """Cost from one point to another.

    The cost is the travel time ``cost_s[i, j]`` when a matrix is given, and the straight-line
    distance in metres otherwise. Coordinates, when given, also choose medoid candidates and
    nearest neighbours.
    """

    coords_m: np.ndarray | None
    cost_s: np.ndarray | None

    @classmethod
    def from_problem(cls, problem: DistrictingProblem) -> CostModel:
        """Build the cost model of a validated problem."""
        return cls(coords_m=problem.coords_m, cost_s=problem.cost_s)

    @property
    def unit(self) -> str:
        """Unit of the costs: ``"s"`` or ``"m"``."""
        return "s" if self.cost_s is not None else "m"

    def between(self, sources: np.ndarray, targets: np.ndarray | None = None) -> np.ndarray:
        """Return the ``(len(sources), len(targets))`` costs, all points when targets is None."""
        if self.cost_s is not None:
            rows = self.cost_s[sources]
            block = rows if targets is None else rows[:, targets]
            return np.asarray(block, dtype=np.float64)
        assert self.coords_m is not None
        target_xy = self.coords_m if targets is None else self.coords_m[targets]
        return np.asarray(cdist(self.coords_m[sources], target_xy))

    def medoid(self, members: np.ndarray, hint: int | None, n_candidates: int) -> int:
        """Return the member that minimises the sum of costs from it to all members.

        Only ``n_candidates`` members are tried: those nearest the members' mean position, or
        without coordinates those cheapest to reach from ``hint`` (the current centre). The
        hint is always tried when it is a member.
        """
        if members.size <= n_candidates:
            candidates = members
        elif self.coords_m is not None:
            centroid = self.coords_m[members].mean(axis=0)
            distance_m = np.linalg.norm(self.coords_m[members] - centroid, axis=1)
            candidates = members[np.argsort(distance_m, kind="stable")[:n_candidates]]
        else:
            reference = hint if hint is not None else int(members[0])
            from_reference = self.between(np.array([reference]), members)[0]
            candidates = members[np.argsort(from_reference, kind="stable")[:n_candidates]]
        if hint is not None and hint not in candidates and np.any(members == hint):
            # Trying the current centre too makes an update never worse than no update.
            candidates = np.append(candidates, hint)
        sums = self.between(candidates, members).sum(axis=1)
        return int(candidates[int(np.argmin(sums))])

    def neighbours(self, n_neighbours: int) -> np.ndarray:
        """Return the ``(n, q)`` indices of each point's nearest other points.

        Coordinates give Euclidean neighbours. Without them, the travel time in both
        directions, ``cost_s[i, j] + cost_s[j, i]``, ranks the neighbours.
        """
        n = self._n_points()
        q = min(n_neighbours, n - 1)
        if q <= 0:
            return np.zeros((n, 0), dtype=np.int64)
        if self.coords_m is not None:
            search = NearestNeighbors(n_neighbors=q + 1).fit(self.coords_m)
            found = search.kneighbors(self.coords_m, return_distance=False)
            return np.asarray(_drop_self(found, q))
        assert self.cost_s is not None
        result = np.empty((n, q), dtype=np.int64)
        for start in range(0, n, _NEIGHBOUR_CHUNK_ROWS):
            rows = np.arange(start, min(start + _NEIGHBOUR_CHUNK_ROWS, n))
            both_ways = self.cost_s[rows].astype(np.float64) + self.cost_s[:, rows].T
            both_ways[np.arange(rows.size), rows] = np.inf
            nearest = np.argpartition(both_ways, q - 1, axis=1)[:, :q]
            order = np.argsort(np.take_along_axis(both_ways, nearest, axis=1), axis=1)
            result[rows] = np.take_along_axis(nearest, order, axis=1)
        return result

    def _n_points(self) -> int:
        source = self.cost_s if self.cost_s is not None else self.coords_m
        assert source is not None
        return int(source.shape[0])


def _drop_self(found: np.ndarray, q: int) -> np.ndarray:
    """Remove each row's own index from a nearest-neighbour table, keeping ``q`` columns.

    Duplicate coordinates can list the point itself in any column, so this does not simply
    drop the first column.
    """
    own = found == np.arange(found.shape[0])[:, None]
    keep = ~own
    # Rows where the point itself was not found keep their first q entries.
    missing_self = ~own.any(axis=1)
    keep[missing_self, -1] = False
    return found[keep].reshape(found.shape[0], q)


def centre_costs(problem: DistrictingProblem, costs: CostModel, centres: np.ndarray) -> np.ndarray:
    """Return the ``(k, n)`` cost from each district centre to every point.

    Home bases given as coordinates keep their exact position when only coordinates are
    known. With a cost matrix they use the row of the nearest point.
    """
    if problem.home_xy_m is not None and costs.cost_s is None:
        assert problem.coords_m is not None
        return np.asarray(cdist(problem.home_xy_m, problem.coords_m))
    return costs.between(centres)
