"""Channel assignment: serve each customer through the channel that leaves the most margin.

Weekly cost of serving a customer through each channel, with one order and one drop per visit
(``orders = visits_per_week``):

* ``direct``: its direct cost to serve (routes, drops, handling, order taking, receivables),
  without overheads, which do not change with the channel;
* ``distributor``: ``distributor_margin_pct / 100 × revenue``, since the company sells to the
  distributor at ``revenue × (1 − margin)``, plus ``distributor_cost_per_order × orders``;
* ``telesales``: ``telesales_cost_per_order × orders + partner_delivery_cost_per_drop ×
  orders``, plus the shared costs;
* ``ecommerce``: ``ecommerce_fee_pct / 100 × revenue + ecommerce_cost_per_order × orders +
  partner_delivery_cost_per_drop × orders``, plus the shared costs.

The shared costs are those a customer causes on telesales and e-commerce as much as on the
direct route, such as handling, when the partner collects the goods at the company's
warehouse, and receivables, when the invoice still gives credit. They are zero unless the
caller passes them, so by default a move away from direct also saves the direct route's
handling and receivables.

The contribution of a channel is ``gross_margin_pct / 100 × revenue`` minus its cost. Each
customer takes the channel of highest contribution among those the rules leave open. Direct
wins ties, so a customer moves only to a channel that earns strictly more. Not serving a
customer contributes zero, so a customer that loses money on every open channel, or has none
open, is left unserved, but only as long as the served outlets stay at or above the minimum
numeric distribution. Below it, the unserved customers with the highest contribution on their
best channel are kept first.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gtm_optimizer.code_labels import channel_label, count_list
from gtm_optimizer.costing.parameters import CHANNELS, DIRECT, UNSERVED, check_columns
from gtm_optimizer.i18n import _
from gtm_optimizer.scenario import ChannelRules, Costs

logger = logging.getLogger(__name__)

_DIRECT = CHANNELS.index(DIRECT)

SEGMENT_KEPT_DIRECT = "segment_kept_direct"
DROP_BELOW_MINIMUM = "drop_below_minimum"
NO_DIRECT_COST = "no_direct_cost"
ONLY_CHANNEL = "only_channel_allowed"
HIGHEST_CONTRIBUTION = "highest_contribution"
EVERY_CHANNEL_LOSES = "every_channel_loses_money"
NO_CHANNEL = "no_channel_available"
KEPT_FOR_DISTRIBUTION = "kept_for_numeric_distribution"
KEPT_FOR_ROUTES = "kept_direct_for_route_costs"
REASONS = (
    SEGMENT_KEPT_DIRECT,
    DROP_BELOW_MINIMUM,
    NO_DIRECT_COST,
    ONLY_CHANNEL,
    HIGHEST_CONTRIBUTION,
    EVERY_CHANNEL_LOSES,
    NO_CHANNEL,
    KEPT_FOR_DISTRIBUTION,
    KEPT_FOR_ROUTES,
)
ECONOMIC_REASONS = (HIGHEST_CONTRIBUTION, EVERY_CHANNEL_LOSES)
"""Reasons for leaving the direct channel that compare costs rather than apply a rule."""
"""Machine-readable reason of each decision.

* ``segment_kept_direct``: the customer's segment must stay direct.
* ``drop_below_minimum``: direct is allowed but the volume per visit is below the minimum drop
  size, so the best of the other channels was taken.
* ``no_direct_cost``: direct is allowed but the customer has no direct cost (it is on no route),
  so the best of the other channels was taken.
* ``only_channel_allowed``: a single channel is open to the customer.
* ``highest_contribution``: the open channel with the highest contribution.
* ``every_channel_loses_money``: unserved, because every open channel has a negative
  contribution.
* ``no_channel_available``: unserved, because no channel is open.
* ``kept_for_numeric_distribution``: served through its best channel although it loses money,
  or through direct although the drop is below the minimum, to keep the minimum numeric
  distribution.
* ``kept_direct_for_route_costs``: another channel looked cheaper than the customer's share of
  its route, but re-planning the routes without the customers that would leave lowered the
  total contribution, so it stays direct (set by :func:`gtm_optimizer.channels.plan_channels`).
