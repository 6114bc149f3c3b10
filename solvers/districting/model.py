"""Validated inputs and the result of a territory design."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, eq=False)
class DistrictingProblem:
    """Inputs of a territory design, checked for shape, range and consistency.

    Build it through :func:`~solvers.districting.design_districts`, which converts the caller's
    arrays. Every check raises ``ValueError`` with the offending value and the fix.

    Parameters
    ----------
    measures
        ``(n, m)`` non-negative activity measures per point.
    n_districts
        Number of districts ``k``, from 1 to ``n``.
    tolerances
        One entry per measure: a two-sided relative tolerance in ``[0, 1)`` around the mean
        district total, or ``None`` for a measure that is only reported.
    coords_m
        ``(n, 2)`` projected coordinates in metres, or ``None``.
    cost_s
        ``(n, n)`` travel time in seconds from row point to column point, or ``None``.
    locked
        ``(n,)`` district index that each point must stay in, ``-1`` for a free point.
    current
        ``(n,)`` current district of each point, ``-1`` for none, or ``None``.
    max_moved
        Maximum number of points with a current district that may change district, or
        ``None`` for no limit.
    home_points
        ``(k,)`` fixed centre of each district as a point index, or ``None``.
    home_xy_m
        ``(k, 2)`` fixed centre coordinates when home bases were given as coordinates.
    contiguity
        Whether enclaves are moved to the surrounding district.
    measure_names, measure_units
        Names and units of the measures, used in messages.
    """

    measures: np.ndarray
    n_districts: int
    tolerances: tuple[float | None, ...]
    coords_m: np.ndarray | None = None
    cost_s: np.ndarray | None = None
    locked: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    current: np.ndarray | None = None
    max_moved: int | None = None
    home_points: np.ndarray | None = None
    home_xy_m: np.ndarray | None = None
    contiguity: bool = False
    measure_names: tuple[str, ...] = ()
    measure_units: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        self._check_measures()
        self._check_geometry()
        self._check_tolerances()
        self._check_labels("locked", self.locked)
        if self.current is not None:
            self._check_labels("current", self.current)
        self._check_move_limit()
        self._check_home_bases()
        if len(self.measure_names) != self.n_measures:
            raise ValueError(
                f"measure_names has {len(self.measure_names)} names for "
                f"{self.n_measures} measures; give one name per column of measures"
            )
        if len(self.measure_units) != self.n_measures:
            raise ValueError(
                f"measure_units has {len(self.measure_units)} units for "
                f"{self.n_measures} measures; give one unit (or '') per column of measures"
            )

    @property
    def n_points(self) -> int:
        """Number of points ``n``."""
        return int(self.measures.shape[0])

    @property
    def n_measures(self) -> int:
        """Number of measures ``m``."""
        return int(self.measures.shape[1])

    @property
    def free(self) -> np.ndarray:
        """Boolean mask of the points that are not locked."""
        return np.asarray(self.locked < 0)

    def _check_measures(self) -> None:
        if self.measures.ndim != 2 or self.measures.shape[1] < 1:
            raise ValueError(
                "measures must be a 2-D array of shape (n points, m measures); "
                f"got shape {self.measures.shape}"
            )
        if not np.all(np.isfinite(self.measures)):
            point, column = np.argwhere(~np.isfinite(self.measures))[0]
            raise ValueError(
                f"measures must be finite; point {point} measure {column} is "
                f"{self.measures[point, column]}"
            )
        if np.any(self.measures < 0):
            point, column = np.argwhere(self.measures < 0)[0]
            raise ValueError(
                f"measures must be non-negative; point {point} measure {column} is "
                f"{self.measures[point, column]}"
            )
        n = self.n_points
        if not 1 <= self.n_districts <= n:
            if self.n_districts > n:
                raise ValueError(f"{self.n_districts} districts requested, only {n} points")
            raise ValueError(f"n_districts must be at least 1; got {self.n_districts}")

    def _check_geometry(self) -> None:
        n = self.n_points
        if self.coords_m is None and self.cost_s is None:
            raise ValueError("give coords_m, cost_s or both; got neither")
        if self.coords_m is not None:
            if self.coords_m.shape != (n, 2):
                raise ValueError(
                    f"coords_m must have shape ({n}, 2) for {n} points; got {self.coords_m.shape}"
                )
            if not np.all(np.isfinite(self.coords_m)):
                point = int(np.argwhere(~np.isfinite(self.coords_m))[0, 0])
                raise ValueError(
                    f"coords_m must be finite; point {point} is {self.coords_m[point].tolist()}"
                )
        if self.cost_s is not None:
            if self.cost_s.shape != (n, n):
                raise ValueError(
                    f"cost_s must have shape ({n}, {n}) for {n} points; got {self.cost_s.shape}"
                )
            bad = ~np.isfinite(self.cost_s) | (self.cost_s < 0)
            if np.any(bad):
                row, column = np.argwhere(bad)[0]
                raise ValueError(
                    f"cost_s must be finite and non-negative; cost_s[{row}, {column}] is "
                    f"{self.cost_s[row, column]}; replace unreachable pairs by a large finite "
                    "travel time"
                )

    def _check_tolerances(self) -> None:
        if len(self.tolerances) != self.n_measures:
            raise ValueError(
                f"tolerances has {len(self.tolerances)} entries for {self.n_measures} "
                "measures; give one tolerance (or None) per column of measures"
            )
        for column, tolerance in enumerate(self.tolerances):
            if tolerance is not None and not 0 <= tolerance < 1:
                raise ValueError(
                    f"tolerance {tolerance} for measure {column} is out of range; use a "
                    "relative tolerance in [0, 1), e.g. 0.05 for ±5 %, or None"
                )

    def _check_labels(self, name: str, labels: np.ndarray) -> None:
        k = self.n_districts
        if labels.shape != (self.n_points,):
            raise ValueError(
                f"{name} must have shape ({self.n_points},), one entry per point; "
                f"got {labels.shape}"
            )
        bad = np.flatnonzero((labels < -1) | (labels >= k))
        if bad.size:
            point = int(bad[0])
            raise ValueError(
                f"{name}[{point}] = {labels[point]} is out of range; use -1 (none) or a "
                f"district index from 0 to {k - 1}"
            )

    def _check_move_limit(self) -> None:
        if self.max_moved is None:
            return
        if self.current is None:
            raise ValueError("max_moved_share needs current, the current district of each point")
        forced = np.flatnonzero(
            (self.locked >= 0) & (self.current >= 0) & (self.locked != self.current)
        )
        if forced.size > self.max_moved:
            raise ValueError(
                f"{forced.size} locked points are locked to a district other than their "
                f"current one, but max_moved_share allows only {self.max_moved} moves; "
                "raise max_moved_share or change the locks"
            )

    def _check_home_bases(self) -> None:
        k, n = self.n_districts, self.n_points
        if self.home_points is not None:
            if self.home_points.shape != (k,):
                raise ValueError(
                    f"home_bases must have one entry per district ({k}); "
                    f"got shape {self.home_points.shape}"
                )
            bad = np.flatnonzero((self.home_points < 0) | (self.home_points >= n))
            if bad.size:
                raise ValueError(
                    f"home_bases[{bad[0]}] = {self.home_points[bad[0]]} is not a point index "
                    f"from 0 to {n - 1}"
                )
        if self.home_xy_m is not None and self.coords_m is None:
            raise ValueError(
                "home_bases given as coordinates need coords_m; give coords_m or point indices"
            )


@dataclass(frozen=True, eq=False)
class DistrictingResult:
    """A territory design: the district of each point, its centre and its balance.

    Attributes
    ----------
    labels
        ``(n,)`` district of each point, in ``[0, k)``.
    centers
        ``(k,)`` point index of each district's centre.
    totals
        ``(k, m)`` sum of each measure per district.
    deviation
        ``(k, m)`` relative deviation of each district total from the mean district total,
        ``totals / mean - 1``. It is 0 for a measure whose mean is 0.
    max_deviation
        ``(m,)`` largest absolute deviation per measure.
    compactness_s
        Sum over points of the travel time in seconds from the district centre to the point,
        or ``None`` when no cost matrix was given.
    compactness_m
        Sum over points of the straight-line distance in metres from the district centre to
        the point, or ``None`` when no coordinates were given.
    n_moved
        Number of points whose district differs from their current one (0 without
        ``current``).
    n_enclaves
        Number of enclaves left after the contiguity pass, or ``None`` when contiguity was
        not requested.
    balanced
        Whether every measure with a tolerance is within it in every district.
    status
        ``"balanced"`` or ``"tolerance_not_met"``.
    message
        English summary. When a tolerance is not met it names each district, measure and
        number that breaks it, and any input that makes the tolerance impossible.
    """

    labels: np.ndarray
    centers: np.ndarray
    totals: np.ndarray
    deviation: np.ndarray
    max_deviation: np.ndarray
    compactness_s: float | None
    compactness_m: float | None
    n_moved: int
    n_enclaves: int | None
    balanced: bool
    status: str
    message: str
