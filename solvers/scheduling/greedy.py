"""Greedy assignment of visit options and its local search, for large territories."""

from __future__ import annotations

import logging
import time

import numpy as np

from solvers.scheduling.balance import DayBand
from solvers.scheduling.options import VisitOptions

logger = logging.getLogger(__name__)


def assign_greedily(
    options: VisitOptions,
    workload_s: np.ndarray,
    option_cost: np.ndarray,
    band: DayBand,
) -> np.ndarray:
    """Return one option row per point, chosen greedily.

    Points with the fewest options go first, then the heaviest weekly workload. Each takes
    the option with the least imbalance after it, then the lowest compactness cost.
    """
    n = workload_s.size
    n_options = np.diff(options.first)
    weekly = workload_s * options.slots[options.first[:-1]].sum(axis=1)
    order = np.lexsort((-weekly, n_options))
    loads = np.zeros(options.n_slots)
    chosen = np.zeros(n, dtype=np.int64)
    for point in order:
        chosen[point] = _best_option(options, workload_s, option_cost, band, loads, int(point))
        loads += workload_s[point] * options.slots[chosen[point]]
    return chosen


def improve_locally(
    options: VisitOptions,
    workload_s: np.ndarray,
    option_cost: np.ndarray,
    band: DayBand,
    chosen: np.ndarray,
    *,
    max_passes: int,
    deadline: float,
) -> np.ndarray:
    """Reassign one point at a time to its best option until no point changes.

    A point changes when another option lowers the imbalance, or keeps it and lowers the
    compactness cost. Stops after ``max_passes`` passes or at the deadline.
    """
    started = time.monotonic()
    chosen = chosen.copy()
    loads = options.slot_loads(chosen, workload_s)
    n_changes = 0
    for _ in range(max_passes):
        changed = 0
        for point in range(workload_s.size):
            if time.monotonic() > deadline:
                break
            loads -= workload_s[point] * options.slots[chosen[point]]
            best = _best_option(
                options, workload_s, option_cost, band, loads, point, incumbent=int(chosen[point])
            )
            if best != chosen[point]:
                changed += 1
                chosen[point] = best
            loads += workload_s[point] * options.slots[chosen[point]]
        n_changes += changed
        if changed == 0 or time.monotonic() > deadline:
            break
    logger.debug(
        "Visit days local search: %d changes in %.1f s", n_changes, time.monotonic() - started
    )
    return chosen


def _best_option(
    options: VisitOptions,
    workload_s: np.ndarray,
    option_cost: np.ndarray,
    band: DayBand,
    loads: np.ndarray,
    point: int,
    *,
    incumbent: int | None = None,
) -> int:
    """Return the option of ``point`` that minimises (imbalance, cost) given other loads.

    The incumbent option is kept unless another is strictly better, so that ties never
    cause changes.
    """

    def key(row: int) -> tuple[float, float]:
        imbalance = band.imbalance(loads + workload_s[point] * options.slots[row])
        return imbalance, float(option_cost[row])

    best_row = incumbent if incumbent is not None else int(options.first[point])
    best_key = key(best_row)
    for row in options.of_point(point):
        candidate = key(row)
        better_balance = candidate[0] < best_key[0] - 1e-9
        same_balance = abs(candidate[0] - best_key[0]) <= 1e-9
        if better_balance or (same_balance and candidate[1] < best_key[1] - 1e-12):
            best_row, best_key = row, candidate
    return best_row
