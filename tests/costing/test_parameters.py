"""Receivables and overheads applied to customers, by hand."""

from __future__ import annotations

import numpy as np
import pytest

from gtm_optimizer.costing.parameters import allocate_overhead, receivables_cost_per_week

REVENUE = np.array([600.0, 300.0, 100.0, 1000.0])
VOLUME = np.array([1.0, 1.0, 2.0, 5.0])
VISITS = np.array([2.0, 1.0, 1.0, 1.0])
SERVED = np.array([True, True, True, False])


def overhead(driver: str, served: np.ndarray = SERVED) -> list[float]:
    shares = allocate_overhead(
        1000.0,
        driver=driver,
        revenue_per_week=REVENUE,
        volume_per_week=VOLUME,
        visits_per_week=VISITS,
        served=served,
    )
    return shares.tolist()


def test_receivables_by_hand() -> None:
    # 730 000 × 30 / 365 × 0.12 = 7 200.
    cost = receivables_cost_per_week(
        np.array([730_000.0]), np.array([30.0]), annual_cost_of_capital=0.12
    )
    assert cost.tolist() == pytest.approx([7200.0])


def test_receivables_reject_percent() -> None:
    with pytest.raises(ValueError, match=r"write 14 % as 0\.14"):
        receivables_cost_per_week(np.ones(1), np.ones(1), annual_cost_of_capital=14.0)


def test_overhead_by_revenue() -> None:
    assert overhead("revenue") == pytest.approx([600.0, 300.0, 100.0, 0.0])


def test_overhead_by_volume() -> None:
    assert overhead("volume") == pytest.approx([250.0, 250.0, 500.0, 0.0])


def test_overhead_by_visits() -> None:
    assert overhead("visits") == pytest.approx([500.0, 250.0, 250.0, 0.0])


def test_overhead_equal() -> None:
    assert overhead("equal") == pytest.approx([1000 / 3, 1000 / 3, 1000 / 3, 0.0])


def test_overhead_zero_driver_equal() -> None:
    shares = allocate_overhead(
        90.0,
        driver="revenue",
        revenue_per_week=np.zeros(3),
        volume_per_week=np.zeros(3),
        visits_per_week=np.zeros(3),
        served=np.ones(3, bool),
    )
    assert shares.tolist() == [30.0, 30.0, 30.0]


def test_overhead_nobody_served() -> None:
    assert overhead("revenue", np.zeros(4, bool)) == [0.0, 0.0, 0.0, 0.0]


def test_overhead_rejects_driver() -> None:
    with pytest.raises(ValueError, match="overhead driver 'margin' is not known"):
        overhead("margin")
