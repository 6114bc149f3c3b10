"""The channel loop undoes cost-driven moves that the re-planned routes do not pay for."""

from __future__ import annotations

import numpy as np
import pandas as pd

from gtm_optimizer.channels import _keep_economic_moves_direct
from gtm_optimizer.costing.channels import ChannelDecision

# A left direct because telesales looked cheaper than its share of the route; B left because
# its drop is below the minimum; C stays direct; D was already on telesales last round.
DECISION = ChannelDecision(
    customers=pd.DataFrame(
        {
            "customer_id": ["A", "B", "C", "D"],
            "channel": ["telesales", "telesales", "direct", "telesales"],
            "reason": ["highest_contribution", "drop_below_minimum", "highest_contribution",
                       "highest_contribution"],
            "cost_direct": [30_000.0, 25_000.0, 20_000.0, 40_000.0],
            "contribution_direct": [70_000.0, 5_000.0, 90_000.0, 10_000.0],
            "channel_cost": [26_000.0, 26_000.0, 20_000.0, 26_000.0],
            "contribution": [74_000.0, 4_000.0, 90_000.0, 24_000.0],
        }
    ),
    required_served=0,
)
DIRECT_BEFORE = np.array([True, True, True, False])


def test_cost_driven_move_undone() -> None:
    reverted = _keep_economic_moves_direct(DECISION, DIRECT_BEFORE)
    assert reverted is not None
    row = reverted.customers.set_index("customer_id").loc["A"]
    assert row["channel"] == "direct"
    assert row["reason"] == "kept_direct_for_route_costs"
    assert row["channel_cost"] == 30_000.0
    assert row["contribution"] == 70_000.0


def test_rule_move_and_earlier_moves_stand() -> None:
    reverted = _keep_economic_moves_direct(DECISION, DIRECT_BEFORE)
    assert reverted is not None
    assert reverted.customers["channel"].tolist() == ["direct", "telesales", "direct", "telesales"]


def test_nothing_to_undo() -> None:
    only_rules = DIRECT_BEFORE & np.array([False, True, True, False])
    assert _keep_economic_moves_direct(DECISION, only_rules) is None
