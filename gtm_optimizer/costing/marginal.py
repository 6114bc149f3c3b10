"""Marginal allocation: each stop is charged in proportion to what the route saves without it.

Removing stop ``k`` and driving from its predecessor ``p`` straight to its successor ``n``
saves

* time: ``t[p, k] + t[k, n] − t[p, n]`` plus the stop's service and its own waiting;
* distance: ``d[p, k] + d[k, n] − d[p, n]``;

valued at the vehicle's cost per hour and per km. The rest of the schedule is kept as it is.
A saving below zero (a matrix where the detour through ``k`` is shorter than the direct leg)
counts as zero, so no customer is credited for being on the route.

The savings do not add up to the route's cost: the fixed cost is saved by no single removal
when the route has several stops, and legs shared by neighbours are counted twice or not at
all. The allocation therefore scales them: stop ``k`` gets ``route cost × saving_k / Σ
savings``, so the allocations add up to the route's cost exactly and the fixed cost is spread
in proportion to the savings. When every saving is zero, the stops share the cost equally.
"""

from __future__ import annotations

import numpy as np

from solvers.routing import Route


def removal_savings(
    locations: np.ndarray,
    duration_s: np.ndarray,
    distance_m: np.ndarray,
    service_s: np.ndarray,
    wait_s: np.ndarray,
    *,
    cost_per_hour: float,
    cost_per_km: float,
) -> np.ndarray:
    """Return what the route saves without each stop, from the matrices and its schedule.

    Parameters
    ----------
    locations
        Matrix locations in driving order: the start depot, every stop, the end depot.
    duration_s, distance_m
        Travel-time and distance matrices.
    service_s, wait_s
        Service and waiting seconds of each stop, in visiting order.
    cost_per_hour, cost_per_km
        The vehicle's variable costs.

    Returns
    -------
    numpy.ndarray
        One saving per stop, in visiting order, never below zero.
    """
    path = np.asarray(locations, dtype=int)
    n_stops = len(path) - 2
    if n_stops < 0:
        raise ValueError(f"locations {path.tolist()} must hold at least the depot twice")
    if len(service_s) != n_stops or len(wait_s) != n_stops:
        raise ValueError(
            f"service_s and wait_s have {len(service_s)} and {len(wait_s)} values for "
            f"{n_stops} stops; give one per stop"
        )
    before, stop, after = path[:-2], path[1:-1], path[2:]
    detour_s = duration_s[before, stop] + duration_s[stop, after] - duration_s[before, after]
    detour_m = distance_m[before, stop] + distance_m[stop, after] - distance_m[before, after]
    saved_s = detour_s + np.asarray(service_s, dtype=float) + np.asarray(wait_s, dtype=float)
    saving = saved_s / 3600.0 * cost_per_hour + detour_m / 1000.0 * cost_per_km
    return np.maximum(saving, 0.0)


def allocate_by_marginal(total_cost: float, savings: np.ndarray) -> np.ndarray:
    """Split ``total_cost`` in proportion to ``savings``; equal parts when all are zero."""
    total = float(np.sum(savings))
    if total <= 0.0:
        return np.full(len(savings), total_cost / max(1, len(savings)))
    return total_cost * np.asarray(savings, dtype=float) / total


def route_savings(
    route: Route,
    duration_s: np.ndarray,
    distance_m: np.ndarray,
    service_s: np.ndarray,
    client_location: np.ndarray,
    depot_location: int,
    *,
    cost_per_hour: float,
    cost_per_km: float,
) -> np.ndarray:
    """Return :func:`removal_savings` of a solved route, in visit order.

    ``service_s`` and ``client_location`` hold every client of the route's problem.
    """
    clients = [visit.client for visit in route.visits]
    locations = np.array([depot_location, *client_location[clients], depot_location])
    waits = np.array([visit.wait_s for visit in route.visits])
    return removal_savings(
        locations,
        duration_s,
        distance_m,
        service_s[clients],
        waits,
        cost_per_hour=cost_per_hour,
        cost_per_km=cost_per_km,
    )
