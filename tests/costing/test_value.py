"""Contribution after cost to serve and customer value over a horizon, by hand."""

from __future__ import annotations

import numpy as np
import pytest

from gtm_optimizer.costing.value import contribution_per_week, customer_value, value_factor


def test_contribution_by_hand() -> None:
    # 25 % of 400 000 is 100 000; minus 30 000 and 120 000 of CTS.
    contribution = contribution_per_week(
        np.array([400_000.0, 400_000.0]), np.array([30_000.0, 120_000.0]), gross_margin_pct=25.0
    )
    assert contribution.tolist() == [70_000.0, -20_000.0]


def test_value_factor_by_hand() -> None:
    # 1 / 1.1 + 0.8 / 1.1² + 0.64 / 1.1³.
    factor = value_factor(horizon_years=3, retention_rate=0.8, discount_rate=0.1)
    assert factor == pytest.approx(0.9090909 + 0.6611570 + 0.4808415, abs=1e-6)


def test_value_one_year_undiscounted() -> None:
    value = customer_value(
        np.array([1000.0]), horizon_years=1, retention_rate=0.5, discount_rate=0.0
    )
    assert value.tolist() == [52_000.0]


def test_value_three_years_by_hand() -> None:
    # 52 000 a year: 47 272.73 + 34 380.17 + 25 003.76.
    value = customer_value(
        np.array([1000.0]), horizon_years=3, retention_rate=0.8, discount_rate=0.1
    )
    assert value[0] == pytest.approx(106_656.65, abs=0.01)


def test_value_negative_for_loss() -> None:
    value = customer_value(
        np.array([-500.0]), horizon_years=2, retention_rate=1.0, discount_rate=0.0
    )
    assert value.tolist() == [-52_000.0]


def test_value_weeks_per_year() -> None:
    value = customer_value(
        np.array([1000.0]),
        horizon_years=1,
        retention_rate=1.0,
        discount_rate=0.0,
        weeks_per_year=48.0,
    )
    assert value.tolist() == [48_000.0]


def test_margin_rejects_fraction_range() -> None:
    with pytest.raises(ValueError, match="gross_margin_pct = 125"):
        contribution_per_week(np.ones(1), np.ones(1), gross_margin_pct=125.0)


def test_horizon_rejects_zero() -> None:
    with pytest.raises(ValueError, match="horizon_years = 0 must be at least 1"):
        value_factor(horizon_years=0, retention_rate=0.8, discount_rate=0.1)


def test_discount_rejects_percent() -> None:
    with pytest.raises(ValueError, match=r"write 12 % as 0\.12"):
        value_factor(horizon_years=3, retention_rate=0.8, discount_rate=12.0)


def test_retention_rejects_above_one() -> None:
    with pytest.raises(ValueError, match=r"retention_rate = 1\.5"):
        value_factor(horizon_years=3, retention_rate=1.5, discount_rate=0.1)
