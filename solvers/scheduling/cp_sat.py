"""CP-SAT model of the visit calendar: balance first, compact days second."""

from __future__ import annotations

import logging
import math
import time

import numpy as np
from ortools.sat.python import cp_model

from solvers.scheduling.balance import DayBand
from solvers.scheduling.options import VisitOptions
from solvers.scheduling.settings import ScheduleSettings

logger = logging.getLogger(__name__)

# Integer cost of a visit at the mean compactness cost in stage 2.
_COST_UNIT = 100


def solve_with_cp_sat(
    options: VisitOptions,
    workload_s: np.ndarray,
    option_cost: np.ndarray,
    band: DayBand,
    hint: np.ndarray,
    settings: ScheduleSettings,
    *,
    demand: tuple[np.ndarray, float] | None = None,
    time_limit_s: float,
    seed: int,
) -> tuple[np.ndarray, str]:
    """Choose one option per point with CP-SAT.

    Stage 1 minimises the imbalance of :meth:`DayBand.imbalance` on integer workloads, plus,
    with ``demand`` (volume per visit and daily limit), each slot's volume above the limit in
    workload units (:func:`_volume_excess`). Stage
    2 keeps that imbalance and minimises the compactness cost. Each stage stops at
    ``settings.solver_effort`` deterministic time or half of ``time_limit_s``. Returns the
    chosen option rows (the hint when CP-SAT finds nothing) and the CP-SAT status of the
    last stage that ran.
    """
    started = time.monotonic()
    model = cp_model.CpModel()
    choices = [model.new_bool_var(f"option_{row}") for row in range(options.point.size)]
    for point in range(workload_s.size):
        model.add_exactly_one(choices[row] for row in options.of_point(point))
    hinted = set(hint.tolist())
    for row, choice in enumerate(choices):
        model.add_hint(choice, row in hinted)

    imbalance = _imbalance(model, options, workload_s, band, choices, demand)
    model.minimize(imbalance)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = settings.n_workers
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = settings.solver_effort
    solver.parameters.max_time_in_seconds = max(time_limit_s / 2, 0.05)

    status = solver.solve(model)
    stage_one = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        logger.debug(
            "Visit days: CP-SAT found no solution (%s), so the greedy assignment is kept",
            stage_one,
        )
        return hint, stage_one
    chosen = _read(solver, choices, options)

    model.add(imbalance <= round(solver.objective_value))
    model.clear_hints()
    for choice in choices:
        model.add_hint(choice, solver.boolean_value(choice))
    model.minimize(_compactness(options, option_cost, choices))
    status = solver.solve(model)
    stage_two = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = _read(solver, choices, options)
    logger.debug(
        "Visit days CP-SAT: %d points, %d options (balance %s, compactness %s) in %.1f s",
        workload_s.size,
        len(choices),
        stage_one,
        stage_two,
        time.monotonic() - started,
    )
    return chosen, stage_two


def _imbalance(
    model: cp_model.CpModel,
    options: VisitOptions,
    workload_s: np.ndarray,
    band: DayBand,
    choices: list[cp_model.IntVar],
    demand: tuple[np.ndarray, float] | None = None,
) -> cp_model.LinearExprT:
    """Add the slot loads and their excess variables; return the integer imbalance."""
    scale = _workload_scale(workload_s)
    volume_terms = _volume_excess(model, options, workload_s * scale, choices, demand)
    weights = np.round(workload_s * scale).astype(np.int64)
    total = int(weights @ options.slots[options.first[:-1]].sum(axis=1))
    lower = math.ceil(band.lower * scale - 1e-6)
    upper = math.floor(band.upper * scale + 1e-6)
    capacity = None if math.isinf(band.capacity) else math.floor(band.capacity * scale + 1e-6)

    largest = model.new_int_var(0, total, "largest_excess")
    terms: list[cp_model.IntVar] = []
    for slot in np.flatnonzero(band.open_slots):
        rows = np.flatnonzero(options.slots[:, slot])
        load = cp_model.LinearExpr.weighted_sum(
            [choices[row] for row in rows], [int(weights[options.point[row]]) for row in rows]
        )
        excess = model.new_int_var(0, total, f"excess_{slot}")
        model.add(excess >= load - upper)
        model.add(excess >= lower - load)
        model.add(largest >= excess)
        terms.append(excess)
        if capacity is not None:
            over = model.new_int_var(0, total, f"over_{slot}")
            model.add(over >= load - capacity)
            terms.append(over)
    coefficients = [1] * len(terms) + [band.n_open] + [weight for _, weight in volume_terms]
    variables = [*terms, largest, *(term for term, _ in volume_terms)]
    return cp_model.LinearExpr.weighted_sum(variables, coefficients)


def _volume_excess(
    model: cp_model.CpModel,
    options: VisitOptions,
    scaled_workload: np.ndarray,
    choices: list[cp_model.IntVar],
    demand: tuple[np.ndarray, float] | None,
) -> list[tuple[cp_model.IntVar, int]]:
    """Add each slot's volume above the daily limit; return the variables and their weights.

    Volumes are scaled so that the largest visit is 1,000 units. The weight turns a unit of
    volume into workload units: one visit's mean volume above the limit weighs one visit's
    mean workload, the cost of moving that visit to another day.
    """
    if demand is None:
        return []
    volume, limit = demand
    largest = float(volume.max(initial=0.0))
    if largest <= 0 or float(volume.sum()) <= limit:
        return []
    factor = 1000.0 / largest
    units = np.round(volume * factor).astype(np.int64)
    cap = math.floor(limit * factor + 1e-6)
    positive = volume > 0
    weight = max(1, round(float(scaled_workload[positive].mean()) / float(units[positive].mean())))
    total = int(units.sum()) * options.n_weeks * 7
    terms = []
    for slot in range(options.n_slots):
        rows = np.flatnonzero(options.slots[:, slot])
        if rows.size == 0:
            continue
        load = cp_model.LinearExpr.weighted_sum(
            [choices[row] for row in rows], [int(units[options.point[row]]) for row in rows]
        )
        over = model.new_int_var(0, total, f"volume_over_{slot}")
        model.add(over >= load - cap)
        terms.append((over, weight))
    return terms


def _compactness(
    options: VisitOptions, option_cost: np.ndarray, choices: list[cp_model.IntVar]
) -> cp_model.LinearExprT:
    """Return the integer compactness cost, ``_COST_UNIT`` for a visit at the mean cost."""
    positive = option_cost[option_cost > 0]
    scale = _COST_UNIT / float(positive.mean()) if positive.size else 0.0
    costs = np.minimum(np.round(option_cost * scale), 1e6).astype(np.int64)
    return cp_model.LinearExpr.weighted_sum(choices, [int(cost) for cost in costs])


def _workload_scale(workload_s: np.ndarray) -> float:
    """Return the factor that turns workloads into integers.

    Whole seconds are precise enough when the largest visit takes 100 s or more. Smaller
    workloads are scaled so that the largest is 1,000, and workloads above 10**6 s so that
    the largest is 10**6.
    """
    largest = float(workload_s.max(initial=0.0))
    if largest <= 0:
        return 1.0
    if largest < 100:
        return 1000.0 / largest
    return min(1.0, 1e6 / largest)


def _read(
    solver: cp_model.CpSolver, choices: list[cp_model.IntVar], options: VisitOptions
) -> np.ndarray:
    """Return the chosen option row of each point."""
    chosen = np.zeros(options.first.size - 1, dtype=np.int64)
    for row, choice in enumerate(choices):
        if solver.boolean_value(choice):
            chosen[options.point[row]] = row
    return chosen
