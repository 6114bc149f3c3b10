"""Cost to serve: route and customer costs, customer value, segments, channels and prospects."""

from gtm_optimizer.costing.channels import (
    ChannelDecision,
    ChannelMoves,
    assign_channels,
    channel_costs,
    channel_moves,
)
from gtm_optimizer.costing.customer_costs import CTS_COMPONENTS, customer_cost_table
from gtm_optimizer.costing.kpis import cost_kpis
from gtm_optimizer.costing.marginal import allocate_by_marginal, removal_savings
from gtm_optimizer.costing.model import CostToServe, cost_routes
from gtm_optimizer.costing.parameters import CHANNELS, allocate_overhead, receivables_cost_per_week
from gtm_optimizer.costing.prospects import prospect_costs, straight_line_travel
from gtm_optimizer.costing.segments import SEGMENT_ACTIONS, segment_customers
from gtm_optimizer.costing.value import contribution_per_week, customer_value, value_factor

__all__ = [
    "CHANNELS",
    "CTS_COMPONENTS",
    "SEGMENT_ACTIONS",
    "ChannelDecision",
    "ChannelMoves",
    "CostToServe",
    "allocate_by_marginal",
    "allocate_overhead",
    "assign_channels",
    "channel_costs",
    "channel_moves",
    "contribution_per_week",
    "cost_kpis",
    "cost_routes",
    "customer_cost_table",
    "customer_value",
    "prospect_costs",
    "receivables_cost_per_week",
    "removal_savings",
    "segment_customers",
    "straight_line_travel",
    "value_factor",
]
