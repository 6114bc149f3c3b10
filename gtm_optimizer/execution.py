"""Executors for independent tasks: local processes by default, Dask distributed when asked.

Every task gets its inputs and seed explicitly, so results do not depend on the executor or on
the order in which workers finish. An executor is a small frozen settings object:

* :class:`LocalProcesses`: a pool of processes on this machine (the default);
* :class:`DaskCluster`: a running Dask scheduler given by address (``tcp://host:8786``), or a
  local Dask cluster of ``workers`` single-threaded processes, listening on 127.0.0.1 only.

:func:`open_executor` starts one and returns a :class:`TaskPool`, whose :attr:`~TaskPool.slots`
tell how many tasks run at once; :func:`map_tasks` is the one-call form used by the pipeline.
:func:`use_executor` sets the executor that :func:`map_tasks` uses when none is given, so a
command can move every stage's tasks to Dask without threading the setting through each call.
"""

from __future__ import annotations

import logging
import os
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from gtm_optimizer.errors import GtmError
from gtm_optimizer.i18n import _

logger = logging.getLogger(__name__)

T = TypeVar("T")

__all__ = [
    "DaskCluster",
    "Executor",
    "LocalProcesses",
    "SchedulerError",
    "TaskOutcome",
    "TaskPool",
    "executor_from_options",
    "map_tasks",
    "open_executor",
    "use_executor",
    "worker_count",
]


class SchedulerError(GtmError):
    """A Dask scheduler that cannot be reached or a cluster that cannot start."""

    exit_code = 1


@dataclass(frozen=True)
class LocalProcesses:
    """Run tasks in a pool of local processes.

    Parameters
    ----------
    workers
        Number of processes; 0 uses every core available to this process.
    """

    workers: int = 0

    def __post_init__(self) -> None:
        if self.workers < 0:
            raise ValueError(
                f"LocalProcesses workers = {self.workers} must be >= 0; use 0 for every core"
            )


@dataclass(frozen=True)
class DaskCluster:
    """Run tasks on Dask distributed: a running scheduler, or a local cluster started here.

    Parameters
    ----------
    scheduler
        Address of a running scheduler, e.g. ``tcp://10.0.0.5:8786``; None starts a local
        cluster instead.
    workers
        Size of the local cluster: single-threaded worker processes on 127.0.0.1. Only
        without ``scheduler``.
    connect_timeout_s
        Time allowed to connect to the scheduler or to start the local cluster.
    """

    scheduler: str | None = None
    workers: int = 0
    connect_timeout_s: float = 30.0

    def __post_init__(self) -> None:
        if self.scheduler is not None and self.workers:
            raise ValueError(
                f"DaskCluster got scheduler = {self.scheduler!r} and workers = {self.workers}; "
                "give a scheduler address or a local cluster size, not both"
            )
        if self.scheduler is None and self.workers < 1:
            raise ValueError(
                f"DaskCluster workers = {self.workers} must be >= 1 when no scheduler address "
                "is given"
            )
        if self.scheduler is not None and "://" not in self.scheduler:
            raise ValueError(
                f"DaskCluster scheduler = {self.scheduler!r} is not an address; write it like "
                "tcp://host:8786"
            )
        if not self.connect_timeout_s > 0:
            raise ValueError(
                f"DaskCluster connect_timeout_s = {self.connect_timeout_s} must be > 0"
            )


Executor = LocalProcesses | DaskCluster

_default_executor: ContextVar[Executor | None] = ContextVar("default_executor", default=None)


@contextmanager
def use_executor(executor: Executor) -> Iterator[Executor]:
    """Make ``executor`` the one :func:`map_tasks` uses when it is given none, inside the block."""
    token = _default_executor.set(executor)
    try:
        yield executor
    finally:
        _default_executor.reset(token)


