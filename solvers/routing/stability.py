"""Stability of a plan against an earlier one: which clients left their previous companions.

The clients of each previous route form a group. In a new plan, the group's anchor is the new
route that contains most of its served members. Every served member on another route counts
as moved. Merging two previous routes into one moves nobody,
and unserved clients are not counted, because they are already charged their drop penalty.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

__all__ = ["count_moved", "previous_groups"]


def previous_groups(previous_route_of: Sequence[int]) -> list[tuple[int, ...]]:
    """Return the clients of each previous route, in order of first appearance."""
    groups: dict[int, list[int]] = {}
    for client, route in enumerate(previous_route_of):
        if route >= 0:
            groups.setdefault(route, []).append(client)
    return [tuple(members) for members in groups.values()]


def count_moved(previous_route_of: Sequence[int], routes: Sequence[Sequence[int]]) -> int:
    """Return how many served clients are not on the anchor route of their previous group."""
    route_of = {client: r for r, route in enumerate(routes) for client in route}
    moved = 0
    for members in previous_groups(previous_route_of):
        counts = Counter(route_of[c] for c in members if c in route_of)
        if not counts:
            continue
        anchor_size = max(counts.values())
        moved += sum(counts.values()) - anchor_size
    return moved
