"""Executors for independent tasks: local processes by default.

Every task gets its inputs and seed explicitly, so results do not depend on the executor or on
the order in which workers finish.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")


def worker_count(requested: int) -> int:
    """Return the number of worker processes: ``requested``, or every core when 0."""
    if requested > 0:
        return requested
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
               else (os.cpu_count() or 1))


def map_tasks(function: Callable[..., T], tasks: Sequence[tuple[Any, ...]], *,
              workers: int = 0) -> list[T]:
    """Run ``function(*task)`` for every task and return the results in task order.

    With one worker, or one task, everything runs in this process (no pickling, easier
    debugging); otherwise in a pool of local processes.
    """
    n_workers = min(worker_count(workers), max(1, len(tasks)))
    if n_workers == 1:
        return [function(*task) for task in tasks]
    with ProcessPoolExecutor(max_workers=n_workers) as pool:
        futures = [pool.submit(function, *task) for task in tasks]
        return [future.result() for future in futures]
