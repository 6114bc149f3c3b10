"""Revenue against CTS % quadrants and their recommended actions."""

from __future__ import annotations

import numpy as np

from gtm_optimizer.costing.segments import segment_customers

REVENUE = np.array([500.0, 500.0, 100.0, 100.0])
CTS_PCT = np.array([5.0, 20.0, 20.0, 5.0])


def test_four_quadrants() -> None:
    table = segment_customers(
        REVENUE, CTS_PCT, cts_pct_threshold=10.0, revenue_threshold_per_week=300.0
    )
    assert table["cts_segment"].tolist() == [
        "high_revenue_low_cts",
        "high_revenue_high_cts",
        "low_revenue_high_cts",
        "low_revenue_low_cts",
    ]


def test_actions() -> None:
    table = segment_customers(
        REVENUE, CTS_PCT, cts_pct_threshold=10.0, revenue_threshold_per_week=300.0
    )
    assert table["recommended_action"].tolist() == [
        "develop",
        "reduce_frequency",
        "change_channel",
        "grow_revenue",
    ]


def test_median_threshold() -> None:
    # Median of 100, 200 and 300 is 200, which counts as high revenue.
    table = segment_customers(
        np.array([100.0, 200.0, 300.0]), np.array([5.0, 5.0, 5.0]), cts_pct_threshold=10.0
    )
    assert table["cts_segment"].tolist() == [
        "low_revenue_low_cts",
        "high_revenue_low_cts",
        "high_revenue_low_cts",
    ]


def test_threshold_cts_counts_low() -> None:
    table = segment_customers(
        np.array([100.0]),
        np.array([10.0]),
        cts_pct_threshold=10.0,
        revenue_threshold_per_week=50.0,
    )
    assert table["cts_segment"].tolist() == ["high_revenue_low_cts"]


def test_no_revenue_counts_costly() -> None:
    table = segment_customers(
        np.array([0.0]),
        np.array([np.nan]),
        cts_pct_threshold=10.0,
        revenue_threshold_per_week=50.0,
    )
    assert table["cts_segment"].tolist() == ["low_revenue_high_cts"]


def test_median_ignores_unserved() -> None:
    # Served revenues 100 and 300 have a median of 200; the unserved 1 000 does not count.
    table = segment_customers(
        np.array([100.0, 300.0, 1000.0]),
        np.array([5.0, 5.0, 5.0]),
        cts_pct_threshold=10.0,
        served=np.array([True, True, False]),
    )
    assert table["cts_segment"].tolist() == [
        "low_revenue_low_cts",
        "high_revenue_low_cts",
        "not_served",
    ]
