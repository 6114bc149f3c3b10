"""Marginal cost of adding prospects to hand-made routes, with straight-line travel."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from gtm_optimizer.costing.prospects import prospect_costs, straight_line_travel

# 36 km/h without circuity: 10 m per second, so 1 000 m take 100 s.
TRAVEL = straight_line_travel(speed_kph=36.0, circuity=1.0)
# Route R1 leaves the depot at (0, 0), serves (1 000, 0) then (1 000, 1 000), and returns.
# 1 per second and 1 per metre, so a detour of d metres costs 1.1 d.
ROUTES = pd.DataFrame(
    {
        "route_id": ["R1"],
        "depot_x": [0.0],
        "depot_y": [0.0],
        "cost_per_hour": [3600.0],
        "cost_per_km": [1000.0],
    }
)
STOPS = pd.DataFrame(
    {
        "route_id": ["R1", "R1"],
        "sequence": [2, 1],
        "x": [1000.0, 1000.0],
        "y": [1000.0, 0.0],
    }
)
# On the first leg (no detour), and beyond the first stop on the x axis.
PROSPECTS = np.array([[500.0, 0.0], [2000.0, 0.0]])


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return prospect_costs(
        PROSPECTS,
        ROUTES,
        STOPS,
        TRAVEL,
        prospect_ids=["on_the_way", "beyond"],
        service_s=300.0,
        drop_cost_per_visit=500.0,
    )


def test_cheapest_first(table: pd.DataFrame) -> None:
    assert table["prospect_id"].tolist() == ["on_the_way", "beyond"]


def test_insert_positions(table: pd.DataFrame) -> None:
    # The first goes after the depot (0). The second goes after stop 1, with a detour of
    # 1 000 + 1 414.2 − 1 000 m, against 2 000 m after the depot or after stop 2.
    assert table["insert_after"].tolist() == [0, 1]


def test_detour_by_hand(table: pd.DataFrame) -> None:
    assert table["detour_km"].to_numpy() == pytest.approx([0.0, np.sqrt(2.0)])


def test_marginal_cost_by_hand(table: pd.DataFrame) -> None:
    # Service 300 s (300) and 500 per drop; plus 141.42 s and 1 414.21 m for the second.
    expected = [800.0, 800.0 + 1.1 * 1000.0 * np.sqrt(2.0)]
    assert table["marginal_cost"].to_numpy() == pytest.approx(expected)


def test_cost_parts_add_up(table: pd.DataFrame) -> None:
    parts = table["cost_time"] + table["cost_distance"] + table["cost_drop"]
    assert parts.to_numpy() == pytest.approx(table["marginal_cost"].to_numpy())


def test_rank(table: pd.DataFrame) -> None:
    assert table["rank"].tolist() == [1, 2]


def test_nearest_route_chosen() -> None:
    # A second route out to (5 000, 0) and back passes through the prospect at (3 000, 0).
    routes = pd.concat(
        [
            ROUTES,
            pd.DataFrame(
                {
                    "route_id": ["R2"],
                    "depot_x": [0.0],
                    "depot_y": [0.0],
                    "cost_per_hour": [3600.0],
                    "cost_per_km": [1000.0],
                }
            ),
        ]
    )
    stops = pd.concat(
        [STOPS, pd.DataFrame({"route_id": ["R2"], "sequence": [1], "x": [5000.0], "y": [0.0]})]
    )
    table = prospect_costs(np.array([[3000.0, 0.0]]), routes, stops, TRAVEL)
    assert table[["route_id", "marginal_cost"]].iloc[0].tolist() == ["R2", 0.0]


def test_circuity_lengthens() -> None:
    travel = straight_line_travel(speed_kph=36.0, circuity=1.5)
    duration_s, distance_m = travel(np.array([[0.0, 0.0]]), np.array([[3000.0, 4000.0]]))
    assert (duration_s[0, 0], distance_m[0, 0]) == pytest.approx((750.0, 7500.0))


def test_logs_counts(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="gtm_optimizer.costing.prospects"):
        prospect_costs(PROSPECTS, ROUTES, STOPS, TRAVEL)
    assert "Costed 2 prospects against 1 routes" in caplog.text


def test_rejects_missing_routes() -> None:
    with pytest.raises(ValueError, match="routes is empty"):
        prospect_costs(PROSPECTS, ROUTES.iloc[:0], STOPS, TRAVEL)


def test_rejects_short_ids() -> None:
    with pytest.raises(ValueError, match="prospect_ids has 1 ids for 2 prospects"):
        prospect_costs(PROSPECTS, ROUTES, STOPS, TRAVEL, prospect_ids=["a"])


def test_rejects_short_circuity() -> None:
    with pytest.raises(ValueError, match=r"circuity = 0\.9 must be >= 1"):
        straight_line_travel(speed_kph=30.0, circuity=0.9)
