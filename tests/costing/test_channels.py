"""Channel assignment under the scenario's rules, and the stopping rule of the loop."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd
import pytest

from gtm_optimizer.costing.channels import assign_channels, channel_costs, channel_moves
from gtm_optimizer.scenario import ChannelRules, Costs

# Gross margin 25 %. Per order: telesales 2 000, partner delivery 3 000. E-commerce fee 8 %,
# distributor margin 15 %.
COSTS = Costs(
    gross_margin_pct=25.0,
    telesales_cost_per_order=2000.0,
    partner_delivery_cost_per_drop=3000.0,
    ecommerce_fee_pct=8.0,
    distributor_margin_pct=15.0,
)
ALL_CHANNELS = ChannelRules(allowed=("direct", "distributor", "telesales", "ecommerce"))


def customers(*rows: tuple[str, float, float, float, str]) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=[
            "customer_id",
            "revenue_per_week",
            "visits_per_week",
            "volume_per_visit",
            "segment",
        ],
    )


# A small shop: 100 000 a week, one visit of 2 cases. Its direct route costs 20 000 a week.
SMALL = ("small", 100_000.0, 1.0, 2.0, "traditional")
SMALL_DIRECT_CTS = 20_000.0
# A supermarket: 1 000 000 a week, two visits of 30 cases, 8 000 a week on the route.
BIG = ("big", 1_000_000.0, 2.0, 30.0, "modern")
BIG_DIRECT_CTS = 8000.0


def test_costly_direct_moves_to_telesales() -> None:
    # Direct costs 20 000, telesales 2 000 + 3 000 = 5 000.
    rules = ChannelRules(allowed=("direct", "telesales"))
    decision = assign_channels(customers(SMALL), np.array([SMALL_DIRECT_CTS]), rules, costs=COSTS)
    assert decision.customers["channel"].tolist() == ["telesales"]


def test_move_reason() -> None:
    rules = ChannelRules(allowed=("direct", "telesales"))
    decision = assign_channels(customers(SMALL), np.array([SMALL_DIRECT_CTS]), rules, costs=COSTS)
    assert decision.customers["reason"].tolist() == ["highest_contribution"]


def test_channel_costs_by_hand() -> None:
    # Distributor 15 % of 100 000; e-commerce 8 % of 100 000 plus 3 000 of delivery.
    costs = channel_costs(customers(SMALL), np.array([SMALL_DIRECT_CTS]), COSTS)
    assert costs.iloc[0].tolist() == [20_000.0, 15_000.0, 5000.0, 11_000.0]


def test_contributions_by_hand() -> None:
    # 25 000 of gross margin minus each channel's cost.
    decision = assign_channels(
        customers(SMALL), np.array([SMALL_DIRECT_CTS]), ALL_CHANNELS, costs=COSTS
    )
    columns = [f"contribution_{c}" for c in ("direct", "distributor", "telesales", "ecommerce")]
    assert decision.customers[columns].iloc[0].tolist() == [5000.0, 10_000.0, 20_000.0, 14_000.0]


def test_chosen_cost_and_contribution() -> None:
    decision = assign_channels(
        customers(SMALL), np.array([SMALL_DIRECT_CTS]), ALL_CHANNELS, costs=COSTS
    )
    assert decision.customers[["channel_cost", "contribution"]].iloc[0].tolist() == [
        5000.0,
        20_000.0,
    ]


def test_cheap_direct_stays() -> None:
    # Direct 242 000 against telesales 250 000 − 2 × 5 000 = 240 000.
    decision = assign_channels(
        customers(BIG), np.array([BIG_DIRECT_CTS]), ALL_CHANNELS, costs=COSTS
    )
    assert decision.customers["channel"].tolist() == ["direct"]


def test_tie_stays_direct() -> None:
    rules = ChannelRules(allowed=("direct", "telesales"))
    decision = assign_channels(customers(SMALL), np.array([5000.0]), rules, costs=COSTS)
    assert decision.customers["channel"].tolist() == ["direct"]


def test_small_drop_cannot_be_direct() -> None:
    # The supermarket would stay direct, but 30 cases per visit is below the minimum of 40.
    rules = ChannelRules(allowed=("direct", "telesales"), min_drop_size=40.0)
    decision = assign_channels(customers(BIG), np.array([BIG_DIRECT_CTS]), rules, costs=COSTS)
    assert decision.customers[["channel", "reason"]].iloc[0].tolist() == [
        "telesales",
        "drop_below_minimum",
    ]


def test_kept_direct_segment() -> None:
    rules = ChannelRules(allowed=ALL_CHANNELS.allowed, keep_direct_segments=("traditional",))
    decision = assign_channels(customers(SMALL), np.array([SMALL_DIRECT_CTS]), rules, costs=COSTS)
    assert decision.customers[["channel", "reason"]].iloc[0].tolist() == [
        "direct",
        "segment_kept_direct",
    ]


def test_channels_by_segment() -> None:
    # Traditional shops may only use direct or e-commerce: 14 000 beats 5 000.
    rules = ChannelRules(
        allowed=ALL_CHANNELS.allowed, allowed_by_segment={"traditional": ("direct", "ecommerce")}
    )
    decision = assign_channels(
        customers(SMALL, BIG),
        np.array([SMALL_DIRECT_CTS, BIG_DIRECT_CTS]),
        rules,
        costs=COSTS,
    )
    assert decision.customers["channel"].tolist() == ["ecommerce", "direct"]


def test_options_listed() -> None:
    rules = ChannelRules(allowed=("direct", "ecommerce"))
    decision = assign_channels(customers(SMALL), np.array([SMALL_DIRECT_CTS]), rules, costs=COSTS)
    assert decision.customers["options"].tolist() == ["direct+ecommerce"]


# A kiosk: 10 000 a week, 2 500 of margin, 20 000 on the route: it loses money direct.
KIOSK = ("kiosk", 10_000.0, 1.0, 1.0, "traditional")


def test_losing_customer_unserved() -> None:
    rules = ChannelRules(allowed=("direct",), min_numeric_distribution_pct=0.0)
    decision = assign_channels(customers(KIOSK), np.array([20_000.0]), rules, costs=COSTS)
    assert decision.customers[["channel", "reason"]].iloc[0].tolist() == [
        "unserved",
        "every_channel_loses_money",
    ]


def test_unserved_contributes_zero() -> None:
    rules = ChannelRules(allowed=("direct",), min_numeric_distribution_pct=0.0)
    decision = assign_channels(customers(KIOSK), np.array([20_000.0]), rules, costs=COSTS)
    assert decision.customers["contribution"].tolist() == [0.0]


def test_distribution_keeps_losing_customer() -> None:
    rules = ChannelRules(allowed=("direct",))
    decision = assign_channels(customers(KIOSK), np.array([20_000.0]), rules, costs=COSTS)
    assert decision.customers[["channel", "reason"]].iloc[0].tolist() == [
        "direct",
        "kept_for_numeric_distribution",
    ]


def test_distribution_keeps_smallest_loss() -> None:
    # Universe of 4, at least 75 %: 3 served. Two profitable customers, two losing ones; the
    # kiosk losing 500 a week is kept before the one losing 17 500.
    rules = ChannelRules(allowed=("direct",), min_numeric_distribution_pct=75.0)
    table = customers(SMALL, BIG, KIOSK, ("kiosk2", 10_000.0, 1.0, 1.0, "traditional"))
    direct_cts = np.array([SMALL_DIRECT_CTS, BIG_DIRECT_CTS, 3000.0, 20_000.0])
    decision = assign_channels(table, direct_cts, rules, costs=COSTS)
    assert decision.customers["channel"].tolist() == ["direct", "direct", "direct", "unserved"]


def test_universe_sets_distribution() -> None:
    # 3 customers in a universe of 10 at 20 %: 2 must be served, so one loser may go.
    rules = ChannelRules(allowed=("direct",), min_numeric_distribution_pct=20.0)
    table = customers(SMALL, KIOSK, ("kiosk2", 10_000.0, 1.0, 1.0, "traditional"))
    direct_cts = np.array([SMALL_DIRECT_CTS, 3000.0, 20_000.0])
    decision = assign_channels(table, direct_cts, rules, costs=COSTS, universe_count=10)
    assert decision.customers["channel"].tolist() == ["direct", "direct", "unserved"]


def test_no_direct_cost_moves() -> None:
    rules = ChannelRules(allowed=("direct", "telesales"))
    decision = assign_channels(customers(BIG), np.array([np.nan]), rules, costs=COSTS)
    assert decision.customers[["channel", "reason"]].iloc[0].tolist() == [
        "telesales",
        "no_direct_cost",
    ]


def test_no_channel_warns(caplog: pytest.LogCaptureFixture) -> None:
    rules = ChannelRules(allowed=("direct",))
    with caplog.at_level(logging.WARNING, logger="gtm_optimizer.costing.channels"):
        decision = assign_channels(customers(BIG), np.array([np.nan]), rules, costs=COSTS)
    assert decision.customers["reason"].tolist() == ["no_channel_available"]
    assert "Only 0 customers can be served, below the 1" in caplog.text


def test_assignment_logs_counts(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="gtm_optimizer.costing.channels"):
        assign_channels(
            customers(SMALL, BIG),
            np.array([SMALL_DIRECT_CTS, BIG_DIRECT_CTS]),
            ALL_CHANNELS,
            costs=COSTS,
        )
    assert "Direct: 1, Distributor: 0, Telesales: 1, E-commerce: 0, Unserved: 0" in caplog.text


def test_universe_below_customers() -> None:
    with pytest.raises(ValueError, match="universe_count = 1 is below the 2 customers"):
        assign_channels(
            customers(SMALL, BIG),
            np.array([SMALL_DIRECT_CTS, BIG_DIRECT_CTS]),
            ALL_CHANNELS,
            costs=COSTS,
            universe_count=1,
        )


def test_direct_cts_length_checked() -> None:
    with pytest.raises(ValueError, match="direct_cts has 1 values for 2 customers"):
        assign_channels(
            customers(SMALL, BIG), np.array([SMALL_DIRECT_CTS]), ALL_CHANNELS, costs=COSTS
        )


def test_channel_by_customer() -> None:
    decision = assign_channels(
        customers(SMALL, BIG),
        np.array([SMALL_DIRECT_CTS, BIG_DIRECT_CTS]),
        ALL_CHANNELS,
        costs=COSTS,
    )
    assert decision.channel_by_customer.to_dict() == {"small": "telesales", "big": "direct"}


def test_moves_listed() -> None:
    previous = pd.Series({"a": "direct", "b": "direct"})
    current = pd.Series({"a": "telesales", "b": "direct"})
    moves = channel_moves(previous, current, rounds_done=1, max_rounds=3)
    assert moves.moves.to_dict("records") == [
        {"customer_id": "a", "from_channel": "direct", "to_channel": "telesales"}
    ]


def test_moves_continue() -> None:
    previous = pd.Series({"a": "direct"})
    current = pd.Series({"a": "telesales"})
    moves = channel_moves(previous, current, rounds_done=1, max_rounds=3)
    assert (moves.stop, moves.stop_reason) == (False, "")


def test_moves_stop_without_change() -> None:
    same = pd.Series({"a": "direct", "b": "telesales"})
    moves = channel_moves(same, same.copy(), rounds_done=2, max_rounds=3)
    assert (moves.stop, moves.stop_reason) == (True, "no_change")


def test_moves_stop_at_max_rounds() -> None:
    previous = pd.Series({"a": "direct"})
    current = pd.Series({"a": "telesales"})
    moves = channel_moves(previous, current, rounds_done=3, max_rounds=3)
    assert (moves.stop, moves.stop_reason) == (True, "max_rounds")


def test_new_customer_counts_as_move() -> None:
    moves = channel_moves(
        pd.Series({"a": "direct"}),
        pd.Series({"a": "direct", "b": "telesales"}),
        rounds_done=1,
        max_rounds=3,
    )
    assert moves.moves["customer_id"].tolist() == ["b"]


def test_moves_reject_zero_rounds() -> None:
    with pytest.raises(ValueError, match="must be at least 1"):
        channel_moves(pd.Series(dtype=str), pd.Series(dtype=str), rounds_done=0, max_rounds=3)


def test_segment_column_required() -> None:
    rules = ChannelRules(segment_column="cts_segment")
    with pytest.raises(ValueError, match=r"customers is missing the columns \['cts_segment'\]"):
        assign_channels(customers(SMALL), np.array([SMALL_DIRECT_CTS]), rules, costs=COSTS)


def test_shared_costs_added() -> None:
    # 4 000 of handling and receivables also borne by telesales and e-commerce.
    costs = channel_costs(
        customers(SMALL), np.array([SMALL_DIRECT_CTS]), COSTS, shared_costs=np.array([4000.0])
    )
    assert costs.iloc[0].tolist() == [20_000.0, 15_000.0, 9000.0, 15_000.0]


def test_shared_costs_keep_direct() -> None:
    # Direct 20 000 against telesales 5 000 + 16 000 of shared costs.
    rules = ChannelRules(allowed=("direct", "telesales"))
    decision = assign_channels(
        customers(SMALL),
        np.array([SMALL_DIRECT_CTS]),
        rules,
        costs=COSTS,
        shared_costs=np.array([16_000.0]),
    )
    assert decision.customers["channel"].tolist() == ["direct"]