"""


@dataclass(frozen=True)
class ChannelDecision:
    """Chosen channel of every customer, with the cost and contribution of every channel.

    ``customers`` has one row per customer in input order: ``customer_id``, ``channel`` (one
    of :data:`~gtm_optimizer.costing.parameters.CHANNELS` or ``unserved``), ``reason`` (one of
    :data:`REASONS`), ``options`` (the open channels joined by ``+``), ``cost_<channel>`` and
    ``contribution_<channel>`` for every channel (NaN for direct without a direct cost), and
    ``channel_cost`` and ``contribution`` of the chosen channel (zero when unserved). Money is
    per week. ``required_served`` is the number of customers the minimum numeric distribution
    requires to be served.
    """

    customers: pd.DataFrame
    required_served: int

    @property
    def channel_by_customer(self) -> pd.Series:
        """Chosen channel indexed by customer id, the input of :func:`channel_moves`."""
        return self.customers.set_index("customer_id")["channel"]


def channel_costs(
    customers: pd.DataFrame,
    direct_cts: np.ndarray,
    costs: Costs,
    *,
    shared_costs: np.ndarray | None = None,
) -> pd.DataFrame:
    """Return the weekly cost of serving each customer through each channel.

    Parameters
    ----------
    customers
        ``revenue_per_week`` and ``visits_per_week`` of each customer.
    direct_cts
        Weekly direct cost to serve without overheads; NaN where unknown.
    costs
        Cost parameters.
    shared_costs
        Weekly costs that telesales and e-commerce bear as much as direct (for example
        ``cts_handling + cts_receivables``); zero when omitted.

    Returns
    -------
    pandas.DataFrame
        ``cost_direct``, ``cost_distributor``, ``cost_telesales`` and ``cost_ecommerce``.
    """
    revenue = customers["revenue_per_week"].to_numpy(float)
    orders = customers["visits_per_week"].to_numpy(float)
    shared = np.zeros(len(customers)) if shared_costs is None else np.asarray(shared_costs)
    partner_delivery = costs.partner_delivery_cost_per_drop * orders
    distributor = costs.distributor_margin_pct / 100.0 * revenue
    distributor += costs.distributor_cost_per_order * orders
    telesales = costs.telesales_cost_per_order * orders + partner_delivery + shared
    ecommerce = costs.ecommerce_fee_pct / 100.0 * revenue
    ecommerce += costs.ecommerce_cost_per_order * orders + partner_delivery + shared
    return pd.DataFrame(
        {
            "cost_direct": np.asarray(direct_cts, dtype=float),
            "cost_distributor": distributor,
            "cost_telesales": telesales,
            "cost_ecommerce": ecommerce,
        }
    )


def assign_channels(
    customers: pd.DataFrame,
    direct_cts: np.ndarray,
    rules: ChannelRules,
    *,
    costs: Costs,
    universe_count: int | None = None,
    shared_costs: np.ndarray | None = None,
) -> ChannelDecision:
    """Choose the channel of highest contribution for each customer under the channel rules.

    Parameters
    ----------
    customers
        ``customer_id``, ``revenue_per_week``, ``visits_per_week``, ``volume_per_visit`` and
        the segment column that ``rules.segment_column`` names.
    direct_cts
        Weekly direct cost to serve of each customer without overheads
        (``cts_total − cts_overhead``); NaN for a customer on no route, which cannot be direct.
    rules
        Open channels per segment, segments kept direct, minimum drop size and minimum
        numeric distribution.
    costs
        Gross margin and channel cost parameters.
    universe_count
        Outlets in the universe, the base of the numeric distribution; the number of customers
        when omitted.
    shared_costs
        Weekly costs that telesales and e-commerce bear as much as direct, see
        :func:`channel_costs`.

    Returns
    -------
    ChannelDecision
        The chosen channel, its reason and every channel's contribution, per customer.
    """
    started = time.perf_counter()
    needed = ["customer_id", "revenue_per_week", "visits_per_week", "volume_per_visit"]
    check_columns(customers, [*needed, rules.segment_column], table_name="customers")
    n = len(customers)
    universe = n if universe_count is None else universe_count
    if universe < n:
        raise ValueError(
            f"universe_count = {universe} is below the {n} customers; count every outlet of "
            "the area, customers included"
        )
    if len(direct_cts) != n:
        raise ValueError(f"direct_cts has {len(direct_cts)} values for {n} customers")

    cost = channel_costs(customers, direct_cts, costs, shared_costs=shared_costs).to_numpy(float)
    revenue = customers["revenue_per_week"].to_numpy(float)
    contribution = costs.gross_margin_pct / 100.0 * revenue[:, None] - cost
    options = _open_channels(customers, direct_cts, rules)
    choice = _choose(contribution, options)
    required = min(n, math.ceil(rules.min_numeric_distribution_pct / 100.0 * universe - 1e-9))
    possible = options.channels.copy()
    possible[:, _DIRECT] |= options.drop_blocked
    _keep_distribution(choice, contribution, possible, required)

    table = _decision_table(customers, cost, contribution, options.channels, choice)
    decision = ChannelDecision(table, required)
    counts = table["channel"].value_counts()
    logger.info(
        _("Assigned channels to {customers} customers in {seconds:.2f} s: {counts}").format(
            customers=n,
            seconds=time.perf_counter() - started,
            counts=count_list(
                ((name, int(counts.get(name, 0))) for name in (*CHANNELS, UNSERVED)),
                channel_label,
            ),
        )
    )
    if (table["channel"] != UNSERVED).sum() < required:
        logger.warning(
            _(
                "Only {served} customers can be served, below the {required} that a minimum "
                "numeric distribution of {minimum_pct:.1f} % needs"
            ).format(
                served=(table["channel"] != UNSERVED).sum(),
                required=required,
                minimum_pct=rules.min_numeric_distribution_pct,
            )
        )
    return decision


@dataclass(frozen=True)
class _Options:
    """Channels open to each customer (one column per channel) and why direct may be shut."""

    channels: np.ndarray
    kept_direct: np.ndarray
    no_direct_cost: np.ndarray
    drop_blocked: np.ndarray


@dataclass
class _Choice:
    channel: np.ndarray
    reason: np.ndarray
    best: np.ndarray


def _open_channels(
    customers: pd.DataFrame, direct_cts: np.ndarray, rules: ChannelRules
) -> _Options:
    segment = customers[rules.segment_column].astype(str).to_numpy()
    allowed = np.array(
        [
            [channel in rules.allowed_by_segment.get(name, rules.allowed) for channel in CHANNELS]
            for name in segment
        ],
        dtype=bool,
    ).reshape(len(segment), len(CHANNELS))
    kept_direct = np.isin(segment, list(rules.keep_direct_segments))
    allowed[kept_direct] = False
    allowed[kept_direct, _DIRECT] = True

    # A NaN drop size (no frequency) does not block direct delivery.
    small_drop = customers["volume_per_visit"].to_numpy(float) < rules.min_drop_size
    no_cost = np.isnan(np.asarray(direct_cts, dtype=float))
    drop_blocked = allowed[:, _DIRECT] & small_drop & ~no_cost & ~kept_direct
    channels = allowed.copy()
    channels[:, _DIRECT] &= ~no_cost & ~drop_blocked
    return _Options(channels, kept_direct, allowed[:, _DIRECT] & no_cost, drop_blocked)


def _choose(contribution: np.ndarray, options: _Options) -> _Choice:
    values = np.where(options.channels, contribution, -np.inf)
    best = np.argmax(values, axis=1)
    best_value = values[np.arange(len(best)), best]
    channel = np.array(CHANNELS, dtype=object)[best]

    reason = np.full(len(best), HIGHEST_CONTRIBUTION, dtype=object)
    reason[options.channels.sum(axis=1) == 1] = ONLY_CHANNEL
    reason[options.no_direct_cost] = NO_DIRECT_COST
    reason[options.drop_blocked] = DROP_BELOW_MINIMUM
    reason[options.kept_direct] = SEGMENT_KEPT_DIRECT

    loses = (best_value < 0.0) & ~options.kept_direct
    channel[loses] = UNSERVED
    reason[loses] = EVERY_CHANNEL_LOSES
    none_open = ~options.channels.any(axis=1)
    channel[none_open] = UNSERVED
    reason[none_open] = NO_CHANNEL
    return _Choice(channel, reason, best)


def _keep_distribution(
    choice: _Choice, contribution: np.ndarray, possible: np.ndarray, required: int
) -> None:
    """Serve unserved customers, best contribution first, until ``required`` are served."""
    missing = required - int((choice.channel != UNSERVED).sum())
    if missing <= 0:
        return
    values = np.where(possible & ~np.isnan(contribution), contribution, -np.inf)
    fallback = np.argmax(values, axis=1)
    fallback_value = values[np.arange(len(fallback)), fallback]
    candidates = np.flatnonzero((choice.channel == UNSERVED) & np.isfinite(fallback_value))
    order = candidates[np.argsort(-fallback_value[candidates], kind="stable")][:missing]
    choice.channel[order] = np.array(CHANNELS, dtype=object)[fallback[order]]
    choice.reason[order] = KEPT_FOR_DISTRIBUTION
    choice.best[order] = fallback[order]


def _decision_table(
    customers: pd.DataFrame,
    cost: np.ndarray,
    contribution: np.ndarray,
    open_channels: np.ndarray,
    choice: _Choice,
) -> pd.DataFrame:
    rows = np.arange(len(customers))
    served = choice.channel != UNSERVED
    table = pd.DataFrame(
        {
            "customer_id": customers["customer_id"].to_numpy(),
            "channel": choice.channel,
            "reason": choice.reason,
            "options": [
                "+".join(c for c, ok in zip(CHANNELS, row, strict=True) if ok)
                for row in open_channels
            ],
        }
    )
    for index, name in enumerate(CHANNELS):
        table[f"cost_{name}"] = cost[:, index]
    for index, name in enumerate(CHANNELS):
        table[f"contribution_{name}"] = contribution[:, index]
    table["channel_cost"] = np.where(served, cost[rows, choice.best], 0.0)
    table["contribution"] = np.where(served, contribution[rows, choice.best], 0.0)
    return table


@dataclass(frozen=True)
class ChannelMoves:
    """Customers whose channel changed between two rounds, and whether to stop.

    ``moves`` lists ``customer_id``, ``from_channel`` and ``to_channel``. ``stop_reason`` is
    ``no_change``, ``max_rounds`` or empty while the loop goes on.
    """

    moves: pd.DataFrame
    stop: bool
    stop_reason: str


def channel_moves(
    previous: pd.Series, current: pd.Series, *, rounds_done: int, max_rounds: int
) -> ChannelMoves:
    """Compare two rounds of channel assignment and apply the stopping rule.

    The loop stops when no customer changes channel, or when ``rounds_done`` reaches
    ``max_rounds``. A customer on no route has no direct cost and cannot return to direct,
    so customers only leave the direct channel from round to round.

    Parameters
    ----------
    previous, current
        Channel per customer id (:attr:`ChannelDecision.channel_by_customer`). A customer
        missing from one side counts as channel ``""`` there.
    rounds_done
        Rounds of assignment done so far, ``current`` included.
    max_rounds
        Maximum number of rounds.
    """
    if max_rounds < 1 or rounds_done < 1:
        raise ValueError(
            f"rounds_done = {rounds_done} and max_rounds = {max_rounds} must be at least 1"
        )
    ids = previous.index.union(current.index, sort=False)
    before = previous.reindex(ids).fillna("").astype(str)
    after = current.reindex(ids).fillna("").astype(str)
    changed = before != after
    moves = pd.DataFrame(
        {
            "customer_id": ids[changed.to_numpy()],
            "from_channel": before[changed].to_numpy(),
            "to_channel": after[changed].to_numpy(),
        }
    )
    if moves.empty:
        return ChannelMoves(moves, True, "no_change")
    if rounds_done >= max_rounds:
        return ChannelMoves(moves, True, "max_rounds")
    return ChannelMoves(moves, False, "")
