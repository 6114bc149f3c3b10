"""Cost-to-serve KPIs of a small plan: two routes and five customers, worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from gtm_optimizer.costing.kpis import cost_kpis

CUSTOMERS = pd.DataFrame(
    {
        "customer_id": ["a", "b", "c", "d", "e"],
        "served": [True, True, True, True, False],
        "channel": ["direct", "direct", "direct", "telesales", "unserved"],
        "territory_id": ["T01", "T01", "T02", "T02", ""],
        "cts_segment": [
            "high_revenue_low_cts",
            "low_revenue_high_cts",
            "high_revenue_low_cts",
            "low_revenue_low_cts",
            "not_served",
        ],
        "revenue_per_week": [1000.0, 200.0, 800.0, 100.0, 50.0],
        "cts_total": [50.0, 40.0, 60.0, 5.0, 0.0],
        "visits_routed_per_week": [1.0, 2.0, 1.0, 0.0, 0.0],
    }
)
# One week, two routes: 2 stops and 2 stops; 30 and 10 cases; costs 80 and 40.
ROUTES = pd.DataFrame(
    {
        "route_id": ["T01-Mon", "T02-Mon"],
        "n_stops": [2, 2],
        "load": [30.0, 10.0],
        "cost_total": [80.0, 40.0],
    }
)


@pytest.fixture(scope="module")
def kpis() -> dict:
    return cost_kpis(CUSTOMERS, ROUTES, universe_count=8)


def test_total_cts(kpis: dict) -> None:
    assert kpis["cts_per_week"] == 155.0


def test_total_cts_pct(kpis: dict) -> None:
    # 155 over the 2 100 of served revenue.
    assert kpis["cts_pct"] == pytest.approx(100 * 155 / 2100)


def test_cts_pct_by_channel(kpis: dict) -> None:
    assert kpis["cts_pct_by"]["channel"] == pytest.approx({"direct": 7.5, "telesales": 5.0})


def test_cts_pct_by_territory(kpis: dict) -> None:
    # T01: 90 over 1 200; T02: 65 over 900.
    assert kpis["cts_pct_by"]["territory_id"] == pytest.approx({"T01": 7.5, "T02": 100 * 65 / 900})


def test_cts_pct_by_segment(kpis: dict) -> None:
    # a and c: 110 over 1 800.
    assert kpis["cts_pct_by"]["cts_segment"] == pytest.approx(
        {
            "high_revenue_low_cts": 100 * 110 / 1800,
            "low_revenue_high_cts": 20.0,
            "low_revenue_low_cts": 5.0,
        }
    )


def test_missing_group_left_out(kpis: dict) -> None:
    assert "segment" not in kpis["cts_pct_by"]


def test_numeric_distribution(kpis: dict) -> None:
    # 4 served, telesales included, out of 8 outlets.
    assert kpis["numeric_distribution_pct"] == 50.0


def test_cost_per_drop(kpis: dict) -> None:
    # 150 of direct CTS over 4 direct drops a week.
    assert kpis["cost_per_drop"] == 37.5


def test_route_cost_per_drop(kpis: dict) -> None:
    assert kpis["route_cost_per_drop"] == 30.0


def test_drops_per_route(kpis: dict) -> None:
    assert kpis["drops_per_route"] == 2.0


def test_average_drop_size(kpis: dict) -> None:
    assert kpis["average_drop_size"] == 10.0


def test_no_routes_gives_none() -> None:
    kpis = cost_kpis(CUSTOMERS, ROUTES.iloc[:0], universe_count=8)
    assert kpis["drops_per_route"] is None


def test_universe_below_served() -> None:
    with pytest.raises(ValueError, match="universe_count = 3 is below the 4 served customers"):
        cost_kpis(CUSTOMERS, ROUTES, universe_count=3)


def test_served_column_required() -> None:
    with pytest.raises(ValueError, match=r"customers is missing the columns \['served'\]"):
        cost_kpis(CUSTOMERS.drop(columns="served"), ROUTES, universe_count=8)
