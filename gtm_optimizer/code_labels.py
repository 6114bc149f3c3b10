"""Translated labels of the machine codes that output files keep.

CSV and JSON outputs keep codes such as ``too_far_from_road`` or ``telesales`` so that scripts
can match rows across runs and languages. Logs, reports and maps show these labels instead.
Labels are looked up at call time, so they follow the language in force. An unknown code is
returned as written, so that a code added later still shows up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from gtm_optimizer.i18n import _


def reason_label(reason: str) -> str:
    """Return the translated label of a reason a customer or order is unserved.

    The reasons are those of snapping (:mod:`gtm_optimizer.network.snapping`), of the route
    solver (:data:`solvers.routing.UNSERVED_REASONS`), of the channel assignment and of the
    nightly re-routing (:mod:`gtm_optimizer.batch.tables`).
    """
    labels = {
        "invalid_coordinates": _("invalid coordinates"),
        "outside_network_area": _("outside the road network area"),
        "too_far_from_road": _("too far from a road"),
        "unreachable_one_way": _("on a one-way road that cannot be both entered and left"),
        "unreachable_island": _("on a road cut off from the depots' road network"),
        "unreachable": _("cannot be reached on the road network"),
        "demand_exceeds_capacity": _("demand above the vehicle capacity"),
        "window_outside_shift": _("time window outside the shift"),
        "window_shorter_than_service": _("service does not fit between window and shift end"),
        "window_unreachable": _("time window cannot be reached within the shift"),
        "max_duration": _("round trip longer than the maximum route duration"),
        "max_distance": _("round trip longer than the maximum route distance"),
        "not_routed": _("no room left on the route"),
        "no_profitable_channel": _("no channel serves it at a profit"),
        "deadline_exceeded": _("batch deadline passed"),
        "solver_error": _("route solver failed"),
        "no_territory": _("no territory to join"),
    }
    return labels.get(reason, reason)


def channel_label(channel: str) -> str:
    """Return the translated name of a sales channel, or the channel code if unknown."""
    labels = {
        "direct": _("Direct"),
        "van_sales": _("Van sales"),
        "distributor": _("Distributor"),
        "telesales": _("Telesales"),
        "ecommerce": _("E-commerce"),
        "unserved": _("Unserved"),
    }
    return labels.get(channel, channel)


def reasons_label(reasons: str) -> str:
    """Translate reasons joined by ``;`` (``customers.csv``'s ``unserved_reason``) as ``a; b``."""
    if not reasons:
        return ""
    return "; ".join(reason_label(reason) for reason in reasons.split(";"))


def channel_reason_label(reason: str) -> str:
    """Return the translated reason a customer got its channel.

    The reasons are :data:`gtm_optimizer.costing.channels.REASONS`.
    """
    labels = {
        "segment_kept_direct": _("its segment stays on direct routes"),
        "drop_below_minimum": _("drop below the minimum drop size"),
        "no_direct_cost": _("on no route, so without a direct cost"),
        "only_channel_allowed": _("the only channel allowed"),
        "highest_contribution": _("highest contribution"),
        "every_channel_loses_money": _("every channel loses money"),
        "no_channel_available": _("no channel available"),
        "kept_for_numeric_distribution": _("kept for the minimum numeric distribution"),
        "kept_direct_for_route_costs": _(
            "kept on its route: moving it would lower the total contribution"
        ),
    }
    return labels.get(reason, reason)


def segment_label(segment: str) -> str:
    """Return the translated name of a cost-to-serve segment.

    The segments are those of :mod:`gtm_optimizer.costing.segments`, plus ``not_served``.
    """
    labels = {
        "high_revenue_low_cts": _("High revenue, low CTS %"),
        "high_revenue_high_cts": _("High revenue, high CTS %"),
        "low_revenue_high_cts": _("Low revenue, high CTS %"),
        "low_revenue_low_cts": _("Low revenue, low CTS %"),
        "not_served": _("Not served"),
    }
    return labels.get(segment, segment)


def action_label(action: str) -> str:
    """Return the translated recommended action of a cost-to-serve segment.

    The actions are the values of :data:`gtm_optimizer.costing.segments.SEGMENT_ACTIONS`,
    plus ``not_served``.
    """
    labels = {
        "develop": _("Develop"),
        "reduce_frequency": _("Reduce visit frequency"),
        "change_channel": _("Move to another channel"),
        "grow_revenue": _("Grow revenue"),
        "not_served": _("Not served"),
    }
    return labels.get(action, action)


def change_label(change: str) -> str:
    """Return the translated label of a re-routed customer's change against the plan."""
    labels = {
        "kept": _("kept"),
        "resequenced": _("resequenced"),
        "moved": _("moved"),
        "new": _("new"),
        "dropped": _("dropped"),
        "unserved": _("unserved"),
    }
    return labels.get(change, change)


def run_status_label(status: str) -> str:
    """Return the translated status of a recorded run: ``ok``, ``partial`` or ``failed``."""
    labels = {"ok": _("ok"), "partial": _("partial"), "failed": _("failed")}
    return labels.get(status, status)


def balance_label(status: str) -> str:
    """Return the translated balance status of a territory design or a visit calendar."""
    labels = {
        "balanced": _("balanced"),
        "tolerance_not_met": _("tolerance not met"),
        "unbalanced": _("unbalanced"),
        "over_capacity": _("above a shift or a vehicle load"),
    }
    return labels.get(status, status)


def distance_source_label(source: str) -> str:
    """Return the translated name of the distances a run used (``summary["distance_source"]``)."""
    labels = {
        "osm_road_network": _("OpenStreetMap road network"),
        "straight_line": _("straight lines"),
    }
    return labels.get(source, source)


def count_list(counts: Iterable[tuple[str, int]], label: Callable[[str], str]) -> str:
    """Join ``(code, count)`` pairs as ``label: count, ...``, e.g. ``too far from a road: 2``."""
    return ", ".join(f"{label(code)}: {count}" for code, count in counts)
