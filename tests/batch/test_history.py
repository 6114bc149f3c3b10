"""Run history on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import hashlib
import os
import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gtm_optimizer.batch.history import (
    HISTORY_ENV,
    HistoryError,
    RunHistory,
    RunRecord,
    hash_inputs,
    record_run,
    resolve_history_url,
)
from gtm_optimizer.batch.trends import cost_changes_pct

REPO = Path(__file__).parents[2]
POSTGRES_ENV = "GTM_OPTIMIZER_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """URL of the test PostgreSQL server; the start script runs when CI did not start one."""
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    completed = subprocess.run(
        ["bash", str(REPO / "scripts" / "start-postgres.sh")],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return completed.stdout.strip().splitlines()[-1]


@pytest.fixture(params=["sqlite", "postgresql"])
def history_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'history.sqlite'}"
    return request.getfixturevalue("postgres_url")


def _record(scenario: str, minute: int, cost: float, command: str = "reroute") -> RunRecord:
    started = datetime(2024, 1, 8, 2, minute, tzinfo=UTC)
    return RunRecord(
        started_at=started,
        finished_at=started + timedelta(seconds=90),
        command=command,
        scenario=scenario,
        input_hash="ab" * 32,
        status="ok",
        n_routes=2,
        n_unserved=1,
        output_dir="/tmp/out",
        kpis={"km": 11.5, "route_cost": cost},
    )


def test_records_read_back(history_url: str) -> None:
    scenario = f"s-{uuid.uuid4().hex}"
    history = RunHistory(history_url)
    history.record(_record(scenario, 0, 100.0))
    (stored,) = history.runs(scenario=scenario)
    history.close()
    assert stored.kpis == {"km": 11.5, "route_cost": 100.0}


def test_times_read_back_in_utc(history_url: str) -> None:
    scenario = f"s-{uuid.uuid4().hex}"
    history = RunHistory(history_url)
    history.record(_record(scenario, 5, 100.0))
    (stored,) = history.runs(scenario=scenario)
    history.close()
    assert stored.started_at == datetime(2024, 1, 8, 2, 5, tzinfo=UTC)


def test_newest_first_and_last(history_url: str) -> None:
    scenario = f"s-{uuid.uuid4().hex}"
    history = RunHistory(history_url)
    for minute in (1, 3, 2):
        history.record(_record(scenario, minute, 100.0))
    runs = history.runs(scenario=scenario, last=2)
    history.close()
    assert [run.started_at.minute for run in runs] == [3, 2]


def test_filter_by_command(history_url: str) -> None:
    scenario = f"s-{uuid.uuid4().hex}"
    history = RunHistory(history_url)
    history.record(_record(scenario, 1, 100.0, command="run"))
    history.record(_record(scenario, 2, 100.0))
    runs = history.runs(scenario=scenario, command="run")
    history.close()
    assert [run.command for run in runs] == ["run"]


def test_record_run_from_pipeline_summary(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'history.sqlite'}"
    summary = {
        "scenario": "Duitama",
        "cycle_weeks": 2,
        "kpis": {"routes_per_week": 20.5, "customers_unserved": 3, "cts_per_week": 9.0},
    }
    stored = record_run(summary, output_dir=tmp_path / "out", history_url=url)
    assert stored is not None
    assert (stored.n_routes, stored.n_unserved) == (41, 3)


def test_record_run_survives_bad_url(tmp_path: Path) -> None:
    stored = record_run({"scenario": "x", "kpis": {}}, output_dir=tmp_path, history_url="nonsense")
    assert stored is None


def test_bad_url_rejected() -> None:
    with pytest.raises(HistoryError, match="is not a database URL"):
        RunHistory("nonsense")


def test_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(HISTORY_ENV, "sqlite:////var/tmp/h.sqlite")
    assert resolve_history_url() == "sqlite:////var/tmp/h.sqlite"


def test_default_url_under_state_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(HISTORY_ENV, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    expected = f"sqlite:///{tmp_path}/gtm-optimizer/history.sqlite"
    assert resolve_history_url() == expected


def test_input_hash_of_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_bytes(b"customer_id,volume\n")
    second.write_bytes(b"{}")
    lines = (
        hashlib.sha256(b"customer_id,volume\n").hexdigest()
        + "\n"
        + hashlib.sha256(b"{}").hexdigest()
        + "\n"
    )
    assert hash_inputs([first, second]) == hashlib.sha256(lines.encode()).hexdigest()


def test_cost_change_against_previous_run() -> None:
    # Newest first: 110 after 100 is +10 %; the oldest has nothing to compare with.
    records = [_record("s", 2, 110.0), _record("s", 1, 100.0)]
    assert cost_changes_pct(records) == [pytest.approx(10.0), None]


def test_invalid_status() -> None:
    with pytest.raises(ValueError, match="status = 'done' is not one of"):
        RunRecord(
            started_at=datetime.now(UTC),
            finished_at=datetime.now(UTC),
            command="run",
            scenario="s",
            input_hash="",
            status="done",
            n_routes=0,
            n_unserved=0,
            output_dir="",
        )
