"""The partial-edge legs that join each snapped point to the node graph.

For each point and each candidate directed edge (slot), the *arrive* leg runs from the edge's
start node to the snap position and on to the point. The *leave* leg runs from the point back
to the road and on to the edge's end node. A point whose snap position lies on a node also
has a third candidate: that node itself, with only the access leg. Travel time along a
partial edge is the edge's travel time prorated by length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from gtm_optimizer.network.road import RoadNetwork
from gtm_optimizer.network.snapping import N_SLOTS, Snapping

#: Candidate columns of the arrive and leave legs: one per slot, then the node at the point.
N_CANDIDATES = N_SLOTS + 1
#: Column of the candidate that enters or leaves the point at the node it lies on.
AT_NODE_COLUMN = N_SLOTS


@dataclass(frozen=True, eq=False)
class PointLegs:
    """Arrive and leave legs of every usable point, one column per candidate.

    Columns 0 and 1 are the two slots (directed edges) of the point's road line, column 2 is
    the node the point lies on. Node entries are compact node indices, -1 where a candidate
    does not exist, belongs to an unusable point, or its node cannot be reached from (or
    cannot reach) the main component. The time and distance of a missing candidate are
    ``inf``, so no trip through it is ever the cheapest.

    Attributes
    ----------
    arrive_node, arrive_s, arrive_m
        (n, 3) node the point is entered from, and time and distance from it to the point.
    leave_node, leave_s, leave_m
        (n, 3) node the point exits to, and time and distance from the point to it.
    edge, offset_m
        (n, 2) compact edge index of each slot and the snap offset from its start node.
    edge_time_s, edge_length_m
        (n, 2) travel time and length of each slot's edge.
    access_s, access_m
        (n,) time and length of each point's access leg, one way.
    """

    arrive_node: NDArray[np.int64]
    arrive_s: NDArray[np.float64]
    arrive_m: NDArray[np.float64]
    leave_node: NDArray[np.int64]
    leave_s: NDArray[np.float64]
    leave_m: NDArray[np.float64]
    edge: NDArray[np.int64]
    offset_m: NDArray[np.float64]
    edge_time_s: NDArray[np.float64]
    edge_length_m: NDArray[np.float64]
    access_s: NDArray[np.float64]
    access_m: NDArray[np.float64]


def point_legs(network: RoadNetwork, snapping: Snapping) -> PointLegs:
    """Compute the arrive and leave legs of every point of a snapping."""
    compact = network.compact
    edge = np.where(snapping.usable[:, None], snapping.slot_edge, -1)
    valid = edge >= 0
    safe = np.where(valid, edge, 0)

    length_m = np.where(valid, compact.edge_length_m[safe], np.nan)
    time_s = np.where(valid, compact.edge_time_s[safe], np.nan)
    offset_m = np.where(valid, snapping.slot_offset_m, np.nan)
    share = np.divide(offset_m, length_m, out=np.zeros_like(offset_m), where=length_m > 0)
    share = np.clip(share, 0.0, 1.0)

    access_m = np.where(snapping.usable, np.nan_to_num(snapping.snap_m), 0.0)
    access_s = np.where(snapping.usable, snapping.access_s, 0.0)
    start = compact.edge_u[safe]
    end = compact.edge_v[safe]
    arrive_ok = valid & compact.reach_from_main[start]
    leave_ok = valid & compact.reach_to_main[end]

    node = np.where(snapping.usable, snapping.at_node, -1)
    safe_node = np.maximum(node, 0)
    node_arrive = np.where((node >= 0) & compact.reach_from_main[safe_node], node, -1)
    node_leave = np.where((node >= 0) & compact.reach_to_main[safe_node], node, -1)
    at_arrive = np.where(node_arrive >= 0, 0.0, np.inf)
    at_leave = np.where(node_leave >= 0, 0.0, np.inf)
    return PointLegs(
        arrive_node=_with_node(np.where(arrive_ok, start, -1), node_arrive),
        arrive_s=_with_node(np.where(arrive_ok, share * time_s, np.inf), at_arrive)
        + access_s[:, None],
        arrive_m=_with_node(np.where(arrive_ok, share * length_m, np.inf), at_arrive)
        + access_m[:, None],
        leave_node=_with_node(np.where(leave_ok, end, -1), node_leave),
        leave_s=_with_node(np.where(leave_ok, (1 - share) * time_s, np.inf), at_leave)
        + access_s[:, None],
        leave_m=_with_node(np.where(leave_ok, (1 - share) * length_m, np.inf), at_leave)
        + access_m[:, None],
        edge=edge,
        offset_m=offset_m,
        edge_time_s=time_s,
        edge_length_m=length_m,
        access_s=access_s,
        access_m=access_m,
    )


def _with_node(slots: NDArray, node_column: NDArray | float) -> NDArray:
    """Append the at-node candidate column to the (n, 2) slot columns."""
    column = np.broadcast_to(np.asarray(node_column, dtype=slots.dtype), (slots.shape[0],))
    return np.column_stack([slots, column])
