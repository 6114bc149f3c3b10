"""The travel-time and distance matrices handed to the routing solvers."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

SOURCE_ROAD_NETWORK = "osm_road_network"
SOURCE_STRAIGHT_LINE = "straight_line"


@dataclass(frozen=True, eq=False)
class TravelMatrices:
    """Asymmetric point-to-point travel times and distances.

    Entry ``[i, j]`` is the trip from point ``i`` to point ``j``. Rows and columns of
    unusable points are ``inf``, their diagonal entries included; every entry between usable
    points is finite, and their diagonal entries are 0.

    Attributes
    ----------
    duration_s
        (n, n) float32 travel times in seconds.
    distance_m
        (n, n) float32 distances in metres of the fastest trips.
    usable
        (n,) whether each point can be served.
    source
        ``"osm_road_network"`` or ``"straight_line"``.
    circuity
        The detour factor applied to straight-line distances; None for road networks.
    """

    duration_s: NDArray[np.float32]
    distance_m: NDArray[np.float32]
    usable: NDArray[np.bool_]
    source: str
    circuity: float | None = None

    def __post_init__(self) -> None:
        n = len(self.usable)
        for name in ("duration_s", "distance_m"):
            array = getattr(self, name)
            if array.shape != (n, n):
                raise ValueError(
                    f"TravelMatrices.{name} has shape {array.shape}; expected ({n}, {n}) to "
                    f"match the {n} entries of usable"
                )
            if array.dtype != np.float32:
                raise ValueError(
                    f"TravelMatrices.{name} has dtype {array.dtype}; convert it to float32"
                )
        if self.source not in (SOURCE_ROAD_NETWORK, SOURCE_STRAIGHT_LINE):
            raise ValueError(
                f"TravelMatrices.source is {self.source!r}; use {SOURCE_ROAD_NETWORK!r} or "
                f"{SOURCE_STRAIGHT_LINE!r}"
            )
        if self.circuity is not None and not (math.isfinite(self.circuity) and self.circuity >= 1):
            raise ValueError(
                f"TravelMatrices.circuity is {self.circuity!r}; use a factor of at least 1"
            )

    @property
    def n_points(self) -> int:
        """Number of points."""
        return len(self.usable)
