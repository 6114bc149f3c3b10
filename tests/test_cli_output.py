"""What the CLI prints besides errors: log timestamps and the run summary table."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from gtm_optimizer import cli, i18n

# A summary as a run writes it, with the KPIs the console table shows.
SUMMARY = {
    "scenario": "Duitama",
    "currency": "COP",
    "volume_unit": "cajas",
    "distance_source": "osm_road_network",
    "kpis": {
        "customers": 341,
        "customers_served": 338,
        "territories": 4,
        "routes_per_week": 18.5,
        "km_per_week": 1234.56,
        "hours_per_week": 150.26,
        "cts_per_week": 16_318_005.4,
        "cts_pct": 4.1372,
    },
}


@pytest.fixture
def output(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Send both CLI consoles to one wide in-memory buffer."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=200)
    monkeypatch.setattr(cli, "console", console)
    monkeypatch.setattr(cli, "error_console", console)
    return buffer


@pytest.fixture
def restored_logging(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Keep the run log in the test folder and put the root logger back afterwards."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.captureWarnings(False)


def summary_text(output: io.StringIO, tmp_path: Path) -> str:
    cli._print_summary(SUMMARY, tmp_path, maps=False)
    return " ".join(output.getvalue().split())


def test_log_time_iso(output: io.StringIO, restored_logging: None) -> None:
    cli._configure_logging(verbose=False)
    logging.getLogger("gtm_optimizer.stage").info("Stage finished")
    line = output.getvalue()
    assert re.match(r"\[\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\] INFO +Stage finished", line), line


def test_summary_spanish_money(
    output: io.StringIO, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(i18n._current, "language", "es")
    assert "│ Costo de servir por semana │ 16.318.005 COP │" in summary_text(output, tmp_path)


def test_summary_spanish_percent(
    output: io.StringIO, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(i18n._current, "language", "es")
    text = summary_text(output, tmp_path)
    assert "│ Costo de servir, participación en las ventas (%) │ 4,1 % │" in text


def test_summary_spanish_decimals(
    output: io.StringIO, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(i18n._current, "language", "es")
    text = summary_text(output, tmp_path)
    assert "│ Kilómetros por semana │ 1.234,6 km │" in text
    assert "│ Clientes atendidos │ 338 / 341 │" in text


def test_summary_english(output: io.StringIO, tmp_path: Path) -> None:
    text = summary_text(output, tmp_path)
    assert "│ Cost to serve per week │ 16,318,005 COP │" in text
    assert "│ Cost to serve, share of revenue (%) │ 4.1 % │" in text
    assert "│ Hours per week │ 150.3 h │" in text
