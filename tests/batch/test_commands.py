"""The reroute and history commands: exit codes, JSON logs, history rows."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from gtm_optimizer.batch.history import RunHistory
from gtm_optimizer.batch.locking import output_lock
from gtm_optimizer.cli import app


@pytest.fixture(autouse=True)
def _restore_logging(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Keep the commands' log and cache files in the test folder, and their handlers out."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)


@pytest.fixture(scope="module")
def orders(plan_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    stops = pd.read_csv(plan_dir / "stops.csv")
    monday = stops[stops["route_id"].str.endswith("-W1-Mon")]["customer_id"]
    path = tmp_path_factory.mktemp("cli") / "orders.csv"
    path.write_text("customer_id,volume\n" + "".join(f"{c},1\n" for c in monday), encoding="utf-8")
    return path


def _reroute(plan_dir: Path, orders: Path, out: Path, history: str, *extra: str):
    arguments = [
        "reroute",
        "--plan",
        str(plan_dir),
        "--orders",
        str(orders),
        "--date",
        "2024-01-01",
        "--out",
        str(out),
        "--history",
        history,
        "--max-iterations",
        "200",
        "--time-limit",
        "20",
        *extra,
    ]
    return CliRunner().invoke(app, arguments)


def test_all_routed_exit_zero(plan_dir: Path, orders: Path, tmp_path: Path) -> None:
    result = _reroute(plan_dir, orders, tmp_path / "out", f"sqlite:///{tmp_path}/h.db")
    assert result.exit_code == 0


def test_rejected_row_exit_three(plan_dir: Path, orders: Path, tmp_path: Path) -> None:
    bad = tmp_path / "orders.csv"
    bad.write_text(orders.read_text(encoding="utf-8") + "NOBODY,1\n", encoding="utf-8")
    result = _reroute(plan_dir, bad, tmp_path / "out", f"sqlite:///{tmp_path}/h.db")
    assert result.exit_code == 3


def test_invalid_date_exit_two(plan_dir: Path, orders: Path, tmp_path: Path) -> None:
    arguments = [
        "reroute",
        "--plan",
        str(plan_dir),
        "--orders",
        str(orders),
        "--date",
        "2024-02-30",
        "--out",
        str(tmp_path / "out"),
    ]
    assert CliRunner().invoke(app, arguments).exit_code == 2


def test_missing_orders_exit_two(plan_dir: Path, tmp_path: Path) -> None:
    result = _reroute(
        plan_dir, tmp_path / "none.csv", tmp_path / "out", f"sqlite:///{tmp_path}/h.db"
    )
    assert result.exit_code == 2


def test_locked_output_exit_one(plan_dir: Path, orders: Path, tmp_path: Path) -> None:
    with output_lock(tmp_path / "out"):
        result = _reroute(plan_dir, orders, tmp_path / "out", f"sqlite:///{tmp_path}/h.db")
    assert result.exit_code == 1


def test_runs_recorded(plan_dir: Path, orders: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/h.db"
    _reroute(plan_dir, orders, tmp_path / "out", url)
    _reroute(plan_dir, tmp_path / "none.csv", tmp_path / "out", url)
    history = RunHistory(url)
    statuses = [run.status for run in history.runs()]
    history.close()
    assert statuses == ["failed", "ok"]


def test_json_log_lines(plan_dir: Path, orders: Path, tmp_path: Path) -> None:
    result = _reroute(
        plan_dir, orders, tmp_path / "out", f"sqlite:///{tmp_path}/h.db", "--log-format", "json"
    )
    records = [json.loads(line) for line in result.stderr.splitlines()]
    assert records[-1]["exit_code"] == 0
    assert {"time", "level", "logger", "message", "run_id"} <= set(records[0])


def test_json_log_error_is_json(plan_dir: Path, tmp_path: Path) -> None:
    result = _reroute(
        plan_dir,
        tmp_path / "none.csv",
        tmp_path / "out",
        f"sqlite:///{tmp_path}/h.db",
        "--log-format",
        "json",
    )
    last = json.loads(result.stderr.splitlines()[-1])
    assert (last["level"], last["exit_code"]) == ("ERROR", 2)


def test_history_lists_runs(plan_dir: Path, orders: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/h.db"
    _reroute(plan_dir, orders, tmp_path / "out", url)
    result = CliRunner().invoke(app, ["history", "--history", url])
    assert "Aguascalientes batch" in result.stdout