def executor_from_options(*, scheduler: str | None = None, workers: int | None = None) -> Executor:
    """Return the executor chosen by the command-line options.

    ``scheduler`` runs on that Dask scheduler, ``workers`` starts a local Dask cluster of that
    many processes, and neither uses local processes on every core.

    Raises
    ------
    ValueError
        If both are given, or the address or the count is invalid.
    """
    if scheduler is not None or workers is not None:
        return DaskCluster(scheduler=scheduler, workers=workers or 0)
    return LocalProcesses()


def worker_count(requested: int) -> int:
    """Return the number of worker processes: ``requested``, or every core when 0."""
    if requested > 0:
        return requested
    return max(
        1,
        len(os.sched_getaffinity(0))
        if hasattr(os, "sched_getaffinity")
        else (os.cpu_count() or 1),
    )


@dataclass(frozen=True)
class TaskOutcome(Generic[T]):
    """The result of one task run by :meth:`TaskPool.run`.

    ``error`` names the exception the task raised (empty when it finished); ``timed_out`` is
    set when the task had not finished at the deadline.
    """

    value: T | None = None
    error: str = ""
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        """Whether the task finished without error before the deadline."""
        return not self.error and not self.timed_out


class TaskPool(ABC):
    """Workers that run independent tasks; results always follow task order."""

    #: Number of tasks that run at the same time.
    slots: int = 1

    @abstractmethod
    def _submit(self, function: Callable[..., T], task: tuple[Any, ...]) -> Any:
        """Start ``function(*task)`` and return a future with ``result(timeout=...)``."""

    def _cancel(self, futures: list[Any]) -> None:  # noqa: B027 - optional for subclasses
        """Cancel futures that have not finished."""

    def map(self, function: Callable[..., T], tasks: Sequence[tuple[Any, ...]]) -> list[T]:
        """Run ``function(*task)`` for every task; the first task error is raised."""
        futures = [self._submit(function, task) for task in tasks]
        try:
            return [future.result() for future in futures]
        except BaseException:
            self._cancel(futures)
            raise

    def run(
        self,
        function: Callable[..., T],
        tasks: Sequence[tuple[Any, ...]],
        *,
        timeout_s: float | None = None,
    ) -> list[TaskOutcome[T]]:
        """Run every task and return an outcome per task, errors and time-outs included.

        Tasks not finished ``timeout_s`` seconds after the call are cancelled and reported as
        timed out. A task that is already running on local processes cannot be stopped, so
        the caller should also give every task its own time limit.
        """
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        futures = [self._submit(function, task) for task in tasks]
        outcomes = [_collect(future, deadline) for future in futures]
        self._cancel([f for f, o in zip(futures, outcomes, strict=True) if o.timed_out])
        return outcomes


def _collect(future: Any, deadline: float | None) -> TaskOutcome[Any]:
    remaining = None if deadline is None else max(0.0, deadline - time.monotonic())
    try:
        return TaskOutcome(future.result(timeout=remaining))
    except TimeoutError:
        return TaskOutcome(timed_out=True)
    except Exception as error:
        logger.error(
            _("Task failed: {error_type}: {error}").format(
                error_type=type(error).__name__, error=error
            )
        )
        return TaskOutcome(error=f"{type(error).__name__}: {error}")


class _SerialPool(TaskPool):
    """Runs each task in this process when its result is requested (no pickling)."""

    slots = 1

    def _submit(self, function: Callable[..., T], task: tuple[Any, ...]) -> Any:
        return _LazyCall(function, task)


class _LazyCall:
    """A future that runs its call on the first ``result``, unless the deadline has passed."""

    def __init__(self, function: Callable[..., Any], task: tuple[Any, ...]) -> None:
        self.function = function
        self.task = task

    def result(self, timeout: float | None = None) -> Any:
        if timeout is not None and timeout <= 0:
            raise TimeoutError
        return self.function(*self.task)


class _ProcessPool(TaskPool):
    def __init__(self, pool: ProcessPoolExecutor, slots: int) -> None:
        self.pool = pool
        self.slots = slots

    def _submit(self, function: Callable[..., T], task: tuple[Any, ...]) -> Future[T]:
        return self.pool.submit(function, *task)

    def _cancel(self, futures: list[Any]) -> None:
        for future in futures:
            future.cancel()


