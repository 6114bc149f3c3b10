"""Allocation of each route's cost to the customers it visits.

Time-based allocation: a stop's share of its route's cost is its share of the route's time.
A stop is charged its waiting and service time plus half of the leg that reaches it and half of
the leg that leaves it; the legs from and to the depot are charged in full to the first and
last stop. These parts add up to the route's duration, so the allocated costs add up to the
route's cost exactly.
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np

from solvers.routing import Route


def time_shares_s(
    route: Route,
    duration_s: np.ndarray,
    service_s: np.ndarray,
    client_location: np.ndarray,
    depot_location: int,
) -> np.ndarray:
    """Return the seconds of ``route`` charged to each of its visits, in visit order.

    Parameters
    ----------
    route
        A solved route.
    duration_s
        The problem's travel-time matrix.
    service_s, client_location
        Service seconds and matrix location of every client of the problem.
    depot_location
        Matrix location of the route's depot.
    """
    locations = [
        depot_location,
        *(int(client_location[v.client]) for v in route.visits),
        depot_location,
    ]
    legs = np.array([duration_s[a, b] for a, b in pairwise(locations)])
    n = len(route.visits)
    charged = np.array([visit.wait_s + service_s[visit.client] for visit in route.visits])
    inbound = legs[:n].copy()
    outbound = legs[1:].copy()
    inbound[1:] *= 0.5
    outbound[:-1] *= 0.5
    return charged + inbound + outbound


def allocate_by_time(total_cost: float, shares_s: np.ndarray) -> np.ndarray:
    """Split ``total_cost`` in proportion to ``shares_s``; equal parts when all are zero."""
    total = float(shares_s.sum())
    if total <= 0.0:
        return np.full(shares_s.shape, total_cost / max(1, shares_s.size))
    return total_cost * shares_s / total
