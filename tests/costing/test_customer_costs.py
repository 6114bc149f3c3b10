"""Weekly cost to serve, contribution, value and segment per customer, worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gtm_optimizer.costing.customer_costs import CTS_COMPONENTS, customer_cost_table
from gtm_optimizer.scenario import Costs

# A two-week cycle. A is visited weekly, B twice a week, C every two weeks, D is on no route.
CUSTOMERS = pd.DataFrame(
    {
        "customer_id": ["A", "B", "C", "D"],
        "revenue_per_week": [1_000_000.0, 200_000.0, 100_000.0, 50_000.0],
        "volume_per_week": [20.0, 4.0, 5.0, 1.0],
        "visits_per_week": [1.0, 2.0, 0.5, 1.0],
        "credit_days": [36.5, 0.0, 73.0, 0.0],
    }
)
# Route cost allocated to each stop of the cycle: A 2 × 30 000, B 4 × 10 000, C 1 × 24 000.
STOPS = pd.DataFrame(
    {
        "row": [0, 0, 1, 1, 1, 1, 2],
        "allocated_cost": [30_000.0, 30_000.0, 10_000.0, 10_000.0, 10_000.0, 10_000.0, 24_000.0],
    }
)
COSTS = Costs(
    cost_per_drop=2000.0,
    handling_cost_per_unit=500.0,
    order_taking_cost_per_visit=1500.0,
    annual_cost_of_capital=0.1,
    overhead_per_week=13_000.0,
    overhead_driver="revenue",
    gross_margin_pct=25.0,
    horizon_years=2,
    retention_rate=0.5,
    discount_rate=0.25,
    cts_pct_threshold=10.0,
    weeks_per_year=50.0,
)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return customer_cost_table(CUSTOMERS, STOPS, COSTS, cycle_weeks=2)


def test_route_cost_per_week(table: pd.DataFrame) -> None:
    assert table["cts_route"].tolist() == [30_000.0, 20_000.0, 12_000.0, 0.0]


def test_visits_routed_per_week(table: pd.DataFrame) -> None:
    assert table["visits_routed_per_week"].tolist() == [1.0, 2.0, 0.5, 0.0]


def test_drop_cost(table: pd.DataFrame) -> None:
    assert table["cts_drop"].tolist() == [2000.0, 4000.0, 1000.0, 0.0]


def test_handling_cost(table: pd.DataFrame) -> None:
    assert table["cts_handling"].tolist() == [10_000.0, 2000.0, 2500.0, 0.0]


def test_order_taking_cost(table: pd.DataFrame) -> None:
    assert table["cts_order_taking"].tolist() == [1500.0, 3000.0, 750.0, 0.0]


def test_receivables_cost(table: pd.DataFrame) -> None:
    # 1 000 000 × 36.5 / 365 × 0.1 = 10 000; 100 000 × 73 / 365 × 0.1 = 2 000.
    assert table["cts_receivables"].to_numpy() == pytest.approx([10_000.0, 0.0, 2000.0, 0.0])


def test_overhead_by_revenue(table: pd.DataFrame) -> None:
    # 13 000 over 1 300 000 of served revenue: 1 % of revenue; D is not served.
    assert table["cts_overhead"].to_numpy() == pytest.approx([10_000.0, 2000.0, 1000.0, 0.0])


def test_total_is_sum_of_components(table: pd.DataFrame) -> None:
    assert table["cts_total"].to_numpy() == pytest.approx(
        table[list(CTS_COMPONENTS)].sum(axis=1).to_numpy()
    )


def test_total_by_hand(table: pd.DataFrame) -> None:
    assert table["cts_total"].to_numpy() == pytest.approx([63_500.0, 31_000.0, 19_250.0, 0.0])


def test_cts_per_visit(table: pd.DataFrame) -> None:
    assert table["cts_per_visit"].to_numpy()[:3] == pytest.approx([63_500.0, 15_500.0, 38_500.0])


def test_cts_per_visit_nan_without_visits(table: pd.DataFrame) -> None:
    assert np.isnan(table["cts_per_visit"].iat[3])


def test_cts_pct(table: pd.DataFrame) -> None:
    assert table["cts_pct"].to_numpy() == pytest.approx([6.35, 15.5, 19.25, 0.0])


def test_contribution_after_cts(table: pd.DataFrame) -> None:
    # 25 % of revenue minus CTS.
    assert table["contribution_after_cts"].to_numpy() == pytest.approx(
        [186_500.0, 19_000.0, 5750.0, 0.0]
    )


def test_customer_value(table: pd.DataFrame) -> None:
    # The scenario's 50 trading weeks: 186 500 × 50 × (1 / 1.25 + 0.5 / 1.25²) = 9 325 000 × 1.12.
    assert table["customer_value"].iat[0] == pytest.approx(10_444_000.0)


def test_segments(table: pd.DataFrame) -> None:
    # The median revenue of the served customers is B's 200 000, which counts as high.
    assert table["cts_segment"].tolist() == [
        "high_revenue_low_cts",
        "high_revenue_high_cts",
        "low_revenue_high_cts",
        "not_served",
    ]


def test_actions(table: pd.DataFrame) -> None:
    assert table["recommended_action"].tolist() == [
        "develop",
        "reduce_frequency",
        "change_channel",
        "",
    ]


def test_partly_routed_share() -> None:
    # B is due twice a week but routed once a week: half its volume, credit and margin.
    customers = CUSTOMERS.iloc[[1]].reset_index(drop=True).assign(credit_days=36.5)
    stops = pd.DataFrame({"row": [0, 0], "allocated_cost": [10_000.0, 10_000.0]})
    table = customer_cost_table(customers, stops, COSTS, cycle_weeks=2)
    # Handling 4 × 500 / 2; receivables 200 000 × 36.5 / 365 × 0.1 / 2; margin 50 000 / 2.
    assert table[["cts_handling", "cts_receivables", "gross_margin"]].iloc[0].tolist() == (
        pytest.approx([1000.0, 1000.0, 25_000.0])
    )


def test_cycle_weeks_must_be_positive() -> None:
    with pytest.raises(ValueError, match="cycle_weeks = 0 must be at least 1"):
        customer_cost_table(CUSTOMERS, STOPS, COSTS, cycle_weeks=0)