class _DaskPool(TaskPool):
    def __init__(self, client: Any) -> None:
        self.client = client
        self.slots = max(1, sum(client.nthreads().values()))

    def _submit(self, function: Callable[..., T], task: tuple[Any, ...]) -> Any:
        # pure=False: identical inputs still run as separate tasks, and Dask skips hashing
        # the matrices to build task keys.
        return self.client.submit(function, *task, pure=False)

    def _cancel(self, futures: list[Any]) -> None:
        if futures:
            self.client.cancel(futures)


@contextmanager
def open_executor(executor: Executor | None = None, *, n_tasks: int = 0) -> Iterator[TaskPool]:
    """Start the workers of ``executor`` and stop them when the block ends.

    Parameters
    ----------
    executor
        Where to run; None uses the executor of :func:`use_executor`, else local processes on
        every core.
    n_tasks
        Number of tasks to come; local processes start no more workers than tasks, and a
        single worker runs tasks in this process.

    Raises
    ------
    SchedulerError
        If the Dask scheduler cannot be reached or the local cluster does not start.
    """
    chosen = executor or _default_executor.get() or LocalProcesses()
    if isinstance(chosen, DaskCluster):
        with _dask_pool(chosen) as pool:
            yield pool
        return
    n_workers = min(worker_count(chosen.workers), max(1, n_tasks))
    if n_workers == 1:
        yield _SerialPool()
        return
    process_pool = ProcessPoolExecutor(max_workers=n_workers)
    try:
        yield _ProcessPool(process_pool, n_workers)
    finally:
        # Queued tasks are cancelled, but this waits for tasks still running after a deadline.
        # NOTE: the wait is bounded only by each task's own time limit.
        process_pool.shutdown(wait=True, cancel_futures=True)


@contextmanager
def _dask_pool(settings: DaskCluster) -> Iterator[TaskPool]:
    from distributed import Client, LocalCluster

    started = time.perf_counter()
    cluster = None
    try:
        if settings.scheduler is not None:
            client = Client(
                settings.scheduler, timeout=settings.connect_timeout_s, set_as_default=False
            )
        else:
            cluster = LocalCluster(
                n_workers=settings.workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.WARNING,
                # The scheduler always serves HTTP health checks; use any free loopback port.
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
            )
            client = Client(cluster, timeout=settings.connect_timeout_s, set_as_default=False)
    except (OSError, TimeoutError) as error:
        if cluster is not None:
            cluster.close()
        where = settings.scheduler or _("a local cluster")
        raise SchedulerError(
            _(
                "Cannot connect to the Dask scheduler at {address}: {error}. Check that the "
                "scheduler runs and the address is right, or leave out --scheduler to run on "
                "local processes."
            ).format(address=where, error=error)
        ) from error
    pool = _DaskPool(client)
    address = settings.scheduler or (cluster.scheduler_address if cluster else "")
    logger.info(
        _(
            "Connected to Dask scheduler {address}: {threads} worker threads, {seconds:.1f} s"
        ).format(address=address, threads=pool.slots, seconds=time.perf_counter() - started)
    )
    try:
        yield pool
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def map_tasks(
    function: Callable[..., T],
    tasks: Sequence[tuple[Any, ...]],
    *,
    workers: int = 0,
    executor: Executor | None = None,
) -> list[T]:
    """Run ``function(*task)`` for every task and return the results in task order.

    ``executor`` (or the one of :func:`use_executor`) wins over ``workers``, which sizes the
    pool of local processes. With one worker, or one task, everything runs in this process
    (no pickling, easier debugging). The first task error is raised.
    """
    chosen = executor or _default_executor.get() or LocalProcesses(workers)
    with open_executor(chosen, n_tasks=len(tasks)) as pool:
        return pool.map(function, tasks)
