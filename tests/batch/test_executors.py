"""Executors: local processes and Dask give the same results, in task order."""

from __future__ import annotations

import operator
import time
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from gtm_optimizer.batch.reroute import RerouteSettings, reroute
from gtm_optimizer.execution import (
    DaskCluster,
    LocalProcesses,
    executor_from_options,
    map_tasks,
    open_executor,
    use_executor,
)

# Tasks are functions of the standard library, so Dask workers need not import the tests.
TASKS = [(2, 10), (3, 3), (5, 0), (7, 2)]


def test_processes_keep_task_order() -> None:
    assert map_tasks(operator.pow, TASKS, executor=LocalProcesses(2)) == [1024, 27, 1, 49]


def test_one_worker_runs_here() -> None:
    assert map_tasks(operator.pow, TASKS, workers=1) == [1024, 27, 1, 49]


def test_task_error_raised() -> None:
    with pytest.raises(ZeroDivisionError, match="division by zero"):
        map_tasks(operator.truediv, [(1, 0), (1, 2)], executor=LocalProcesses(2))


def test_run_reports_time_out() -> None:
    with open_executor(LocalProcesses(2), n_tasks=2) as pool:
        outcomes = pool.run(time.sleep, [(0.0,), (1.5,)], timeout_s=0.5)
    assert [outcome.timed_out for outcome in outcomes] == [False, True]


def test_run_reports_error() -> None:
    with open_executor(LocalProcesses(1), n_tasks=1) as pool:
        (outcome,) = pool.run(operator.truediv, [(1, 0)])
    assert outcome.error == "ZeroDivisionError: division by zero"


def test_options_choose_dask_scheduler() -> None:
    executor = executor_from_options(scheduler="tcp://127.0.0.1:8786")
    assert executor == DaskCluster(scheduler="tcp://127.0.0.1:8786")


def test_options_default_local() -> None:
    assert executor_from_options() == LocalProcesses()


def test_options_both_rejected() -> None:
    with pytest.raises(ValueError, match="not both"):
        executor_from_options(scheduler="tcp://127.0.0.1:8786", workers=2)


def test_scheduler_address_checked() -> None:
    with pytest.raises(ValueError, match="is not an address"):
        DaskCluster(scheduler="127.0.0.1")


@pytest.fixture(scope="module")
def dask_pool():
    with open_executor(DaskCluster(workers=2)) as pool:
        yield pool


def test_local_cluster_on_loopback(dask_pool) -> None:
    assert dask_pool.client.scheduler.address.startswith("tcp://127.0.0.1:")


def test_local_cluster_slots(dask_pool) -> None:
    assert dask_pool.slots == 2


def test_dask_keeps_task_order(dask_pool) -> None:
    assert dask_pool.map(operator.pow, TASKS) == [1024, 27, 1, 49]


def test_default_executor_used_by_map_tasks() -> None:
    with use_executor(LocalProcesses(1)):
        assert map_tasks(operator.pow, TASKS, workers=4) == [1024, 27, 1, 49]


def test_dask_routes_equal_local_routes(dask_pool, plan_dir: Path, tmp_path: Path) -> None:
    stops = pd.read_csv(plan_dir / "stops.csv")
    monday = stops[stops["route_id"].str.endswith("-W1-Mon")]["customer_id"]
    orders = tmp_path / "orders.csv"
    orders.write_text(
        "customer_id,volume\n" + "".join(f"{c},2\n" for c in monday), encoding="utf-8"
    )
    settings = RerouteSettings(time_limit_s=20, max_iterations=300, seed=2)
    local = reroute(
        plan_dir, orders, date(2024, 1, 1), settings=settings, executor=LocalProcesses(2)
    )
    # The module's local cluster of two workers, reached through its scheduler address.
    address = dask_pool.client.scheduler.address
    dask = reroute(
        plan_dir,
        orders,
        date(2024, 1, 1),
        settings=settings,
        executor=DaskCluster(scheduler=address),
    )
    pd.testing.assert_frame_equal(dask.stops, local.stops)
