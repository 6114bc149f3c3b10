"""Straight-line travel matrices for runs without a road network file.

Distances are great-circle distances stretched by a circuity factor (road distance over
straight distance; 1.3 is a common urban value) and times assume one constant speed. The
result is marked ``source="straight_line"`` so reports can state that no road data was used.
:func:`measure_circuity` estimates the factor from a road network of a similar city. When
straight lines are requested although a road network of the area exists, measure the factor
on that network instead of assuming 1.3::

    matrices = straight_line_matrices(lat, lon, circuity=measure_circuity(network))
"""

from __future__ import annotations

import logging
import math
import time

import numpy as np
from numpy.typing import ArrayLike

from gtm_optimizer.i18n import _
from gtm_optimizer.network.geometry import haversine_m
from gtm_optimizer.network.road import RoadNetwork
from gtm_optimizer.network.search import node_to_node
from gtm_optimizer.network.travel_matrices import SOURCE_STRAIGHT_LINE, TravelMatrices

logger = logging.getLogger(__name__)

#: Node pairs closer than this are left out of the circuity sample. Over a few metres the
#: ratio reflects where the nodes sit more than the street pattern.
MIN_CIRCUITY_PAIR_M = 50.0


def straight_line_matrices(
    lat: ArrayLike, lon: ArrayLike, *, speed_kph: float = 30.0, circuity: float = 1.3
) -> TravelMatrices:
    """Compute travel matrices from great-circle distances times a circuity factor.

    Parameters
    ----------
    lat, lon
        Point coordinates in WGS84 degrees, one-dimensional and of equal length.
    speed_kph
        Constant driving speed.
    circuity
        Road distance over straight distance, at least 1. Pass
        ``measure_circuity(network)`` when a road network of the area is loaded.

    Returns
    -------
    TravelMatrices
        Symmetric float32 matrices with ``source="straight_line"``; points with missing or
        out-of-range coordinates are unusable and get ``inf`` rows and columns.

    Raises
    ------
    ValueError
        If the arrays differ in shape, ``speed_kph`` is not positive or ``circuity`` is
        below 1.
    """
    started = time.perf_counter()
    lat_deg = np.asarray(lat, dtype=np.float64)
    lon_deg = np.asarray(lon, dtype=np.float64)
    if lat_deg.ndim != 1 or lat_deg.shape != lon_deg.shape:
        raise ValueError(
            f"lat and lon must be one-dimensional arrays of equal length, got shapes "
            f"{lat_deg.shape} and {lon_deg.shape}"
        )
    if not (math.isfinite(speed_kph) and speed_kph > 0):
        raise ValueError(f"speed_kph is {speed_kph!r}; use a positive speed in km/h such as 30")
    if not (math.isfinite(circuity) and circuity >= 1):
        raise ValueError(f"circuity is {circuity!r}; use a factor of at least 1, such as 1.3")

    usable = np.isfinite(lat_deg) & np.isfinite(lon_deg)
    usable &= (np.abs(lat_deg) <= 90) & (np.abs(lon_deg) <= 180)
    distance_m = haversine_m(lat_deg[:, None], lon_deg[:, None], lat_deg[None, :], lon_deg)
    distance_m = distance_m * circuity
    duration_s = distance_m / (speed_kph / 3.6)
    blocked = ~(usable[:, None] & usable[None, :])
    distance_m[blocked] = np.inf
    duration_s[blocked] = np.inf
    served = np.flatnonzero(usable)
    distance_m[served, served] = 0.0
    duration_s[served, served] = 0.0

    logger.info(
        _(
            "Built {n}x{n} straight-line matrices ({usable} usable points, {speed:.0f} km/h, "
            "circuity {circuity:.2f}) in {seconds:.2f} s"
        ).format(
            n=len(lat_deg),
            usable=int(usable.sum()),
            speed=speed_kph,
            circuity=circuity,
            seconds=time.perf_counter() - started,
        )
    )
    return TravelMatrices(
        duration_s=duration_s.astype(np.float32),
        distance_m=distance_m.astype(np.float32),
        usable=usable,
        source=SOURCE_STRAIGHT_LINE,
        circuity=float(circuity),
    )


def measure_circuity(network: RoadNetwork, *, sample: int = 200, seed: int = 0) -> float:
    """Estimate road distance over great-circle distance from random node pairs.

    Pairs are drawn from the main strongly connected component; the road distance is the
    length of the fastest path, as in :func:`build_matrices`. The estimate is the ratio of
    the summed road distances to the summed straight distances, so long pairs weigh more.

    Parameters
    ----------
    network
        The road network.
    sample
        Number of random node pairs drawn.
    seed
        Seed of the random generator.

    Returns
    -------
    float
        The circuity factor, at least 1.

    Raises
    ------
    ValueError
        If ``sample`` is not positive, or no drawn pair is at least
        :data:`MIN_CIRCUITY_PAIR_M` apart.
    """
    if sample < 1:
        raise ValueError(f"sample is {sample!r}; use a positive number of node pairs")
    started = time.perf_counter()
    compact = network.compact
    rng = np.random.default_rng(seed)
    main_nodes = np.flatnonzero(compact.main_mask)
    origins = rng.choice(main_nodes, size=sample)
    destinations = rng.choice(main_nodes, size=sample)

    straight_m = haversine_m(
        compact.node_lat[origins],
        compact.node_lon[origins],
        compact.node_lat[destinations],
        compact.node_lon[destinations],
    )
    far_enough = straight_m >= MIN_CIRCUITY_PAIR_M
    if not far_enough.any():
        raise ValueError(
            f"no sampled node pair is at least {MIN_CIRCUITY_PAIR_M:.0f} m apart; the network "
            "is too small to measure circuity, so pass a circuity factor such as 1.3"
        )
    sources = np.unique(origins[far_enough])
    _times_s, road_m = node_to_node(
        compact, sources, destinations[far_enough], workers=1, chunk_size=256
    )
    rows = np.searchsorted(sources, origins[far_enough])
    pair_road_m = road_m[rows, np.arange(int(far_enough.sum()))]
    circuity = max(float(pair_road_m.sum() / straight_m[far_enough].sum()), 1.0)
    logger.info(
        _("Measured circuity {circuity:.3f} over {pairs} node pairs in {seconds:.2f} s").format(
            circuity=circuity, pairs=int(far_enough.sum()), seconds=time.perf_counter() - started
        )
    )
    return circuity
