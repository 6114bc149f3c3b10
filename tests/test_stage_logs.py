"""Territory and calendar stages warn in the language in force when a balance is not met."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from gtm_optimizer import i18n
from gtm_optimizer.calendar import plan_calendar
from gtm_optimizer.territories import design_territories


def customers(service_h: list[float], visits_per_week: float = 1.0) -> pd.DataFrame:
    n = len(service_h)
    return pd.DataFrame(
        {
            "customer_id": [f"C{i + 1}" for i in range(n)],
            "line": list(range(2, n + 2)),
            "visits_per_week": [visits_per_week] * n,
            "service_s": [3600.0 * hours for hours in service_h],
            "revenue_per_week": [100.0] * n,
        }
    )


@pytest.fixture
def spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(i18n._current, "language", "es")


def test_territory_imbalance_spanish(spanish: None, caplog: pytest.LogCaptureFixture) -> None:
    # Weekly workloads of 10, 1 and 1 h in two territories: the best split is 10 h against
    # 2 h, each 66.7 % away from the mean of 6 h.
    table = customers([10.0, 1.0, 1.0])
    coords_m = np.array([[0.0, 0.0], [100.0, 0.0], [200.0, 0.0]])
    duration_s = np.abs(coords_m[:, None, 0] - coords_m[None, :, 0]) / 10.0
    with caplog.at_level(logging.WARNING, logger="gtm_optimizer.territories"):
        design_territories(
            table,
            duration_s,
            coords_m,
            2,
            workload_tolerance=0.05,
            revenue_tolerance=None,
            travel_share_s=np.zeros(3),
            seed=0,
            time_limit_s=2.0,
        )
    assert "carga de trabajo 10.0 h, 66.7 % por encima de la media 6.0 h" in caplog.text
    assert "carga de trabajo 2.0 h, 66.7 % por debajo de la media 6.0 h" in caplog.text
    assert "Territorios fuera de la tolerancia de balance" in caplog.text


def test_calendar_over_shift_spanish(spanish: None, caplog: pytest.LogCaptureFixture) -> None:
    # One customer visited every weekday for 10 h, with an 8 h shift.
    table = customers([10.0], visits_per_week=5.0)
    with caplog.at_level(logging.WARNING, logger="gtm_optimizer.calendar"):
        plan_calendar(
            table,
            np.zeros(1, dtype=int),
            ("T01",),
            np.array([36_000.0]),
            np.zeros((1, 2)),
            working_days=5,
            max_day_s=8 * 3600.0,
            seed=0,
            time_limit_s=1.0,
        )
    expected = (
        "Días de visita del territorio T01: por encima del turno o de la carga del vehículo; "
        "día más cargado 10.0 h, día con visitas menos cargado 10.0 h, turno 8.0 h"
    )
    assert expected in caplog.text


def test_calendar_over_load_spanish(spanish: None, caplog: pytest.LogCaptureFixture) -> None:
    # Two customers of 60 cases each, both visited every weekday by a van that carries 100.
    table = customers([0.5, 0.5], visits_per_week=5.0).assign(volume_per_visit=60.0)
    with caplog.at_level(logging.WARNING, logger="gtm_optimizer.calendar"):
        plan_calendar(
            table,
            np.zeros(2, dtype=int),
            ("T01",),
            np.array([1800.0, 1800.0]),
            np.zeros((2, 2)),
            working_days=5,
            max_day_s=8 * 3600.0,
            max_day_volume=100.0,
            seed=0,
            time_limit_s=1.0,
        )
    assert "volumen del día más grande 120, carga del vehículo 100" in caplog.text


def plan_one_territory(table: pd.DataFrame, caplog: pytest.LogCaptureFixture) -> None:
    """Plan a calendar of one territory over 5 working days with an 8 h shift."""
    with caplog.at_level(logging.DEBUG, logger="gtm_optimizer.calendar"):
        plan_calendar(
            table,
            np.zeros(len(table), dtype=int),
            ("T01",),
            table["service_s"].to_numpy(float),
            np.zeros((len(table), 2)),
            working_days=5,
            max_day_s=8 * 3600.0,
            seed=0,
            time_limit_s=1.0,
        )


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]


def test_calendar_empty_days_quiet(caplog: pytest.LogCaptureFixture) -> None:
    # Two customers of 0.2 h, each visited once a week: two days of 0.2 h and three days
    # without visits. The days with visits are equal, so there is nothing to warn about.
    plan_one_territory(customers([0.2, 0.2]), caplog)
    assert warnings_of(caplog) == []


def test_calendar_empty_days_debug(caplog: pytest.LogCaptureFixture) -> None:
    plan_one_territory(customers([0.2, 0.2]), caplog)
    assert "Visit days solver message for T01: Days outside" in caplog.text


def test_calendar_uneven_days_warn(caplog: pytest.LogCaptureFixture) -> None:
    # Customers of 3 h and 1 h, visited once a week, go on two days (together they would be
    # further from the mean day of 0.8 h). Their mean is 2 h, and both days lie 50 % from it.
    plan_one_territory(customers([3.0, 1.0]), caplog)
    expected = (
        "Visit days of territory T01: unbalanced; busiest day 3.0 h, quietest day with "
        "visits 1.0 h, shift 8.0 h"
    )
    assert warnings_of(caplog) == [expected]


def test_one_territory_singular(spanish: None, caplog: pytest.LogCaptureFixture) -> None:
    table = customers([1.0, 1.0, 1.0])
    coords_m = np.array([[0.0, 0.0], [100.0, 0.0], [200.0, 0.0]])
    duration_s = np.abs(coords_m[:, None, 0] - coords_m[None, :, 0]) / 10.0
    with caplog.at_level(logging.INFO, logger="gtm_optimizer.territories"):
        design_territories(
            table,
            duration_s,
            coords_m,
            1,
            workload_tolerance=0.05,
            revenue_tolerance=None,
            travel_share_s=np.zeros(3),
            seed=0,
            time_limit_s=2.0,
        )
    assert "Se diseñó 1 territorio para 3 clientes:" in caplog.text


def test_calendar_one_week_singular(spanish: None, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="gtm_optimizer.calendar"):
        plan_one_territory(customers([1.0]), caplog)
    assert "Se planearon los días de visita de 1 cliente en un ciclo de 1 semana" in caplog.text
