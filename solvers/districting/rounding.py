"""Rounding of the relaxed assignment with CP-SAT, balance first and cost second."""

from __future__ import annotations

import logging
import time

import numpy as np
from ortools.sat.python import cp_model

from solvers.districting.assignment import Candidates
from solvers.districting.balance import Balance
from solvers.districting.model import DistrictingProblem
from solvers.districting.settings import DistrictingSettings

logger = logging.getLogger(__name__)

# Objective weight of a relative imbalance of 1.0 (a district 100 % off its mean) in the
# first stage. An empty district costs the same.
_IMBALANCE_UNIT = 1_000_000_000

# Integer cost of the mean candidate cost in the second stage.
_COST_UNIT = 10_000


def round_assignment(
    problem: DistrictingProblem,
    candidates: Candidates,
    balance: Balance,
    share: np.ndarray | None,
    settings: DistrictingSettings,
    *,
    time_limit_s: float,
    seed: int,
) -> tuple[np.ndarray, str]:
    """Turn the relaxed shares into one district per point.

    Each point first takes its largest share (its nearest candidate without a relaxation).
    A CP-SAT model then reassigns a neighbourhood of points: every free point with every
    candidate when the model is small (``settings.exact_assignment_size``), otherwise the
    split points with all their candidates plus each district's ``n_boundary_points``
    cheapest-to-move points with their second candidate. Stage 1 minimises the imbalance
    beyond the tolerances, and stage 2 minimises the cost without exceeding that imbalance.
    Stage 1 is skipped when the largest shares already meet every bound. The move limit of
    a realignment is a hard constraint.

    Returns the labels and the CP-SAT status of the last stage solved.
    """
    started = time.monotonic()
    n = problem.n_points
    base_column = np.argmax(share, axis=1) if share is not None else np.zeros(n, dtype=np.int64)
    labels = candidates.districts[np.arange(n), base_column]
    chosen, options = _neighbourhood(problem, candidates, share, base_column, settings)
    if chosen.size == 0:
        return labels, "no free points"

    rounding = _RoundingModel(problem, candidates, balance, labels, chosen, options)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = settings.rounding_effort
    solver.parameters.relative_gap_limit = settings.rounding_gap
    solver.parameters.max_time_in_seconds = max(time_limit_s / 2, 0.05)

    if _meets_bounds(problem, balance, labels):
        # The largest shares already meet every bound, so stage 1 would only confirm it.
        stage_one = "skipped"
        rounding.limit_imbalance(0)
    else:
        status = solver.solve(rounding.model)
        stage_one = solver.status_name(status)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            logger.debug(
                "Rounding found no solution (CP-SAT %s), so each point keeps its largest share",
                stage_one,
            )
            return labels, stage_one
        rounding.limit_imbalance(round(solver.objective_value))
        rounding.hint_solution(solver)

    status = solver.solve(rounding.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        rounding.read_labels(solver, labels)
    stage_two = solver.status_name(status)
    logger.debug(
        "Rounding: %d of %d points reassigned by CP-SAT (imbalance %s, cost %s) in %.1f s",
        chosen.size,
        n,
        stage_one,
        stage_two,
        time.monotonic() - started,
    )
    return labels, stage_two


def _meets_bounds(problem: DistrictingProblem, balance: Balance, labels: np.ndarray) -> bool:
    """Return whether the labels meet every bound, fill every district and fit the move limit."""
    k = problem.n_districts
    totals = np.zeros((k, balance.n_bounded), dtype=np.int64)
    np.add.at(totals, labels, balance.integer_weights)
    within = np.all(totals >= balance.integer_lower) and np.all(totals <= balance.integer_upper)
    filled = np.all(np.bincount(labels, minlength=k) > 0)
    fits = True
    if problem.current is not None and problem.max_moved is not None:
        moved = int(np.sum((problem.current >= 0) & (labels != problem.current)))
        fits = moved <= problem.max_moved
    return bool(within and filled and fits)


def _neighbourhood(
    problem: DistrictingProblem,
    candidates: Candidates,
    share: np.ndarray | None,
    base_column: np.ndarray,
    settings: DistrictingSettings,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the points the rounding model may reassign and their ``(len, C)`` option mask."""
    free = problem.free
    valid = candidates.valid
    if int(valid[free].sum()) <= settings.exact_assignment_size:
        chosen = np.flatnonzero(free)
        return chosen, valid[chosen]

    n = problem.n_points
    split = np.zeros(n, dtype=bool)
    if share is not None:
        split = free & (share.max(axis=1) < 1.0 - 1e-6)

    # Cost of moving each whole point to its cheapest other candidate.
    alternative_cost = np.where(valid, candidates.cost, np.inf)
    alternative_cost[np.arange(n), base_column] = np.inf
    second_column = np.argmin(alternative_cost, axis=1)
    gap = (
        alternative_cost[np.arange(n), second_column] - candidates.cost[np.arange(n), base_column]
    )
    movable = np.flatnonzero(free & ~split & np.isfinite(gap))
    labels = candidates.districts[movable, base_column[movable]]
    order = np.lexsort((gap[movable], labels))
    sorted_labels = labels[order]
    rank = np.arange(order.size) - np.searchsorted(sorted_labels, sorted_labels, side="left")
    boundary = movable[order[rank < settings.n_boundary_points]]

    chosen = np.concatenate([np.flatnonzero(split), boundary])
    options = valid[chosen].copy()
    n_split = int(split.sum())
    options[n_split:] = False
    options[np.arange(n_split, chosen.size), base_column[boundary]] = True
    options[np.arange(n_split, chosen.size), second_column[boundary]] = True
    return chosen, options


class _RoundingModel:
    """CP-SAT model that reassigns a neighbourhood of points around fixed labels."""

    def __init__(
        self,
        problem: DistrictingProblem,
        candidates: Candidates,
        balance: Balance,
        labels: np.ndarray,
        chosen: np.ndarray,
        options: np.ndarray,
    ) -> None:
        self.model = cp_model.CpModel()
        self.chosen = chosen
        self.choices: list[list[tuple[cp_model.IntVar, int]]] = []
        k = problem.n_districts
        members: list[list[cp_model.IntVar]] = [[] for _ in range(k)]
        member_points: list[list[int]] = [[] for _ in range(k)]
        cost_terms: list[tuple[cp_model.IntVar, int]] = []
        integer_cost = _integer_costs(candidates.cost)

        for row, point in enumerate(chosen):
            point_choices = []
            for column in np.flatnonzero(options[row]):
                district = int(candidates.districts[point, column])
                choice = self.model.new_bool_var(f"x_{point}_{district}")
                point_choices.append((choice, district))
                members[district].append(choice)
                member_points[district].append(int(point))
                cost_terms.append((choice, int(integer_cost[point, column])))
            self.model.add_exactly_one(choice for choice, _ in point_choices)
            self.choices.append(point_choices)
            for choice, district in point_choices:
                self.model.add_hint(choice, district == labels[point])

        fixed = np.ones(problem.n_points, dtype=bool)
        fixed[chosen] = False
        self.imbalance = self._imbalance(balance, labels, fixed, members, member_points)
        self._limit_moves(problem, labels, fixed)
        self.model.minimize(self.imbalance)
        self.cost = cp_model.LinearExpr.weighted_sum(
            [choice for choice, _ in cost_terms], [weight for _, weight in cost_terms]
        )

    def _imbalance(
        self,
        balance: Balance,
        labels: np.ndarray,
        fixed: np.ndarray,
        members: list[list[cp_model.IntVar]],
        member_points: list[list[int]],
    ) -> cp_model.LinearExprT:
        """Add the elastic balance bounds and return the weighted imbalance."""
        k = len(members)
        base = np.zeros((k, balance.n_bounded), dtype=np.int64)
        np.add.at(base, labels[fixed], balance.integer_weights[fixed])
        sizes = np.bincount(labels[fixed], minlength=k)
        largest = int(balance.integer_weights.sum()) + 1
        terms: list[cp_model.LinearExprT] = []

        for district in range(k):
            for position in range(balance.n_bounded):
                weights = balance.integer_weights[member_points[district], position]
                load = cp_model.LinearExpr.weighted_sum(
                    members[district], [int(weight) for weight in weights]
                ) + int(base[district, position])
                above = self.model.new_int_var(0, largest, f"above_{district}_{position}")
                below = self.model.new_int_var(0, largest, f"below_{district}_{position}")
                self.model.add(load - above <= int(balance.integer_upper[position]))
                self.model.add(load + below >= int(balance.integer_lower[position]))
                unit = max(1, round(_IMBALANCE_UNIT / max(balance.integer_mean[position], 1.0)))
                terms.append(unit * (above + below))
            if sizes[district] == 0:
                empty = self.model.new_bool_var(f"empty_{district}")
                self.model.add(sum(members[district]) + empty >= 1)
                terms.append(_IMBALANCE_UNIT * empty)
        return sum(terms) if terms else 0

    def _limit_moves(
        self, problem: DistrictingProblem, labels: np.ndarray, fixed: np.ndarray
    ) -> None:
        """Add the realignment's move limit over fixed and reassigned points."""
        if problem.current is None or problem.max_moved is None:
            return
        current = problem.current
        fixed_moves = int(np.sum(fixed & (current >= 0) & (labels != current)))
        moving = [
            choice
            for point, point_choices in zip(self.chosen, self.choices, strict=True)
            for choice, district in point_choices
            if current[point] >= 0 and district != current[point]
        ]
        self.model.add(sum(moving) + fixed_moves <= problem.max_moved)

    def limit_imbalance(self, limit: int) -> None:
        """Keep the imbalance at most ``limit`` and switch the objective to the cost."""
        if not isinstance(self.imbalance, int):
            self.model.add(self.imbalance <= limit)
        self.model.minimize(self.cost)

    def hint_solution(self, solver: cp_model.CpSolver) -> None:
        """Replace the hints by the solver's last solution."""
        self.model.clear_hints()
        for point_choices in self.choices:
            for choice, _ in point_choices:
                self.model.add_hint(choice, solver.boolean_value(choice))

    def read_labels(self, solver: cp_model.CpSolver, labels: np.ndarray) -> None:
        """Write the chosen district of each reassigned point into ``labels``."""
        for point, point_choices in zip(self.chosen, self.choices, strict=True):
            for choice, district in point_choices:
                if solver.boolean_value(choice):
                    labels[point] = district


def _integer_costs(cost: np.ndarray) -> np.ndarray:
    """Scale costs so that the mean positive cost is ``_COST_UNIT``, capped at 10**9."""
    positive = cost[cost > 0]
    scale = _COST_UNIT / float(positive.mean()) if positive.size else 1.0
    return np.minimum(np.round(cost * scale), 1e9).astype(np.int64)
