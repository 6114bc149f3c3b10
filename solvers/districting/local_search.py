"""Local search on the district labels: single moves and swaps of boundary points."""

from __future__ import annotations

import logging
import time

import numpy as np

from solvers.districting.assignment import Candidates
from solvers.districting.balance import Balance
from solvers.districting.model import DistrictingProblem

logger = logging.getLogger(__name__)

# Changes of the summed relative violation below this size are float noise.
_VIOLATION_EPS = 1e-12

# Boundary points per side tried by the swap neighbourhood for each pair of districts.
_SWAP_SIDE = 40


class LocalSearch:
    """Moves and swaps that reduce the imbalance first and the cost second.

    A move sends one free point to another of its candidate districts. It is accepted when
    it reduces the summed violation of the tolerances, or keeps it and reduces the cost. A
    move never empties a district and never exceeds the move limit of a realignment. When
    no move reduces a violation, swaps of two boundary points between a violating district
    and a neighbouring one are tried.
    """

    def __init__(
        self,
        problem: DistrictingProblem,
        candidates: Candidates,
        balance: Balance,
        centre_cost: np.ndarray,
        labels: np.ndarray,
        *,
        move_cost: float,
    ) -> None:
        self.problem = problem
        self.candidates = candidates
        self.balance = balance
        self.centre_cost = centre_cost
        self.move_cost = move_cost
        self.labels = labels.copy()
        k = problem.n_districts
        self.totals = balance.totals(self.labels, k)
        self.sizes = np.bincount(self.labels, minlength=k)
        self.has_current = (
            problem.current >= 0
            if problem.current is not None
            else np.zeros(problem.n_points, dtype=bool)
        )
        self.n_moved = int(np.sum(self.has_current & (self.labels != problem.current)))
        self.max_moved = problem.max_moved if problem.max_moved is not None else problem.n_points
        self.movable = problem.free & (candidates.valid.sum(axis=1) > 1)

    def run(self, *, max_passes: int, deadline: float) -> np.ndarray:
        """Run passes until none improves, ``max_passes`` or the deadline; return the labels."""
        started = time.monotonic()
        n_applied = 0
        for _ in range(max_passes):
            if time.monotonic() > deadline:
                break
            applied = self._move_pass()
            if applied == 0 and self.balance.violation(self.totals).sum() > _VIOLATION_EPS:
                applied = self._swap_pass()
            n_applied += applied
            if applied == 0:
                break
        logger.debug(
            "Local search: %d moves and swaps, violation %.4f, in %.1f s",
            n_applied,
            float(self.balance.violation(self.totals).sum()),
            time.monotonic() - started,
        )
        return self.labels

    def point_cost(self, points: np.ndarray, districts: np.ndarray) -> np.ndarray:
        """Return the cost of each point in the given district, move cost included."""
        cost = self.centre_cost[districts, points]
        if self.problem.current is not None and self.move_cost > 0:
            moved = self.has_current[points] & (districts != self.problem.current[points])
            cost = cost + self.move_cost * moved
        return np.asarray(cost)

    def _move_delta(self, point: int, district: int) -> int:
        """Return the change of the moved-point count if ``point`` joins ``district``."""
        if not self.has_current[point]:
            return 0
        assert self.problem.current is not None
        current = self.problem.current[point]
        return int(district != current) - int(self.labels[point] != current)

    def _move_pass(self) -> int:
        """Evaluate all moves at once, then apply improving ones in order while still valid."""
        points = np.flatnonzero(self.movable)
        if points.size == 0:
            return 0
        source = self.labels[points]
        targets = self.candidates.districts[points]
        allowed = self.candidates.valid[points] & (targets != source[:, None])
        allowed &= (self.sizes[source] > 1)[:, None]

        weights = self.balance.weights[points]
        violation = self.balance.violation
        before = violation(self.totals[source])[:, None] + violation(self.totals[targets])
        after = violation(self.totals[source] - weights)[:, None] + violation(
            self.totals[targets] + weights[:, None, :]
        )
        delta_violation = after - before
        own_cost = self.point_cost(points, source)
        delta_cost = self.candidates.cost[points] - own_cost[:, None]
        improving = allowed & (
            (delta_violation < -_VIOLATION_EPS)
            | ((delta_violation <= _VIOLATION_EPS) & (delta_cost < -1e-9))
        )
        rows, columns = np.nonzero(improving)
        order = np.lexsort((delta_cost[rows, columns], delta_violation[rows, columns]))

        applied = 0
        touched = np.zeros(self.problem.n_points, dtype=bool)
        for row, column in zip(rows[order], columns[order], strict=True):
            point = int(points[row])
            if touched[point]:
                continue
            district = int(targets[row, column])
            if self._try_move(point, district, float(delta_cost[row, column])):
                touched[point] = True
                applied += 1
        return applied

    def _try_move(self, point: int, district: int, delta_cost: float) -> bool:
        """Apply one move if it still improves with the current totals."""
        source = int(self.labels[point])
        if self.sizes[source] <= 1:
            return False
        moved = self._move_delta(point, district)
        if self.n_moved + moved > self.max_moved and moved > 0:
            return False
        weight = self.balance.weights[point]
        violation = self.balance.violation
        before = violation(self.totals[source]) + violation(self.totals[district])
        after = violation(self.totals[source] - weight) + violation(self.totals[district] + weight)
        change = float(after - before)
        if not (change < -_VIOLATION_EPS or (change <= _VIOLATION_EPS and delta_cost < -1e-9)):
            return False
        self._apply(point, district)
        return True

    def move_if_balanced(self, point: int, district: int) -> bool:
        """Move ``point`` whatever the cost, if the violation does not grow; return whether."""
        source = int(self.labels[point])
        if source == district or self.sizes[source] <= 1 or not self.movable[point]:
            return False
        moved = self._move_delta(point, district)
        if moved > 0 and self.n_moved + moved > self.max_moved:
            return False
        weight = self.balance.weights[point]
        violation = self.balance.violation
        before = violation(self.totals[source]) + violation(self.totals[district])
        after = violation(self.totals[source] - weight) + violation(self.totals[district] + weight)
        if float(after - before) > _VIOLATION_EPS:
            return False
        self._apply(point, district)
        return True

    def _apply(self, point: int, district: int) -> None:
        """Move ``point`` to ``district`` and update the totals, sizes and move count."""
        source = int(self.labels[point])
        self.n_moved += self._move_delta(point, district)
        self.totals[source] -= self.balance.weights[point]
        self.totals[district] += self.balance.weights[point]
        self.sizes[source] -= 1
        self.sizes[district] += 1
        self.labels[point] = district

    def _swap_pass(self) -> int:
        """Apply the best violation-reducing swap for each violating district, if any."""
        applied = 0
        violations = self.balance.violation(self.totals)
        for source in np.argsort(-violations, kind="stable"):
            if violations[source] <= _VIOLATION_EPS:
                break
            swap = self._best_swap(int(source))
            if swap is not None:
                first, second = swap
                target = int(self.labels[second])
                self._apply(first, target)
                self._apply(second, int(source))
                applied += 1
                violations = self.balance.violation(self.totals)
        return applied

    def _boundary(self, source: int, target: int) -> np.ndarray:
        """Return movable members of ``source`` that list ``target``, cheapest to move first."""
        members = np.flatnonzero(self.movable & (self.labels == source))
        lists = self.candidates.districts[members]
        members = members[((lists == target) & self.candidates.valid[members]).any(axis=1)]
        extra = self.point_cost(members, np.full(members.size, target)) - self.point_cost(
            members, np.full(members.size, source)
        )
        return members[np.argsort(extra, kind="stable")[:_SWAP_SIDE]]

    def _best_swap(self, source: int) -> tuple[int, int] | None:
        """Return the swap that most reduces the violation around ``source``, or None."""
        members = np.flatnonzero(self.movable & (self.labels == source))
        neighbours = np.unique(self.candidates.districts[members][self.candidates.valid[members]])
        best: tuple[float, float, int, int] | None = None
        violation = self.balance.violation
        for target in neighbours[neighbours != source]:
            outgoing = self._boundary(source, int(target))
            incoming = self._boundary(int(target), source)
            if outgoing.size == 0 or incoming.size == 0:
                continue
            shift = (
                self.balance.weights[incoming][None, :, :]
                - self.balance.weights[outgoing][:, None, :]
            )
            before = violation(self.totals[source]) + violation(self.totals[target])
            after = violation(self.totals[source] + shift) + violation(self.totals[target] - shift)
            delta_violation = after - before
            delta_cost = self._swap_cost(outgoing, incoming, source, int(target))
            moves = self._swap_moves(outgoing, incoming, source, int(target))
            delta_violation[self.n_moved + moves > self.max_moved] = np.inf
            row, column = np.unravel_index(
                np.lexsort((delta_cost.ravel(), delta_violation.ravel()))[0],
                delta_violation.shape,
            )
            key = (float(delta_violation[row, column]), float(delta_cost[row, column]))
            if key[0] < -_VIOLATION_EPS and (best is None or key < best[:2]):
                best = (*key, int(outgoing[row]), int(incoming[column]))
        return None if best is None else (best[2], best[3])

    def _swap_cost(
        self, outgoing: np.ndarray, incoming: np.ndarray, source: int, target: int
    ) -> np.ndarray:
        """Return the ``(len(outgoing), len(incoming))`` cost change of each swap."""
        out_change = self.point_cost(outgoing, np.full(outgoing.size, target)) - self.point_cost(
            outgoing, np.full(outgoing.size, source)
        )
        in_change = self.point_cost(incoming, np.full(incoming.size, source)) - self.point_cost(
            incoming, np.full(incoming.size, target)
        )
        return np.asarray(out_change[:, None] + in_change[None, :])

    def _swap_moves(
        self, outgoing: np.ndarray, incoming: np.ndarray, source: int, target: int
    ) -> np.ndarray:
        """Return the ``(len(outgoing), len(incoming))`` change of the moved-point count."""
        out_moves = np.array([self._move_delta(int(point), target) for point in outgoing])
        in_moves = np.array([self._move_delta(int(point), source) for point in incoming])
        return np.asarray(out_moves[:, None] + in_moves[None, :])
