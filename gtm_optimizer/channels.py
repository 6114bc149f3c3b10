"""Channel assignment loop: move customers to cheaper channels and re-plan the routes.

Each round compares every customer's direct cost to serve with what the distributor,
telesales and e-commerce channels would cost under the scenario's rules
(:func:`gtm_optimizer.costing.assign_channels`). Customers that leave the direct channel leave
the routes. The territories, calendar and routes are then planned again for the customers that
stay, which changes their allocated costs. The comparison repeats until no customer changes
channel or ``channels.max_rounds`` is reached. Customers only ever leave the direct
channel, so the loop ends.

A customer's share of its route overstates what the route saves without it: the vehicle's
day costs the same with one stop fewer. So a round's moves are kept only if the re-planned
routes give a total contribution (gross margin minus cost to serve, every channel included)
at least as high as before. Otherwise the moves that only compared costs
(:data:`~gtm_optimizer.costing.channels.ECONOMIC_REASONS`) are undone, those customers stay
direct with reason ``kept_direct_for_route_costs``, the moves the rules demand (a drop below
the minimum, a channel the segment must use) stand, and the loop stops.

The plan records the loop's effect as two snapshots with the same measures (customers per
channel, routes, kilometres, hours, route cost, cost to serve, contribution, numeric
distribution): ``before``, every customer on a direct route, and ``after``, the final
assignment with its re-planned routes.

Handling and receivables are costs that a customer bears through any channel, so they are
passed as shared costs: the channels compete on what differs between them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from gtm_optimizer.costing import assign_channels, channel_moves, receivables_cost_per_week
from gtm_optimizer.costing.channels import ECONOMIC_REASONS, KEPT_FOR_ROUTES, ChannelDecision
from gtm_optimizer.costing.parameters import CHANNELS, DIRECT
from gtm_optimizer.design import Design, DesignInputs, design_with_calibration
from gtm_optimizer.i18n import _, ngettext

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChannelPlan:
    """The final design for the direct customers and the channel of every customer.

    ``direct`` marks the customers of ``inputs.customers`` that stay on routes; ``design``
    covers exactly those, in the same order. ``decision`` is None when the scenario allows
    only the direct channel; ``before`` and ``after`` (see :func:`plan_snapshot`) are then
    empty.
    """

    design: Design
    direct: np.ndarray
    decision: ChannelDecision | None
    rounds: list[dict[str, Any]]
    before: dict[str, float] = field(default_factory=dict)
    after: dict[str, float] = field(default_factory=dict)


def only_direct(inputs: DesignInputs) -> bool:
    """Return True when the scenario opens no channel but direct for any customer."""
    rules = inputs.scenario.channels
    allowed = set(rules.allowed)
    for channels in rules.allowed_by_segment.values():
        allowed |= set(channels)
    return allowed <= {"direct"}


def subset_inputs(inputs: DesignInputs, keep: np.ndarray) -> DesignInputs:
    """Return the design inputs restricted to the customers where ``keep`` is True."""
    rows = np.flatnonzero(keep)
    return replace(
        inputs,
        customers=inputs.customers.iloc[rows].reset_index(drop=True),
        duration_s=inputs.duration_s[np.ix_(rows, rows)],
        customer_points=inputs.customer_points[rows],
        coords_m=inputs.coords_m[rows],
    )


def plan_channels(inputs: DesignInputs, design: Design, *, universe_count: int | None,
                  time_limit_s: float) -> ChannelPlan:
    """Run the channel loop from a design that routes every customer."""
    n = len(inputs.customers)
    direct = np.ones(n, dtype=bool)
    if only_direct(inputs):
        return ChannelPlan(design, direct, None, [])
    before = plan_snapshot(inputs.customers, design, None, direct,
                           universe_count=universe_count)

    scenario = inputs.scenario
    rules = scenario.channels
    shared = _shared_costs(inputs.customers, scenario.costs)
    k = len(design.territories.territory_ids)
    previous = pd.Series("direct", index=inputs.customers["customer_id"].to_numpy())
    rounds: list[dict[str, Any]] = []
    decision: ChannelDecision | None = None
    accepted: ChannelDecision | None = None
    for round_number in range(1, rules.max_rounds + 1):
        decision = assign_channels(
            inputs.customers, _direct_cts(design, direct), rules, costs=scenario.costs,
            universe_count=universe_count, shared_costs=shared,
        )
        current = decision.channel_by_customer
        moves = channel_moves(previous, current, rounds_done=round_number,
                              max_rounds=rules.max_rounds)
        keep = (decision.customers["channel"] == "direct").to_numpy()
        rounds.append({"round": round_number, "direct": int(keep.sum()),
                       "moved": len(moves.moves), "stop_reason": moves.stop_reason})
        if not keep.any():
            # A plan needs at least one route to stand on; keep the last one that had routes.
            logger.warning(_("Every customer would leave the direct channel; keeping the "
                             "assignment of the previous round"))
            decision = accepted
            rounds[-1]["stop_reason"] = "no_direct_customer_left"
            break
        if np.array_equal(keep, direct):
            accepted = decision
            break
        replanned = _replan(inputs, keep, k, time_limit_s)
        gained = plan_snapshot(inputs.customers, replanned, decision, keep,
                               universe_count=universe_count)["contribution_per_week"]
        had = plan_snapshot(inputs.customers, design, accepted, direct,
                            universe_count=universe_count)["contribution_per_week"]
        reverted = _keep_economic_moves_direct(decision, direct) if gained < had else None
        if reverted is not None:
            # The customers' shares of their routes overstated what the routes save without
            # them: keep them direct, move only those the rules move, and stop.
            decision = reverted
            keep = (decision.customers["channel"] == "direct").to_numpy()
            rounds[-1].update(direct=int(keep.sum()), moved=int((direct & ~keep).sum()),
                              stop_reason="economic_moves_kept_direct")
            if not np.array_equal(keep, direct):
                design = _replan(inputs, keep, k, time_limit_s)
            direct = keep
            accepted = decision
            break
        accepted = decision
        direct = keep
        design = replanned
        previous = current
        if moves.stop:
            break
    logger.info(
        ngettext(
            "Channel assignment: {direct} of {customers} customers stay on direct routes after "
            "{rounds} round",
            "Channel assignment: {direct} of {customers} customers stay on direct routes after "
            "{rounds} rounds",
            len(rounds),
        ).format(direct=int(direct.sum()), customers=n, rounds=len(rounds))
    )
    after = plan_snapshot(inputs.customers, design, decision, direct,
                          universe_count=universe_count)
    return ChannelPlan(design, direct, decision, rounds, before, after)


def _replan(inputs: DesignInputs, direct: np.ndarray, n_territories: int,
            time_limit_s: float) -> Design:
    """Design the plan of the customers where ``direct`` is True."""
    k_now = min(n_territories, int(direct.sum()))
    design, _realignment = design_with_calibration(subset_inputs(inputs, direct), k_now,
                                                   time_limit_s=time_limit_s)
    return design


def _keep_economic_moves_direct(decision: ChannelDecision,
                                direct: np.ndarray) -> ChannelDecision | None:
    """Return ``decision`` with the cost-driven moves off the direct channel undone.

    A customer that was direct and left it for a reason of :data:`ECONOMIC_REASONS` goes back
    to direct with reason ``kept_direct_for_route_costs``. Returns None when no move was
    cost-driven.
    """
    table = decision.customers.copy()
    undone = direct & (table["channel"] != DIRECT).to_numpy() & \
        table["reason"].isin(ECONOMIC_REASONS).to_numpy()
    if not undone.any():
        return None
    table.loc[undone, "channel"] = DIRECT
    table.loc[undone, "reason"] = KEPT_FOR_ROUTES
    table.loc[undone, "channel_cost"] = table.loc[undone, f"cost_{DIRECT}"]
    table.loc[undone, "contribution"] = table.loc[undone, f"contribution_{DIRECT}"]
    return replace(decision, customers=table)


def plan_snapshot(customers: pd.DataFrame, design: Design, decision: ChannelDecision | None,
                  direct: np.ndarray, *, universe_count: int | None) -> dict[str, float]:
    """Return the weekly measures of a plan in which ``direct`` marks the routed customers.

    Parameters
    ----------
    customers
        Every customer of the run, with ``revenue_per_week``.
    design
        The plan of the customers where ``direct`` is True, in the same order.
    decision
        The channel of every customer; None when every customer is on the direct channel.
    direct
        One flag per customer of the run.
    universe_count
        Outlets in the area, for the numeric distribution; None counts the customers.

    Returns
    -------
    dict
        ``customers_<channel>`` for every channel and ``customers_unserved`` (direct customers
        that no route visits count as unserved), ``routes_per_week``, ``km_per_week``,
        ``hours_per_week``, ``route_cost_per_week``, ``revenue_per_week`` of the served
        customers, ``cts_per_week``, ``cts_pct``, ``contribution_per_week`` and
        ``numeric_distribution_pct``. Money is in the scenario's currency per week; a
        customer off the direct channel counts with the cost and contribution of its channel.
    """
    weeks = design.calendar.cycle_weeks
    routes = design.cts.routes
    costs = design.cts.customer_costs
    routed = costs["visits_routed_per_week"].to_numpy(float) > 0
    revenue_per_week = customers["revenue_per_week"].to_numpy(float)
    counts = dict.fromkeys(CHANNELS, 0)
    counts[DIRECT] = int(routed.sum())
    unserved = int((~routed).sum())
    cts = float(costs["cts_total"].sum())
    contribution = float(costs["contribution_after_cts"].sum())
    revenue = float(revenue_per_week[direct][routed].sum())
    if decision is not None:
        table = decision.customers
        others = table[~direct]
        served = (others["channel"] != "unserved").to_numpy()
        for channel, count in others["channel"][served].value_counts().items():
            counts[str(channel)] = int(count)
        unserved += int((~served).sum())
        cts += float(others["channel_cost"].sum())
        contribution += float(others["contribution"].sum())
        revenue += float(revenue_per_week[~direct][served].sum())
    n_served = sum(counts.values())
    universe = universe_count if universe_count else n_served + unserved
    snapshot: dict[str, float] = {f"customers_{channel}": counts[channel] for channel in CHANNELS}
    snapshot.update({
        "customers_unserved": unserved,
        "routes_per_week": len(routes) / weeks,
        "km_per_week": float(routes["distance_km"].sum()) / weeks,
        "hours_per_week": float(routes["duration_h"].sum()) / weeks,
        "route_cost_per_week": float(routes["cost_total"].sum()) / weeks,
        "revenue_per_week": revenue,
        "cts_per_week": cts,
        "cts_pct": 100.0 * cts / revenue if revenue > 0 else float("nan"),
        "contribution_per_week": contribution,
        "numeric_distribution_pct": 100.0 * n_served / universe,
    })
    return snapshot


def _direct_cts(design: Design, direct: np.ndarray) -> np.ndarray:
    costs = design.cts.customer_costs
    values = np.full(direct.size, np.nan)
    per_customer = (costs["cts_total"] - costs.get("cts_overhead", 0.0)).to_numpy(float)
    routed = costs["visits_routed_per_week"].to_numpy(float) > 0
    values[np.flatnonzero(direct)] = np.where(routed, per_customer, np.nan)
    return values


def _shared_costs(customers: pd.DataFrame, costs: Any) -> np.ndarray:
    handling = costs.handling_cost_per_unit * customers["volume_per_week"].to_numpy(float)
    receivables = receivables_cost_per_week(
        customers["revenue_per_week"].to_numpy(float),
        customers["credit_days"].to_numpy(float),
        annual_cost_of_capital=costs.annual_cost_of_capital,
    )
    return np.asarray(handling + receivables, dtype=float)
