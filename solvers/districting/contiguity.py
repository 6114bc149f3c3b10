"""Removal of enclaves: points surrounded by other districts."""

from __future__ import annotations

import logging
import time

import numpy as np

from solvers.districting.local_search import LocalSearch

logger = logging.getLogger(__name__)

# Passes over the enclaves, because moving one enclave can expose another behind it.
_MAX_PASSES = 5


def find_enclaves(labels: np.ndarray, neighbours: np.ndarray) -> np.ndarray:
    """Return the indices of the enclaves.

    An enclave is a point whose nearest neighbours (the columns of ``neighbours``) all belong
    to districts other than its own. A point without neighbours is never an enclave.
    """
    if neighbours.shape[1] == 0:
        return np.zeros(0, dtype=np.int64)
    foreign = labels[neighbours] != labels[:, None]
    return np.flatnonzero(foreign.all(axis=1))


def remove_enclaves(search: LocalSearch, neighbours: np.ndarray) -> int:
    """Move enclaves to the most common district among their neighbours.

    A move is made only when it keeps the point's lock, the move limit and a non-empty source
    district, and does not increase the violation of any tolerance, whatever it does to the
    cost. Ties between neighbouring districts go to the cheaper one. Returns the number of
    enclaves left.
    """
    started = time.monotonic()
    moved = 0
    for _ in range(_MAX_PASSES):
        enclaves = find_enclaves(search.labels, neighbours)
        changed = 0
        for point in enclaves:
            districts, counts = np.unique(search.labels[neighbours[point]], return_counts=True)
            tied = districts[counts == counts.max()]
            cost = search.point_cost(np.full(tied.size, point), tied)
            if search.move_if_balanced(int(point), int(tied[np.argmin(cost)])):
                changed += 1
        moved += changed
        if changed == 0:
            break
    remaining = int(find_enclaves(search.labels, neighbours).size)
    logger.debug(
        "Contiguity: %d enclaves moved, %d left, in %.1f s",
        moved,
        remaining,
        time.monotonic() - started,
    )
    return remaining
